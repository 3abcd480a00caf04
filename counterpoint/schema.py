"""The shape of the files editors write, with the examples shown when one is wrong.

These models only check form (keys, types, patterns). Whether a voice, question
or quote actually exists is checked later, against the loaded corpus.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_PREFIXES = ("p-", "s-", "v-", "cp-")
"""Anchor prefixes the reader uses for paragraphs, sections, voices and its own apparatus."""


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lower-case letters, digits and single hyphens, like `rcit-on-stalinists`."
        )
    return value


RESERVED_PAGE_NAMES = {"index": "the index page of its folder (the list of all texts, or of all questions)"}
"""Names a text's slug or a question's id cannot take: the page they name is a generated page already."""


def _page_name(value: str) -> str:
    _slug(value)
    if value in RESERVED_PAGE_NAMES:
        raise ValueError(
            f"{value!r} is reserved: the page it would name is {RESERVED_PAGE_NAMES[value]}. Choose another, "
            f"like `{value}-1`."
        )
    return value


def _anchor_id(value: str) -> str:
    _slug(value)
    if value.startswith(RESERVED_PREFIXES):
        raise ValueError(
            f"{value!r} starts with {', '.join(RESERVED_PREFIXES)}, which the reader keeps for its own anchors."
        )
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty.")
    return value.strip()


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they change the direction of whatever is shown after them.
(The marks U+200E, U+200F and U+061C only set the direction of their neighbours, and are allowed.)"""


def _no_bidi_controls(value: str) -> str:
    """Metadata is shown inside sentences ("How to cite", lists, the copied citation): a direction
    control in a title would reverse the publisher, date and address shown after it. Each field is
    isolated where it is shown; the control is refused as well, for every other place that shows it."""
    for position, char in enumerate(value, start=1):
        if char in BIDI_CONTROLS:
            raise ValueError(
                f"holds U+{ord(char):04X} {unicodedata.name(char)} at character {position}, an invisible control "
                "that reverses the direction of the text shown after it. Remove it: right-to-left words "
                "are shown in their direction without it."
            )
    return value


def _year_as_text(value: object) -> object:
    """`date: 2020` is read by YAML as a number; the guide allows it, so take it as the text written."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


_DATE_FORM = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _date(value: str) -> str:
    form = _DATE_FORM.match(value)
    if form is None:
        raise ValueError(
            f"{value!r} is not a date in the form year-month-day, like 2020-01-14; write 2020-01 or 2020 "
            "when the day or month is not known (and say why in `date_note`)."
        )
    year, month, day = form.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{value!r} is not a date: there is no month {month} (months run from 01 to 12).")
    if day is not None:
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{value!r} is not a date: {year}-{month} has no day {day}.") from None
    return value


def _url(value: str) -> str:
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a web address: its site name cannot be read.") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{value!r} is not a web address: it must start with http:// or https://.")
    if any(c.isspace() for c in value):
        raise ValueError(f"{value!r} is not a web address: it contains a space or a line break; remove it.")
    if not parts.netloc:
        raise ValueError(f"{value!r} is not a web address: it has no site name after {parts.scheme}://.")
    return value


def _line_ranges(value: object) -> object:
    """Accept 12, "12-15", or a list of those; return [(first, last), ...]."""
    items = value if isinstance(value, list) else [value]
    ranges: list[tuple[int, int]] = []
    for item in items:
        if isinstance(item, bool):
            raise ValueError(f"{item!r} is not a line number.")
        if isinstance(item, int):
            first = last = item
        elif isinstance(item, str) and re.fullmatch(r"\s*\d+\s*-\s*\d+\s*", item):
            first, last = (int(n) for n in item.split("-"))
        elif isinstance(item, str) and item.strip().isdigit():
            first = last = int(item)
        else:
            raise ValueError(f"{item!r} is not a line number or range: write 12, or 12-15 for lines 12 to 15.")
        if first < 1 or last < first:
            raise ValueError(f"{item!r} is not a valid range: lines count from 1 and a range runs forwards (12-15).")
        ranges.append((first, last))
    return ranges


Slug = Annotated[str, AfterValidator(_slug)]
PageName = Annotated[str, AfterValidator(_page_name)]
"""A slug that names a generated page (a text's, a question's)."""
AnchorId = Annotated[str, AfterValidator(_anchor_id)]
Text = Annotated[str, AfterValidator(_text)]
Metadata = Annotated[str, AfterValidator(_text), AfterValidator(_no_bidi_controls)]
"""Text an editor writes about a text (its title, a voice's name), shown inside sentences of the site."""
PartialDate = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(_date)]
WebAddress = Annotated[str, AfterValidator(_no_bidi_controls), AfterValidator(_url)]
LineRanges = Annotated[list[tuple[int, int]], BeforeValidator(_line_ranges)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, str_strip_whitespace=False)


