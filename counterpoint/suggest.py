"""Suggested counter-passages: for one passage, the stretches of other texts most likely to answer it.

Candidates are the annotated passages of the other texts and their sentences that no passage
covers yet. Each is scored by two things an editor would look at:

- **its words**: BM25 (Robertson and Zaragoza's Okapi BM25, k1 = 1.2, b = 0.75) between the
  passage (its words and its note, which the editor wrote to say what it claims) and the
  candidate, normalised by the best candidate's score so that it lies between 0 and 1;
- **the questions**: an annotated candidate that takes a stance on a question the passage takes
  a stance on gains TOPIC; more when its stance contradicts the passage's (CONTRADICTION, as
  declared in questions.yml) or is the same (SAME). Compatible stances gain only TOPIC: nothing
  is derived between them.

The words rank the sentences no one has annotated yet; the questions lift the passages whose
stance the editor has already declared. Passages already linked to the passage (in either
direction) are left out: they are no suggestion. Nothing here is shown as a link: each
suggestion is a proposal for the editor to read and confirm.

Pure: it reads a checked Corpus and returns data; no file is read or written.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from .model import Block, Corpus, Passage, Question, RelationType, Role

K1 = 1.2
B = 0.75
TOPIC = 0.7
CONTRADICTION = 0.5
SAME = 0.3

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_COMMONEST = (
    "a about above after again against all also am an and any are as at be because been before being "
    "below between both but by can could did do does doing down during each few for from further had has "
    "have having he her here hers herself him himself his how i if in into is it its itself just me more "
    "most my myself no nor not now of off on once only or other our ours ourselves out over own same she "
    "should so some such than that the their theirs them themselves then there these they this those "
    "through to too under until up very was we were what when where which while who whom why will with "
    "would you your yours yourself yourselves one us "
)
_STOPWORDS = frozenset(_COMMONEST.split())
_ROLES = (Role.PARAGRAPH, Role.QUOTATION)


def words(text: str) -> list[str]:
    """The terms of `text` for retrieval: lower-cased words, without the commonest, lightly stemmed."""
    terms = []
    for match in _WORD.finditer(text.lower()):
        word = match.group().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word in _STOPWORDS or len(word) < 2:
            continue
        terms.append(_stem(word))
    return terms


def _stem(word: str) -> str:
    # Enough to meet "imperialists" with "imperialist" and "killed" with "killing"; a real stemmer
    # would do better, and none is needed for a ranking an editor reads anyway.
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


@dataclass(frozen=True)
class Candidate:
    """A stretch of another text that might answer the passage."""

    text_slug: str
    text_title: str
    voice_id: str | None
    paragraph: int | None
    """The paragraph number the reader sees."""
    block_index: int
    start: int
    end: int
    """Character offsets into the block's visible text."""
    words: str
    passage_id: str | None
    """The passage it is, when it is an annotated one; None for a sentence no one has annotated."""
    stances: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    score: float
    lexical: float
    """The BM25 score, normalised to the best candidate's (0 to 1)."""
    relation: RelationType | None
    """What the stances declare between the two, if anything: opposes (contradicting) or supports (the same)."""
    shared_questions: tuple[str, ...]


def contradicting(question: Question, stance_id: str) -> frozenset[str]:
    """The stances of `question` declared to contradict `stance_id` (questions.yml `contradicts:`)."""
    for stance in question.stances:
        if stance.id == stance_id:
            return frozenset(getattr(stance, "contradicts", ()) or ())
    return frozenset()


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield start, match.start()
        start = match.end()
    if start < len(text):
        yield start, len(text.rstrip())


