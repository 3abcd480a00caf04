"""The pages that compare voices: the matrix, the questions, agreement between voices, and two voices side by side.

The data comes from `counterpoint.matrix`; this module only arranges it for the
templates (links relative to each page, places such as “¶12”, counts). Every
corpus string reaches the HTML through Jinja's autoescape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from ..matrix import Agreement, Cell, Matrix
from ..model import Passage, Question, Relation, RelationType, Stance, Text, Voice, VoiceKind
from ..site import (
    AGREEMENT,
    COMPARE,
    MATRIX,
    MATRIX_CSV,
    MATRIX_JSON,
    QUESTIONS_INDEX,
    TEXTS_INDEX,
    question_page,
    text_page,
)
from . import environment
from .common import KIND_LABELS, RenderedPage, Site, TocEntry, nest_toc

SCRIPT = "assets/counterpoint-matrix.js"
"""The small local script of the matrix and compare pages (tooltips dismissed with Esc; choosing two voices)."""

RELATION_VERBS = {
    RelationType.OPPOSES: "opposes",
    RelationType.SUPPORTS: "supports",
    RelationType.RESPONDS_TO: "responds to",
}

VOICE_ORDER_NOTE = (
    "Voices stand in the order their texts were published, then in their place in the text; "
    "the order carries no verdict."
)
ORDER_NOTE = (
    "Voices stand in the order their texts were published, then in their place in the text; "
    "questions and stances in the order of the questions page. Neither the order nor the shapes and "
    "colours carry a verdict: a stance's shape and colour only tell it apart from the other stances "
    "of the same question, and every stance is also written out."
)


# -- what the templates receive -----------------------------------------------------


@dataclass(frozen=True)
class Words:
    """One passage as a page quotes it."""

    passage: Passage
    href: str
    place: str
    """“¶12” or “heading”."""


@dataclass(frozen=True)
class CellView:
    cell: Cell
    key: str
    """Unique within a page: used for ids."""
    words: Words | None
    more: int
    """How many further passages of the voice take the stance on the question."""
    text: Text
    voice_href: str
    question_href: str

    @property
    def voice(self) -> Voice:
        return self.cell.voice

    @property
    def question(self) -> Question:
        return self.cell.question

    @property
    def stance(self) -> Stance | None:
        return self.cell.stance


@dataclass(frozen=True)
class VoiceHead:
    voice: Voice
    text: Text
    href: str
    kind: str
    """The kind of voice, when it is not the text's main article ("Reader comment", "Statement")."""
    addressed: int


@dataclass(frozen=True)
class StanceGroup:
    stance: Stance
    cells: list[CellView]
    voice_words: list[tuple[CellView, list[Words]]]


@dataclass(frozen=True)
class RelationView:
    source: Words
    source_voice: Voice
    verb: str
    target: Words
    target_voice: Voice


@dataclass(frozen=True)
class AgreementView:
    agreement: Agreement
    href: str
    label: str


# -- helpers -----------------------------------------------------------------------


def _words(site: Site, src: str, passage: Passage) -> Words:
    return Words(passage, site.passage_link(src, passage), site.place(passage))


def voice_link(site: Site, src: str, voice: Voice) -> str:
    """The voice's part of its text (the page's top when the text has one voice)."""
    text = site.voice_text(voice)
    anchor = f"v-{voice.id}" if len(text.voices) > 1 else ""
    return site.urls.link(src, text_page(text.slug), anchor)


def compare_link(site: Site, src: str, a: str = "", b: str = "") -> str:
    """The compare page, with the pair of voices in its query (?a=…&b=…) when given."""
    link = site.urls.link(src, COMPARE)
    params = {k: v for k, v in (("a", a), ("b", b)) if v}
    return f"{link}?{urlencode(params)}" if params else link


def _voice_head(site: Site, matrix: Matrix, src: str, voice: Voice) -> VoiceHead:
    text = site.voice_text(voice)
    kind = KIND_LABELS[voice.kind.value] if len(text.voices) > 1 and voice.kind is not VoiceKind.ARTICLE else ""
    return VoiceHead(voice, text, voice_link(site, src, voice), kind, matrix.addressed_count(voice.id))


