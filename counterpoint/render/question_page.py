"""The questions: their index, and each question's page (its stances, each voice under each stance it takes,
in its own words), over pages when its voices are many."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..matrix import Cell, Held, Matrix
from ..model import Passage, Question, Relation, RelationType, Stance, Voice
from ..settings import DEFAULTS, Limits
from ..site import QUESTIONS_INDEX, Site, question_page
from .common import RenderedPage, TocEntry, nest_toc
from .maps import QUESTION_MAP_BYTES, argument_map_figure
from .matrix_views import ORDER_NOTE, CellView, Words, cell_view, nav, plural, render, utf8_len, voice_head, words
from .pagination import page_links, page_src, paginate_by_size

RELATION_VERBS = {
    RelationType.OPPOSES: "opposes",
    RelationType.SUPPORTS: "supports",
    RelationType.RESPONDS_TO: "responds to",
}


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

    A question has one page unless its voices need more than `Limits.question_page_bytes`; then they run over
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


def render_questions_index(site: Site, matrix: Matrix) -> RenderedPage:
    src = QUESTIONS_INDEX
    items = []
    for question in matrix.questions:
        counts = [(stance, len(cells)) for stance, cells in matrix.by_stance(question.id)]
        items.append((question, site.question_link(src, question.id), counts, len(matrix.not_addressing(question.id))))
    html = render(
        "questions_index.html",
        items=items,
        voices=len(matrix.voices),
        links=nav(site, src),
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
        return 120 + utf8_len(voice.name) + utf8_len(voice.text_slug) + utf8_len(voice.id)
    size = 450 + utf8_len(voice.name) + utf8_len(text.title) + utf8_len(voice.text_slug)
    return size + sum(300 + utf8_len(passage.exact) + utf8_len(voice.text_slug) for passage in entry.held.passages)


def _entries(matrix: Matrix, question: Question) -> list[Entry]:
    """Stance by stance, the voices taking it (in the matrix's order)."""
    return [Entry(cell, cell.holding(stance.id)) for stance, cells in matrix.by_stance(question.id) for cell in cells]


def question_pages(matrix: Matrix, question: Question, limits: Limits = DEFAULTS) -> list[QuestionPart]:
    """The pages of a question: one, or as many as its voices need at `limits.question_page_bytes` a page."""
    budget = limits.question_page_bytes
    by_stance = matrix.by_stance(question.id)
    taking = _entries(matrix, question)
    missing = [Entry(cell) for cell in matrix.not_addressing(question.id)]
    pages = paginate_by_size(
        taking + missing,
        question_page(question.id),
        budget,
        lambda entry: _entry_size(matrix, entry),
        # The first page also carries the argument map.
        max(budget - QUESTION_MAP_BYTES, budget // 2),
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
            voice_words.append((view, [words(site, src, p) for p in entry.held.passages]))
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
    """The declared links between the page's passages (up to `Limits.question_relations_per_page` on a page of many),
    and how many more there are."""
    corpus = site.corpus

    def end(pid: str) -> tuple[Words, Voice]:
        passage = corpus.passage_by_id[pid]
        return words(site, src, passage), corpus.voice_by_id[passage.voice_id]

    relations = [
        RelationView(*end(r.source), RELATION_VERBS[r.type], *end(r.target)) for r in relations_within(site, passages)
    ]
    most = site.limits.question_relations_per_page
    if paginated and len(relations) > most:
        return relations[:most], len(relations) - most
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


def _neighbours(site: Site, matrix: Matrix, question: Question, src: str) -> dict[str, tuple[Question, str] | None]:
    """The previous and the following question, each with a link to it (None at either end)."""
    questions = matrix.questions
    index = questions.index(question)
    around = {"previous": index - 1, "following": index + 1}
    return {
        name: (questions[i], site.question_link(src, questions[i].id)) if 0 <= i < len(questions) else None
        for name, i in around.items()
    }


def render_question_page(
    site: Site, matrix: Matrix, question: Question, part: QuestionPart | None = None
) -> RenderedPage:
    """One page of a question (the first by default): the stances, who takes each, in their own words."""
    part = part or question_pages(matrix, question, site.limits)[0]
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
    show_missing = not paginated or bool(part.missing)
    show_relations = not paginated or bool(part.taking)
    html = render(
        "question.html",
        question=question,
        groups=groups,
        totals=totals,
        missing=[voice_head(site, matrix, src, c.voice) for c in part.missing],
        missing_total=missing_total,
        missing_href=missing_href,
        relations=relations,
        more_relations=more_relations,
        addressing=addressing,
        listed=sum(len(cells) for _, cells in by_stance),
        voices=len(matrix.voices),
        position=matrix.questions.index(question) + 1,
        total=len(matrix.questions),
        **_neighbours(site, matrix, question, src),
        links=nav(site, src),
        paginated=paginated,
        part=part,
        pages=page_links(site.urls, src, [page_src(first_src, n) for n in range(1, part.count + 1)], part.number),
        show_missing=show_missing,
        show_relations=show_relations,
        argument_map=argument_map_figure(site, matrix, question, src) if part.number == 1 else "",
    )
    toc = _question_toc(part, groups, show_missing, show_relations)
    summary = f"{plural(addressing, 'voice takes', 'voices take')} a stance on it"
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
