"""Inert input: nothing in a text becomes markup, script, an include or a link its author did not write.

Two fixture texts carry the same payloads (raw HTML, Markdown and extension
syntax, Jinja, entities, `javascript:` URLs):

* tests/fixtures/inert-text: a plain-text original, where every character is literal;
* tests/fixtures/inert-markdown: a Markdown original, where only the allow-list is
  honoured (emphasis, strong, ATX headings, `<sup>`, links to http(s) pages).

Each payload must be shown as its characters (checked on the visible text), and
`.cp-body` must hold only the elements Counterpoint emits (checked on the DOM).
The whole page and every page of the build are checked too: the table of
contents, scripts, event attributes, and links or resources on other hosts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from soup import one
from test_fidelity import expected_words, first_difference, seen_words

from counterpoint.search_index import indexed
from sitebuild import Built, build_fixture

PAGE = "texts/payloads/"

PAYLOADS = [
    "Payloads: <script>alert(1)</script>",
    "Before <img src=x onerror=alert(1)> after.",
    "A footnote reference[^1] here.",
    "[^1]: note",
    "An attribute list {: onclick=alert(1) }",
    '--8<-- "mkdocs.yml"',
    "==mark==",
    "a line indented four spaces",
    "| a | b |",
    "***",
    "<!-- comment -->",
    "&amp; and &#60;",
    "{{ config }} and {% raw %}",
    '<a href="javascript:alert(1)">js</a> and [x](javascript:alert(1)) and javascript:alert(1)',
    "{{ config }} <b onmouseover=alert(1)>heading</b>",
]
"""Shown literally in both fixtures."""

TEXT_ONLY_PAYLOADS = [
    "A [Markdown link](https://evil.example/) and an image ![img](https://evil.example/x.png) here.",
    "# {{ config }} <b onmouseover=alert(1)>heading</b>",
    "<i>Second voice</i> <script>alert(2)</script>",
    "The second voice says *nothing* **new** <sup>2</sup>.",
]

MARKDOWN_ONLY_PAYLOADS = [
    "A Markdown link and an image ![img](https://evil.example/x.png) here.",
    "![img](https://evil.example/x.png)",
    "and <javascript:alert(1)>",
    "and [data](data:text/html,<script>alert(1)</script>)",
    "<sup onclick=alert(1)>3</sup> and <SUP>4</SUP>",
    "Formatting around payloads: <img src=x onerror=alert(1)> and {{ config }} and <b>bold</b>.",
]

AUTHOR_LINKS = [
    ("ok", "https://example.org"),
    ("<b>bold</b>", "https://example.org/b"),
    ("Markdown link", "https://evil.example/"),
    ("![img](https://evil.example/x.png)", "https://evil.example/"),
    ("quote", "https://example.org/%22onmouseover=%22alert(1)"),
]
"""(text, href) of every link the Markdown author wrote to an http(s) page, in order."""

LINK_REL = "nofollow noopener noreferrer"
THEME_CREDIT = "https://squidfunk.github.io/mkdocs-material/"
"""Material's "Made with Material for MkDocs" footer link: theme chrome, the only external link it adds."""


@pytest.fixture(scope="module")
def text_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_fixture("inert-text", tmp_path_factory.mktemp("inert-text"))
    assert built.ok, built.log
    return built


@pytest.fixture(scope="module")
def markdown_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_fixture("inert-markdown", tmp_path_factory.mktemp("inert-markdown"))
    assert built.ok, built.log
    return built


def _body(built: Built) -> Tag:
    body = built.soup(PAGE).select_one(".cp-body")
    assert body is not None
    return body


def _visible(built: Built) -> str:
    return " ".join(seen_words(built.html(PAGE)))


# ---------------------------------------------------------------------------
# What Counterpoint itself puts inside .cp-body

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
PARAGRAPH_CLASSES = {"cp-p", "cp-citation", "cp-byline", "cp-signoff"}