def cell_view(site: Site, src: str, cell: Cell) -> CellView:
    return CellView(
        cell=cell,
        key=f"{cell.voice.id}--{cell.question.id}",
        words=_words(site, src, cell.evidence) if cell.evidence else None,
        more=max(len(cell.passages) - 1, 0),
        text=site.voice_text(cell.voice),
        voice_href=voice_link(site, src, cell.voice),
        question_href=site.question_link(src, cell.question.id),
    )


def _render(template: str, **context: object) -> Markup:
    return Markup(environment().get_template(template).render(**context))


def _nav(site: Site, src: str) -> dict[str, str]:
    return {
        "matrix": site.urls.link(src, MATRIX),
        "questions": site.urls.link(src, QUESTIONS_INDEX),
        "agreement": site.urls.link(src, AGREEMENT),
        "compare": site.urls.link(src, COMPARE),
        "texts": site.urls.link(src, TEXTS_INDEX),
        "csv": site.urls.link(src, MATRIX_CSV),
        "json": site.urls.link(src, MATRIX_JSON),
        "script": site.urls.link(src, SCRIPT),
    }


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


AGREEMENT_TABLE_LIMIT = 80
"""Above this many voices the agreement table (voices squared cells) is not built: at 1,449 voices it
would hold two million cells. Until it is split into pages, the page says so and points to compare."""


# -- the matrix ----------------------------------------------------------------------


def render_matrix_page(site: Site, matrix: Matrix) -> RenderedPage:
    src = MATRIX
    heads = [_voice_head(site, matrix, src, v) for v in matrix.voices]
    rows = [
        (question, site.question_link(src, question.id), [cell_view(site, src, c) for c in matrix.row(question.id)])
        for question in matrix.questions
    ]
    addressed = sum(1 for _, _, cells in rows for c in cells if c.cell.addressed)
    html = _render(
        "matrix.html",
        heads=heads,
        rows=rows,
        links=_nav(site, src),
        order_note=ORDER_NOTE,
        addressed=addressed,
        total=len(matrix.voices) * len(matrix.questions),
        url_example=f"{site.urls.url(text_page('<text>'))}#<passage>",
    )
    toc = [
        TocEntry(1, "cp-title", "Every voice on every question"),
        TocEntry(2, "cp-matrix-reading", "Reading the matrix"),
        TocEntry(2, "cp-downloads", "Downloads"),
    ]
    return RenderedPage(
        html,
        "Matrix: every voice on every question",
        f"The stance of each of the {len(matrix.voices)} voices on each of the {len(matrix.questions)} questions "
        "of the debate, in the texts' own terms, with the voice's own words.",
        nest_toc(toc),
        {entry.id for entry in toc},
    )


# -- questions -----------------------------------------------------------------------


def render_questions_index(site: Site, matrix: Matrix) -> RenderedPage:
    src = QUESTIONS_INDEX
    items = []
    for question in matrix.questions:
        counts = [(stance, len(cells)) for stance, cells in matrix.by_stance(question.id)]
        items.append((question, site.question_link(src, question.id), counts, len(matrix.not_addressing(question.id))))
    html = _render(
        "questions_index.html",
        items=items,
        voices=len(matrix.voices),
        links=_nav(site, src),
        order_note=ORDER_NOTE,
    )
    toc = [TocEntry(1, "cp-title", "Questions")] + [
        TocEntry(2, f"q-{question.id}", question.short) for question in matrix.questions
    ]
    return RenderedPage(
        html,
        "Questions",
        f"The {len(matrix.questions)} questions of the debate, the stances the texts take on each, and who takes them.",
        nest_toc(toc),
        {entry.id for entry in toc},
    )


def relations_within(site: Site, passages: Sequence[Passage]) -> list[Relation]:
    """The declared relations whose two ends are both among `passages`, in corpus order."""
    ids = {p.id for p in passages}
    return [r for r in site.corpus.relations if r.source in ids and r.target in ids]


