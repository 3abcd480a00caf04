"""The search index: what readers search for, taken from the corpus, indexed by Pagefind.

The texts are not indexed from their pages' HTML but from the corpus model, one record per
paragraph (and per voice, per editor's note, per question and stance), each landing on its
own anchor: Pagefind then parses nothing, and a record holds only the author's words. What a
page repeats from elsewhere never enters the index: the counter-quotes a note shows from other
texts, the voices' words a question page quotes, the "not addressed" lists, the navigation.
The few pages written by hand (and the generated pages that are neither a text nor a question,
such as the matrix's introduction) are indexed from their built HTML, without what carries
`data-search-exclude`.

Every record carries the filters a reader can narrow by: voice, text, question and stance.

Running Pagefind over the records and those pages is counterpoint.pagefind_run's job; its
Indexing, write_index and SearchIndexError are importable from here too, where the build and its
callers have always found them.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from xml.sax.saxutils import quoteattr

from .model import Block, Corpus, Passage, Question, Role, Text
from .pagefind_run import FOLDER, LANGUAGE, Indexing, IndexSummary, SearchIndexError, write_index
from .site import Urls, question_page, text_page

VOICE, TEXT, QUESTION, STANCE = "voice", "text", "question", "stance"
"""A voice's filter value is its name (the same person in two texts is one voice to readers); a
text's, its title; a question's, its short name; a stance's, see stance_filter."""
FILTERS = (VOICE, TEXT, QUESTION, STANCE)
"""The filters, in the order the search offers them."""
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True)
class Part:
    """A stretch of a record with the anchor of its element on the page ("" for none of its own)."""

    anchor: str
    text: str
    tag: str = "p"
    landings: tuple[tuple[int, str], ...] = ()
    """Empty elements to put inside the text: (where, as an offset into `text`; their id), see Landing."""

    def html(self) -> str:
        text = self._text_html()
        if not self.anchor:
            return f"<{self.tag}>{text}</{self.tag}>"
        if self.tag in HEADINGS:  # Pagefind makes a result's sub-results of its headings, from their text
            return f"<{self.tag} id={quoteattr(self.anchor)}>{text}</{self.tag}>"
        # Pagefind keeps the text of every element with an id beside the id, in the fragment a result
        # loads: for a paragraph, all its words again (more bytes than the record's content). The
        # search reads an anchor's place only, so a paragraph's id is on an empty element at its start
        # (the same place): smaller fragments; Pagefind's CPU time the same within this machine's noise.
        return f"<{self.tag}><span id={quoteattr(self.anchor)}></span>{text}</{self.tag}>"

    def _text_html(self) -> str:
        pieces, done = [], 0
        for offset, anchor in sorted(self.landings):
            pieces += [escape(self.text[done:offset]), f"<span id={quoteattr(anchor)}></span>"]
            done = offset
        pieces.append(escape(self.text[done:]))
        return "".join(pieces)


LANDING = "cp-at:"
"""The ids a record's landings begin with: `cp-at:` and, percent-encoded, the JSON
[passage id, paragraph anchor, words, [stance numbers]]; the record's stances are the JSON list in
the id of one more empty element, `cp-stances:` and the list percent-encoded (counterpoint-search.js
reads both). In ids, because Pagefind 1.5 searches a record's metadata as it searches its words: in a
meta, the stance labels made a voice a result for a word none of its passages holds."""
STANCES = "cp-stances:"


@dataclass(frozen=True)
class Landing:
    """Where a passage is in its record, so that a result found by its stance lands on it.

    A search by filters alone finds no words, so nothing in Pagefind's answer says which of a
    voice's passages took the stance chosen: this does, as an empty element at the first word of
    the passage, whose place Pagefind gives with its id (counterpoint-search.js reads it).
    """

    passage: str
    """The passage's id, the anchor of its highlight on the page."""
    block: str
    """The anchor of the paragraph holding it, a part of the record."""
    offset: int
    """Where in the paragraph's visible text the passage's first word starts (the passage's own start,
    unless the passage begins inside a word)."""
    words: int
    stances: tuple[str, ...]
    """Its values of the stance filter (each begins with its question's value, see stance_filter)."""

    def anchor(self, stance_numbers: dict[str, int]) -> str:
        data = [self.passage, self.block, self.words, [stance_numbers[s] for s in self.stances]]
        return LANDING + _encoded(data)


