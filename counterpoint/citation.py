"""How to cite a text, or a voice within it, in plain words.

Unknown facts are said to be unknown, never filled in, and an uncertain one keeps the
edition's note on it (a date not confirmed, an address that is a repost). A reader comment
is not dated with its article: its own date is not known.
"""

from __future__ import annotations

from .model import Text, Voice, VoiceKind


def citation(text: Text, voice: Voice) -> str:
    title = f"“{text.title}”"
    if voice.kind is VoiceKind.COMMENT:
        who = f"{voice.name}, reader comment on {title}"
    elif len(text.voices) > 1:
        who = f"{voice.name}, {voice.kind.value} in {title}"
    else:
        who = f"{voice.name}, {title}"
    parts = [who, text.publisher or "publisher unknown"]
    if voice.kind is not VoiceKind.COMMENT:
        parts.append(_noted(text.date.human(), text.date_note) if text.date else "date unknown")
    parts.append(_noted(text.url, text.url_note) if text.url else "original address unknown")
    return ", ".join(parts) + "."


def _noted(fact: str, note: str | None) -> str:
    return f"{fact} ({note})" if note else fact
