"""A question's argument map, drawn at build time as inline SVG: a column (or band) per stance, arrows between.

The drawing's principles (escaped strings, no script, wide and narrow copies) and its words,
shapes and tips are counterpoint/render/svg_maps.py's; this module lays out the stance groups,
their voices' boxes and the arrows of the relations between them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..argument_map import ArgumentMap, Arrow, Node
from ..argument_map import Group as StanceGroup
from ..model import RelationType, Text
from .svg_maps import (
    RELATION_DASH,
    RELATION_WORDS,
    first_words,
    number,
    stance_shape,
    text_lines,
    text_width,
    tip,
    wrap,
)


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
    width = WIDE_ARGUMENT_MAP if wide else NARROW_ARGUMENT_MAP
    font = NODE_FONT
    groups = argument_map.groups
    arc_room = (26.0 if wide else 64.0) if argument_map.arrows else (26.0 if wide else 4.0)
    if wide:
        columns = max(len(groups), 1)
        column = (width - arc_room * columns) / columns
    else:
        column = width - arc_room
    boxes: dict[str, Box] = {}
    parts_header: list[str] = []
    parts_nodes: list[str] = []
    heights: list[float] = []
    y = 0.0
    key = "wide" if wide else "narrow"
    for index, group in enumerate(groups):
        x = index * (column + arc_room) if wide else 0.0
        top = 0.0 if wide else y
        header_part, node_parts, cursor = _group(group, index, x, top, column, views, boxes, more_href, key)
        parts_header.append(header_part)
        parts_nodes += node_parts
        heights.append(cursor + 4 - top)
        y = cursor + 16
    total_height = (max(heights) if wide and heights else y - 16 + 2) if groups else 10.0
    if wide:
        heights = [total_height for _ in heights]
    header = "".join(
        part.replace(f'height="GROUPH{index}"', f'height="{number(h - 1)}"')
        for index, (part, h) in enumerate(zip(parts_header, heights, strict=True))
    )
    arrows = "".join(_arrow(arrow, wide, boxes, i, key) for i, arrow in enumerate(argument_map.arrows))
    markers = "".join(
        f'<marker id="cp-am-{key}-{kind.value}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path class="cp-arrowhead" d="M0 0 10 5 0 10Z"/></marker>'
        for kind in RelationType
    )
    return Markup(
        f'<svg class="cp-map-svg cp-argument-map-{key}" viewBox="0 0 {number(width)} {number(total_height)}" '
        f'width="{number(width)}" height="{number(total_height)}" font-size="{number(font)}" role="group" aria-labelledby="{label_id}">'
        f'<defs>{markers}</defs>{header}<g class="cp-map-arrows" aria-hidden="true">{arrows}</g>{"".join(parts_nodes)}</svg>'
    )


def _group(
    group: StanceGroup,
    index: int,
    x: float,
    top: float,
    column: float,
    views: dict[str, NodeView],
    boxes: dict[str, Box],
    more_href: Callable[[str], str],
    key: str,
) -> tuple[str, list[str], float]:
    """One stance's group at (x, top): its frame and label (the frame's height left as GROUPH<index>,
    known once every group is drawn), its voices' boxes (each recorded in `boxes`), and where it ends."""
    font = NODE_FONT
    leading = font * 1.3
    parts: list[str] = []
    label = wrap(group.stance.label, column - 34, font, 3, bold=True)
    head_height = len(label) * leading + 10
    mark = stance_shape(group.stance.index, x + 12, top + 4 + font * 0.6, 14)
    header = (
        f'<g class="cp-map-group cp-band-{group.stance.index % 8}" aria-hidden="true">'
        f'<rect class="cp-map-group-frame" x="{number(x + 0.5)}" y="{number(top + 0.5)}" width="{number(column - 1)}" height="GROUPH{index}" rx="6"/>'
        f"{mark}{text_lines(x + 26, top + 4 + font, label, font, leading, 'cp-map-group-label')}</g>"
    )
    cursor = top + head_height
    for node in group.nodes:
        view = views[node.key]
        year = f" · {view.text.date.year}" if view.text.date else ""
        name_lines = wrap(node.voice.short, column - 20 - text_width(year, font), font, 1, bold=True)
        words = wrap("“" + first_words(node.passage.exact, NODE_WORDS) + "”", column - 20, font, 2)
        height = (len(name_lines) + len(words)) * leading + 10
        box = Box(x + 6, cursor, column - 12, height)
        boxes[node.key] = box
        parts.append(_node(view, box, name_lines, year, words, font, leading, key))
        cursor += height + 6
    if group.hidden:
        more = f"+ {group.hidden:,} more {'voice' if group.hidden == 1 else 'voices'}"
        more_label = f"{more} taking “{group.stance.label}”: their words on this page"
        parts.append(
            f'<a class="cp-map-more" href="{escape(more_href(group.stance.id))}" aria-label="{escape(more_label)}">'
            f'<rect x="{number(x + 6)}" y="{number(cursor)}" width="{number(column - 12)}" height="{number(leading + 8)}" rx="4"/>'
            f"{text_lines(x + 14, cursor + 4 + font, [more], font, leading)}</a>"
        )
        cursor += leading + 14
    if not group.nodes and not group.hidden:
        parts.append(
            text_lines(
                x + 10,
                cursor + font,
                wrap("No voice takes this stance.", column - 20, font),
                font,
                leading,
                "cp-map-none",
            )
        )
        cursor += leading + 6
    return header, parts, cursor


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
        f'transform="translate({number(x)} {number(y)})">'
        f'<rect class="cp-map-node-box cp-band-{node.stance.index % 8}" width="{number(box.width)}" height="{number(box.height)}" rx="4"/>'
        f'<text class="cp-map-node-name" x="8" y="{number(4 + font)}">'
        f'{escape(name_lines[0])}<tspan class="cp-map-date">{escape(year)}</tspan></text>'
        f"{text_lines(8, 4 + font + len(name_lines) * leading, words, font, leading, 'cp-map-node-words')}"
        f"{tip(-4, -2, box.width + 8, tip_lines, font, above=True)}</a>"
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
        path = f"M{number(x)} {number(y1)}C{number(x + reach)} {number(y1)} {number(x + reach)} {number(y2)} {number(x + 2)} {number(y2)}"
    else:
        rightward = a.x < b.x
        x1 = a.x + a.width if rightward else a.x
        x2 = b.x if rightward else b.x + b.width
        y1, y2 = a.y + a.height / 2 + spread, b.y + b.height / 2 + spread
        bend = (x2 - x1) / 2
        path = f"M{number(x1)} {number(y1)}C{number(x1 + bend)} {number(y1)} {number(x2 - bend)} {number(y2)} {number(x2)} {number(y2)}"
    return f'<path class="cp-arrow cp-arrow-{kind.value}" d="{path}"{dash_attr} marker-end="url(#cp-am-{key}-{kind.value})"><title>{escape(RELATION_WORDS[kind])}</title></path>'


__all__ = ["NodeView", "argument_map_svg"]
