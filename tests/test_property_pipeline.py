"""Any text, through the whole pipeline, gives a valid page that shows exactly its characters, inert.

Hypothesis draws texts that mix Markdown and HTML punctuation, links, CRLF, CR and
LF line ends, a BOM, tabs, control characters, very long lines, right-to-left
text, emoji and combining characters, with any other Unicode character. Each
text goes through the real pipeline: its bytes are written as an original with a
generated edition (and, often, an annotation quoting some of its words), the
corpus is loaded and checked (`counterpoint.checks.load_checked`), and its page
is rendered (`render_text_page`). Two real `mkdocs build --strict` runs, on texts
drawn the same way, make the same claims end to end.

What "exactly its characters" means
-----------------------------------

The *original* is the file's bytes decoded as UTF-8, less a leading BOM. Its
*characters as shown* are the original with

* whitespace, that is space, tab, CR, LF and the Unicode space separators (Zs),
  taken as word separators: each run of it counts as one space, and none at the
  ends (a page lays out whitespace; it does not show it);
* every other control character (Unicode category Cc) replaced by the visible
  symbol the page shows for it, inside `<span class="cp-ctrl">`: U+0000-U+001F
  become the Control Pictures U+2400-U+241F (NUL → ␀, BEL → ␇, VT → ␋, FF → ␌,
  ESC → ␛...), DEL (U+007F) becomes ␡ (U+2421), and U+0080-U+009F become the
  text `U+0080`...`U+009F`;
* every other character (letters, punctuation, emoji, combining marks, format
  characters such as U+202E or U+200B, line and paragraph separators U+2028 and
  U+2029, noncharacters) as itself.

The *visible text* of a page is the text of its `.cp-body` element without what
Counterpoint adds (`.cp-apparatus`, `.headerlink`, `.cp-fnref`, `.cp-anchor`),
with block elements and `<br>` read as whitespace, and whitespace (as above)
counted the same way.

* A plain-text original: the visible text equals its characters as shown.
* A Markdown original: the visible text is its characters as shown with only
  allow-listed syntax taken out, and nothing else changed or added: whitespace,
  `#`, `*`, `_`, `[`, the tags `<sup>` and `</sup>`, `](ADDRESS)` and the
  brackets of `<ADDRESS>`, where ADDRESS is the address of a link on the page
  (`has_markdown_syntax_only` below decides it). The number of `*` and `_` taken out is exactly two per
  `<em>` and four per `<strong>` on the page.

*Inert*: every element of `.cp-body` is one Counterpoint emits, with only the
attributes it emits (tests/test_inertness.py::check_body_dom); a plain text has
no author formatting at all; links are the author's own, to http(s) pages only.
*Valid*: the page fragment is well nested and no id is used twice.
"""

from __future__ import annotations

import random
import tempfile
import unicodedata
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from soup import one
from test_fidelity import ADDED_BY_COUNTERPOINT, visible_text
from test_inertness import check_body_dom

from counterpoint.checks import load_checked
from counterpoint.problems import CorpusError
from counterpoint.render.text_page import render_text_page
from counterpoint.site import Site, Urls
from counterpoint.source import SourceError, decode
from sitebuild import build_fixture

# -- the texts ---------------------------------------------------------------------------------------------------

LINK = "https://example.org/a?b=1&c=<2>"
PIECES = [
    # Markdown and HTML punctuation, and what it can make
    "*", "**", "***", "_", "__", "#", "# ", "## ", "###### ", " #", "[", "]", "(", ")", "![", "!",
    f"[words]({LINK.replace('<', '%3C').replace('>', '%3E')})", "](https://example.org/b)", " \"a title\")",
    "<https://example.org/c>", "<", ">", "<sup>", "</sup>", "<sup>2</sup>", "<SUP>", "`", "```", "\\", "\\*",
    "|", "---", "===", "> ", "- ", "1. ", "    ", "&", "&amp;", "&#60;", "&lt;", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "<b>", "</b>", "<!--", "-->", "{{ config }}", "{%", "%}", "--8<--",
    "[^1]", "{: .x onclick=alert(1) }", '"', "'", "javascript:alert(1)", "~~", "==",
    # line ends and spaces
    "\n", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\r\r", "\t", " ", "  ", "  \n", "\u00a0", "\u3000",
    "\u2028", "\u2029", "\u200b",
    # control characters
    "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
    # other scripts and characters
    "سلام عليكم", "שלום", "\u202e", "\u200f", "\u2066", "👍🏽", "👨\u200d👩\u200d👧", "🏳️‍🌈", "e\u0301",
    "\u0301", "\u0338", "日本語", "Ω", "\ufeff", "\ufffd", "\uffff", "\U0010fffd",
]  # fmt: skip

