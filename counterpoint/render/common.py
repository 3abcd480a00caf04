"""What every page renderer shares: the corpus, its graph, the URL scheme, the result type."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..graph import Graph
from ..model import Corpus, Passage, Text, Voice
from ..site import Urls, question_page, text_page

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


@dataclass(frozen=True)
class Site:
    corpus: Corpus
    urls: Urls

    @cached_property
    def graph(self) -> Graph:
        return Graph(self.corpus)

    def passage_link(self, from_src: str, passage: Passage) -> str:
        return self.urls.link(from_src, text_page(passage.text_slug), passage.id)

    def question_link(self, from_src: str, question_id: str, anchor: str = "") -> str:
        return self.urls.link(from_src, question_page(question_id), anchor)

    def voice_text(self, voice: Voice) -> Text:
        return self.corpus.text_by_slug[voice.text_slug]

    def paragraph_number(self, passage: Passage) -> int | None:
        return self.corpus.text_by_slug[passage.text_slug].blocks[passage.block_index].number

    def place(self, passage: Passage) -> str:
        """Where a passage is, for readers: “¶12” or “heading”."""
        number = self.paragraph_number(passage)
        return f"¶{number}" if number is not None else "heading"


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
