"""The second loading phase: `corpus/questions.yml`, the questions of the debate and their stances.

`load_questions` checks that ids are unique and that each stance's `contradicts:`
names other stances of its question, once, from both ends. It returns `Questions`:
the questions, and whether the file could be read at all (when it could not, the
annotations phase does not report stances as unknown: the file's own problems say why).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .model import Question, Stance
from .problems import Problems
from .schema import QUESTIONS_EXAMPLE, QuestionsIn, StanceIn
from .yamlfile import YamlDoc, load_yaml, validate


@dataclass(frozen=True)
class Questions:
    """What the questions phase passes on."""

    questions: tuple[Question, ...]
    readable: bool = True
    """False when corpus/questions.yml has problems of its own: stances cannot be checked against it."""

    @cached_property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}


def load_questions(corpus_dir: Path, problems: Problems) -> Questions:
    path = corpus_dir / "questions.yml"
    if not path.exists():
        return Questions(())
    doc = load_yaml(path, problems, corpus_dir)
    data = validate(QuestionsIn, doc, problems, QUESTIONS_EXAMPLE) if doc is not None else None
    if doc is None or data is None:
        return Questions((), readable=False)
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
    return Questions(tuple(questions))


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
                guess = difflib.get_close_matches(other, [i for i in ids if i != stance.id], n=1)
                problems.add(
                    path,
                    line,
                    f"{where} names `{other}`, which is not a stance of this question"
                    + (f" (did you mean `{guess[0]}`?)." if guess else "."),
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
