"""Keeping each generated page's rendering (and exported file) between builds, with the inputs it was made from.

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

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar, cast

from .memo import drop_unused
from .model import Corpus, Passage, Relation, Text

T = TypeVar("T")

UNREAD = frozenset({"note", "file", "line", "prefix", "suffix"})
"""The fields of a passage or relation that no page made from the matrix reads: the editor's note (shown
in the text's footnotes, and in its passages' part of the JSON-LD export, keyed by export.run_inputs),
where in an annotation file the passage or relation was written (for problems only; a note edited can
move every later passage's line), and the words around a passage's quote (in the JSON-LD export's
selectors only; a word edited near a quote changes them). tests/test_page_cache.py checks that no
other renderer reads them."""


@dataclass(frozen=True)
class _Kept:
    inputs: object
    value: object


class PageCache:
    """The last rendering of each page and what it was rendered from, counting reuses (for tests and logs)."""

    def __init__(self) -> None:
        self._pages: dict[str, _Kept] = {}
        self._used: set[str] = set()
        self._shared: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0

    def get_or_render(self, src_uri: str, inputs: object, render: Callable[[], T]) -> T:
        """What is at `src_uri` (a page's rendering, an exported file's content): the last value kept for it if
        that was made from inputs equal to `inputs`, else `render()`'s, then kept. If `render` raises, the
        last value is dropped (it is stale)."""
        self._used.add(src_uri)
        kept = self._pages.get(src_uri)
        if kept is not None and kept.inputs == inputs:
            self.hits += 1
            return cast(T, kept.value)
        self._pages.pop(src_uri, None)
        value = render()
        self._pages[src_uri] = _Kept(inputs, value)
        self.misses += 1
        return value

    def shared(self, name: str, value: T) -> T:
        """`value`, or the equal value this build's predecessor passed under `name`: then the same object, so
        that the many keys holding it compare by identity (tuples compare their items so first), not
        item by item, once per page."""
        kept = self._shared.get(name)
        if kept is not None and kept == value:
            return kept  # type: ignore[no-any-return]  # equal to `value`, a T
        self._shared[name] = value
        return value

    def __len__(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        self._pages.clear()
        self._used.clear()
        self._shared.clear()
        self.hits = self.misses = 0

    def forget_unused(self) -> int:
        """Drop the pages no lookup asked for since the last call; how many were dropped."""
        return drop_unused(self._pages, self._used)


def cached(
    cache: PageCache | None, src_uri: str, inputs: Callable[[], object], render: Callable[[], T]
) -> Callable[[], T]:
    """`render`, through `cache` when there is one: what a planned page calls when it is asked for."""
    if cache is None:
        return render
    return lambda: cache.get_or_render(src_uri, inputs(), render)


TEXT_UNREAD = frozenset({"blocks", "source_bytes", "source_path", "omissions"})
"""What no page but the text's own reads of a text: its words, its file and what was left out of it. Of its
blocks, the pages made from the matrix read each one's paragraph number only (site.Site.paragraph, in
citations), which `corpus_but_notes` keeps; so a word changed in an original renders that text's page
again, not every question page. tests/test_page_cache.py checks that no other renderer reads them."""


def _read_fields(kind: type[Any], unread: frozenset[str] = UNREAD) -> Callable[[Any], tuple[Any, ...]]:
    """The fields of `kind` other than `unread`, as a tuple: every field added later is among them."""
    return attrgetter(*(f.name for f in dataclasses.fields(kind) if f.name not in unread))


_passage_fields = _read_fields(Passage)
_relation_fields = _read_fields(Relation)
_text_fields = _read_fields(Text, TEXT_UNREAD)


def _text_read(text: Text) -> tuple[object, ...]:
    return (_text_fields(text), tuple(block.number for block in text.blocks))


def corpus_but_notes(corpus: Corpus) -> tuple[object, ...]:
    """What the pages and files made from the matrix read (every page but the texts' own: the matrix, the
    questions, agreement, compare, the indexes, and their exports): the whole corpus but UNREAD of its
    passages and relations and TEXT_UNREAD of its texts. A note edited, or a word of an original that
    moves no quote, changes none of them; anything else changed, all are made again. (The matrix's
    evidence check reads a text's words too, but only to fail the build: a site is only ever made of
    a corpus whose quotes are where their passages say.)"""
    return (
        tuple(_text_read(t) for t in corpus.texts),
        corpus.questions,
        tuple(_passage_fields(p) for p in corpus.passages),
        tuple(_relation_fields(r) for r in corpus.relations),
    )


class Outputs:
    """Each generated page's whole HTML file as the theme last made it, with what that was made from.

    The theme's template (Material's main.html) is most of what a warm rebuild still spends on a page
    after its content was reused. The plugin keys each page's output by its content (the rendering
    above), its address, title and metadata, and what every page's template reads of the site: the
    navigation, the configuration, the theme's own files. A page whose key equals its last output's
    is written from that output instead of the template (the plugin's `on_env` and `on_post_page`).
    """

    def __init__(self) -> None:
        self._outputs: dict[str, _Kept] = {}
        self._used: set[str] = set()
        self.hits = 0

    def lookup(self, src_uri: str, key: object, content: str) -> str | None:
        """The page's last output, if it was made from a key equal to `key` (which holds `content`, the
        page's content: the output is kept without it, see `keep`)."""
        self._used.add(src_uri)
        kept = self._outputs.get(src_uri)
        if kept is None or kept.inputs != key:
            return None
        self.hits += 1
        prefix, suffix = cast(tuple[str, str | None], kept.value)
        return prefix if suffix is None else "".join((prefix, str(content), suffix))

    def keep(self, src_uri: str, key: object, output: str, content: str) -> None:
        """Keep `output` under `key`, without the page's `content` when the theme printed it as it is (the
        page cache holds it already, and at 1,000 texts the contents are hundreds of megabytes)."""
        at = output.find(content) if content else -1
        if at >= 0 and output.rfind(content) != at:  # printed twice: which one is the content is unknown
            at = -1
        kept = (output, None) if at < 0 else (output[:at], output[at + len(content) :])
        self._outputs[src_uri] = _Kept(key, kept)

    def around(self, src_uri: str) -> tuple[str, str] | None:
        """The page's last output without its content (before it, after it), if the theme printed the
        content there once and as it is (counterpoint/quickrebuild.py puts a new content in)."""
        kept = self._outputs.get(src_uri)
        if kept is None:
            return None
        before, after = cast(tuple[str, str | None], kept.value)
        return None if after is None else (before, after)

    def clear(self) -> None:
        self._outputs.clear()
        self._used.clear()
        self.hits = 0

    def forget_unused(self) -> int:
        return drop_unused(self._outputs, self._used)
