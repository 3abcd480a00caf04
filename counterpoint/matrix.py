"""Every voice on every question: the comparison matrix, agreement between voices, and its downloads.

Pure data, no HTML. A cell holds one voice's stance on one question and the
evidence for it: the voice's first passage on the question in corpus order (the
same passage `graph.py` cites for the voice). A voice that has no passage on a
question gets an explicit "not addressed" cell.

`build_matrix` asserts the matrix's invariants and re-verifies each piece of
evidence against the text: a stance that cannot show the voice's own words
fails the build with a `CorpusError` naming the annotation file and line.

For scale, a Matrix can be built over any subset of voices and questions, so a
page (or a download) can hold one slice of the corpus; agreement is computed
per pair, on demand.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .anchoring import collapse
from .annotations import check_consistent_stances
from .model import Corpus, Passage, Question, Stance, Voice
from .problems import CorpusError, Problems
from .site import Urls, text_page

COLUMNS = ("voice", "text", "question_id", "question", "stance", "quote", "url")
"""The columns of downloads/matrix.csv, in order (and the keys of each row in matrix.json)."""

URL_NOTE = (
    "url is relative to the site's root (e.g. texts/<text>/#<passage>): "
    "join it to the address the site is published at."
)


@dataclass(frozen=True)
class Cell:
    """One voice on one question."""

    voice: Voice
    question: Question
    stance: Stance | None = None
    evidence: Passage | None = None
    """The voice's first passage on the question, in corpus order: the words the cell shows."""
    passages: tuple[Passage, ...] = ()
    """All the voice's passages with a stance on the question, in corpus order (the evidence first)."""

    @property
    def addressed(self) -> bool:
        return self.stance is not None


@dataclass(frozen=True)
class Agreement:
    """Two voices on the questions both address."""

    a: Voice
    b: Voice
    same: tuple[Question, ...]
    """Questions on which both take the same stance."""
    different: tuple[Question, ...]
    """Questions on which both take stances, but share none."""
    opposed: tuple[Question, ...] = ()
    """Questions on which one holds a stance that `questions.yml` declares contradictory to one of the other's
    (the rest of `different` are compatible positions, which are not an opposition)."""

    @property
    def shared(self) -> int:
        """How many questions both voices address."""
        return len(self.same) + len(self.different)

    @property
    def agree(self) -> int:
        return len(self.same)


@dataclass(frozen=True)
class Record:
    """One row of the downloads: one voice on one question."""

    voice: str
    text: str
    question_id: str
    question: str
    stance: str
    """The stance's label, or "" when the voice does not address the question."""
    quote: str
    """The voice's exact words (its first passage on the question), or ""."""
    url: str
    """The passage's address relative to the site root, with its #anchor, or ""."""

    def as_dict(self) -> dict[str, str]:
        return {column: getattr(self, column) for column in COLUMNS}


