"""With many voices, the matrix, the questions and compare run over pages and files that do not grow with the corpus.

Built from the miniature of tests/scaled.py (a synthetic corpus of some 26 voices, with the limits of
counterpoint/settings.py set low so that it crosses them all) by `mkdocs build --strict`,
with directory URLs under a sub-path and without directory URLs. The seed corpus, below every limit,
keeps one matrix page, one page a question and the voices carried by compare (test_matrix_site.py).
"""

from __future__ import annotations

import json
import posixpath
import re
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup, Tag
from scaled import build_scaled
from soup import attr, one, present

from counterpoint.corpus import load_corpus
from counterpoint.matrix import Matrix, build_matrix
from counterpoint.model import Corpus
from counterpoint.render.pagination import page_links, page_src, paginate_by_size
from counterpoint.site import Urls
from sitebuild import Built

SUB_PATH_URL = "https://example.org/debates/many/"
MAX_PAGE_BYTES = 100_000
ORDER_WORDS = "Neither the order nor the shapes and colours carry a verdict"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_scaled(tmp_path_factory.mktemp("scaled"), {"site_url": SUB_PATH_URL})
    assert built.ok, built.log
    return built


@pytest.fixture(scope="module")
def flat_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_scaled(tmp_path_factory.mktemp("scaled-flat"), {"use_directory_urls": False})
    assert built.ok, built.log
    return built


@pytest.fixture(scope="module")
def corpus(site: Built) -> Corpus:
    return load_corpus(site.project / "corpus", site.project)


@pytest.fixture(scope="module")
def matrix(corpus: Corpus) -> Matrix:
    return build_matrix(corpus)


class Reader:
    """Pages of a built site read once each; links resolved the way a browser does."""

    def __init__(self, built: Built) -> None:
        self.built = built

    def soup(self, url: str) -> BeautifulSoup:
        return self.built.links.soup(url)

    def resolve(self, from_url: str, href: str) -> tuple[str, str]:
        return self.built.links.resolve(from_url, href)

    def lands(self, from_url: str, href: str) -> str:
        """The site URL `href` on `from_url` leads to, asserting that it was built and holds its #anchor."""
        return self.built.links.lands(from_url, href)

    def pages(self, first: str) -> list[str]:
        """A paginated list's pages, in order, as its pagination names them (every one, below 12 pages)."""
        nav = self.soup(first).select_one("nav.cp-pagination")
        if nav is None:
            return [first]
        return [self.lands(first, attr(a, "href")) if a.name == "a" else first for a in nav.select("a, [aria-current]")]

    def voice_of(self, corpus: Corpus, from_url: str, href: str) -> str:
        """The voice a link to a voice's part of its text stands for (#v-<id>, or a text's only voice)."""
        url, anchor = self.resolve(from_url, href)
        if anchor.startswith("v-"):
            return anchor.removeprefix("v-")
        slug = posixpath.basename(url.rstrip("/")).removesuffix(".html")
        (voice,) = corpus.text_by_slug[slug].voices
        return voice.id


def counts(items: list[Tag]) -> list[int]:
    return [int(re.sub(r"\D", "", one(item, ".cp-count").get_text())) for item in items]


# -- the matrix ------------------------------------------------------------------------------------


def test_the_matrix_runs_over_pages_and_every_voice_is_on_exactly_one(site: Built, corpus: Corpus) -> None:
    reader = Reader(site)
    pages = reader.pages("matrix/")
    assert len(pages) > 2
    assert pages == ["matrix/"] + [f"matrix/page/{n}/" for n in range(2, len(pages) + 1)]
    built = {"matrix/"} | {f"matrix/page/{p.parent.name}/" for p in site.site.glob("matrix/page/*/index.html")}
    assert set(pages) == built, "the pagination names every page of the matrix, and only those"
    shown: list[str] = []
    for number, url in enumerate(pages, start=1):
        soup = reader.soup(url)
        voices = [
            reader.voice_of(corpus, url, attr(a, "href"))
            for a in soup.select("th.cp-matrix-voice a:not(.cp-matrix-voice-search)")
        ]
        assert voices, f"{url} shows no voice"
        assert len(soup.select("table.cp-matrix td.cp-cell")) == len(voices) * len(corpus.questions)
        first, last = len(shown) + 1, len(shown) + len(voices)
        stated = " ".join(one(soup, ".cp-matrix-range").get_text(" ").split())
        assert stated.startswith(f"Page {number} of {len(pages)}: voices {first}–{last} of {len(corpus.voices)}")
        assert f"(voices {first}–{last} of {len(corpus.voices)})" in present(soup.title).get_text()
        shown += voices
        current = soup.select("nav.cp-pagination [aria-current=page]")
        assert [c.get_text() for c in current] == [str(number)] * 2, "the pagination, above and below the table"
        assert ORDER_WORDS in present(one(soup, "#cp-matrix-reading").find_parent("section")).get_text(" ")
        downloads = {reader.lands(url, attr(a, "href")) for a in soup.select("ul.cp-downloads a[download]")}
        assert downloads == {"downloads/matrix.csv", "downloads/matrix.json"}
    assert shown == [v.id for v in corpus.voices], "every voice on exactly one page, in the matrix's order"


