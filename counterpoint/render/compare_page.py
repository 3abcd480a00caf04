"""Two voices side by side: the compare page, and the files it fetches when the voices are too many to carry."""

from __future__ import annotations

import json

from markupsafe import Markup, escape

from ..matrix import Matrix
from ..model import Text, Voice
from ..settings import DEFAULTS, Limits
from ..site import COMPARE, COMPARE_VOICES, Site, compare_voice_file
from .common import RenderedPage, TocEntry, nest_toc
from .matrix_views import ORDER_NOTE, CellView, VoiceHead, cell_view, nav, render, voice_head
from .pieces import quoted, stance_mark, words_link


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
        voice_positions=voice_positions,
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


def voice_positions(head: VoiceHead, views: list[CellView]) -> Markup:
    """One voice's positions on every question, as the compare page carries them (or fetches them, one
    voice a file), every corpus string escaped. Made here, not by a template's macros: at 1,000 texts
    it runs for each of 1,506 voices on each question, and the macros' calls were most of its time."""
    voice, text = head.voice, head.text
    date = f', <time datetime="{escape(text.date.iso)}">{escape(text.date.human())}</time>' if text.date else ""
    parts = [
        f'<div data-voice="{escape(voice.id)}" data-short="{escape(voice.short)}">\n'
        f'  <p class="cp-compare-voice"><a href="{escape(head.href)}">{escape(voice.name)}</a>'
        f'<span class="cp-compare-voice-text"><span class="cp-xref-title" dir="auto">{escape(text.title)}</span>'
        f"{date}</span></p>\n"
    ]
    for view in views:
        parts.append(
            f'  <div class="cp-position" data-q="{escape(view.question.id)}" data-stance="{escape(view.stance_ids)}" '
            f'data-contradicts="{escape(view.contradicted)}">\n    {_position(view)}\n  </div>\n'
        )
    parts.append("</div>")
    return Markup("".join(parts))


def _position(view: CellView) -> str:
    """One voice on one question, as the compare page shows it."""
    if not view.held:
        return '<p class="cp-not-addressed">not addressed</p>\n'
    parts = []
    for held in view.held:
        more = ""
        if held.more:
            passages = "passage" if held.more == 1 else "passages"
            more = (
                f' <span class="cp-more-passages">· {held.more} more {passages} on '
                f'<a href="{escape(view.question_href)}">the question\'s page</a></span>'
            )
        parts.append(
            '<div class="cp-position-held">\n'
            f'<p class="cp-position-stance">{stance_mark(held.stance)}</p>\n'
            f'<blockquote class="cp-position-words"><p>{quoted(held.words.passage.exact)}</p></blockquote>\n'
            f'<p class="cp-position-where">{words_link(held.words, view.text, False)}{more}</p>\n'
            "</div>\n"
        )
    return "".join(parts)


def compare_voice_data(site: Site, matrix: Matrix, voice: Voice) -> str:
    """matrix/compare/voices/<voice>.json: one voice's positions, as the compare page would carry them.

    {"voice": "<voice id>", "html": "<div data-voice=…>…</div>"}: the markup is the page's own (the same
    macro, every corpus string escaped), with links relative to the compare page, which shows it.
    """
    src = COMPARE
    head = voice_head(site, matrix, src, voice)
    views = [cell_view(site, src, c) for c in matrix.column(voice.id)]
    html = str(voice_positions(head, views))
    return json.dumps({"voice": voice.id, "html": html}, ensure_ascii=False, separators=(",", ":")) + "\n"
