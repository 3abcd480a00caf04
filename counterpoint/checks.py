"""Everything checked before a build writes anything, in one function shared by `counterpoint check` and the build.

`load_checked` loads the corpus (every file, with every problem reported at
once) and then builds the matrix, which re-verifies that each stance rests on
the voice's own words in the text. The build plans its pages from what it
returns; `counterpoint check` calls it and prints the problems. Because both go
through this one function, a check added here is made by both, and the check
command can never pass a corpus the build would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .corpus import load_corpus
from .matrix import Matrix, build_matrix
from .memo import Cache
from .model import Corpus
from .problems import CorpusError, Problem


@dataclass(frozen=True)
class Checked:
    """A corpus that passed every check, and its matrix (whose evidence has been verified)."""

    corpus: Corpus
    matrix: Matrix


def load_checked(corpus_dir: Path, root: Path | None = None, cache: Cache | None = None) -> Checked:
    """Load and check `corpus_dir`; raises CorpusError listing every problem found.

    `root` is the folder paths in messages are relative to (default: the corpus folder's parent);
    `cache` keeps each corpus file's results between loads (memo.py: `mkdocs serve` passes one).
    Loading comes first: the matrix can only be checked once the corpus loads, so its problems
    are reported when the loader found none.
    """
    root = root or corpus_dir.parent
    corpus = load_corpus(corpus_dir, root, cache)
    return Checked(corpus, build_matrix(corpus, root=root))


def find_problems(corpus_dir: Path, root: Path | None = None) -> list[Problem]:
    """Every problem `load_checked` finds, causes first (see problems.in_phases); [] for a corpus that builds."""
    try:
        load_checked(corpus_dir, root)
    except CorpusError as error:
        return error.problems
    return []


__all__ = ["Checked", "find_problems", "load_checked"]
