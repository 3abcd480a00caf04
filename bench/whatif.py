"""Estimate what a proposed change would gain, before making it: build with the package patched in memory.

    python bench/whatif.py --texts 200 --scenario fast-graph,libyaml-alias-scan
    python bench/whatif.py --texts 200 --check-graph

Each scenario stands for one of the changes proposed in the issue 7 report; it replaces a
function of the `counterpoint` package in this process only (nothing is written to the
package), then builds like bench/profile_build.py and prints the time by phase and the sizes.
Compare with `--scenario none`. The patches name the package's internals as they were when
written: if one no longer applies, the scenario says so and stops.

  libyaml-alias-scan  yamlfile._reject_aliases reads the YAML events with libyaml (PyYAML's
                      CSafeLoader) instead of a second pure-Python ruamel parse
  fast-graph          Graph._derived walks each group (backed by, opposed by) only as far as
                      DERIVED_LIMIT and counts the rest (the same links: --check-graph)
  derived-summary     the footnotes list no derived cross-reference (DERIVED_LIMIT = 0), as if
                      they were summarised on one line per question with a link to its page
  compact-export      annotations.jsonld without the derived links and without indentation
  gc-freeze           gc.freeze() once the corpus is loaded and checked

--check-graph builds the graph of the synthetic corpus both ways, at several limits, and says
whether every passage gets the same links and the same omitted counts.
"""

from __future__ import annotations

import argparse
import gc
import heapq
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script or with -m

from bench.profile_build import report, timed_build
from bench.sites import code_version, measure, prepare_counterpoint
from bench.synthetic import make_corpus, write_corpus

# ---------------------------------------------------------------------------
# The proposed graph algorithm


def fast_derived(self: Any, corpus: Any) -> None:
    """Graph._derived in O(passages x (DERIVED_LIMIT + listed links)) instead of O(passages x voices).

    Per question, the voices' representative passages are sorted once per stance. A passage's
    "backed by" group walks its own stance's list, its "opposed by" group a merge of the other
    stances' lists, each only until DERIVED_LIMIT voices are listed; the voices after that are
    counted, except those the passage already lists (declared links), which get the basis as before.
    """
    import counterpoint.graph as g

    representative: dict[str, dict[str, tuple[Any, str]]] = defaultdict(dict)
    for passage in corpus.passages:
        for qid, sid in passage.stances:
            representative[qid].setdefault(passage.voice_id, (passage, sid))
    order = corpus.voice_by_id
    by_stance: dict[str, dict[str, list[tuple[int, str, Any, str]]]] = {}
    rank: dict[str, dict[str, int]] = {}
    for qid, reps in representative.items():
        lists: dict[str, list[tuple[int, str, Any, str]]] = defaultdict(list)
        for passage, sid in sorted(reps.values(), key=lambda item: order[item[0].voice_id].order):
            lists[sid].append((order[passage.voice_id].order, passage.id, passage, sid))
        by_stance[qid] = lists
        rank[qid] = {passage.id: order[passage.voice_id].order for passage, _ in reps.values()}
    for passage in corpus.passages:
        links = self.links[passage.id]
        for qid, own in passage.stances:
            lists = by_stance[qid]
            for group, chosen in (
                (g.Group.BACKED_BY, [lists[own]]),
                (g.Group.OPPOSED_BY, [items for sid, items in lists.items() if sid != own]),
            ):
                total = sum(len(items) for items in chosen) - (1 if group is g.Group.BACKED_BY else 0)
                listed = {entry.other for entry in links.entries(group)}
                walked = 0
                stopped_at: int | None = None
                for position, _, other, theirs in heapq.merge(*chosen):
                    if other.voice_id == passage.voice_id:
                        continue
                    if walked >= g.DERIVED_LIMIT:
                        stopped_at = position
                        break
                    walked += 1
                    self._entry(passage.id, group, other.id).bases.append(g.Basis(qid, own, theirs))
                if stopped_at is None:
                    continue
                already = 0
                for other_id in listed:
                    position = rank[qid].get(other_id)
                    if position is None or position < stopped_at:
                        continue
                    other = corpus.passage_by_id[other_id]
                    theirs = representative[qid][other.voice_id][1]
                    if other.voice_id == passage.voice_id or (theirs == own) != (group is g.Group.BACKED_BY):
                        continue
                    self._entry(passage.id, group, other_id).bases.append(g.Basis(qid, own, theirs))
                    already += 1
                omitted = total - walked - already
                if omitted:
                    links.omitted[group] = links.omitted.get(group, 0) + omitted


# ---------------------------------------------------------------------------
# Scenarios


def _require(owner: Any, name: str) -> None:
    if not hasattr(owner, name):
        raise SystemExit(f"This scenario no longer applies: {getattr(owner, '__name__', owner)}.{name} is gone.")


def libyaml_alias_scan() -> None:
    import yaml

    import counterpoint.yamlfile as yamlfile

    _require(yamlfile, "_reject_aliases")

    def scan(text: str) -> int | None:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent) or (isinstance(event, yaml.NodeEvent) and event.anchor):
                return int(event.start_mark.line) + 1
        return None

    yamlfile._reject_aliases = scan  # type: ignore[attr-defined]


def fast_graph() -> None:
    import counterpoint.graph as graph

    _require(graph.Graph, "_derived")
    graph.Graph._derived = fast_derived  # type: ignore[method-assign]


