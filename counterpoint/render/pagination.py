"""Splitting a long list over several pages, so that no page grows with the corpus."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..site import Urls

Item = TypeVar("Item")

PAGE_LINKS_ALL = 11
"""Up to this many pages, the pagination names every page; beyond, the first, the last and those near
the current one, so that the navigation does not grow with the corpus either."""
PAGE_LINKS_AROUND = 2
"""Beyond PAGE_LINKS_ALL pages: how many pages on either side of the current one are named."""


def page_src(first_src: str, number: int) -> str:
    """Page `number` (1-based) of a list whose first page is `first_src`.

    An index's further pages sit beside it (texts/index.md: texts/page/2.md); another page's,
    under its own name (questions/war.md: questions/war/page/2.md).
    """
    if number == 1:
        return first_src
    folder, name = posixpath.split(first_src)
    if name != "index.md":
        folder = posixpath.join(folder, posixpath.splitext(name)[0])
    return posixpath.join(folder, "page", f"{number}.md")


@dataclass(frozen=True)
class Page(Generic[Item]):
    number: int
    count: int
    """How many pages the list has."""
    src: str
    items: Sequence[Item]
    first_index: int
    """Position of this page's first item in the whole list (0-based)."""

    @property
    def last_index(self) -> int:
        """Position of this page's last item in the whole list (0-based)."""
        return self.first_index + len(self.items) - 1


def paginate(items: Sequence[Item], first_src: str, per_page: int) -> list[Page[Item]]:
    count = max(1, -(-len(items) // per_page))
    return [
        Page(n + 1, count, page_src(first_src, n + 1), items[n * per_page : (n + 1) * per_page], n * per_page)
        for n in range(count)
    ]


def paginate_by_size(
    items: Sequence[Item], first_src: str, budget: int, size: Callable[[Item], int], first_budget: int | None = None
) -> list[Page[Item]]:
    """Consecutive items on each page, as many as fit in `budget` by `size` (at least one a page).

    `first_budget`, when given, is the first page's (which may carry more than the list).

    For lists whose items weigh very differently (a voice that quotes one sentence, another ten),
    so that every page stays about the same weight whatever the corpus.
    """
    chunks: list[tuple[int, list[Item]]] = []
    chunk: list[Item] = []
    start = used = 0
    for index, item in enumerate(items):
        cost = size(item)
        room = first_budget if first_budget is not None and not chunks else budget
        if chunk and used + cost > room:
            chunks.append((start, chunk))
            chunk, start, used = [], index, 0
        chunk.append(item)
        used += cost
    if chunk or not chunks:
        chunks.append((start, chunk))
    count = len(chunks)
    return [Page(n, count, page_src(first_src, n), chunk, start) for n, (start, chunk) in enumerate(chunks, start=1)]


def page_links(urls: Urls, from_src: str, sources: Sequence[str], current: int) -> list[tuple[int, str]]:
    """The pagination of a page among `sources` (the sources of pages 1, 2, …): (number, link) pairs.

    Empty when there is one page. Beyond PAGE_LINKS_ALL pages, only the first, the last and the
    pages near `current` are named; a gap between two named pages is a (0, "") pair.
    """
    count = len(sources)
    if count <= 1:
        return []
    shown = range(1, count + 1)
    if count > PAGE_LINKS_ALL:
        near = range(max(1, current - PAGE_LINKS_AROUND), min(count, current + PAGE_LINKS_AROUND) + 1)
        shown = sorted({1, count, *near})  # type: ignore[assignment]
    links: list[tuple[int, str]] = []
    for number in shown:
        if links and number > links[-1][0] + 1:
            links.append((0, ""))
        links.append((number, urls.link(from_src, sources[number - 1])))
    return links
