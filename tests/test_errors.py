"""Loud errors: each kind of bad input fails the build with a message an editor can act on.

Every scenario is a case file, tests/fixtures/errors/<scenario>.yml, holding only what it
breaks in the one valid project, tests/fixtures/errors/valid/ (`change:` replaces text found
exactly once in a file, `delete:` removes a file, `add:` writes a new one), and the report expected (`problems:`, the
count; `report:`, consecutive lines; `then:`, the lines of the problem listed next; `also:`,
further lines). For each,
`mkdocs build --strict` must fail and log exactly the expected lines (file, line,
what is wrong, how to fix it), publish nothing, and `counterpoint check` must
print the same lines and exit with status 1. The expected problem count guards
against follow-on errors that would bury the real one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from counterpoint.cli import main as counterpoint_main
from sitebuild import FIXTURES, Built, build_fixture

ERRORS = FIXTURES / "errors"
VALID = ERRORS / "valid"


@dataclass(frozen=True)
class Expected:
    count: int
    """How many problems the build and the check report in all."""
    lines: list[str]
    """Consecutive lines of the report: `file:line: message`, then the hint, indented."""
    then: list[str]
    """The lines of the problem listed right after those of `lines` (a cause comes before what follows it)."""
    also: list[str]
    """Further whole lines of the report (the follow-on problems that `count` includes)."""


@dataclass(frozen=True)
class Case:
    """tests/fixtures/errors/<name>.yml: what to change in valid/ and the report expected of it."""

    name: str
    change: dict[str, list[dict[str, str]]]
    """For each file of valid/, text to replace (found exactly once) and what replaces it."""
    delete: list[str]
    add: dict[str, str]
    """Files that are not in valid/, and what they hold: a text an editor adds, with its annotations."""
    expected: Expected

    @classmethod
    def read(cls, path: Path) -> Case:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        unknown = set(data) - {"change", "delete", "add", "problems", "report", "then", "also"}
        assert not unknown, f"{path}: unknown keys {unknown}"
        expected = Expected(data["problems"], data["report"], data.get("then", []), data.get("also", []))
        return cls(path.stem, data.get("change", {}), data.get("delete", []), data.get("add", {}), expected)

    def write(self, folder: Path) -> Path:
        """The valid project with this case's changes, as a fixture project in `folder`."""
        shutil.copytree(VALID, folder)
        for name in self.delete:
            (folder / name).unlink()
        for name, edits in self.change.items():
            file = folder / name
            text = file.read_text(encoding="utf-8")
            for edit in edits:
                assert text.count(edit["replace"]) == 1, f"{self.name}: {edit['replace']!r} is not once in {name}"
                text = text.replace(edit["replace"], edit["with"])
            file.write_text(text, encoding="utf-8")
        for name, text in self.add.items():
            file = folder / name
            assert not file.exists(), f"{self.name}: {name} is in valid/ already: change it instead"
            file.write_text(text, encoding="utf-8")
        return folder


CASES = {case.name: case for case in map(Case.read, sorted(ERRORS.glob("*.yml")))}
SCENARIOS = {name: case.expected for name, case in CASES.items()}

LOG_PREFIX = "ERROR   -  counterpoint: "
"""How MkDocs prints a problem logged by the hook: the first line of the problem follows it."""


def _report(lines: list[str]) -> str:
    return "\n".join(lines)


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each scenario's project (valid/ with the case's changes), and valid/ itself."""
    made = {name: case.write(tmp_path_factory.mktemp(name) / "fixture") for name, case in CASES.items()}
    return {"valid": VALID, **made}


@pytest.fixture(scope="module")
def builds(projects: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Every scenario (and the valid corpus) built once, in this process (tests/sitebuild.py)."""
    return {
        name: build_fixture(projects[name], tmp_path_factory.mktemp(f"{name}-build")) for name in ["valid", *SCENARIOS]
    }


def test_every_scenario_has_a_case_and_changes_the_valid_project(projects: dict[str, Path]) -> None:
    on_disk = {p.name for p in ERRORS.iterdir()}
    assert on_disk == {"valid", *(f"{name}.yml" for name in SCENARIOS)}, "one case file per scenario, one project"
    for name, case in CASES.items():
        assert case.change or case.delete or case.add, f"{name}.yml changes nothing"
        assert case.expected.count >= 1 and case.expected.lines, f"{name}.yml expects no problem"


def test_the_valid_corpus_builds_and_checks(builds: dict[str, Built], capsys: pytest.CaptureFixture[str]) -> None:
    """Each scenario breaks one thing in this corpus, so this must be clean."""
    built = builds["valid"]
    assert built.ok, built.log
    assert "WARNING" not in built.log and "ERROR" not in built.log
    assert counterpoint_main(["check", str(VALID / "corpus")]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_build_fails_with_the_exact_message(builds: dict[str, Built], scenario: str) -> None:
    built = builds[scenario]
    expected = SCENARIOS[scenario]
    assert not built.ok, f"{scenario}: the build succeeded\n{built.log}"
    assert LOG_PREFIX + _report(expected.lines) in built.log, built.log
    if expected.then:
        after = built.log.index(LOG_PREFIX + _report(expected.lines)) + len(LOG_PREFIX + _report(expected.lines))
        assert built.log[after:].startswith("\n" + LOG_PREFIX + _report(expected.then)), built.log
    for line in SCENARIOS[scenario].also:
        assert LOG_PREFIX + line in built.log.splitlines(), built.log
    noun = "problem" if expected.count == 1 else "problems"
    assert f"Counterpoint: {expected.count} {noun} in the corpus (listed above); nothing was published." in built.log
    assert built.log.count(LOG_PREFIX) == expected.count, built.log
    assert not built.site.exists(), "a failed build must not leave a site behind"


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_counterpoint_check_reports_the_same(
    projects: dict[str, Path], scenario: str, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = SCENARIOS[scenario]
    corpus = projects[scenario] / "corpus"
    assert counterpoint_main(["check", str(corpus)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    report = captured.err
    assert _report(expected.lines + expected.then) in report, report
    for line in SCENARIOS[scenario].also:
        assert line in report.splitlines(), report
    noun = "problem" if expected.count == 1 else "problems"
    assert report.rstrip().endswith(f"{expected.count} {noun} found in {corpus}."), report


def test_the_installed_command_exits_with_status_1(projects: dict[str, Path]) -> None:
    """The same through the real entry point, as an editor or CI runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "counterpoint", "check", "corpus"],
        cwd=projects["relation-to-itself"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert _report(SCENARIOS["relation-to-itself"].lines) in result.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "counterpoint", "check", "corpus"],
        cwd=VALID,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "corpus: no problems found."
