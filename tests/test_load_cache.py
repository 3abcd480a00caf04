"""A load with a warm cache returns exactly what a load without one does, after any edit.

`mkdocs serve` loads the corpus again after every save, keeping what each file produced
(memo.py). Each test edits a copy of a small fixture corpus step by step and, after each
step, loads it with the one shared Memo and with no cache: the corpora must be equal and
the problems the same, in the same order, hints included. The error cases of
tests/fixtures/errors/ serve as edits too (each breaks the valid corpus; it is then fixed).
"""

from __future__ import annotations

import dataclasses
import enum
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import counterpoint.memo
from counterpoint.checks import load_checked
from counterpoint.corpus import load_corpus, load_texts
from counterpoint.memo import Memo, memoized
from counterpoint.model import Corpus
from counterpoint.problems import CorpusError, Problem
from counterpoint.yamlfile import load_yaml
from sitebuild import FIXTURES

ERRORS = FIXTURES / "errors"
VALID = ERRORS / "valid" / "corpus"
GOLDEN = FIXTURES / "golden" / "corpus"

OTHER_TEXT = """\
source: other.txt
slug: other
title: Another text
summary: It answers the first.
voices:
  - id: other-voice
    name: Another voice
"""

OTHER_ANNOTATIONS = """\
text: other
passages:
  - id: other-answer
    quote: the first author was wrong
    stances:
      soleimani: resister
    opposes: [first-no]
"""

NEW_PASSAGE = """\
  - id: first-at-all
    quote: anti-imperialist at all
    stances:
      soleimani: repressor
    supports: [first-no]
"""


def load(corpus: Path, cache: Memo | None) -> tuple[Corpus | None, list[Problem]]:
    try:
        return load_corpus(corpus, corpus.parent, cache=cache), []
    except CorpusError as error:
        return None, error.problems


def assert_same(corpus: Path, memo: Memo) -> tuple[Corpus | None, list[Problem]]:
    """The warm load equals the cold one (and so do the texts `load_texts` returns); the cold result."""
    warm = load(corpus, memo)
    cold = load(corpus, None)
    assert warm[1] == cold[1]
    assert warm[0] == cold[0]
    warm_texts, warm_problems = load_texts(corpus, corpus.parent, cache=memo)
    cold_texts, cold_problems = load_texts(corpus, corpus.parent)
    assert warm_texts == cold_texts
    assert warm_problems.items == cold_problems.items
    return cold


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(old) == 1, (path, old)
    path.write_text(content.replace(old, new), encoding="utf-8")


def messages(problems: list[Problem]) -> list[str]:
    return [f"{p.location}: {p.message}" for p in problems]


def corpus_copy(tmp_path: Path, source: Path = VALID) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(source, corpus)
    return corpus