def test_every_cell_of_every_matrix_page_lands_on_its_passage(site: Built, matrix: Matrix) -> None:
    reader = Reader(site)
    links = 0
    for url in reader.pages("matrix/"):
        for link in reader.soup(url).select("a.cp-cell-link"):
            target = reader.lands(url, attr(link, "href"))
            assert target.startswith("texts/")
            links += 1
    assert links == sum(1 for v in matrix.voices for q in matrix.questions if matrix.cell(v.id, q.id).addressed)


# -- questions --------------------------------------------------------------------------------------


def test_a_question_runs_over_pages_each_giving_the_whole_question_at_the_top(
    site: Built, corpus: Corpus, matrix: Matrix
) -> None:
    reader = Reader(site)
    paginated = 0
    for question in corpus.questions:
        first = f"questions/{question.id}/"
        pages = reader.pages(first)
        assert pages == [first] + [f"{first}page/{n}/" for n in range(2, len(pages) + 1)]
        paginated += len(pages) > 1
        by_stance = matrix.by_stance(question.id)
        quoted: list[str] = []
        listed: list[str] = []
        for url in pages:
            soup = reader.soup(url)
            overview = soup.select("ul.cp-stance-overview > li")
            assert counts(overview) == [len(cells) for _, cells in by_stance], f"{url}: the whole question's counts"
            for item in overview:
                for link in item.select("a[href]"):
                    reader.lands(url, attr(link, "href"))
            for link in soup.select(".cp-question-count a, .cp-stance-continues a"):
                reader.lands(url, attr(link, "href"))
            quoted += [
                reader.voice_of(corpus, url, attr(one(item, ".cp-voice-words-voice a"), "href"))
                for item in soup.select("li.cp-voice-words-item")
            ]
            for missing in soup.select("ul.cp-missing-voices"):
                assert missing.has_attr("data-search-exclude"), "voices' names are not indexed on every question"
                listed += [reader.voice_of(corpus, url, attr(a, "href")) for a in missing.select("a")]
            if len(pages) > 1:
                assert f"(page {pages.index(url) + 1} of {len(pages)})" in present(soup.title).get_text()
                assert len(soup.select("ul.cp-relations > li")) <= 1, "QUESTION_RELATIONS_PER_PAGE, set to 1"
        assert quoted == [c.voice.id for _, cells in by_stance for c in cells], f"{question.id}: each voice once"
        assert listed == [c.voice.id for c in matrix.not_addressing(question.id)], f"{question.id}: each once"
        # Text pages and the exported annotations link to questions/<id>/#stance-<id>: it lands on page one,
        # on the stance's words or on the line that says where they are.
        for stance in question.stances:
            reader.lands("", f"{first}#stance-{stance.id}")
    assert paginated >= len(corpus.questions) // 2, "most questions of the miniature run over pages"


def test_the_first_page_of_a_question_says_where_each_stance_is(site: Built, corpus: Corpus, matrix: Matrix) -> None:
    reader = Reader(site)
    question = max(corpus.questions, key=lambda q: len(reader.pages(f"questions/{q.id}/")))
    first = f"questions/{question.id}/"
    soup = reader.soup(first)
    for stance, cells in matrix.by_stance(question.id):
        item = next(li for li in soup.select("ul.cp-stance-overview > li") if stance.label in li.get_text())
        if not cells:
            assert item.select("a") == [] and item["id"] == f"stance-{stance.id}"
            continue
        target = reader.lands(first, attr(present(item.a), "href"))
        heading = present(reader.soup(target).find(id=f"stance-{stance.id}"))
        assert heading.name == "h2", "the stance's link leads to where its voices begin"
        first_voice = attr(one(present(heading.find_parent("section")), ".cp-voice-words-voice a"), "href")
        assert reader.voice_of(corpus, target, first_voice) == cells[0].voice.id
        assert re.search(r"· pages? \d+(–\d+)?$", item.get_text(" ").strip())


