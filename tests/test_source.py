"""From an original's bytes to blocks of runs: decoding, plain text, and the Markdown allow-list."""

from __future__ import annotations

import pytest

from counterpoint.model import Link, Run
from counterpoint.source import RawBlock, SourceError, decode, parse, parse_markdown, parse_text, split_lines


def _texts(blocks: list[RawBlock]) -> list[str]:
    return ["".join(r.text for r in b.runs) for b in blocks]


# ---------------------------------------------------------------------------
# Decoding


def test_decode_drops_a_bom_and_keeps_everything_else() -> None:
    assert decode("\ufeffSalām — “quoted”\r\n".encode()) == "Salām — “quoted”\r\n"
    assert decode(b"no bom") == "no bom"


def test_invalid_utf8_is_an_error_naming_the_line_and_byte() -> None:
    with pytest.raises(SourceError) as caught:
        decode(b"first\nsecond\r\nthird \xe9t\xe9\n")
    assert caught.value.line == 3
    assert caught.value.message == (
        "the file is not valid UTF-8: byte 0xE9 (column 7, after “third ”) is not a UTF-8 character."
    )
    assert "iconv -f windows-1252 -t utf-8" in caught.value.hint


def test_invalid_utf8_counts_cr_only_line_ends() -> None:
    with pytest.raises(SourceError) as caught:
        decode(b"one\rtwo\r\xff")
    assert caught.value.line == 3


@pytest.mark.parametrize("raw", [b"", b"\xef\xbb\xbf", b"  \n\t\r\n\r", "\u00a0\u2003\n".encode()])
def test_an_empty_text_is_an_error(raw: bytes) -> None:
    with pytest.raises(SourceError) as caught:
        decode(raw)
    assert caught.value.line is None
    assert caught.value.message.startswith("the original is empty: the file ")


def test_split_lines_counts_every_kind_of_line_end_and_nothing_else() -> None:
    assert split_lines("a\r\nb\rc\nd\u2028e") == ["a", "b", "c", "d\u2028e"]


# ---------------------------------------------------------------------------
# Plain text


def test_plain_text_blocks_are_runs_of_non_blank_lines_with_their_line_numbers() -> None:
    text = "Title\n\n\nFirst line\n  second line, indented  \n\n\tLast\n"
    blocks = parse_text(text)
    assert [(b.first_line, b.last_line) for b in blocks] == [(1, 1), (4, 5), (7, 7)]
    assert blocks[1].runs == (
        Run("First line", (), 4),
        Run("\n", (), 5, is_break=True),
        Run("second line, indented", (), 5),
    )
    assert _texts(blocks) == ["Title", "First line\nsecond line, indented", "Last"]
    assert all(b.heading_level == 0 for b in blocks)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_plain_text_line_numbers_do_not_depend_on_line_ends(newline: str) -> None:
    text = newline.join(["one", "", "two", "three", "", "", "four"]) + newline
    blocks = parse_text(text)
    assert [(b.first_line, b.last_line) for b in blocks] == [(1, 1), (3, 4), (7, 7)]
    assert _texts(blocks) == ["one", "two\nthree", "four"]


def test_plain_text_is_every_character_literal() -> None:
    text = "# not a heading *not em* <b>not bold</b> [not](https://a.link) &amp; {{ x }}\n    not code"
    blocks = parse(text, "text")
    assert _texts(blocks) == ["# not a heading *not em* <b>not bold</b> [not](https://a.link) &amp; {{ x }}\nnot code"]
    assert all(not run.styles for block in blocks for run in block.runs)


def test_a_line_of_unicode_spaces_separates_blocks_and_other_separators_stay() -> None:
    blocks = parse_text("one\n\u00a0\u3000\ntwo\u2028still two\u200b")
    assert _texts(blocks) == ["one", "two\u2028still two\u200b"]


# ---------------------------------------------------------------------------
# Markdown: only the allow-list


def _runs(markdown: str) -> list[tuple[str, tuple[object, ...]]]:
    (block,) = parse_markdown(markdown)
    return [(r.text, r.styles) for r in block.runs]


def test_markdown_emphasis_strong_and_nesting() -> None:
    assert _runs("a *b* __c__ _d_ **e *f* g**") == [
        ("a ", ()),
        ("b", ("em",)),
        (" ", ()),
        ("c", ("strong",)),
        (" ", ()),
        ("d", ("em",)),
        (" ", ()),
        ("e ", ("strong",)),
        ("f", ("strong", "em")),
        (" g", ("strong",)),
    ]


def test_markdown_intraword_underscores_stay() -> None:
    assert _runs("snake_case_word") == [("snake_case_word", ())]


@pytest.mark.parametrize(("markdown", "level", "text"), [("# One", 1, "One"), ("### Three ###", 3, "Three")])
def test_markdown_atx_headings(markdown: str, level: int, text: str) -> None:
    (block,) = parse_markdown(markdown)
    assert block.heading_level == level
    assert _texts([block]) == [text]


