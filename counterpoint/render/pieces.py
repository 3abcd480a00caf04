"""The small pieces of markup that pages repeat thousands of times, made in Python.

They were Jinja macros; a macro call costs Jinja a context, a frame and an escape per argument,
and at 1,000 texts these four were called about 100,000 times a build. Each function escapes
every corpus string it is given (markupsafe's `escape`, as Jinja's autoescape does) and returns
Markup, so a template inserts the result as it inserts a macro's. The templates call them by
these names (environment() makes them globals).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..model import Stance, Text
from .icons import SHAPES, stance_icon

if TYPE_CHECKING:
    from .matrix_views import Words


def quoted(words: str) -> Markup:
    """A passage's words as a quotation (in its own direction of writing)."""
    return Markup(f'<q class="cp-quote"><bdi>{escape(words)}</bdi></q>')


def stance_chip(label: str, index: int) -> Markup:
    """A stance as a text's notes name it: its shape and colour, and always its label."""
    return Markup(
        f'<span class="cp-stance cp-stance-{index % len(SHAPES)}">{stance_icon(index)}<span>{escape(label)}</span></span>'
    )


def stance_mark(stance: Stance, tag: str = "span") -> Markup:
    """A stance as the matrix, question and compare pages show it: its shape and colour, and always its label."""
    index = stance.index
    return Markup(
        f'<{tag} class="cp-stance cp-stance-{index % len(SHAPES)}">{stance_icon(index)}'
        f'<span class="cp-stance-label">{escape(stance.label)}</span></{tag}>'
    )


def words_link(words: Words, text: Text | None, with_title: bool = True) -> Markup:
    """Where a passage is, "¶12 of Title", linking to it."""
    title = f' of <span class="cp-xref-title" dir="auto">{escape(text.title)}</span>' if with_title and text else ""
    return Markup(
        f'<a class="cp-words-link" href="{escape(words.href)}"><span class="cp-words-place">{escape(words.place)}</span>'
        f'{title}<span aria-hidden="true">&nbsp;→</span></a>'
    )


GLOBALS = {"quoted": quoted, "stance_chip": stance_chip, "stance_mark": stance_mark, "words_link": words_link}
"""What environment() gives every template."""
