"""A rebuild of `mkdocs serve` written without MkDocs (counterpoint/quickrebuild.py), in the pure layer: which
edits it writes, and what, and which it declines. That the served folder then equals a clean build's is
tests/test_serve_rebuilds.py's to check, with MkDocs' real output around each page's content."""

from __future__ import annotations

import shutil
from pathlib import Path

from ruamel.yaml import YAML

from counterpoint import quickrebuild
from counterpoint.build import SiteBuild
from counterpoint.memo import Memo
from counterpoint.pagecache import PageCache
from counterpoint.site import ANNOTATIONS_JSONLD
from sitebuild import FIXTURES

_yaml = YAML()


def _load(project: Path, memo: Memo, pages: PageCache) -> SiteBuild:
    return SiteBuild.load(project, True, "", None, memo, pages)


def _published(planned: SiteBuild) -> quickrebuild.Published:
    """As the plugin keeps a build: each page's file is its content between two fixed strings."""
    pages = {src: generated.page() for src, generated in planned.files.items() if generated.page is not None}
    published = quickrebuild.published(
        "outside",
        planned,
        {src: f"{src}.html" if src in pages else src for src in planned.files},
        pages,
        lambda src: (f"<before {src}>", "<after>"),
        {},
    )
    assert published is not None
    return published


def _edit(path: Path, change: object) -> None:
    data = _yaml.load(path)
    change(data)  # type: ignore[operator]
    _yaml.dump(data, path)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "matrix" / "corpus", project / "corpus")
    return project


def test_a_note_edited_writes_its_text_page_and_the_export_only(tmp_path: Path) -> None:
    project, memo, pages = _project(tmp_path), Memo(), PageCache()
    published = _published(_load(project, memo, pages))
    alpha = project / "corpus" / "annotations" / "alpha.yml"
    _edit(alpha, lambda d: next(p for p in d["passages"] if p["id"] == "alpha-sky").__setitem__("note", "Edited <b>"))

    planned = _load(project, memo, pages)
    found = quickrebuild.changes(published, planned)

    assert isinstance(found, quickrebuild.Changes)
    assert sorted(found.files) == [ANNOTATIONS_JSONLD, "texts/alpha.md.html"] and found.pages == 1
    page = found.files["texts/alpha.md.html"].decode()
    assert page.startswith("<before texts/alpha.md>") and page.endswith("<after>")
    assert "Edited &lt;b&gt;" in page  # the page's new content, as rendered
    # What was written is what is published now: the same edit again writes nothing.
    again = quickrebuild.changes(published, _load(project, memo, pages))
    assert isinstance(again, quickrebuild.Changes) and again.files == {}


def test_what_changes_the_site_s_shape_is_declined(tmp_path: Path) -> None:
    project, memo, pages = _project(tmp_path), Memo(), PageCache()
    published = _published(_load(project, memo, pages))

    outside_changed = quickrebuild.rebuild(published, "another configuration", lambda: _load(project, memo, pages))
    assert outside_changed == quickrebuild.Declined("a file outside the corpus changed")

    beta = project / "corpus" / "texts" / "beta.yml"
    _edit(beta, lambda d: d.__setitem__("title", "Beta, retitled"))
    declined = quickrebuild.changes(published, _load(project, memo, pages))
    assert isinstance(declined, quickrebuild.Declined) and "texts/beta.md" in declined.reason

    shutil.copytree(FIXTURES / "matrix" / "corpus" / "texts", project / "corpus" / "texts", dirs_exist_ok=True)
    (project / "corpus" / "texts" / "gamma.yml").unlink()
    (project / "corpus" / "texts" / "gamma.txt").unlink()
    declined = quickrebuild.changes(published, _load(project, memo, pages))
    assert declined == quickrebuild.Declined("pages or files were added or removed")


def test_a_page_whose_file_did_not_hold_its_content_as_it_is_is_declined(tmp_path: Path) -> None:
    project, memo, pages = _project(tmp_path), Memo(), PageCache()
    published = _published(_load(project, memo, pages))
    last = published.pages["texts/alpha.md"]
    published.pages["texts/alpha.md"] = quickrebuild.PublishedPage(last.dest_uri, last.rendered, None)
    alpha = project / "corpus" / "annotations" / "alpha.yml"
    _edit(alpha, lambda d: next(p for p in d["passages"] if p["id"] == "alpha-sky").__setitem__("note", "Edited"))

    declined = quickrebuild.changes(published, _load(project, memo, pages))

    assert isinstance(declined, quickrebuild.Declined) and "texts/alpha.md" in declined.reason
    assert published.pages["texts/alpha.md"].rendered is last.rendered  # nothing of a declined rebuild is kept


def test_files_outside_the_corpus_are_told_apart_by_size_and_time(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("Home")
    before = quickrebuild.outside_corpus(("mkdocs.yml", b"digest"), [docs, None, tmp_path / "no overrides"])
    assert before == quickrebuild.outside_corpus(("mkdocs.yml", b"digest"), [docs, None])
    (docs / "index.md").write_text("Home, edited")
    assert before != quickrebuild.outside_corpus(("mkdocs.yml", b"digest"), [docs, None])
