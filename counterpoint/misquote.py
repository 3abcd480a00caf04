"""A quote that is not in the text: the closest stretch of it, and how the two differ, for the editor.

The search itself (counterpoint.anchoring) only says whether and where the words occur; when they
do not, this module finds the paragraph stretch that comes closest (also what `counterpoint
requote` offers to write back) and words the difference: the words marked as `git diff
--word-diff` marks them, invisible characters named, the first departure of a long quote shown.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .problems import LISTED
from .source import is_space

if TYPE_CHECKING:  # anchoring imports this module for its messages; the search's Document is only a type here
    from .anchoring import Document

SHORT_QUOTE = 64
"""Up to this many characters, the closest text is searched in every paragraph (rapidfuzz aligns a
quote this short in time linear in the paragraph); a longer one only where its rarest words are."""
ANCHOR_BUDGET = 20_000
"""Occurrences of a long quote's words looked at to find where it may be (its rarest words first)."""
ALIGNED_PLACES = 8
"""A long quote is aligned at most at this many places, those sharing the most words with it."""


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
    """For each paragraph that may hold it, its stretch closest to `exact` (whole words), the closest first.

    A short quote is aligned against every paragraph. A long one is aligned only where its words
    say it may be: rapidfuzz's alignment of a long quote costs the quote's length squared times the
    paragraph's (minutes for a paragraph of 32 KB), so each occurrence of the quote's rarest words
    votes for where the quote would start and end, and the stretches most voted for are compared.
    """
    found = _closest_short(document, exact) if len(exact) <= SHORT_QUOTE else _closest_long(document, exact)
    # The closest first; between equals, the earlier paragraph (as the check has always shown it).
    return sorted(found, key=lambda c: (-c.score, c.block))


def _closest_short(document: Document, exact: str) -> list[Closest]:
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
    return found


