"""Two voices side by side: the compare page, and the files it fetches when the voices are too many to carry."""

from __future__ import annotations

import json

from ..matrix import Matrix
from ..model import Text, Voice
from ..settings import DEFAULTS, Limits
from ..site import COMPARE, COMPARE_VOICES, Site, compare_voice_file
from . import environment
from .common import RenderedPage, TocEntry, nest_toc
from .matrix_views import ORDER_NOTE, VoiceHead, cell_view, nav, render, voice_head


def compare_embeds(matrix: Matrix, limits: Limits = DEFAULTS) -> bool:
    """Whether the compare page carries every voice's positions (up to `limits.compare_embed_voices` voices)
    or fetches them."""
    return len(matrix.voices) <= limits.compare_embed_voices


def render_compare_page(site: Site, matrix: Matrix) -> RenderedPage:
    src = COMPARE
    embed = compare_embeds(matrix, site.limits)
    heads = [voice_head(site, matrix, src, v) for v in matrix.voices] if embed else []
    by_text: list[tuple[Text, list[VoiceHead]]] = []
    for head in heads:
        if by_text and by_text[-1][0].slug == head.text.slug:
            by_text[-1][1].append(head)
        else:
            by_text.append((head.text, [head]))
    columns = [(head, [cell_view(site, src, c) for c in matrix.column(head.voice.id)]) for head in heads]
    questions = [(q, site.question_link(src, q.id)) for q in matrix.questions]
    placeholder = "_"
    voice_file = site.urls.link(src, compare_voice_file(placeholder))
    html = render(
        "compare.html",
        by_text=by_text,
        columns=columns,
        questions=questions,
        links=nav(site, src),
        order_note=ORDER_NOTE,
        embed=embed,
        voices_href=site.urls.link(src, COMPARE_VOICES),
        voice_files=voice_file[: -len(f"{placeholder}.json")],
    )
    toc = [TocEntry(1, "cp-title", "Compare two voices")]
    return RenderedPage(
        html,
        "Compare two voices",
        "Choose two voices and read their stances side by side, question by question, in their own words.",
        nest_toc(toc),
        {"cp-title", "cp-compare-a", "cp-compare-b", "cp-compare-result"},
    )


def compare_voice_list(site: Site, matrix: Matrix) -> str:
    """matrix/compare/voices.json: the voices compare offers, text by text, when the page cannot carry them.

    {"texts": [{"title": "…", "voices": [["<voice id>", "<voice name>"], …]}, …]}, in the matrix's order.
    """
    texts: list[dict[str, object]] = []
    voices: list[list[str]] = []
    for voice in matrix.voices:
        title = site.voice_text(voice).title
        if not texts or texts[-1]["slug"] != voice.text_slug:
            voices = []
            texts.append({"slug": voice.text_slug, "title": title, "voices": voices})
        voices.append([voice.id, voice.name])
    for text in texts:
        del text["slug"]
    return json.dumps({"texts": texts}, ensure_ascii=False, separators=(",", ":")) + "\n"


def compare_voice_data(site: Site, matrix: Matrix, voice: Voice) -> str:
    """matrix/compare/voices/<voice>.json: one voice's positions, as the compare page would carry them.

    {"voice": "<voice id>", "html": "<div data-voice=…>…</div>"}: the markup is the page's own (the same
    macro, every corpus string escaped), with links relative to the compare page, which shows it.
    """
    src = COMPARE
    head = voice_head(site, matrix, src, voice)
    views = [cell_view(site, src, c) for c in matrix.column(voice.id)]
    macros = environment().get_template("_compare_macros.html").module
    html = str(macros.voice_data(head, views))  # type: ignore[attr-defined]
    return json.dumps({"voice": voice.id, "html": html}, ensure_ascii=False, separators=(",", ":")) + "\n"
