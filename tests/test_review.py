"""`counterpoint review`: the links it lists are the links the site's notes show, with both voices' words."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from counterpoint import review
from counterpoint.cli import main
from counterpoint.corpus import load_corpus
from counterpoint.graph import Graph, Group

REPO = Path(__file__).resolve().parents[1]


def test_every_link_of_the_notes_is_one_row_with_both_voices_words(tmp_path: Path) -> None:
    corpus = load_corpus(REPO / "corpus", REPO)
    assert main(["review", "--corpus", str(REPO / "corpus"), "--out", str(tmp_path)]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "review.csv").read_text(encoding="utf-8"))))
    graph = Graph(corpus)
    expected = {
        (frozenset((p.id, e.other)), relation)
        for p in corpus.passages
        for group, relation in (
            (Group.OPPOSED_BY, "opposes"),
            (Group.BACKED_BY, "backs"),
            (Group.RESPONDS_TO, "responds to"),
        )
        for e in graph.of(p.id).entries(group)
    }
    assert len(rows) == len(expected)
    by_exact = {p.exact: p for p in corpus.passages}
    for row in rows:
        a, b = by_exact[row["quote_a"]], by_exact[row["quote_b"]]
        assert (frozenset((a.id, b.id)), row["relation"]) in expected
        assert row["permalink_a"].endswith(f"#{a.id}") and row["permalink_b"].endswith(f"#{b.id}")
        assert row["why"], "every link says why"
        if row["relation"] == "opposes" and "declared" not in row["why"]:
            assert "declared contradictory" in row["why"]
    html = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert html.count("<article") == len(rows)
    assert "<script" not in html and "http" not in html.split("</style>")[0]


def test_quotes_are_escaped_in_the_page() -> None:
    corpus = load_corpus(REPO / "tests/fixtures/inert-text/corpus", REPO)
    page = review.to_html(corpus)
    for link in review.links(corpus):
        assert link.a.exact.count("<") == 0 or "&lt;" in page
    assert "<script>" not in page.split("</style>")[1]