def kind(element: Tag) -> str | None:
    """Which of Counterpoint's own elements this is; None for anything else."""
    name, classes = element.name, set(element.get("class") or [])
    if name in ("section", "article") and "cp-voice" in classes:
        return "voice"
    if name == "section" and classes == {"cp-comments"}:
        return "comments"
    if name == "h2" and classes == {"cp-apparatus", "cp-group-label"}:
        return "group-label"
    if name in HEADINGS and classes <= {"cp-voice-heading", "cp-apparatus"} and "cp-voice-heading" in classes:
        return "voice-heading"
    if name in HEADINGS and not classes:
        return "heading"
    if name == "span" and classes in ({"cp-badge"}, {"cp-badge", "cp-apparatus"}):
        return "badge"
    if name == "a" and classes == {"headerlink"}:
        return "headerlink"
    if name == "p" and "cp-p" in classes and classes <= PARAGRAPH_CLASSES:
        return "paragraph"
    if name == "p" and classes == {"cp-omission", "cp-apparatus"}:
        return "omission"
    if name == "blockquote" and classes == {"cp-quotation"}:
        return "quotation"
    if name == "a" and classes == {"cp-pn", "cp-apparatus"}:
        return "paragraph-number"
    if name == "span" and classes == {"cp-anchor"}:
        return "passage-anchor"
    if name == "mark" and "cp-hl" in classes and all(c.startswith("cp-hl") for c in classes):
        return "highlight"
    if name == "sup" and classes == {"cp-fnref", "cp-apparatus"}:
        return "marker"
    if name == "a" and classes == {"footnote-ref"}:
        return "marker-link"
    if name == "br" and not element.attrs:
        return "line-break"
    if name == "span" and classes == {"cp-ctrl"}:
        return "control-character"
    if name in ("em", "strong", "sup") and not element.attrs:
        return "author-formatting"
    if name == "a" and classes == {"cp-source-link"}:
        return "author-link"
    return None


SAFE_ATTRIBUTE = re.compile(r"^(class|id|dir|title|href|rel|aria-[a-z]+|data-[a-z-]+)$")


def check_body_dom(body: Tag, *, author_markup: bool) -> list[str]:
    """Every element of .cp-body is Counterpoint's own, with safe attributes; [] when all is well."""
    wrong: list[str] = []
    for element in body.find_all(True):
        found = kind(element)
        where = f"<{element.name} {element.attrs}>"
        if found is None:
            wrong.append(f"element Counterpoint does not emit: {where}")
            continue
        if found.startswith("author-") and not author_markup:
            wrong.append(f"author formatting in a plain text: {where}")
        for attribute in element.attrs:
            if not SAFE_ATTRIBUTE.match(attribute):
                wrong.append(f"attribute {attribute!r} on {where}")
        href = element.get("href")
        if href is not None and found != "author-link" and not str(href).startswith("#"):
            wrong.append(f"a link out of the page that is not the author's: {where}")
        if found == "author-link":
            if element.get("rel") != LINK_REL.split():
                wrong.append(f"author link without rel={LINK_REL!r}: {where}")
            if urlsplit(str(href)).scheme not in ("http", "https"):
                wrong.append(f"author link to something other than a web page: {where}")
        if found in ("author-link", "marker-link", "headerlink", "paragraph-number") and element.find_parent("a"):
            wrong.append(f"a link inside a link: {where}")
        if found.startswith("author-") and not element.find_parent(["p", *HEADINGS]):
            wrong.append(f"author formatting outside a paragraph or heading: {where}")
    return wrong


# ---------------------------------------------------------------------------
# The plain-text original


@pytest.mark.parametrize("payload", PAYLOADS + TEXT_ONLY_PAYLOADS)
def test_plain_text_payloads_are_shown_as_their_characters(text_site: Built, payload: str) -> None:
    assert " ".join(payload.split()) in _visible(text_site)


def test_plain_text_body_holds_only_counterpoint_elements(text_site: Built) -> None:
    body = _body(text_site)
    assert check_body_dom(body, author_markup=False) == []
    assert not body.find_all(["script", "img", "pre", "code", "table", "hr", "em", "strong", "b", "i"])
    assert not body.select("sup:not(.cp-fnref)")
    assert not body.select("a.cp-source-link")


def test_plain_text_words_are_exactly_the_original(text_site: Built) -> None:
    edition = text_site.project / "corpus" / "texts" / "payloads.yml"
    difference = first_difference(expected_words(text_site.project, edition), seen_words(text_site.html(PAGE)))
    assert not difference, difference


def test_passages_on_payloads_highlight_the_literal_characters(text_site: Built) -> None:
    body = _body(text_site)
    assert one(body, 'mark[data-p="script-passage"]').get_text() == "<script>alert(1)</script>"
    assert one(body, 'mark[data-p="second-passage"]').get_text() == "<script>alert(2)</script>"


# ---------------------------------------------------------------------------
# The Markdown original


