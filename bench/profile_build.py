"""Where the Counterpoint build spends its time, by phase, on a synthetic corpus.

    python bench/profile_build.py --texts 1000 --annotations 20 [--cprofile /tmp/build.prof]

(Not `bench/profile.py`: a script there would shadow the standard library's `profile`
module, which cProfile imports.)

The build runs in this process (`mkdocs.commands.build.build`, strict, the real
configuration and hook). Before it starts, the functions that begin each phase are
wrapped in a timer (CPU time by default, which other work on a shared machine hardly
affects; --clock wall for wall-clock time) that keeps a stack: time inside a nested phase counts for that
phase only, so the shares add up to the whole build. Python's garbage collector is a
phase of its own (gc.callbacks): with a large heap its full collections are a real
cost, which would otherwise land on whatever phase happened to allocate. The overhead
is one timer per call of a wrapped function (about a hundred thousand calls at
N = 1000, mostly the matrix's small methods), unlike cProfile, which slows every
Python call and so inflates call-heavy code (Jinja, the HTML and YAML parsers) more
than the rest. It also lists the slowest pages (each page's phases together).

With --rebuild the build timed is a rebuild of `mkdocs serve` after one note was edited: a first
build as the server makes it (untimed), the edit, then the rebuild, its caches warm and its search
index finished after it (not timed), as under `mkdocs serve`; --cprofile still profiles a whole build.

With --cprofile FILE the same build is then run again under cProfile (without the
phase timers); the stats are saved to FILE and the top functions are printed, for
the excerpts that say *why* a phase is slow.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import importlib
import io
import json
import logging
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script or with -m

from bench.sites import HOOK, code_version, prepare_counterpoint
from bench.synthetic import make_corpus

# Phases, in the order they are reported. "matrix" is the data (build_matrix), "matrix pages"
# the matrix, question, agreement and compare pages; "text pages" the pages of the texts.
CORPUS = "corpus loading (YAML, schema, sources)"
ANCHORING = "anchoring (quotes located)"
GRAPH = "cross-referencing (graph)"
MATRIX = "matrix (data)"
MATRIX_PAGES = "matrix, question, agreement, compare pages"
TEXT_PAGES = "text pages (Counterpoint render)"
LISTS = "texts index and home list"
EXPORT = "export (annotations.jsonld, matrix.csv/json)"
MARKDOWN = "MkDocs: read pages, Markdown, events"
TEMPLATES = "MkDocs/Material: template rendering"
SEARCH = "search index (Material search plugin)"
WRITING = "writing files (pages, assets, generated files)"
ANCHOR_CHECK = "MkDocs: anchor validation"
FILES_NAV = "MkDocs: files and navigation"
CONFIG = "MkDocs: config load (hook import)"
GC = "Python's garbage collector (all generations)"
OTHER = "other (events, startup of build)"

PHASES = (
    CORPUS,
    ANCHORING,
    GRAPH,
    MATRIX,
    MATRIX_PAGES,
    TEXT_PAGES,
    LISTS,
    EXPORT,
    MARKDOWN,
    TEMPLATES,
    SEARCH,
    WRITING,
    ANCHOR_CHECK,
    FILES_NAV,
    CONFIG,
    GC,
    OTHER,
)
TARGET_PHASES = (ANCHORING, GRAPH, MATRIX)
"""Issue 7: anchoring, cross-referencing and matrix generation together under 5 % of the build."""


@dataclass
class PhaseTimer:
    """Exclusive time per phase: entering a phase pauses the one it is called from."""

    clock: Callable[[], float] = time.process_time
    """time.process_time (CPU time, robust on a busy machine) or time.perf_counter (wall-clock)."""
    totals: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    pages: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    """Inclusive time per page (its MkDocs reading, rendering, indexing and writing), by source path."""
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stack: list[str] = field(default_factory=lambda: [OTHER])
    mark: float = 0.0

    def __post_init__(self) -> None:
        self.mark = self.clock()

    def enter(self, phase: str) -> None:
        now = self.clock()
        self.totals[self.stack[-1]] += now - self.mark
        self.stack.append(phase)
        self.calls[phase] += 1
        self.mark = now

    def leave(self) -> None:
        now = self.clock()
        self.totals[self.stack.pop()] += now - self.mark
        self.mark = now

    def wrap(self, phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.enter(phase)
            try:
                return function(*args, **kwargs)
            finally:
                self.leave()

        return timed

    def per_page(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Time a function whose first argument is a MkDocs Page, inclusively, for that page."""

        @functools.wraps(function)
        def timed(page: Any, *args: Any, **kwargs: Any) -> Any:
            start = self.clock()
            try:
                return function(page, *args, **kwargs)
            finally:
                self.pages[page.file.src_uri] += self.clock() - start

        return timed

    @contextmanager
    def phase(self, phase: str) -> Iterator[None]:
        self.enter(phase)
        try:
            yield
        finally:
            self.leave()

    def finish(self) -> None:
        now = self.clock()
        self.totals[self.stack[-1]] += now - self.mark
        self.mark = now


