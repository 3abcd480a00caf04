"""What the pages that compare voices share: the views their templates receive, links and counts.

The pages (matrix_page, question_page, agreement_page, compare_page) take their data from
`counterpoint.matrix`; these views only arrange it for the templates (links relative to each page,
places such as “¶12”). Every corpus string reaches the HTML through Jinja's autoescape.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from ..matrix import Cell, Held, Matrix
from ..model import Passage, Question, Stance, Text, Voice, VoiceKind
from ..site import (
    AGREEMENT,
    COMPARE,
    MATRIX,
    MATRIX_CSV,
    MATRIX_JSON,
    QUESTIONS_INDEX,
    SEARCH,
    TEXTS_INDEX,
    Site,
    text_page,
)
from . import environment
from .common import KIND_LABELS

SCRIPT = "assets/counterpoint-matrix.js"
"""The small local script of the matrix and compare pages (tooltips dismissed with Esc; choosing two voices)."""

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


# -- helpers -----------------------------------------------------------------------


def words(site: Site, src: str, passage: Passage) -> Words:
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


def voice_head(site: Site, matrix: Matrix, src: str, voice: Voice) -> VoiceHead:
    text = site.voice_text(voice)
    kind = KIND_LABELS[voice.kind.value] if len(text.voices) > 1 and voice.kind is not VoiceKind.ARTICLE else ""
    return VoiceHead(voice, text, voice_link(site, src, voice), kind, matrix.addressed_count(voice.id))


def cell_view(site: Site, src: str, cell: Cell) -> CellView:
    key = f"{cell.voice.id}--{cell.question.id}"
    return CellView(
        cell=cell,
        held=[
            HeldView(h, f"{key}--{h.stance.id}", words(site, src, h.evidence), len(h.passages) - 1) for h in cell.held
        ],
        text=site.voice_text(cell.voice),
        voice_href=voice_link(site, src, cell.voice),
        question_href=site.question_link(src, cell.question.id),
    )


def render(template: str, **context: object) -> Markup:
    return Markup(environment().get_template(template).render(**context))


def nav(site: Site, src: str) -> dict[str, str]:
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


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))
