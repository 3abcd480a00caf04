"""`counterpoint check`: validate the corpus without building the site.

Reports every problem at once (file, line, what is wrong, how to fix it) and
exits with status 1 if there is any, 0 otherwise. It runs the very function the
site build runs before writing anything (`counterpoint.checks.load_checked`:
loading, then the matrix's evidence check), so the build reports the same
problems the same way.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .checks import find_problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="counterpoint", description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check the corpus and report every problem")
    check.add_argument("corpus", nargs="?", default="corpus", type=Path, help="the corpus folder (default: ./corpus)")
    args = parser.parse_args(argv)

    corpus_dir: Path = args.corpus
    problems = find_problems(corpus_dir, root=corpus_dir.resolve().parent)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        count = len(problems)
        print(f"\n{count} {'problem' if count == 1 else 'problems'} found in {corpus_dir}.", file=sys.stderr)
        return 1
    print(f"{corpus_dir}: no problems found.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