def _encoded(data: Any) -> str:
    return quote(json.dumps(data, ensure_ascii=False, separators=(",", ":")), safe="")


@dataclass(frozen=True)
class Record:
    url: str
    """Site-relative, with the anchor a result lands on when no part holds the words (texts/<slug>/#v-x)."""
    title: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    parts: tuple[Part, ...] = ()
    passages: tuple[Landing, ...] = ()
    """The record's passages that take a stance, for a search by filter alone to land on."""

    @property
    def content(self) -> str:
        return " ".join(part.text for part in self.parts)

    def html(self) -> str:
        """The record as Pagefind reads it: each part an element with its id, the meta and filters
        as elements Pagefind takes them from and leaves out of the words."""
        data = [f'<span data-pagefind-meta="{name}">{escape(value)}</span>' for name, value in self.meta.items()]
        data += [
            f'<span data-pagefind-filter="{name}">{escape(value)}</span>'
            for name, values in self.filters.items()
            for value in values
        ]
        parts = self.parts
        if self.passages:
            # Each stance once, and the passages by its number: a voice's passages share a few stances,
            # and their labels, written out in every passage, were half of what a record carried.
            stances = sorted({stance for landing in self.passages for stance in landing.stances})
            numbers = {stance: number for number, stance in enumerate(stances)}
            placed: dict[str, list[tuple[int, str]]] = {}
            for landing in self.passages:
                placed.setdefault(landing.block, []).append((landing.offset, landing.anchor(numbers)))
            parts = tuple(replace(part, landings=tuple(placed.get(part.anchor, ()))) for part in parts)
            # Outside the ignored element: Pagefind gives no anchor for an element it ignores.
            table = f"<span id={quoteattr(STANCES + _encoded(stances))}></span>"
        else:
            table = ""
        return (
            f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head><body>'
            f'<article class="md-content__inner"><div data-pagefind-ignore>{"".join(data)}</div>{table}'
            f"{''.join(part.html() for part in parts)}</article></body></html>"
        )

    @property
    def meta(self) -> dict[str, str]:
        """The title, where the record's words hold it (a text's, a question's): Pagefind 1.5 searches
        a record's metadata too, so a title the words do not hold (a text's, on each of its voices; a
        question's, on each of its stances) would make the record a result that shows no match. Nor a
        "kind" or the landings, for the same reason; the search tells what a result is from its filters."""
        # "page", not "title": Pagefind takes its own "title" from a record's first h1.
        return {"page": self.title} if self.title in self.content else {}


