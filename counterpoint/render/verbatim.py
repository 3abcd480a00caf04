"""The author's words as HTML: every character escaped, formatting from the allow-list only.

Passages may overlap or nest. The block is cut at every run and passage
boundary; each piece is wrapped in its formatting, then in one <mark> naming
every passage that covers it. A passage starts with an empty anchor element
(its id, the link target) and ends with its footnote marker(s).
"""

from __future__ import annotations

import html
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Link, Run, Style


@dataclass(frozen=True)
class Highlight:
    passage_id: str
    start: int
    end: int
    marker_html: str = ""
    """Footnote marker placed right after the passage (already HTML)."""
    linked: bool = True
    """False for a passage no other voice's passage is linked to: it is shown more quietly."""


def escape_text(text: str) -> str:
    """HTML-escape, showing control characters as visible symbols rather than dropping them."""
    if text.isprintable() or all(c.isprintable() or c in "\t\n" for c in text):
        return html.escape(text, quote=False)
    parts = []
    for char in text:
        if char in "\t\n" or char.isprintable():
            parts.append(html.escape(char, quote=False))
        elif unicodedata.category(char) == "Cc":
            code = ord(char)
            symbol = chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else f"U+{code:04X}"
            parts.append(f'<span class="cp-ctrl" title="control character U+{code:04X}">{symbol}</span>')
        else:
            # Format characters (bidi controls, zero-width joiners...) and unassigned code
            # points are kept as they are: they are part of the text.
            parts.append(html.escape(char, quote=False))
    return "".join(parts)


def _open(style: Style) -> str:
    if isinstance(style, Link):
        href = html.escape(style.href, quote=True)
        return f'<a class="cp-source-link" href="{href}" rel="nofollow noopener noreferrer">'
    return f"<{style}>"


def _close(style: Style) -> str:
    return "</a>" if isinstance(style, Link) else f"</{style}>"


@dataclass(frozen=True)
class _Mark:
    ids: tuple[str, ...]


Frame = Style | _Mark


@dataclass(frozen=True)
class _Cuts:
    """Where a block is cut: every run and passage boundary, with the passages starting and ending there."""

    boundaries: list[int]
    run_starts: list[int]
    starts: dict[int, list[Highlight]]
    ends: dict[int, list[Highlight]]
    order: dict[str, int]
    """A passage's rank by where it starts (the longer first): the order of anchors, markers and mark ids."""


def _cut(runs: Sequence[Run], highlights: Sequence[Highlight]) -> _Cuts:
    run_starts = []
    position = 0
    for run in runs:
        run_starts.append(position)
        position += len(run.text)
    cuts = {0, position, *run_starts}
    starts: dict[int, list[Highlight]] = defaultdict(list)
    ends: dict[int, list[Highlight]] = defaultdict(list)
    for h in highlights:
        cuts.update((h.start, h.end))
        starts[h.start].append(h)
        ends[h.end].append(h)
    order = {h.passage_id: i for i, h in enumerate(sorted(highlights, key=lambda h: (h.start, -h.end)))}
    return _Cuts(sorted(cuts), run_starts, starts, ends, order)


class _Writer:
    """The HTML written so far and the elements still open at its end (the run's styles, then at most one mark)."""

    def __init__(self, linked: dict[str, bool]) -> None:
        self.out: list[str] = []
        self.stack: list[Frame] = []
        self.linked = linked

    def close_to(self, depth: int) -> None:
        while len(self.stack) > depth:
            frame = self.stack.pop()
            self.out.append("</mark>" if isinstance(frame, _Mark) else _close(frame))

    def close_mark(self) -> None:
        if self.stack and isinstance(self.stack[-1], _Mark):
            self.close_to(len(self.stack) - 1)

    def wrap_in(self, wanted: list[Frame]) -> None:
        """Close what is open beyond the frames it shares with `wanted`, then open the rest of `wanted`."""
        common = 0
        while common < len(self.stack) and common < len(wanted) and self.stack[common] == wanted[common]:
            common += 1
        self.close_to(common)
        for frame in wanted[common:]:
            if isinstance(frame, _Mark):
                depth = min(len(frame.ids), 3)
                quiet = "" if any(self.linked[pid] for pid in frame.ids) else " cp-hl-quiet"
                self.out.append(
                    f'<mark class="cp-hl cp-hl-{depth}{quiet}" data-p="{html.escape(" ".join(frame.ids))}">'
                )
            else:
                self.out.append(_open(frame))
            self.stack.append(frame)


def render_runs(runs: Sequence[Run], highlights: Sequence[Highlight] = ()) -> str:
    cuts = _cut(runs, highlights)
    order = cuts.order
    writer = _Writer({h.passage_id: h.linked for h in highlights})
    run_index = 0
    boundaries = cuts.boundaries
    for a, b in zip(boundaries, [*boundaries[1:], None], strict=True):
        # Passages ending here get their markers; passages starting here get their anchors.
        if cuts.ends.get(a):
            writer.close_to(0)  # a marker is a link: it must not end up inside the author's own link
        elif cuts.starts.get(a):
            writer.close_mark()
        for h in sorted(cuts.ends.get(a, []), key=lambda h: order[h.passage_id]):
            writer.out.append(h.marker_html)
        for h in sorted(cuts.starts.get(a, []), key=lambda h: order[h.passage_id]):
            writer.out.append(f'<span class="cp-anchor" id="{html.escape(h.passage_id)}"></span>')
        if b is None or a == b:
            continue
        while run_index + 1 < len(runs) and cuts.run_starts[run_index + 1] <= a:
            run_index += 1
        run = runs[run_index]
        covering = tuple(
            sorted((h.passage_id for h in highlights if h.start <= a and h.end >= b), key=lambda pid: order[pid])
        )
        writer.wrap_in(list(run.styles) + ([_Mark(covering)] if covering else []))
        if run.is_break:
            writer.out.append("<br>")
        else:
            offset = a - cuts.run_starts[run_index]
            writer.out.append(escape_text(run.text[offset : offset + (b - a)]))
    writer.close_to(0)
    return "".join(writer.out)
