"""The site as built: where each generated page and file lives, links between them, and `Site`, the corpus
with its graph, URL scheme and limits that every page and export is made from.

Generated HTML never goes through MkDocs' link rewriting, so links are made
relative here, page to page, the way MkDocs would make them. That keeps the site
working under any sub-path and when opened from disk.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .graph import Graph
from .model import Corpus, Passage, Text, Voice
from .settings import Limits

TEXTS_INDEX = "texts/index.md"
QUESTIONS_INDEX = "questions/index.md"
MATRIX = "matrix/index.md"
AGREEMENT = "matrix/agreement.md"
COMPARE = "matrix/compare.md"
COMPARE_VOICES = "matrix/compare/voices.json"
"""The voices compare offers, when there are too many to carry in the page (see compare_voice_file)."""
MATRIX_CSV = "downloads/matrix.csv"
MATRIX_JSON = "downloads/matrix.json"
ANNOTATIONS_JSONLD = "annotations.jsonld"
SEARCH = "search.md"
"""The search page (docs/search.md): where links to a filtered search lead, and what a reader without JavaScript is told."""


def text_page(slug: str) -> str:
    return f"texts/{slug}.md"


def question_page(question_id: str) -> str:
    return f"questions/{question_id}.md"


def compare_voice_file(voice_id: str) -> str:
    """One voice's positions, fetched by the compare page when there are too many voices to carry in it."""
    return f"matrix/compare/voices/{voice_id}.json"


def original_file(slug: str) -> str:
    return f"originals/{slug}.txt"


@dataclass(frozen=True)
class Urls:
    use_directory_urls: bool = True

    def url(self, src_uri: str) -> str:
        """The site-relative URL MkDocs gives the file at `src_uri` (same rules as mkdocs.structure.files.File)."""
        return _url(src_uri, self.use_directory_urls)

    def link(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """A relative link from the page at `from_src` to `to_src` (#anchor optional)."""
        target = self.url(to_src)
        here = self.url(from_src)
        base = here if here.endswith("/") or here == "" else posixpath.dirname(here) + "/"
        if to_src == from_src:
            # "#anchor" alone, or the page's own file name: "./" would be its folder's index.
            relative = "" if anchor else posixpath.basename(target)
        else:
            relative = _relative(target, base)
            if relative == "./" and anchor:
                relative = ""
        if anchor:
            return f"{relative}#{anchor}"
        return relative or "./"


@lru_cache(maxsize=65536)
def _relative(target: str, base: str) -> str:
    """`target` relative to the folder `base` (both site-relative). Cached: a large build asks for
    the same few thousand pairs again and again (every cross-reference, cell and list entry),
    and posixpath.relpath was a tenth of the time Counterpoint's pages took to render."""
    relative = posixpath.relpath("/" + target, "/" + base)
    if (target.endswith("/") or target == "") and not relative.endswith("/"):
        relative += "/"
    return relative


@lru_cache(maxsize=65536)
def _url(src_uri: str, use_directory_urls: bool) -> str:
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri[: -len(".md")]
    directory, name = posixpath.split(stem)
    if not use_directory_urls:
        return (directory + "/index.html" if directory else "index.html") if name == "README" else stem + ".html"
    if name in ("index", "README"):
        return directory + "/" if directory else ""
    return stem + "/"


@dataclass(frozen=True)
class Site:
    """The corpus as this build publishes it. Outside render/, so that the exports (export.py) and the
    matrix need nothing from the page renderers."""

    corpus: Corpus
    urls: Urls
    limits: Limits = field(default_factory=Limits)
    made_graph: Graph | None = field(default=None, compare=False, repr=False)
    """The graph of an earlier build whose corpus was this one but for what the graph does not read (its
    notes: see counterpoint/pagecache.py), reused by `mkdocs serve`; None to make it."""

    @cached_property
    def graph(self) -> Graph:
        return self.made_graph or Graph(self.corpus, self.limits.derived_voices)

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
