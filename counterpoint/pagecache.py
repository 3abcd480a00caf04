"""Keeping each generated page's rendering between builds, with the inputs it was rendered from.

Under `mkdocs serve` every page is rendered again after every save, though a save usually
changes what a few pages show. Each page renderer that can be cached has, beside it, a function
listing what it reads (`text_page_inputs` beside `render_text_page`...), as plain values: model
objects (frozen dataclasses), the graph's links, the site's URL scheme and limits. A page whose
inputs equal, by `==`, those of its last rendering is that rendering again; its renderer is not
called. Equality, not a hash: the corpus cache (counterpoint/memo.py) hands an unchanged file's
objects back as the same objects, so comparing them is mostly a matter of identity, where
hashing would walk every block of every text on every build.

The cache holds one rendering per page (its source path), the last; `forget_unused` drops the
pages the last build did not render (a text removed, a question renamed). A rendering handed
out is shared with the cache: callers must not change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .render.common import RenderedPage


@dataclass(frozen=True)
class _Kept:
    inputs: object
    page: RenderedPage


class PageCache:
    """The last rendering of each page and what it was rendered from, counting reuses (for tests and logs)."""

    def __init__(self) -> None:
        self._pages: dict[str, _Kept] = {}
        self._used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def get_or_render(self, src_uri: str, inputs: object, render: Callable[[], RenderedPage]) -> RenderedPage:
        """The page at `src_uri`: its last rendering if that was made from inputs equal to `inputs`, else
        `render()`'s, then kept. If `render` raises, the last rendering is dropped (it is stale)."""
        self._used.add(src_uri)
        kept = self._pages.get(src_uri)
        if kept is not None and kept.inputs == inputs:
            self.hits += 1
            return kept.page
        self._pages.pop(src_uri, None)
        page = render()
        self._pages[src_uri] = _Kept(inputs, page)
        self.misses += 1
        return page

    def __len__(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        self._pages.clear()
        self._used.clear()
        self.hits = self.misses = 0

    def forget_unused(self) -> int:
        """Drop the pages no lookup asked for since the last call; how many were dropped."""
        stale = [src for src in self._pages if src not in self._used]
        for src in stale:
            del self._pages[src]
        self._used.clear()
        return len(stale)


def cached(
    cache: PageCache | None, src_uri: str, inputs: Callable[[], object], render: Callable[[], RenderedPage]
) -> Callable[[], RenderedPage]:
    """`render`, through `cache` when there is one: what a planned page calls when it is asked for."""
    if cache is None:
        return render
    return lambda: cache.get_or_render(src_uri, inputs(), render)
