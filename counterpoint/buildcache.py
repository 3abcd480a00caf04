"""What each corpus file produced, kept between the rebuilds of one `mkdocs serve`, keyed by content.

A rebuild under `mkdocs serve` after one annotation was saved reads, validates and anchors every
other file again, and renders every page again, though none of them changed (issue 15). A
`BuildCache` keeps what a computation produced from a set of files, under a key made of each
file's path and a digest of its bytes, so that the next build gets it back for as long as those
bytes are the same. What depends on several files (an annotation file's passages depend on the
text they anchor in and on questions.yml) names them all in its key.

The cache belongs to one object that lives as long as the server (the build's plugin: MkDocs
keeps a plugin object across the rebuilds of one `mkdocs serve` when it defines `on_startup`),
never to module globals. Each build starts with `start(fingerprint)`: a fingerprint of whatever
else the products depend on (the configuration, the package version); when it differs from the
previous build's, everything is dropped. A build that ends with `finish()` evicts what it did
not ask for (the products of files changed or deleted since), so the cache never holds more than
one build's worth. A failed build keeps everything: it may have stopped before asking.

Cached values are shared by later builds, so they must never be changed once made: frozen
dataclasses, tuples, strings. `BuildCache(verify=True)` recomputes on every hit and raises
`StaleEntry` when the fresh value differs from the kept one: for tests, to catch a product whose
key leaves out something it depends on.

Nothing here imports MkDocs; the cache is not thread-safe (MkDocs builds on one thread).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


def digest(content: bytes) -> str:
    """A digest of a file's bytes (BLAKE2b, 128 bits: ample against accidental collisions, and fast)."""
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def _canonical(value: object) -> object:
    """`value` as JSON can write it in one way only; anything else (an object whose repr may carry its
    address, a set whose order varies between runs) is refused rather than fingerprinted unstably."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("a fingerprint's mappings have string keys only")
        return {key: _canonical(item) for key, item in sorted(value.items())}
    raise TypeError(f"cannot fingerprint a {type(value).__name__}: give its parts as str, int, list or dict")


def fingerprint(*parts: object) -> str:
    """A digest of what every product depends on besides its files (settings, versions)."""
    encoded = json.dumps([_canonical(part) for part in parts], ensure_ascii=False, separators=(",", ":"))
    return digest(encoded.encode("utf-8"))


@dataclass(frozen=True)
class CacheKey(Generic[T]):
    """What a value of type T was computed from: the product's name and each input file's path and digest."""

    product: str
    inputs: tuple[tuple[str, str], ...]
    """(path, digest of its bytes) of each file the product was computed from, in the order given."""
    extra: str = ""
    """Anything else it depends on that is not a file: a digest (see `fingerprint`), or ''."""


@dataclass(frozen=True)
class Product(Generic[T]):
    """One kind of thing computed from corpus files, named, with the type of its values.

    Declared once per kind (`EDITIONS: Product[Loaded] = Product("edition")`), so that a key
    made for one kind can only fetch values of that kind's type. Names must be unique.
    """

    name: str

    def key(self, *files: tuple[str | PurePath, bytes], extra: str = "") -> CacheKey[T]:
        """The key of this product made from `files` ((path, its bytes) each, paths as the project names them).

        The bytes are those the loader read (through `confine.read_confined`, as it reads every corpus
        file): the cache never reads a file itself, so it cannot be led outside the corpus.
        """
        inputs = tuple((PurePath(path).as_posix(), digest(content)) for path, content in files)
        return CacheKey(self.name, inputs, extra)


class StaleEntry(AssertionError):
    """A kept value differs from the value computed afresh: its key leaves out something it depends on."""


@dataclass
class CacheStats:
    """What one build asked of the cache (for the benchmarks and the build's log)."""

    hits: Counter[str] = field(default_factory=Counter)
    """Values found, by product."""
    misses: Counter[str] = field(default_factory=Counter)
    """Values computed (absent, or their files changed), by product."""
    failures: int = 0
    """Computations that raised (nothing kept for them)."""
    evicted: int = 0
    """Entries dropped at the end of the build because it did not ask for them."""
    dropped: int = 0
    """Entries dropped at the start of the build because the fingerprint changed."""
    entries: int = 0
    """Entries kept after the build."""

    @property
    def hit_count(self) -> int:
        return sum(self.hits.values())

    @property
    def miss_count(self) -> int:
        return sum(self.misses.values())

    def summary(self) -> str:
        products = sorted(set(self.hits) | set(self.misses))
        parts = ", ".join(f"{name} {self.hits[name]}/{self.hits[name] + self.misses[name]}" for name in products)
        line = f"{self.hit_count} reused, {self.miss_count} computed"
        if parts:
            line += f" (reused/asked: {parts})"
        if self.dropped:
            line += f"; {self.dropped} dropped (configuration changed)"
        if self.evicted:
            line += f"; {self.evicted} no longer needed"
        return line


class BuildCache:
    """Values computed from corpus files, kept from one build to the next while their files' bytes are the same."""

    def __init__(self, *, verify: bool = False) -> None:
        self._entries: dict[CacheKey[Any], object] = {}
        self._asked: set[CacheKey[Any]] = set()
        self._fingerprint: str | None = None
        self._verify = verify
        self.stats = CacheStats()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def fingerprint(self) -> str | None:
        return self._fingerprint

    def start(self, fingerprint: str) -> None:
        """Begin a build whose settings have this fingerprint; a different one from the last drops everything."""
        self.stats = CacheStats()
        if fingerprint != self._fingerprint:
            self.stats.dropped = len(self._entries)
            self._entries.clear()
            self._fingerprint = fingerprint
        self._asked = set()

    def get_or_compute(self, key: CacheKey[T], compute: Callable[[], T]) -> T:
        """The value kept under `key`, or `compute()`'s, kept for the next builds (unless it raised)."""
        if self._fingerprint is None:
            raise RuntimeError("BuildCache.start(fingerprint) must be called at the start of each build")
        self._asked.add(key)
        if key in self._entries:
            kept = cast(T, self._entries[key])
            self.stats.hits[key.product] += 1
            if self._verify:
                fresh = compute()
                if fresh != kept:
                    raise StaleEntry(
                        f"the kept {key.product} for {', '.join(path for path, _ in key.inputs) or 'no file'} "
                        "differs from a fresh one: its key leaves out something it depends on"
                    )
            return kept
        self.stats.misses[key.product] += 1
        try:
            value = compute()
        except BaseException:
            self.stats.failures += 1
            raise
        self._entries[key] = value
        return value

    def finish(self) -> CacheStats:
        """End a build that completed: drop what it did not ask for. Returns what it asked."""
        unused = [key for key in self._entries if key not in self._asked]
        for key in unused:
            del self._entries[key]
        self.stats.evicted = len(unused)
        self.stats.entries = len(self._entries)
        self._asked = set()
        return self.stats

    def clear(self) -> None:
        self._entries.clear()
        self._asked = set()
        self._fingerprint = None


__all__ = [
    "BuildCache",
    "CacheKey",
    "CacheStats",
    "Product",
    "StaleEntry",
    "digest",
    "fingerprint",
]
