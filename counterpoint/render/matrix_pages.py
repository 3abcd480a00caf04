"""The pages that compare voices: the matrix, the questions, agreement between voices, and two voices side by side.

The data comes from `counterpoint.matrix`; this module only arranges it for the
templates (links relative to each page, places such as “¶12”, counts). Every
corpus string reaches the HTML through Jinja's autoescape.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from ..matrix import Agreement, Cell, Held, Matrix
from ..model import Passage, Question, Relation, RelationType, Stance, Text, Voice, VoiceKind
from ..site import (
    AGREEMENT,
    COMPARE,
    COMPARE_VOICES,
    MATRIX,
    MATRIX_CSV,
    MATRIX_JSON,
    QUESTIONS_INDEX,
    SEARCH,
    TEXTS_INDEX,
    compare_voice_file,
    question_page,
    text_page,
)
from . import environment
from .common import KIND_LABELS, RenderedPage, Site, TocEntry, nest_toc
from .maps import QUESTION_MAP_BYTES, argument_map_figure, voice_map_figure
from .pagination import Page, page_links, page_src, paginate, paginate_by_size

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
class HeldView:
    """One stance a voice takes on a question, with the words the page quotes for it."""

    held: Held
    key: str
    """Unique within a page: used for ids."""
    words: Words
    more: int
    """How many further passages of the voice take the stance on the question."""

    @property
    def stance(self) -> Stance:
        return self.held.stance


@dataclass(frozen=True)
class CellView:
    cell: Cell
    held: list[HeldView]
    """Every stance the voice takes on the question, in the question's order (empty: not addressed)."""
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
    def stance_ids(self) -> str:
        """The ids of the stances held, space-separated, in the question's order (compare reads them)."""
        return " ".join(h.stance.id for h in self.held)

    @property
    def contradicted(self) -> str:
        """The ids of the question's stances that contradict one the voice holds, space-separated: compare
        calls two voices opposed on a question only where one holds one of these (as Agreement.opposed)."""
        ids = {sid for h in self.held for sid in h.stance.contradicts}
        return " ".join(s.id for s in self.cell.question.stances if s.id in ids)


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
    anchor: str
    """The id of the group's heading: stance-<id> where the stance's voices begin, stance-<id>-continued after."""
    continued: bool = False
    """The stance's voices began on an earlier page of the question."""
    continues: str = ""
    """A link to the next page when the stance's voices go on there."""


@dataclass(frozen=True)
class StanceTotal:
    """One stance at the top of a question's page: how many voices take it on the whole question, and where."""

    stance: Stance
    count: int
    href: str
    """Where the stance's voices begin (“#stance-<id>”, or on another page); empty when no voice takes it."""
    pages: str = ""
    """On a paginated question: the pages that quote its voices (“pages 2–3”)."""
    anchor: str = ""
    """stance-<id> when the stance's voices do not begin on this page, so that a link to it still lands."""


@dataclass(frozen=True)
class Entry:
    """A voice under one stance it takes on a question (a voice holding two is an entry under each), or,
    with no stance, among the voices that do not address the question."""

    cell: Cell
    held: Held | None = None


@dataclass(frozen=True)
class QuestionPart:
    """One page of a question: voices that take a stance on it (with their words), then voices that do not.

    A question has one page unless its voices need more than QUESTION_PAGE_BYTES; then they run over
    pages, those that take a stance first, stance by stance, then those that do not address it.
    """

    question: Question
    number: int
    count: int
    src: str
    taking: Sequence[Entry]
    """The voices quoted on this page under a stance, in the order of the stances, then of publication."""
    taking_from: int
    """Position of the first of them among all the entries under a stance on the question (0-based)."""
    missing: Sequence[Cell]
    """The voices listed on this page as not addressing the question."""
    missing_from: int
    """Position of the first of them among all the voices that do not address it (0-based)."""
    stance_pages: dict[str, tuple[int, int]]
    """The first and last pages that quote each stance's voices (a stance no voice takes is not there)."""
    missing_page: int
    """The page where the voices that do not address the question begin (0 if every voice addresses it)."""


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
    key = f"{cell.voice.id}--{cell.question.id}"
    return CellView(
        cell=cell,
        held=[
            HeldView(h, f"{key}--{h.stance.id}", _words(site, src, h.evidence), len(h.passages) - 1) for h in cell.held
        ],
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
        "search": site.urls.link(src, SEARCH),
    }


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


