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
        "Where they differ ([-only in the quote-]{+only in the text+}):",
        "    Soleimani was [-never an-]{+no+} anti-imperialist{+.+}",
        "Copy the words exactly as the page shows them; line breaks, runs of spaces and formatting do not matter.",
    ]


def test_a_misquote_marks_the_words_and_the_punctuation_that_differ() -> None:
    failure = failed(document(TEXT), Selector("the strike was an act, of war"))
    assert "    [-the-]{+The+} strike was an act[-,-] of war{+.+}" in failure.hint.splitlines()


def test_a_long_misquote_marks_only_its_differences_with_some_words_around() -> None:
    from counterpoint.misquote import DIFF_CONTEXT

    words = _words(300, seed=5)
    doc = document("Before it.\n\n" + " ".join(words) + "\n")
    misquote = " ".join([*words[:100], "inserted", *words[100:200], *words[201:]])
    lines = failed(doc, Selector(misquote)).hint.splitlines()
    marked = lines[lines.index("Where they differ ([-only in the quote-]{+only in the text+}):") + 1]
    context = " ".join(words[100 - DIFF_CONTEXT : 100])
    assert marked == (
        f"    … {context} [-inserted-] {' '.join(words[100 : 100 + DIFF_CONTEXT])} … "
        f"{' '.join(words[200 - DIFF_CONTEXT : 200])} {{+{words[200]}+}} {' '.join(words[201 : 201 + DIFF_CONTEXT])} …"
    )


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


# -- hostile sizes and hidden characters (issue 18: items 2, 7, 8) -----------------------------------------------


def _words(count: int, seed: int = 7) -> list[str]:
    import random

    rng = random.Random(seed)
    return ["".join(rng.choice("abcdefghijklmnop") for _ in range(rng.randint(2, 9))) for _ in range(count)]


def test_a_long_misquote_is_aligned_where_its_words_are_and_shown_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # rapidfuzz's alignment of a quote as long as its paragraph takes minutes (cubic): it is used only
    # for short quotes. The closest text must still be the whole passage, as the editor would paste it back.
    from rapidfuzz import fuzz

    from counterpoint import misquote

    aligned = fuzz.partial_ratio_alignment

    def short_only(quote: str, text: str) -> object:
        assert len(quote) <= misquote.SHORT_QUOTE, "a long quote was aligned against a whole paragraph"
        return aligned(quote, text)

    monkeypatch.setattr(fuzz, "partial_ratio_alignment", short_only)  # the module misquote calls
    words = _words(1200)
    paragraph = " ".join(words)
    respelt = " ".join([*words[:600], "RESPELT", *words[601:]])
    doc = document("Before it.\n\n" + paragraph + "\n\nAfter it.\n")
    from counterpoint.misquote import closest

    best = closest(doc, respelt)[0]
    assert best.text == paragraph
    assert best.score > 99
    failure = failed(doc, Selector(respelt))
    assert failure.hint.startswith("Closest text (¶2, line 3, 99% similar)")  # never 100% for a misquote
    at = len(" ".join(words[:600])) + 2
    assert f"They first differ at character {at:,} of the quote, which has “…" in failure.hint
    first = next(line for line in failure.hint.splitlines() if line.startswith("They first differ"))
    assert "RESPELT" in first and words[600] in first
    assert f" [-RESPELT-]{{+{words[600]}+}} " in failure.hint  # and marked among the words around it


def test_a_long_misquote_with_a_word_added_and_one_left_out_is_found_whole() -> None:
    from counterpoint.misquote import closest

    words = _words(400, seed=3)
    paragraph = " ".join(words)
    misquote = " ".join([*words[:100], "added", *words[100:300], *words[301:]])
    best = closest(document(paragraph + "\n"), misquote)[0]
    assert best.text == paragraph


def test_many_quotes_are_found_through_the_word_index_as_by_searching() -> None:
    from counterpoint import anchoring

    words = _words(3000, seed=5)
    text = " ".join(words[:1500]) + "\n\n" + " ".join(words[1500:] + words[:40]) + "\n"
    quotes = [" ".join(words[i : i + 4]) for i in range(0, 3000, 7)] + ["a b", words[3], " ".join(words[10:14]) + "x"]
    by_search = [anchoring._find_all(document(text).text, collapse(q)) for q in quotes]
    indexed = document(text)
    # As if searched whole often enough (and over enough characters) that the index now pays.
    indexed._scans = max(anchoring.SCANS_BEFORE_INDEX, anchoring.SCANNED_BEFORE_INDEX // len(indexed.text) + 1)
    assert [indexed.find_all(collapse(q)) for q in quotes[:1]] == by_search[:1]
    assert indexed._word_starts is not None  # the first quote was found through the index
    assert [indexed.find_all(collapse(q)) for q in quotes] == by_search


def test_a_text_of_a_few_pages_is_searched_whole_for_each_of_its_quotes() -> None:
    from counterpoint import anchoring

    words = _words(1000, seed=3)
    searched = document(" ".join(words) + "\n")
    quotes = [" ".join(words[i : i + 5]) for i in range(0, 1000, 25)]
    assert [searched.find_all(collapse(q)) for q in quotes] == [
        anchoring._find_all(searched.text, collapse(q)) for q in quotes
    ]
    assert searched._word_starts is None  # forty searches of a few kB cost less than indexing it


def test_an_ambiguous_quote_lists_ten_places_and_says_how_many_more() -> None:
    doc = document(" ".join(["one two"] * 5000) + "\n")
    failure = failed(doc, Selector("one two one"))
    assert failure.message == "the quote is ambiguous: it occurs 4,999 times."
    lines = failure.hint.splitlines()
    assert len(lines) == 13 and lines[11] == "and 4,989 more."
    prefixed = failed(doc, Selector("one two one", prefix="three"))
    assert prefixed.hint.count(";") == 10 and "and 4,989 more" in prefixed.hint
    past = failed(doc, Selector("one two one", occurrence=6000))
    assert past.hint.endswith("; and 4,989 more.")


def test_prefix_and_suffix_are_checked_at_the_place_not_on_the_whole_text() -> None:
    doc = document(" ".join(["x"] * 2000) + " before q after\n")
    _, visible = found(doc, Selector("q", prefix="before", suffix="after"))
    assert visible == "q"
    _match, visible = found(doc, Selector("x", prefix="x x", suffix="before"))
    assert visible == "x"


@pytest.mark.parametrize(
    ("hidden", "name"),
    [
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ],
)
def test_a_misquote_names_the_invisible_character_that_makes_it_differ(hidden: str, name: str) -> None:
    failure = failed(document(TEXT), Selector(f"Soleimani was no anti-imp{hidden}erialist"))
    assert f"The quote holds an invisible character: {name} at character 26." in failure.hint
    in_text = document(TEXT.replace("anti-imperialist", f"anti-imp{hidden}erialist"))
    failure = failed(in_text, Selector("Soleimani was no anti-imperialist"))
    assert f"The closest text holds an invisible character: {name} at character 26." in failure.hint
