"""The `counterpoint` command: `check` the corpus, `requote` annotations after a text changed.

`counterpoint check`: validate the corpus without building the site.

Reports every problem at once (file, line, what is wrong, how to fix it) and
exits with status 1 if there is any, 0 otherwise. It runs the very function the
site build runs before writing anything (`counterpoint.checks.load_checked`:
loading, then the matrix's evidence check), so the build reports the same
problems the same way.

`counterpoint requote [--apply]`: propose new quotes for passages whose words
changed a little in their text, as a diff; `--apply` writes them (see
counterpoint/requote.py).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from . import requote
from .checks import find_problems
from .requote import THRESHOLD


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A character the terminal cannot show is printed as an escape rather than ending the command.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    parser = argparse.ArgumentParser(
        prog="counterpoint", description="Check the corpus, or bring its quotes back in line with its texts."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check the corpus and report every problem")
    check.add_argument("corpus", nargs="?", default="corpus", type=Path, help="the corpus folder (default: ./corpus)")
    requote = commands.add_parser(
        "requote",
        help="propose new quotes for passages whose words changed a little in their text",
        description="For each passage whose quote is no longer in its text, propose the closest text when it is "
        f"at least {THRESHOLD:.0f}%% similar and unambiguous, as a diff of the annotation file. "
        "Nothing is written without --apply.",
    )
    requote.add_argument("--apply", action="store_true", help="write the proposed quotes (and nothing else)")
    requote.add_argument("corpus", nargs="?", default="corpus", type=Path, help="the corpus folder (default: ./corpus)")
    args = parser.parse_args(argv)
    if args.command == "requote":
        return _requote(args.corpus, args.apply)
    return _check(args.corpus)


def _check(corpus_dir: Path) -> int:
    problems = find_problems(corpus_dir, root=corpus_dir.resolve().parent)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        count = len(problems)
        print(f"\n{count} {'problem' if count == 1 else 'problems'} found in {corpus_dir}.", file=sys.stderr)
        return 1
    print(f"{corpus_dir}: no problems found.")
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _requote(corpus_dir: Path, write: bool) -> int:
    """Exit status 0 when nothing is left to do (every quote found, or every proposal written), 1 otherwise."""
    if not corpus_dir.is_dir():
        print(f"{corpus_dir}: the corpus folder does not exist.", file=sys.stderr)
        return 1
    try:
        found = requote.plan(corpus_dir, root=corpus_dir.resolve().parent)
    except requote.RequoteError as error:
        print(f"requote: nothing written: {error}", file=sys.stderr)
        return 1
    for problem in found.problems:
        print(problem, file=sys.stderr)
    for file_plan in found.files:
        for proposal in file_plan.proposals:
            print(
                f"{file_plan.display}:{proposal.line}: passage `{proposal.passage}`: the quote is not in the text; "
                f"{proposal.where} is {proposal.score:.0f}% similar.\n"
                f"    old: “{proposal.old}”\n"
                f"    new: “{proposal.new}”"
            )
        for passage in file_plan.left:
            print(f"{file_plan.display}:{passage.line}: passage `{passage.passage}` is left as it is: {passage.reason}")
        if file_plan.proposals:
            print(file_plan.diff, end="" if file_plan.diff.endswith("\n") else "\n")
    proposals = found.proposals
    files = [f for f in found.files if f.proposals]
    changed: list[requote.FilePlan] = []
    if write:
        for file_plan in files:
            try:
                requote.apply(file_plan)
            except requote.ChangedSinceRead:
                changed.append(file_plan)
                print(
                    f"requote: nothing written to {file_plan.display}: it changed since requote read it "
                    "(saved meanwhile?). Run `counterpoint requote` again to see what to change in it now.",
                    file=sys.stderr,
                )
        if changed:
            files = [f for f in files if f not in changed]
            proposals = [p for f in files for p in f.proposals]
    if proposals and write:
        print(
            f"Updated {_plural(len(proposals), 'quote')} in {_plural(len(files), 'file')}. "
            "Run `counterpoint check` next."
        )
    elif proposals:
        print(
            f"{_plural(len(proposals), 'quote')} can be updated in {_plural(len(files), 'file')}. Read the diff "
            "first (a changed word can change the meaning), then run `counterpoint requote --apply`."
        )
    left = found.left
    if left:
        print(f"{_plural(len(left), 'passage')} left for you to correct by hand (listed above).")
    if not proposals and not left and not found.problems:
        print(f"{corpus_dir}: every quote is found in its text; nothing to requote.")
    return 0 if (write or not proposals) and not left and not found.problems and not changed else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