class Matrix:
    """Voices (columns, in the corpus's chronological order) by questions (rows, in corpus order)."""

    def __init__(self, corpus: Corpus, voices: tuple[Voice, ...], questions: tuple[Question, ...]) -> None:
        self.corpus = corpus
        self.voices = voices
        self.questions = questions
        self._cells: dict[tuple[str, str], Cell] = {}
        self._addressed: int | None = None
        # Every page of a paginated question or matrix asks for the same rows again.
        self._rows: dict[str, tuple[Cell, ...]] = {}
        self._by_stance: dict[str, list[tuple[Stance, list[Cell]]]] = {}

    def cell(self, voice_id: str, question_id: str) -> Cell:
        return self._cells[(voice_id, question_id)]

    def row(self, question_id: str) -> tuple[Cell, ...]:
        """One question, every voice."""
        row = self._rows.get(question_id)
        if row is None:
            row = self._rows[question_id] = tuple(self._cells[(v.id, question_id)] for v in self.voices)
        return row

    def column(self, voice_id: str) -> tuple[Cell, ...]:
        """One voice, every question."""
        return tuple(self._cells[(voice_id, q.id)] for q in self.questions)

    def by_stance(self, question_id: str) -> list[tuple[Stance, list[Cell]]]:
        """Each stance of the question, in the question's order, with the cells of the voices that take it."""
        cached = self._by_stance.get(question_id)
        if cached is None:
            question = self.corpus.question_by_id[question_id]
            taking: dict[str, list[Cell]] = {stance.id: [] for stance in question.stances}
            for cell in self.row(question_id):
                if cell.stance is not None:
                    taking[cell.stance.id].append(cell)
            cached = self._by_stance[question_id] = [(stance, taking[stance.id]) for stance in question.stances]
        return [(stance, list(cells)) for stance, cells in cached]

    def not_addressing(self, question_id: str) -> list[Cell]:
        return [c for c in self.row(question_id) if not c.addressed]

    def addressed_count(self, voice_id: str) -> int:
        return sum(1 for c in self.column(voice_id) if c.addressed)

    def addressed_total(self) -> int:
        """How many cells of the whole matrix hold a stance (counted once: every page of the matrix gives it)."""
        if self._addressed is None:
            self._addressed = sum(1 for c in self._cells.values() if c.addressed)
        return self._addressed

    def agreement(self, a: str, b: str) -> Agreement:
        same: list[Question] = []
        different: list[Question] = []
        opposed: list[Question] = []
        for question in self.questions:
            first, second = self._cells[(a, question.id)], self._cells[(b, question.id)]
            if first.stance is None or second.stance is None:
                continue
            mine, theirs = _stances_held(first), _stances_held(second)
            (same if mine & theirs else different).append(question)
            if any(question.contradict(x, y) for x in mine for y in theirs):
                opposed.append(question)
        voices = self.corpus.voice_by_id
        return Agreement(voices[a], voices[b], tuple(same), tuple(different), tuple(opposed))

    def records(self, urls: Urls) -> list[Record]:
        """One row per voice and question, voices in order, then questions in order."""
        rows = []
        texts = self.corpus.text_by_slug
        for voice in self.voices:
            for cell in self.column(voice.id):
                passage = cell.evidence
                rows.append(
                    Record(
                        voice=voice.name,
                        text=texts[voice.text_slug].title,
                        question_id=cell.question.id,
                        question=cell.question.question,
                        stance=cell.stance.label if cell.stance else "",
                        quote=passage.exact if passage else "",
                        url=passage_url(urls, passage) if passage else "",
                    )
                )
        return rows


def _stances_held(cell: Cell) -> set[str]:
    """Every stance the cell's voice takes on its question (compatible ones can be several)."""
    return {sid for passage in cell.passages for qid, sid in passage.stances if qid == cell.question.id}


def passage_url(urls: Urls, passage: Passage) -> str:
    """The passage's address relative to the site root, with its anchor."""
    return f"{urls.url(text_page(passage.text_slug))}#{passage.id}"


def build_matrix(
    corpus: Corpus,
    voices: Sequence[Voice] | None = None,
    questions: Sequence[Question] | None = None,
    root: Path | None = None,
) -> Matrix:
    """The matrix of `voices` (default: all, in corpus order) by `questions` (default: all).

    Raises CorpusError if a stance cannot be traced to a passage whose quote is
    the voice's own words in the text; `root` makes the paths in its messages relative.
    """
    chosen_voices = tuple(voices) if voices is not None else corpus.voices
    chosen_questions = tuple(questions) if questions is not None else corpus.questions
    matrix = Matrix(corpus, chosen_voices, chosen_questions)
    wanted_voices = {v.id for v in chosen_voices}
    wanted_questions = {q.id for q in chosen_questions}
    problems = Problems(root or Path.cwd())

    held: dict[tuple[str, str], list[tuple[Passage, Stance]]] = {}
    for passage in corpus.passages:
        for qid, sid in passage.stances:
            if passage.voice_id not in wanted_voices or qid not in wanted_questions:
                continue
            stance = _stance_of(corpus, passage, qid, sid, problems)
            if stance is None or not _verified(corpus, passage, problems):
                continue
            held.setdefault((passage.voice_id, qid), []).append((passage, stance))

    check_consistent_stances(
        (p for p in corpus.passages if p.voice_id in wanted_voices), corpus.question_by_id, problems
    )
    for voice in chosen_voices:
        for question in chosen_questions:
            evidence = held.get((voice.id, question.id), [])
            if not evidence:
                matrix._cells[(voice.id, question.id)] = Cell(voice, question)
                continue
            first, stance = evidence[0]
            matrix._cells[(voice.id, question.id)] = Cell(
                voice, question, stance, first, tuple(passage for passage, _ in evidence)
            )
    if problems:
        raise CorpusError(problems.sorted())
    _assert_invariants(matrix)
    return matrix


def _stance_of(corpus: Corpus, passage: Passage, qid: str, sid: str, problems: Problems) -> Stance | None:
    question = corpus.question_by_id.get(qid)
    stance = next((s for s in question.stances if s.id == sid), None) if question else None
    if stance is None:
        problems.add(
            passage.file,
            passage.line,
            f"passage `{passage.id}` takes stance `{sid}` on question `{qid}`, which corpus/questions.yml does not define.",
            "Use a question id and one of its stance ids from corpus/questions.yml.",
        )
    return stance


