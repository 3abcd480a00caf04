"""Verbatim: the words a reader sees on a text's page are the original's words, in order.

For every text of the real corpus, the expected words are derived from the
original file and its edition here, independently of the package's parser:

* plain text: the original's lines outside the declared omissions, split on
  whitespace (every character is literal);
* Markdown: the same, after removing only the allow-listed markup syntax
  (`#` heading markers, `**`/`*`/`_` emphasis delimiters, `<sup>`/`</sup>`, and
  `[text](http…)` reduced to its text) with the small function `markdown_words`.

The seen words come from the built page: the `.cp-body` element minus what
Counterpoint adds (`.cp-apparatus`, `.headerlink`, `.cp-fnref`, `.cp-anchor`),
inline text joined as it is, block elements separated by whitespace. Whatever
annotations the corpus holds, the two word lists must be equal.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from sitebuild import REPO, Built

EDITIONS = sorted((REPO / "corpus" / "texts").glob("*.yml"))

ADDED_BY_COUNTERPOINT = ".cp-apparatus, .headerlink, .cp-fnref, .cp-anchor"
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "br", "section", "article", "div"}


# ---------------------------------------------------------------------------
# Expected words, from the original file and its edition


def line_numbers(ranges: Any) -> set[int]:
    """The lines named by an edition's `lines:` value: 12, "12-15", or a list of those."""
    numbers: set[int] = set()
    for item in ranges if isinstance(ranges, list) else [ranges]:
        first, _, last = str(item).partition("-")
        numbers.update(range(int(first), int(last or first) + 1))
    return numbers


def kept_lines(original: bytes, edition: dict[str, Any]) -> list[str]:
    text = original.decode("utf-8-sig")
    lines = re.split(r"\r\n|\r|\n", text)
    omitted: set[int] = set()
    for omission in edition.get("omit", []):
        omitted |= line_numbers(omission["lines"])
    return [line for number, line in enumerate(lines, start=1) if number not in omitted]


MARKDOWN_LINK = re.compile(r"(?<!!)\[([^\[\]]*)\]\((https?://[^()\s]*)\)")
AUTOLINK = re.compile(r"<(https?://[^<>\s]*)>")
HEADING_MARKER = re.compile(r"^ {0,3}#{1,6}(?=\s|$)")
EMPHASIS_AT_EDGES = re.compile(r"^[*_]+|(?<!\\)[*_]+$")


def markdown_words(line: str) -> list[str]:
    """The words of one Markdown line once the allow-listed syntax is taken away."""
    line = HEADING_MARKER.sub("", line)
    line = line.replace("<sup>", "").replace("</sup>", "")
    line = MARKDOWN_LINK.sub(r"\1", line)
    line = AUTOLINK.sub(r"\1", line)
    # Emphasis delimiters sit at the edges of words: `**Protests**`, `*"the`, `Questions.*`
    # (a backslash-escaped one, `\*`, is shown as written).
    words = (EMPHASIS_AT_EDGES.sub("", word) for word in line.split())
    return [word for word in words if word]


def expected_words(project: Path, edition_path: Path) -> list[str]:
    edition = yaml.safe_load(edition_path.read_text(encoding="utf-8"))
    original = (edition_path.parent / edition["source"]).read_bytes()
    lines = kept_lines(original, edition)
    if edition.get("format", "text") == "markdown":
        return [word for line in lines for word in markdown_words(line)]
    return [word for line in lines for word in line.split()]


# ---------------------------------------------------------------------------
# Seen words, from the built page


def visible_text(node: Tag) -> str:
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, Tag):
            inner = visible_text(child)
            parts.append(f" {inner} " if child.name in BLOCKS else inner)
        elif type(child) is NavigableString:  # comments and the like are not seen
            parts.append(str(child))
    return "".join(parts)


def seen_words(html: str) -> list[str]:
    body = BeautifulSoup(html, "html.parser").select_one(".cp-body")
    assert body is not None, "the page has no .cp-body"
    for added in body.select(ADDED_BY_COUNTERPOINT):
        added.decompose()
    return visible_text(body).split()


