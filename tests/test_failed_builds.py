"""A failed `mkdocs build` leaves no site that could be published by mistake."""

from __future__ import annotations

from pathlib import Path

import yaml

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


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _add_hook(project: Path, source: str) -> None:
    hook = project / "extra_hook.py"
    hook.write_text(source, encoding="utf-8")
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["hooks"].append(str(hook))
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _remove_hook(project: Path) -> None:
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["hooks"] = [h for h in config["hooks"] if not h.endswith("extra_hook.py")]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


INTERRUPT = """
written = 0


def on_post_page(output, page, **kwargs):
    global written
    written += 1
    if written == 3:  # some pages are written by now
        raise KeyboardInterrupt  # as if the editor pressed Ctrl-C
    return output
"""


def test_an_interrupted_build_leaves_the_last_complete_site_as_it_was(tmp_path: Path) -> None:
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    first = build(project)
    assert first.ok, first.log
    complete = _files(first.site)
    _add_hook(project, INTERRUPT)
    interrupted = build(project, cli=True)  # Ctrl-C is the command's to handle
    assert not interrupted.ok and "Aborted!" in interrupted.log  # what click says on Ctrl-C
    assert _files(interrupted.site) == complete, "an interrupted build must not touch the last complete site"
    staging = project / ".site.building"
    assert any(staging.rglob("*.html")), "the interrupted build's own files wait aside, in a hidden folder"
    _remove_hook(project)
    again = build(project)
    assert again.ok, again.log
    assert not staging.exists(), "the next build clears what an interrupted one left"


def test_the_site_folders_hidden_entries_are_kept(tmp_path: Path) -> None:
    """As MkDocs does when it cleans the folder: a deployment checkout's .git must survive every build."""
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    head = project / "site" / ".git" / "HEAD"
    head.parent.mkdir(parents=True)
    head.write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    built = build(project)
    assert built.ok, built.log
    assert head.is_file() and (built.site / "index.html").is_file()
    edition = next((project / "corpus" / "texts").glob("*.yml"))
    edition.write_text(edition.read_text(encoding="utf-8") + "\nunknown_key: 1\n", encoding="utf-8")
    failed = build(project)
    assert not failed.ok
    assert head.is_file() and not (failed.site / "index.html").exists()