MATRIX_ONE_PAGE_VOICES = 12
"""Up to this many voices, the matrix is one page, however long their words. Beyond, it runs over pages
(the first at the matrix's address, then matrix/page/2/ and so on), each holding as many voices as fit
in MATRIX_PAGE_BYTES."""
MATRIX_PAGE_BYTES = 60_000
"""About how much a page of the matrix gives its voices' columns, estimated from the words each cell quotes
(see `_column_size`). With the rest of the page and the site's frame, a page stays well under 100 KB."""
QUESTION_PAGE_BYTES = 60_000
"""About how much a question's page gives its voices: those that take a stance, with all their words on
the question, then those that do not address it. A question whose voices need more runs over pages
(questions/<id>/page/2/ and so on)."""
QUESTION_RELATIONS_PER_PAGE = 20
"""On a question that runs over pages, each page gives the declared links between its own passages, up to
this many (then says how many more there are: each text's page gives them all)."""
COMPARE_EMBED_LIMIT = 60
"""Up to this many voices, the compare page carries every voice's positions; beyond, it fetches the two chosen
voices' positions (matrix/compare/voices/<voice>.json) and the list of voices (matrix/compare/voices.json)."""
AGREEMENT_TABLE_LIMIT = 80
"""Above this many voices the agreement table (voices squared cells) is not built: at 1,449 voices it
would hold two million cells. Until it is split into pages, the page says so and points to compare."""


# -- the matrix ----------------------------------------------------------------------


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _column_size(matrix: Matrix, voice: Voice) -> int:
    """About how many bytes of HTML a voice's column of the matrix takes (measured on matrix.html's markup)."""
    title = matrix.corpus.text_by_slug[voice.text_slug].title
    names = 2 * _size(voice.short) + 2 * _size(voice.id)
    size = 250 + _size(voice.short)
    for question in matrix.questions:
        cell = matrix.cell(voice.id, question.id)
        if not cell.held:
            size += 150 + _size(voice.short) + _size(question.short)
        for held in cell.held:
            size += 650 + names + _size(held.evidence.exact) + _size(title) + _size(held.stance.label)
            size += _size(voice.text_slug) + _size(question.short)
    return size


def matrix_pages(matrix: Matrix) -> list[Page[Voice]]:
    """The pages of the matrix: every voice on one page up to MATRIX_ONE_PAGE_VOICES, else pages by weight."""
    if len(matrix.voices) <= MATRIX_ONE_PAGE_VOICES:
        return paginate(matrix.voices, MATRIX, max(len(matrix.voices), 1))
    return paginate_by_size(matrix.voices, MATRIX, MATRIX_PAGE_BYTES, lambda voice: _column_size(matrix, voice))


def render_matrix_page(
    site: Site, matrix: Matrix, page: Page[Voice] | None = None, pages: Sequence[Page[Voice]] = ()
) -> RenderedPage:
    """One page of the matrix (the first by default) among `pages` (`matrix_pages`): its voices on every question."""
    pages = pages or matrix_pages(matrix)
    page = page or pages[0]
    src = page.src
    heads = [_voice_head(site, matrix, src, v) for v in page.items]
    rows = [
        (
            question,
            site.question_link(src, question.id),
            [cell_view(site, src, matrix.cell(v.id, question.id)) for v in page.items],
        )
        for question in matrix.questions
    ]
    voices = len(matrix.voices)
    paginated = page.count > 1
    dates = [site.voice_text(page.items[0]).date, site.voice_text(page.items[-1]).date] if paginated else []
    html = _render(
        "matrix.html",
        heads=heads,
        rows=rows,
        links=_nav(site, src),
        order_note=ORDER_NOTE,
        voices=voices,
        addressed=matrix.addressed_total(),
        total=voices * len(matrix.questions),
        url_example=f"{site.urls.url(text_page('<text>'))}#<passage>",
        paginated=paginated,
        page=page,
        dates=dates if all(dates) else [],
        pages=page_links(site.urls, src, [p.src for p in pages], page.number),
    )
    toc = [
        TocEntry(1, "cp-title", "Every voice on every question"),
        TocEntry(2, "cp-matrix-reading", "Reading the matrix"),
        TocEntry(2, "cp-downloads", "Downloads"),
    ]
    title = "Matrix: every voice on every question"
    description = (
        f"The stance of each of the {voices} voices on each of the {len(matrix.questions)} questions "
        "of the debate, in the texts' own terms, with the voice's own words."
    )
    if paginated:
        shown = f"voices {page.first_index + 1:,}–{page.last_index + 1:,} of {voices:,}"
        title = f"{title} ({shown})"
        description = f"Page {page.number} of {page.count} of the matrix, {shown}: {description}"
    return RenderedPage(html, title, description, nest_toc(toc), {entry.id for entry in toc})


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
    corpus = site.corpus
    # Through the passages' own relations: a question has many pages, the corpus many relations.
    indexes = sorted({i for pid in ids for i in corpus.relations_touching(pid)})
    return [r for r in (corpus.relations[i] for i in indexes) if r.source in ids and r.target in ids]


