"""Keeping what each corpus file produced between loads, keyed by the file's content.

Under `mkdocs serve` the corpus is loaded again after every save, though usually one file
changed. The loading phases take an optional `Cache` and key each file's result by what it
was computed from (the file's path and the digest of its bytes, and the digests of what it
depends on), so that a load with a warm cache reads and digests every file but parses,
validates and anchors only those whose inputs changed. A cached value is immutable (frozen
dataclasses, tuples, frozensets), the problems found included, which a load replays in the
order they were found: a warm load returns exactly what a cold one would.

`Memo` is the simplest cache, a dictionary; the build's plugin may pass its own object
with the same method.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from .confine import read_confined
from .problems import Problems
from .yamlfile import YamlDoc, load_yaml
from .yamlschema import Model, validate

T = TypeVar("T")


class Cache(Protocol):
    """What the loader needs of a cache: the value kept for `key`, or `compute()`'s, then kept.

    When `compute` raises, the exception goes through and nothing is kept for `key`: the
    loader raises so when a file changed while it was read (its result belongs to no digest).
    """

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T: ...


class Memo:
    """A `Cache` in a dictionary, counting hits and misses (for tests and benchmarks)."""

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}
        self._used: set[Hashable] = set()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        self._used.add(key)
        if key in self._values:
            self.hits += 1
            return cast(T, self._values[key])
        value = compute()
        self._values[key] = value
        self.misses += 1
        return value

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        self._values.clear()
        self._used.clear()
        self.hits = self.misses = 0

    def forget_unused(self) -> int:
        """Drop the values no lookup asked for since the last call (results of older file contents),
        so that a long `mkdocs serve` does not keep every version of every file; how many were dropped."""
        return drop_unused(self._values, self._used)


K = TypeVar("K", bound=Hashable)


def drop_unused(kept: dict[K, Any], used: set[K]) -> int:
    """Drop from `kept` what is not in `used`, then empty `used` for the next build; how many were dropped.
    Every serve cache (this one, counterpoint/pagecache.py's) forgets what the last build did not ask for."""
    stale = [key for key in kept if key not in used]
    for key in stale:
        del kept[key]
    used.clear()
    return len(stale)


class _Unkept(Exception):
    pass


def memoized(cache: Cache | None, key: Hashable, compute: Callable[[], tuple[T, bool]]) -> T:
    """`compute()`'s value through `cache` (if any). `compute` says whether its value may be kept:
    not when a file it read was not the bytes `key` names (it changed meanwhile); that value is
    used for this load only."""
    if cache is None:
        return compute()[0]
    unkept: list[T] = []

    def keep() -> T:
        value, keepable = compute()
        if not keepable:
            unkept.append(value)
            raise _Unkept
        return value

    try:
        return cache.get_or_compute(key, keep)
    except _Unkept:
        return unkept[0]


def digest(raw: bytes) -> bytes:
    """What a file's bytes are keyed by."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def scope(corpus_dir: Path, root: Path) -> tuple[Path, ...]:
    """What every key starts with: results hold paths made from `corpus_dir` and messages show
    them relative to `root`, so a load of another folder, or from another working folder, shares none."""
    return (corpus_dir, corpus_dir.absolute(), root, root.absolute())


def read_exactly(
    path: Path, raw: bytes, corpus_dir: Path, problems: Problems, model: type[Model], example: str
) -> tuple[YamlDoc | None, Model | None, bool]:
    """The YAML file `path`, validated as `model`, and whether what was read is `raw` (the bytes its
    result is kept by): False when the file changed since, and its result is not to be kept."""
    doc = load_yaml(path, problems, corpus_dir)
    read = doc.raw if doc is not None else read_confined(path, corpus_dir, Problems(problems.root))
    data = validate(model, doc, problems, example) if doc is not None else None
    return doc, data, read == raw


def changed_while_read(path: Path, problems: Problems) -> None:
    problems.add(
        path,
        None,
        "the file changed while the corpus was being read.",
        "Run the check or the build again once the file is saved.",
    )
