"""The rebuild cache (counterpoint/buildcache.py): what is kept, for how long, and when it is dropped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.buildcache import BuildCache, CacheKey, Product, StaleEntry, digest, fingerprint


@dataclass(frozen=True)
class Loaded:
    words: str


EDITION: Product[Loaded] = Product("edition")
PAGE: Product[str] = Product("page")


class Computer:
    """A computation that counts how often it ran."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, words: str) -> Loaded:
        self.runs += 1
        return Loaded(words.upper())


def test_a_value_is_computed_once_while_its_files_bytes_stay_the_same() -> None:
    cache = BuildCache()
    compute = Computer()
    for _ in range(3):
        cache.start(fingerprint("config"))
        key = EDITION.key(("corpus/texts/a.yml", b"slug: a\n"), ("corpus/texts/a.txt", b"Words."))
        assert cache.get_or_compute(key, lambda: compute("words")) == Loaded("WORDS")
        cache.finish()
    assert compute.runs == 1
    assert cache.stats.hit_count == 1 and cache.stats.miss_count == 0


def test_changed_bytes_in_any_input_file_compute_again_and_the_old_entry_goes() -> None:
    cache = BuildCache()
    compute = Computer()
    cache.start("f")
    cache.get_or_compute(EDITION.key(("a.yml", b"one"), ("a.txt", b"text")), lambda: compute("one"))
    cache.finish()
    cache.start("f")
    value = cache.get_or_compute(EDITION.key(("a.yml", b"one"), ("a.txt", b"text, edited")), lambda: compute("two"))
    stats = cache.finish()
    assert value == Loaded("TWO") and compute.runs == 2
    assert stats.misses["edition"] == 1 and stats.evicted == 1 and len(cache) == 1


def test_the_same_bytes_at_another_path_are_another_entry() -> None:
    # Problems name their file and line: a product of a.yml is not one of b.yml.
    first, second = EDITION.key(("a.yml", b"same")), EDITION.key(("b.yml", b"same"))
    assert first != second
    assert EDITION.key((PurePosixPath("corpus/a.yml"), b"x")) == EDITION.key(("corpus/a.yml", b"x"))


def test_products_of_one_file_are_kept_apart() -> None:
    cache = BuildCache()
    cache.start("f")
    files = ("a.yml", b"slug: a\n")
    assert cache.get_or_compute(EDITION.key(files), lambda: Loaded("x")) == Loaded("x")
    assert cache.get_or_compute(PAGE.key(files), lambda: "<p>x</p>") == "<p>x</p>"
    assert len(cache) == 2


def test_extra_dependencies_are_part_of_the_key() -> None:
    cache = BuildCache()
    cache.start("f")
    files = ("annotations/a.yml", b"passages: []\n")
    cache.get_or_compute(PAGE.key(files, extra=fingerprint("questions v1")), lambda: "v1")
    assert cache.get_or_compute(PAGE.key(files, extra=fingerprint("questions v2")), lambda: "v2") == "v2"


def test_a_new_fingerprint_drops_everything() -> None:
    cache = BuildCache()
    compute = Computer()
    key = EDITION.key(("a.yml", b"one"))
    cache.start(fingerprint({"use_directory_urls": True, "site_url": ""}))
    cache.get_or_compute(key, lambda: compute("one"))
    cache.finish()
    cache.start(fingerprint({"use_directory_urls": False, "site_url": ""}))
    assert cache.stats.dropped == 1 and len(cache) == 0
    cache.get_or_compute(key, lambda: compute("one"))
    assert compute.runs == 2


