"""`counterpoint check` and the build share one function, so a problem found by either is reported by both.

The build's checks before writing are `counterpoint.checks.load_checked`: loading
the corpus, then building the matrix, which re-verifies the evidence of every
stance. The loader already finds every problem the matrix check looks for, so to
see a problem that only the matrix check finds, these tests break the loader on
purpose: `anchoring.locate` is made to return a place one character short of the
quote. The loader accepts that place; the matrix's evidence check does not, and
both `counterpoint check` and `mkdocs build --strict` must say so, the same way.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import counterpoint.anchoring
from counterpoint import checks
from counterpoint.build import SiteBuild
from counterpoint.cli import main as counterpoint_main
from counterpoint.problems import CorpusError
from sitebuild import FIXTURES, prepare

VALID = FIXTURES / "errors" / "valid"

SHORTEN_THE_MATCH = textwrap.dedent(
    """
    from dataclasses import replace

    import counterpoint.anchoring as anchoring

    _locate = anchoring.locate

    def short_by_one(document, selector):
        found = _locate(document, selector)
        if isinstance(found, anchoring.Match) and selector.exact == "Soleimani resisted the empire":
            return replace(found, end=found.end - 1)
        return found

    anchoring.locate = short_by_one
    """
)
"""A loader bug, injected: the second voice's passage is anchored one character short."""

MATRIX_ONLY = [
    "corpus/annotations/debate.yml:11: passage `second-yes` gives a stance without evidence: its quote "
    "“Soleimani resisted the empire” is not what the text says there: “Soleimani resisted the empir”.",
    "    Every stance in the matrix must rest on the voice's own words. Check the passage's `quote:` against the "
    "text (`counterpoint check corpus` locates quotes), or remove its `stances:`.",
]


@pytest.fixture
def broken_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same injected bug as in the build's process below, undone after the test."""
    original = counterpoint.anchoring.locate
    exec(SHORTEN_THE_MATCH, {})  # replaces counterpoint.anchoring.locate
    patched = counterpoint.anchoring.locate
    counterpoint.anchoring.locate = original
    monkeypatch.setattr(counterpoint.anchoring, "locate", patched)


def test_the_check_command_and_the_build_call_the_same_function() -> None:
    """Neither has a private list of checks: both go through checks.load_checked."""
    import counterpoint.build
    import counterpoint.cli

    # Looked up by name: the module does not re-export it (mypy --strict would refuse the attribute).
    assert vars(counterpoint.build)["load_checked"] is checks.load_checked
    # cli imports it when the command runs (after checking that the packages it needs are installed).
    assert "from .checks import find_problems" in inspect.getsource(counterpoint.cli._check)


def test_a_valid_corpus_passes_both(capsys: pytest.CaptureFixture[str]) -> None:
    assert checks.find_problems(VALID / "corpus") == []
    assert counterpoint_main(["check", str(VALID / "corpus")]) == 0
    assert SiteBuild.load(VALID, use_directory_urls=True).files


@pytest.mark.usefixtures("broken_loader")
def test_a_problem_only_the_matrix_check_finds_is_reported_by_the_check_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    corpus = VALID / "corpus"
    # The loader alone lets it through (it raises CorpusError otherwise)...
    from counterpoint.corpus import load_corpus

    load_corpus(corpus)
    # ...the check command does not.
    assert counterpoint_main(["check", str(corpus)]) == 1
    report = capsys.readouterr().err
    assert "\n".join(MATRIX_ONLY) in report, report
    assert report.rstrip().endswith(f"1 problem found in {corpus}.")


@pytest.mark.usefixtures("broken_loader")
def test_a_problem_only_the_matrix_check_finds_stops_the_build_before_planning() -> None:
    with pytest.raises(CorpusError) as caught:
        SiteBuild.load(VALID, use_directory_urls=True)
    assert [str(p) for p in caught.value.problems] == ["\n".join(MATRIX_ONLY)]


def test_a_problem_only_the_matrix_check_finds_fails_mkdocs_build_strict(tmp_path: Path) -> None:
    """The real `mkdocs build --strict`, with the same loader bug injected in its process."""
    project = prepare(VALID, tmp_path)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("an earlier build", encoding="utf-8")
    code = SHORTEN_THE_MATCH + "\nfrom mkdocs.__main__ import cli\ncli()\n"
    result = subprocess.run(
        [sys.executable, "-c", code, "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},
        timeout=600,
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "ERROR   -  counterpoint: " + "\n".join(MATRIX_ONLY) in log, log
    assert "Counterpoint: 1 problem in the corpus (listed above); nothing was published." in log
    assert not (project / "site").exists(), "a failed build leaves no site behind"


def test_a_loader_problem_is_reported_once_by_each(capsys: pytest.CaptureFixture[str]) -> None:
    """When the corpus does not load, the matrix cannot be checked: only the loader's problems are listed."""
    corpus = FIXTURES / "errors" / "two-stances-one-question" / "corpus"
    problems = checks.find_problems(corpus)
    assert len(problems) == 1
    with pytest.raises(CorpusError) as caught:
        checks.load_checked(corpus)
    assert caught.value.problems == problems
