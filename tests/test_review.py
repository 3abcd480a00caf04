"""`counterpoint review`: the links it lists are the links the site's notes show, with both voices' words."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from counterpoint import review
from counterpoint.cli import main
from counterpoint.corpus import load_corpus
from counterpoint.graph import Graph, Group
from counterpoint.settings import DEFAULTS, Limits

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


def _project(tmp_path: Path, config: str) -> Path:
    """A copy of the real corpus with `config` as the mkdocs.yml beside it."""
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    return tmp_path / "corpus"


def test_the_review_uses_the_limits_of_the_mkdocs_yml_beside_the_corpus(tmp_path: Path) -> None:
    """Beyond `derived_voices` other voices on a question, the notes count them instead of linking each:
    the review must list the links the build's notes show, not those of the default limit."""
    corpus_dir = _project(
        tmp_path,
        'site_url: !ENV [SITE_URL, ""]\nextra:\n  generator: false\n  counterpoint:\n    limits:\n      derived_voices: 1\n',
    )
    corpus = load_corpus(corpus_dir, tmp_path)
    assert review.limits_beside(corpus_dir) == Limits(derived_voices=1)
    expected = review.to_csv(corpus, limits=Limits(derived_voices=1))
    assert expected != review.to_csv(corpus), "the limit changes which links the real corpus shows"
    assert main(["review", "--corpus", str(corpus_dir), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "review.csv").read_text(encoding="utf-8") == expected


def test_without_a_mkdocs_yml_the_review_uses_the_default_limits(tmp_path: Path) -> None:
    assert review.limits_beside(tmp_path / "corpus") == DEFAULTS


def test_a_bad_limit_in_mkdocs_yml_stops_the_review_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus_dir = _project(tmp_path, "extra:\n  counterpoint:\n    limits:\n      derived_voice: 3\n")
    assert main(["review", "--corpus", str(corpus_dir), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml" in err and "derived_voice" in err and "derived_voices" in err
    assert not (tmp_path / "out").exists()
