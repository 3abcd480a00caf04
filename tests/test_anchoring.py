"""Finding a quote in a text: insensitive to whitespace, line breaks and formatting; exact otherwise."""

from __future__ import annotations

import pytest

from counterpoint.anchoring import Document, Failure, Match, Selector, collapse, locate
from counterpoint.model import Block, Role
from counterpoint.source import parse

TEXT = """\
The strike was an act of war.
It was an act
of war indeed.

Soleimani   was no anti-imperialist.\u00a0Far from it.
"""

MARKDOWN = """\
# The *head*

The strike was an act of war.

*Soleimani* was **no** [anti-imperialist](https://example.org).
"""


def document(source: str, fmt: str = "text") -> Document:
    """Blocks numbered as the reader numbers them: paragraphs ¶1, ¶2…, headings not."""
    blocks = []
    number = 0
    for index, raw in enumerate(parse(source, fmt)):
        if not raw.heading_level:
            number += 1
        blocks.append(
            Block(
                index=index,
                first_line=raw.first_line,
                last_line=raw.last_line,
                runs=raw.runs,
                role=Role.HEADING if raw.heading_level else Role.PARAGRAPH,
                heading_level=raw.heading_level,
                voice="v",
                anchor=f"b{index}",
                number=None if raw.heading_level else number,
            )
        )
    return Document(blocks)


def found(doc: Document, selector: Selector) -> tuple[Match, str]:
    """The match and the visible characters it covers."""
    result = locate(doc, selector)
    assert isinstance(result, Match), result
    return result, doc.blocks[result.block_index].visible_text[result.start : result.end]


def failed(doc: Document, selector: Selector) -> Failure:
    result = locate(doc, selector)
    assert isinstance(result, Failure), result
    return result


def test_collapse_makes_every_run_of_whitespace_one_space() -> None:
    assert collapse("  a \t b\n\nc\u00a0\u2003d  ") == "a b c d"


def test_an_exact_quote_is_found_with_its_context() -> None:
    match, visible = found(document(TEXT), Selector("Far from it."))
    assert visible == "Far from it."
    assert (match.block_index, match.exact, match.suffix) == (1, "Far from it.", "")
    assert match.prefix == "n act of war indeed. Soleimani was no anti-imperialist. "[-32:]


def test_whitespace_and_line_breaks_do_not_matter() -> None:
    doc = document(TEXT)
    _, visible = found(doc, Selector("act\n  of    war indeed"))
    assert visible == "act\nof war indeed"
    _, visible = found(doc, Selector("Soleimani was no anti-imperialist. Far"))
    assert visible == "Soleimani   was no anti-imperialist.\u00a0Far"


def test_formatting_does_not_matter() -> None:
    doc = document(MARKDOWN, "markdown")
    match, visible = found(doc, Selector("Soleimani was no anti-imperialist."))
    assert match.block_index == 2 and visible == "Soleimani was no anti-imperialist."
    _, visible = found(doc, Selector("The head"))
    assert visible == "The head"


def test_markup_characters_are_not_part_of_the_visible_text() -> None:
    failure = failed(document(MARKDOWN, "markdown"), Selector("*Soleimani* was **no**"))
    assert failure.message == "the quote is not in the text."


def test_an_ambiguous_quote_lists_every_place() -> None:
    failure = failed(document(TEXT), Selector("an act of war"))
    assert failure.message == "the quote is ambiguous: it occurs 2 times."
    assert failure.hint.splitlines() == [
        "It occurs at:",
        "1. ¶1, line 1: The strike was [an act of war]. It was an act of war indeed.",
        "2. ¶1, line 2: …trike was an act of war. It was [an act of war] indeed.",
        "Add `prefix:` (the words just before) or `suffix:` (just after), or `occurrence: 2` for the second place.",
    ]