def _entry_size(matrix: Matrix, entry: Entry) -> int:
    """About how many bytes of HTML an entry takes on a question's page (measured on question.html's markup)."""
    voice = entry.cell.voice
    text = matrix.corpus.text_by_slug[voice.text_slug]
    if entry.held is None:
        return 120 + _size(voice.name) + _size(voice.text_slug) + _size(voice.id)
    size = 450 + _size(voice.name) + _size(text.title) + _size(voice.text_slug)
    return size + sum(300 + _size(passage.exact) + _size(voice.text_slug) for passage in entry.held.passages)


def _entries(matrix: Matrix, question: Question) -> list[Entry]:
    """Stance by stance, the voices taking it (in the matrix's order)."""
    return [Entry(cell, cell.holding(stance.id)) for stance, cells in matrix.by_stance(question.id) for cell in cells]


def question_pages(matrix: Matrix, question: Question) -> list[QuestionPart]:
    """The pages of a question: one, or as many as its voices need at QUESTION_PAGE_BYTES a page."""
    by_stance = matrix.by_stance(question.id)
    taking = _entries(matrix, question)
    missing = [Entry(cell) for cell in matrix.not_addressing(question.id)]
    pages = paginate_by_size(
        taking + missing,
        question_page(question.id),
        QUESTION_PAGE_BYTES,
        lambda entry: _entry_size(matrix, entry),
        # The first page also carries the argument map.
        max(QUESTION_PAGE_BYTES - QUESTION_MAP_BYTES, QUESTION_PAGE_BYTES // 2),
    )
    # Where each stance's voices and the voices that do not address it begin and end.
    page_of = [page.number for page in pages for _ in page.items]
    stance_pages: dict[str, tuple[int, int]] = {}
    position = 0
    for stance, cells in by_stance:
        if cells:
            stance_pages[stance.id] = (page_of[position], page_of[position + len(cells) - 1])
        position += len(cells)
    missing_page = page_of[len(taking)] if missing else 0
    parts = []
    for page in pages:
        quoted = [e for e in page.items if e.held is not None]
        listed = [e.cell for e in page.items[len(quoted) :]]
        parts.append(
            QuestionPart(
                question,
                page.number,
                page.count,
                page.src,
                quoted,
                page.first_index if quoted else 0,
                listed,
                max(page.first_index + len(quoted) - len(taking), 0),
                stance_pages,
                missing_page,
            )
        )
    return parts


def _pages_label(first: int, last: int) -> str:
    return f"page {first}" if first == last else f"pages {first}–{last}"


Spans = dict[str, tuple[int, int]]
"""Where each stance's entries stand among all the entries under a stance (0-based, end excluded)."""


def _spans(by_stance: list[tuple[Stance, list[Cell]]]) -> Spans:
    spans: Spans = {}
    position = 0
    for stance, cells in by_stance:
        spans[stance.id] = (position, position + len(cells))
        position += len(cells)
    return spans


def _stance_totals(
    site: Site, part: QuestionPart, by_stance: list[tuple[Stance, list[Cell]]], spans: Spans
) -> list[StanceTotal]:
    """The stances at the top of the page, each with how many voices take it on the whole question, and where."""
    first_src = question_page(part.question.id)
    shown = range(part.taking_from, part.taking_from + len(part.taking))
    totals: list[StanceTotal] = []
    for stance, cells in by_stance:
        anchor = f"stance-{stance.id}"
        if part.count == 1:
            totals.append(StanceTotal(stance, len(cells), f"#{anchor}"))
        elif not cells:
            totals.append(StanceTotal(stance, 0, "", "", anchor))
        else:
            first_page, last_page = part.stance_pages[stance.id]
            href = site.urls.link(part.src, page_src(first_src, first_page), anchor)
            here = spans[stance.id][0] in shown
            totals.append(
                StanceTotal(stance, len(cells), href, _pages_label(first_page, last_page), "" if here else anchor)
            )
    return totals


def _stance_groups(
    site: Site, part: QuestionPart, by_stance: list[tuple[Stance, list[Cell]]], spans: Spans
) -> tuple[list[StanceGroup], list[Passage]]:
    """The page's sections, one per stance it quotes (all of them on a one-page question), and the passages
    they quote."""
    paginated = part.count > 1
    src = part.src
    shown = range(part.taking_from, part.taking_from + len(part.taking))
    groups = []
    on_page: list[Passage] = []
    for stance, _ in by_stance:
        begin, end = spans[stance.id]
        low, high = max(begin, shown.start), min(end, shown.stop)
        if paginated and low >= high:
            continue  # on a one-page question, a stance no voice takes still has its section
        entries = part.taking[low - shown.start : high - shown.start]
        voice_words = []
        views = []
        for entry in entries:
            assert entry.held is not None
            view = cell_view(site, src, entry.cell)
            views.append(view)
            voice_words.append((view, [_words(site, src, p) for p in entry.held.passages]))
            on_page.extend(entry.held.passages)
        continued = paginated and begin < shown.start
        continues = ""
        if paginated and end > shown.stop:
            next_page = page_src(question_page(part.question.id), part.number + 1)
            continues = site.urls.link(src, next_page, f"stance-{stance.id}-continued")
        anchor = f"stance-{stance.id}-continued" if continued else f"stance-{stance.id}"
        groups.append(StanceGroup(stance, views, voice_words, anchor, continued, continues))
    return groups, on_page


def _relation_views(
    site: Site, src: str, passages: Sequence[Passage], paginated: bool
) -> tuple[list[RelationView], int]:
    """The declared links between the page's passages (up to QUESTION_RELATIONS_PER_PAGE on a page of many),
    and how many more there are."""
    corpus = site.corpus

    def end(pid: str) -> tuple[Words, Voice]:
        passage = corpus.passage_by_id[pid]
        return _words(site, src, passage), corpus.voice_by_id[passage.voice_id]

    relations = [
        RelationView(*end(r.source), RELATION_VERBS[r.type], *end(r.target)) for r in relations_within(site, passages)
    ]
    if paginated and len(relations) > QUESTION_RELATIONS_PER_PAGE:
        return relations[:QUESTION_RELATIONS_PER_PAGE], len(relations) - QUESTION_RELATIONS_PER_PAGE
    return relations, 0


def _question_toc(
    part: QuestionPart, groups: list[StanceGroup], show_missing: bool, show_relations: bool
) -> list[TocEntry]:
    toc = [TocEntry(1, "cp-title", part.question.question)]
    if part.number == 1:
        toc.append(TocEntry(2, "cp-argument-map", "Argument map"))
    toc += [TocEntry(2, g.anchor, g.stance.label + (" (continued)" if g.continued else "")) for g in groups]
    if show_missing:
        toc.append(TocEntry(2, "cp-not-addressed", "Not addressed"))
    if show_relations:
        toc.append(TocEntry(2, "cp-relations", "Relations"))
    return toc


def render_question_page(
    site: Site, matrix: Matrix, question: Question, part: QuestionPart | None = None
) -> RenderedPage:
    """One page of a question (the first by default): the stances, who takes each, in their own words."""
    part = part or question_pages(matrix, question)[0]
    paginated = part.count > 1
    src = part.src
    first_src = question_page(question.id)
    by_stance = matrix.by_stance(question.id)
    spans = _spans(by_stance)
    totals = _stance_totals(site, part, by_stance, spans)
    groups, on_page = _stance_groups(site, part, by_stance, spans)
    relations, more_relations = _relation_views(site, src, on_page, paginated)
    missing_total = len(matrix.not_addressing(question.id))
    addressing = len(matrix.voices) - missing_total
    missing_href = "#cp-not-addressed"
    if paginated and missing_total:
        missing_href = site.urls.link(src, page_src(first_src, part.missing_page), "cp-not-addressed")
    index = matrix.questions.index(question)
    questions = matrix.questions
    previous = questions[index - 1] if index > 0 else None
    following = questions[index + 1] if index + 1 < len(questions) else None
    show_missing = not paginated or bool(part.missing)
    show_relations = not paginated or bool(part.taking)
    html = _render(
        "question.html",
        question=question,
        groups=groups,
        totals=totals,
        missing=[_voice_head(site, matrix, src, c.voice) for c in part.missing],
        missing_total=missing_total,
        missing_href=missing_href,
        relations=relations,
        more_relations=more_relations,
        addressing=addressing,
        listed=sum(len(cells) for _, cells in by_stance),
        voices=len(matrix.voices),
        position=index + 1,
        total=len(questions),
        previous=(previous, site.question_link(src, previous.id)) if previous else None,
        following=(following, site.question_link(src, following.id)) if following else None,
        links=_nav(site, src),
        paginated=paginated,
        part=part,
        pages=page_links(site.urls, src, [page_src(first_src, n) for n in range(1, part.count + 1)], part.number),
        show_missing=show_missing,
        show_relations=show_relations,
        argument_map=argument_map_figure(site, matrix, question, src) if part.number == 1 else "",
    )
    toc = _question_toc(part, groups, show_missing, show_relations)
    summary = f"{_plural(addressing, 'voice takes', 'voices take')} a stance on it"
    title = question.question
    description = f"{question.question} The stances the texts take ({summary}), each with the voices' own words."
    if paginated:
        title = f"{title} (page {part.number} of {part.count})"
        description = f"{description} Page {part.number} of {part.count}."
    return RenderedPage(
        html,
        title,
        description,
        nest_toc(toc),
        {entry.id for entry in toc} | {t.anchor for t in totals if t.anchor},
    )


# -- agreement -------------------------------------------------------------------------


def render_agreement_page(site: Site, matrix: Matrix, limit: int | None = None) -> RenderedPage:
    src = AGREEMENT
    limit = AGREEMENT_TABLE_LIMIT if limit is None else limit
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
        voice_map=voice_map_figure(site, matrix, src, matrix_pages(matrix), compare_link(site, src)),
    )
    toc = [
        TocEntry(1, "cp-title", "Agreement between voices"),
        TocEntry(2, "cp-voice-map", "Map of the voices"),
        TocEntry(2, "cp-agreement-reading", "Reading it"),
    ]
    return RenderedPage(
        html,
        "Agreement between voices",
        "For each pair of voices, on how many of the questions both address they take the same stance.",
        nest_toc(toc),
        {entry.id for entry in toc},
    )