def _instrument(timer: PhaseTimer) -> Callable[[], None]:
    """Wrap the functions where each phase starts; returns a function that undoes it."""
    import material.plugins.search.plugin as search
    import mkdocs.commands.build as mkbuild
    import mkdocs.structure.files as mkfiles
    import mkdocs.structure.pages as mkpages
    import mkdocs.utils as mkutils

    import counterpoint.anchoring as anchoring
    import counterpoint.graph as graph
    import counterpoint.matrix as matrix

    importlib.import_module("counterpoint.build")  # and with it the rest of the package the build uses

    # Counterpoint's functions, named where they are defined: each is rebound wherever the
    # package has imported it (build.py, checks.py...), so moving an import does not hide it.
    functions = [
        ("counterpoint.corpus", "load_corpus", CORPUS),
        ("counterpoint.anchoring", "locate", ANCHORING),
        ("counterpoint.matrix", "build_matrix", MATRIX),
        ("counterpoint.render.matrix_page", "render_matrix_page", MATRIX_PAGES),
        ("counterpoint.render.question_page", "render_questions_index", MATRIX_PAGES),
        ("counterpoint.render.question_page", "render_question_page", MATRIX_PAGES),
        ("counterpoint.render.agreement_page", "render_agreement_page", MATRIX_PAGES),
        ("counterpoint.render.compare_page", "render_compare_page", MATRIX_PAGES),
        ("counterpoint.render.text_page", "render_text_page", TEXT_PAGES),
        ("counterpoint.render.lists", "render_texts_index", LISTS),
        ("counterpoint.render.lists", "home_text_list", LISTS),
        ("counterpoint.export", "annotations_jsonld", EXPORT),
        ("counterpoint.matrix", "to_csv", EXPORT),
        ("counterpoint.matrix", "to_json", EXPORT),
    ]
    # Methods (patched on their class) and MkDocs' own functions (called through their module).
    targets: list[tuple[Any, str, str]] = [
        (anchoring.Document, "__init__", ANCHORING),
        (graph.Graph, "__init__", GRAPH),
        (mkbuild, "_populate_page", MARKDOWN),
        (mkbuild, "_build_page", TEMPLATES),
        (mkbuild, "_build_theme_template", TEMPLATES),
        (mkbuild, "_build_extra_template", TEMPLATES),
        (search.SearchIndex, "add_entry_from_context", SEARCH),
        (search.SearchIndex, "generate_search_index", SEARCH),
        (mkutils, "write_file", WRITING),
        (mkutils, "clean_directory", WRITING),
        (mkfiles.File, "copy_file", WRITING),
        (mkpages.Page, "validate_anchor_links", ANCHOR_CHECK),
        (mkbuild, "get_files", FILES_NAV),
        (mkbuild, "get_navigation", FILES_NAV),
    ]
    # The matrix's own methods run when its pages ask for them (agreement per pair, rows, records).
    for name in ("agreement", "by_stance", "records", "row", "column", "not_addressing", "addressed_count"):
        if hasattr(matrix.Matrix, name):
            targets.append((matrix.Matrix, name, MATRIX))

    originals: list[tuple[Any, str, Any]] = []
    for name in ("_populate_page", "_build_page"):
        original = getattr(mkbuild, name)
        originals.append((mkbuild, name, original))
        setattr(mkbuild, name, timer.per_page(original))
    for module_name, name, phase in functions:
        module = sys.modules.get(module_name)
        if module is None or not hasattr(module, name):
            print(f"(not timed: {module_name}.{name} does not exist)", file=sys.stderr)
            continue
        original = getattr(module, name)
        wrapped = timer.wrap(phase, original)
        for other in list(sys.modules.values()):
            other_name = getattr(other, "__name__", "")
            if other_name.startswith("counterpoint") and getattr(other, name, None) is original:
                originals.append((other, name, original))
                setattr(other, name, wrapped)
    for owner, name, phase in targets:
        if not hasattr(owner, name):
            print(f"(not timed: {getattr(owner, '__name__', owner)}.{name} does not exist)", file=sys.stderr)
            continue
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        originals.append((owner, name, original))
        setattr(owner, name, timer.wrap(phase, original))

    def collecting(event: str, info: dict[str, int]) -> None:
        if event == "start":
            timer.enter(GC)
        elif timer.stack[-1] == GC:
            timer.leave()

    gc.callbacks.append(collecting)

    def undo() -> None:
        gc.callbacks.remove(collecting)
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)

    return undo


