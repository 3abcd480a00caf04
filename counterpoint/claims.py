"""The checks of what passages claim: stances against the questions, relations against the corpus's ids.

The annotations phase (counterpoint.annotations) places each passage's quote and checks its voice;
what the passage says about the debate is checked here: each stance names a question and one of its
stances, each relation a passage declared somewhere in the corpus, and no voice holds two stances
its question declares contradictory (the matrix runs that last check on its own cells too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .model import Passage, Question, Relation, RelationType
from .problems import Problems, did_you_mean
from .questions import Questions
from .schema import PassageIn
from .yamlindent import misplaced_key_message

if TYPE_CHECKING:  # the annotations phase imports this module; its file record is only a type here
    from .annotations import AnnotationFile


PASSAGE_KEYS = frozenset(f.alias or name for name, f in PassageIn.model_fields.items())
"""A passage's own keys: one written under `stances:` is indented too far, not a question id."""


def stances_of(
    file: AnnotationFile, index: int, item: PassageIn, questions: Questions, problems: Problems
) -> list[tuple[str, str]] | None:
    """The (question, stance) pairs a passage takes; None when one of them is wrong (each reported)."""
    stances: list[tuple[str, str]] = []
    ok = True
    by_id = questions.by_id
    for qid, value in item.stances.items():
        question = by_id.get(qid)
        if question is None and qid in PASSAGE_KEYS:
            passage_map = file.doc.root["passages"][index]
            message, hint = misplaced_key_message(
                qid,
                file.doc.line("passages", index, "stances", qid) or 0,
                int(passage_map["stances"].lc.key(qid)[1]) + 1,
                "stances",
                passage_map,
                f"the passage `{item.id}`",
            )
            problems.add(file.path, file.doc.line("passages", index, "stances", qid), message, hint)
            ok = False
            continue
        if question is None and not questions.readable:
            ok = False  # corpus/questions.yml has problems of its own, reported there
            continue
        keys: tuple[str | int, ...] = ("passages", index, "stances", qid)
        if question is None:
            written = value if isinstance(value, str) else f"[{', '.join(value)}]"
            known = ", ".join(by_id) or "none yet: add corpus/questions.yml"
            problems.add(
                file.path,
                file.doc.line(*keys),
                f"passage `{item.id}` takes a stance on question `{qid}`, but corpus/questions.yml has no "
                f"question with that id{did_you_mean(qid, by_id)}.",
                f"Known questions: {known}.\nIf the question was renamed, use its new id; if it was removed, "
                f"remove `{qid}: {written}` from this passage's `stances:`.",
            )
            ok = False
            continue
        taken = _stances_on(file, keys, item.id, question, value, problems)
        if taken is None:
            ok = False
        else:
            stances += [(qid, sid) for sid in taken]
    return stances if ok else None


def _stances_on(
    file: AnnotationFile,
    keys: tuple[str | int, ...],
    passage_id: str,
    question: Question,
    value: str | list[str],
    problems: Problems,
) -> list[str] | None:
    """The stance ids a passage takes on one question (`value`: one id, or a list); None when one is wrong."""
    qid = question.id
    taken_ids = [value] if isinstance(value, str) else value
    if not taken_ids:
        problems.add(
            file.path,
            file.doc.line(*keys),
            f"passage `{passage_id}`: the list of stances on question `{qid}` is empty.",
            f"Name at least one stance ({', '.join(s.id for s in question.stances)}), or remove `{qid}:`.",
        )
        return None
    known = [s.id for s in question.stances]
    taken: list[str] = []
    ok = True
    for li, sid in enumerate(taken_ids):
        line = file.doc.line(*keys) if isinstance(value, str) else file.doc.line(*keys, li)
        if sid in taken:
            problems.add(
                file.path,
                line,
                f"passage `{passage_id}` lists stance `{sid}` on question `{qid}` twice.",
                f"Remove the second `{sid}`.",
            )
            ok = False
            continue
        taken.append(sid)
        if sid not in known:
            problems.add(
                file.path,
                line,
                f"passage `{passage_id}`: question `{qid}` has no stance `{sid}`{did_you_mean(sid, known)}.",
                f"Its stances: {', '.join(known)}. New stances are added in corpus/questions.yml.",
            )
            ok = False
    return taken if ok else None