ANY_CHARACTER = st.characters(exclude_categories=["Cs"])
"""Any Unicode scalar value (surrogates cannot be encoded in UTF-8)."""

pieces = st.one_of(
    st.sampled_from(PIECES),
    st.sampled_from(PIECES),
    st.text(alphabet="abc xyz", min_size=1, max_size=12),
    st.text(ANY_CHARACTER, min_size=1, max_size=6),
)
long_lines = st.builds(
    lambda word, n: (word + " ") * n, st.sampled_from(["word", "كلمة", "*x*", "<b>"]), st.integers(200, 1500)
)


@st.composite
def originals(draw: st.DrawFn) -> bytes:
    parts = draw(st.lists(st.one_of(pieces, pieces, pieces, long_lines), min_size=1, max_size=40))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + "".join(parts)).encode("utf-8")


# -- characters as shown, and the visible text -------------------------------------------------------------------


def is_whitespace(char: str) -> bool:
    return char in " \t\r\n" or unicodedata.category(char) == "Zs"


def control_symbol(char: str) -> str:
    """The visible symbol a page shows for a control character (category Cc, not whitespace)."""
    code = ord(char)
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else f"U+{code:04X}"


def count_whitespace_as_one(text: str) -> str:
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if is_whitespace(char):
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return " ".join(words)


def as_shown(original: str) -> str:
    chars = (control_symbol(c) if unicodedata.category(c) == "Cc" and not is_whitespace(c) else c for c in original)
    return count_whitespace_as_one("".join(chars))


def the_visible_text(body: Tag) -> str:
    body = one(BeautifulSoup(str(body), "html.parser"), ".cp-body")

    for added in body.select(ADDED_BY_COUNTERPOINT):
        added.decompose()
    return count_whitespace_as_one(visible_text(body))


SINGLE_SYNTAX = set(" #*_[")


def has_markdown_syntax_only(shown: str, seen: str, addresses: Iterable[str], delimiters: int) -> bool:
    """Whether `seen` is `shown` with only allow-listed Markdown syntax taken out (see the module's docstring).

    `delimiters`: how many `*` and `_` the page's <em> (2 each) and <strong> (4 each) account for.
    """
    if sum(shown.count(c) - seen.count(c) for c in "*_") != delimiters:
        return False
    tails = sorted(
        {
            f"]({space}{open_}{address}{close}{after})"
            for address in addresses
            for space in ("", " ")
            for after in ("", " ")
            for open_, close in (("", ""), ("<", ">"))
        },
        key=len,
        reverse=True,
    )
    tokens = ["<sup>", "</sup>", *tails]
    states, visited = [(0, 0)], {(0, 0)}
    while states:
        i, j = states.pop()
        if i == len(shown) and j == len(seen):
            return True
        following = []
        if i < len(shown):
            if j < len(seen) and shown[i] == seen[j]:
                following.append((i + 1, j + 1))
            if shown[i] in SINGLE_SYNTAX:
                following.append((i + 1, j))
            following.extend((i + len(token), j) for token in tokens if shown.startswith(token, i))
            # An autolink, <ADDRESS>: its brackets go, its address stays as the link's words.
            following.extend(
                (i + len(address) + 2, j + len(address))
                for address in addresses
                if shown.startswith(f"<{address}>", i) and seen.startswith(address, j)
            )
        for state in following:
            if state not in visited:
                visited.add(state)
                states.append(state)
    return False