def first_difference(expected: list[str], seen: list[str], context: int = 8) -> str:
    """'' when equal; otherwise where the lists first part, with words around it."""
    if expected == seen:
        return ""
    matcher = difflib.SequenceMatcher(a=expected, b=seen, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(expected[max(0, i1 - context) : i1])
        return (
            f"first difference at word {i1 + 1} of {len(expected)}, after …{before}\n"
            f"  original ({tag}): {' '.join(expected[i1:i2][:context])!r} then {' '.join(expected[i2 : i2 + context])!r}\n"
            f"  page:             {' '.join(seen[j1:j2][:context])!r} then {' '.join(seen[j2 : j2 + context])!r}"
        )
    raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------------------


def _slug(edition_path: Path) -> str:
    return str(yaml.safe_load(edition_path.read_text(encoding="utf-8"))["slug"])


def test_the_corpus_has_texts_of_both_formats() -> None:
    formats = {yaml.safe_load(p.read_text(encoding="utf-8")).get("format", "text") for p in EDITIONS}
    assert formats == {"text", "markdown"}


@pytest.mark.parametrize("edition", EDITIONS, ids=[p.stem for p in EDITIONS])
def test_the_page_shows_the_original_words_in_order(repo_site: Built, edition: Path) -> None:
    built_edition = repo_site.project / "corpus" / "texts" / edition.name
    expected = expected_words(repo_site.project, built_edition)
    seen = seen_words(repo_site.html(f"texts/{_slug(built_edition)}/"))
    assert len(expected) > 50
    difference = first_difference(expected, seen)
    assert not difference, difference


@pytest.mark.parametrize("edition", EDITIONS, ids=[p.stem for p in EDITIONS])
def test_the_original_offered_for_download_is_byte_identical(repo_site: Built, edition: Path) -> None:
    source = yaml.safe_load(edition.read_text(encoding="utf-8"))["source"]
    corpus_file = repo_site.project / "corpus" / "texts" / source
    assert corpus_file.read_bytes() == (REPO / "corpus" / "texts" / source).read_bytes()
    assert repo_site.path(f"originals/{_slug(edition)}.txt").read_bytes() == corpus_file.read_bytes()


# The checks above must be able to fail: a dropped, added or changed word is caught.


def test_a_changed_word_is_caught(repo_site: Built) -> None:
    edition = repo_site.project / "corpus" / "texts" / EDITIONS[0].name
    expected = expected_words(repo_site.project, edition)
    html = repo_site.html(f"texts/{_slug(edition)}/")
    word = expected[len(expected) // 2]
    for changed in (html.replace(f" {word} ", f" {word}s ", 1), html.replace(f" {word} ", " ", 1)):
        assert changed != html
        assert "first difference" in first_difference(expected, seen_words(changed))
    body = html.index('<div class="cp-body">')
    added = html[:body] + html[body:].replace("</p>", " extra</p>", 1)
    difference = first_difference(expected, seen_words(added))
    assert "page:             'extra'" in difference, difference


def test_apparatus_is_not_counted_but_marks_are() -> None:
    html = (
        '<div class="cp-body"><h2 class="cp-apparatus">Voice</h2>'
        '<p><a class="cp-pn cp-apparatus" href="#p"></a>One <span class="cp-anchor" id="x"></span>'
        '<mark class="cp-hl">t<em>w</em>o</mark><sup class="cp-fnref cp-apparatus"><a href="#fn:x">1</a></sup>'
        "<br>three<!-- four --></p><h3>Five<a class=headerlink href=#h>¶</a></h3><blockquote><p>six</p></blockquote>"
        "</div>"
    )
    assert seen_words(html) == ["One", "two", "three", "Five", "six"]


def test_markdown_words_removes_only_the_allowed_syntax() -> None:
    assert markdown_words("# **Iranian Islamists**") == ["Iranian", "Islamists"]
    assert markdown_words('*"the need* - by the 2<sup>nd</sup> [site](https://example.org).') == [
        '"the',
        "need",
        "-",
        "by",
        "the",
        "2nd",
        "site.",
    ]
    assert markdown_words("[1](#) and ![img](https://x.org/a.png)") == ["[1](#)", "and", "![img](https://x.org/a.png)"]
    assert markdown_words(r"<https://example.org/a> \*kept\* \\") == ["https://example.org/a", r"\*kept\*", "\\\\"]
    assert line_numbers(["3", "5-7", 9]) == {3, 5, 6, 7, 9}