def _closest_long(document: Document, exact: str) -> list[Closest]:
    starts, numbers = document.word_index()
    if not starts:
        return []
    tokens = exact.split(" ")
    last = len(tokens) - 1
    in_quote: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        in_quote.setdefault(token, []).append(i)
    # The rarest words first: they say the most about where the quote is, and cost the least.
    present = sorted((len(numbers[t]) * len(at), t) for t, at in in_quote.items() if t in numbers)
    votes: dict[int, int] = {}
    spent = 0
    for cost, token in present:
        if spent and spent + cost > ANCHOR_BUDGET:
            break
        spent += cost
        for number in numbers[token][:ANCHOR_BUDGET]:
            for i in in_quote[token]:
                votes[number - i] = votes.get(number - i, 0) + 1
    picked: list[int] = []
    for first, _count in sorted(votes.items(), key=lambda item: (-item[1], item[0])):
        if all(abs(first - other) > last // 2 for other in picked):
            picked.append(first)
            if len(picked) == ALIGNED_PLACES:
                break
    slack = 8 + last // 4
    best: dict[int, Closest] = {}
    for first in picked:
        # Most words vote for one start; a word added or left out shifts those after it by one, so the
        # ends are set by the quote's own first and last words found near where the votes expect them.
        first_word = _end_word(numbers, tokens, range(min(8, len(tokens))), first, slack, 0)
        first_word = min(max(first_word, 0), len(starts) - 1)
        last_word = _end_word(numbers, tokens, range(last, max(-1, last - 8), -1), first_word, slack, last)
        last_word = min(max(last_word, first_word), len(starts) - 1)
        block = document.block_at(starts[first_word])
        block_start = document.starts[block]
        block_end = block_start + len(document.normalized[block].text)
        start = starts[first_word]
        end = min(block_end, _word_end(document.text, starts[last_word]))
        if end <= start:
            continue
        stretch = document.text[start:end]
        candidate = Closest(fuzz.ratio(exact, stretch), block, start, end, stretch)
        if block not in best or candidate.score > best[block].score:
            best[block] = candidate
    return list(best.values())


def _end_word(
    numbers: dict[str, array[int]], tokens: list[str], order: range, first: int, slack: int, target: int
) -> int:
    """The word number of the quote's word `target`, from the first word in `order` found near its place."""
    for i in order:
        occurrences = numbers.get(tokens[i])
        if not occurrences:
            continue
        expected = first + i
        at = bisect_right(occurrences, expected)
        near = [n for n in occurrences[max(0, at - 1) : at + 1] if abs(n - expected) <= slack]
        if near:
            return min(near, key=lambda n: abs(n - expected)) + target - i
    return first + target


def _word_end(text: str, start: int) -> int:
    end = text.find(" ", start)
    return len(text) if end == -1 else end


def hidden_characters(text: str) -> list[tuple[int, str]]:
    """(position from 1, name) of each character that shows nothing (format characters: zero-width
    spaces and joiners, soft hyphens, bidi controls, byte order marks), which make two strings look alike."""
    return [
        (position, f"U+{ord(char):04X} {unicodedata.name(char, 'an unnamed format character')}")
        for position, char in enumerate(text, start=1)
        if unicodedata.category(char) == "Cf"
    ]


def hidden_note(label: str, text: str) -> str:
    hidden = hidden_characters(text)
    if not hidden:
        return ""
    listed = ", ".join(f"{name} at character {position}" for position, name in hidden[:LISTED])
    more = f" and {len(hidden) - LISTED:,} more" if len(hidden) > LISTED else ""
    return (
        f"{label} holds {'an invisible character' if len(hidden) == 1 else 'invisible characters'}: {listed}{more}.\n"
    )


def quoted(text: str, limit: int = 160) -> str:
    """`text` in curly quotes, cut to `limit` characters with “…”."""
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


_TOKEN = re.compile(r"(\s*)(\w+|[^\w\s])")
"""A word or a single other character (punctuation), with the space before it."""
DIFF_CONTEXT = 5
"""Unchanged words shown on each side of a difference; longer runs between differences are cut to “…”."""
DIFF_GROUPS = 8
"""At most this many differences are marked; a quote that differs more is better compared whole."""


def marked_difference(exact: str, text: str) -> str:
    """The closest text with the quote's differing words marked, in plain text (a terminal shows it, and the
    browser's problems panel): [-only in the quote-]{+only in the text+}, as `git diff --word-diff` marks them.

    Words and punctuation are compared one by one, so a comma or a letter's case is marked where it differs.
    """
    quote = [(m.group(1), m.group(2)) for m in _TOKEN.finditer(exact)]
    found = [(m.group(1), m.group(2)) for m in _TOKEN.finditer(text)]
    opcodes = difflib.SequenceMatcher(None, [w for _, w in quote], [w for _, w in found], autojunk=False).get_opcodes()
    changes = [op for op in opcodes if op[0] != "equal"]
    if not changes:
        return ""

    def joined(tokens: list[tuple[str, str]], leading: bool) -> str:
        words = "".join(space + word for space, word in tokens)
        return words if leading else words.lstrip()

    out: list[str] = []
    shown = 0
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            run = found[j1:j2]
            head = run[:DIFF_CONTEXT] if number else []
            tail = run[-DIFF_CONTEXT:] if number < len(opcodes) - 1 else []
            if len(run) > len(head) + len(tail) + 1:
                out.append(joined(head, bool(out)) + (" …" if head else "…") + joined(tail, True))
            else:
                out.append(joined(run, bool(out)))
            continue
        if shown == DIFF_GROUPS:
            out.append(f" … ({len(changes) - shown} more differences)")
            break
        shown += 1
        removed, added = quote[i1:i2], found[j1:j2]
        space = (added or removed)[0][0] if out else ""
        marked = (f"[-{joined(removed, False)}-]" if removed else "") + (
            f"{{+{joined(added, False)}+}}" if added else ""
        )
        out.append((" " if space else "") + marked)
    return f"Where they differ ([-only in the quote-]{{+only in the text+}}):\n    {''.join(out)}\n"


def percent(score: float) -> str:
    """The similarity in whole percent; a quote that is not in the text is never shown as 100% similar."""
    return "99" if 99 < score < 100 and round(score) == 100 else f"{score:.0f}"


def first_difference(exact: str, text: str, around: int = 24) -> str:
    """Where a long quote first departs from its closest text (in a quote of pages, a word is hard to spot)."""
    if len(exact) <= 160 or exact == text:
        return ""
    at = next((i for i, (a, b) in enumerate(zip(exact, text, strict=False)) if a != b), min(len(exact), len(text)))

    def piece(words: str) -> str:
        start, end = max(0, at - around), min(len(words), at + around)
        return ("…" if start else "") + words[start:end] + ("…" if end < len(words) else "")

    return (
        f"They first differ at character {at + 1:,} of the quote, which has {quoted(piece(exact))} "
        f"where the text has {quoted(piece(text))}.\n"
    )
