"""Agreement between voices: for each pair, on how many of the questions both address they share a stance,
and on how many they take stances declared contradictory."""

from __future__ import annotations

from dataclasses import dataclass

from ..matrix import Agreement, Matrix
from ..site import AGREEMENT, Site
from .common import RenderedPage, TocEntry, nest_toc
from .maps import voice_map_figure
from .matrix_page import matrix_pages
from .matrix_views import VOICE_ORDER_NOTE, VoiceHead, compare_link, nav, plural, render, voice_head


@dataclass(frozen=True)
class AgreementView:
    agreement: Agreement
    href: str
    label: str


def render_agreement_page(site: Site, matrix: Matrix, limit: int | None = None) -> RenderedPage:
    src = AGREEMENT
    limit = site.limits.agreement_table_voices if limit is None else limit
    too_many = len(matrix.voices) > limit
    heads = [] if too_many else [voice_head(site, matrix, src, v) for v in matrix.voices]
    rows: list[tuple[VoiceHead, list[AgreementView | None]]] = []
    for head in heads:
        cells: list[AgreementView | None] = []
        for other in matrix.voices:
            if other.id == head.voice.id:
                cells.append(None)
                continue
            agreement = matrix.agreement(head.voice.id, other.id)
            label = (
                f"{head.voice.short} and {other.short}: the same stance on {agreement.agree} of the "
                f"{plural(agreement.shared, 'question', 'questions')} both address; contradicting stances on "
                f"{len(agreement.opposed)}. Compare them."
            )
            cells.append(AgreementView(agreement, compare_link(site, src, head.voice.id, other.id), label))
        rows.append((head, cells))
    html = render(
        "agreement.html",
        heads=heads,
        rows=rows,
        links=nav(site, src),
        order_note=VOICE_ORDER_NOTE,
        matrix=matrix,
        too_many=too_many,
        limit=limit,
        voice_map=voice_map_figure(site, matrix, src, matrix_pages(matrix, site.limits), compare_link(site, src)),
    )
    toc = [
        TocEntry(1, "cp-title", "Agreement between voices"),
        TocEntry(2, "cp-voice-map", "Map of the voices"),
        TocEntry(2, "cp-agreement-reading", "Reading it"),
    ]
    return RenderedPage(
        html,
        "Agreement between voices",
        "For each pair of voices, on how many of the questions both address they take the same stance, and on how "
        "many contradicting ones.",
        nest_toc(toc),
        {entry.id for entry in toc},
    )
