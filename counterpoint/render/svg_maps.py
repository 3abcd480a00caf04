"""The two pictures, drawn at build time as inline SVG: the map of the voices and a question's argument map.

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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..argument_map import ArgumentMap, Arrow, Group, Node
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


def _n(value: float) -> str:
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
    return f'y="{_n(first)}"' if line == 0 else f'dy="{_n(leading)}"'


def _lines(x: float, y: float, lines: Sequence[str], size: float, leading: float, css: str = "") -> str:
    """A <text> of one <tspan> per line, the first baseline at y (the font size is the picture's)."""
    if not lines:
        return ""
    spans = "".join(
        f'<tspan x="{_n(x)}" {_baseline(i, y, leading)}>{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    klass = f' class="{css}"' if css else ""
    return f"<text{klass}>{spans}</text>"


def _shape(index: int, x: float, y: float, size: float) -> str:
    """The stance's shape (as in the matrix) centred on x, y."""
    scale = size / 16
    shape = SHAPES[index % len(SHAPES)]
    return (
        f'<g class="cp-shape cp-stance-{index % len(SHAPES)}" '
        f'transform="translate({_n(x - size / 2)} {_n(y - size / 2)}) scale({scale:.3f})">{shape}</g>'
    )


def _tip(x: float, y: float, width: float, lines: list[tuple[str, str]], size: float, above: bool) -> str:
    """A tip box: (css class, words) lines; above=True puts its bottom edge at y."""
    leading = size * 1.3
    height = len(lines) * leading + size * 0.9
    top = y - height if above else y
    spans = "".join(
        f'<tspan x="8" {_baseline(i, size * 1.1, leading)}{_css(css)}>{escape(words)}</tspan>'
        for i, (css, words) in enumerate(lines)
    )
    return (
        f'<g class="cp-map-tip" aria-hidden="true" transform="translate({_n(x)} {_n(top)})">'
        f'<rect width="{_n(width)}" height="{_n(height)}" rx="4"/><text>{spans}</text></g>'
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
        f'<svg class="cp-map-svg cp-voice-map-{key}" viewBox="0 0 {_n(width)} {_n(total)}" '
        f'width="{_n(width)}" height="{_n(total)}" font-size="{_n(font)}" role="group" aria-labelledby="{label_id}">'
    ]
    out.append(f'<rect class="cp-map-frame" x="0.5" y="0.5" width="{_n(width - 1)}" height="{_n(height - 1)}" rx="6"/>')
    out.append('<g class="cp-map-joins" aria-hidden="true">')
    for join in voice_map.joins:
        (x1, y1), (x2, y2) = where[join.a], where[join.b]
        css = "cp-join-agree" if join.kind is JoinKind.AGREE else "cp-join-oppose"
        out.append(f'<line class="{css}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"/>')
    out.append("</g>")
    labels = _place_labels(points, where, font, width, height, radius)
    hint = "Point at a voice, or reach it with the Tab key, to read about it here."
    out.append(
        _lines(margin, height + font * 1.6, wrap(hint, width - 2 * margin, font), font, font * 1.3, "cp-map-hint")
    )
    for point in points:
        x, y = where[point.voice.id]
        date = point.text.date.human() if point.text.date else "date unknown"
        name = f"{point.voice.name} ({date}): takes a stance on {point.addressed} of {voice_map.questions} questions"
        out.append(f'<a class="cp-map-node" href="{escape(point.href)}" aria-label="{escape(name)}">')
        out.append(f'<circle class="cp-voice-dot" cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius)}"/>')
        label = labels.get(point.voice.id)
        if label is not None:
            lx, ly, anchor = label
            year = f" {point.text.date.year}" if point.text.date else ""
            out.append(
                f'<text class="cp-voice-label" x="{_n(lx)}" y="{_n(ly)}"{_anchor(anchor)}>'
                f'{escape(point.voice.short)}<tspan class="cp-map-date">{escape(year)}</tspan></text>'
            )
        tip_lines = [("cp-tip-head", line) for line in wrap(point.voice.name, width - 32, font, 1, bold=True)]
        tip_lines.append(("", f"{date}; takes a stance on {point.addressed} of {voice_map.questions} questions."))
        out.append(_tip(2, height + 4, width - 4, tip_lines, font, above=False))
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


# -- a question's argument map ----------------------------------------------------------------


@dataclass(frozen=True)
class NodeView:
    node: Node
    text: Text
    href: str
    """The passage the node quotes, in its text."""


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


WIDE_ARGUMENT_MAP = 760.0
NARROW_ARGUMENT_MAP = 360.0
NODE_FONT = 12.0
NODE_WORDS = 9
"""How many of its quote's first words a node shows."""
TIP_WORDS = 24
"""How many words its tip shows on focus."""


NODE_LEADING = NODE_FONT * 1.3


@dataclass(frozen=True)
class _Layout:
    """Where an argument map's stance groups go: `wide`, a column each side by side; narrow, one column."""

    wide: bool
    width: float
    column: float
    arc_room: float
    """Room beside each column for the arcs of the arrows."""
    key: str
    """"wide" or "narrow": names the picture's CSS class and its arrowheads' ids."""


@dataclass
class _DrawnGroup:
    """One stance's group as drawn: its heading (the frame's height still a GROUPH placeholder), its nodes and
    where the group ends."""

    heading: str
    nodes: list[str]
    bottom: float


def argument_map_svg(
    argument_map: ArgumentMap,
    views: dict[str, NodeView],
    more_href: Callable[[str], str],
    wide: bool,
    label_id: str,
) -> Markup:
    """The argument map, wide (a column per stance) or narrow (stances one under another).

    `more_href(stance_id)` is where a stance's voices not drawn are listed.
    """
    layout = _argument_layout(argument_map, wide)
    groups = argument_map.groups
    boxes: dict[str, Box] = {}
    drawn: list[_DrawnGroup] = []
    heights: list[float] = []
    y = 0.0
    for index, group in enumerate(groups):
        x = index * (layout.column + layout.arc_room) if wide else 0.0
        top = 0.0 if wide else y
        shown = _draw_group(group, index, x, top, layout, views, more_href, boxes)
        drawn.append(shown)
        heights.append(shown.bottom + 4 - top)
        y = shown.bottom + 16
    total_height = (max(heights) if wide and heights else y - 16 + 2) if groups else 10.0
    if wide:
        heights = [total_height for _ in heights]
    # A group's frame is drawn before its nodes but is only as tall as they turn out to be (in a wide map, as
    # tall as the tallest group), hence the placeholder filled in here.
    header = "".join(
        shown.heading.replace(f'height="GROUPH{index}"', f'height="{_n(h - 1)}"')
        for index, (shown, h) in enumerate(zip(drawn, heights, strict=True))
    )
    nodes = "".join(part for shown in drawn for part in shown.nodes)
    key = layout.key
    arrows = "".join(_arrow(arrow, wide, boxes, i, key) for i, arrow in enumerate(argument_map.arrows))
    return Markup(
        f'<svg class="cp-map-svg cp-argument-map-{key}" viewBox="0 0 {_n(layout.width)} {_n(total_height)}" '
        f'width="{_n(layout.width)}" height="{_n(total_height)}" font-size="{_n(NODE_FONT)}" role="group" aria-labelledby="{label_id}">'
        f'<defs>{_arrowheads(key)}</defs>{header}<g class="cp-map-arrows" aria-hidden="true">{arrows}</g>{nodes}</svg>'
    )


def _argument_layout(argument_map: ArgumentMap, wide: bool) -> _Layout:
    width = WIDE_ARGUMENT_MAP if wide else NARROW_ARGUMENT_MAP
    arc_room = (26.0 if wide else 64.0) if argument_map.arrows else (26.0 if wide else 4.0)
    if wide:
        columns = max(len(argument_map.groups), 1)
        column = (width - arc_room * columns) / columns
    else:
        column = width - arc_room
    return _Layout(wide, width, column, arc_room, "wide" if wide else "narrow")


def _draw_group(
    group: Group,
    index: int,
    x: float,
    top: float,
    layout: _Layout,
    views: dict[str, NodeView],
    more_href: Callable[[str], str],
    boxes: dict[str, Box],
) -> _DrawnGroup:
    """A stance's heading, then its nodes (their boxes recorded in `boxes` for the arrows), then the link to
    the voices not drawn or the line saying that no voice takes it."""
    font, leading, column = NODE_FONT, NODE_LEADING, layout.column
    label = wrap(group.stance.label, column - 34, font, 3, bold=True)
    head_height = len(label) * leading + 10
    shape = _shape(group.stance.index, x + 12, top + 4 + font * 0.6, 14)
    heading = (
        f'<g class="cp-map-group cp-band-{group.stance.index % 8}" aria-hidden="true">'
        f'<rect class="cp-map-group-frame" x="{_n(x + 0.5)}" y="{_n(top + 0.5)}" width="{_n(column - 1)}" height="GROUPH{index}" rx="6"/>'
        f"{shape}{_lines(x + 26, top + 4 + font, label, font, leading, 'cp-map-group-label')}</g>"
    )
    parts: list[str] = []
    cursor = top + head_height
    for node in group.nodes:
        view = views[node.key]
        year = f" · {view.text.date.year}" if view.text.date else ""
        name_lines = wrap(node.voice.short, column - 20 - text_width(year, font), font, 1, bold=True)
        words = wrap("“" + first_words(node.passage.exact, NODE_WORDS) + "”", column - 20, font, 2)
        height = (len(name_lines) + len(words)) * leading + 10
        box = Box(x + 6, cursor, column - 12, height)
        boxes[node.key] = box
        parts.append(_node(view, box, name_lines, year, words, font, leading, layout.key))
        cursor += height + 6
    if group.hidden:
        more = f"+ {group.hidden:,} more {'voice' if group.hidden == 1 else 'voices'}"
        more_label = f"{more} taking “{group.stance.label}”: their words on this page"
        parts.append(
            f'<a class="cp-map-more" href="{escape(more_href(group.stance.id))}" aria-label="{escape(more_label)}">'
            f'<rect x="{_n(x + 6)}" y="{_n(cursor)}" width="{_n(column - 12)}" height="{_n(leading + 8)}" rx="4"/>'
            f"{_lines(x + 14, cursor + 4 + font, [more], font, leading)}</a>"
        )
        cursor += leading + 14
    if not group.nodes and not group.hidden:
        none = wrap("No voice takes this stance.", column - 20, font)
        parts.append(_lines(x + 10, cursor + font, none, font, leading, "cp-map-none"))
        cursor += leading + 6
    return _DrawnGroup(heading, parts, cursor)


def _arrowheads(key: str) -> str:
    return "".join(
        f'<marker id="cp-am-{key}-{kind.value}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path class="cp-arrowhead" d="M0 0 10 5 0 10Z"/></marker>'
        for kind in RelationType
    )


def _node(
    view: NodeView, box: Box, name_lines: list[str], year: str, words: list[str], font: float, leading: float, key: str
) -> str:
    node = view.node
    date = view.text.date.human() if view.text.date else "date unknown"
    quote = first_words(node.passage.exact, TIP_WORDS)
    label = f"{node.voice.name} ({date}), {node.stance.label}: “{quote}”"
    x, y = box.x, box.y
    tip_lines = [
        ("cp-tip-head", line) for line in wrap(f"{node.voice.name}, {date}", box.width - 16, font, 2, bold=True)
    ]
    tip_lines += [("", line) for line in wrap("“" + quote + "”", box.width - 16, font, 6)]
    return (
        f'<a class="cp-map-node" id="cp-am-{key}-{escape(node.key)}" href="{escape(view.href)}" aria-label="{escape(label)}" '
        f'transform="translate({_n(x)} {_n(y)})">'
        f'<rect class="cp-map-node-box cp-band-{node.stance.index % 8}" width="{_n(box.width)}" height="{_n(box.height)}" rx="4"/>'
        f'<text class="cp-map-node-name" x="8" y="{_n(4 + font)}">'
        f'{escape(name_lines[0])}<tspan class="cp-map-date">{escape(year)}</tspan></text>'
        f"{_lines(8, 4 + font + len(name_lines) * leading, words, font, leading, 'cp-map-node-words')}"
        f"{_tip(-4, -2, box.width + 8, tip_lines, font, above=True)}</a>"
    )


def _arrow(arrow: Arrow, wide: bool, boxes: dict[str, Box], index: int, key: str) -> str:
    kind = arrow.type
    a, b = boxes[arrow.source], boxes[arrow.target]
    dash = RELATION_DASH[kind]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    same_column = abs(a.x - b.x) < 1 or not wide
    # Arrows meeting one node arrive side by side, not on one point.
    spread = ((index % 5) - 2) * 4.0
    if same_column:
        # An arc on the right of the column, wider the further apart the two nodes are.
        x = a.x + a.width
        y1, y2 = a.y + a.height / 2 + spread, b.y + b.height / 2 + spread
        reach = min(12 + abs(y2 - y1) * 0.18, 58 if not wide else 22) + (index % 3) * 2
        path = f"M{_n(x)} {_n(y1)}C{_n(x + reach)} {_n(y1)} {_n(x + reach)} {_n(y2)} {_n(x + 2)} {_n(y2)}"
    else:
        rightward = a.x < b.x
        x1 = a.x + a.width if rightward else a.x
        x2 = b.x if rightward else b.x + b.width
        y1, y2 = a.y + a.height / 2 + spread, b.y + b.height / 2 + spread
        bend = (x2 - x1) / 2
        path = f"M{_n(x1)} {_n(y1)}C{_n(x1 + bend)} {_n(y1)} {_n(x2 - bend)} {_n(y2)} {_n(x2)} {_n(y2)}"
    return f'<path class="cp-arrow cp-arrow-{kind.value}" d="{path}"{dash_attr} marker-end="url(#cp-am-{key}-{kind.value})"><title>{escape(RELATION_WORDS[kind])}</title></path>'


__all__ = [
    "NARROW_VOICE_MAP",
    "WIDE_VOICE_MAP",
    "NodeView",
    "VoicePoint",
    "argument_map_svg",
    "first_words",
    "voice_map_svg",
    "wrap",
]