def test_a_sequence_of_edits_loads_as_without_a_cache(tmp_path: Path) -> None:
    corpus = corpus_copy(tmp_path)
    texts, annotations = corpus / "texts", corpus / "annotations"
    memo = Memo()
    assert assert_same(corpus, memo)[1] == []
    first_misses = memo.misses

    # An annotation edit: the editions and questions.yml are kept, only that file is read and placed again.
    before = memo.misses
    edit(annotations / "debate.yml", "quote: Soleimani was no anti-imperialist", "quote: no anti-imperialist at all")
    result, problems = load(corpus, memo)
    assert problems == [] and result is not None
    assert memo.misses - before == 2  # the file's reading and its placing
    assert_same(corpus, memo)

    # Unchanged: everything is kept.
    before = memo.misses
    load(corpus, memo)
    assert memo.misses == before

    # A passage added, with a relation.
    edit(annotations / "debate.yml", "    opposes: [first-no]\n", "    opposes: [first-no]\n" + NEW_PASSAGE)
    assert len(assert_same(corpus, memo)[0].passages) == 4  # type: ignore[union-attr]

    # A text added whose passage opposes one of the first text's; then deleted, its annotations left behind.
    (texts / "other.txt").write_text("Perhaps the first author was wrong.\n", encoding="utf-8")
    (texts / "other.yml").write_text(OTHER_TEXT, encoding="utf-8")
    (annotations / "other.yml").write_text(OTHER_ANNOTATIONS, encoding="utf-8")
    assert len(assert_same(corpus, memo)[0].relations) == 3  # type: ignore[union-attr]
    (texts / "other.txt").unlink()
    (texts / "other.yml").unlink()
    assert messages(assert_same(corpus, memo)[1]) == [
        "corpus/annotations/other.yml:1: there is no text with slug `other`."
    ]
    (annotations / "other.yml").unlink()
    assert assert_same(corpus, memo)[1] == []

    # A voice renamed: the text is built again, and so are the placings of the passages in it.
    edit(texts / "debate.yml", "  - id: first\n", "  - id: first-author\n")
    renamed = assert_same(corpus, memo)[0]
    assert renamed is not None and {p.voice_id for p in renamed.passages} == {"first-author", "second"}

    # questions.yml: a label edited re-checks no annotation file (they read the ids only), but is loaded.
    questions = corpus / "questions.yml"
    before = memo.misses
    edit(questions, "        label: no, a repressor\n", "        label: no, a repressor of its people\n")
    relabelled = assert_same(corpus, memo)[0]
    assert memo.misses - before == 1  # questions.yml read; every annotation file's placing kept
    assert relabelled is not None
    assert "no, a repressor of its people" in [s.label for q in relabelled.questions for s in q.stances]

    # A stance renamed breaks the passages that take it; renamed back, they place again.
    edit(questions, "      - id: repressor\n", "      - id: oppressor\n")
    assert len(assert_same(corpus, memo)[1]) >= 2
    edit(questions, "      - id: oppressor\n", "      - id: repressor\n")
    assert assert_same(corpus, memo)[1] == []

    # A file broken (not YAML) and fixed: the same problems replayed from the cache, then none.
    good = (annotations / "debate.yml").read_text(encoding="utf-8")
    (annotations / "debate.yml").write_text(good.replace("text: debate", "text: [debate"), encoding="utf-8")
    broken = assert_same(corpus, memo)[1]
    assert broken and broken == assert_same(corpus, memo)[1]
    (annotations / "debate.yml").write_text(good, encoding="utf-8")
    assert assert_same(corpus, memo)[1] == []

    # The original edited: the quote it held is no longer found; the edition's reading is kept.
    original = texts / "debate.txt"
    edit(original, "no anti-imperialist at all", "no anti-imperialist")
    assert messages(assert_same(corpus, memo)[1])[0].startswith("corpus/annotations/debate.yml:4: passage `first-no`")
    edit(original, "no anti-imperialist", "no anti-imperialist at all")
    assert assert_same(corpus, memo)[1] == []

    # A passage id that another file takes too: reported by the file that comes second, every time.
    (annotations / "zz-again.yml").write_text(
        "text: debate\npassages:\n  - id: first-war\n    quote: an act of war it remains\n", encoding="utf-8"
    )
    twice = messages(assert_same(corpus, memo)[1])
    assert twice == [
        "corpus/annotations/zz-again.yml:3: passage id `first-war` is already used at corpus/annotations/debate.yml:7."
    ]
    (annotations / "debate.yml").rename(annotations / "zz-last.yml")  # now the other file comes first
    assert messages(assert_same(corpus, memo)[1])[0].startswith("corpus/annotations/zz-last.yml:")
    assert memo.hits > 0 and first_misses > 0


