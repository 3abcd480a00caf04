"""The second loading phase: `corpus/questions.yml`, the questions of the debate and their stances.

`load_questions` checks that ids are unique and that each stance's `contradicts:`
names other stances of its question, once, from both ends. It returns `Questions`:
the questions, and whether the file could be read at all (when it could not, the
annotations phase does not report stances as unknown: the file's own problems say why).
With a cache (memo.py), all of it is kept by the digest of the file's bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from .confine import read_confined
from .memo import Cache, changed_while_read, digest, memoized, read_exactly, scope
from .model import Question, Stance
from .problems import Problem, Problems, did_you_mean
from .schema import QUESTIONS_EXAMPLE, QuestionsIn, StanceIn
from .yamlfile import YamlDoc


@dataclass(frozen=True)
class Questions:
    """What the questions phase passes on."""

    questions: tuple[Question, ...]
    readable: bool = True
    """False when corpus/questions.yml has problems of its own: stances cannot be checked against it."""

    @cached_property
    def by_id(self) -> Mapping[str, Question]:
        # Read-only: a Questions is kept between loads (memo.py), and so is what it caches.
        return MappingProxyType({q.id: q for q in self.questions})

    @cached_property
    def stance_ids(self) -> tuple[bool, tuple[tuple[str, tuple[str, ...]], ...]]:
        """All that checking a passage's stances reads (claims.stances_of): whether the file is readable, the
        questions' ids and each one's stance ids, in order. The annotations phase keeps its results under it,
        so that a label, a description or a contradiction edited in questions.yml re-checks no annotation
        file (at 1,000 texts that re-check was most of such a save's rebuild)."""
        return self.readable, tuple((q.id, tuple(s.id for s in q.stances)) for q in self.questions)


@dataclass(frozen=True)
class _Read:
    problems: tuple[Problem, ...]
    questions: Questions


def load_questions(corpus_dir: Path, problems: Problems, cache: Cache | None = None) -> Questions:
    path = corpus_dir / "questions.yml"
    if not path.exists():
        return Questions(())
    raw = read_confined(path, corpus_dir, problems)
    if raw is None:
        return Questions((), readable=False)
    file_digest = digest(raw)
    read = memoized(
        cache,
        ("questions", scope(corpus_dir, problems.root), path, file_digest),
        lambda: _read_questions(path, raw, corpus_dir, problems.root),
    )
    problems.items.extend(read.problems)
    return read.questions


def _read_questions(path: Path, raw: bytes, corpus_dir: Path, root: Path) -> tuple[_Read, bool]:
    problems = Problems(root)
    doc, data, exact = read_exactly(path, raw, corpus_dir, problems, QuestionsIn, QUESTIONS_EXAMPLE)
    if not exact:
        changed_while_read(path, problems)
    if doc is None or data is None or not exact:
        return _Read(tuple(problems.items), Questions((), readable=False)), exact
    questions: list[Question] = []
    seen: set[str] = set()
    for qi, q in enumerate(data.questions):
        if q.id in seen:
            problems.add(
                path,
                doc.line("questions", qi, "id"),
                f"question id `{q.id}` is used twice.",
                "Give each question its own id.",
            )
            continue
        seen.add(q.id)
        stance_ids: set[str] = set()
        stances = []
        for si, s in enumerate(q.stances):
            if s.id in stance_ids:
                problems.add(
                    path,
                    doc.line("questions", qi, "stances", si, "id"),
                    f"stance id `{s.id}` is used twice in question `{q.id}`.",
                    "Give each stance of a question its own id.",
                )
            stance_ids.add(s.id)
            stances.append(Stance(s.id, s.label, s.description, si, frozenset(s.contradicts)))
        _check_contradictions(doc, qi, q.id, q.stances, problems)
        questions.append(Question(q.id, q.question, q.short or q.question, q.about, tuple(stances), qi))
    return _Read(tuple(problems.items), Questions(tuple(questions))), True


def _check_contradictions(doc: YamlDoc, qi: int, qid: str, stances: list[StanceIn], problems: Problems) -> None:
    """Each `contradicts:` entry names another stance of the question, once, and is declared from both ends."""
    path = doc.path
    ids = [s.id for s in stances]
    declared = {s.id: set(s.contradicts) for s in stances}
    # A stance whose own list names an unknown id probably misspells the missing one: its error says so.
    misspelt = {s.id for s in stances if any(o not in ids for o in s.contradicts)}
    for si, stance in enumerate(stances):
        named: set[str] = set()
        for ci, other in enumerate(stance.contradicts):
            line = doc.line("questions", qi, "stances", si, "contradicts", ci)
            where = f"question `{qid}`, stance `{stance.id}`: `contradicts:`"
            if other in named:
                problems.add(
                    path, line, f"{where} names `{other}` twice.", f"Remove the second `{other}` from the list."
                )
                continue
            named.add(other)
            if other == stance.id:
                problems.add(
                    path,
                    line,
                    f"{where} names the stance itself.",
                    "A stance cannot contradict itself; list only the other stances of the question that "
                    "cannot be held together with it.",
                )
                continue
            if other not in ids:
                problems.add(
                    path,
                    line,
                    f"{where} names `{other}`, which is not a stance of this question"
                    + did_you_mean(other, [i for i in ids if i != stance.id])
                    + ".",
                    f"Its stances: {', '.join(ids)}. A stance contradicts only stances of its own question.",
                )
                continue
            if stance.id not in declared[other] and other not in misspelt:
                problems.add(
                    path,
                    line,
                    f"{where} names `{other}`, but `{other}` does not name `{stance.id}`: contradiction is mutual.",
                    f"Add `{stance.id}` to the `contradicts:` of stance `{other}` "
                    f"(line {doc.line('questions', qi, 'stances', ids.index(other), 'id')}), or remove `{other}` here "
                    "if the two can be held together.",
                )
