"""The cross-reference graph: declared links both ways, derived links listed or counted, never a chosen few."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pytest

from counterpoint.corpus import load_corpus
from counterpoint.graph import DERIVED_LIMIT, Graph, Group
from counterpoint.model import Corpus
from counterpoint.render.common import Site
from counterpoint.render.text_page import render_text_page
from counterpoint.site import Urls

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import make_corpus, write_corpus

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seeds() -> Corpus:
    return load_corpus(REPO / "corpus", REPO)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """Enough voices that most questions have more than DERIVED_LIMIT of them."""
    folder = tmp_path_factory.mktemp("crowded")
    return load_corpus(write_corpus(make_corpus(texts=40, annotations=6, seed=7), folder / "corpus"), folder)


def voices_by_question(corpus: Corpus) -> dict[str, dict[str, tuple[str, str]]]:
    """question -> voice -> (its first passage on the question, its stance)."""
    first: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for passage in corpus.passages:
        for qid, sid in passage.stances:
            first[qid].setdefault(passage.voice_id, (passage.id, sid))
    return first


def test_in_the_seed_corpus_every_other_voice_on_a_question_is_listed(seeds: Corpus) -> None:
    graph = Graph(seeds)
    representative = voices_by_question(seeds)
    assert all(len(voices) <= DERIVED_LIMIT + 1 for voices in representative.values())
    for passage in seeds.passages:
        links = graph.of(passage.id)
        assert links.tallies == []
        for qid, own in passage.stances:
            for voice, (other, theirs) in representative[qid].items():
                if voice == passage.voice_id:
                    continue
                group = Group.BACKED_BY if theirs == own else Group.OPPOSED_BY
                entry = next(e for e in links.entries(group) if e.other == other)
                assert any(b.question == qid and b.other_stance == theirs for b in entry.bases)


def test_declared_relations_show_on_both_passages(seeds: Corpus) -> None:
    graph = Graph(seeds)
    for relation in seeds.relations:
        for here, there in ((relation.source, relation.target), (relation.target, relation.source)):
            listed = {e.other for entries in graph.of(here).groups.values() for e in entries}
            assert there in listed


def test_beyond_the_limit_the_other_voices_are_counted_not_some_of_them_listed(crowded: Corpus) -> None:
    graph = Graph(crowded)
    representative = voices_by_question(crowded)
    declared = defaultdict(set)
    for relation in crowded.relations:
        declared[relation.source].add(relation.target)
        declared[relation.target].add(relation.source)
    tallied = 0
    for passage in crowded.passages:
        links = graph.of(passage.id)
        for qid, own in passage.stances:
            others = {v: item for v, item in representative[qid].items() if v != passage.voice_id}
            if len(others) <= DERIVED_LIMIT:
                assert all(t.question != qid for t in links.tallies)
                continue
            tally = next(t for t in links.tallies if t.question == qid)
            # Every derived link on the question is either counted or, for a declared link, listed with its basis.
            listed_on_q = [
                (group, e)
                for group in (Group.BACKED_BY, Group.OPPOSED_BY)
                for e in links.entries(group)
                if any(b.question == qid for b in e.bases)
            ]
            assert {e.other for _, e in listed_on_q} <= declared[passage.id]
            same = sum(1 for _, sid in others.values() if sid == own)
            backed_listed = sum(1 for group, _ in listed_on_q if group is Group.BACKED_BY)
            assert tally.backed_by == same - backed_listed
            assert tally.opposed_by == len(others) - same - (len(listed_on_q) - backed_listed)
            tallied += 1
    assert tallied > 0


def test_a_counted_question_is_one_line_on_the_page_linking_its_question(crowded: Corpus) -> None:
    site = Site(crowded, Urls())
    passage = next(p for p in crowded.passages if site.graph.of(p.id).tallies)
    page = str(render_text_page(site, crowded.text_by_slug[passage.text_slug]).html)
    tally = site.graph.of(passage.id).tallies[0]
    question = crowded.question_by_id[tally.question]
    total = tally.backed_by + tally.opposed_by
    assert (
        f"{total} other voices take a stance, too many to list here:\n"
        f"      opposed by {tally.opposed_by}, backed by {tally.backed_by}. The question’s page quotes them all."
    ) in page
    assert f'href="../../questions/{question.id}/">{question.short}</a>' in page