def stance_filters(corpus: Corpus, stances: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The question and stance filters of what takes `stances` ((question id, stance id) pairs).

    The one place that reads a passage's stances for search: a voice may hold several stances on
    a question, each a value of the stance filter, and the question is listed once.
    """
    questions: list[str] = []
    labels: list[str] = []
    for question_id, stance_id in stances:
        question = corpus.question_by_id[question_id]
        name = question_filter(question)
        if name not in questions:
            questions.append(name)
        label = stance_filter(question, stance_id)
        if label not in labels:
            labels.append(label)
    return {QUESTION: questions, STANCE: labels} if questions else {}


def question_filter(question: Question) -> str:
    return question.short


def stance_filter(question: Question, stance_id: str) -> str:
    """A stance as the filter names it: its question's short name, then the stance's own label."""
    return f"{question.short}: {question.stance(stance_id).label}"


def search_query(**filters: str) -> str:
    """The query string of the search page with these filters chosen (`?stance=…`)."""
    return "?" + urlencode(filters)


def records(corpus: Corpus, urls: Urls) -> Iterator[Record]:
    """Every record of the corpus: its texts' paragraphs, voices and notes, its questions and stances."""
    for text in corpus.texts:
        yield from _text_records(corpus, urls, text)
    for question in corpus.questions:
        yield from _question_records(urls, question)


def _text_records(corpus: Corpus, urls: Urls, text: Text) -> Iterator[Record]:
    """One record per voice of the text, holding its paragraphs and its passages' notes, each part
    with its anchor: a result lands on the part that holds the words found (counterpoint-search.js).

    One record per paragraph would land the same, but Pagefind writes a file per record, and
    writing twenty times as many files was most of the indexing's time (measured at 200 texts).
    """
    page = urls.url(text_page(text.slug))
    title = text.title
    multi_voice = len(text.voices) > 1
    header = [Part("cp-title", title, "h1")] + [
        Part("", words) for words in (text.summary, text.publisher or "", *text.notes) if words
    ]
    passages: dict[str, list[Passage]] = {}
    for passage in corpus.passages_of(text.slug):
        passages.setdefault(passage.voice_id, []).append(passage)
    blocks: dict[str | None, list[Block]] = {}
    for block in text.shown_blocks:
        if block.visible_text.strip():
            blocks.setdefault(block.voice, []).append(block)
    if multi_voice:
        loose = [Part(block.anchor, block.visible_text) for block in blocks.get(None, [])]
        yield Record(page, title, {TEXT: [title]}, tuple(header + loose))
    for voice in text.voices:
        parts = list(header) if not multi_voice else []
        if multi_voice:
            parts.append(Part(f"v-{voice.id}", voice.name, "h2"))
        elif voice.name:
            parts.append(Part("", voice.name))
        if voice.about:
            parts.append(Part("", voice.about))
        for block in blocks.get(voice.id, []) + ([] if multi_voice else blocks.get(None, [])):
            if multi_voice and block.index == voice.heading_block:
                parts.append(Part("", block.visible_text))  # the voice's own heading: under v-<id>
            else:
                parts.append(Part(block.anchor, block.visible_text, "h3" if block.role is Role.HEADING else "p"))
        own = passages.get(voice.id, [])
        parts += [Part(f"fn:{passage.id}", passage.note) for passage in own if passage.note]
        filters = {TEXT: [title], VOICE: [voice.name]} | stance_filters(
            corpus, [stance for passage in own for stance in passage.stances]
        )
        url = page + (f"#v-{voice.id}" if multi_voice else "")
        yield Record(url, title, filters, tuple(parts), _landings(corpus, text, own, parts))


def _landings(corpus: Corpus, text: Text, passages: list[Passage], parts: list[Part]) -> tuple[Landing, ...]:
    anchors = {part.anchor for part in parts}
    found = []
    for passage in passages:
        if not passage.stances:
            continue
        block = text.blocks[passage.block_index]
        if block.anchor not in anchors:  # a voice's own heading: the record's anchor (#v-<id>) is the place
            continue
        visible = block.visible_text
        # A passage starting inside a word lands at that word: the element never splits a word.
        offset = passage.start
        while offset > 0 and not visible[offset - 1].isspace():
            offset -= 1
        stances = stance_filters(corpus, passage.stances).get(STANCE, [])
        found.append(Landing(passage.id, block.anchor, offset, len(passage.exact.split()), tuple(stances)))
    return tuple(found)


def _question_records(urls: Urls, question: Question) -> Iterator[Record]:
    page = urls.url(question_page(question.id))
    name = {QUESTION: [question_filter(question)]}
    about = (Part("", question.question), *([Part("", question.about)] if question.about else []))
    yield Record(page, question.question, name, about)
    for stance in question.stances:
        words = (Part("", stance.label), *([Part("", stance.description)] if stance.description else []))
        yield Record(
            f"{page}#stance-{stance.id}",
            question.question,
            name | {STANCE: [stance_filter(question, stance.id)]},
            words,
        )


def indexed(site_dir: Path) -> list[dict[str, Any]]:
    """What the index written in `site_dir` holds: each result's url, content, meta and filters.

    Pagefind keeps them in its fragments, gzipped JSON after a signature; for tests and the benchmark.
    """
    found = []
    for fragment in sorted((site_dir / FOLDER / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        found.append(json.loads(data[data.index(b"{") :]))
    return found


__all__ = [
    "FILTERS",
    "IndexSummary",
    "Indexing",
    "SearchIndexError",
    "Urls",
    "indexed",
    "records",
    "search_query",
    "stance_filter",
    "stance_filters",
    "write_index",
]