def _verified(corpus: Corpus, passage: Passage, problems: Problems) -> bool:
    """Whether the passage's words are the voice's words in the text.

    As in anchoring (and a W3C TextQuoteSelector), runs of whitespace count as one space.
    """
    text = corpus.text_by_slug.get(passage.text_slug)
    where = f"passage `{passage.id}` gives a stance without evidence:"
    hint = (
        "Every stance in the matrix must rest on the voice's own words. Check the passage's `quote:` "
        "against the text (`counterpoint check corpus` locates quotes), or remove its `stances:`."
    )
    if text is None:
        problems.add(passage.file, passage.line, f"{where} text `{passage.text_slug}` is not in the corpus.", hint)
        return False
    if passage.voice_id not in corpus.voice_by_id or corpus.voice_by_id[passage.voice_id].text_slug != text.slug:
        problems.add(
            passage.file, passage.line, f"{where} voice `{passage.voice_id}` is not a voice of `{text.slug}`.", hint
        )
        return False
    if not 0 <= passage.block_index < len(text.blocks):
        problems.add(passage.file, passage.line, f"{where} it points outside the text `{text.slug}`.", hint)
        return False
    block = text.blocks[passage.block_index]
    found = block.visible_text[passage.start : passage.end]
    if not passage.exact.strip():
        problems.add(passage.file, passage.line, f"{where} its quote is empty.", hint)
        return False
    if not block.is_shown or block.voice != passage.voice_id or not (0 <= passage.start < passage.end):
        problems.add(
            passage.file,
            passage.line,
            f"{where} its quote is not in a part of `{text.slug}` that the reader shows as `{passage.voice_id}`'s.",
            hint,
        )
        return False
    if collapse(found) != passage.exact:
        problems.add(
            passage.file,
            passage.line,
            f"{where} its quote “{passage.exact}” is not what the text says there: “{collapse(found)}”.",
            hint,
        )
        return False
    return True


def _assert_invariants(matrix: Matrix) -> None:
    """What every page built from the matrix relies on; a failure here is a bug in this module."""
    expected = len(matrix.voices) * len(matrix.questions)
    assert len(matrix._cells) == expected, "every voice has exactly one cell per question"
    for (voice_id, question_id), cell in matrix._cells.items():
        assert cell.voice.id == voice_id and cell.question.id == question_id
        if cell.stance is None:
            assert cell.evidence is None and not cell.passages, "a cell without a stance cites no words"
            continue
        assert cell.evidence is not None, "a stance always carries its evidence"
        assert cell.evidence is cell.passages[0]
        assert cell.evidence.voice_id == voice_id, "the evidence is the voice's own words"
        assert (question_id, cell.stance.id) in cell.evidence.stances
        assert cell.stance in cell.question.stances


# -- downloads -------------------------------------------------------------------


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet runs a cell that begins with one of these as a formula."""


def spreadsheet_safe(value: str) -> str:
    """The value, with an apostrophe in front if a spreadsheet would otherwise run it as a formula.

    Source texts come from the web: a quote like `=HYPERLINK(...)` must stay text when the
    CSV is opened. Spreadsheets hide the apostrophe; the JSON download keeps the words as they are.
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(records: Iterable[Record]) -> str:
    """RFC 4180 CSV (UTF-8, CRLF line ends, a header row), one row per voice and question."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([spreadsheet_safe(getattr(record, column)) for column in COLUMNS])
    return out.getvalue()


def to_json(matrix: Matrix, records: Iterable[Record], site_url: str = "") -> str:
    """The same rows as the CSV, with the voices and questions they refer to."""
    texts = matrix.corpus.text_by_slug
    document: dict[str, Any] = {
        "about": (
            "Each voice's stance on each question of the debate, with the voice's own words "
            "(its first annotated passage on the question). Empty stance and quote: the voice does not "
            "address the question in the annotations. " + URL_NOTE
        ),
        "site_url": site_url or None,
        "columns": list(COLUMNS),
        "voices": [
            {"id": v.id, "name": v.name, "text": texts[v.text_slug].title, "text_slug": v.text_slug}
            for v in matrix.voices
        ],
        "questions": [
            {
                "id": q.id,
                "question": q.question,
                "short": q.short,
                "stances": [{"id": s.id, "label": s.label} for s in q.stances],
            }
            for q in matrix.questions
        ],
        "rows": [record.as_dict() for record in records],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


__all__ = [
    "COLUMNS",
    "Agreement",
    "Cell",
    "Matrix",
    "Record",
    "build_matrix",
    "passage_url",
    "to_csv",
    "to_json",
]