# -- compare ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["site", "flat_site"])
def test_compare_fetches_each_voice_from_a_small_file(request: pytest.FixtureRequest, which: str) -> None:
    built: Built = request.getfixturevalue(which)
    corpus = load_corpus(built.project / "corpus", built.project)
    reader = Reader(built)
    url = "matrix/compare/" if which == "site" else "matrix/compare.html"
    soup = reader.soup(url)
    root = one(soup, "[data-cp-compare]")
    assert soup.select_one("template[data-cp-data]") is None, "the page carries no voice's positions"
    for select in soup.select("select[data-cp-pick]"):
        assert [o["value"] for o in select.select("option")] == [""], "the voices come with the list"
    listing = json.loads(built.path(reader.lands(url, attr(root, "data-cp-voices"))).read_text(encoding="utf-8"))
    offered = [voice for text in listing["texts"] for voice in text["voices"]]
    assert [voice_id for voice_id, _ in offered] == [v.id for v in corpus.voices]
    assert [name for _, name in offered] == [v.name for v in corpus.voices]
    assert [t["title"] for t in listing["texts"]] == [t.title for t in corpus.texts if t.voices]
    for voice in corpus.voices:
        file = reader.lands(url, attr(root, "data-cp-voice-files") + voice.id + ".json")
        data = json.loads(built.path(file).read_text(encoding="utf-8"))
        assert data["voice"] == voice.id
        fragment = BeautifulSoup(data["html"], "html.parser")
        node = one(fragment, "[data-voice]")
        assert attr(node, "data-voice") == voice.id and attr(node, "data-short") == voice.short
        assert [attr(p, "data-q") for p in node.select("[data-q]")] == [q.id for q in corpus.questions]
        for link in node.select("a[href]"):
            reader.lands(url, attr(link, "href"))  # relative to the compare page, which shows them


# -- every page ----------------------------------------------------------------------------------------


def test_no_html_page_is_larger_than_100_kb(site: Built) -> None:
    sizes = {p.relative_to(site.site).as_posix(): p.stat().st_size for p in site.site.rglob("*.html")}
    assert len(sizes) > 50
    too_big = {page: size for page, size in sizes.items() if size > MAX_PAGE_BYTES}
    assert not too_big, too_big


@pytest.mark.parametrize("which", ["site", "flat_site"])
def test_every_link_of_every_page_lands(request: pytest.FixtureRequest, which: str) -> None:
    """Relative links only (the site works under any sub-path), each to a built file and its #anchor.

    The 404 page, served at any address, is left to test_publishing.py."""
    built: Built = request.getfixturevalue(which)
    broken = built.links.broken_links(skip_404=True)
    assert not broken, "\n".join(broken[:40])


def test_the_sitemap_lists_every_page_of_the_matrix_and_the_questions(site: Built) -> None:
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    sitemap = ElementTree.parse(site.site / "sitemap.xml").getroot()
    listed = {(loc.text or "").strip() for loc in sitemap.iter(f"{namespace}loc")}
    pages = [p.parent.relative_to(site.site).as_posix() + "/" for p in site.site.glob("*/**/page/*/index.html")]
    assert any(p.startswith("matrix/page/") for p in pages) and any(p.startswith("questions/") for p in pages)
    assert {SUB_PATH_URL + p for p in pages} <= listed


# -- the pieces -------------------------------------------------------------------------------------------


def test_further_pages_sit_beside_an_index_and_under_another_page() -> None:
    assert page_src("texts/index.md", 1) == "texts/index.md"
    assert page_src("texts/index.md", 2) == "texts/page/2.md"
    assert page_src("matrix/index.md", 3) == "matrix/page/3.md"
    assert page_src("questions/war.md", 2) == "questions/war/page/2.md"
    assert Urls(True).link("questions/war/page/2.md", "questions/war.md", "stance-yes") == "../../#stance-yes"
    assert Urls(False).link("questions/war/page/2.md", "questions/war.md") == "../../war.html"


def test_pages_by_size_hold_what_fits_and_at_least_one_item() -> None:
    pages = paginate_by_size([5, 5, 5, 20, 1, 1], "list/index.md", 10, lambda n: n)
    assert [list(p.items) for p in pages] == [[5, 5], [5], [20], [1, 1]]
    assert [(p.number, p.count, p.first_index, p.last_index) for p in pages] == [
        (1, 4, 0, 1),
        (2, 4, 2, 2),
        (3, 4, 3, 3),
        (4, 4, 4, 5),
    ]
    assert [p.src for p in pages][:2] == ["list/index.md", "list/page/2.md"]
    nothing: list[int] = []
    (empty,) = paginate_by_size(nothing, "list/index.md", 10, lambda n: n)

    assert list(empty.items) == [] and empty.count == 1


def test_the_pagination_names_every_page_up_to_eleven_then_the_ends_and_the_neighbours() -> None:
    urls = Urls(True)
    sources = [page_src("matrix/index.md", n) for n in range(1, 12)]
    assert page_links(urls, sources[0], sources[:1], 1) == []
    assert [n for n, _ in page_links(urls, sources[0], sources, 1)] == list(range(1, 12))
    many = [page_src("matrix/index.md", n) for n in range(1, 101)]
    links = page_links(urls, many[49], many, 50)
    assert [n for n, _ in links] == [1, 0, 48, 49, 50, 51, 52, 0, 100]
    assert dict(links)[1] == "../../" and dict(links)[51] == "../51/"
    assert [n for n, _ in page_links(urls, many[0], many, 1)] == [1, 2, 3, 0, 100]