def first_difference(shown: str, seen: str, context: int = 40) -> str:
    """Where the page first differs from the characters as shown, with some context (for failure messages)."""
    at = next((i for i, (a, b) in enumerate(zip(shown, seen, strict=False)) if a != b), min(len(shown), len(seen)))
    start = max(0, at - context)
    return (
        f"\nfirst difference at character {at} of {len(shown)}:\n"
        f"  characters as shown: {shown[start : at + context]!r}\n"
        f"  page shows:          {seen[start : at + context]!r}"
    )


# -- valid: well nested, ids unique ------------------------------------------------------------------------------

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


class _Nesting(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.extend(value or "" for name, value in attrs if name == "id")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def nesting_errors(html: str) -> list[str]:
    parser = _Nesting()
    parser.feed(html)
    parser.close()
    errors = parser.errors + [f"<{tag}> never closed" for tag in parser.stack]
    repeated = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
    return errors + [f"id used twice: {i!r}" for i in repeated]


# -- the pipeline --------------------------------------------------------------------------------------------------

QUESTIONS = "questions:\n  - id: q\n    question: A question?\n    stances:\n      - id: s\n        label: a stance\n"


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar that only holds printable ASCII."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def write_corpus(folder: Path, slug: str, raw: bytes, fmt: str, quote: str | None = None) -> None:
    texts, annotations = folder / "corpus" / "texts", folder / "corpus" / "annotations"
    texts.mkdir(parents=True, exist_ok=True)
    annotations.mkdir(exist_ok=True)
    (folder / "corpus" / "questions.yml").write_text(QUESTIONS, encoding="utf-8")
    (texts / f"{slug}.txt").write_bytes(raw)
    (texts / f"{slug}.yml").write_text(
        f"source: {slug}.txt\nformat: {fmt}\nslug: {slug}\ntitle: Text {slug}\nsummary: Drawn by Hypothesis.\n"
        f"voices:\n  - id: voice-{slug}\n    name: The voice of {slug}\n",
        encoding="utf-8",
    )
    annotation = annotations / f"{slug}.yml"
    if quote is None:
        annotation.unlink(missing_ok=True)
    else:
        annotation.write_text(
            f"text: {slug}\npassages:\n  - id: passage-{slug}\n    quote: {yaml_string(quote)}\n    occurrence: 1\n"
            "    stances:\n      q: s\n    note: A note.\n",
            encoding="utf-8",
        )


def check_page(html: str, body: Tag, original: str, fmt: str) -> None:
    assert nesting_errors(html) == []
    assert check_body_dom(body, author_markup=fmt == "markdown") == []
    for control in body.select("span.cp-ctrl"):
        code = int(str(control["title"]).removeprefix("control character U+"), 16)
        assert control.get_text() == control_symbol(chr(code))
    shown, seen = as_shown(original), the_visible_text(body)
    if fmt == "text":
        assert seen == shown, first_difference(shown, seen)
        return
    addresses = {str(a["href"]) for a in body.select("a.cp-source-link")}
    assert has_markdown_syntax_only(shown, seen, addresses, emphasis_delimiters(body)), first_difference(shown, seen)


def emphasis_delimiters(body: Tag) -> int:
    """How many `*` and `_` the page's emphasis accounts for: 2 an <em>, 4 a <strong>.

    A passage's mark (and its note's reference after it) may cut one emphasis of the source in two
    (`<em><mark>a</mark></em><sup>1</sup><em>b</em>` for `*ab*` quoted as `a`): two parts with no
    character between them and a mark's edge or an added element at the cut are one emphasis.
    """
    added = {id(node) for node in body.select(ADDED_BY_COUNTERPOINT)}
    count, offset, cut = 0, 0, False
    ended: dict[str, int] = {}

    def walk(node: Tag) -> None:
        nonlocal count, offset, cut
        for child in node.children:
            if not isinstance(child, Tag):
                if type(child) is NavigableString and child:  # comments and the like are not seen
                    offset, cut = offset + len(child), False
                continue
            if id(child) in added:
                cut = True
                continue
            if child.name == "mark":
                cut = True
                walk(child)
                cut = True
                continue
            if child.name not in ("em", "strong"):
                walk(child)
                continue
            continued = cut and ended.get(child.name) == offset
            walk(child)
            count += 0 if continued else (2 if child.name == "em" else 4)
            ended[child.name] = offset

    walk(body)
    return count


def load_and_render(folder: Path, slug: str) -> tuple[str, Tag]:
    checked = load_checked(folder / "corpus")
    html = str(render_text_page(Site(checked.corpus, Urls()), checked.corpus.text_by_slug[slug]).html)
    body = BeautifulSoup(html, "html.parser").select_one(".cp-body")
    assert body is not None
    return html, body


def pick_quote(folder: Path, slug: str, data: st.DataObject) -> str | None:
    """Some words of one paragraph of the loaded text, as an editor would copy them (or None)."""
    text = load_checked(folder / "corpus").corpus.text_by_slug[slug]
    words = [count_whitespace_as_one(b.visible_text) for b in text.blocks if b.is_shown]
    words = [w for w in words if w]
    if not words or not data.draw(st.booleans(), label="annotate"):
        return None
    paragraph = data.draw(st.sampled_from(words), label="paragraph")
    start = data.draw(st.integers(0, len(paragraph) - 1), label="start")
    end = data.draw(st.integers(start + 1, min(len(paragraph), start + 80)), label="end")
    quote = paragraph[start:end].strip()  # YAML values are stripped by the schema, as Python strips
    return quote or None


# -- the properties ------------------------------------------------------------------------------------------------

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(raw=originals(), fmt=st.sampled_from(["text", "markdown"]), data=st.data())
def test_any_text_gives_a_valid_inert_page_showing_exactly_its_characters(
    raw: bytes, fmt: str, data: st.DataObject
) -> None:
    try:
        original = decode(raw)
    except SourceError as error:
        # Only a text of whitespace is refused; it is reported (see test_an_empty_text_is_reported).
        assert error.message.startswith("the original is empty")
        assume(False)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        write_corpus(folder, "drawn", raw, fmt)
        quote = pick_quote(folder, "drawn", data)
        write_corpus(folder, "drawn", raw, fmt, quote)
        check_drawn(folder, original, fmt, quote)


def check_drawn(folder: Path, original: str, fmt: str, quote: str | None) -> None:
    """The drawn text's page shows exactly its characters, and the quote, if any, marked whole."""
    html, body = load_and_render(folder, "drawn")
    check_page(html, body, original, fmt)
    if quote is not None:
        # visible_text: a line break in the marked words (a text's own newline, <br>) is seen as a space.
        marked = "".join(visible_text(m) for m in body.select("mark") if "passage-drawn" in str(m["data-p"]).split())
        assert count_whitespace_as_one(marked) == as_shown(quote)
        assert body.select_one("span.cp-anchor#passage-drawn") is not None
        assert BeautifulSoup(html, "html.parser").select_one("li.cp-fn#fn\\:passage-drawn") is not None


@pytest.mark.parametrize(
    ("raw", "fmt", "quote"),
    [
        # Found by the property above: a quote across a line break of a plain text (the break is a <br>
        # in the mark), and a quote that ends inside an emphasis (its mark and note reference cut the <em>).
        (b"**********<https://example.org/c><SUP>\n*", "text", "**********<https://example.org/c><SUP> *"),
        (b"*<sup>*", "markdown", "<"),
    ],
)
def test_a_quote_across_a_line_break_or_into_an_emphasis(raw: bytes, fmt: str, quote: str) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        write_corpus(folder, "drawn", raw, fmt, quote)
        check_drawn(folder, decode(raw), fmt, quote)


@settings(max_examples=40, deadline=None)
@given(raw=st.text(alphabet=" \t\r\n\u00a0\u2003\u3000\ufeff", max_size=20).map(lambda t: t.encode("utf-8")))
def test_an_empty_text_is_reported(raw: bytes) -> None:
    """A text of whitespace only (or nothing) is an error naming the original, whichever its format."""
    assume(not count_whitespace_as_one(raw.decode("utf-8").removeprefix("\ufeff")))
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        write_corpus(folder, "empty", raw, "markdown")
        with pytest.raises(CorpusError) as caught:
            load_checked(folder / "corpus", folder)
        [problem] = caught.value.problems
        assert problem.file == "corpus/texts/empty.txt"
        assert problem.message.startswith("the original is empty")


# -- the oracle must be able to fail -------------------------------------------------------------------------------


def test_the_markdown_oracle_refuses_a_lost_or_changed_character() -> None:
    shown = "# A *b* [c](https://x.org) <sup>2</sup> d_e"
    link = ["https://x.org"]
    assert has_markdown_syntax_only(shown, "A b c 2 d_e", link, 2)
    assert not has_markdown_syntax_only(shown, "A b c 2 de", link, 2)  # a `_` that was not syntax
    assert not has_markdown_syntax_only(shown, "A b c 2 d_e", [], 2)  # an address gone without a link
    assert not has_markdown_syntax_only(shown, "A b c sup2 d_e", link, 2)  # part of a tag
    assert not has_markdown_syntax_only(shown, "A b x c 2 d_e", link, 2)  # something added
    assert not has_markdown_syntax_only(shown, "A b c 2 d e", link, 2)  # something changed
    assert not has_markdown_syntax_only("a\u2028b", "ab", [], 0)
    assert has_markdown_syntax_only("a <https://x.org> b", "a https://x.org b", link, 0)
    assert not has_markdown_syntax_only("a <https://x.org> b", "a https://x.org b", [], 0)


def test_characters_as_shown() -> None:
    assert as_shown(" a\r\n\r\nb\tc\x07\x85\x7f\u2028 \u00a0 ") == "a b c␇U+0085␡\u2028"
    assert as_shown("x\x00\x0b\x0cy") == "x␀␋␌y"


# -- end to end: real builds ---------------------------------------------------------------------------------------


def drawn_text(rng: random.Random) -> bytes:
    """A text drawn from the same pieces, without Hypothesis (a fixed seed, for a reproducible build)."""
    parts = [
        rng.choice(PIECES) if rng.random() < 0.7 else "".join(rng.choice("abc xyz") for _ in range(6))
        for _ in range(400)
    ]
    parts.insert(rng.randrange(len(parts)), "long " * 2000)
    return ("\ufeff" + "".join(parts) + " end").encode("utf-8")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_drawn_texts_build_into_valid_inert_pages_showing_exactly_their_characters(fmt: str, tmp_path: Path) -> None:
    rng = random.Random(f"counterpoint-{fmt}")
    fixture = tmp_path / "fixture"
    slugs = [f"drawn-{n}" for n in range(3)]
    originals_by_slug = {}
    for slug in slugs:
        raw = drawn_text(rng)
        originals_by_slug[slug] = decode(raw)
        write_corpus(fixture, slug, raw, fmt)
        text = load_checked(fixture / "corpus").corpus.text_by_slug[slug]
        longest = max((b for b in text.blocks if b.is_shown), key=lambda b: len(b.visible_text))
        words = count_whitespace_as_one(longest.visible_text)
        write_corpus(fixture, slug, raw, fmt, words[len(words) // 3 : len(words) // 3 + 40].strip())
    built = build_fixture(fixture, tmp_path)
    assert built.ok, built.log
    for slug in slugs:
        html = built.html(f"texts/{slug}/")
        page = BeautifulSoup(html, "html.parser")
        body = page.select_one(".cp-body")
        assert body is not None
        check_page(str(body), body, originals_by_slug[slug], fmt)
        ids = [str(e["id"]) for e in page.select("[id]")]
        assert len(ids) == len(set(ids))
        assert page.select_one(f"span.cp-anchor#passage-{slug}") is not None
