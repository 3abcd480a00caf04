"""The corpus as the reader sees it: texts made of blocks, voices, questions, passages.

Plain immutable data. Everything here has already been checked; code that
renders or exports it can trust it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class Link:
    href: str


Style = str | Link
"""Inline formatting a source may carry: "em", "strong", "sup" or a Link."""


@dataclass(frozen=True)
class Run:
    """A stretch of the author's characters with one formatting."""

    text: str
    styles: tuple[Style, ...] = ()
    line: int = 0
    """Line of the original file the run comes from (1-based)."""
    is_break: bool = False
    """A line break the reader sees as a line break (its text is "\\n")."""


class Role(enum.Enum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    QUOTATION = "quotation"
    CITATION = "citation"
    BYLINE = "byline"
    SIGNOFF = "signoff"


@dataclass(frozen=True)
class Block:
    """A paragraph-like unit of the original, as separated by blank lines."""

    index: int
    first_line: int
    last_line: int
    runs: tuple[Run, ...]
    role: Role = Role.PARAGRAPH
    heading_level: int = 0
    """For a Markdown heading, its level (1-6); 0 otherwise."""
    voice: str | None = None
    anchor: str = ""
    """The block's HTML id (its fragment: `text/#p-…`); "" for an omitted block."""
    number: int | None = None
    """Paragraph number shown to readers; None for headings and omitted blocks."""
    omitted_by: int | None = None
    """Index of the declared omission that removes this block from the edition."""

    @cached_property
    def visible_text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def is_shown(self) -> bool:
        return self.omitted_by is None


@dataclass(frozen=True)
class Omission:
    first_line: int
    last_line: int
    reason: str
    text: str
    """The omitted characters, so that the edition can say exactly what it left out."""


class VoiceKind(enum.Enum):
    ARTICLE = "article"
    STATEMENT = "statement"
    INTRODUCTION = "introduction"
    COMMENT = "comment"


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    short: str
    kind: VoiceKind
    about: str | None
    text_slug: str
    heading_block: int | None
    """Index of the block of the original that heads this voice's section."""
    order: int = 0
    """Position in the corpus-wide chronological order (texts by date, then place in text)."""


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: str) -> PartialDate:
        parts = [int(p) for p in value.split("-")]
        return cls(parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)

    @property
    def iso(self) -> str:
        return "-".join([f"{self.year:04d}"] + [f"{n:02d}" for n in (self.month, self.day) if n is not None])

    @property
    def sort_key(self) -> tuple[int, int, int]:
        # A date known only to the month sorts after the known days of that month:
        # "early January" is not evidence of coming first.
        return (self.year, self.month or 13, self.day or 32)

    def human(self) -> str:
        months = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{months[self.month - 1]} {self.year}"
        return f"{self.day} {months[self.month - 1]} {self.year}"


@dataclass(frozen=True)
class Text:
    slug: str
    title: str
    summary: str
    format: str
    publisher: str | None
    date: PartialDate | None
    date_note: str | None
    url: str | None
    url_note: str | None
    notes: tuple[str, ...]
    blocks: tuple[Block, ...]
    voices: tuple[Voice, ...]
    omissions: tuple[Omission, ...]
    source_path: Path
    source_bytes: bytes = field(repr=False, default=b"")
    order: int = 0

    @property
    def shown_blocks(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.is_shown)

    def voice(self, voice_id: str) -> Voice:
        return next(v for v in self.voices if v.id == voice_id)


@dataclass(frozen=True)
class Stance:
    id: str
    label: str
    description: str | None
    index: int
    """Position among the question's stances; picks its pattern and colour, nothing else."""
    contradicts: frozenset[str] = frozenset()
    """Ids of the stances of the same question that cannot be held with this one (declared, mutual).
    Stances not named here are compatible with it: nothing is derived between them."""


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    short: str
    about: str | None
    stances: tuple[Stance, ...]
    order: int = 0

    def stance(self, stance_id: str) -> Stance:
        return next(s for s in self.stances if s.id == stance_id)

    def contradict(self, a: str, b: str) -> bool:
        """Whether stances `a` and `b` of this question are declared contradictory."""
        return b in self.stance(a).contradicts


@dataclass(frozen=True)
class Passage:
    """An annotated stretch of one block, found by its quote."""

    id: str
    text_slug: str
    voice_id: str
    block_index: int
    start: int
    end: int
    """Character offsets into the block's visible text (end exclusive)."""
    exact: str
    """The words of the passage as the reader sees them, each run of whitespace written as one space
    (as in a W3C TextQuoteSelector over the page's text); start and end locate them exactly."""
    prefix: str
    suffix: str
    """Up to 32 characters of visible context on each side, as in a W3C TextQuoteSelector."""
    stances: tuple[tuple[str, str], ...]
    """(question id, stance id) pairs."""
    note: str | None
    file: Path
    line: int | None


class RelationType(enum.Enum):
    OPPOSES = "opposes"
    SUPPORTS = "supports"
    RESPONDS_TO = "responds_to"


@dataclass(frozen=True)
class Relation:
    source: str
    target: str
    type: RelationType
    file: Path
    line: int | None


@dataclass(frozen=True)
class Corpus:
    texts: tuple[Text, ...]
    """In reading order: by date, undated last."""
    questions: tuple[Question, ...]
    passages: tuple[Passage, ...]
    relations: tuple[Relation, ...]

    @cached_property
    def voices(self) -> tuple[Voice, ...]:
        return tuple(v for t in self.texts for v in t.voices)

    @cached_property
    def text_by_slug(self) -> dict[str, Text]:
        return {t.slug: t for t in self.texts}

    @cached_property
    def voice_by_id(self) -> dict[str, Voice]:
        return {v.id: v for v in self.voices}

    @cached_property
    def question_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def passage_by_id(self) -> dict[str, Passage]:
        return {p.id: p for p in self.passages}

    def relations_touching(self, passage_id: str) -> list[int]:
        """Indexes in `relations` of the relations with `passage_id` at one end, in order."""
        return self._relations_by_passage.get(passage_id, [])

    @cached_property
    def _relations_by_passage(self) -> dict[str, list[int]]:
        touching: dict[str, list[int]] = {}
        for index, relation in enumerate(self.relations):
            touching.setdefault(relation.source, []).append(index)
            if relation.target != relation.source:
                touching.setdefault(relation.target, []).append(index)
        return touching

    def passages_of(self, slug: str) -> list[Passage]:
        return self._passages_by_text.get(slug, [])

    @cached_property
    def _passages_by_text(self) -> dict[str, list[Passage]]:
        grouped: dict[str, list[Passage]] = {}
        for passage in self.passages:
            grouped.setdefault(passage.text_slug, []).append(passage)
        return grouped
