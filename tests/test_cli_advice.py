"""`counterpoint` run from the wrong folder, or from a Python without its packages, says what to do."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from counterpoint import cli

CORPUS = Path(__file__).resolve().parent / "fixtures" / "matrix" / "corpus"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder as an editor has it: mkdocs.yml beside corpus/, and another folder (docs/)."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    return tmp_path


def test_check_from_inside_a_corpus_without_a_project_names_the_corpus_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CORPUS)
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert "inside the corpus folder" in err and f"`counterpoint check {CORPUS}`" in err
    monkeypatch.chdir(CORPUS / "texts")
    assert cli.main(["check"]) == 1
    assert f"inside the corpus folder {CORPUS}" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["corpus", "corpus/texts", "corpus/annotations"])
def test_check_from_inside_the_corpus_names_the_project_folder(
    project: Path, where: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / where)
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "corpus: there is no such folder here, because you are inside the corpus folder; the project folder "
        f"(the one with mkdocs.yml) is {project}.",
        f"Run the command from there: `cd {project}` then `counterpoint check`.",
    ]


@pytest.mark.parametrize("command", [["requote"], ["suggest", "some-passage"], ["review"], ["edit"]])
def test_every_command_says_where_to_run_it(
    project: Path, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "docs")
    assert cli.main(command) == 1
    err = capsys.readouterr().err
    assert "because you are in a folder below the project" in err, err
    assert f"`cd {project}` then `counterpoint {command[0]}`" in err
    assert not (project / "docs" / "review.html").exists()


def test_check_in_the_project_folder_runs(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    assert cli.main(["check"]) == 0
    assert capsys.readouterr().out.strip() == "corpus: no problems found."


def test_a_missing_package_is_named_with_what_to_do(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(cli.DEPENDENCIES, "counterpoint_no_such_module", "no-such-package")
    monkeypatch.chdir(ROOT)
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert f"this Python ({sys.executable}) does not have `no-such-package`" in err
    assert "virtual environment" in err and "/bin/activate`" in err


def test_python_m_counterpoint_without_the_packages_says_so_without_a_traceback(tmp_path: Path) -> None:
    # -S: no site-packages, as a system Python without the virtual environment; the package itself is
    # found from the current folder, as `python -m counterpoint` run in the project finds it.
    result = subprocess.run(
        [sys.executable, "-S", "-m", "counterpoint", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "does not have `" in result.stderr and "`pydantic`" in result.stderr
    assert ". " in result.stderr and "/bin/activate`" in result.stderr
