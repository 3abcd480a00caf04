"""Finding an annotation's quote in a text, as a W3C TextQuoteSelector would.

A quote is matched against the text the reader sees: Markdown syntax is not
part of it, and line breaks and runs of spaces count as one space. `prefix` and
`suffix` (the words just before and after) or `occurrence` (1 for the first
place, 2 for the second...) pick one place when the words occur more than once.
When nothing matches, the closest stretch of text is found (counterpoint.misquote)
so that the editor can see what changed.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import overload

from . import misquote
from .model import Block
from .problems import LISTED
from .source import SPACES

CONTEXT = 32
"""Characters of context kept on each side of a quote (for export and for messages)."""
SCANS_BEFORE_INDEX = 16
"""After this many whole-text searches in one document, its words are indexed: a text with many
passages is then searched word by word, not once per quote from end to end."""
SCANNED_BEFORE_INDEX = 1_000_000
"""...and once those searches have read this many characters: indexing costs some five hundred times
a search per character (a Python loop over the words against str.find), so a text of a few pages is
searched whole for each of its twenty quotes (a thousand such texts: 0.7 s of indexing saved)."""


class VisibleOffsets(Sequence[int]):
    """For each character of a collapsed text, its offset in the text it was made from.

    Kept word by word (where each word starts on either side, and its length), not character by
    character: a tuple of one Python int per character took some forty bytes per character of the
    corpus (two gigabytes for a text of 50 MB).
    """

    def __init__(self, collapsed_starts: array[int], visible_starts: array[int], lengths: array[int]) -> None:
        self._collapsed = collapsed_starts
        self._visible = visible_starts
        self._lengths = lengths
        self._length = collapsed_starts[-1] + lengths[-1] if lengths else 0

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        word = bisect_right(self._collapsed, index) - 1
        into = index - self._collapsed[word]
        # Past a word's last character is the space collapsed after it, which stands at the
        # first character of the run of whitespace it replaces: where the word ends.
        return self._visible[word] + min(into, self._lengths[word])


@dataclass(frozen=True)
class Normalized:
    """A text with each run of whitespace collapsed to one space, and the way back."""

    text: str
    to_visible: Sequence[int]
    """For each character of `text`, its offset in the text it was made from."""

    def visible_span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_visible[start], self.to_visible[end - 1] + 1


_WORD = re.compile(f"[^{re.escape(''.join(sorted(SPACES)))}]+")
"""A run of characters between whitespace (as `is_space` defines it)."""


def normalize(text: str) -> Normalized:
    # Most paragraphs have nothing to collapse (single spaces, none at either end): their offsets
    # are their own, and a range says so without a Python loop over their words (the 18,357
    # paragraphs of a thousand texts: 0.56-0.74 CPU-s before, 0.28-0.36 now; the regex is the rest).
    collapsed = " ".join(_WORD.findall(text))
    if collapsed == text:
        return Normalized(text, range(len(text)))
    # Word by word rather than character by character: each quote and paragraph of the corpus
    # goes through here, and the offsets of a word are one range.
    words: list[str] = []
    collapsed_starts = array("q")
    visible_starts = array("q")
    lengths = array("q")
    position = 0
    for word in _WORD.finditer(text):
        start, end = word.span()
        words.append(word.group())
        collapsed_starts.append(position)
        visible_starts.append(start)
        lengths.append(end - start)
        position += end - start + 1
    return Normalized(" ".join(words), VisibleOffsets(collapsed_starts, visible_starts, lengths))


def collapse(text: str) -> str:
    """`normalize(text).text`, without the offsets."""
    return " ".join(_WORD.findall(text))


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str | None = None
    suffix: str | None = None
    occurrence: int | None = None


@dataclass(frozen=True)
class Match:
    block_index: int
    """Index into the text's blocks (Block.index)."""
    start: int
    end: int
    """Offsets into the block's visible text."""
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Failure:
    message: str
    hint: str


@dataclass(frozen=True)
class Place:
    """Where words are, or could be, in a Document: what `describe`, `snippet` and `context` take."""

    start: int
    end: int
    """Offsets into the document string."""