@pytest.mark.parametrize(
    "selector",
    [
        Selector("an act of war", suffix="indeed"),
        Selector("an act of war", prefix="It was"),
        Selector("an act of war", occurrence=2),
        Selector("an act of war", prefix="was", occurrence=2),
        Selector("an act of war", prefix="It\nwas ", suffix="  indeed."),
    ],
)
def test_prefix_suffix_and_occurrence_pick_one_place(selector: Selector) -> None:
    match, visible = found(document(TEXT), selector)
    assert visible == "an act\nof war"
    assert match.suffix.startswith(" indeed.")


def test_a_prefix_that_never_matches_says_where_the_words_are() -> None:
    failure = failed(document(TEXT), Selector("an act of war", prefix="Then it was"))
    assert failure.message == "the quote occurs 2 time(s) but never with the given prefix/suffix."
    assert failure.hint.startswith("The words occur at: ¶1, line 1, after “The strike was ”; ¶1, line 2, after ")


def test_an_occurrence_past_the_last_place_is_an_error() -> None:
    failure = failed(document(TEXT), Selector("an act of war", occurrence=3))
    assert failure.message == "`occurrence: 3` asks for place 3, but the quote occurs only 2 time(s)."
    assert failure.hint == "Places: ¶1, line 1; ¶1, line 2."


def test_overlapping_quotes_are_each_found() -> None:
    doc = document(TEXT)
    first, _ = found(doc, Selector("Soleimani was no anti-imperialist"))
    second, _ = found(doc, Selector("no anti-imperialist. Far from it"))
    nested, _ = found(doc, Selector("anti-imperialist"))
    assert first.block_index == second.block_index == nested.block_index
    assert first.start < second.start < first.end < second.end
    assert second.start < nested.start < nested.end <= first.end


def test_a_quote_spanning_two_paragraphs_is_an_error() -> None:
    failure = failed(document(TEXT), Selector("indeed. Soleimani"))
    assert failure.message == ("the quote runs across paragraphs (¶1 to ¶2); a passage must lie within one paragraph.")
    failure = failed(document(MARKDOWN, "markdown"), Selector("head The strike"))
    assert failure.message.startswith("the quote runs across paragraphs (the heading to ¶1)")


def test_a_quote_not_found_shows_the_closest_text_with_its_paragraph_and_line() -> None:
    failure = failed(document(TEXT), Selector("Soleimani was never an anti-imperialist"))
    assert failure.message == "the quote is not in the text."
    assert failure.hint.splitlines() == [
        "Closest text (¶2, line 5, 89% similar):",
        "    “Soleimani was no anti-imperialist.”",
        "Copy the words exactly as the page shows them; line breaks, runs of spaces and formatting do not matter.",
    ]


def test_the_closest_text_names_the_line_inside_a_paragraph() -> None:
    failure = failed(document(TEXT), Selector("war indeeed."))
    assert failure.hint.startswith("Closest text (¶1, line 3, ")
    assert "“war indeed.”" in failure.hint


def test_a_quote_with_nothing_close_says_so() -> None:
    failure = failed(document(TEXT), Selector("zzzz qqqq xxxx"))
    assert failure.message == "the quote is not in the text, and nothing in it comes close."


def test_an_empty_quote_is_an_error() -> None:
    assert failed(document(TEXT), Selector(" \n ")).message == "the quote is empty."


@pytest.mark.parametrize("text", ["", "  ", " a ", "a\u00a0\u00a0b", "\ta\n\nb c\u3000", "x\r\ny", "a\u2028b"])
def test_collapse_keeps_words_and_makes_each_run_of_space_one(text: str) -> None:
    from counterpoint.anchoring import normalize
    from counterpoint.source import is_space

    normalized = normalize(text)
    words = "".join(" " if is_space(c) else c for c in text).split(" ")
    assert normalized.text == " ".join(w for w in words if w)
    assert all(
        normalized.text[i] == (" " if is_space(text[o]) else text[o]) for i, o in enumerate(normalized.to_visible)
    )


@pytest.mark.parametrize("text", ["", "  ", " a ", "a\u00a0\u00a0b", "\ta\n\nb c\u3000", "x\r\ny", "a\u2028b"])
def test_collapse_is_the_text_of_normalize(text: str) -> None:
    from counterpoint.anchoring import normalize

    assert collapse(text) == normalize(text).text
