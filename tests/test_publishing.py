"""Publishing: hosting under a sub-path, the Pages workflow, sharing tags, sitemap, stable permalinks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup
from soup import attr, one, present

from sitebuild import REPO, Built, build_fixture

SUB_PATH_URL = "https://example.org/debates/soleimani/"
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_fixture(REPO, tmp_path_factory.mktemp("sub-path"), {"site_url": SUB_PATH_URL})
    assert built.ok, built.log
    return built


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _url_of(site: Path, page: Path) -> str:
    relative = page.relative_to(site).as_posix()
    return relative[: -len("index.html")] if relative.endswith("index.html") else relative


def test_the_workflow_is_a_valid_github_workflow() -> None:
    check = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert check, "check-jsonschema is in requirements-test.txt"
    result = subprocess.run(
        [check, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_builds_strictly_from_the_pinned_requirements() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    commands = " ".join(step.get("run", "") for step in steps)
    assert "pip install -r requirements.txt" in commands
    assert "mkdocs build --strict" in commands
    build = next(step for step in steps if "mkdocs build" in step.get("run", ""))
    assert "SITE_URL" in build["env"]
    assert any(step.get("uses", "").startswith("actions/deploy-pages") for step in workflow["jobs"]["deploy"]["steps"])


def test_every_link_resolves_under_a_sub_path(sub_path_site: Built) -> None:
    # Only the 404 page, which can be served at any address, may use root-absolute links,
    # and then only under the site's own sub-path.
    broken = sub_path_site.links.broken_links(sub_path=urlsplit(SUB_PATH_URL).path)
    assert not broken, "\n".join(broken[:40])


def test_the_sitemap_lists_every_page(sub_path_site: Built) -> None:
    site = sub_path_site.site
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    listed = {(loc.text or "").strip() for loc in sitemap.iter(f"{namespace}loc")}
    expected = {SUB_PATH_URL + _url_of(site, page) for page in _pages(site) if page.name != "404.html"}
    assert expected <= listed, sorted(expected - listed)


@pytest.mark.parametrize("url", ["texts/why-communists-should-defend-iran/", "texts/", ""])
def test_pages_carry_title_description_canonical_and_opengraph(sub_path_site: Built, url: str) -> None:
    soup = sub_path_site.soup(url)
    title = present(soup.find("title"), "<title>").get_text()
    description = attr(one(soup, 'meta[name="description"]'), "content")
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    canonical = attr(one(soup, 'link[rel="canonical"]'), "href")
    assert title and description
    assert canonical == SUB_PATH_URL + url
    assert (
        og["og:url"] == canonical and og["og:title"] and og["og:description"] and og["og:site_name"] == "Counterpoint"
    )
    # The site's name once, never "Counterpoint - Counterpoint" or a navigation label such as "Home".
    assert title.count("Counterpoint") == 1 and og["og:title"] != "Home"


def test_text_pages_are_shared_as_articles(sub_path_site: Built) -> None:
    soup = sub_path_site.soup("texts/why-communists-should-defend-iran/")
    assert attr(one(soup, 'meta[property="og:type"]'), "content") == "article"
    assert attr(one(soup, 'meta[property="og:title"]'), "content") == "Why Communists Should Defend Iran"


def test_the_404_page_helps_the_reader_on(sub_path_site: Built) -> None:
    soup = BeautifulSoup((sub_path_site.site / "404.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in soup.select("article a[href]")}
    assert urlsplit(SUB_PATH_URL).path + "texts/" in links


def test_every_text_says_how_to_cite_each_voice(sub_path_site: Built) -> None:
    from counterpoint.corpus import load_corpus

    corpus = load_corpus(REPO / "corpus")
    for text in corpus.texts:
        soup = sub_path_site.soup(f"texts/{text.slug}/")
        citations = json.loads(one(soup, "#cp-citations").get_text())
        assert set(citations) == {v.id for v in text.voices}
        shown = " ".join(one(soup, "#cp-cite").get_text().split())
        for voice in text.voices:
            # The copied citation isolates each field (U+2068 … U+2069); the page does it with <bdi>.
            assert citations[voice.id].translate({0x2068: None, 0x2069: None}) in shown, voice.id
            assert text.title in citations[voice.id]


def _ids_by_page(site: Path) -> dict[str, list[str]]:
    return {
        _url_of(site, page): [
            attr(e, "id") for e in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(id=True)
        ]
        for page in _pages(site)
    }


def test_permalinks_do_not_depend_on_the_order_the_corpus_is_read(repo_site: Built, tmp_path: Path) -> None:
    """The corpus built again (the shared build is the first), its files renamed so that they are read
    in the opposite order."""
    first = repo_site
    shuffled = tmp_path / "shuffled"
    shutil.copytree(REPO / "corpus", shuffled / "corpus")
    for folder in ("texts", "annotations"):
        files = sorted((shuffled / "corpus" / folder).glob("*.yml"))
        for rank, path in enumerate(reversed(files)):
            path.rename(path.with_name(f"{rank:03d}-{path.name}"))
    second = build_fixture(shuffled, tmp_path / "b")
    assert second.ok, second.log
    a, b = _ids_by_page(first.site), _ids_by_page(second.site)
    assert a.keys() == b.keys()
    for url in a:
        assert a[url] == b[url], url