# ---------------------------------------------------------------------------
# corpus/texts/<name>.yml: an edition of one original text


class VoiceIn(Strict):
    id: Slug
    name: Metadata
    short: Metadata | None = None
    kind: Literal["article", "statement", "introduction", "comment"] = "article"
    about: Text | None = None
    heading: int | None = Field(default=None, ge=1)
    lines: LineRanges | None = None


class OmissionIn(Strict):
    lines: LineRanges
    reason: Text


class EditionIn(Strict):
    source: Text
    format: Literal["text", "markdown"] = "text"
    slug: PageName
    title: Metadata
    summary: Metadata
    publisher: Metadata | None = None
    date: PartialDate | None = None
    date_note: Metadata | None = None
    url: WebAddress | None = None
    url_note: Metadata | None = None
    notes: list[Text] = []
    voices: list[VoiceIn] = Field(min_length=1)
    headings: LineRanges = []
    quotations: LineRanges = []
    citations: LineRanges = []
    bylines: LineRanges = []
    signoffs: LineRanges = []
    omit: list[OmissionIn] = []


EDITION_EXAMPLE = """\
    source: 001_7b1681cd4660350e.txt     # the original, byte for byte, in the same folder
    format: text                          # text (every character literal) or markdown
    slug: soleimani-neither-anti-imperialist-nor-pro-people
    title: "Iranian General Soleimani: Neither Anti-Imperialist nor Pro-People"
    summary: One neutral line saying what the text is.
    publisher: thecommunists.net          # leave out what is not known
    date: 2020-01-14
    url: https://www.thecommunists.net/...
    voices:
      - id: rcit
        name: Michael Pröbsting (RCIT)
    headings: [20, 45]                    # line numbers in the original
    omit:
      - lines: 1
        reason: the title, shown in the page header"""


# ---------------------------------------------------------------------------
# corpus/questions.yml: the questions of the debate and their stances


class StanceIn(Strict):
    id: Slug
    label: Text
    description: Text | None = None
    contradicts: list[str] = []
    """Ids of the other stances of the same question that cannot be held with this one (mutual)."""


class QuestionIn(Strict):
    id: PageName
    question: Text
    short: Text | None = None
    about: Text | None = None
    stances: list[StanceIn] = Field(min_length=1)


class QuestionsIn(Strict):
    questions: list[QuestionIn] = []


QUESTIONS_EXAMPLE = """\
    questions:
      - id: soleimani-anti-imperialist
        question: Was Soleimani an anti-imperialist?
        short: Soleimani anti-imperialist?
        stances:
          - id: anti-imperialist
            label: a symbol of anti-imperialist resistance   # in the texts' own terms
            contradicts: [neither]                           # cannot both be held: derives "opposed by"
          - id: neither
            label: neither anti-imperialist nor pro-people
            contradicts: [anti-imperialist]                  # contradiction is mutual"""


# ---------------------------------------------------------------------------
# corpus/annotations/<name>.yml: passages of one text and their relations


class PassageIn(Strict):
    id: AnchorId
    quote: Text
    prefix: str | None = None
    suffix: str | None = None
    occurrence: int | None = Field(default=None, ge=1)
    voice: Slug | None = None
    stances: dict[str, str | list[str]] = {}
    """Question id: one stance id, or a list of compatible stance ids."""
    note: Text | None = None
    opposes: list[str] = []
    supports: list[str] = []
    responds_to: list[str] = []


class AnnotationsIn(Strict):
    text: Slug
    passages: list[PassageIn] = []


ANNOTATIONS_EXAMPLE = """\
    text: soleimani-neither-anti-imperialist-nor-pro-people   # the slug of the annotated text
    passages:
      - id: rcit-neither
        quote: General Soleimani was neither anti-imperialist nor pro-people
        stances:
          soleimani-anti-imperialist: neither    # question id: stance id (or [a, b] for compatible stances)
        note: States the thesis of the title.
        opposes: [red-salute-veteran]            # ids of passages in any text
        responds_to: []
        supports: []"""
