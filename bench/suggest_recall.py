"""How well `counterpoint suggest` finds the passages the editors linked: recall at 5 and 10, and time.

    python bench/suggest_recall.py                  # the corpus in corpus/
    python bench/suggest_recall.py --corpus PATH
    python bench/suggest_recall.py --texts 1000     # a synthetic corpus (bench/synthetic.py): time only

Each declared relation between passages of two different texts is held out in turn: the
suggestions for its source passage are computed as if it were not declared, and it counts as
found at K when its target is among the first K. The same is done from the target's side
(the reverse figures). Relations within one text are not counted: suggestions come from the
other texts. Prints the figures, then one JSON line; nothing is asserted. (Synthetic
relations are drawn at random, so their recall says nothing; only the times are meaningful.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from counterpoint.checks import load_checked  # noqa: E402
from counterpoint.suggest import Index  # noqa: E402

KS = (5, 10)


def _load(corpus_dir: Path | None, texts: int | None) -> tuple[object, str]:
    if texts:
        from bench.synthetic import make_corpus, write_corpus

        folder = Path(tempfile.mkdtemp(prefix="counterpoint-suggest-")) / "corpus"
        write_corpus(make_corpus(texts=texts, annotations=20), folder)
        return load_checked(folder).corpus, f"synthetic, {texts} texts"
    folder = corpus_dir or REPO / "corpus"
    return load_checked(folder).corpus, str(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="the corpus folder (default: ./corpus)")
    parser.add_argument("--texts", type=int, help="a synthetic corpus of this many texts instead")
    parser.add_argument("--limit", type=int, default=0, help="hold out at most this many relations (0: all)")
    args = parser.parse_args(argv)

    corpus, what = _load(args.corpus, args.texts)
    started = time.perf_counter()
    index = Index(corpus)  # type: ignore[arg-type]
    index_s = time.perf_counter() - started
    by_id = index.corpus.passage_by_id
    relations = [r for r in index.corpus.relations if by_id[r.source].text_slug != by_id[r.target].text_slug]
    if args.limit:
        relations = relations[: args.limit]
    found = {(side, k): 0 for side in ("source", "target") for k in KS}
    times = []
    for relation in relations:
        held_out = {(relation.source, relation.target)}
        for side, asked, wanted in (
            ("source", relation.source, relation.target),
            ("target", relation.target, relation.source),
        ):
            started = time.perf_counter()
            ranked = [s.candidate.passage_id for s in index.suggest(asked, max(KS), ignore=held_out)]
            times.append(time.perf_counter() - started)
            for k in KS:
                found[side, k] += wanted in ranked[:k]
    count = len(relations)
    recall = {f"{side}_at_{k}": round(found[side, k] / count, 3) if count else None for side, k in found}
    per_suggestion_ms = round(statistics.median(times) * 1000, 2) if times else None
    print(
        f"corpus: {what}: {len(index.corpus.texts)} texts, {len(index.corpus.passages)} passages, "
        f"{len(index.candidates)} candidates (passages and sentences no one annotated)"
    )
    print(f"relations between two texts, each held out in turn: {count}")
    for k in KS:
        print(
            f"recall at {k}: {found['source', k]}/{count} from the source's side, "
            f"{found['target', k]}/{count} from the target's side"
        )
    print(f"index built in {index_s:.2f} s; one suggestion: median {per_suggestion_ms} ms over {len(times)}")
    print(json.dumps({"relations": count, **recall, "index_s": round(index_s, 3), "median_ms": per_suggestion_ms}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
