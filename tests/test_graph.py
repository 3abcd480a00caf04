"""The cross-reference graph: declared links both ways, derived links listed or counted, never a chosen few."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pytest

from counterpoint.corpus import load_corpus
from counterpoint.graph import Graph, Group
from counterpoint.model import Corpus
from counterpoint.render.text_page import render_text_page
from counterpoint.settings import Limits
from counterpoint.site import Site, Urls

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import make_corpus, write_corpus

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seeds() -> Corpus:
    return load_corpus(REPO / "corpus", REPO)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """Enough voices that most questions have more than Limits.derived_voices of them."""
    folder = tmp_path_factory.mktemp("crowded")
    return load_corpus(write_corpus(make_corpus(texts=40, annotations=6, seed=7), folder / "corpus"), folder)


def voices_by_question(corpus: Corpus) -> dict[str, dict[tuple[str, str], str]]:
    """question -> (voice, stance) -> the voice's first passage taking that stance on the question."""
    first: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for passage in corpus.passages:
        for qid, sid in passage.stances:
            first[qid].setdefault((passage.voice_id, sid), passage.id)
    return first


def test_in_the_seed_corpus_every_other_voice_on_a_question_is_listed(seeds: Corpus) -> None:
    graph = Graph(seeds)
    representative = voices_by_question(seeds)
    assert all(len({v for v, _ in reps}) <= Limits.derived_voices + 1 for reps in representative.values())
    compatible_pairs = 0
    for passage in seeds.passages:
        links = graph.of(passage.id)
        assert links.tallies == []
        for qid, own in passage.stances:
            question = seeds.question_by_id[qid]
            for (voice, theirs), other in representative[qid].items():
                if voice == passage.voice_id:
                    continue
                on_q = [
                    (group, e)
                    for group in (Group.BACKED_BY, Group.OPPOSED_BY)
                    for e in links.entries(group)
                    if e.other == other and any(b.question == qid and b.other_stance == theirs for b in e.bases)
                ]
                if theirs == own:
                    assert [g for g, _ in on_q] == [Group.BACKED_BY]
                elif question.contradict(own, theirs):
                    assert [g for g, _ in on_q] == [Group.OPPOSED_BY]
                else:
                    assert on_q == [], "compatible stances relate nothing"
                    compatible_pairs += 1
    assert compatible_pairs > 0, "the seed corpus has compatible stances, and they derive no link"


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
            others = {(v, sid) for (v, sid) in representative[qid] if v != passage.voice_id}
            if len({v for v, _ in others}) <= Limits.derived_voices:
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
            contradicting = crowded.question_by_id[qid].stance(own).contradicts
            backing = {v for v, sid in others if sid == own}
            opposing = {v for v, sid in others if sid in contradicting}
            listed_voices = {
                group: {crowded.passage_by_id[e.other].voice_id for g, e in listed_on_q if g is group}
                for group in (Group.BACKED_BY, Group.OPPOSED_BY)
            }
            assert tally.backed_by == len(backing - listed_voices[Group.BACKED_BY])
            assert tally.opposed_by == len(opposing - listed_voices[Group.OPPOSED_BY])
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
