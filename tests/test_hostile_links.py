"""Symbolic links cannot publish a file from outside the corpus (or from outside docs/ and overrides/).

Git stores symbolic links, so a contributed corpus can hold one pointing at the build
machine's environment, its password file or the project's `.git/config`. Every corpus
path is tried as a link leading outside the corpus (refused, with file and line) and as
a link staying inside it (allowed); one real `mkdocs build --strict` shows that nothing
of the target reaches a published file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from counterpoint.checks import find_problems
from sitebuild import FIXTURES, build, prepare

VALID = FIXTURES / "errors" / "valid"
SECRET = "COUNTERPOINT_PLANTED_SECRET=hunter2"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(VALID / "corpus", tmp_path / "project" / "corpus")
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n", encoding="utf-8")
    return tmp_path / "project"


def _swap_for_link(path: Path, target: Path) -> None:
    """Put `path`'s content at `target` (unless it is there) and make `path` a link to it."""
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
    else:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    path.symlink_to(target)


def _outside(project: Path) -> Path:
    return project.parent / "outside"


# Each case links one corpus path to a copy of itself outside the corpus: valid content,
# so that the only problem left is where it lives.
OUTSIDE: dict[str, tuple[Callable[[Path], None], str, int | None]] = {
    "original": (
        lambda p: _swap_for_link(p / "corpus/texts/debate.txt", _outside(p) / "debate.txt"),
        "corpus/texts/debate.yml",
        1,
    ),
    "original to a secret": (
        lambda p: _swap_for_link(p / "corpus/texts/debate.txt", _outside(p) / "secret.txt"),
        "corpus/texts/debate.yml",
        1,
    ),
    "edition": (
        lambda p: _swap_for_link(p / "corpus/texts/debate.yml", _outside(p) / "debate.yml"),
        "corpus/texts/debate.yml",
        None,
    ),
    "annotations": (
        lambda p: _swap_for_link(p / "corpus/annotations/debate.yml", _outside(p) / "annotations.yml"),
        "corpus/annotations/debate.yml",
        None,
    ),
    "questions": (
        lambda p: _swap_for_link(p / "corpus/questions.yml", _outside(p) / "questions.yml"),
        "corpus/questions.yml",
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(OUTSIDE))
def test_a_link_leading_outside_the_corpus_is_refused_where_it_is_named(project: Path, case: str) -> None:
    make, file, line = OUTSIDE[case]
    make(project)
    problems = find_problems(project / "corpus", project)
    refusals = [p for p in problems if "leads outside the corpus folder" in p.message]
    assert [(p.file, p.line) for p in refusals] == [(file, line)], problems
    assert "Replace the link with a copy" in refusals[0].hint
    assert all(SECRET not in str(p) for p in problems)


def test_a_linked_folder_leading_outside_refuses_every_file_in_it(project: Path) -> None:
    _swap_for_link(project / "corpus/texts", _outside(project) / "texts")
    problems = find_problems(project / "corpus", project)
    refused = sorted(p.file for p in problems if "leads outside the corpus folder" in p.message)
    assert refused == ["corpus/texts/debate.yml"], problems  # the original is never reached


def test_links_that_stay_inside_the_corpus_are_read(project: Path) -> None:
    corpus = project / "corpus"
    (corpus / ".shared").mkdir()  # a hidden folder of the corpus, which the loader does not read itself
    (corpus / "texts/debate.txt").rename(corpus / ".shared/debate.txt")
    (corpus / "texts/debate.txt").symlink_to("../.shared/debate.txt")
    (corpus / "annotations/debate.yml").rename(corpus / ".shared/debate.yml")
    (corpus / "annotations/debate.yml").symlink_to(corpus / ".shared/debate.yml")
    assert find_problems(corpus, project) == []


def test_a_linked_corpus_folder_is_its_own_inside(project: Path, tmp_path: Path) -> None:
    linked = tmp_path / "elsewhere"
    (project / "corpus").rename(linked)
    (project / "corpus").symlink_to(linked)
    assert find_problems(project / "corpus", project) == []


def test_build_publishes_nothing_of_a_linked_secret_and_refuses_links_in_docs(tmp_path: Path) -> None:
    project = prepare(VALID, tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    original = project / "corpus/texts/debate.txt"
    original.unlink()
    original.symlink_to(secret)
    built = build(project)
    assert not built.ok
    assert "corpus/texts/debate.yml:1: `corpus/texts/debate.txt` is a symbolic link" in built.log
    assert SECRET not in built.log
    assert not built.site.exists() or not any(built.site.rglob("*"))

    # The corpus is mended; now a page of docs/ and a template of the theme's custom_dir are links.
    original.unlink()
    shutil.copy(VALID / "corpus/texts/debate.txt", original)
    (project / "docs/leak.md").symlink_to(secret)
    built = build(project)
    assert not built.ok
    assert "symbolic links leading outside their folder" in built.log
    assert f"leak.md -> {secret}" in built.log
    published = [p for p in built.site.rglob("*") if p.is_file()] if built.site.exists() else []
    assert all(SECRET not in p.read_text(encoding="utf-8", errors="replace") for p in published)