def _build(config_file: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), strict=True)
    build(config)


SERVE_URL = "http://127.0.0.1:8000/"


def _as_served(config: Any) -> Any:
    """The plugin told what `mkdocs serve` tells it once its server is up (on_startup, then on_serve), so that
    the build is one of the server's rebuilds: its caches kept, its search index finished after it."""
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = sys.modules[str(HOOK)]._plugin
    plugin.serving = True
    return plugin


def serve_and_edit_a_note(config_file: Path) -> None:
    """For --rebuild: a first build as the server makes it (untimed), then one note of the first annotation
    file edited, as bench/live_reload.py's annotation edit does."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), strict=True)
    plugin = _as_served(config)
    build(config, serve_url=SERVE_URL)
    plugin.on_shutdown()  # the search index, finished by a thread
    annotations = sorted((config_file.parent / "corpus" / "annotations").glob("*.yml"))[0]
    source = annotations.read_text(encoding="utf-8")
    edited = source.replace("note: '", "note: 'Edited while served. ", 1)
    assert edited != source, f"no note to edit in {annotations}"
    annotations.write_text(edited, encoding="utf-8")


def timed_build(
    config_file: Path, clock: Callable[[], float] = time.process_time, served: bool = False
) -> tuple[PhaseTimer, float]:
    """Build once with the phase timer (`served`: as a rebuild of `mkdocs serve`); returns it and the build's
    total time on `clock`."""
    timer = PhaseTimer(clock)
    undo = _instrument(timer)
    try:
        wall = time.perf_counter()
        start = clock()
        timer.mark = start
        timer.stack = [OTHER]
        with timer.phase(CONFIG):
            from mkdocs.config import load_config

            config = load_config(config_file=str(config_file), strict=True)
        from mkdocs.commands.build import build

        plugin = _as_served(config) if served else None
        build(config, serve_url=SERVE_URL if served else None)
        timer.finish()
        if plugin is not None:
            plugin.on_shutdown()  # not timed: under serve the index is finished after the reload
        print(
            f"(the build took {time.perf_counter() - wall:.2f} s wall-clock, {clock() - start:.2f} s on the clock used)"
        )
        return timer, clock() - start
    finally:
        undo()


def report(timer: PhaseTimer, total: float) -> dict[str, float]:
    shares = {phase: timer.totals.get(phase, 0.0) for phase in PHASES}
    kind = "CPU" if timer.clock is time.process_time else "wall-clock"
    print(f"\nBuild in process: {total:.2f} s ({kind}). Exclusive time by phase:")
    print(f"  {'phase':<48} {'seconds':>8} {'share':>7} {'calls':>7}")
    for phase, seconds in shares.items():
        print(f"  {phase:<48} {seconds:8.2f} {seconds / total:7.1%} {timer.calls.get(phase, 0):>7}")
    target = sum(shares[p] for p in TARGET_PHASES)
    broad = target + shares[MATRIX_PAGES]
    print(f"  {'anchoring + graph + matrix data (target < 5 %)':<48} {target:8.2f} {target / total:7.1%}")
    print(f"  {'... with the matrix pages too':<48} {broad:8.2f} {broad / total:7.1%}")
    slowest = sorted(timer.pages.items(), key=lambda item: -item[1])[:8]
    text_pages = [
        s
        for uri, s in timer.pages.items()
        if uri.startswith("texts/") and uri.count("/") == 1 and uri != "texts/index.md"
    ]
    print("\nSlowest pages (all of each page's phases: content, template, search index, writing):")
    for uri, seconds in slowest:
        print(f"  {seconds:8.2f} s  {uri}")
    if text_pages:
        print(f"  text pages: {sum(text_pages):.2f} s in all, {sum(text_pages) / len(text_pages) * 1000:.0f} ms each")
    return shares


def cprofile_build(config_file: Path, output: Path, top: int) -> None:
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    _build(config_file)
    profiler.disable()
    print(f"\ncProfile build: {time.perf_counter() - start:.2f} s (profiling overhead included); stats in {output}")
    profiler.dump_stats(str(output))
    for sort in ("tottime", "cumulative"):
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(sort)
        stats.print_stats(top)
        lines = stream.getvalue().splitlines()
        start_at = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print(f"\nTop {top} by {sort}:")
        print("\n".join(lines[start_at:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", "-n", type=int, required=True, help="how many texts (N)")
    parser.add_argument("--annotations", "-k", type=int, default=20, help="passages per text (K)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="build here (kept) instead of a temporary folder under /tmp")
    parser.add_argument("--cprofile", type=Path, help="also build under cProfile and save the stats to this file")
    parser.add_argument("--top", type=int, default=40, help="functions to print from the cProfile stats")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="time phases in CPU time (default: robust when the machine is shared) or wall-clock time",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="time a rebuild of `mkdocs serve` after one note was edited (a first build, untimed, before it)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    with tempfile.TemporaryDirectory(prefix="counterpoint-profile-") as temporary:
        root = args.workdir or Path(temporary)
        corpus = make_corpus(args.texts, args.annotations, args.seed)
        print(f"corpus: {corpus.summary()}")
        print(f"profiling Counterpoint {code_version()}")
        config_file = prepare_counterpoint(root / "counterpoint", corpus)
        if args.rebuild:
            serve_and_edit_a_note(config_file)
        clock = time.process_time if args.clock == "cpu" else time.perf_counter
        timer, total = timed_build(config_file, clock, served=args.rebuild)
        shares = report(timer, total)
        if args.cprofile:
            cprofile_build(config_file, args.cprofile, args.top)
    result = {
        "texts": args.texts,
        "annotations": args.annotations,
        "clock": args.clock,
        "rebuild": args.rebuild,
        "build_s": round(total, 2),
        **{phase: round(seconds / total, 4) for phase, seconds in shares.items()},
        "target_share": round(sum(shares[p] for p in TARGET_PHASES) / total, 4),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
