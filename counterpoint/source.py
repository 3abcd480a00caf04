"""From the bytes of an original text to blocks of verbatim runs.

Two formats exist. In a plain-text source every character is literal. In a
Markdown source only an allow-list of its author's own formatting is honoured
(emphasis, strong emphasis, ATX headings, <sup> superscripts, links to http(s)
pages); everything else, raw HTML, images, footnotes, tables, attribute lists,
includes, code blocks, stays literal text. Nothing here produces HTML: the
output is data, and the renderer escapes every character of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link
from markdown_it.token import Token

from .model import Link, Run, Style

LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""Line ends as editors count them; Unicode separators like U+2028 stay in the line."""


class SourceError(Exception):
    def __init__(self, line: int | None, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


SPACES = frozenset(
    "\t\n \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
"""Whitespace between words: tab, line feed, space and the other Unicode space separators (Zs).
Written out, not looked up character by character: anchoring builds a regular expression from them,
and every character of the corpus is tested (tests/test_source.py checks them against unicodedata)."""


def is_space(char: str) -> bool:
    """Whitespace between words (one of SPACES)."""
    return char in SPACES


def strip_spaces(text: str) -> str:
    start, end = 0, len(text)
    while start < end and is_space(text[start]):
        start += 1
    while end > start and is_space(text[end - 1]):
        end -= 1
    return text[start:end]


def decode(raw: bytes) -> str:
    """The source as text; invalid UTF-8 and empty sources are errors, a BOM is dropped."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(
            1,
            "the file is in UTF-16, not UTF-8.",
            "Convert it to UTF-8, e.g. `iconv -f utf-16 -t utf-8 old.txt > new.txt`, "
            "then check that its characters survived.",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, message = describe_bad_utf8(raw, error)
        raise SourceError(
            line,
            message,
            "The file was probably saved in another encoding, such as Windows-1252 or Latin-1. Convert it to "
            "UTF-8, e.g. `iconv -f windows-1252 -t utf-8 old.txt > new.txt`, then check that its characters survived.",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not strip_spaces(text.replace("\r", "\n")):
        raise SourceError(
            None,
            "the original is empty: the file holds no text, only blank lines or spaces."
            if text
            else "the original is empty: the file has no content.",
            "Put the original text in this file, byte for byte as received, or remove its edition.",
        )
    return text


def describe_bad_utf8(raw: bytes, error: UnicodeDecodeError) -> tuple[int, str]:
    """(line, message) for the first byte of `raw` that is not UTF-8, with the words just before it."""
    lines = LINE_BREAK.split(raw[: error.start].decode("utf-8", "replace"))
    line_start = lines[-1]
    shown = line_start[-24:]
    where = (
        f"after “{'…' if len(shown) < len(line_start) else ''}{shown}”" if shown.strip() else "at the start of the line"
    )
    return len(lines), (
        f"the file is not valid UTF-8: byte 0x{raw[error.start]:02X} (column {len(line_start) + 1}, {where}) "
        "is not a UTF-8 character."
    )


def split_lines(text: str) -> list[str]:
    return LINE_BREAK.split(text)


@dataclass(frozen=True)
class RawBlock:
    first_line: int
    last_line: int
    runs: tuple[Run, ...]
    heading_level: int = 0


# ---------------------------------------------------------------------------
# Plain text


def parse_text(text: str) -> list[RawBlock]:
    """Blocks are runs of non-blank lines; each line keeps its break, minus its indentation."""
    blocks: list[RawBlock] = []
    current: list[Run] = []
    first = 0
    for number, line in enumerate(split_lines(text), start=1):
        content = strip_spaces(line)
        if not content:
            if current:
                blocks.append(RawBlock(first, number - 1, tuple(current)))
                current = []
            continue
        if current:
            current.append(Run("\n", (), number, is_break=True))
        else:
            first = number
        current.append(Run(content, (), number))
    if current:
        blocks.append(RawBlock(first, first + sum(1 for r in current if r.is_break), tuple(current)))
    return blocks


# ---------------------------------------------------------------------------
# Markdown, through an allow-list

_SUP = re.compile(r"<sup>([^<>\n]{1,200})</sup>")


def _superscript(state: StateInline, silent: bool) -> bool:
    """Honour `<sup>text</sup>` (exactly that form, plain text inside) and no other HTML."""
    if state.src[state.pos] != "<":
        return False
    match = _SUP.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("sup_open", "sup", 1)
        token = state.push("text", "", 0)
        token.content = match.group(1)
        state.push("sup_close", "sup", -1)
    state.pos = match.end()
    return True


def _image_stays_literal(state: StateInline, silent: bool) -> bool:
    """Keep `![alt](url)` as its characters: the link rule must not turn it into a link.

    The whole image is consumed at once (found by markdown-it's own image rule,
    silently), so that an enclosing `[...](...)` cannot end its label inside it
    and link to the image's address.
    """
    if not state.src.startswith("![", state.pos):
        return False
    start = state.pos
    if not image(state, True):
        state.pos = start + 2
    if not silent:
        state.pending += state.src[start : state.pos]
    return True


_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _escape_stays_literal(state: StateInline, silent: bool) -> bool:
    """Keep a backslash escape (`\\*`) as its two characters, and keep the escaped one from acting as markup.

    Escapes are not on the allow-list, so the backslash is shown; the character the
    author escaped must not then become an emphasis delimiter or a link bracket.
    """
    src, pos = state.src, state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax or src[pos + 1] not in _ASCII_PUNCTUATION:
        return False
    if not silent:
        state.pending += src[pos : pos + 2]
    state.pos += 2
    return True


def _link_as_written(state: StateInline, silent: bool) -> bool:
    """Keep `[` literal when the link it opens would hide some of what the author wrote.

    A title (`[words](https://… "title")`) would not be shown, and a link with no
    words (`[](https://…)`) would show nothing at all: both stay as their characters.
    Any other link is left to markdown-it's link rule.
    """
    src, start = state.src, state.pos
    if src[start] != "[" or not link(state, True):
        state.pos = start
        return False
    end, state.pos = state.pos, start
    label_end = state.md.helpers.parseLinkLabel(state, start, True)
    inside = src[label_end + 2 : end - 1]  # between "(" and ")"
    position = len(inside) - len(inside.lstrip(" \t\n"))
    destination = state.md.helpers.parseLinkDestination(inside, position, len(inside))
    titled = not destination.ok or inside[destination.pos :].strip(" \t\n") != ""
    if not titled and strip_spaces(src[start + 1 : label_end]):
        return False
    if not silent:
        state.pending += "["
    state.pos = start + 1
    return True


_STRIPPED_BY_MARKDOWN_IT = frozenset(
    c for c in map(chr, range(0x10000)) if c == "\0" or (c.isspace() and not is_space(c) and c not in "\r\n")
)
"""Characters markdown-it-py would lose: NUL (made U+FFFD) and those Python's str.strip() takes off the
ends of a paragraph or heading although they are not spaces between words (\\x0b, \\x0c, \\x1c-\\x1f,
\\x85, U+2028, U+2029). They are swapped for private-use placeholders while markdown-it parses."""


def _markdown_parser(placeholders: frozenset[str] = frozenset()) -> MarkdownIt:
    md = MarkdownIt("zero").enable(["heading", "emphasis", "link", "newline", "autolink"])

    def allowed_link(url: str) -> bool:
        # A link's address never holds a control character or a line separator: such a "link" stays text.
        return _allowed_link(url) and not (placeholders and set(unquote(url)) & placeholders)

    md.validateLink = allowed_link  # type: ignore[method-assign]
    md.inline.ruler.before("emphasis", "escape_literal", _escape_stays_literal)
    md.inline.ruler.before("link", "image_literal", _image_stays_literal)
    md.inline.ruler.before("link", "superscript", _superscript)
    md.inline.ruler.before("link", "link_as_written", _link_as_written)
    return md


def _allowed_link(url: str) -> bool:
    return url.lower().startswith(("http://", "https://")) and not any(c.isspace() or c in "<>\"'" for c in url)


_MARKDOWN = _markdown_parser()


def _runs_from_inline(children: Sequence[Token], first_line: int) -> list[Run]:
    runs: list[Run] = []
    styles: list[Style] = []
    line = first_line
    for token in children:
        kind = token.type
        if kind == "text" and token.content:
            runs.append(Run(token.content, tuple(styles), line))
            line += token.content.count("\n")  # an image kept literal may span lines
        elif kind in ("em_open", "strong_open", "sup_open"):
            styles.append(kind.removesuffix("_open"))
        elif kind == "link_open":
            styles.append(Link(str(token.attrs["href"])))
        elif kind in ("em_close", "strong_close", "sup_close", "link_close"):
            styles.pop()
        elif kind == "softbreak":
            line += 1
            runs.append(Run(" ", tuple(styles), line))
        elif kind == "hardbreak":
            line += 1
            runs.append(Run("\n", tuple(styles), line, is_break=True))
        elif kind == "text":
            continue
        else:  # pragma: no cover - the allow-list produces no other token
            raise AssertionError(f"unexpected Markdown token {kind}")
    return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        if last and not last.is_break and not run.is_break and last.styles == run.styles and last.line == run.line:
            merged[-1] = Run(last.text + run.text, last.styles, last.line)
        else:
            merged.append(run)
    return merged


def _protect(text: str) -> tuple[str, dict[str, str], MarkdownIt]:
    """`text` with the characters markdown-it would lose swapped for placeholders; the way back; the parser."""
    found = sorted(set(text) & _STRIPPED_BY_MARKDOWN_IT)
    if not found:
        return text, {}, _MARKDOWN
    present = set(text)
    free = (chr(c) for c in range(0xF0000, 0x110000) if chr(c) not in present)
    swap = {char: next(free) for char in found}
    back = {placeholder: char for char, placeholder in swap.items()}
    return text.translate({ord(c): p for c, p in swap.items()}), back, _markdown_parser(frozenset(back))


def _restore(runs: list[Run], back: dict[str, str]) -> list[Run]:
    if not back:
        return runs
    table = {ord(p): c for p, c in back.items()}
    return [Run(r.text.translate(table), r.styles, r.line, r.is_break) for r in runs]


def parse_markdown(text: str) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    protected, back, parser = _protect(text)
    tokens = parser.parse(protected)
    for index, token in enumerate(tokens):
        if token.type != "inline" or token.map is None:
            continue
        opener = tokens[index - 1]
        level = int(opener.tag[1]) if opener.type == "heading_open" else 0
        first, end = token.map
        runs = _restore(_runs_from_inline(token.children or [], first + 1), back)
        if not strip_spaces("".join(r.text for r in runs)):
            # A heading marker with nothing after it ("#") has no words: show its
            # characters as a paragraph rather than an empty heading. Lines of
            # Unicode spaces only are blank, as in a plain text: no paragraph.
            line = strip_spaces(split_lines(text)[first])
            if not line:
                continue
            runs, level = [Run(line, (), first + 1)], 0
        blocks.append(RawBlock(first + 1, end, tuple(runs), level))
    return blocks


def parse(text: str, fmt: str) -> list[RawBlock]:
    return parse_markdown(text) if fmt == "markdown" else parse_text(text)
