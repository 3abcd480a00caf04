"""How the build scales: a synthetic corpus of N texts built with Counterpoint, and the same texts without it.

    python bench/scale.py --texts 1000 --annotations 20

1. generates N texts with K passages each (bench/synthetic.py) in a temporary folder;
2. builds them with `mkdocs build --strict`, the real mkdocs.yml and hook (paths adjusted);
   the package measured is this checkout's (the one beside bench/: to measure a commit, clone it
   to /tmp and run its bench/scale.py), and the JSON line's "code" says which commit it was;
3. builds the same texts as plain Markdown pages, same theme and settings, no hook: the floor;
4. prints what it measured, and last one JSON line:
   {"texts", "annotations", "build_s", "plain_s", "ratio", "site_mb", "search_index_mb", "largest_page_kb",
    "cpu_ratio", "first_search_kb", "first_search_kb_gz", "index_s", "index_peak_mb", "index_cpu_s", ...}
   (index_s: how long the build waited for the index at its end; index_cpu_s and index_peak_mb:
   the Pagefind process's own CPU time and peak memory; records_cpu_s: ours, making the records)
5. the bytes of a first and a further search are measured in headless Chromium (bench/search_bytes.py);
   the floor keeps Material's own search, as a site made with plain Material would.

Sizes are decimal: 1 kB = 1000 bytes, 1 MB = 1,000,000 bytes. Times are wall-clock seconds of the
whole `mkdocs build` process (the fastest of --repeat runs); MkDocs' own figure is reported beside,
and so is the process's CPU time (build_cpu_s, plain_cpu_s, cpu_ratio), which other work on a shared
machine hardly affects: compare those when the machine is busy. With --repeat the builds are taken
in turn (ours, plain, ours, plain, ...), so that a drift of the machine's speed lands on both sides;
cpu_ratio is least CPU against least CPU, cpu_ratio_paired the median of each turn's ratio, and
cpu_s_each / plain_cpu_s_each every build's CPU time.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script or with -m

from bench.search_bytes import measure as measure_search
from bench.sites import BuildResult, SiteMetrics, build, code_version, measure, prepare_counterpoint, prepare_plain
from bench.synthetic import make_corpus


def _kb(size: int) -> float:
    return round(size / 1000, 1)


def _mb(size: int) -> float:
    return round(size / 1_000_000, 2)


def _build_checked(project: Path, strict: bool, label: str, attempt: int, repeat: int) -> BuildResult:
    result = build(project, strict=strict)
    print(
        f"  {label} build {attempt + 1}/{repeat}: {result.seconds:.2f} s wall-clock, {result.cpu_seconds:.2f} s CPU "
        f"(MkDocs says {result.reported} s)"
    )
    if not result.ok:
        print(result.log[-4000:], file=sys.stderr)
        raise SystemExit(f"The {label} build failed (exit {result.returncode}); its log is above.")
    return result


def _fastest(results: list[BuildResult]) -> BuildResult:
    return min(results, key=lambda result: result.seconds)


def _interleaved(ours: Path, plain: Path | None, repeat: int) -> tuple[list[BuildResult], list[BuildResult]]:
    """`repeat` builds of each project, taken in turn (ours, plain, ours, plain, ...).

    In turn, not one series after the other: this machine's speed drifts by more than the margin
    being measured (the floor's least CPU moved 6.45-9.18 s between runs of one day), and a drift
    during one series would land on one side of the ratio only.
    """
    counterpoint: list[BuildResult] = []
    floor: list[BuildResult] = []
    for attempt in range(repeat):
        counterpoint.append(_build_checked(ours, True, "Counterpoint", attempt, repeat))
        if plain is not None:
            floor.append(_build_checked(plain, False, "plain", attempt, repeat))
    return counterpoint, floor


def _paired_ratio(counterpoint: list[BuildResult], floor: list[BuildResult]) -> float | None:
    """The median of each turn's CPU ratio (a build of ours against the plain build just after it);
    None without plain builds (--no-plain)."""
    if not floor:
        return None
    ratios = [ours.cpu_seconds / plain.cpu_seconds for ours, plain in zip(counterpoint, floor, strict=True)]
    return round(statistics.median(ratios), 2)


def _describe(label: str, metrics: SiteMetrics, texts: int) -> None:
    print(f"{label} site: {_mb(metrics.total_bytes)} MB in {metrics.files} files, {metrics.html_pages} HTML pages")
    print(
        f"  text page median {_kb(metrics.text_page_median)} kB "
        f"(of which {_kb(metrics.text_page_nav)} kB site navigation); largest pages:"
    )
    for path, size in metrics.largest_pages:
        print(f"    {_kb(size):>9} kB  {path}")
    print("  largest files:")
    for path, size in metrics.largest_files:
        print(f"    {_kb(size):>9} kB  {path}")
    print(
        f"  search index {_mb(metrics.search_index_bytes)} MB ({_mb(metrics.search_index_gzip)} MB gzipped), "
        f"{_kb(metrics.search_index_bytes // max(texts, 1))} kB per text; first search downloads "
        f"{_mb(metrics.first_search_bytes)} MB ({_mb(metrics.first_search_gzip)} MB gzipped, worker included)"
    )


def _indexing(log: str) -> dict[str, float | int | None]:
    """The hook's report of the search indexing (counterpoint.mkdocs_plugin, _index_for_search)."""
    found = re.search(
        r"Search index: (\d+) records .* in ([0-9.]+) s \(peak memory (\d+) MB"
        r"(?:; CPU: Pagefind ([0-9.]+) s, records ([0-9.]+) s)?\)",
        log,
    )
    if not found:
        return {"records": None, "index_s": None, "index_peak_mb": None, "index_cpu_s": None, "records_cpu_s": None}
    return {
        "records": int(found.group(1)),
        "index_s": float(found.group(2)),
        "index_peak_mb": int(found.group(3)),
        "index_cpu_s": float(found.group(4)) if found.group(4) else None,
        "records_cpu_s": float(found.group(5)) if found.group(5) else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", "-n", type=int, required=True, help="how many texts (N)")
    parser.add_argument("--annotations", "-k", type=int, default=20, help="passages per text (K)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic corpus")
    parser.add_argument("--repeat", type=int, default=1, help="build each site this many times, keep the fastest")
    parser.add_argument("--workdir", type=Path, help="build here (kept) instead of a temporary folder under /tmp")
    parser.add_argument("--no-plain", action="store_true", help="skip the floor build")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="counterpoint-bench-") as temporary:
        root = args.workdir or Path(temporary)
        start = time.perf_counter()
        corpus = make_corpus(args.texts, args.annotations, args.seed)
        summary = corpus.summary()
        print(f"corpus: {summary} (generated in {time.perf_counter() - start:.1f} s)")
        code = code_version()
        print(f"measuring Counterpoint {code}")

        project = root / "counterpoint"
        prepare_counterpoint(project, corpus)
        plain_project = None if args.no_plain else root / "plain"
        if plain_project is not None:
            prepare_plain(plain_project, corpus)
        our_builds, plain_builds = _interleaved(project, plain_project, args.repeat)
        counterpoint = _fastest(our_builds)
        counterpoint_cpu = min(result.cpu_seconds for result in our_builds)
        ours = measure(project / "site")
        _describe("Counterpoint", ours, args.texts)
        searching = measure_search(project / "site")
        indexing = _indexing(counterpoint.log)
        print(
            f"  Pagefind: the build waited {indexing['index_s']} s for the index at its end; Pagefind took "
            f"{indexing['index_cpu_s']} CPU-s (records: {indexing['records_cpu_s']} s), peak memory "
            f"{indexing['index_peak_mb']} MB; "
            f"before a search the home page loads {searching['index_before_search']} file(s) of it; "
            f"a first search for {searching['query']!r} downloads {searching['first_search']}, "
            f"a further one for {searching['then']!r} {searching['further_search']}"
        )

        plain_s: float | None = None
        plain_cpu: float | None = None
        plain_reported: float | None = None
        floor: SiteMetrics | None = None
        if plain_project is not None:
            plain = _fastest(plain_builds)
            plain_cpu = min(result.cpu_seconds for result in plain_builds)
            plain_s, plain_reported = plain.seconds, plain.reported
            floor = measure(plain_project / "site")
            _describe("Plain", floor, args.texts)
        if args.workdir:
            print(f"projects kept in {root}")

    result = {
        "texts": args.texts,
        "annotations": args.annotations,
        "build_s": round(counterpoint.seconds, 2),
        "plain_s": round(plain_s, 2) if plain_s is not None else None,
        "ratio": round(counterpoint.seconds / plain_s, 2) if plain_s else None,
        "site_mb": _mb(ours.total_bytes),
        "search_index_mb": _mb(ours.search_index_bytes),
        "largest_page_kb": _kb(ours.largest_pages[0][1]) if ours.largest_pages else 0,
        "largest_page": ours.largest_pages[0][0] if ours.largest_pages else None,
        "passages": summary["passages"],
        "voices": summary["voices"],
        "build_cpu_s": round(counterpoint_cpu, 2),
        "plain_cpu_s": round(plain_cpu, 2) if plain_cpu is not None else None,
        "cpu_ratio": round(counterpoint_cpu / plain_cpu, 2) if plain_cpu else None,
        "cpu_ratio_paired": _paired_ratio(our_builds, plain_builds),
        "cpu_s_each": [round(result.cpu_seconds, 2) for result in our_builds],
        "plain_cpu_s_each": [round(result.cpu_seconds, 2) for result in plain_builds],
        "build_reported_s": counterpoint.reported,
        "plain_reported_s": plain_reported,
        "reported_ratio": round(counterpoint.reported / plain_reported, 2)
        if counterpoint.reported and plain_reported
        else None,
        "warnings": counterpoint.warnings,
        "html_mb": _mb(ours.html_bytes),
        "text_page_median_kb": _kb(ours.text_page_median),
        "text_page_nav_kb": _kb(ours.text_page_nav),
        "search_index_gzip_mb": _mb(ours.search_index_gzip),
        "search_index_kb_per_text": _kb(ours.search_index_bytes // max(args.texts, 1)),
        "first_search_kb": searching["first_search"]["kb"],
        "first_search_kb_gz": searching["first_search"]["kb_gz"],
        "first_search_requests": searching["first_search"]["requests"],
        "further_search_kb": searching["further_search"]["kb"],
        "further_search_kb_gz": searching["further_search"]["kb_gz"],
        "index_loaded_before_search": searching["index_before_search"],
        "index_s": indexing["index_s"],
        "index_peak_mb": indexing["index_peak_mb"],
        "index_cpu_s": indexing["index_cpu_s"],
        "records_cpu_s": indexing["records_cpu_s"],
        "index_records": indexing["records"],
        "plain_first_search_mb": _mb(floor.first_search_bytes) if floor else None,
        "plain_first_search_gzip_mb": _mb(floor.first_search_gzip) if floor else None,
        "plain_site_mb": _mb(floor.total_bytes) if floor else None,
        "plain_search_index_mb": _mb(floor.search_index_bytes) if floor else None,
        "plain_largest_page_kb": _kb(floor.largest_pages[0][1]) if floor and floor.largest_pages else None,
        "code": code,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
