"""The texts join the navigation through its configuration (counterpoint/navconfig.py)."""

from __future__ import annotations

from typing import Any

from counterpoint.navconfig import with_texts

INDEX = "texts/index.md"
PAGES = ["texts/a.md", "texts/b.md"]


def test_the_index_entry_becomes_a_section_headed_by_the_index_under_its_own_title() -> None:
    nav: list[Any] = ["index.md", {"Readings": INDEX}, {"About": ["method.md"]}]
    assert with_texts(nav, INDEX, PAGES) == [
        "index.md",
        {"Readings": [{"Readings": INDEX}, *PAGES]},
        {"About": ["method.md"]},
    ]
    assert nav == ["index.md", {"Readings": INDEX}, {"About": ["method.md"]}], "the configuration is not changed"


def test_a_bare_or_nested_index_entry_and_a_mapping_of_several_titles() -> None:
    assert with_texts([INDEX], INDEX, PAGES) == [{"Texts": [INDEX, *PAGES]}]
    nested: list[Any] = [{"Read": ["index.md", {"All": INDEX}]}]
    assert with_texts(nested, INDEX, PAGES) == [{"Read": ["index.md", {"All": [{"All": INDEX}, *PAGES]}]}]
    several: list[Any] = [{"Home": "index.md", "Texts": INDEX}]
    assert with_texts(several, INDEX, PAGES) == [{"Home": "index.md", "Texts": [{"Texts": INDEX}, *PAGES]}]


def test_only_the_first_entry_of_the_index_a_lists_own_entries_first() -> None:
    nav: list[Any] = [{"Deep": [{"Nested": INDEX}]}, {"Top": INDEX}]
    assert with_texts(nav, INDEX, PAGES) == [{"Deep": [{"Nested": INDEX}]}, {"Top": [{"Top": INDEX}, *PAGES]}]


def test_a_nav_without_the_index_is_left_as_it_was() -> None:
    assert with_texts(["index.md", {"About": ["method.md"]}], INDEX, PAGES) == ["index.md", {"About": ["method.md"]}]