def test_a_lone_heading_marker_is_shown_as_its_character() -> None:
    (block,) = parse_markdown("#")
    assert block.heading_level == 0 and _texts([block]) == ["#"]


def test_markdown_superscript_exactly_that_form() -> None:
    assert _runs("2<sup>nd</sup> <sup class=x>3</sup> <SUP>4</SUP> <sup>a<b</sup>") == [
        ("2", ()),
        ("nd", ("sup",)),
        (" <sup class=x>3</sup> <SUP>4</SUP> <sup>a<b</sup>", ()),
    ]


def test_markdown_links_to_web_pages_only() -> None:
    assert _runs("[a](https://example.org/x?y=1) [b](HTTP://EXAMPLE.ORG) <https://example.org/auto>") == [
        ("a", (Link("https://example.org/x?y=1"),)),
        (" ", ()),
        ("b", (Link("HTTP://EXAMPLE.ORG"),)),
        (" ", ()),
        ("https://example.org/auto", (Link("https://example.org/auto"),)),
    ]
    literal = "[j](javascript:alert(1)) [m](mailto:a@b.c) [r](/relative) [f](#frag) <javascript:alert(1)> [d](data:x)"
    assert _runs(literal) == [(literal, ())]


def test_markdown_link_text_keeps_its_formatting() -> None:
    href = Link("https://example.org")
    assert _runs("[*a* b](https://example.org)") == [("a", (href, "em")), (" b", (href,))]


def test_markdown_images_are_literal_and_never_links() -> None:
    assert _runs("see ![alt](https://x.org/i.png) here") == [("see ![alt](https://x.org/i.png) here", ())]
    # The image inside a link stays literal; the link the author wrote around it keeps its own address.
    assert _runs("[![alt](https://x.org/i.png)](https://x.org/page)") == [
        ("![alt](https://x.org/i.png)", (Link("https://x.org/page"),))
    ]


def test_markdown_backslash_escapes_are_literal_and_take_no_part_in_markup() -> None:
    assert _runs(r"\*not em\* \[not a link\](https://x.org) \# \\") == [
        (r"\*not em\* \[not a link\](https://x.org) \# \\", ())
    ]
    assert _runs(r"\\*em*") == [("\\\\", ()), ("em", ("em",))]


@pytest.mark.parametrize(
    "markdown",
    [
        "<b>bold</b> <script>alert(1)</script> <!-- c -->",
        "`code` ~~strike~~ ==mark== &amp; &#60; [^1] {: .x }",
        "> not a quote",
        "- not a list",
        "1. not a list",
        "| a | b |",
        "***",
        "--8<-- 'file'",
        "{{ config }} {% raw %}",
    ],
)
def test_markdown_everything_else_is_literal(markdown: str) -> None:
    assert _runs(markdown) == [(markdown, ())]


def test_markdown_code_blocks_setext_and_tables_are_literal_paragraphs() -> None:
    blocks = parse_markdown("```\nfenced\n```\n\n    indented\n\nTitle\n=====\n\n| a |\n|---|\n| 1 |\n")
    assert _texts(blocks) == ["``` fenced ```", "indented", "Title =====", "| a | |---| | 1 |"]
    assert all(not run.styles for block in blocks for run in block.runs)
    assert all(b.heading_level == 0 for b in blocks)


def test_markdown_line_numbers_and_breaks() -> None:
    blocks = parse_markdown("\n\n# Head\n\nsoft\nbreak\n\nhard  \nbreak\n")
    assert [(b.first_line, b.last_line, b.heading_level) for b in blocks] == [(3, 3, 1), (5, 6, 0), (8, 9, 0)]
    assert blocks[1].runs == (Run("soft", (), 5), Run(" break", (), 6))
    assert blocks[2].runs == (Run("hard", (), 8), Run("\n", (), 9, is_break=True), Run("break", (), 9))


def test_markdown_line_numbers_with_crlf() -> None:
    blocks = parse_markdown("one\r\ntwo\r\n\r\nthree\r\n")
    assert [(b.first_line, b.last_line) for b in blocks] == [(1, 2), (4, 4)]


def test_markdown_line_numbers_after_a_literal_image_spanning_lines() -> None:
    (block,) = parse_markdown("x ![a\nb](https://x.org/i.png) y\nz")
    assert block.runs == (Run("x ![a\nb](https://x.org/i.png) y", (), 1), Run(" z", (), 3))


def test_the_written_out_spaces_are_space_tab_line_feed_and_every_unicode_space_separator() -> None:
    import unicodedata

    from counterpoint.source import SPACES

    expected = {c for c in map(chr, range(0x110000)) if c in " \t\n" or unicodedata.category(c) == "Zs"}
    assert expected == SPACES
