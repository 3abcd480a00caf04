"""Every way MkDocs is started does the right thing with its site folder, and with a failed build.

- `mkdocs build`: writes aside, moves a complete site into place; a failed build leaves no site.
- `mkdocs gh-deploy`: the same, and pushes only a complete site; nothing when the build fails.
- `mkdocs serve`, `serve --clean` (whose plugins MkDocs starts with command="build") and
  `serve --dirty`: a failed rebuild never empties the folder being served nor stalls a request;
  the last complete site is served with the problems in the page, until a rebuild succeeds.

A slot unknown to the hook in docs/index.md fails the build after MkDocs has cleaned its
output folder (while it reads the pages), which is what emptied the served folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from serving import serving

from sitebuild import FIXTURES, build, prepare

PANEL = 'id="cp-live-problems"'
SLOT = "<!-- counterpoint: texts -->"
TEXT = "texts/debate/"
TEXT_WORDS = "Soleimani was no anti-imperialist"


def _break_a_page(project: Path) -> str:
    index = project / "docs" / "index.md"
    original = index.read_text(encoding="utf-8")
    assert SLOT in original
    index.write_text(original.replace(SLOT, "<!-- counterpoint: nope -->"), encoding="utf-8")
    return original


def _break_the_corpus(project: Path) -> str:
    edition = project / "corpus" / "texts" / "debate.yml"
    original = edition.read_text(encoding="utf-8")
    edition.write_text(original + "unknown_key: 1\n", encoding="utf-8")
    return original


@pytest.mark.parametrize("flags", [(), ("--clean",), ("--dirty",)], ids=["serve", "serve-clean", "serve-dirty"])
def test_serve_keeps_the_last_site_and_shows_what_failed(flags: tuple[str, ...], tmp_path: Path) -> None:
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    command = [sys.executable, "-m", "mkdocs", "serve", "--no-strict", *flags]
    with serving(project, command) as server:
        status, page = server.get(TEXT)
        assert status == 200 and TEXT_WORDS in page and PANEL not in page

        index = project / "docs" / "index.md"
        original = _break_a_page(project)
        # Each get() fails the test if the server takes more than 15 s to answer.
        server.wait_for("the failed rebuild shown in the page", lambda: PANEL in server.get("")[1])
        status, page = server.get(TEXT)
        assert status == 200, f"the served folder lost its pages ({status}):\n{server.log}"
        assert TEXT_WORDS in page and PANEL in page
        assert "unknown slot" in page and "docs/index.md" in page
        assert not any(project.parent.glob(".*.building")), "no staging folder beside the project"

        index.write_text(original, encoding="utf-8")
        server.wait_for("the page back without problems", lambda: PANEL not in server.get("")[1])

        edition = project / "corpus" / "texts" / "debate.yml"
        original = _break_the_corpus(project)
        server.wait_for("the corpus problem shown in the page", lambda: PANEL in server.get(TEXT)[1])
        page = server.get(TEXT)[1]
        assert "corpus/texts/debate.yml:" in page and "unknown_key" in page
        assert TEXT_WORDS in page
        edition.write_text(original, encoding="utf-8")
        server.wait_for("the page back without problems", lambda: PANEL not in server.get(TEXT)[1])
        assert server.get("pagefind/pagefind-entry.json")[0] == 200


def test_build_moves_a_complete_site_into_place_and_a_failed_one_leaves_none(tmp_path: Path) -> None:
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    built = build(project)
    assert built.ok, built.log
    assert TEXT_WORDS in built.html(TEXT) and PANEL not in built.html(TEXT)
    assert "_workbench" not in built.html(TEXT), "a built site never contains the editing layer"
    assert not (project / ".site.building").exists()
    _break_a_page(project)
    failed = build(project)
    assert not failed.ok and "unknown slot" in failed.log
    assert not failed.site.exists() and not (project / ".site.building").exists()


def _git(folder: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    result = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, env=env, check=True)
    return result.stdout


def _gh_deploy(project: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    command = [sys.executable, "-m", "mkdocs", "gh-deploy", "--strict", "--force", "--remote-name", "origin"]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=600)


def test_gh_deploy_pushes_a_complete_site_and_nothing_when_the_build_fails(tmp_path: Path) -> None:
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    remote = tmp_path / "remote.git"
    _git(tmp_path, "init", "--quiet", "--bare", str(remote))
    _git(project, "init", "--quiet")
    _git(project, "add", "-A")
    _git(project, "commit", "--quiet", "-m", "project")
    _git(project, "remote", "add", "origin", str(remote))

    deployed = _gh_deploy(project)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    pushed = set(_git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert {"index.html", "texts/debate/index.html", "pagefind/pagefind-entry.json", "404.html"} <= pushed
    assert not any(".building" in name for name in pushed)
    assert TEXT_WORDS in _git(remote, "show", "gh-pages:texts/debate/index.html")
    assert (project / "site" / "index.html").is_file() and not (project / ".site.building").exists()
    head = _git(remote, "rev-parse", "gh-pages")

    _break_a_page(project)
    failed = _gh_deploy(project)
    assert failed.returncode != 0 and "unknown slot" in failed.stdout + failed.stderr
    assert _git(remote, "rev-parse", "gh-pages") == head, "a failed build pushed something"
    assert not (project / "site").exists() and not (project / ".site.building").exists()
