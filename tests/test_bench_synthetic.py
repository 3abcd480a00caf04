"""The benchmark's synthetic corpus is a valid corpus: the loader accepts it as editors' files.

Nothing here measures time; bench/scale.py does that, outside the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

from counterpoint.corpus import load_corpus

# bench/ is not installed: `pytest` (unlike `python -m pytest`) does not put the repository on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import make_corpus, write_corpus, write_plain_pages


def test_synthetic_corpus_loads(tmp_path: Path) -> None:
    synthetic = make_corpus(texts=3, annotations=4, seed=11)
    corpus = load_corpus(write_corpus(synthetic, tmp_path / "corpus"), tmp_path)

    assert len(corpus.texts) == 3
    assert len(corpus.passages) == 3 * 4
    assert {p.text_slug for p in corpus.passages} == {t.slug for t in corpus.texts}
    # Every quote is the text's own words, found where the generator put it.
    for passage, written in zip(
        sorted(corpus.passages, key=lambda p: p.id),
        sorted((p for t in synthetic.texts for p in t.passages), key=lambda p: p["id"]),
        strict=True,
    ):
        assert passage.exact == " ".join(written["quote"].split())
    assert len(corpus.relations) == synthetic.relations
    assert sum(len(p.stances) for p in corpus.passages) == synthetic.stances


def test_synthetic_corpus_has_the_real_corpus_variety(tmp_path: Path) -> None:
    synthetic = make_corpus(texts=12, annotations=5, seed=3, multi_voice_share=0.5, markdown_share=0.5)
    corpus = load_corpus(write_corpus(synthetic, tmp_path / "corpus"), tmp_path)

    assert any(t.format == "markdown" for t in corpus.texts)
    assert any(t.format == "text" for t in corpus.texts)
    assert any(len(t.voices) > 1 for t in corpus.texts)
    assert len(corpus.relations) > 0
    cross_text = [
        r
        for r in corpus.relations
        if corpus.passage_by_id[r.source].text_slug != corpus.passage_by_id[r.target].text_slug
    ]
    assert cross_text == list(corpus.relations)


def test_synthetic_corpus_is_deterministic() -> None:
    first, second = make_corpus(4, 3, seed=5), make_corpus(4, 3, seed=5)
    assert [t.source() for t in first.texts] == [t.source() for t in second.texts]
    assert [t.passages for t in first.texts] == [t.passages for t in second.texts]


def test_plain_pages_hold_every_text(tmp_path: Path) -> None:
    synthetic = make_corpus(texts=3, annotations=2)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n<!-- counterpoint: texts -->\n", encoding="utf-8")
    pages = write_plain_pages(synthetic, docs)

    assert sorted(pages) == sorted(f"texts/{t.slug}.md" for t in synthetic.texts)
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert "counterpoint:" not in home
    assert all(f"texts/{t.slug}.md" in home for t in synthetic.texts)
    index = (docs / "texts" / "index.md").read_text(encoding="utf-8")
    assert all(f"({t.slug}.md)" in index for t in synthetic.texts)