@pytest.mark.parametrize("case", sorted(p.stem for p in ERRORS.glob("*.yml")))
def test_each_error_case_breaks_and_is_fixed_as_without_a_cache(tmp_path: Path, case: str) -> None:
    """Each case of tests/fixtures/errors/ applied to a corpus loaded warm, then undone."""
    corpus = corpus_copy(tmp_path)
    memo = Memo()
    assert assert_same(corpus, memo)[1] == []
    data: dict[str, Any] = yaml.safe_load((ERRORS / f"{case}.yml").read_text(encoding="utf-8"))
    for name in data.get("delete", []):
        (tmp_path / name).unlink()
    for name, edits in data.get("change", {}).items():
        for change in edits:
            edit(tmp_path / name, change["replace"], change["with"])
    for name, content in data.get("add", {}).items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    assert len(assert_same(corpus, memo)[1]) == data["problems"]
    shutil.rmtree(corpus)
    shutil.copytree(VALID, corpus)
    assert assert_same(corpus, memo)[1] == []


def test_the_golden_corpus_warm_is_the_golden_corpus_cold(tmp_path: Path) -> None:
    """Markdown and plain texts, kept and replayed: the texts are the very objects built the first time."""
    corpus = corpus_copy(tmp_path, GOLDEN)
    memo = Memo()
    assert_same(corpus, memo)
    first, second = load(corpus, memo)[0], load(corpus, memo)[0]
    assert first is not None and second is not None
    assert all(a.blocks is b.blocks for a, b in zip(first.texts, second.texts, strict=True))
    # What the build and `counterpoint check` call passes the cache on.
    assert load_checked(corpus, corpus.parent, cache=memo).corpus == load_checked(corpus, corpus.parent).corpus


