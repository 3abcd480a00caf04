"""Finding an annotation's quote in a text, as a W3C TextQuoteSelector would.

A quote is matched against the text the reader sees: Markdown syntax is not
part of it, and line breaks and runs of spaces count as one space. `prefix` and
`suffix` (the words just before and after) or `occurrence` (1 for the first
place, 2 for the second...) pick one place when the words occur more than once.
When nothing matches, the closest stretch of text is found so that the editor
can see what changed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .model import Block
from .source import SPACES, is_space

CONTEXT = 32
"""Characters of context kept on each side of a quote (for export and for messages)."""


@dataclass(frozen=True)
class Normalized:
    """A text with each run of whitespace collapsed to one space, and the way back."""

    text: str
    to_visible: tuple[int, ...]
    """For each character of `text`, its offset in the text it was made from."""

    def visible_span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_visible[start], self.to_visible[end - 1] + 1


_WORD = re.compile(f"[^{re.escape(''.join(sorted(SPACES)))}]+")
"""A run of characters between whitespace (as `is_space` defines it)."""


def normalize(text: str) -> Normalized:
    # Word by word rather than character by character: each quote and paragraph of the corpus
    # goes through here, and the offsets of a word are one range.
    chars: list[str] = []
    offsets: list[int] = []
    previous_end = 0
    for word in _WORD.finditer(text):
        start, end = word.span()
        if chars:
            chars.append(" ")
            offsets.append(previous_end)  # the collapsed space stands at the run's first character
        chars.append(word.group())
        offsets.extend(range(start, end))
        previous_end = end
    return Normalized("".join(chars), tuple(offsets))


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
class _Place:
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

    def block_at(self, position: int) -> int:
        """Index (into self.blocks) of the block holding document position `position`."""
        return bisect_right(self.starts, position) - 1

    def describe(self, place: _Place) -> str:
        i = self.block_at(place.start)
        block = self.blocks[i]
        return f"{_paragraph(block)}, line {_line_at(block, self.normalized[i], place.start - self.starts[i])}"

    def snippet(self, place: _Place) -> str:
        """The place in its context, bracketed, with “…” only where the paragraph goes on."""
        before, after = self.context(place)
        i = self.block_at(place.start)
        start, end = self.starts[i], self.starts[i] + len(self.normalized[i].text)
        head = "…" if place.start - len(before) > start else ""
        tail = "…" if place.end + len(after) < end else ""
        return f"{head}{before}[{self.text[place.start : place.end]}]{after}{tail}"

    def context(self, place: _Place) -> tuple[str, str]:
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


def _quoted(text: str, limit: int = 160) -> str:
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def locate(document: Document, selector: Selector) -> Match | Failure:
    exact = collapse(selector.exact)
    if not exact:
        return Failure("the quote is empty.", "Copy the words of the passage into `quote`.")
    places = [_Place(s, s + len(exact)) for s in _find_all(document.text, exact)]
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
        candidates = [p for p in candidates if document.text[: p.start].rstrip().endswith(prefix)]
    if selector.suffix is not None:
        suffix = collapse(selector.suffix)
        candidates = [p for p in candidates if document.text[p.end :].lstrip().startswith(suffix)]
    if not within:
        return _not_found(document, exact)
    if not candidates:
        return Failure(
            f"the quote occurs {len(within)} time(s) but never with the given prefix/suffix.",
            "The words occur at: "
            + "; ".join(f"{document.describe(p)}, after {_quoted(document.context(p)[0])}" for p in within)
            + ".\nCorrect `prefix`/`suffix` to the words just before/after the place you mean.",
        )
    if selector.occurrence is not None:
        if selector.occurrence > len(candidates):
            return Failure(
                f"`occurrence: {selector.occurrence}` asks for place {selector.occurrence}, "
                f"but the quote occurs only {len(candidates)} time(s).",
                "Places: " + "; ".join(document.describe(p) for p in candidates) + ".",
            )
        chosen = candidates[selector.occurrence - 1]
    elif len(candidates) > 1:
        lines = []
        for number, place in enumerate(candidates, start=1):
            lines.append(f"{number}. {document.describe(place)}: {document.snippet(place)}")
        return Failure(
            f"the quote is ambiguous: it occurs {len(candidates)} times.",
            "It occurs at:\n"
            + "\n".join(lines)
            + "\nAdd `prefix:` (the words just before) or `suffix:` (just after), or `occurrence: 2` for the second place.",
        )
    else:
        chosen = candidates[0]
    index = document.block_at(chosen.start)
    norm = document.normalized[index]
    offset = document.starts[index]
    start, end = norm.visible_span(chosen.start - offset, chosen.end - offset)
    before, after = document.context(chosen)
    return Match(document.blocks[index].index, start, end, exact, before, after)


@dataclass(frozen=True)
class Closest:
    """The stretch of one paragraph that comes closest to a quote that is not in the text."""

    score: float
    """How similar, 0-100 (rapidfuzz's partial ratio: the quote against its best alignment in the paragraph)."""
    block: int
    """Index into document.blocks."""
    start: int
    end: int
    """Offsets into the document string, widened to whole words."""
    text: str
    """The words there, as the reader sees them (whitespace as single spaces)."""


def closest(document: Document, exact: str) -> list[Closest]:
    """For each paragraph, its stretch closest to `exact` (widened to whole words), the closest first."""
    found: list[Closest] = []
    for i, norm in enumerate(document.normalized):
        if not norm.text:
            continue
        alignment = fuzz.partial_ratio_alignment(exact, norm.text)
        if alignment is None:
            continue
        text, start, end = norm.text, alignment.dest_start, alignment.dest_end
        # Widen the closest stretch to whole words so it can be pasted back.
        while start > 0 and not is_space(text[start - 1]):
            start -= 1
        while end < len(text) and not is_space(text[end]):
            end += 1
        offset = document.starts[i]
        found.append(Closest(alignment.score, i, offset + start, offset + end, text[start:end]))
    # The closest first; between equals, the earlier paragraph (as the check has always shown it).
    return sorted(found, key=lambda c: (-c.score, c.block))


def _not_found(document: Document, exact: str) -> Failure:
    candidates = closest(document, exact)
    hint = "Copy the words exactly as the page shows them; line breaks, runs of spaces and formatting do not matter."
    if not candidates or candidates[0].score < 40:
        return Failure("the quote is not in the text, and nothing in it comes close.", hint)
    best = candidates[0]
    place = _Place(best.start, best.end)
    return Failure(
        "the quote is not in the text.",
        f"Closest text ({document.describe(place)}, {best.score:.0f}% similar):\n    {_quoted(best.text, 400)}\n"
        + hint,
    )
