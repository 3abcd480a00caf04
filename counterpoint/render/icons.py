"""Shapes that tell stances apart without colour.

A stance's shape and colour come from its position in its question's list and
nothing else: the first stance of every question is a circle, the second a
triangle, and so on. They say "same" or "different", never "better".
"""

from __future__ import annotations

from markupsafe import Markup

SHAPES = (
    '<circle cx="8" cy="8" r="6"/>',
    '<path d="M8 1.5 14.5 13.5H1.5Z"/>',
    '<rect x="2.5" y="2.5" width="11" height="11"/>',
    '<path d="M8 1 15 8 8 15 1 8Z"/>',
    '<path d="M8 1.2 9.9 6 15 6.2 11 9.4 12.4 14.4 8 11.6 3.6 14.4 5 9.4 1 6.2 6.1 6Z"/>',
    '<path d="M4.5 1.9h7L15 8l-3.5 6.1h-7L1 8Z"/>',
    '<path d="M6 1.5h4v4.5h4.5v4H10v4.5H6V10H1.5V6H6Z"/>',
    '<path d="M8 1.5 14.5 6.2 12 14H4L1.5 6.2Z"/>',
)


def stance_icon(index: int, label: str = "") -> Markup:
    """An inline SVG for the stance at `index`; hidden from screen readers, which read the label instead."""
    shape = SHAPES[index % len(SHAPES)]
    return Markup(
        f'<svg class="cp-shape cp-stance-{index % len(SHAPES)}" viewBox="0 0 16 16" width="14" height="14" '
        f'aria-hidden="true" focusable="false">{shape}</svg>'
    )
