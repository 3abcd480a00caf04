"""A failed `mkdocs build` leaves no site that could be published by mistake."""

from __future__ import annotations

from pathlib import Path

from sitebuild import FIXTURES, build, prepare


def test_a_corpus_problem_removes_the_previous_site(tmp_path: Path) -> None:
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    first = build(project)
    assert first.ok, first.log
    assert (first.site / "index.html").exists()
    edition = next((project / "corpus" / "texts").glob("*.yml"))
    edition.write_text(edition.read_text(encoding="utf-8") + "\nunknown_key: 1\n", encoding="utf-8")
    second = build(project)
    assert not second.ok
    assert "unknown key `unknown_key`" in second.log
    assert not second.site.exists(), "the site of the previous build must not survive a failed build"


def test_a_strict_warning_removes_the_half_written_site(tmp_path: Path) -> None:
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    (project / "docs" / "broken-link.md").write_text("# Broken\n\n[nowhere](missing-page.md)\n", encoding="utf-8")
    built = build(project)
    assert not built.ok
    assert "missing-page.md" in built.log
    assert not built.site.exists()