class Document:
    """The shown blocks of one text, joined with a space, for searching."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = list(blocks)
        self.normalized = [normalize(block.visible_text) for block in self.blocks]
        starts: list[int] = []
        position = 0
        for norm in self.normalized:
            starts.append(position)
            position += len(norm.text) + 1
        self.starts = starts
        self.text = " ".join(n.text for n in self.normalized)
        self._scans = 0
        self._word_starts: array[int] | None = None
        self._word_numbers: dict[str, array[int]] = {}

    def word_index(self) -> tuple[array[int], dict[str, array[int]]]:
        """Where each word of the text starts, and each distinct word's numbers (in order): built once."""
        if self._word_starts is None:
            # Arrays of machine integers: a list of Python ints would take five times the memory
            # (a 50 MB text has some eight million words).
            starts = array("q")
            numbers: dict[str, array[int]] = {}
            for number, word in enumerate(_WORD.finditer(self.text)):
                starts.append(word.start())
                found = numbers.get(word.group())
                if found is None:
                    numbers[word.group()] = found = array("q")
                found.append(number)
            self._word_starts, self._word_numbers = starts, numbers
        return self._word_starts, self._word_numbers

    def find_all(self, exact: str) -> list[int]:
        """Every offset of `exact` (collapsed) in the text, overlapping ones included, in order.

        A quote of three words or more holds a whole word between two spaces; once the text has
        been searched often enough to pay for an index, only the places of the rarest such word
        are compared, so that many quotes cost about their own length each, not the text's.
        """
        tokens = exact.split(" ")
        if len(tokens) < 3 or (
            self._word_starts is None
            and (self._scans < SCANS_BEFORE_INDEX or self._scans * len(self.text) < SCANNED_BEFORE_INDEX)
        ):
            self._scans += 1
            return _find_all(self.text, exact)
        starts, numbers = self.word_index()
        offsets = []
        offset = len(tokens[0]) + 1
        for token in tokens[1:-1]:
            offsets.append((len(numbers.get(token, ())), offset, token))
            offset += len(token) + 1
        count, offset, rarest = min(offsets)
        if not count:
            return []
        found = []
        for number in numbers[rarest]:
            start = starts[number] - offset
            if start >= 0 and self.text.startswith(exact, start):
                found.append(start)
        return found

    def block_at(self, position: int) -> int:
        """Index (into self.blocks) of the block holding document position `position`."""
        return bisect_right(self.starts, position) - 1

    def describe(self, place: Place) -> str:
        i = self.block_at(place.start)
        block = self.blocks[i]
        return f"{_paragraph(block)}, line {_line_at(block, self.normalized[i], place.start - self.starts[i])}"

    def snippet(self, place: Place) -> str:
        """The place in its context, bracketed, with “…” only where the paragraph goes on."""
        before, after = self.context(place)
        i = self.block_at(place.start)
        start, end = self.starts[i], self.starts[i] + len(self.normalized[i].text)
        head = "…" if place.start - len(before) > start else ""
        tail = "…" if place.end + len(after) < end else ""
        return f"{head}{before}[{self.text[place.start : place.end]}]{after}{tail}"

    def context(self, place: Place) -> tuple[str, str]:
        """Up to CONTEXT characters before and after `place`, within its paragraph."""
        i = self.block_at(place.start)
        start, end = self.starts[i], self.starts[i] + len(self.normalized[i].text)
        return self.text[max(start, place.start - CONTEXT) : place.start], self.text[
            place.end : min(end, place.end + CONTEXT)
        ]


def _paragraph(block: Block) -> str:
    return f"¶{block.number}" if block.number is not None else "the heading"


def _line_at(block: Block, norm: Normalized, offset: int) -> int:
    if not norm.to_visible:
        return block.first_line
    visible = norm.to_visible[min(offset, len(norm.to_visible) - 1)]
    position = 0
    for run in block.runs:
        if position + len(run.text) > visible:
            return run.line
        position += len(run.text)
    return block.last_line


