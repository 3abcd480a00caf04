"""Reading a corpus file only from inside the corpus folder.

Git stores symbolic links, so a contributed `corpus/texts/notes.txt` can point at
the build machine's environment, its password file or the project's `.git/config`;
whatever a build reads as an original, it publishes (the original itself, its text
page, the search index). So every file the corpus loader or `counterpoint requote`
reads goes through `read_confined`, which resolves the path (every symbolic link
on the way, the corpus folder's own included) and refuses one that lands outside
the resolved corpus folder. A link that stays inside the corpus is harmless and
allowed: it can only publish what is published anyway.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .problems import Problems


class OutsideCorpus(Exception):
    """`path` resolves to `target`, which is not inside the corpus folder."""

    def __init__(self, path: Path, target: Path) -> None:
        super().__init__(f"{path} resolves to {target}, outside the corpus folder")
        self.path = path
        self.target = target


def confined(path: Path, corpus_dir: Path) -> Path:
    """`path` with every symbolic link resolved; raises OutsideCorpus when that is not inside `corpus_dir`."""
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(Path(os.path.realpath(corpus_dir))):
        raise OutsideCorpus(path, target)
    return target


def refusal(path: Path, target: Path, problems: Problems) -> tuple[str, str]:
    """What is wrong with a file that resolves outside the corpus, and how to fix it."""
    return (
        f"`{problems.display(path)}` is a symbolic link (or lies in a linked folder) that leads outside the "
        f"corpus folder, to `{target}`; a corpus file is read only from inside `corpus/`, "
        "so that a build cannot publish a file of the machine it runs on.",
        f'Replace the link with a copy of the file itself: `cp --remove-destination "$(readlink -f '
        f'{problems.display(path)})" {problems.display(path)}`, after checking that it is meant to be published.',
    )


def read_confined(
    path: Path,
    corpus_dir: Path,
    problems: Problems,
    cited_by: tuple[Path, int | None] | None = None,
) -> bytes | None:
    """The bytes of the corpus file `path`, or None with a located problem when it cannot be read.

    `cited_by` is the file and line that named `path` (an edition's `source:`), where the
    problem is reported; otherwise it is reported on `path` itself.
    """
    where, line = cited_by if cited_by is not None else (path, None)
    try:
        target = confined(path, corpus_dir)
    except OutsideCorpus as outside:
        message, hint = refusal(path, outside.target, problems)
        problems.add(where, line, message, hint)
        return None
    try:
        # A FIFO or a device inside the corpus would hang the build or never end: only regular files.
        if not stat.S_ISREG(os.stat(target).st_mode):
            problems.add(
                where,
                line,
                f"`{problems.display(path)}` is not a regular file.",
                "Put the file itself in the corpus (not a device, a pipe or a socket).",
            )
            return None
        return target.read_bytes()
    except OSError as error:
        problems.add(
            where,
            line,
            f"cannot read `{problems.display(path)}`: {error.strerror}.",
            "Check that the file exists and is readable (its permissions), then run the check again.",
        )
        return None


def escapees(root: Path) -> list[tuple[Path, Path]]:
    """Each file or folder in `root` that is a symbolic link leading outside it, with where it leads.

    MkDocs publishes every file of `docs/` and reads templates from the theme's `custom_dir`,
    following symbolic links: those folders need the same guard as the corpus.
    """
    root_real = Path(os.path.realpath(root))
    found = []
    for folder, subfolders, names in os.walk(root):  # links to folders are listed, not entered
        for name in sorted(subfolders + names):
            path = Path(folder) / name
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(root_real):
                found.append((path, target))
    return found


def leaks_refusal(folders: list[Path]) -> str | None:
    """Why nothing is published when a site folder (`docs/`, the theme's `custom_dir`) holds a symbolic link
    leading outside it, and how to fix it; None if none does."""
    leaks = [leak for folder in folders for leak in escapees(folder)]
    if not leaks:
        return None
    return (
        "Counterpoint: nothing was published, because these files are symbolic links leading outside "
        "their folder, and MkDocs would publish what they point at:\n"
        + "\n".join(f"  {path} -> {target}" for path, target in leaks)
        + "\nReplace each link with a copy of the file it is meant to publish, or remove it."
    )
