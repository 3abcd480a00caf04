"""The matrix's data (counterpoint.matrix), on the tiny fixture corpus tests/fixtures/matrix.

Voices in chronological order: beta-writer, beta-reader (both 3 January 2020),
alpha (5 January), gamma (2021, no passage). Questions: sky, water, unasked.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from counterpoint.corpus import load_corpus
from counterpoint.matrix import COLUMNS, build_matrix, to_csv, to_json
from counterpoint.model import Corpus
from counterpoint.problems import CorpusError
from counterpoint.site import Urls

FIXTURE = Path(__file__).parent / "fixtures" / "matrix"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(FIXTURE / "corpus", FIXTURE)


def test_columns_are_the_voices_in_chronological_order_and_rows_the_questions(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    assert [v.id for v in matrix.voices] == ["beta-writer", "beta-reader", "alpha", "gamma"]
    assert [q.id for q in matrix.questions] == ["sky", "water", "unasked"]


def test_every_voice_has_one_cell_per_question(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    for voice in matrix.voices:
        assert [c.question.id for c in matrix.column(voice.id)] == ["sky", "water", "unasked"]
    for question in matrix.questions:
        assert [c.voice.id for c in matrix.row(question.id)] == ["beta-writer", "beta-reader", "alpha", "gamma"]


def test_a_cell_holds_the_stance_and_the_voices_first_passage_as_evidence(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    cell = matrix.cell("alpha", "sky")
    assert cell.addressed
    [held] = cell.held
    assert held.stance.id == "blue"
    assert held.evidence.id == "alpha-sky"
    assert [p.id for p in held.passages] == [p.id for p in cell.passages] == ["alpha-sky", "alpha-sky-again"]
    assert held.evidence.exact == "The sky is blue."
    grey = matrix.cell("beta-writer", "sky")
    assert [s.label for s in grey.stances] == ["grey <b>and</b> low"]


def test_the_evidence_is_the_passage_the_cross_references_cite(corpus: Corpus) -> None:
    """graph.py lets each voice's first passage taking a stance stand for it; so does the matrix."""
    from counterpoint.graph import GROUP_ORDER, Graph

    matrix = build_matrix(corpus)
    graph = Graph(corpus)
    checked = 0
    for passage in corpus.passages:
        for group in GROUP_ORDER:
            for ref in graph.of(passage.id).entries(group):
                other = corpus.passage_by_id[ref.other]
                for basis in ref.bases:
                    held = matrix.cell(other.voice_id, basis.question).holding(basis.other_stance)
                    assert held is not None and held.evidence.id == other.id
                    checked += 1
    assert checked > 0