def test_a_failed_computation_is_not_kept_and_a_failed_build_evicts_nothing() -> None:
    cache = BuildCache()
    cache.start("f")
    kept = EDITION.key(("a.yml", b"fine"))
    cache.get_or_compute(kept, lambda: Loaded("fine"))
    cache.finish()

    cache.start("f")
    broken = EDITION.key(("b.yml", b"broken"))

    def fail() -> Loaded:
        raise ValueError("not YAML")

    with pytest.raises(ValueError):
        cache.get_or_compute(broken, fail)
    assert cache.stats.failures == 1 and len(cache) == 1
    # The build stops here without finish(): a.yml's entry, not asked for yet, stays.
    cache.start("f")
    compute = Computer()
    cache.get_or_compute(kept, lambda: compute("fine"))
    assert compute.runs == 0


def test_finish_keeps_only_what_the_build_asked_for() -> None:
    cache = BuildCache()
    cache.start("f")
    for name in ("a", "b", "c"):
        cache.get_or_compute(EDITION.key((f"{name}.yml", b"x")), lambda name=name: Loaded(name))  # type: ignore[misc]
    cache.finish()
    cache.start("f")
    cache.get_or_compute(EDITION.key(("a.yml", b"x")), lambda: Loaded("new"))  # b and c deleted since
    stats = cache.finish()
    assert stats.evicted == 2 and stats.entries == 1 and stats.hits["edition"] == 1
    assert "1 reused, 0 computed" in stats.summary() and "2 no longer needed" in stats.summary()


def test_verify_catches_a_key_that_leaves_out_a_dependency() -> None:
    cache = BuildCache(verify=True)
    outside = {"questions": "v1"}
    key = PAGE.key(("annotations/a.yml", b"passages: []\n"))  # forgets questions.yml
    cache.start("f")
    cache.get_or_compute(key, lambda: outside["questions"])
    cache.finish()
    cache.start("f")
    assert cache.get_or_compute(key, lambda: outside["questions"]) == "v1"  # same: fine
    outside["questions"] = "v2"
    with pytest.raises(StaleEntry, match=r"annotations/a\.yml"):
        cache.get_or_compute(key, lambda: outside["questions"])


def test_asking_before_start_is_refused() -> None:
    with pytest.raises(RuntimeError, match="start"):
        BuildCache().get_or_compute(PAGE.key(("a", b"")), lambda: "x")


def test_fingerprints_are_stable_and_refuse_what_has_no_stable_form() -> None:
    assert fingerprint({"b": 1, "a": [True, None, "x"]}) == fingerprint({"a": [True, None, "x"], "b": 1})
    assert fingerprint(PurePosixPath("corpus")) == fingerprint("corpus")
    assert fingerprint("1") != fingerprint(1)
    with pytest.raises(TypeError):
        fingerprint(object())
    with pytest.raises(TypeError):
        fingerprint({"a", "b"})
    with pytest.raises(TypeError):
        fingerprint({1: "a"})


def test_keys_are_typed_by_product() -> None:
    key: CacheKey[Loaded] = EDITION.key(("a.yml", b""))
    assert key.product == "edition" and key.inputs == (("a.yml", digest(b"")),)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from("abcd"), st.binary(max_size=3)), max_size=4, unique_by=lambda f: f[0]),
        min_size=1,
        max_size=6,
    )
)
def test_whatever_the_sequence_of_builds_a_value_is_what_its_files_bytes_give(
    builds: list[list[tuple[str, bytes]]],
) -> None:
    """Over any sequence of builds (files added, changed, deleted), each value equals a fresh computation,
    a file's value is computed again only when its bytes changed, and nothing outlives its file."""
    cache = BuildCache()
    previous: dict[str, bytes] = {}
    for files in builds:
        cache.start("f")
        computed = 0
        for name, content in files:

            def compute(name: str = name, content: bytes = content) -> str:
                nonlocal computed
                computed += 1
                return f"{name}:{content.hex()}"

            assert cache.get_or_compute(PAGE.key((f"{name}.yml", content)), compute) == f"{name}:{content.hex()}"
        stats = cache.finish()
        current = dict(files)
        assert computed == sum(1 for name, content in current.items() if previous.get(name) != content)
        assert stats.entries == len(current) == len(cache)
        previous = current
