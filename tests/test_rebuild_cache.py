"""The plugin's corpus cache (issue 15): kept between the rebuilds of one `mkdocs serve`, and only there.

The builds run in this process, as `mkdocs serve` runs its rebuilds (one plugin object, MkDocs
loads a hook once per process), and the INFO line the plugin logs after each load says how much
was reused. That the rebuilt site equals a clean build is tests/test_serve_rebuilds.py's to check.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from counterpoint import sitedir
from sitebuild import FIXTURES, prepare

REUSE = re.compile(r"Corpus: (\d+) results reused from the previous build, (\d+) computed, (\d+) dropped\.")


def _build(project: Path, caplog: pytest.LogCaptureFixture, command: str) -> list[tuple[int, int, int]]:
    """One build as `mkdocs serve` (command="serve") or `mkdocs build` runs it; the reuse lines it logged."""
    caplog.clear()
    config = load_config(config_file=str(project / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
    return [(int(m[1]), int(m[2]), int(m[3])) for record in caplog.records if (m := REUSE.search(record.getMessage()))]


def test_a_rebuild_after_an_annotation_edit_computes_only_what_depends_on_that_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = prepare(FIXTURES / "matrix", tmp_path)
    [(reused, computed, _)] = _build(project, caplog, "serve")
    assert reused == 0 and computed > 0
    everything = computed

    # Nothing changed: everything is reused, nothing computed or dropped.
    assert _build(project, caplog, "serve") == [(everything, 0, 0)]

    # One note edited: the results of that annotation file are computed again, the old ones dropped.
    annotations = project / "corpus" / "annotations" / "alpha.yml"
    source = annotations.read_text(encoding="utf-8")
    edited = source.replace("  - id: alpha-sky\n", "  - id: alpha-sky\n    note: Edited while served.\n", 1)
    assert edited != source
    annotations.write_text(edited, encoding="utf-8")
    [(reused, computed, dropped)] = _build(project, caplog, "serve")
    assert reused + computed == everything
    assert 0 < computed < everything / 2 and dropped == computed


def test_mkdocs_build_keeps_no_cache(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = prepare(FIXTURES / "matrix", tmp_path)
    _build(project, caplog, "serve")
    assert _build(project, caplog, "build") == []  # no cache passed, so no reuse line
    [(reused, computed, _)] = _build(project, caplog, "serve")
    assert reused == 0 and computed > 0  # the serve build before the build left nothing behind


def test_another_project_starts_from_an_empty_cache(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    first = prepare(FIXTURES / "matrix", tmp_path / "first")
    second = prepare(FIXTURES / "matrix", tmp_path / "second")
    _build(first, caplog, "serve")
    [(reused, computed, _)] = _build(second, caplog, "serve")
    assert reused == 0 and computed > 0


def test_publishing_a_rebuild_keeps_the_named_entries_the_build_has_none_of(tmp_path: Path) -> None:
    """What keeps the last search index served until a rebuild's own is swapped in."""
    site, staging = tmp_path / "site", tmp_path / ".site.building"
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "pagefind.js").write_text("old index")
    (site / "gone.html").write_text("a page no longer built")
    (staging / "texts").mkdir(parents=True)
    (staging / "texts" / "index.html").write_text("new")
    sitedir.publish(staging, site, keep=["pagefind"])
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "pagefind/pagefind.js",
        "texts/index.html",
    ]
    assert not staging.exists()

    # A build that has the entry replaces it.
    (staging / "pagefind").mkdir(parents=True)
    (staging / "pagefind" / "pagefind.js").write_text("new index")
    sitedir.publish(staging, site, keep=["pagefind"])
    assert (site / "pagefind" / "pagefind.js").read_text() == "new index"
    assert not (site / "texts").exists()