def test_a_voice_without_a_passage_on_a_question_gets_an_explicit_not_addressed_cell(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    for voice_id, question_id in [("gamma", "sky"), ("beta-reader", "water"), ("alpha", "unasked")]:
        cell = matrix.cell(voice_id, question_id)
        assert not cell.addressed
        assert cell.held == () and cell.stances == () and cell.passages == ()
    assert [c.voice.id for c in matrix.not_addressing("unasked")] == ["beta-writer", "beta-reader", "alpha", "gamma"]
    assert matrix.addressed_count("gamma") == 0
    assert matrix.addressed_count("alpha") == 2


def test_by_stance_lists_every_stance_in_order_even_when_nobody_takes_it(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    groups = matrix.by_stance("sky")
    assert [s.id for s, _ in groups] == ["blue", "grey", "green"]
    assert [[c.voice.id for c in cells] for _, cells in groups] == [["beta-reader", "alpha"], ["beta-writer"], []]


def test_agreement_counts_the_same_stance_among_questions_both_address(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    writer_alpha = matrix.agreement("beta-writer", "alpha")
    assert (writer_alpha.agree, writer_alpha.shared) == (0, 2)
    assert [q.id for q in writer_alpha.different] == ["sky", "water"]
    reader_alpha = matrix.agreement("beta-reader", "alpha")
    assert (reader_alpha.agree, reader_alpha.shared) == (1, 1)
    assert [q.id for q in reader_alpha.same] == ["sky"]
    silent = matrix.agreement("gamma", "alpha")
    assert (silent.agree, silent.shared) == (0, 0)


def test_agreement_is_symmetric(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    for a in matrix.voices:
        for b in matrix.voices:
            one, other = matrix.agreement(a.id, b.id), matrix.agreement(b.id, a.id)
            assert (one.same, one.different) == (other.same, other.different)


def test_a_matrix_can_hold_a_slice_of_the_voices_and_questions(corpus: Corpus) -> None:
    """What pagination at scale will rely on: one page, one slice."""
    voices = [corpus.voice_by_id["alpha"], corpus.voice_by_id["gamma"]]
    matrix = build_matrix(corpus, voices=voices, questions=[corpus.question_by_id["sky"]])
    assert [c.voice.id for c in matrix.row("sky")] == ["alpha", "gamma"]
    assert matrix.cell("alpha", "sky").held
    with pytest.raises(KeyError):
        matrix.cell("beta-writer", "sky")


def test_records_are_one_row_per_voice_and_question(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    records = matrix.records(Urls(use_directory_urls=True))
    assert len(records) == 4 * 3
    first = records[0].as_dict()
    assert list(first) == list(COLUMNS)
    assert first == {
        "voice": "Beta Writer",
        "text": "Beta's article & its reader",
        "question_id": "sky",
        "question": "What colour is the sky?",
        "stance": "grey <b>and</b> low",
        "quote": "The sky is grey & low, <script>alert(1)</script> whatever they say.",
        "url": "texts/beta/#beta-sky",
    }
    silent = [r for r in records if r.voice == "Gamma"]
    assert [(r.stance, r.quote, r.url) for r in silent] == [("", "", "")] * 3


def test_record_urls_follow_the_sites_url_scheme(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    records = matrix.records(Urls(use_directory_urls=False))
    assert records[0].url == "texts/beta.html#beta-sky"


def test_csv_has_a_header_and_one_row_per_record(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    records = matrix.records(Urls())
    text = to_csv(records)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 1 + len(records)
    assert rows[1][COLUMNS.index("quote")] == records[0].quote
    assert text.endswith("\r\n")


def test_json_holds_the_same_rows_with_voices_and_questions(corpus: Corpus) -> None:
    matrix = build_matrix(corpus)
    records = matrix.records(Urls())
    data = json.loads(to_json(matrix, records, "https://example.org/reader/"))
    assert data["rows"] == [r.as_dict() for r in records]
    assert data["columns"] == list(COLUMNS)
    assert [v["id"] for v in data["voices"]] == ["beta-writer", "beta-reader", "alpha", "gamma"]
    assert [s["id"] for s in data["questions"][0]["stances"]] == ["blue", "grey", "green"]
    assert data["site_url"] == "https://example.org/reader/"
    assert "relative to the site's root" in data["about"]


# -- the evidence check ----------------------------------------------------------------


def _with_passage(corpus: Corpus, passage_id: str, **changes: object) -> Corpus:
    passages = tuple(replace(p, **changes) if p.id == passage_id else p for p in corpus.passages)  # type: ignore[arg-type]
    return replace(corpus, passages=passages)


def test_a_stance_whose_quote_is_not_the_texts_words_fails_with_file_and_line(corpus: Corpus) -> None:
    tampered = _with_passage(corpus, "alpha-water", exact="water is dry")
    with pytest.raises(CorpusError) as caught:
        build_matrix(tampered, root=FIXTURE)
    [problem] = caught.value.problems
    assert problem.file == "corpus/annotations/alpha.yml"
    assert problem.line == corpus.passage_by_id["alpha-water"].line
    assert "`alpha-water` gives a stance without evidence" in problem.message
    assert "“water is dry” is not what the text says there: “water is wet”" in problem.message
    assert "own words" in problem.hint


def test_a_stance_with_an_empty_quote_fails(corpus: Corpus) -> None:
    passage = corpus.passage_by_id["alpha-sky"]
    tampered = _with_passage(corpus, "alpha-sky", exact="", end=passage.start)
    with pytest.raises(CorpusError) as caught:
        build_matrix(tampered, root=FIXTURE)
    assert any("its quote is empty" in p.message for p in caught.value.problems)


def test_a_stance_in_another_voices_words_fails(corpus: Corpus) -> None:
    tampered = _with_passage(corpus, "beta-reader-sky", voice_id="alpha")
    with pytest.raises(CorpusError) as caught:
        build_matrix(tampered, root=FIXTURE)
    assert any("`alpha` is not a voice of `beta`" in p.message for p in caught.value.problems)


def test_a_stance_pointing_outside_its_text_fails(corpus: Corpus) -> None:
    tampered = _with_passage(corpus, "alpha-sky", block_index=99)
    with pytest.raises(CorpusError) as caught:
        build_matrix(tampered, root=FIXTURE)
    assert any("points outside the text `alpha`" in p.message for p in caught.value.problems)


def test_a_stance_that_questions_yml_does_not_define_fails(corpus: Corpus) -> None:
    tampered = _with_passage(corpus, "alpha-sky", stances=(("sky", "purple"),))
    with pytest.raises(CorpusError) as caught:
        build_matrix(tampered, root=FIXTURE)
    assert any("stance `purple` on question `sky`" in p.message for p in caught.value.problems)


def test_two_contradicting_stances_of_one_voice_on_one_question_fail(corpus: Corpus) -> None:
    tampered = _with_passage(corpus, "alpha-sky-again", stances=(("sky", "green"),))
    with pytest.raises(CorpusError) as caught:
        build_matrix(tampered, root=FIXTURE)
    [problem] = caught.value.problems
    assert "voice `alpha` holds two contradicting stances on question `sky`" in problem.message


def test_the_evidence_check_runs_when_the_site_is_planned(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, corpus: Corpus
) -> None:
    """SiteBuild.load builds the matrix (through load_checked, as `counterpoint check` does) before planning."""
    import counterpoint.checks
    from counterpoint.build import SiteBuild

    tampered = _with_passage(corpus, "alpha-water", exact="water is dry")
    monkeypatch.setattr(counterpoint.checks, "load_corpus", lambda *args: tampered)
    with pytest.raises(CorpusError):
        SiteBuild.load(FIXTURE, use_directory_urls=True)


def test_the_agreement_table_is_not_built_beyond_its_limit(corpus: Corpus) -> None:
    """Voices squared cells: at scale the page says so instead of growing without bound."""
    from counterpoint.render.agreement_page import render_agreement_page
    from counterpoint.site import Site

    site = Site(corpus, Urls())
    matrix = build_matrix(corpus)
    whole = render_agreement_page(site, matrix)
    assert "<table" in whole.html
    bounded = render_agreement_page(site, matrix, limit=3)
    assert "<table" not in bounded.html
    assert "With 4 voices, this table would hold 12 cells, too many for one page" in bounded.html


def test_csv_cells_never_become_spreadsheet_formulas() -> None:
    from counterpoint.matrix import spreadsheet_safe

    assert spreadsheet_safe('=HYPERLINK("https://evil.example","x")') == '\'=HYPERLINK("https://evil.example","x")'
    assert spreadsheet_safe("+1") == "'+1" and spreadsheet_safe("-- a dash") == "'-- a dash"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("A quote, with = inside") == "A quote, with = inside"
    assert spreadsheet_safe("") == ""
