"""Every voice on every question: the comparison matrix, agreement between voices, and its downloads.

Pure data, no HTML. A cell holds every stance one voice takes on one question
(several, where the question declares them compatible), each with its evidence:
the voice's passages taking it, in corpus order, the first of which is the one
`graph.py` cites for the voice. A voice that has no passage on a question gets an
explicit "not addressed" cell.

`build_matrix` asserts the matrix's invariants and re-verifies each piece of
evidence against the text: a stance that cannot show the voice's own words
fails the build with a `CorpusError` naming the annotation file and line.

For scale, a Matrix can be built over any subset of voices and questions, so a
page (or a download) can hold one slice of the corpus; agreement is computed
per pair, on demand.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .anchoring import collapse
from .claims import check_consistent_stances
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
class Held:
    """One stance a voice takes on a question, with its evidence."""

    stance: Stance
    passages: tuple[Passage, ...]
    """The voice's passages taking the stance, in corpus order: never empty."""

    @property
    def evidence(self) -> Passage:
        """The first of them: the words the matrix, compare and the downloads quote for this stance."""
        return self.passages[0]


@dataclass(frozen=True)
class Cell:
    """One voice on one question."""

    voice: Voice
    question: Question
    held: tuple[Held, ...] = ()
    """Every stance the voice takes on the question, in the question's order of stances (which carries no
    verdict). Several only where the question declares them compatible."""
    passages: tuple[Passage, ...] = ()
    """All the voice's passages with a stance on the question, in corpus order, each once."""

    @property
    def addressed(self) -> bool:
        return bool(self.held)

    @property
    def stances(self) -> tuple[Stance, ...]:
        return tuple(h.stance for h in self.held)

    @property
    def stance_ids(self) -> frozenset[str]:
        return frozenset(h.stance.id for h in self.held)

    def holding(self, stance_id: str) -> Held | None:
        return next((h for h in self.held if h.stance.id == stance_id), None)


@dataclass(frozen=True)
class Agreement:
    """Two voices on the questions both address."""

    a: Voice
    b: Voice
    same: tuple[Question, ...]
    """Questions on which both take the same stance (one of them, where a voice holds several)."""
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
    """One row of the downloads: one voice, one question and one stance it takes (a voice holding two
    compatible stances on a question has a row for each; a voice that does not address it, one empty row)."""

    voice: str
    text: str
    question_id: str
    question: str
    stance: str
    """The stance's label, or "" when the voice does not address the question."""
    quote: str
    """The voice's exact words (its first passage taking the stance), or ""."""
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
        self._not_addressing: dict[str, tuple[Cell, ...]] = {}
        self._addressed_counts: dict[str, int] = {}

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
        """Each stance of the question, in the question's order, with the cells of the voices that take it
        (a voice holding two compatible stances is under both)."""
        cached = self._by_stance.get(question_id)
        if cached is None:
            question = self.corpus.question_by_id[question_id]
            taking: dict[str, list[Cell]] = {stance.id: [] for stance in question.stances}
            for cell in self.row(question_id):
                for held in cell.held:
                    taking[held.stance.id].append(cell)
            cached = self._by_stance[question_id] = [(stance, taking[stance.id]) for stance in question.stances]
        return [(stance, list(cells)) for stance, cells in cached]

    def not_addressing(self, question_id: str) -> list[Cell]:
        cells = self._not_addressing.get(question_id)
        if cells is None:
            cells = self._not_addressing[question_id] = tuple(c for c in self.row(question_id) if not c.addressed)
        return list(cells)

    def addressed_count(self, voice_id: str) -> int:
        # Asked again by every page of the matrix and of each question, for each voice it shows.
        count = self._addressed_counts.get(voice_id)
        if count is None:
            count = self._addressed_counts[voice_id] = sum(1 for c in self.column(voice_id) if c.addressed)
        return count

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
            if not first.addressed or not second.addressed:
                continue
            mine, theirs = first.stance_ids, second.stance_ids
            (same if mine & theirs else different).append(question)
            if any(question.contradict(x, y) for x in mine for y in theirs):
                opposed.append(question)
        voices = self.corpus.voice_by_id
        return Agreement(voices[a], voices[b], tuple(same), tuple(different), tuple(opposed))

    def records(self, urls: Urls) -> list[Record]:
        """One row per voice, question and stance held: voices in order, then questions, then stances in the
        question's order; one row with an empty stance for a question the voice does not address."""
        rows = []
        texts = self.corpus.text_by_slug
        for voice in self.voices:
            title = texts[voice.text_slug].title
            for cell in self.column(voice.id):
                question = cell.question
                if not cell.held:
                    rows.append(Record(voice.name, title, question.id, question.question, "", "", ""))
                for held in cell.held:
                    passage = held.evidence
                    url = passage_url(urls, passage)
                    rows.append(
                        Record(voice.name, title, question.id, question.question, held.stance.label, passage.exact, url)
                    )
        return rows


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
            by_stance: dict[str, list[Passage]] = {}
            for passage, stance in evidence:
                by_stance.setdefault(stance.id, []).append(passage)
            holding = tuple(Held(s, tuple(by_stance[s.id])) for s in question.stances if s.id in by_stance)
            passages = tuple({passage.id: passage for passage, _ in evidence}.values())
            matrix._cells[(voice.id, question.id)] = Cell(voice, question, holding, passages)
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
        assert len(cell.stance_ids) == len(cell.held), "a stance is held once, with all its passages"
        assert {p.id for h in cell.held for p in h.passages} == {p.id for p in cell.passages}
        for held in cell.held:
            assert held.passages, "a stance always carries its evidence"
            assert held.stance in cell.question.stances
            for passage in held.passages:
                assert passage.voice_id == voice_id, "the evidence is the voice's own words"
                assert (question_id, held.stance.id) in passage.stances
        stances = [h.stance.id for h in cell.held]
        assert not any(cell.question.contradict(x, y) for x in stances for y in stances), "never contradicting"


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
    """RFC 4180 CSV (UTF-8, CRLF line ends, a header row), one row per voice, question and stance held."""
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
            "Each voice's stances on each question of the debate, with the voice's own words "
            "(its first annotated passage taking the stance): one row per voice, question and stance, so a voice "
            "that holds two compatible stances on a question has two rows. Empty stance and quote: the voice "
            "does not address the question in the annotations. " + URL_NOTE
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
                "stances": [{"id": s.id, "label": s.label, "contradicts": sorted(s.contradicts)} for s in q.stances],
            }
            for q in matrix.questions
        ],
        "rows": [record.as_dict() for record in records],
    }
    return _one_item_a_line(document)


def _one_item_a_line(document: dict[str, Any]) -> str:
    """JSON with each key of `document` and each item of its lists on a line of its own (a row, a voice, a
    question): as easy to read and to diff as indented JSON, and written by json's C encoder, which
    `indent` turns off (the pure-Python encoder took 0.3 CPU-s at 1,000 texts)."""
    dump = functools.partial(json.dumps, ensure_ascii=False)
    lines = []
    for key, value in document.items():
        if isinstance(value, list) and value:
            value_json = "[\n  " + ",\n  ".join(map(dump, value)) + "\n ]"
        else:
            value_json = dump(value)
        lines.append(f" {dump(key)}: {value_json}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


__all__ = [
    "COLUMNS",
    "Agreement",
    "Cell",
    "Held",
    "Matrix",
    "Record",
    "build_matrix",
    "passage_url",
    "to_csv",
    "to_json",
]
