"""The map of the voices and the argument maps: they draw the data, every mark leads somewhere, the same
corpus gives the same bytes, and at scale they stay bounded.

The real corpus is built once (`repo_site`); the miniature of a large corpus (tests/scaled.py) with the
maps' own limits set low, so that it crosses them.
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from scaled import LIMITS
from soup import attr

from counterpoint.argument_map import build_argument_map
from counterpoint.checks import load_checked
from counterpoint.matrix import Matrix
from counterpoint.render.maps import argument_map_figure, voice_map_figure
from counterpoint.render.matrix_page import matrix_pages
from counterpoint.render.matrix_views import compare_link
from counterpoint.site import AGREEMENT, Site, Urls, question_page
from counterpoint.voice_map import MIN_ADDRESSED, PairCount, build_voice_map, classical_scaling
from sitebuild import REPO, Built


def _load() -> tuple[Site, Matrix]:
    checked = load_checked(REPO / "corpus", REPO)
    return Site(checked.corpus, Urls()), checked.matrix


def _target(built: Built, page: str, href: str) -> tuple[Path, str]:
    """The file and the fragment a link on `page` (a site-relative URL) leads to."""
    parts = urlsplit(urljoin("http://site/" + page, href))
    return built.path(parts.path.lstrip("/")), parts.fragment


def _assert_leads_somewhere(built: Built, page: str, href: str) -> None:
    path, fragment = _target(built, page, href)
    assert path.is_file(), f"{href} on {page} leads to no page"
    # The ids of each page read once (Built.links): parsing the target page for every node took 26 s.
    if fragment:
        assert fragment in built.links.facts(path).ids, f"{href} on {page}: no #{fragment} there"


# -- the layout ------------------------------------------------------------------------


def test_classical_scaling_recovers_points_that_lie_in_a_plane() -> None:
    points = [(0.0, 0.0), (3.0, 0.0), (0.0, 4.0), (3.0, 4.0), (1.0, 2.0)]
    squared = [[(a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 for b in points] for a in points]
    (xs, ys), share = classical_scaling(squared)
    assert share == pytest.approx(1.0)
    for i in range(len(points)):
        for j in range(len(points)):
            drawn = math.dist((xs[i], ys[i]), (xs[j], ys[j]))
            assert drawn == pytest.approx(math.sqrt(squared[i][j]), abs=1e-6)


def test_the_distance_says_what_the_page_says() -> None:
    assert PairCount(agree=0, oppose=0, shared=0).distance == 0.5
    assert PairCount(agree=4, oppose=0, shared=4).distance == pytest.approx(0.1)
    assert PairCount(agree=0, oppose=4, shared=4).distance == pytest.approx(0.9)
    # Compatible stances count half.
    assert PairCount(agree=0, oppose=0, shared=4).distance == 0.5


def test_every_voice_is_placed_or_listed_beside_the_map() -> None:
    site, matrix = _load()
    voice_map = build_voice_map(matrix)
    placed = [p.voice.id for p in voice_map.placed]
    unplaced = [v.id for v, _ in voice_map.unplaced]
    assert sorted(placed + unplaced) == sorted(v.id for v in site.corpus.voices)
    assert voice_map.left_out == 0
    assert all(count < MIN_ADDRESSED for _, count in voice_map.unplaced)
    order = [v.id for v in site.corpus.voices]
    assert placed == [v for v in order if v in placed], "voices keep the matrix's order"


def test_the_same_corpus_draws_the_same_bytes() -> None:
    drawn = []
    for _ in range(2):
        site, matrix = _load()
        pages = matrix_pages(matrix)
        html = str(voice_map_figure(site, matrix, AGREEMENT, pages, compare_link(site, AGREEMENT)))
        for question in site.corpus.questions:
            html += str(argument_map_figure(site, matrix, question, question_page(question.id)))
        drawn.append(html)
    assert drawn[0] == drawn[1]


def test_every_declared_relation_between_a_questions_passages_is_an_arrow() -> None:
    site, matrix = _load()
    corpus = site.corpus
    for question in corpus.questions:
        argument_map = build_argument_map(corpus, matrix, question)
        passages = {p.id for cell in matrix.row(question.id) for p in cell.passages}
        declared = [r for r in corpus.relations if r.source in passages and r.target in passages]
        assert [a.relation for a in argument_map.arrows] == declared, question.id
        assert argument_map.hidden_arrows == 0
        keys = {n.key for n in argument_map.nodes}
        for arrow in argument_map.arrows:
            assert arrow.source in keys and arrow.target in keys


# -- the built pages ---------------------------------------------------------------------


def test_the_agreement_page_draws_every_placed_voice_and_each_point_leads_to_its_column(repo_site: Built) -> None:
    page = "matrix/agreement/"
    soup = repo_site.soup(page)
    _, matrix = _load()
    voice_map = build_voice_map(matrix)
    for variant in ("wide", "narrow"):
        svg = soup.select_one(f"svg.cp-voice-map-{variant}")
        assert svg is not None
        nodes = svg.select("a.cp-map-node")
        assert len(nodes) == len(voice_map.placed)
        assert len(svg.select(".cp-map-joins line")) == len(voice_map.joins)
        labelled = attr(svg, "aria-labelledby")

        assert soup.find(id=labelled) is not None, "the picture's text alternative is on the page"
        for node, point in zip(nodes, voice_map.placed, strict=True):
            assert point.voice.name in node["aria-label"]
            _, fragment = _target(repo_site, page, attr(node, "href"))
            assert fragment == f"cp-col-{point.voice.id}"
            _assert_leads_somewhere(repo_site, page, attr(node, "href"))
    listed = soup.select(".cp-map-unplaced li a")
    assert [a.get_text() for a in listed] == [v.name for v, _ in voice_map.unplaced]
    for link in soup.select(".cp-map-section a[href]"):
        _assert_leads_somewhere(repo_site, page, attr(link, "href").split("?")[0])
    home = repo_site.soup("")
    assert home.select_one('a[href="matrix/agreement/#cp-voice-map"]') is not None, "the home page links to the map"


def test_each_question_page_draws_its_argument_map_and_each_node_leads_to_its_passage(repo_site: Built) -> None:
    site, matrix = _load()
    for question in site.corpus.questions:
        page = f"questions/{question.id}/"
        soup = repo_site.soup(page)
        argument_map = build_argument_map(site.corpus, matrix, question)
        for variant in ("wide", "narrow"):
            svg = soup.select_one(f"svg.cp-argument-map-{variant}")
            assert svg is not None, page
            nodes = svg.select("a.cp-map-node")
            assert [n["id"] for n in nodes] == [f"cp-am-{variant}-{n.key}" for n in argument_map.nodes]
            for link, node in zip(nodes, argument_map.nodes, strict=True):
                _, fragment = _target(repo_site, page, attr(link, "href"))
                assert fragment == node.passage.id
                _assert_leads_somewhere(repo_site, page, attr(link, "href"))
            arrows = svg.select("path.cp-arrow")
            assert [a["class"][1] for a in arrows] == [f"cp-arrow-{a.type.value}" for a in argument_map.arrows]
            assert soup.find(id=svg["aria-labelledby"]) is not None


# -- at scale ------------------------------------------------------------------------------

MAP_LIMITS = {**LIMITS, "map_voices": 6, "argument_map_voices_per_stance": 2}


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Built:
    from scaled import write_fixture

    from sitebuild import build_fixture, limits_override

    folder = tmp_path_factory.mktemp("maps-scaled")
    built = build_fixture(write_fixture(folder / "fixture"), folder, limits_override(MAP_LIMITS))
    assert built.ok, built.log
    return built


def test_at_scale_the_voice_map_shows_the_most_connected_voices_and_points_to_the_rest(scaled: Built) -> None:
    page = "matrix/agreement/"
    soup = scaled.soup(page)
    nodes = soup.select("svg.cp-voice-map-wide a.cp-map-node")
    assert len(nodes) == 6
    left_out = soup.select_one(".cp-map-left-out")
    assert left_out is not None and "not drawn" in left_out.get_text()
    for node in nodes:
        _assert_leads_somewhere(scaled, page, attr(node, "href"))
    for link in soup.select(".cp-map-section a[href]"):
        _assert_leads_somewhere(scaled, page, attr(link, "href").split("?")[0])


def test_at_scale_a_question_map_counts_the_voices_it_does_not_draw_and_links_to_them(scaled: Built) -> None:
    pages = sorted(p.parent.name for p in (scaled.site / "questions").glob("*/index.html"))
    more_seen = 0
    for name in pages:
        page = f"questions/{name}/"
        soup = scaled.soup(page)
        svg = soup.select_one(".cp-argument-map svg.cp-map-svg")
        assert svg is not None, page
        for group_nodes in [svg.select("a.cp-map-node")]:
            for link in group_nodes:
                _assert_leads_somewhere(scaled, page, attr(link, "href"))
        for more in svg.select("a.cp-map-more"):
            more_seen += 1
            _assert_leads_somewhere(scaled, page, attr(more, "href"))
        assert soup.select_one(f'[id="{svg["aria-labelledby"]}"]') is not None
        # Only the first page of a question carries its map.
        for later in (scaled.site / "questions" / name / "page").glob("*/index.html"):
            assert "cp-argument-map" not in later.read_text(encoding="utf-8")
    assert more_seen, "no question of the miniature crossed argument_map_voices_per_stance"


def test_at_scale_the_pages_with_maps_stay_under_the_size_limit(scaled: Built) -> None:
    for path in [scaled.path("matrix/agreement/"), *(scaled.site / "questions").glob("*/index.html")]:
        assert path.stat().st_size <= 100_000, path
