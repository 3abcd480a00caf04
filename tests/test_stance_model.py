"""The stance model: `contradicts:` between a question's stances, several stances per voice, and their errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from counterpoint.checks import find_problems
from counterpoint.corpus import load_corpus
from sitebuild import FIXTURES

VALID = FIXTURES / "errors" / "valid" / "corpus"

QUESTIONS = """\
questions:
  - id: soleimani
    question: Was Soleimani an anti-imperialist?
    stances:
      - id: resister
        label: yes, a resister
        contradicts: [{resister}]
      - id: repressor
        label: no, a repressor
        contradicts: [{repressor}]
      - id: strategist
        label: a strategist
  - id: strike
    question: How should the strike be judged?
    stances:
      - id: war
        label: an act of war
"""


def corpus_with(tmp_path: Path, resister: str = "repressor", repressor: str = "resister", stances: str = "") -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(VALID, corpus)
    (corpus / "questions.yml").write_text(QUESTIONS.format(resister=resister, repressor=repressor), encoding="utf-8")
    if stances:
        annotations = corpus / "annotations" / "debate.yml"
        text = annotations.read_text(encoding="utf-8")
        annotations.write_text(text.replace("      strike: war\n", "      strike: war\n" + stances), encoding="utf-8")
    return corpus


def report(corpus: Path) -> list[str]:
    return [f"{p.location}: {p.message}\n{p.hint}" for p in find_problems(corpus)]


def test_declared_contradictions_load_as_mutual_sets(tmp_path: Path) -> None:
    question = load_corpus(corpus_with(tmp_path)).question_by_id["soleimani"]
    assert question.contradict("resister", "repressor") and question.contradict("repressor", "resister")
    assert not question.contradict("resister", "strategist")
    assert question.stance("strategist").contradicts == frozenset()


def test_an_unknown_stance_in_contradicts_is_located_with_a_guess(tmp_path: Path) -> None:
    [problem] = report(corpus_with(tmp_path, resister="repressr"))
    assert problem.startswith(
        "corpus/questions.yml:7: question `soleimani`, stance `resister`: `contradicts:` names `repressr`, "
        "which is not a stance of this question (did you mean `repressor`?)."
    )
    assert "Its stances: resister, repressor, strategist." in problem


def test_a_stance_contradicting_itself_is_an_error(tmp_path: Path) -> None:
    problems = report(corpus_with(tmp_path, resister="resister, repressor"))
    assert problems[0].startswith(
        "corpus/questions.yml:7: question `soleimani`, stance `resister`: `contradicts:` names the stance itself."
    )
    assert len(problems) == 1


def test_a_contradiction_declared_from_one_end_only_says_how_to_fix_it(tmp_path: Path) -> None:
    [problem] = report(corpus_with(tmp_path, repressor="resister, strategist"))
    assert problem.startswith(
        "corpus/questions.yml:10: question `soleimani`, stance `repressor`: `contradicts:` names `strategist`, "
        "but `strategist` does not name `repressor`: contradiction is mutual.\n"
        "Add `repressor` to the `contradicts:` of stance `strategist` (line 11), or remove `strategist` here"
    )


def test_a_stance_named_twice_in_contradicts_is_an_error(tmp_path: Path) -> None:
    [problem] = report(corpus_with(tmp_path, resister="repressor, repressor"))
    assert "names `repressor` twice" in problem


def test_a_voice_may_take_compatible_stances_in_one_passage_or_several(tmp_path: Path) -> None:
    corpus = load_corpus(corpus_with(tmp_path, stances="      soleimani: [strategist]\n"))
    assert corpus.passage_by_id["first-war"].stances == (("strike", "war"), ("soleimani", "strategist"))
    listed = load_corpus(corpus_with(tmp_path / "b", stances="      soleimani: [strategist, repressor]\n"))
    assert listed.passage_by_id["first-war"].stances == (
        ("strike", "war"),
        ("soleimani", "strategist"),
        ("soleimani", "repressor"),
    )


def test_a_voice_holding_contradicting_stances_names_both_passages(tmp_path: Path) -> None:
    [problem] = report(corpus_with(tmp_path, stances="      soleimani: resister\n"))
    assert problem == (
        "corpus/annotations/debate.yml:7: voice `first` holds two contradicting stances on question `soleimani`: "
        "`repressor` (passage `first-no` at corpus/annotations/debate.yml:3) and `resister` (passage `first-war`).\n"
        "corpus/questions.yml declares `repressor` and `resister` contradictory, so one voice cannot hold both. "
        "Correct the stance of one passage; or, if the texts show the two can be held together, remove each "
        "from the other's `contradicts:` in question `soleimani`."
    )


def test_contradicting_stances_in_one_passage_are_an_error(tmp_path: Path) -> None:
    corpus = corpus_with(tmp_path)
    annotations = corpus / "annotations" / "debate.yml"
    text = annotations.read_text(encoding="utf-8")
    annotations.write_text(text.replace("soleimani: repressor", "soleimani: [repressor, resister]"), "utf-8")
    [problem] = report(corpus)
    assert problem.startswith(
        "corpus/annotations/debate.yml:3: voice `first` holds two contradicting stances on question `soleimani`: "
        "`repressor` and `resister` (both in passage `first-no`)."
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("[strategist, strategist]", "passage `first-war` lists stance `strategist` on question `soleimani` twice."),
        ("[strategist, strategst]", "passage `first-war`: question `soleimani` has no stance `strategst` (did you "),
        ("[]", "passage `first-war`: the list of stances on question `soleimani` is empty."),
    ],
)
def test_a_list_of_stances_is_checked_item_by_item(tmp_path: Path, written: str, expected: str) -> None:
    [problem] = report(corpus_with(tmp_path, stances=f"      soleimani: {written}\n"))
    assert problem.startswith("corpus/annotations/debate.yml:11: " + expected)


def test_compatible_stances_derive_no_opposition(tmp_path: Path) -> None:
    from counterpoint.graph import Graph, Group

    corpus_dir = corpus_with(tmp_path)
    annotations = corpus_dir / "annotations" / "debate.yml"
    text = annotations.read_text(encoding="utf-8")
    annotations.write_text(text.replace("soleimani: resister", "soleimani: strategist"), "utf-8")
    links = Graph(load_corpus(corpus_dir)).of("first-no")
    [entry] = links.entries(Group.OPPOSED_BY)
    assert entry.other == "second-yes" and entry.declared and entry.bases == []  # the declared link only
