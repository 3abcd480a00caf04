"""The cyclic garbage collector during a build.

Loading allocates a great deal and frees little, and what it loads lives until the build ends:
the cyclic collector would only re-scan it, over and over (7 % of a build of a thousand texts).
So no collection while loading, and the loaded corpus frozen out of later collections; unfrozen
when the build ends, so that `mkdocs serve` frees each build's corpus. Rendering then allocates
a great deal too, most of it freed by reference counting: the youngest generation is collected
every YOUNG allocations instead of Python's 700, which at a thousand texts left ten full
collections (0.23 to 0.36 CPU-s) and a quarter of the young ones; restored when the build ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 5000
"""Allocations (less deallocations) between two collections of the youngest generation during a build.
Measured at 1,000 texts: 700 (Python's) 0.42 to 0.60 CPU-s of collections, 5,000 0.19, 20,000 0.17 to 0.23."""


class LoadedCorpus:
    """The collector's policy for one build's corpus: `with hold.loading(): ...`, then `release()`."""

    def __init__(self) -> None:
        self._frozen = False
        self._threshold: tuple[int, int, int] | None = None

    @contextmanager
    def loading(self) -> Iterator[None]:
        gc.disable()
        try:
            yield
        finally:
            gc.enable()
        # Reached only if loading succeeded: a failed load has nothing worth keeping out of collections.
        gc.freeze()
        self._frozen = True
        self._threshold = gc.get_threshold()
        gc.set_threshold(max(YOUNG, self._threshold[0]), *self._threshold[1:])

    def release(self) -> None:
        """At the build's end, whatever the end: once, however often called."""
        if self._frozen:
            self._frozen = False
            gc.unfreeze()
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)
            self._threshold = None


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside, and nothing frozen: a rebuild of `mkdocs serve` without MkDocs (1-2 s),
    whose garbage and its predecessors' stay collectable by the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_between_builds() -> None:
    """A full collection, once a build of `mkdocs serve` is in place and before the next one loads.

    release() hands the corpus back to the oldest generation, where Python collects only when the
    objects added since the last full collection exceed a quarter of it: at a thousand texts, that
    left each rebuild's garbage (the last build's pages and navigation, in cycles) uncollected, 400 MB
    a rebuild (2.7 GB after five), until the next load froze it with the corpus, for good. Collected
    here, the server stays at one build's size, and no collection of gigabytes lands in a rebuild.
    """
    gc.collect()
