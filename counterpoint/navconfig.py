"""The texts in the navigation, written into the site's `nav` configuration.

MkDocs makes its navigation (sections, parents, previous and next pages) from the `nav`
configuration, after the plugins have seen the files. Rather than rebuilding MkDocs' objects
after the fact, the build rewrites that configuration, as mkdocs-literate-nav does: the entry of
the texts index becomes a section, headed by the index, holding the text pages in reading order.
MkDocs then makes every link of the navigation itself. Nothing here imports MkDocs: the
configuration is plain data (lists of paths and one-key `{title: path or list}` mappings).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

DEFAULT_TITLE = "Texts"
"""The section's title when the index is listed without one."""


def with_texts(nav: list[Any], index: str, pages: list[str]) -> list[Any]:
    """A copy of `nav` with its first entry of `index` made a section of the index and `pages`.

    `Texts: texts/index.md` becomes `Texts: [{Texts: texts/index.md}, texts/a.md, ...]`, so that
    the index keeps the title the configuration gives it; a bare `texts/index.md` becomes
    `Texts: [texts/index.md, ...]`. A list's own entries are searched before those of its
    sections. A nav without the index comes back as it was; the configuration given is never
    changed in place (`mkdocs serve` may hand the same one to the next build).
    """
    nav = copy.deepcopy(nav)
    for entries in _levels(nav):
        for position, entry in enumerate(entries):
            if entry == index:
                entries[position] = {DEFAULT_TITLE: [index, *pages]}
                return nav
            if isinstance(entry, dict) and index in entry.values():
                entries[position] = _with_section(entry, index, pages)
                return nav
    return nav


def _with_section(entry: dict[Any, Any], index: str, pages: list[str]) -> dict[Any, Any]:
    # A mapping of several titles is several entries to MkDocs: their order is kept.
    section: dict[Any, Any] = {}
    for title, value in entry.items():
        if value == index:
            section[title or DEFAULT_TITLE] = [{title: index}, *pages]
        else:
            section[title] = value
    return section


def _levels(entries: list[Any]) -> Iterator[list[Any]]:
    yield entries
    for entry in entries:
        if isinstance(entry, dict):
            for value in entry.values():
                if isinstance(value, list):
                    yield from _levels(value)