@pytest.mark.parametrize("payload", PAYLOADS + MARKDOWN_ONLY_PAYLOADS)
def test_markdown_payloads_are_shown_as_their_characters(markdown_site: Built, payload: str) -> None:
    assert " ".join(payload.split()) in _visible(markdown_site)


@pytest.mark.parametrize("name", ["text", "markdown"])
def test_nothing_is_included_or_evaluated(text_site: Built, markdown_site: Built, name: str) -> None:
    """`--8<-- "mkdocs.yml"` includes nothing and `{{ config }}` is not a template expression."""
    built = text_site if name == "text" else markdown_site
    visible = _visible(built)
    assert "site_name" not in visible and "Counterpoint" not in visible and "markdown_extensions" not in visible
    assert visible.count("{{ config }}") == 3 if name == "markdown" else 2


def test_markdown_body_holds_only_counterpoint_elements(markdown_site: Built) -> None:
    body = _body(markdown_site)
    assert check_body_dom(body, author_markup=True) == []
    assert not body.find_all(["script", "img", "pre", "code", "table", "hr", "b", "i"])


def test_markdown_keeps_exactly_the_allowed_formatting(markdown_site: Built) -> None:
    body = _body(markdown_site)
    heading = body.find("h2", id="s-allowed-heading")
    assert heading is not None and heading.em is not None and heading.em.get_text() == "heading"
    assert [e.get_text() for e in body.find_all("em")] == ["heading", "em", "{{ config }}"]
    assert [s.get_text() for s in body.find_all("strong")] == ["strong", "<img src=x onerror=alert(1)>"]
    assert [s.get_text() for s in body.find_all("sup") if not s.get("class")] == ["2"]
    # Only the Markdown headings are headings (the ones that name voices are not in this single-voice text).
    assert [h.name for h in body.find_all(list(HEADINGS))] == ["h2", "h3"]


def test_markdown_links_are_exactly_the_authors_http_links(markdown_site: Built) -> None:
    body = _body(markdown_site)
    links = body.select("a.cp-source-link")
    # A passage marker splits the link “ok” in two (“o” | marker | “k”): markers never sit inside a link.
    joined: list[tuple[str, str]] = []
    for link in links:
        text, href = link.get_text(), str(link["href"])
        if joined and joined[-1][1] == href and joined[-1][0] == "o" and text == "k":
            joined[-1] = ("ok", href)
        else:
            joined.append((text, href))
        assert link["rel"] == LINK_REL.split()
    assert joined == AUTHOR_LINKS
    assert not body.select("a.cp-source-link sup, a.cp-source-link a")
    # An image is never an image, and never a link to the image.
    assert not markdown_site.soup(PAGE).find_all("img")
    assert all(not str(a.get("href", "")).endswith("x.png") for a in markdown_site.soup(PAGE).find_all("a"))


# ---------------------------------------------------------------------------
# The whole page and the whole build


@pytest.fixture(params=["text", "markdown"])
def site(request: pytest.FixtureRequest, text_site: Built, markdown_site: Built) -> Built:
    return text_site if request.param == "text" else markdown_site


def _pages(built: Built) -> list[Path]:
    return sorted(built.site.rglob("*.html"))


