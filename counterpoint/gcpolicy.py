"""The cyclic garbage collector during a build.

Loading allocates a great deal and frees little, and what it loads lives until the build ends:
the cyclic collector would only re-scan it, over and over (7 % of a build of a thousand texts).
So no collection while loading, and the loaded corpus frozen out of later collections; unfrozen
when the build ends, so that `mkdocs serve` frees each build's corpus.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


class LoadedCorpus:
    """The collector's policy for one build's corpus: `with hold.loading(): ...`, then `release()`."""

    def __init__(self) -> None:
        self._frozen = False

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

    def release(self) -> None:
        """At the build's end, whatever the end: once, however often called."""
        if self._frozen:
            self._frozen = False
            gc.unfreeze()