def _find_all(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    start = haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def _listed(places: Sequence[Place], describe: Callable[[Place], str], separator: str) -> str:
    """The first LISTED places described, then how many more (a message stays short whatever the text)."""
    shown = separator.join(describe(place) for place in places[:LISTED])
    more = len(places) - LISTED
    return shown + (f"{separator}and {more:,} more" if more > 0 else "")


def _ends_with(text: str, end: int, prefix: str) -> bool:
    """Whether `prefix` ends at `end`, or just before the one space there (the text is collapsed)."""
    if end > 0 and text[end - 1].isspace():
        end -= 1
    return text.endswith(prefix, 0, end)


def _starts_with(text: str, start: int, suffix: str) -> bool:
    if start < len(text) and text[start].isspace():
        start += 1
    return text.startswith(suffix, start)


def locate(document: Document, selector: Selector) -> Match | Failure:
    exact = collapse(selector.exact)
    if not exact:
        return Failure("the quote is empty.", "Copy the words of the passage into `quote`.")
    places = [Place(s, s + len(exact)) for s in document.find_all(exact)]
    within = [p for p in places if document.block_at(p.start) == document.block_at(p.end - 1)]
    if places and not within:
        first = document.blocks[document.block_at(places[0].start)]
        last = document.blocks[document.block_at(places[0].end - 1)]
        return Failure(
            f"the quote runs across paragraphs ({_paragraph(first)} to {_paragraph(last)}); "
            "a passage must lie within one paragraph.",
            "Split it into one passage per paragraph, or quote the sentence that carries the claim.",
        )
    candidates = within
    if selector.prefix is not None:
        prefix = collapse(selector.prefix)
        candidates = [p for p in candidates if _ends_with(document.text, p.start, prefix)]
    if selector.suffix is not None:
        suffix = collapse(selector.suffix)
        candidates = [p for p in candidates if _starts_with(document.text, p.end, suffix)]
    if not within:
        return _not_found(document, exact)
    if not candidates:
        return Failure(
            f"the quote occurs {len(within)} time(s) but never with the given prefix/suffix.",
            "The words occur at: "
            + _listed(
                within, lambda p: f"{document.describe(p)}, after {misquote.quoted(document.context(p)[0])}", "; "
            )
            + ".\nCorrect `prefix`/`suffix` to the words just before/after the place you mean.",
        )
    chosen = _chosen(document, candidates, selector.occurrence)
    if isinstance(chosen, Failure):
        return chosen
    index = document.block_at(chosen.start)
    norm = document.normalized[index]
    offset = document.starts[index]
    start, end = norm.visible_span(chosen.start - offset, chosen.end - offset)
    before, after = document.context(chosen)
    return Match(document.blocks[index].index, start, end, exact, before, after)


def _chosen(document: Document, candidates: list[Place], occurrence: int | None) -> Place | Failure:
    """The one place among those the quote and its prefix/suffix match, or why there is not one."""
    if occurrence is not None:
        if occurrence > len(candidates):
            return Failure(
                f"`occurrence: {occurrence}` asks for place {occurrence}, "
                f"but the quote occurs only {len(candidates)} time(s).",
                "Places: " + _listed(candidates, document.describe, "; ") + ".",
            )
        return candidates[occurrence - 1]
    if len(candidates) > 1:
        lines = [
            f"{number}. {document.describe(place)}: {document.snippet(place)}"
            for number, place in enumerate(candidates[:LISTED], start=1)
        ]
        if len(candidates) > LISTED:
            lines.append(f"and {len(candidates) - LISTED:,} more.")
        return Failure(
            f"the quote is ambiguous: it occurs {len(candidates):,} times.",
            "It occurs at:\n"
            + "\n".join(lines)
            + "\nAdd `prefix:` (the words just before) or `suffix:` (just after), or `occurrence: 2` for the second place.",
        )
    return candidates[0]


def _not_found(document: Document, exact: str) -> Failure:
    candidates = misquote.closest(document, exact)
    hint = "Copy the words exactly as the page shows them; line breaks, runs of spaces and formatting do not matter."
    hidden = misquote.hidden_note("The quote", exact)
    if not candidates or candidates[0].score < 40:
        return Failure("the quote is not in the text, and nothing in it comes close.", hidden + hint)
    best = candidates[0]
    place = Place(best.start, best.end)
    return Failure(
        "the quote is not in the text.",
        f"Closest text ({document.describe(place)}, {misquote.percent(best.score)}% similar):\n    {misquote.quoted(best.text, 400)}\n"
        + misquote.marked_difference(exact, best.text)
        + hidden
        + misquote.hidden_note("The closest text", best.text)
        + misquote.first_difference(exact, best.text)
        + hint,
    )
