"""What every page renderer shares: the result type, its table of contents, the kinds of voice."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

KIND_LABELS = {
    "article": "Article",
    "statement": "Statement",
    "introduction": "Introduction",
    "comment": "Reader comment",
}


@dataclass
class TocEntry:
    level: int
    id: str
    title: str
    children: list[TocEntry] = field(default_factory=list)


@dataclass
class RenderedPage:
    html: str
    title: str
    description: str
    toc: list[TocEntry] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


def nest_toc(flat: list[TocEntry]) -> list[TocEntry]:
    """Nest a flat list of headings by level."""
    roots: list[TocEntry] = []
    stack: list[TocEntry] = []
    for entry in flat:
        while stack and stack[-1].level >= entry.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(entry)
        stack.append(entry)
    return roots


def toc_tokens(entries: list[TocEntry]) -> list[Any]:
    """The table of contents as MkDocs' `get_toc` takes it (the tokens of Python-Markdown's toc extension,
    whose type MkDocs keeps private: hence Any)."""
    tokens: list[Any] = []
    for entry in entries:
        # A TocEntry's title is plain text (often an author's own heading); MkDocs and
        # the theme insert a toc title as HTML, so it must be escaped here.
        title = escape(entry.title)
        tokens.append(
            {"level": entry.level, "id": entry.id, "name": title, "html": title, "children": toc_tokens(entry.children)}
        )
    return tokens
