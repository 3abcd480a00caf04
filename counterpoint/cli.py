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

`counterpoint edit [--dev-addr 127.0.0.1:8000]`: the site under `mkdocs serve` with the
editor's workbench on (see counterpoint/workbench.py); loopback only.

`counterpoint suggest <passage-id> [--top K]`: the passages and sentences of other texts most
likely to answer a passage, best first, one a line (see counterpoint/suggest.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import sys
from pathlib import Path

# Nothing outside the standard library is imported before main() has checked that it is installed:
# run from a Python without the project's packages, the command says what to do, not a traceback.
DEPENDENCIES = {
    "jinja2": "Jinja2",
    "markdown_it": "markdown-it-py",
    "markupsafe": "MarkupSafe",
    "pydantic": "pydantic",
    "rapidfuzz": "RapidFuzz",
    "ruamel.yaml": "ruamel.yaml",
    "yaml": "PyYAML",
}
"""The modules the counterpoint package imports, and the name each is installed by (see pyproject.toml)."""


def missing_dependencies() -> list[str]:
    """The packages of DEPENDENCIES this Python cannot import, by the name pip installs them by."""
    missing = []
    for module, package in DEPENDENCIES.items():
        try:
            found = importlib.util.find_spec(module)
        except (ImportError, ValueError):  # a parent package missing (ruamel, for ruamel.yaml)
            found = None
        if found is None:
            missing.append(package)
    return missing


def _advice_for_missing(missing: list[str]) -> str:
    here = Path.cwd()
    venv = next((folder / ".venv" for folder in (here, *here.parents) if (folder / ".venv" / "bin").is_dir()), None)
    activate = (
        f"Activate the project's virtual environment first: `. {venv}/bin/activate` (then run the command again)"
        if venv is not None
        else "Activate the project's virtual environment (`. .venv/bin/activate` in the project folder), or make "
        'one as the README\'s "Run it" says: `python3 -m venv .venv && . .venv/bin/activate && '
        "pip install -r requirements.txt`"
    )
    return (
        f"counterpoint: this Python ({sys.executable}) does not have {', '.join(f'`{m}`' for m in missing)}, "
        f"which Counterpoint needs.\n{activate}."
    )


def _parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per tool, with its help."""
    from .requote import THRESHOLD

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
    suggest = commands.add_parser(
        "suggest",
        help="list passages and sentences of other texts likely to answer a passage",
        description="Candidates from the other texts (annotated passages and sentences no one has annotated), "
        "ranked by their words (BM25) and by the stances declared on the same questions, best first: "
        "score, text, paragraph, passage id (or 'sentence'), what the stances declare between them, the words.",
    )
    suggest.add_argument("passage", help="the id of the passage to answer")
    suggest.add_argument("--top", type=int, default=10, help="how many candidates (default: 10)")
    suggest.add_argument("--corpus", default="corpus", type=Path, help="the corpus folder (default: ./corpus)")
    edit = commands.add_parser(
        "edit",
        help="serve the site with the editor's workbench: select words in a text to annotate them",
        description="Runs `mkdocs serve` (in the current folder, which holds mkdocs.yml) with the editing layer "
        "switched on for this session only. It listens on this machine only.",
    )
    edit.add_argument("--dev-addr", default="127.0.0.1:8000", help="IP:PORT to serve on (loopback only)")
    review = commands.add_parser(
        "review",
        help="write every opposition and backing the site will show, with both voices' words, for reading",
        description="Writes review.html and review.csv: one entry per link between two passages (opposes, "
        "backs, responds to), why it was derived (declared, or which two stances), both voices, texts, exact "
        "words and permalinks. The links are those the site's notes show.",
    )
    review.add_argument("--out", default=".", type=Path, help="the folder to write into (default: .)")
    review.add_argument("--corpus", default="corpus", type=Path, help="the corpus folder (default: ./corpus)")
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A character the terminal cannot show is printed as an escape rather than ending the command.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    missing = missing_dependencies()
    if missing:
        print(_advice_for_missing(missing), file=sys.stderr)
        return 2
    args = _parser().parse_args(argv)
    corpus_dir: Path | None = None if args.command == "edit" else args.corpus
    advice = _where_to_run(args.command, corpus_dir)
    if advice:
        print(advice, file=sys.stderr)
        return 1
    if args.command == "review":
        return _review(args.corpus, args.out)
    if args.command == "edit":
        return _edit(args.dev_addr)
    if args.command == "suggest":
        return _suggest(args.corpus, args.passage, args.top)
    if args.command == "requote":
        return _requote(args.corpus, args.apply)
    return _check(args.corpus)


def _is_project(folder: Path) -> bool:
    return (folder / "mkdocs.yml").is_file() and (folder / "corpus").is_dir()


def _is_corpus(folder: Path) -> bool:
    return (folder / "questions.yml").is_file() or ((folder / "texts").is_dir() and (folder / "annotations").is_dir())


def _where_to_run(command: str, corpus_dir: Path | None) -> str | None:
    """When the command cannot find what it works on here: where to run it instead (None when it can).

    `corpus_dir` is the corpus folder the command was given (None for `edit`, which needs mkdocs.yml).
    The project is looked for upward, as git looks for its repository: a command typed inside corpus/
    or one of its folders names the folder to run it from.
    """
    here = Path.cwd()
    if corpus_dir is not None and corpus_dir.exists():
        return None
    if corpus_dir is None and (here / "mkdocs.yml").is_file():
        return None
    what = f"{corpus_dir}: there is no such folder here" if corpus_dir is not None else "there is no mkdocs.yml here"
    for folder in (here, *here.parents):
        if _is_project(folder):
            if folder == here:
                return None  # a corpus folder named wrong: the command itself says so
            where = (
                "inside the corpus folder"
                if folder / "corpus" in (here, *here.parents)
                else "in a folder below the project"
            )
            return (
                f"{what}, because you are {where}; the project folder (the one with mkdocs.yml) is {folder}.\n"
                f"Run the command from there: `cd {folder}` then `counterpoint {command}`."
            )
        if _is_corpus(folder) and corpus_dir is not None and not _is_project(folder.parent):
            # A corpus with no site around it (a copy, a test's): it can be checked where it is.
            named = "" if command == "check" else "--corpus "
            return (
                f"{what}, because you are inside the corpus folder {folder}. Run the command from the project "
                f"folder (the one with mkdocs.yml), or name the corpus folder: `counterpoint {command} {named}{folder}`."
            )
    if corpus_dir is None:
        return f"{what}: run `counterpoint {command}` from the project folder (the one with mkdocs.yml and corpus/)."
    return None


def _check(corpus_dir: Path) -> int:
    from .checks import find_problems
    from .problems import counted

    problems = find_problems(corpus_dir, root=corpus_dir.resolve().parent)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"\n{counted(len(problems))} found in {corpus_dir}.", file=sys.stderr)
        return 1
    print(f"{corpus_dir}: no problems found.")
    return 0


def _review(corpus_dir: Path, out: Path) -> int:
    from . import review
    from .checks import load_checked
    from .problems import CorpusError

    try:
        corpus = load_checked(corpus_dir, corpus_dir.resolve().parent).corpus
        limits = review.limits_beside(corpus_dir)  # those of the build, so that the links are the notes'
    except CorpusError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("\nThe corpus has problems (above): `counterpoint review` reads a corpus that builds.", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    (out / "review.csv").write_text(review.to_csv(corpus, limits=limits), encoding="utf-8")
    (out / "review.html").write_text(review.to_html(corpus, limits=limits), encoding="utf-8")
    print(f"{len(review.links(corpus, limits))} links written to {out / 'review.html'} and {out / 'review.csv'}.")
    return 0


def _edit(address: str) -> int:
    import os
    import secrets
    import subprocess

    from .workbench import TOKEN_VARIABLE, is_loopback

    host, _, port = address.rpartition(":")
    if not is_loopback(host) or not port.isdigit():
        print(
            f"edit: refusing to serve the workbench on {address}: it writes into corpus/, so it listens on this "
            "machine only. Use --dev-addr 127.0.0.1:PORT.",
            file=sys.stderr,
        )
        return 2
    env = {**os.environ, TOKEN_VARIABLE: secrets.token_urlsafe(32)}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", address]
    print(f"The workbench: open http://{address}/texts/ and select words in a text. Ctrl-C stops it.")
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


def _suggest(corpus_dir: Path, passage_id: str, top: int) -> int:
    from . import suggest
    from .checks import load_checked
    from .problems import CorpusError, did_you_mean

    try:
        corpus = load_checked(corpus_dir, root=corpus_dir.resolve().parent).corpus
    except CorpusError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("\nsuggest: the corpus has problems (listed above); fix them first.", file=sys.stderr)
        return 1
    if passage_id not in corpus.passage_by_id:
        print(
            f"suggest: no passage has the id `{passage_id}`{did_you_mean(passage_id, corpus.passage_by_id, most=3)}.",
            file=sys.stderr,
        )
        return 1
    for suggestion in suggest.Index(corpus).suggest(passage_id, max(top, 1)):
        print(suggest.line(suggestion))
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _requote(corpus_dir: Path, write: bool) -> int:
    """Exit status 0 when nothing is left to do (every quote found, or every proposal written), 1 otherwise."""
    from . import requote
    from .yamlwrite import RewriteError

    if not corpus_dir.is_dir():
        print(f"{corpus_dir}: the corpus folder does not exist.", file=sys.stderr)
        return 1
    try:
        found = requote.plan(corpus_dir, root=corpus_dir.resolve().parent)
    except RewriteError as error:
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
