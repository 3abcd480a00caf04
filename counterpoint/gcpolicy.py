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


UNCOLLECTED_REBUILDS = 5
"""Rebuilds without MkDocs in a row without a collection before one collects first (see BetweenBuilds)."""


class BetweenBuilds:
    """When `mkdocs serve` collects the garbage its builds leave (see collect_between_builds).

    Thread-safe enough for its one other caller: an index's thread calls `collect` after a reload
    (counterpoint.after_reload) while no build runs, since the next build ends that thread first.
    """

    def __init__(self) -> None:
        self.collected = True
        """False from a build's end under `mkdocs serve` until its garbage is collected: by the index's
        thread after the reload, else by the next build."""
        self._uncollected = 0
        """Rebuilds without MkDocs since the last collection."""

    def collect(self) -> None:
        collect_between_builds()
        self.collected = True

    def before_full_build(self) -> None:
        """The last build's garbage, before this one's load freezes it for good."""
        if not self.collected:
            self.collect()

    def before_quick_rebuild(self) -> None:
        """Mostly no collection before a rebuild without MkDocs: the builds' garbage stays collectable
        (nothing is frozen, unlike a full build's load), and is collected once an index is in or by the
        next full build. Collecting it here cost 0.5-0.7 s of each save made while the last index was
        being made; but saves that never leave an index time to finish (about 50 MB of garbage each at
        1,000 texts, mostly the abandoned index's) are collected every UNCOLLECTED_REBUILDS."""
        if self.collected:
            self._uncollected = 0
        elif self._uncollected >= UNCOLLECTED_REBUILDS:
            self.collect()
            self._uncollected = 0
        self.collected = False
        self._uncollected += 1

    def build_ended(self, *, serving: bool) -> None:
        """A build's end, complete or failed: under `mkdocs serve` its garbage awaits a collection."""
        self.collected = not serving