class Index:
    """The candidates of a corpus and their BM25 statistics; built once, asked many times."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        candidates: list[Candidate] = []
        by_block: dict[tuple[str, int], list[Passage]] = {}
        for passage in corpus.passages:
            by_block.setdefault((passage.text_slug, passage.block_index), []).append(passage)
        for text in corpus.texts:
            for block in text.shown_blocks:
                passages = by_block.get((text.slug, block.index), [])
                candidates += [self._of_passage(text.title, block, p) for p in passages]
                if block.role in _ROLES:
                    candidates += self._sentences_of(text.slug, text.title, block, passages)
        self.candidates = tuple(candidates)
        self._terms = [Counter(words(c.words)) for c in self.candidates]
        self._lengths = [sum(terms.values()) for terms in self._terms]
        self._average = (sum(self._lengths) / len(self._lengths)) if self._lengths else 1.0
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for number, terms in enumerate(self._terms):
            for term, count in terms.items():
                self._postings.setdefault(term, []).append((number, count))

    @staticmethod
    def _of_passage(title: str, block: Block, passage: Passage) -> Candidate:
        return Candidate(
            passage.text_slug,
            title,
            passage.voice_id,
            block.number,
            block.index,
            passage.start,
            passage.end,
            passage.exact,
            passage.id,
            passage.stances,
        )

    @staticmethod
    def _sentences_of(slug: str, title: str, block: Block, passages: list[Passage]) -> list[Candidate]:
        text = block.visible_text
        found = []
        for start, end in _sentences(text):
            if any(p.start < end and start < p.end for p in passages):
                continue  # the annotated passage stands for these words
            sentence = " ".join(text[start:end].split())
            if len(words(sentence)) >= 3:
                found.append(Candidate(slug, title, block.voice, block.number, block.index, start, end, sentence, None))
        return found

    @cached_property
    def _document_frequency(self) -> dict[str, float]:
        total = len(self.candidates)
        return {
            term: math.log(1 + (total - len(postings) + 0.5) / (len(postings) + 0.5))
            for term, postings in self._postings.items()
        }

    def bm25(self, query: str) -> dict[int, float]:
        """Candidate number → BM25 score of `query`, for the candidates sharing a term with it."""
        scores: dict[int, float] = {}
        idf = self._document_frequency
        for term, weight in Counter(words(query)).items():
            for number, count in self._postings.get(term, ()):
                norm = count + K1 * (1 - B + B * self._lengths[number] / self._average)
                scores[number] = scores.get(number, 0.0) + weight * idf[term] * count * (K1 + 1) / norm
        return scores

    def suggest(self, passage_id: str, top: int = 10, *, ignore: Iterable[tuple[str, str]] = ()) -> list[Suggestion]:
        """The `top` candidates of other texts most likely to answer `passage_id`, best first.

        Passages already linked with it are left out, except the pairs in `ignore` (source, target):
        the benchmark holds a declared relation out that way.
        """
        corpus = self.corpus
        passage = corpus.passage_by_id[passage_id]
        ignored = set(ignore)
        linked = set()
        for number in corpus.relations_touching(passage_id):
            link = corpus.relations[number]
            if (link.source, link.target) not in ignored:
                linked.add(link.target if link.source == passage_id else link.source)
        return self._rank(
            passage.text_slug, " ".join(filter(None, (passage.exact, passage.note))), passage.stances, linked, top
        )

    def suggest_for_words(
        self, text_slug: str, words: str, top: int = 10, stances: tuple[tuple[str, str], ...] = ()
    ) -> list[Suggestion]:
        """As `suggest`, for words of `text_slug` not yet saved as a passage (the workbench's selection)."""
        return self._rank(text_slug, words, stances, set(), top)

    def _rank(
        self, text_slug: str, query: str, passage_stances: tuple[tuple[str, str], ...], linked: set[str], top: int
    ) -> list[Suggestion]:
        corpus = self.corpus
        lexical = self.bm25(query)
        eligible = [
            number
            for number, candidate in enumerate(self.candidates)
            if candidate.text_slug != text_slug and candidate.passage_id not in linked
        ]
        best = max((lexical.get(number, 0.0) for number in eligible), default=0.0) or 1.0
        stances = dict(passage_stances)
        against = {q: contradicting(corpus.question_by_id[q], s) for q, s in passage_stances}
        scored = []
        for number in eligible:
            candidate = self.candidates[number]
            words_score = lexical.get(number, 0.0) / best
            shared, relation, bonus = [], None, 0.0
            for question, stance in candidate.stances:
                if question not in stances:
                    continue
                shared.append(question)
                bonus = max(bonus, TOPIC)
                if stance in against[question]:
                    relation, bonus = RelationType.OPPOSES, max(bonus, TOPIC + CONTRADICTION)
                elif stance == stances[question] and relation is None:
                    relation, bonus = RelationType.SUPPORTS, max(bonus, TOPIC + SAME)
            if words_score == 0.0 and bonus == 0.0:
                continue
            scored.append(Suggestion(candidate, words_score + bonus, words_score, relation, tuple(shared)))
        scored.sort(key=lambda s: (-s.score, s.candidate.text_slug, s.candidate.block_index, s.candidate.start))
        return scored[:top]


def suggest(corpus: Corpus, passage_id: str, top: int = 10) -> list[Suggestion]:
    return Index(corpus).suggest(passage_id, top)


def line(suggestion: Suggestion) -> str:
    """One suggestion on one line: score, text, paragraph, passage id (or "sentence"), relation, words."""
    candidate = suggestion.candidate
    where = f"¶{candidate.paragraph}" if candidate.paragraph is not None else f"block {candidate.block_index + 1}"
    what = f"passage {candidate.passage_id}" if candidate.passage_id else "sentence (not annotated)"
    declared = f" [{suggestion.relation.value}]" if suggestion.relation else ""
    return f"{suggestion.score:.2f}  {candidate.text_slug} {where}  {what}{declared}  “{candidate.words}”"


__all__ = ["Candidate", "Index", "Suggestion", "contradicting", "line", "suggest", "words"]
