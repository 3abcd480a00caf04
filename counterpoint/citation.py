"""How to cite a text, or a voice within it, in plain words.

Unknown facts are said to be unknown, never filled in, and an uncertain one keeps the
edition's note on it (a date not confirmed, an address that is a repost). A reader comment
is not dated with its article: its own date is not known.

Each fact taken from the corpus (a name, the title, the publisher, the date, the address, a note
on one of them) is isolated: in the plain text between FIRST STRONG ISOLATE and POP DIRECTIONAL
ISOLATE, in HTML in <bdi>. A title in Arabic, or one holding a direction control, is then shown in
its own direction without reordering the words after it; a copied citation keeps the isolates.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .model import Text, Voice, VoiceKind

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"

_Part = tuple[str, bool]
"""A piece of the citation, and whether it comes from the corpus (and is isolated)."""


def _parts(text: Text, voice: Voice) -> list[_Part]:
    title: list[_Part] = [("“", False), (text.title, True), ("”", False)]
    name: _Part = (voice.name, True)
    if voice.kind is VoiceKind.COMMENT:
        who = [name, (", reader comment on ", False), *title]
    elif len(text.voices) > 1:
        who = [name, (f", {voice.kind.value} in ", False), *title]
    else:
        who = [name, (", ", False), *title]
    facts: list[list[_Part]] = [[(text.publisher, True) if text.publisher else ("publisher unknown", False)]]
    if voice.kind is not VoiceKind.COMMENT:
        facts.append(_noted(text.date.human(), text.date_note) if text.date else [("date unknown", False)])
    facts.append(_noted(text.url, text.url_note) if text.url else [("original address unknown", False)])
    parts = who
    for fact in facts:
        parts += [(", ", False), *fact]
    return [*parts, (".", False)]


def _noted(fact: str, note: str | None) -> list[_Part]:
    return [(fact, True), (" (", False), (note, True), (")", False)] if note else [(fact, True)]


def citation(text: Text, voice: Voice) -> str:
    """The citation as plain text (to copy), each fact from the corpus between Unicode isolates."""
    return "".join(
        f"{FIRST_STRONG_ISOLATE}{part}{POP_DIRECTIONAL_ISOLATE}" if field else part
        for part, field in _parts(text, voice)
    )


def citation_html(text: Text, voice: Voice) -> Markup:
    """The citation as HTML, each fact from the corpus in its own <bdi>."""
    return Markup("").join(
        Markup("<bdi>{}</bdi>").format(part) if field else escape(part) for part, field in _parts(text, voice)
    )
