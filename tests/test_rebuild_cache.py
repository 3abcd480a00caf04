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


def test_a_serve_rebuild_writes_into_the_served_folder_only_what_changed(tmp_path: Path) -> None:
    """sitedir.sync: the served folder ends with what the build wrote aside; an unchanged file is not written
    again (the same inode: a reader holding it open reads the same file), a changed one replaces the old by
    a rename, a file the build no longer has goes, and the last search index and hidden entries stay."""
    site, staging = tmp_path / "site", tmp_path / "staging"
    for folder, files in (
        (
            site,
            {"same.html": "kept", "changed.html": "old", "gone/page.html": "x", "pagefind/pagefind.js": "old index"},
        ),
        (staging, {"same.html": "kept", "changed.html": "new, longer", "new/page.html": "added"}),
    ):
        for name, content in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(content)
    (site / ".git").mkdir()
    same_inode = (site / "same.html").stat().st_ino

    synced = sitedir.sync(staging, site, keep=["pagefind"])

    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "changed.html",
        "new/page.html",
        "pagefind/pagefind.js",
        "same.html",
    ]
    assert (site / "changed.html").read_text() == "new, longer" and (site / ".git").is_dir()
    assert (site / "same.html").stat().st_ino == same_inode
    assert (synced.written, synced.unchanged, synced.removed) == (2, 1, 1)
    assert synced.site_bytes == len("kept") + len("new, longer") + len("added")
    assert (staging / "same.html").exists()  # the caller deletes it

    # A build that has the kept entry replaces it; a file and a folder may trade places.
    (staging / "pagefind").mkdir()
    (staging / "pagefind" / "pagefind.js").write_text("new index")
    (staging / "new" / "page.html").unlink()
    (staging / "new").rmdir()
    (staging / "new").write_text("now a file")
    sitedir.sync(staging, site, keep=["pagefind"])
    assert (site / "pagefind" / "pagefind.js").read_text() == "new index"
    assert (site / "new").read_text() == "now a file"


def test_a_serve_build_writes_aside_in_memory_only_where_there_is_room(tmp_path: Path) -> None:
    memory, site = tmp_path / "memory", tmp_path / "served" / "mkdocs_x"
    memory.mkdir()
    site.mkdir(parents=True)
    roomy = sitedir.serve_staging_dir(site, 0, in_memory=memory)
    assert roomy.parent == memory and roomy.is_dir() and not any(roomy.iterdir())
    crowded = sitedir.serve_staging_dir(site, 1 << 60, in_memory=memory)  # twice that will not fit
    assert crowded.parent == site.parent
    missing = sitedir.serve_staging_dir(site, 0, in_memory=tmp_path / "no such folder")
    assert missing.parent == site.parent
