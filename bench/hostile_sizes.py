"""The sizes a hostile read of Counterpoint found slow, each checked as an editor's `counterpoint check` runs it.

    python -m bench.hostile_sizes            # every case
    python -m bench.hostile_sizes nesting    # the cases whose name contains "nesting"

Each case writes a corpus into a temporary folder (nothing is kept or committed) and runs the
check on it in a subprocess of its own, so that its time and its peak memory (the child's
ru_maxrss) are its own. It prints one line per case, then one JSON line with every figure.
The cases are issue 18's items 2 (the closest text of a long misquote), 4 (deep YAML nesting)
and 7 (anchoring with a prefix or suffix in a large text, many passages in one text, an
ambiguous long quote). Each must end in seconds and under 1 GB, with the problem located
(or no problem, where the corpus is valid); the budget is set here, not in a timed test.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BUDGET_SECONDS = 30.0
BUDGET_MEGABYTES = 1024.0

_CHILD = """
import sys
from pathlib import Path
from counterpoint.checks import find_problems
problems = find_problems(Path(sys.argv[1]), Path(sys.argv[1]).parent)
message = "\\n".join(map(str, problems))
print(len(problems), len(message.encode("utf-8", "backslashreplace")))
print(message[:600].encode("ascii", "backslashreplace").decode())
"""


def _words(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(count)]


def _corpus(root: Path, texts: dict[str, str], annotations: dict[str, str]) -> Path:
    corpus = root / "corpus"
    (corpus / "texts").mkdir(parents=True)
    (corpus / "annotations").mkdir()
    for slug, content in texts.items():
        (corpus / "texts" / f"{slug}.txt").write_text(content, encoding="utf-8")
        (corpus / "texts" / f"{slug}.yml").write_text(
            f"source: {slug}.txt\nslug: {slug}\ntitle: {slug}\nsummary: A generated text.\n"
            "voices:\n  - id: v-" + slug + "\n    name: A voice\n",
            encoding="utf-8",
        )
    for name, content in annotations.items():
        (corpus / "annotations" / f"{name}.yml").write_text(content, encoding="utf-8")
    return corpus


def _passage(pid: str, quote: str, extra: str = "") -> str:
    return f"  - id: {pid}\n    quote: {json.dumps(quote, ensure_ascii=False)}\n{extra}"


def long_misquote(root: Path) -> Path:
    """Item 2: a 32 KB paragraph quoted whole with one word respelt (230 s before)."""
    words = _words(5200, 1)
    paragraph = " ".join(words)[:32_000].rsplit(" ", 1)[0]
    quote = paragraph.split(" ")
    quote[len(quote) // 2] = quote[len(quote) // 2] + "x"
    return _corpus(
        root, {"long": paragraph + "\n"}, {"long": "text: long\npassages:\n" + _passage("q", " ".join(quote))}
    )


def misquote_in_50_mb(root: Path) -> Path:
    """Item 2: a long misquote in a 50 MB corpus (50 texts of 1 MB, paragraphs of 2 KB)."""
    texts = {}
    for t in range(50):
        words = _words(170_000, 100 + t)
        paragraphs = [" ".join(words[i : i + 340]) for i in range(0, len(words), 340)]
        texts[f"t{t}"] = "\n\n".join(paragraphs) + "\n"
    target = texts["t25"].split("\n\n")[200].split(" ")
    target[100] = "respelt"
    quote = " ".join(target[20:300])
    return _corpus(root, texts, {"t25": "text: t25\npassages:\n" + _passage("q", quote)})


def misquote_in_one_50_mb_text(root: Path) -> Path:
    """Item 2: a long misquote in one text of 50 MB (its word index is the largest there is)."""
    words = _words(400_000, 7)
    rng = random.Random(8)
    paragraphs = [" ".join(rng.choices(words, k=340)) for _ in range(25_000)]
    target = paragraphs[12_345].split(" ")
    target[100] = "respelt"
    quote = " ".join(target[20:300])
    return _corpus(
        root, {"huge": "\n\n".join(paragraphs) + "\n"}, {"huge": "text: huge\npassages:\n" + _passage("q", quote)}
    )


def _nesting(depth: int) -> Callable[[Path], Path]:
    def case(root: Path) -> Path:
        texts = {"n": "Some words.\n"}
        return _corpus(root, texts, {"n": "text: n\npassages: " + "[" * depth + "]" * depth + "\n"})

    case.__doc__ = f"Item 4: `passages:` nested {depth:,} deep."
    return case


def _prefix_or_suffix(key: str) -> Callable[[Path], Path]:
    def case(root: Path) -> Path:
        words = _words(270_000, 3)
        text = " ".join(words) + " before a after\n"  # 1.6 MB, one paragraph: "a" in many words
        extra = "    prefix: before\n" if key == "prefix" else "    suffix: after\n"
        return _corpus(root, {"big": text}, {"big": "text: big\npassages:\n" + _passage("q", "a", extra)})

    case.__doc__ = f"Item 7: `quote: a` with a `{key}` in a 1.6 MB text (36 s and 54 s before)."
    return case


def many_passages(root: Path) -> Path:
    """Item 7: 100,000 passages in one text (95 s before), in files of 25,000 (a file is at most 2 MB)."""
    words = _words(400_000, 4)
    paragraphs = [" ".join(words[i : i + 100]) for i in range(0, len(words), 100)]
    files = {}
    for f in range(4):
        lines = ["text: many", "passages:"]
        for n in range(f * 25_000, (f + 1) * 25_000):
            lines.append(f"  - id: q{n}\n    quote: {' '.join(words[n * 4 : n * 4 + 3])}")
        files[f"many-{f}"] = "\n".join(lines) + "\n"
    return _corpus(root, {"many": "\n\n".join(paragraphs) + "\n"}, files)


def ambiguous_long_quote(root: Path) -> Path:
    """Item 7: an ambiguous 1,000-character quote in a 1 MB text (a 1.1 GB message in 58 s before)."""
    text = " ".join(["a"] * 500_000) + "\n"
    return _corpus(root, {"amb": text}, {"amb": "text: amb\npassages:\n" + _passage("q", " ".join(["a"] * 500))})


CASES: dict[str, Callable[[Path], Path]] = {
    "closest: 32 KB misquoted paragraph": long_misquote,
    "closest: long misquote in a 50 MB corpus": misquote_in_50_mb,
    "closest: long misquote in one 50 MB text": misquote_in_one_50_mb_text,
    "nesting: 3,000 deep": _nesting(3000),
    "nesting: 200,000 deep": _nesting(200_000),
    "anchoring: prefix in 1.6 MB": _prefix_or_suffix("prefix"),
    "anchoring: suffix in 1.6 MB": _prefix_or_suffix("suffix"),
    "anchoring: 100,000 passages in one text": many_passages,
    "anchoring: ambiguous 1,000-character quote in 1 MB": ambiguous_long_quote,
}


def run(name: str, make: Callable[[Path], Path]) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="cp-hostile-") as folder:
        # Made in a process of its own: a child forked from a parent that had held 50 MB of text
        # would count the parent's pages in its own peak memory.
        subprocess.run([sys.executable, "-m", "bench.hostile_sizes", "--make", name, folder], check=True)
        corpus = Path(folder) / "corpus"
        size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        _pid, raw_status, usage = os.wait4(child.pid, 0)
        status = os.waitstatus_to_exitcode(raw_status)
        seconds = time.perf_counter() - start
        out = child.stdout.read() if child.stdout else ""
        err = child.stderr.read() if child.stderr else ""
    head, _, message = out.partition("\n")
    problems, message_bytes = (int(x) for x in head.split()) if head else (-1, -1)
    megabytes = usage.ru_maxrss / 1024  # kilobytes on Linux
    return {
        "case": name,
        "corpus_bytes": size,
        "seconds": round(seconds, 2),
        "peak_mb": round(megabytes, 1),
        "exit_status": status,
        "problems": problems,
        "message_bytes": message_bytes,
        "first_problem": message.splitlines()[0] if message.strip() else "",
        "within_budget": status == 0 and seconds <= BUDGET_SECONDS and megabytes <= BUDGET_MEGABYTES,
        "stderr_tail": err.strip().splitlines()[-1] if err.strip() else "",
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--make"]:
        CASES[argv[1]](Path(argv[2]))
        return 0
    chosen = {name: make for name, make in CASES.items() if not argv or any(a in name for a in argv)}
    results = []
    for name, make in chosen.items():
        result = run(name, make)
        results.append(result)
        print(
            f"{name}: {result['seconds']} s, {result['peak_mb']} MB peak, {result['problems']} problem(s), "
            f"message {result['message_bytes']:,} bytes"
            + ("" if result["within_budget"] else "  OVER BUDGET or failed")
            + (f"\n    {str(result['first_problem'])[:200]}" if result["first_problem"] else "")
            + (f"\n    stderr: {result['stderr_tail']}" if result["stderr_tail"] else ""),
            flush=True,
        )
    print(json.dumps({"hostile_sizes": results, "all_within_budget": all(r["within_budget"] for r in results)}))
    return 0 if all(r["within_budget"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
