"""A corpus with many voices, in miniature: the pages that would grow with the corpus, split.

A synthetic corpus (bench/synthetic.py) of 20 texts and some 26 voices is built with the limits of
counterpoint/settings.py set low (LIMITS, through mkdocs.yml), so that it crosses every one of them: the
matrix runs over several pages, so do most questions, compare fetches its voices and agreement
shows no table. At the real limits the same happens with hundreds of voices (bench/scale.py
measures that).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sitebuild import REPO, Built, build_fixture, limits_override

# bench/ is not installed: `pytest` (unlike `python -m pytest`) does not put the repository on the path.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.synthetic import make_corpus, write_corpus

LIMITS: dict[str, int] = {
    "matrix_one_page_voices": 3,
    "matrix_page_bytes": 20_000,
    "question_page_bytes": 4_000,
    "question_relations_per_page": 1,
    "compare_embed_voices": 10,
    # The agreement table has voices × voices cells: beyond its limit the page says so instead.
    "agreement_table_voices": 10,
}
TEXTS, ANNOTATIONS, SEED = 20, 6, 3


def write_fixture(folder: Path) -> Path:
    """The synthetic corpus as a fixture project (corpus/ only)."""
    write_corpus(make_corpus(texts=TEXTS, annotations=ANNOTATIONS, seed=SEED), folder / "corpus")
    return folder


def build_scaled(tmp_path: Path, overrides: dict[str, Any] | None = None) -> Built:
    """The miniature corpus built by `mkdocs build --strict` with the low limits."""
    return build_fixture(write_fixture(tmp_path / "fixture"), tmp_path, limits_override(LIMITS, overrides))
