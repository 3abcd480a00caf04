"""Markdown originals lose no character: what the property tests found, pinned as examples.

tests/test_property_pipeline.py found each of these; they were bugs of the
Markdown path only (a plain text always kept these characters):

* NUL became U+FFFD (markdown-it replaces it before parsing);
* control characters and line/paragraph separators at the ends of a paragraph
  or heading vanished (markdown-it-py strips them with Python's str.strip());
* a link's title was dropped with the link: its words were not shown anywhere;
* a link with no words (`[](https://…)`) showed nothing, and its address was lost;
* a line of Unicode spaces only (no-break space...) made an empty, numbered paragraph.
"""

from __future__ import annotations

import pytest

from counterpoint.model import Link
from counterpoint.render.verbatim import render_runs
from counterpoint.source import parse_markdown


def texts(markdown: str) -> list[str]:
    return ["".join(r.text for r in block.runs) for block in parse_markdown(markdown)]


def test_nul_is_kept_and_shown_as_its_symbol() -> None:
    (block,) = parse_markdown("a\x00b")
    assert "".join(r.text for r in block.runs) == "a\x00b"
    assert "␀" in render_runs(block.runs)


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\u2028", "\u2029"])
def test_characters_at_the_ends_of_a_paragraph_or_heading_are_kept(char: str) -> None:
    assert texts(f"{char}a{char}") == [f"{char}a{char}"]
    (heading,) = parse_markdown(f"# {char}a{char}")
    assert heading.heading_level == 1
    assert "".join(r.text for r in heading.runs) == f"{char}a{char}"


def test_formatting_still_works_next_to_kept_characters() -> None:
    (block,) = parse_markdown("\x1c*a* [b](https://x.org)\x1c")
    assert [(r.text, r.styles) for r in block.runs] == [
        ("\x1c", ()),
        ("a", ("em",)),
        (" ", ()),
        ("b", (Link("https://x.org"),)),
        ("\x1c", ()),
    ]


@pytest.mark.parametrize(
    "markdown",
    [
        '[words](https://x.org "a title")',
        "[words](https://x.org 'a title')",
        "[words](https://x.org (a title))",
        "a [](https://x.org) b",
        "a [ ](https://x.org) b",
        "[words](https://x.org/\x1c)",
        "<https://x.org/\x1c>",
        "[words](https://x.org/\u2028)",
    ],
)
def test_a_link_that_would_hide_characters_stays_as_written(markdown: str) -> None:
    (block,) = parse_markdown(markdown)
    assert all(not any(isinstance(s, Link) for s in r.styles) for r in block.runs)
    assert "".join(r.text for r in block.runs) == markdown


def test_a_link_with_its_words_and_no_title_is_a_link() -> None:
    assert [(r.text, r.styles) for r in parse_markdown("[words]( https://x.org )")[0].runs] == [
        ("words", (Link("https://x.org"),))
    ]


def test_a_line_of_unicode_spaces_is_blank_as_in_a_plain_text() -> None:
    assert texts("a\n\n\u00a0\u3000\n\nb") == ["a", "b"]
    assert texts("\u00a0\n\n# \u00a0") == ["#"]
