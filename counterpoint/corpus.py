"""Loading `corpus/`: editions, originals, questions and annotations, checked together.

The layout an editor works with:

    corpus/
      questions.yml                 the questions of the debate and their stances
      texts/<name>.txt              an original, byte for byte as received
      texts/<name>.yml              its edition: metadata, voices, structure, omissions
      annotations/<name>.yml        passages of one text: quotes, stances, notes, relations

Loading runs in phases, each returning what the next one takes:

    editions.py     the corpus folder's files; texts/: each edition applied to its original (structure.py)
    questions.py    questions.yml: questions, stances and their declared contradictions
    annotations.py  annotations/: quotes placed in their texts, voices, stances, relations

`load_corpus` reports every problem it finds (file, line, what, how to fix) and
returns a Corpus only when there is none.

Given a cache (memo.py: `Memo`, or the build plugin's own), the phases keep what each file
produced, keyed by its content and by the contents it depends on, and recompute only what
depends on a changed file: `mkdocs serve` loads again after every save. Every file is still
read and digested on each load; a warm load returns what a cold one would, problems included.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .annotations import load_annotations
from .editions import YAML_SUFFIXES, check_root_files, load_editions
from .memo import Cache
from .model import Corpus, Text
from .problems import CorpusError, Problem, Problems, in_phases
from .questions import load_questions


def load_corpus(corpus_dir: Path, root: Path | None = None, cache: Cache | None = None) -> Corpus:
    """The checked corpus; raises CorpusError listing every problem found."""
    corpus, problems = _load(corpus_dir, root or corpus_dir.parent, cache)
    if problems or corpus is None:
        raise CorpusError(problems)
    return corpus


def load_texts(
    corpus_dir: Path, root: Path | None = None, cache: Cache | None = None
) -> tuple[dict[str, Text], Problems]:
    """The texts whose editions load, by slug, and the problems of those that do not.

    Annotations are not read: this is for tools (`counterpoint requote`) that work on
    annotations which may not place yet.
    """
    problems = Problems(root or corpus_dir.parent)
    texts = load_editions(corpus_dir, problems, cache).texts if corpus_dir.is_dir() else ()
    return {text.slug: text for text in texts}, problems


def _load(corpus_dir: Path, root: Path, cache: Cache | None) -> tuple[Corpus | None, list[Problem]]:
    """The corpus, or None, and the problems found: each phase's listed after those of the phases before it."""
    on_files = Problems(root)
    if not corpus_dir.is_dir():
        on_files.add(
            corpus_dir,
            None,
            "the corpus folder does not exist.",
            "Create it with a `texts/` folder holding each original and its edition (see the Editor's guide).",
        )
        return None, on_files.sorted()
    check_root_files(corpus_dir, on_files)
    editions = load_editions(corpus_dir, on_files, cache)
    on_questions = Problems(root)
    questions = load_questions(corpus_dir, on_questions, cache)
    on_annotations = Problems(root)
    annotations = load_annotations(corpus_dir, on_annotations, editions, questions, cache)
    problems = in_phases(on_files, on_questions, on_annotations)
    if problems:
        return None, problems
    corpus = Corpus(_in_reading_order(editions.texts), questions.questions, annotations.passages, annotations.relations)
    return corpus, []


def _in_reading_order(texts: tuple[Text, ...]) -> tuple[Text, ...]:
    """The texts by date (undated last), each with its place in that order, and each voice with its own."""
    ordered = sorted(texts, key=lambda t: (t.date.sort_key if t.date else (10_000, 0, 0), t.slug))
    position = 0
    final_texts = []
    for order, text in enumerate(ordered):
        voices = []
        for voice in text.voices:
            voices.append(replace(voice, order=position))
            position += 1
        final_texts.append(replace(text, order=order, voices=tuple(voices)))
    return tuple(final_texts)


__all__ = ["YAML_SUFFIXES", "load_corpus", "load_texts"]
