"""What keeping each file's results between loads saves: `load_corpus` cold, and warm after one annotation edit.

    python bench/load_cache.py --texts 1000 --annotations 20

1. generates N texts with K passages each (bench/synthetic.py, as bench/scale.py does) in a temporary folder;
2. loads the corpus with an empty Memo (counterpoint/memo.py): a cold load, filling it;
3. loads it again unchanged (warm), then edits one annotation file (a passage's note) and loads it (warm);
4. loads it without a cache (cold) and checks that this corpus equals the warm one;
5. times reading and digesting every file alone, which every load still does (the warm load's floor);
6. prints the figures, and last one JSON line:
   {"texts", "annotations", "cold_s", "cold_memo_s", "warm_unchanged_s", "warm_edit_s", "read_digest_s",
    "cold_cpu_s", "warm_edit_cpu_s", "speedup", "hits", "misses", "code"}

Times are wall-clock seconds (the CPU time of this process beside them: compare those when the machine is busy).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script or with -m

from bench.sites import code_version
from bench.synthetic import make_corpus, write_corpus
from counterpoint.confine import read_confined
from counterpoint.corpus import load_corpus
from counterpoint.memo import Memo, digest
from counterpoint.model import Corpus
from counterpoint.problems import Problems

T = TypeVar("T")


def _timed(label: str, run: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  {label}: {wall:.3f} s wall-clock, {cpu:.3f} s CPU")
    return value, wall, cpu


def _read_and_digest(corpus_dir: Path) -> int:
    """What a warm load does for every file before it looks anything up: read it, confined, and digest it."""
    problems = Problems(corpus_dir.parent)
    count = 0
    for folder in (corpus_dir / "texts", corpus_dir / "annotations"):
        for path in sorted(folder.iterdir()):
            raw = read_confined(path, corpus_dir, problems)
            assert raw is not None
            digest(raw)
            count += 1
    digest(corpus_dir.joinpath("questions.yml").read_bytes())
    return count + 1


def _edit_one_annotation(corpus_dir: Path) -> Path:
    """A note changed in the annotation file of the middle text: what an editor's save does."""
    files = sorted((corpus_dir / "annotations").iterdir())
    path = files[len(files) // 2]
    content = path.read_text(encoding="utf-8")
    assert "Synthetic note:" in content, path
    path.write_text(content.replace("Synthetic note:", "Edited note:", 1), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", "-n", type=int, required=True, help="how many texts (N)")
    parser.add_argument("--annotations", "-k", type=int, default=20, help="passages per text (K)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic corpus")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="counterpoint-load-cache-") as temporary:
        corpus_dir = write_corpus(make_corpus(args.texts, args.annotations, args.seed), Path(temporary) / "corpus")
        code = code_version()
        print(f"corpus: {args.texts} texts, {args.annotations} passages each; measuring Counterpoint {code}")
        memo = Memo()
        _, cold_memo_s, _ = _timed("cold load, filling the cache", lambda: load_corpus(corpus_dir, cache=memo))
        _, warm_unchanged_s, _ = _timed("warm load, nothing changed", lambda: load_corpus(corpus_dir, cache=memo))
        edited = _edit_one_annotation(corpus_dir)
        before = (memo.hits, memo.misses)
        warm, warm_edit_s, warm_edit_cpu_s = _timed(
            f"warm load after editing {edited.name}", lambda: load_corpus(corpus_dir, cache=memo)
        )
        hits, misses = memo.hits - before[0], memo.misses - before[1]
        print(f"    {hits} results kept, {misses} computed again")
        cold: Corpus
        cold, cold_s, cold_cpu_s = _timed("cold load without a cache", lambda: load_corpus(corpus_dir))
        assert warm == cold, "the warm load differs from the cold one"
        print("    the warm corpus equals the cold one")
        files, read_digest_s, _ = _timed("reading and digesting every file", lambda: _read_and_digest(corpus_dir))
        print(f"    {files} files")
        figures = {
            "texts": args.texts,
            "annotations": args.annotations,
            "cold_s": round(cold_s, 3),
            "cold_memo_s": round(cold_memo_s, 3),
            "warm_unchanged_s": round(warm_unchanged_s, 3),
            "warm_edit_s": round(warm_edit_s, 3),
            "read_digest_s": round(read_digest_s, 3),
            "cold_cpu_s": round(cold_cpu_s, 3),
            "warm_edit_cpu_s": round(warm_edit_cpu_s, 3),
            "speedup": round(cold_s / warm_edit_s, 1),
            "hits": hits,
            "misses": misses,
            "code": code,
        }
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
