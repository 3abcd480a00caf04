"""The limits (counterpoint/settings.py): defaults, set from mkdocs.yml's `extra: counterpoint: limits:`, and the
errors an editor gets for a key or a value the build does not know."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from counterpoint.problems import CorpusError
from counterpoint.settings import DEFAULTS, Limits, limits_from_config, limits_from_file


def test_without_a_setting_the_defaults_hold() -> None:
    extras: list[dict[str, Any] | None] = [
        None,
        {},
        {"generator": False},
        {"counterpoint": {}},
        {"counterpoint": {"limits": None}},
    ]
    for extra in extras:
        assert limits_from_config(extra) == DEFAULTS == Limits()


def test_a_limit_set_in_mkdocs_yml_replaces_its_default_only() -> None:
    limits = limits_from_config({"generator": False, "counterpoint": {"limits": {"matrix_one_page_voices": 3}}})
    assert limits.matrix_one_page_voices == 3
    assert limits.question_page_bytes == Limits.question_page_bytes


def test_an_unknown_limit_is_named_with_a_guess_and_the_known_ones() -> None:
    with pytest.raises(CorpusError) as caught:
        limits_from_config({"counterpoint": {"limits": {"matrix_voices": 3, "home_text": 5}}})
    first, second = (str(p) for p in caught.value.problems)
    assert first.startswith(
        "mkdocs.yml: `extra.counterpoint.limits` has an unknown key `matrix_voices` (did you mean `map_voices`?)."
    )
    assert "Known limits: matrix_one_page_voices, matrix_page_bytes," in first
    assert "unknown key `home_text` (did you mean `home_texts`?)" in second


@pytest.mark.parametrize("value", [0, -1, 2.5, "3", True, None])
def test_a_limit_must_be_a_whole_number_of_at_least_one(value: object) -> None:
    with pytest.raises(CorpusError) as caught:
        limits_from_config({"counterpoint": {"limits": {"nav_texts": value}}})
    [problem] = caught.value.problems
    assert (
        problem.message
        == f"`extra.counterpoint.limits.nav_texts` must be a whole number of at least 1, not `{value!r}`."
    )


def test_limits_that_are_not_a_mapping_are_an_error() -> None:
    with pytest.raises(CorpusError, match="must be a mapping of limits to numbers, not list"):
        limits_from_config({"counterpoint": {"limits": [3]}})
    with pytest.raises(CorpusError, match=r"`extra\.counterpoint` must be a mapping"):
        limits_from_config({"counterpoint": "limits"})


def test_a_mkdocs_yml_is_read_without_running_mkdocs_tags(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        'site_url: !ENV [SITE_URL, ""]\nmarkdown_extensions:\n  - pymdownx.emoji:\n'
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  counterpoint:\n    limits:\n      nav_texts: 2\n",
        encoding="utf-8",
    )
    assert limits_from_file(config) == Limits(nav_texts=2)
    config.write_text("extra:\n  counterpoint: [\n", encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        limits_from_file(config)
    [problem] = caught.value.problems
    assert problem.file == "mkdocs.yml" and problem.line is not None and "not valid YAML" in problem.message
