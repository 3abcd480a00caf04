"""Links between generated pages are made without MkDocs; they must be the links MkDocs would make.

Each page's URL is compared with MkDocs' own `File.url`, and each link with
`mkdocs.utils.get_relative_url` between those URLs, for both settings of
`use_directory_urls`.
"""

from __future__ import annotations

import posixpath

import pytest
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from counterpoint.site import Urls, original_file, question_page, text_page

SOURCES = [
    "index.md",
    "README.md",
    "editors-guide.md",
    "texts/index.md",
    "texts/README.md",
    text_page("why-communists-should-defend-iran"),
    question_page("soleimani"),
    "matrix/index.md",
    "matrix/agreement.md",
    "a/b/deep.md",
    original_file("why-communists-should-defend-iran"),
    "downloads/matrix.csv",
    "annotations.jsonld",
]


def mkdocs_url(src: str, use_directory_urls: bool) -> str:
    return File(src, "/docs", "/site", use_directory_urls).url


@pytest.mark.parametrize("use_directory_urls", [True, False])
@pytest.mark.parametrize("src", SOURCES)
def test_urls_are_mkdocs_urls(src: str, use_directory_urls: bool) -> None:
    ours = Urls(use_directory_urls).url(src)
    theirs = mkdocs_url(src, use_directory_urls)
    assert ours == ("" if theirs == "./" else theirs)  # the site's root is "" here, "./" in MkDocs


@pytest.mark.parametrize("use_directory_urls", [True, False])
@pytest.mark.parametrize("from_src", SOURCES)
def test_links_are_the_links_mkdocs_makes(from_src: str, use_directory_urls: bool) -> None:
    urls = Urls(use_directory_urls)
    for to_src in SOURCES:
        expected = get_relative_url(mkdocs_url(to_src, use_directory_urls), mkdocs_url(from_src, use_directory_urls))
        assert urls.link(from_src, to_src) == expected, (from_src, to_src)


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_links_resolve_to_the_target_page(use_directory_urls: bool) -> None:
    """Follow each link from its page the way a browser would."""
    urls = Urls(use_directory_urls)
    for from_src in SOURCES:
        here = "/" + urls.url(from_src)
        base = here if here.endswith("/") else posixpath.dirname(here).rstrip("/") + "/"
        for to_src in SOURCES:
            link = urls.link(from_src, to_src)
            resolved = posixpath.normpath(posixpath.join(base, link)) + ("/" if link.endswith("/") else "")
            assert resolved.replace("//", "/") == "/" + urls.url(to_src), (from_src, to_src, link)


def test_anchors() -> None:
    urls = Urls()
    assert urls.link("texts/a.md", "texts/a.md", "p-1") == "#p-1"
    assert urls.link("texts/a.md", "texts/b.md", "p-1") == "../b/#p-1"
    assert urls.link("index.md", "texts/index.md", "x") == "texts/#x"
    assert urls.link("texts/index.md", "index.md", "x") == "../#x"
    assert urls.link("index.md", "index.md", "x") == "#x"
    flat = Urls(use_directory_urls=False)
    assert flat.link("texts/a.md", "texts/b.md", "p-1") == "b.html#p-1"
    assert flat.link("texts/a.md", "texts/a.md", "p-1") == "#p-1"
    assert flat.link("texts/a.md", "texts/a.md") == "a.html"
    assert flat.link("texts/a.md", "index.md", "top") == "../index.html#top"
