"""Golden test: the verbatim body of two tiny texts' pages, exactly as rendered.

The corpus in tests/fixtures/golden/ has a plain text (CRLF line ends; byline,
heading, omission inside the text, quotation, citation, sign-off, a reader
comment; nested and overlapping passages over characters that need escaping)
and a Markdown text (heading, emphasis, strong, superscript, a link that a
passage ends inside, a hard line break). Each page's `.cp-body` HTML is compared
with tests/golden/<slug>.cp-body.html.

When the page is meant to change (a template or renderer change), regenerate the
golden files and review the diff before committing it:

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from counterpoint.corpus import load_corpus
from counterpoint.model import Corpus
from counterpoint.render.text_page import render_text_page
from counterpoint.site import Site, Urls
from sitebuild import FIXTURES

GOLDEN = Path(__file__).parent / "golden"
CORPUS = FIXTURES / "golden" / "corpus"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(CORPUS)


def cp_body(html: str) -> str:
    """The `.cp-body` element as the template wrote it, character for character."""
    start = html.index('<div class="cp-body">')
    end = html.index("</div>", start) + len("</div>")
    body = html[start:end]
    parsed = BeautifulSoup(html, "html.parser").select_one(".cp-body")
    assert parsed is not None and str(parsed) == str(BeautifulSoup(body, "html.parser").select_one(".cp-body"))
    return body + "\n"


@pytest.mark.parametrize("slug", ["plain", "markdown"])
def test_the_text_body_matches_the_golden_file(corpus: Corpus, slug: str) -> None:
    site = Site(corpus, Urls(use_directory_urls=True))
    body = cp_body(str(render_text_page(site, corpus.text_by_slug[slug]).html))
    golden = GOLDEN / f"{slug}.cp-body.html"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(body, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if body != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), body.splitlines(keepends=True), str(golden), "rendered"
            )
        )
        pytest.fail(f"{slug}: the page's body differs from its golden file (UPDATE_GOLDEN=1 to accept):\n{diff}")


# -- the stance model on a small corpus ------------------------------------------------------------------
#
# tests/fixtures/stances/: on "The state", `rival` and `oppressed` contradict each other and `reactionary`
# contradicts neither; on "War", `war` and `no-war` contradict, `tension` contradicts neither. Voice One
# holds two compatible stances on the state (in two passages, one of them with a second passage); Voice
# Three holds two on war in one passage; Two declares by hand an opposition the stances also derive. The
# matrix's rows (the downloads) and every link the notes show are compared with tests/golden/stances.*.json.

STANCES = FIXTURES / "stances" / "corpus"


@pytest.fixture(scope="module")
def stances() -> Corpus:
    return load_corpus(STANCES)


def _golden_json(name: str, value: object) -> None:
    import json

    rendered = json.dumps(value, ensure_ascii=False, indent=1) + "\n"
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(rendered, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if rendered != expected:
        diff = "".join(
            difflib.unified_diff(expected.splitlines(keepends=True), rendered.splitlines(keepends=True), name, "now")
        )
        pytest.fail(f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept):\n{diff}")


def test_the_matrix_records_match_the_golden_file(stances: Corpus) -> None:
    from counterpoint.matrix import build_matrix

    matrix = build_matrix(stances)
    _golden_json("stances.records.json", [r.as_dict() for r in matrix.records(Urls(use_directory_urls=True))])


def test_the_derived_links_match_the_golden_file(stances: Corpus) -> None:
    from counterpoint.export import annotation_collection
    from counterpoint.review import links

    shown = [{"relation": k.relation, "why": k.why, "a": k.a.id, "b": k.b.id} for k in links(stances)]
    site = Site(stances, Urls(use_directory_urls=True))
    items = annotation_collection(site)["first"]["items"]
    jsonld = [item["id"].partition("#")[2] for item in items if item["motivation"] == "linking"]
    _golden_json("stances.links.json", {"review": shown, "annotations.jsonld": jsonld})


def test_a_cell_holds_every_stance_the_voice_takes_each_with_its_own_evidence(stances: Corpus) -> None:
    from counterpoint.matrix import build_matrix

    matrix = build_matrix(stances)
    one = matrix.cell("one", "state")
    assert [(h.stance.id, [p.id for p in h.passages]) for h in one.held] == [
        ("oppressed", ["one-oppressed"]),
        ("reactionary", ["one-reactionary", "one-reactionary-again"]),
    ]
    three = matrix.cell("three", "war")
    assert [h.stance.id for h in three.held] == ["war", "tension"], "in the question's order, not the file's"
    assert [p.id for p in three.passages] == ["three-regime"], "one passage, once"
    # The question lists a voice under each stance it holds.
    assert [(s.id, [c.voice.id for c in cells]) for s, cells in matrix.by_stance("state")] == [
        ("rival", ["two", "reader"]),
        ("oppressed", ["one"]),
        ("reactionary", ["one", "three"]),
    ]
    rows = [(r.voice, r.question_id, r.stance) for r in matrix.records(Urls())]
    assert rows.count(("Voice One", "state", "a reactionary regime")) == 1
    assert ("Voice One", "state", "an oppressed nation") in rows
    assert ("A reader of Three", "war", "") in rows


def test_derivation_follows_the_declared_contradictions(stances: Corpus) -> None:
    from counterpoint.graph import Graph, Group

    graph = Graph(stances)

    def listed(passage: str, group: Group) -> list[str]:
        return [e.other for e in graph.of(passage).entries(group)]

    # Contradicting stances oppose; the same stance backs; compatible stances relate nothing.
    assert listed("one-oppressed", Group.OPPOSED_BY) == ["two-rival", "reader-rival"]
    assert listed("one-reactionary", Group.BACKED_BY) == ["three-regime"]
    assert listed("one-reactionary", Group.OPPOSED_BY) == []
    assert listed("two-rival", Group.BACKED_BY) == ["reader-rival"]
    # A voice's second passage on a stance is not its representative: it is linked, but others link to the first.
    assert "one-reactionary-again" not in listed("three-regime", Group.BACKED_BY)
    # Three holds `war` and `tension` in one passage: `war` backs One, `tension` backs Two; `no-war` nobody.
    assert listed("three-regime", Group.BACKED_BY) == ["one-reactionary", "one-war", "two-tension"]
    assert listed("one-war", Group.OPPOSED_BY) == []
    # A declared link between the passages the stances also join is one link, declared, with its basis.
    [declared] = graph.of("two-rival").entries(Group.OPPOSED_BY)
    assert declared.other == "one-oppressed" and declared.declared
    assert [(b.question, b.own_stance, b.other_stance) for b in declared.bases] == [("state", "rival", "oppressed")]


def test_agreement_tells_contradiction_from_compatible_difference(stances: Corpus) -> None:
    from counterpoint.matrix import build_matrix

    matrix = build_matrix(stances)
    one_two = matrix.agreement("one", "two")
    assert [q.id for q in one_two.different] == ["state", "war"]
    assert [q.id for q in one_two.opposed] == ["state"], "war and tension are compatible"
    one_three = matrix.agreement("one", "three")
    assert [q.id for q in one_three.same] == ["state", "war"] and one_three.opposed == ()
    one_reader = matrix.agreement("one", "reader")
    assert [q.id for q in one_reader.opposed] == ["state"] and one_reader.same == ()


def test_compare_carries_each_stance_held_and_what_contradicts_it(stances: Corpus) -> None:
    from counterpoint.matrix import build_matrix
    from counterpoint.render.matrix_views import cell_view

    matrix = build_matrix(stances)
    site = Site(stances, Urls(use_directory_urls=True))
    one = cell_view(site, "matrix/compare.md", matrix.cell("one", "state"))
    assert (one.stance_ids, one.contradicted) == ("oppressed reactionary", "rival")
    three = cell_view(site, "matrix/compare.md", matrix.cell("three", "war"))
    assert (three.stance_ids, three.contradicted) == ("war tension", "no-war")
    assert [h.words.passage.id for h in one.held] == ["one-oppressed", "one-reactionary"]
    assert [h.more for h in one.held] == [0, 1]
