"""Problems found in the corpus, reported the way an editor can act on them.

Every problem names the file, the line where there is one, what is wrong and
how to put it right (often with an example of the right form). Loading goes on
after a problem wherever it safely can, so that one run reports them all.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

LISTED = 10
"""A message lists at most this many items (ids, places, lines), then says how many more there are."""


def counted(count: int) -> str:
    """ "1 problem", "3 problems": how every summary of a corpus's problems begins."""
    return f"{count} {'problem' if count == 1 else 'problems'}"


def listed(items: Iterable[str], separator: str = ", ", limit: int = LISTED) -> str:
    """The first `limit` items joined, then “and N more”: a message stays short whatever the corpus."""
    items = list(items)
    shown = separator.join(items[:limit])
    return shown + (f"{separator}and {len(items) - limit:,} more" if len(items) > limit else "")


def did_you_mean(unknown: str, known: Iterable[str], most: int = 1) -> str:
    """' (did you mean `x`?)', or up to `most` of them joined by 'or', for the known ids closest to a
    misspelt one; '' when none is close. Every message about an unknown id offers them the same way."""
    close = difflib.get_close_matches(unknown, sorted(known), n=most)
    return f" (did you mean {' or '.join(f'`{c}`' for c in close)}?)" if close else ""


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    """Path of the file at fault, relative to the project (as the editor sees it)."""
    line: int | None
    message: str
    """What is wrong, in one sentence."""
    hint: str = ""
    """How to fix it: a sentence, an example of the right form, or both."""

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += "\n" + "\n".join("    " + line for line in self.hint.splitlines())
        return text


@dataclass
class Problems:
    """Collects the problems of one loading phase (or of one check), sorted by file and line when read."""

    root: Path
    """Paths in messages are shown relative to this folder."""
    items: list[Problem] = field(default_factory=list)

    def display(self, path: Path) -> str:
        # As written first, so that a symbolic link is shown by its own name, not by its target's.
        for shown, root in ((path.absolute(), self.root.absolute()), (path.resolve(), self.root.resolve())):
            try:
                return shown.relative_to(root).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def add(self, path: Path, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(Problem(self.display(path), line, message, hint))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (p.file, p.line or 0, p.message))


def in_phases(*phases: Problems) -> list[Problem]:
    """The problems of successive loading phases, each phase's after those of the phases before it.

    A later phase's problem may follow from an earlier one's (a passage placed in a text whose voice id is
    taken twice), never the reverse: listed in this order, the cause an editor has to fix comes first,
    whatever the files are called.
    """
    return [problem for phase in phases for problem in phase.sorted()]


class CorpusError(Exception):
    """Raised when the corpus cannot be published as it stands."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{counted(len(problems))} in the corpus:\n" + "\n".join(map(str, problems)))

    def headline(self) -> str:
        """One line for the end of a build that logged the problems one by one before it."""
        return (
            f"Counterpoint: {counted(len(self.problems))} in the corpus (listed above); "
            "nothing was published. `counterpoint check` lists them without building."
        )