def test_no_page_runs_anything_from_the_text(site: Built) -> None:
    for path in _pages(site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        page = path.relative_to(site.site)
        for element in soup.find_all(True):
            events = [a for a in element.attrs if a.lower().startswith("on")]
            assert not events, f"{page}: event attribute on <{element.name} {element.attrs}>"
            for attribute in ("href", "src", "action", "formaction"):
                value = str(element.get(attribute, "")).strip().lower()
                if value == "javascript:void(0)" and element.get("data-md-component") == "search-share":
                    continue  # Material's own search "share" button
                assert not value.startswith(("javascript:", "data:", "vbscript:")), f"{page}: {element}"
        for script in soup.find_all("script"):
            if script.get("src"):
                assert "alert" not in str(script["src"]), f"{page}: {script}"
            elif script.get("type") == "application/json":
                json.loads(script.get_text())  # data, and still whole: nothing broke out of it
            else:
                assert "alert" not in script.get_text(), f"{page}: {script}"
        assert not soup.find_all(["iframe", "object", "embed"]), page
        for image in soup.find_all("img"):  # only the site's own pictures (the guide's screenshots)
            source = str(image.get("src", ""))
            assert "://" not in source and source.lstrip("./").startswith("assets/"), f"{page}: {image}"


def test_the_table_of_contents_shows_headings_as_text(site: Built) -> None:
    """Headings reach the theme's table of contents, which prints titles as HTML: they must arrive escaped."""
    soup = site.soup(PAGE)
    tocs = soup.select("nav.md-nav--secondary")
    assert tocs
    for toc in tocs:
        assert "{{ config }} <b onmouseover=alert(1)>heading</b>" in toc.get_text()
        assert not toc.find_all(["b", "i", "script", "img"])
    if (site.project / "corpus" / "texts" / "payloads.txt").exists():  # the plain text's second voice
        assert any("<i>Second voice</i> <script>alert(2)</script>" in toc.get_text() for toc in tocs)


def test_the_search_index_keeps_payloads_as_text(site: Built) -> None:
    """The index holds the authors' characters as text (counterpoint-search.js shows them as text too)."""
    docs = indexed(site.site)
    assert docs
    for doc in docs:
        assert isinstance(doc["content"], str) and all(isinstance(v, str) for v in doc["meta"].values()), doc["url"]
        assert not doc["url"].startswith(("javascript:", "data:", "/", "http")), doc["url"]
    contents = " ".join(doc["content"] for doc in docs)
    assert "<script>" in contents or "&lt;script&gt;" in contents, "a payload of the text is kept, word for word"


TITLE = 'Payloads in a "plain" text" onmouseover="alert(3) </title><script>alert(4)</script>'
SUMMARY = 'Every character is literal: " onmouseover="alert(5) </title><script>alert(6)</script> &amp;'


def test_an_editions_title_and_summary_are_text_wherever_they_appear(text_site: Built) -> None:
    """They are copied from the web too: in <title>, sharing tags, navigation, header and table of contents."""
    soup = text_site.soup(PAGE)
    assert soup.title is not None and soup.title.get_text() == f"{TITLE} - Counterpoint"
    for tag in ("og:title", "og:description"):
        meta = soup.find("meta", property=tag)
        assert meta is not None and meta["content"] == (TITLE if tag == "og:title" else SUMMARY)
    for tag in ("twitter:title", "twitter:description", "description"):
        meta = soup.find("meta", attrs={"name": tag})
        assert meta is not None and meta["content"] == (TITLE if tag == "twitter:title" else SUMMARY)
    assert one(soup, "#cp-title").get_text() == TITLE
    assert one(soup, ".cp-summary").get_text() == SUMMARY

    shown = soup.select("[data-md-component=header-topic] .md-ellipsis, .md-nav__link--active .md-ellipsis")
    assert len(shown) >= 2
    for element in shown:
        assert element.get_text().strip() == TITLE
    index = text_site.soup("texts/")
    assert TITLE in [a.get_text() for a in index.select(".cp-text-card-title a")]


def _hand_written(built: Built) -> set[Path]:
    """Pages made from the Markdown files in docs/: the site's own prose, written by its editors."""
    pages: set[Path] = set()
    for source in (built.project / "docs").rglob("*.md"):
        relative = source.relative_to(built.project / "docs").with_suffix("")
        if relative.name == "index":
            pages.add(built.site / relative.parent / "index.html")
        else:
            pages.add(built.site / relative / "index.html")
    return pages


def test_no_page_references_another_host_except_the_authors_links(site: Built, markdown_site: Built) -> None:
    """No resource from elsewhere, on any page; links elsewhere only where an author or editor wrote them."""
    allowed_author_links = {href for _, href in AUTHOR_LINKS} if site is markdown_site else set()
    hand_written = _hand_written(site)
    wrong: list[str] = []
    for path in _pages(site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        page = path.relative_to(site.site)
        for element in soup.find_all(True):
            for attribute in ("src", "href", "srcset", "poster", "data", "action"):
                value = element.get(attribute)
                if value is None:
                    continue
                for url in str(value).split(","):
                    url = url.strip().split(" ")[0]
                    if not re.match(r"^(https?:)?//", url, re.I):
                        continue
                    if element.name != "a":
                        wrong.append(f"{page}: <{element.name} {attribute}={url}> loads from another host")
                        continue
                    by_author = "cp-source-link" in (element.get("class") or []) and url in allowed_author_links
                    theme_credit = element.find_parent(class_="md-copyright") is not None and url == THEME_CREDIT
                    by_editor = path in hand_written and element.find_parent(class_="md-content") is not None
                    if not (by_author or theme_credit or by_editor):
                        wrong.append(f"{page}: link to {url} that no author or editor wrote")
    assert wrong == []