def render_question_page(site: Site, matrix: Matrix, question: Question) -> RenderedPage:
    src = question_page(question.id)
    corpus = site.corpus
    groups = []
    on_question: list[Passage] = []
    for stance, cells in matrix.by_stance(question.id):
        views = [cell_view(site, src, c) for c in cells]
        voice_words = [(view, [_words(site, src, p) for p in view.cell.passages]) for view in views]
        groups.append(StanceGroup(stance, views, voice_words))
        on_question.extend(p for c in cells for p in c.passages)
    relations = [
        RelationView(
            _words(site, src, corpus.passage_by_id[r.source]),
            corpus.voice_by_id[corpus.passage_by_id[r.source].voice_id],
            RELATION_VERBS[r.type],
            _words(site, src, corpus.passage_by_id[r.target]),
            corpus.voice_by_id[corpus.passage_by_id[r.target].voice_id],
        )
        for r in relations_within(site, on_question)
    ]
    missing = [_voice_head(site, matrix, src, c.voice) for c in matrix.not_addressing(question.id)]
    position = matrix.questions.index(question)
    questions = matrix.questions
    previous = questions[position - 1] if position > 0 else None
    following = questions[position + 1] if position + 1 < len(questions) else None
    addressing = len(matrix.voices) - len(missing)
    html = _render(
        "question.html",
        question=question,
        groups=groups,
        missing=missing,
        relations=relations,
        addressing=addressing,
        voices=len(matrix.voices),
        position=position + 1,
        total=len(questions),
        previous=(previous, site.question_link(src, previous.id)) if previous else None,
        following=(following, site.question_link(src, following.id)) if following else None,
        links=_nav(site, src),
    )
    toc = [TocEntry(1, "cp-title", question.question)]
    toc += [TocEntry(2, f"stance-{g.stance.id}", g.stance.label) for g in groups]
    toc += [TocEntry(2, "cp-not-addressed", "Not addressed"), TocEntry(2, "cp-relations", "Relations")]
    summary = f"{_plural(addressing, 'voice takes', 'voices take')} a stance on it"
    return RenderedPage(
        html,
        question.question,
        f"{question.question} The stances the texts take ({summary}), each with the voices' own words.",
        nest_toc(toc),
        {entry.id for entry in toc},
    )


# -- agreement -------------------------------------------------------------------------


def render_agreement_page(site: Site, matrix: Matrix, limit: int = AGREEMENT_TABLE_LIMIT) -> RenderedPage:
    src = AGREEMENT
    too_many = len(matrix.voices) > limit
    heads = [] if too_many else [_voice_head(site, matrix, src, v) for v in matrix.voices]
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
                f"{_plural(agreement.shared, 'question', 'questions')} both address. Compare them."
            )
            cells.append(AgreementView(agreement, compare_link(site, src, head.voice.id, other.id), label))
        rows.append((head, cells))
    html = _render(
        "agreement.html",
        heads=heads,
        rows=rows,
        links=_nav(site, src),
        order_note=VOICE_ORDER_NOTE,
        matrix=matrix,
        too_many=too_many,
        limit=limit,
    )
    toc = [TocEntry(1, "cp-title", "Agreement between voices"), TocEntry(2, "cp-agreement-reading", "Reading it")]
    return RenderedPage(
        html,
        "Agreement between voices",
        "For each pair of voices, on how many of the questions both address they take the same stance.",
        nest_toc(toc),
        {entry.id for entry in toc},
    )


# -- compare two voices ------------------------------------------------------------------


def render_compare_page(site: Site, matrix: Matrix) -> RenderedPage:
    src = COMPARE
    heads = [_voice_head(site, matrix, src, v) for v in matrix.voices]
    by_text: list[tuple[Text, list[VoiceHead]]] = []
    for head in heads:
        if by_text and by_text[-1][0].slug == head.text.slug:
            by_text[-1][1].append(head)
        else:
            by_text.append((head.text, [head]))
    columns = [(head, [cell_view(site, src, c) for c in matrix.column(head.voice.id)]) for head in heads]
    questions = [(q, site.question_link(src, q.id)) for q in matrix.questions]
    html = _render(
        "compare.html",
        by_text=by_text,
        columns=columns,
        questions=questions,
        links=_nav(site, src),
        order_note=ORDER_NOTE,
    )
    toc = [TocEntry(1, "cp-title", "Compare two voices")]
    return RenderedPage(
        html,
        "Compare two voices",
        "Choose two voices and read their stances side by side, question by question, in their own words.",
        nest_toc(toc),
        {"cp-title", "cp-compare-a", "cp-compare-b", "cp-compare-result"},
    )


__all__ = [
    "compare_link",
    "render_agreement_page",
    "render_compare_page",
    "render_matrix_page",
    "render_question_page",
    "render_questions_index",
    "voice_link",
]