def _immutable(value: object, seen: set[int]) -> list[str]:
    """What in `value` could be changed after it is kept: anything but frozen dataclasses and immutable values.

    A dataclass's attributes are walked, not only its fields: what its cached properties keep is kept with it.
    """
    if id(value) in seen or value is None or isinstance(value, str | bytes | int | float | Path | enum.Enum):
        return []
    seen.add(id(value))
    if isinstance(value, tuple | frozenset):
        return [found for item in value for found in _immutable(item, seen)]
    if isinstance(value, MappingProxyType):
        return [found for item in value.items() for found in _immutable(item, seen)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            return [type(value).__name__]
        return [found for attribute in vars(value).values() for found in _immutable(attribute, seen)]
    return [type(value).__name__]


def test_what_is_kept_cannot_be_changed(tmp_path: Path) -> None:
    corpus = corpus_copy(tmp_path)
    (corpus / "texts" / "other.txt").write_text("Perhaps the first author was wrong.\n", encoding="utf-8")
    (corpus / "texts" / "other.yml").write_text(OTHER_TEXT, encoding="utf-8")
    (corpus / "annotations" / "other.yml").write_text(
        OTHER_ANNOTATIONS.replace("[first-no]", "[none]"), encoding="utf-8"
    )
    memo = Memo()
    assert load(corpus, memo)[1]  # with problems: those are kept too
    values = list(memo._values.values())
    assert len(values) == 9  # two editions read and built, questions.yml, two annotation files read and placed
    assert [found for value in values for found in _immutable(value, set())] == []


def test_a_file_that_changes_while_it_is_read_is_reported_and_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its digest is taken first, then it is parsed: if it changed between, the result belongs to no digest."""
    corpus = corpus_copy(tmp_path)
    path = corpus / "annotations" / "debate.yml"
    parse = load_yaml

    def saved_meanwhile(*args: Any) -> Any:
        if args[0] == path:
            edit(path, "Soleimani was no", "Soleimani was never")
        return parse(*args)

    memo = Memo()
    monkeypatch.setattr(counterpoint.memo, "load_yaml", saved_meanwhile)
    assert messages(load(corpus, memo)[1]) == [
        "corpus/annotations/debate.yml: the file changed while the corpus was being read."
    ]
    monkeypatch.setattr(counterpoint.memo, "load_yaml", parse)
    assert messages(assert_same(corpus, memo)[1]) == [
        "corpus/annotations/debate.yml:4: passage `first-no`: the quote is not in the text."
    ]


def test_a_value_that_may_not_be_kept_is_used_once() -> None:
    memo = Memo()
    assert memoized(memo, "key", lambda: (1, False)) == 1
    assert memoized(memo, "key", lambda: (2, True)) == 2
    assert memoized(memo, "key", lambda: (3, True)) == 2
    assert (memo.hits, memo.misses, len(memo)) == (1, 1, 1)
    assert memo.forget_unused() == 0 and memo.forget_unused() == 1 and len(memo) == 0


# Random edit sequences: each step rewrites one file from a few versions (valid or not, some sharing
# content with earlier steps, so that kept results are met again), adds or removes a text.

ANNOTATION_VERSIONS = [
    (VALID / "annotations" / "debate.yml").read_text(encoding="utf-8"),
    (VALID / "annotations" / "debate.yml").read_text(encoding="utf-8").replace("was no anti", "was never an anti"),
    (VALID / "annotations" / "debate.yml").read_text(encoding="utf-8") + NEW_PASSAGE,
    (VALID / "annotations" / "debate.yml").read_text(encoding="utf-8").replace("repressor", "resister"),
    "text: debate\npassages:\n  - id: first-no\n    quote: [broken\n",
    "text: debate\npassages: []\n",
]
EDITION_VERSIONS = [
    (VALID / "texts" / "debate.yml").read_text(encoding="utf-8"),
    (VALID / "texts" / "debate.yml").read_text(encoding="utf-8").replace("  - id: first\n", "  - id: first-author\n"),
    (VALID / "texts" / "debate.yml").read_text(encoding="utf-8").replace("lines: 9-11", "lines: 9-12"),
    (VALID / "texts" / "debate.yml").read_text(encoding="utf-8") + "colour: blue\n",
]
ORIGINAL_VERSIONS = [
    (VALID / "texts" / "debate.txt").read_text(encoding="utf-8"),
    (VALID / "texts" / "debate.txt").read_text(encoding="utf-8").replace("at all", "at all, ever"),
    (VALID / "texts" / "debate.txt").read_text(encoding="utf-8").replace("Soleimani resisted", "He resisted"),
]
QUESTIONS_VERSIONS = [
    (VALID / "questions.yml").read_text(encoding="utf-8"),
    (VALID / "questions.yml").read_text(encoding="utf-8").replace("id: war", "id: warfare"),
    (VALID / "questions.yml").read_text(encoding="utf-8").replace("contradicts: [resister]", "contradicts: []"),
    "questions:\n  - id: soleimani\n",
]


def _write(name: str, versions: list[str]) -> Callable[[Path, int], None]:
    def step(corpus: Path, version: int) -> None:
        (corpus / name).write_text(versions[version % len(versions)], encoding="utf-8")

    return step


def _other(corpus: Path, version: int) -> None:
    files = {"texts/other.txt": "Perhaps the first author was wrong.\n", "texts/other.yml": OTHER_TEXT}
    files["annotations/other.yml"] = OTHER_ANNOTATIONS.replace("first-no", "first-war" if version % 2 else "first-no")
    for name, content in files.items():
        path = corpus / name
        if version % 3 == 2:
            path.unlink(missing_ok=True)
        else:
            path.write_text(content, encoding="utf-8")


STEPS: list[Callable[[Path, int], None]] = [
    _write("annotations/debate.yml", ANNOTATION_VERSIONS),
    _write("texts/debate.yml", EDITION_VERSIONS),
    _write("texts/debate.txt", ORIGINAL_VERSIONS),
    _write("questions.yml", QUESTIONS_VERSIONS),
    _other,
]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(STEPS) - 1), st.integers(0, 11)), min_size=1, max_size=8))
def test_random_edit_sequences_load_as_without_a_cache(edits: list[tuple[int, int]]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        corpus = corpus_copy(Path(temporary))
        memo = Memo()
        assert_same(corpus, memo)
        for step, version in edits:
            STEPS[step](corpus, version)
            assert_same(corpus, memo)