def derived_summary() -> None:
    import counterpoint.graph as graph

    _require(graph, "DERIVED_LIMIT")
    graph.DERIVED_LIMIT = 0


class _WithoutDerived:
    """A Site whose graph lists no derived link: export._links then writes the declared relations only."""

    def __init__(self, site: Any) -> None:
        self._site = site

    def __getattr__(self, name: str) -> Any:
        return getattr(self._site, name)

    @property
    def graph(self) -> Any:
        from counterpoint.graph import Links

        class NoLinks:
            def of(self, passage_id: str) -> Links:
                return Links()

        return NoLinks()


def compact_export() -> None:
    import counterpoint.export as export

    for name in ("_links", "annotation_collection", "annotations_jsonld"):
        _require(export, name)
    links = export._links

    def declared_only(site: Any, iris: Any) -> list[dict[str, Any]]:
        return links(_WithoutDerived(site), iris)

    def annotations(site: Any, base_url: str = "") -> str:
        return (
            json.dumps(export.annotation_collection(site, base_url), ensure_ascii=False, separators=(",", ":")) + "\n"
        )

    export._links = declared_only
    _rebind(export.annotations_jsonld, annotations)


def gc_freeze() -> None:
    import counterpoint.build as build

    _require(build.SiteBuild, "load")
    load = build.SiteBuild.load.__func__  # type: ignore[attr-defined]

    def frozen(cls: Any, *args: Any, **kwargs: Any) -> Any:
        site_build = load(cls, *args, **kwargs)
        gc.freeze()
        return site_build

    build.SiteBuild.load = classmethod(frozen)  # type: ignore[method-assign, assignment]


def _rebind(original: Callable[..., Any], replacement: Callable[..., Any]) -> None:
    """Replace a function wherever the package has imported it."""
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("counterpoint"):
            for name, value in list(vars(module).items()):
                if value is original:
                    setattr(module, name, replacement)


SCENARIOS: dict[str, Callable[[], None]] = {
    "none": lambda: None,
    "libyaml-alias-scan": libyaml_alias_scan,
    "fast-graph": fast_graph,
    "derived-summary": derived_summary,
    "compact-export": compact_export,
    "gc-freeze": gc_freeze,
}


# ---------------------------------------------------------------------------


def _links_snapshot(graph: Any) -> dict[str, Any]:
    return {
        passage_id: (
            {
                group.value: [
                    (e.other, e.declared, [(b.question, b.own_stance, b.other_stance) for b in e.bases], e.answer)
                    for e in entries
                ]
                for group, entries in links.groups.items()
            },
            {group.value: count for group, count in links.omitted.items()},
        )
        for passage_id, links in graph.links.items()
    }


def check_graph(corpus_dir: Path) -> bool:
    import counterpoint.graph as graph
    from counterpoint.corpus import load_corpus

    corpus = load_corpus(corpus_dir)
    original = graph.Graph._derived
    limit = graph.DERIVED_LIMIT
    same = True
    try:
        for graph.DERIVED_LIMIT in (limit, 3, 1, 0):
            graph.Graph._derived = original  # type: ignore[method-assign]
            start = time.process_time()
            before = _links_snapshot(graph.Graph(corpus))
            middle = time.process_time()
            graph.Graph._derived = fast_derived  # type: ignore[method-assign]
            after = _links_snapshot(graph.Graph(corpus))
            end = time.process_time()
            differ = [p for p in before if before[p] != after[p]]
            same = same and not differ
            print(
                f"DERIVED_LIMIT {graph.DERIVED_LIMIT:>2}: current {middle - start:.2f} s, proposed {end - middle:.2f} s "
                f"(CPU); {'identical links' if not differ else f'{len(differ)} passages differ, e.g. {differ[0]}'}"
            )
    finally:
        graph.Graph._derived = original  # type: ignore[method-assign]
        graph.DERIVED_LIMIT = limit
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", "-n", type=int, default=200, help="how many texts (N)")
    parser.add_argument("--annotations", "-k", type=int, default=20, help="passages per text (K)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scenario", default="none", help=f"comma-separated, of: {', '.join(SCENARIOS)}")
    parser.add_argument("--check-graph", action="store_true", help="compare the current and proposed graph")
    parser.add_argument("--workdir", type=Path, help="build here (kept) instead of a temporary folder under /tmp")
    args = parser.parse_args(argv)
    names = [name for name in args.scenario.split(",") if name]
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")

    with tempfile.TemporaryDirectory(prefix="counterpoint-whatif-") as temporary:
        root = args.workdir or Path(temporary)
        corpus = make_corpus(args.texts, args.annotations, args.seed)
        print(f"corpus: {corpus.summary()}; Counterpoint {code_version()}")
        if args.check_graph:
            return 0 if check_graph(write_corpus(corpus, root / "graph-check" / "corpus")) else 1
        config_file = prepare_counterpoint(root / "counterpoint", corpus)
        for name in names:
            SCENARIOS[name]()
        timer, total = timed_build(config_file)
        report(timer, total)
        site = measure(config_file.parent / "site")
    print(
        json.dumps(
            {
                "texts": args.texts,
                "annotations": args.annotations,
                "scenario": args.scenario,
                "build_cpu_s": round(total, 2),
                "site_mb": round(site.total_bytes / 1e6, 2),
                "text_page_median_kb": round(site.text_page_median / 1000, 1),
                "largest_page": site.largest_pages[0] if site.largest_pages else None,
                "search_index_mb": round(site.search_index_bytes / 1e6, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
