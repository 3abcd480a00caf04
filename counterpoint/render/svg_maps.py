"""The two pictures, drawn at build time as inline SVG: the map of the voices, and what both draw with.

A question's argument map is drawn by counterpoint/render/argument_map_svg.py, with the
words, shapes and tips defined here.

Our own code, no library: the drawing is a few rectangles, circles, lines and
words, and doing it here keeps every corpus string escaped on its way in, the
output byte-for-byte the same for the same corpus, and the site free of any
script (no graph library runs in the reader's browser). Words are wrapped and
labels placed with an estimate of their width in the system sans-serif
(CHAR_EM per character), generous so that a label does not run into its
neighbour.

Every node is a link (a keyboard stop) whose accessible name says what it
stands for; its words show on focus and on hover in a tip drawn by CSS alone.
In the voice map the tips share a strip under the plot, where nothing else is
drawn; in an argument map a node's tip opens above it, over the nodes already
drawn (SVG paints in document order, so a tip above its node is never covered).
Each picture is drawn twice, wide and narrow, and CSS shows the one that fits; an
argument map too large to be drawn twice is drawn narrow only, for every width
(counterpoint/render/maps.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import RelationType, Text, Voice
from ..voice_map import JoinKind, VoiceMap
from .icons import SHAPES

CHAR_EM = 0.56
"""Estimated average advance of a character of the sans-serif, in ems (bold: BOLD_EM)."""
BOLD_EM = 0.62
RELATION_DASH = {
    RelationType.OPPOSES: "7 4",
    RelationType.SUPPORTS: "",
    RelationType.RESPONDS_TO: "2 3",
}
RELATION_WORDS = {
    RelationType.OPPOSES: "opposes",
    RelationType.SUPPORTS: "supports",
    RelationType.RESPONDS_TO: "responds to",
}


def number(value: float) -> str:
    """A coordinate as the SVG writes it: one decimal, no "-0.0"."""
    text = f"{value:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")


def text_width(text: str, size: float, bold: bool = False) -> float:
    return len(text) * size * (BOLD_EM if bold else CHAR_EM)


def wrap(text: str, width: float, size: float, lines: int = 0, bold: bool = False) -> list[str]:
    """The words in lines of at most `width` (estimated); at most `lines` lines (0: all), the last with “…”."""
    result: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold) > width:
            result.append(current)
            current = word
        else:
            current = candidate
    if current:
        result.append(current)
    if lines and len(result) > lines:
        result = result[:lines]
        last = result[-1]
        while last and text_width(last + "…", size, bold) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        result[-1] = last + "…"
    return [_fit(line, width, size, bold) for line in result]


def _fit(line: str, width: float, size: float, bold: bool) -> str:
    """A single word too long for the width, cut with “…”."""
    if text_width(line, size, bold) <= width:
        return line
    keep = max(int(width / (size * (BOLD_EM if bold else CHAR_EM))) - 1, 1)
    return line[:keep] + "…"


def first_words(quote: str, words: int) -> str:
    parts = quote.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


def _css(name: str) -> str:
    return f' class="{name}"' if name else ""


def _anchor(anchor: str) -> str:
    return "" if anchor == "start" else f' text-anchor="{anchor}"'


def _baseline(line: int, first: float, leading: float) -> str:
    """The first line at `first`, each next one a `leading` below the one before."""
    return f'y="{number(first)}"' if line == 0 else f'dy="{number(leading)}"'


def text_lines(x: float, y: float, lines: Sequence[str], size: float, leading: float, css: str = "") -> str:
    """A <text> of one <tspan> per line, the first baseline at y (the font size is the picture's)."""
    if not lines:
        return ""
    spans = "".join(
        f'<tspan x="{number(x)}" {_baseline(i, y, leading)}>{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    klass = f' class="{css}"' if css else ""
    return f"<text{klass}>{spans}</text>"


def stance_shape(index: int, x: float, y: float, size: float) -> str:
    """The stance's shape (as in the matrix) centred on x, y."""
    scale = size / 16
    shape = SHAPES[index % len(SHAPES)]
    return (
        f'<g class="cp-shape cp-stance-{index % len(SHAPES)}" '
        f'transform="translate({number(x - size / 2)} {number(y - size / 2)}) scale({scale:.3f})">{shape}</g>'
    )


def tip(x: float, y: float, width: float, lines: list[tuple[str, str]], size: float, above: bool) -> str:
    """A tip box: (css class, words) lines; above=True puts its bottom edge at y."""
    leading = size * 1.3
    height = len(lines) * leading + size * 0.9
    top = y - height if above else y
    spans = "".join(
        f'<tspan x="8" {_baseline(i, size * 1.1, leading)}{_css(css)}>{escape(words)}</tspan>'
        for i, (css, words) in enumerate(lines)
    )
    return (
        f'<g class="cp-map-tip" aria-hidden="true" transform="translate({number(x)} {number(top)})">'
        f'<rect width="{number(width)}" height="{number(height)}" rx="4"/><text>{spans}</text></g>'
    )


# -- the map of the voices ------------------------------------------------------------------


@dataclass(frozen=True)
class VoicePoint:
    voice: Voice
    text: Text
    href: str
    """The voice's column in the matrix."""
    x: float
    y: float
    addressed: int


@dataclass(frozen=True)
class MapSize:
    width: float
    height: float
    font: float
    strip: float
    """Height of the strip under the plot where tips show."""


WIDE_VOICE_MAP = MapSize(760, 560, 13, 66)
NARROW_VOICE_MAP = MapSize(360, 520, 12, 80)


def voice_map_svg(voice_map: VoiceMap, points: Sequence[VoicePoint], size: MapSize, key: str, label_id: str) -> Markup:
    """The map of voices at one size; `key` makes its ids unique on the page."""
    width, font = size.width, size.font
    margin = 14.0
    radius = 6.0
    # The same scale on both axes: a distance on the map is a distance between voices. The plot is as
    # tall as the points need at the width's scale, up to the size's height.
    xs = [p.x for p in points] or [0.0]
    ys = [p.y for p in points] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    label_room = width * 0.16
    room_x, room_y = width - 2 * margin - 2 * label_room, size.height - size.strip - 2 * margin - 4 * font
    scale = min(room_x / span_x, room_y / span_y)
    height = round(span_y * scale + 2 * margin + 4 * font)
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    total = height + size.strip

    def at(point: VoicePoint) -> tuple[float, float]:
        # y grows downwards in SVG: the second axis is drawn upwards.
        return width / 2 + (point.x - mid_x) * scale, height / 2 - (point.y - mid_y) * scale

    where = {p.voice.id: at(p) for p in points}
    out = [
        f'<svg class="cp-map-svg cp-voice-map-{key}" viewBox="0 0 {number(width)} {number(total)}" '
        f'width="{number(width)}" height="{number(total)}" font-size="{number(font)}" role="group" aria-labelledby="{label_id}">'
    ]
    out.append(
        f'<rect class="cp-map-frame" x="0.5" y="0.5" width="{number(width - 1)}" height="{number(height - 1)}" rx="6"/>'
    )
    out.append('<g class="cp-map-joins" aria-hidden="true">')
    for join in voice_map.joins:
        (x1, y1), (x2, y2) = where[join.a], where[join.b]
        css = "cp-join-agree" if join.kind is JoinKind.AGREE else "cp-join-oppose"
        out.append(f'<line class="{css}" x1="{number(x1)}" y1="{number(y1)}" x2="{number(x2)}" y2="{number(y2)}"/>')
    out.append("</g>")
    labels = _place_labels(points, where, font, width, height, radius)
    hint = "Point at a voice, or reach it with the Tab key, to read about it here."
    out.append(
        text_lines(margin, height + font * 1.6, wrap(hint, width - 2 * margin, font), font, font * 1.3, "cp-map-hint")
    )
    for point in points:
        x, y = where[point.voice.id]
        date = point.text.date.human() if point.text.date else "date unknown"
        name = f"{point.voice.name} ({date}): takes a stance on {point.addressed} of {voice_map.questions} questions"
        out.append(f'<a class="cp-map-node" href="{escape(point.href)}" aria-label="{escape(name)}">')
        out.append(f'<circle class="cp-voice-dot" cx="{number(x)}" cy="{number(y)}" r="{number(radius)}"/>')
        label = labels.get(point.voice.id)
        if label is not None:
            lx, ly, anchor = label
            year = f" {point.text.date.year}" if point.text.date else ""
            out.append(
                f'<text class="cp-voice-label" x="{number(lx)}" y="{number(ly)}"{_anchor(anchor)}>'
                f'{escape(point.voice.short)}<tspan class="cp-map-date">{escape(year)}</tspan></text>'
            )
        tip_lines = [("cp-tip-head", line) for line in wrap(point.voice.name, width - 32, font, 1, bold=True)]
        tip_lines.append(("", f"{date}; takes a stance on {point.addressed} of {voice_map.questions} questions."))
        out.append(tip(2, height + 4, width - 4, tip_lines, font, above=False))
        out.append("</a>")
    out.append("</svg>")
    return Markup("".join(out))


def _place_labels(
    points: Sequence[VoicePoint],
    where: dict[str, tuple[float, float]],
    font: float,
    width: float,
    height: float,
    radius: float,
) -> dict[str, tuple[float, float, str]]:
    """A label beside each point where one fits without covering another label or point (in the matrix's order).

    A point whose label fits nowhere keeps its name in its tip and its accessible name.
    """
    taken: list[tuple[float, float, float, float]] = [
        (x - radius, y - radius, x + radius, y + radius) for x, y in where.values()
    ]
    placed: dict[str, tuple[float, float, str]] = {}
    gap = radius + 3
    for point in points:
        x, y = where[point.voice.id]
        year = f" {point.text.date.year}" if point.text.date else ""
        w = text_width(point.voice.short + year, font)
        h = font
        options = []
        # Beside the point first, then above or below it, then a line further up or down.
        for shift in (0.0, -h * 0.9, h * 0.9, -h * 1.8, h * 1.8):
            ty = y + h * 0.35 + shift
            options.append((x + gap, ty, "start", (x + gap, ty - h, x + gap + w, ty + h * 0.1)))
            options.append((x - gap, ty, "end", (x - gap - w, ty - h, x - gap, ty + h * 0.1)))
            if shift == 0.0:
                options.append((x, y - gap - 2, "middle", (x - w / 2, y - gap - 2 - h, x + w / 2, y - gap - 2)))
                options.append((x, y + gap + h, "middle", (x - w / 2, y + gap, x + w / 2, y + gap + h)))
        for lx, ly, anchor, box in options:
            inside = box[0] >= 2 and box[2] <= width - 2 and box[1] >= 2 and box[3] <= height - 2
            own = (x - radius, y - radius, x + radius, y + radius)
            if inside and not any(_overlap(box, other) for other in taken if other != own):
                placed[point.voice.id] = (lx, ly, anchor)
                taken.append(box)
                break
    return placed


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


__all__ = [
    "NARROW_VOICE_MAP",
    "WIDE_VOICE_MAP",
    "VoicePoint",
    "first_words",
    "number",
    "stance_shape",
    "text_lines",
    "text_width",
    "tip",
    "voice_map_svg",
    "wrap",
]
