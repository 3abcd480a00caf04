"""What the workbench's panel shows and sends: a text's state, suggested passages, a passage as chosen.

The panel (templates/workbench.js) reads a text's questions, stances and passages from here, and
sends back what the editor chose; this module turns that choice into the passage's YAML mapping,
which the corpus's own checks then judge like any hand-written one.
"""

from __future__ import annotations

import re
from typing import Any

from .anchoring import collapse
from .model import Corpus
from .suggest import Index
from .workbench_edit import Refused

CONTEXT = 32
"""Characters of `prefix`/`suffix` written at most, as in a W3C TextQuoteSelector."""


def state(corpus: Corpus, text_slug: str, written: dict[str, Any]) -> dict[str, Any]:
    """The questions, the text's passages (each with its item as `written`, by id) and its voices."""
    return {
        "questions": [
            {
                "id": q.id,
                "question": q.question,
                "about": q.about,
                "stances": [{"id": s.id, "label": s.label, "description": s.description} for s in q.stances],
            }
            for q in corpus.questions
        ],
        "passages": [
            {
                "id": p.id,
                "voice": p.voice_id,
                "words": p.exact,
                "written": written.get(p.id),
            }
            for p in corpus.passages
            if p.text_slug == text_slug
        ],
        "voices": {v.id: v.name for v in corpus.text_by_slug[text_slug].voices}
        if text_slug in corpus.text_by_slug
        else {},
        "ids": sorted(corpus.passage_by_id),
    }


def suggestions(corpus: Corpus, query: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Passages that may answer the one in `query` (or its selected words), best first."""
    index = Index(corpus)
    passage = (query.get("passage") or [""])[0]
    if passage in corpus.passage_by_id:
        found = index.suggest(passage, 8)
    else:
        # A few selected words say little alone: their paragraph, and the stances chosen so far, help.
        text = (query.get("text") or [""])[0]
        words = " ".join((query.get(key) or [""])[0] for key in ("quote", "context"))
        stances = tuple(
            (question, stance)
            for pair in query.get("stance", [])
            for question, _, stance in [pair.partition(":")]
            if question in corpus.question_by_id and stance
        )
        found = index.suggest_for_words(text, words, 8, stances)
    return [
        {
            "passage": s.candidate.passage_id,
            "text": s.candidate.text_slug,
            "title": s.candidate.text_title,
            "paragraph": s.candidate.paragraph,
            "words": s.candidate.words,
            "relation": s.relation.value if s.relation else None,
        }
        for s in found
    ]


_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def passage_from(request: dict[str, Any], corpus: Corpus, text_slug: str) -> dict[str, Any]:
    """The YAML mapping of the passage the request describes (checked again by the corpus's own checks)."""
    quote = collapse(str(request.get("quote") or ""))
    if not quote:
        raise Refused(422, "select the words of the passage first.")
    passage_id = str(request.get("id") or "").strip()
    if not _ID.match(passage_id):
        raise Refused(422, f"`{passage_id}` cannot be a passage id: use lower-case letters, digits and hyphens.")
    written: dict[str, Any] = {"id": passage_id, "quote": quote}
    text = corpus.text_by_slug.get(text_slug)
    if text is None:
        raise Refused(404, f"no text has the slug `{text_slug}`.")
    whole = collapse(" ".join(block.visible_text for block in text.shown_blocks))
    if whole.count(quote) > 1:
        prefix = collapse(str(request.get("prefix") or ""))[-CONTEXT:]
        suffix = collapse(str(request.get("suffix") or ""))[:CONTEXT]
        if prefix:
            written["prefix"] = prefix.split(" ", 1)[-1] if " " in prefix and len(prefix) == CONTEXT else prefix
        if suffix:
            written["suffix"] = suffix.rsplit(" ", 1)[0] if " " in suffix and len(suffix) == CONTEXT else suffix
    stances = {str(q): str(s) for q, s in (request.get("stances") or {}).items() if q and s}
    if stances:
        written["stances"] = stances
    note = " ".join(str(request.get("note") or "").split())
    if note:
        written["note"] = note
    for kind in ("opposes", "supports", "responds_to"):
        targets = [str(t).strip() for t in request.get(kind) or [] if str(t).strip()]
        if targets:
            written[kind] = targets
    return written


PANEL_KEYS = ("id", "quote", "prefix", "suffix", "stances", "note", "opposes", "supports", "responds_to")


def keeping_the_rest(written: dict[str, Any], passage: dict[str, Any]) -> dict[str, Any]:
    """The edited passage, with the keys the panel does not show (`voice`, `occurrence`) kept as written.

    A new quote makes the written `occurrence`, `prefix` and `suffix` meaningless, so they go with it.
    """
    kept = {k: v for k, v in written.items() if k not in PANEL_KEYS}
    if written.get("quote") is not None and collapse(str(written["quote"])) != passage["quote"]:
        kept.pop("occurrence", None)
    elif "prefix" not in passage and "suffix" not in passage:
        kept.update({k: written[k] for k in ("prefix", "suffix") if k in written})
    merged: dict[str, Any] = {k: passage[k] for k in ("id", "quote") if k in passage}
    merged.update({k: passage[k] for k in ("prefix", "suffix") if k in passage})
    merged.update(kept)
    merged.update({k: v for k, v in passage.items() if k not in merged})
    return merged