# -- compare two voices ------------------------------------------------------------------


def compare_embeds(matrix: Matrix) -> bool:
    """Whether the compare page carries every voice's positions (up to COMPARE_EMBED_LIMIT voices) or fetches them."""
    return len(matrix.voices) <= COMPARE_EMBED_LIMIT


def render_compare_page(site: Site, matrix: Matrix) -> RenderedPage:
    src = COMPARE
    embed = compare_embeds(matrix)
    heads = [_voice_head(site, matrix, src, v) for v in matrix.voices] if embed else []
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
    html = _render(
        "compare.html",
        by_text=by_text,
        columns=columns,
        questions=questions,
        links=_nav(site, src),
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
    head = _voice_head(site, matrix, src, voice)
    views = [cell_view(site, src, c) for c in matrix.column(voice.id)]
    macros = environment().get_template("_compare_macros.html").module
    html = str(macros.voice_data(head, views))  # type: ignore[attr-defined]
    return json.dumps({"voice": voice.id, "html": html}, ensure_ascii=False, separators=(",", ":")) + "\n"


__all__ = [
    "compare_embeds",
    "compare_link",
    "compare_voice_data",
    "compare_voice_list",
    "matrix_pages",
    "question_pages",
    "render_agreement_page",
    "render_compare_page",
    "render_matrix_page",
    "render_question_page",
    "render_questions_index",
    "voice_link",
]
