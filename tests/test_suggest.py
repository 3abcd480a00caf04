"""Suggested counter-passages: from other texts only, passages and unannotated sentences, stances count."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import pytest

from counterpoint import cli
from counterpoint.checks import load_checked
from counterpoint.model import Corpus, RelationType
from counterpoint.suggest import Index, contradicting, line, words

CORPUS = Path(__file__).resolve().parent / "fixtures" / "matrix" / "corpus"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_checked(CORPUS).corpus


def test_terms_are_lower_cased_stemmed_words_without_the_commonest() -> None:
    assert words("The Imperialists' killing of Soleimani’s men") == ["imperialist", "kill", "soleimani", "men"]


def test_candidates_come_from_other_texts_and_include_sentences_no_one_annotated(corpus: Corpus) -> None:
    found = Index(corpus).suggest("alpha-sky", 20)
    assert found and all(s.candidate.text_slug != "alpha" for s in found)
    assert any(c.passage_id is None and c.text_slug == "gamma" for c in Index(corpus).candidates)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


def test_a_passage_already_linked_is_no_suggestion_unless_held_out(corpus: Corpus) -> None:
    index = Index(corpus)
    assert "beta-water" not in [s.candidate.passage_id for s in index.suggest("alpha-water", 10)]
    held_out = index.suggest("alpha-water", 10, ignore={("alpha-water", "beta-water")})
    assert held_out[0].candidate.passage_id == "beta-water"
    assert held_out[0].shared_questions == ("water",)


def test_a_declared_contradiction_lifts_a_candidate_and_is_named(corpus: Corpus) -> None:
    def stub(question: object, contradicts: dict[str, tuple[str, ...]]) -> object:
        stances = [SimpleNamespace(id=s.id, contradicts=contradicts.get(s.id, ())) for s in question.stances]  # type: ignore[attr-defined]
        return SimpleNamespace(id=question.id, stances=stances)  # type: ignore[attr-defined]

    sky = corpus.question_by_id["sky"]
    assert contradicting(stub(sky, {"blue": ("grey",)}), "blue") == {"grey"}  # type: ignore[arg-type]

    def declaring(contradicts: dict[str, tuple[str, ...]]) -> Corpus:
        return dataclasses.replace(
            corpus,
            questions=tuple(stub(q, contradicts) if q.id == "sky" else q for q in corpus.questions),  # type: ignore[misc]
        )

    # The same corpus with the sky's stances compatible (nothing declared), then contradictory.
    plain = Index(declaring({})).suggest("alpha-sky", 10)
    declared = declaring({"blue": ("grey",), "grey": ("blue",)})
    ranked = Index(declared).suggest("alpha-sky", 10)
    grey = next(s for s in ranked if s.candidate.passage_id == "beta-sky")
    assert grey.relation is RelationType.OPPOSES
    assert grey.score > next(s for s in plain if s.candidate.passage_id == "beta-sky").score
    same = next(s for s in ranked if s.candidate.passage_id == "beta-reader-sky")
    assert same.relation is RelationType.SUPPORTS


def test_the_command_prints_one_candidate_a_line_best_first(capsys: pytest.CaptureFixture[str], corpus: Corpus) -> None:
    assert cli.main(["suggest", "alpha-sky", "--top", "2", "--corpus", str(CORPUS)]) == 0
    printed = capsys.readouterr().out.splitlines()
    expected = [line(s) for s in Index(corpus).suggest("alpha-sky", 2)]
    assert printed == expected and len(printed) == 2
    assert "beta" in printed[0] and "“" in printed[0]


def test_an_unknown_passage_gets_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["suggest", "alpha-skyy", "--corpus", str(CORPUS)]) == 1
    assert "(did you mean `alpha-sky`" in capsys.readouterr().err