def check_relations(
    pending: list[Relation], placed: set[str], declared: set[str], problems: Problems
) -> list[Relation]:
    """The relations between two placed passages, each once; those that point at no passage are reported."""
    relations: list[Relation] = []
    seen: set[tuple[str, str, RelationType]] = set()
    for relation in pending:
        if relation.target == relation.source:
            problems.add(
                relation.file,
                relation.line,
                f"passage `{relation.source}` {relation.type.value.replace('_', ' ')} itself.",
                "A relation links two different passages; remove this entry.",
            )
            continue
        # Written as a text's passage (`debate/first-no`, `debate#first-no`, a page's address):
        # passage ids are the corpus's, so a relation names the passage alone.
        with_text = None if relation.target in declared else _TEXT_AND_ID.fullmatch(relation.target)
        if with_text is not None:
            passage_id = with_text.group("id")
            known = passage_id in declared
            problems.add(
                relation.file,
                relation.line,
                f"passage `{relation.source}` {relation.type.value.replace('_', ' ')} `{relation.target}`: "
                "a relation names a passage by its id alone, without its text"
                + (
                    "."
                    if known
                    else f", and no passage has the id `{passage_id}`{did_you_mean(passage_id, declared, most=3)}."
                ),
                (f"Write `{passage_id}`: " if known else "Use the `id` of a passage declared in corpus/annotations/: ")
                + "passage ids are shared by the whole corpus, so the id says which text it is in.",
            )
            continue
        if relation.target not in declared:
            problems.add(
                relation.file,
                relation.line,
                f"passage `{relation.source}` {relation.type.value.replace('_', ' ')} "
                f"`{relation.target}`, but no passage has that id{did_you_mean(relation.target, declared, most=3)}.",
                "Use the `id` of a passage declared in corpus/annotations/.",
            )
            continue
        if relation.target not in placed:
            continue  # its own problem has been reported where it is declared
        key = (relation.source, relation.target, relation.type)
        symmetric = (relation.target, relation.source, relation.type)
        if key in seen or (relation.type is not RelationType.RESPONDS_TO and symmetric in seen):
            continue  # declared from both ends: one relation
        seen.add(key)
        relations.append(relation)
    return relations


_TEXT_AND_ID = re.compile(r".*[/#](?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)/?")
"""A relation target written with its text in front: `text/passage-id`, `text#passage-id`, `…/text/#passage-id`."""


def check_consistent_stances(
    passages: Iterable[Passage], questions: Mapping[str, Question], problems: Problems
) -> None:
    """Report each voice that holds two contradicting stances on one question, naming both passages.

    The one check of this rule: the loader runs it on the whole corpus, `build_matrix` on the cells it builds.
    """
    # A voice is one text's: by text as well, so that a voice id two texts take (the editions phase reports
    # it) does not also make the two voices contradict each other, a consequence listed as if it were a cause.
    held: dict[tuple[str, str, str], list[tuple[str, Passage]]] = {}
    reported: set[tuple[str, ...]] = set()
    stance_ids = {qid: {s.id for s in question.stances} for qid, question in questions.items()}
    for passage in passages:
        for qid, sid in passage.stances:
            if sid not in stance_ids.get(qid, ()):
                continue  # reported where the stance is read
            question = questions[qid]
            earlier = held.setdefault((passage.text_slug, passage.voice_id, qid), [])
            for other_sid, other in earlier:
                pair = (passage.text_slug, passage.voice_id, qid, *sorted((sid, other_sid)))
                if other_sid == sid or not question.contradict(other_sid, sid) or pair in reported:
                    continue
                reported.add(pair)
                both = (
                    f"`{other_sid}` and `{sid}` (both in passage `{passage.id}`)"
                    if other is passage
                    else f"`{other_sid}` (passage `{other.id}` at {problems.display(other.file)}:{other.line}) "
                    f"and `{sid}` (passage `{passage.id}`)"
                )
                problems.add(
                    passage.file,
                    passage.line,
                    f"voice `{passage.voice_id}` holds two contradicting stances on question `{qid}`: {both}.",
                    f"corpus/questions.yml declares `{other_sid}` and `{sid}` contradictory, so one voice "
                    "cannot hold both. Correct the stance of one passage; or, if the texts show the two can "
                    f"be held together, remove each from the other's `contradicts:` in question `{qid}`.",
                )
            earlier.append((sid, passage))
