"""Splitting a long list over several pages, so that no page grows with the corpus."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")


def page_src(first_src: str, number: int) -> str:
    """Page `number` (1-based) of a list whose first page is `first_src` (e.g. texts/index.md)."""
    if number == 1:
        return first_src
    return posixpath.join(posixpath.dirname(first_src), "page", f"{number}.md")


@dataclass(frozen=True)
class Page(Generic[Item]):
    number: int
    count: int
    """How many pages the list has."""
    src: str
    items: Sequence[Item]
    first_index: int
    """Position of this page's first item in the whole list (0-based)."""


def paginate(items: Sequence[Item], first_src: str, per_page: int) -> list[Page[Item]]:
    count = max(1, -(-len(items) // per_page))
    return [
        Page(n + 1, count, page_src(first_src, n + 1), items[n * per_page : (n + 1) * per_page], n * per_page)
        for n in range(count)
    ]
