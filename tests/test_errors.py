"""Loud errors: each kind of bad input fails the build with a message an editor can act on.

Every scenario is a tiny project under tests/fixtures/errors/<scenario>/: a copy of
the valid corpus in tests/fixtures/errors/valid/ with one thing broken. For each,
`mkdocs build --strict` must fail and log exactly the expected lines (file, line,
what is wrong, how to fix it), publish nothing, and `counterpoint check` must
print the same lines and exit with status 1. The expected problem count guards
against follow-on errors that would bury the real one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from counterpoint.cli import main as counterpoint_main
from sitebuild import FIXTURES, Built, build_fixture

ERRORS = FIXTURES / "errors"


@dataclass(frozen=True)
class Expected:
    count: int
    """How many problems the build and the check report in all."""
    lines: list[str]
    """Consecutive lines of the report: `file:line: message`, then the hint, indented."""


SCENARIOS: dict[str, Expected] = {
    "voice-of-another-part": Expected(
        1,
        [
            "corpus/annotations/debate.yml:5: passage `first-no` says `voice: second`, "
            "but its quote is in the part of the text that belongs to `first`.",
            "    Remove `voice:` (it is found from the quote) or correct it; voices of this text: first, second.",
        ],
    ),
    "voice-that-does-not-exist": Expected(
        1,
        [
            "corpus/annotations/debate.yml:5: passage `first-no` says `voice: third`, "
            "but this text has no voice `third` (its quote is in the part that belongs to `first`).",
            "    Remove `voice:` (it is found from the quote) or correct it; voices of this text: first, second.",
        ],
    ),
    "unknown-question": Expected(
        1,
        [
            "corpus/annotations/debate.yml:6: passage `first-no` takes a stance on question `soleiman`, "
            "but corpus/questions.yml has no question with that id (did you mean `soleimani`?).",
            "    Known questions: soleimani, strike.",
            "    If the question was renamed, use its new id; if it was removed, "
            "remove `soleiman: repressor` from this passage's `stances:`.",
        ],
    ),
    "unknown-stance": Expected(
        1,
        [
            "corpus/annotations/debate.yml:6: passage `first-no`: question `soleimani` has no stance `oppressor` "
            "(did you mean `repressor`?).",
            "    Its stances: resister, repressor. New stances are added in corpus/questions.yml.",
        ],
    ),
    "unknown-relation-target": Expected(
        1,
        [
            "corpus/annotations/debate.yml:15: passage `second-yes` opposes `first-yes`, but no passage has that id.",
            "    Use the `id` of a passage declared in corpus/annotations/.",
        ],
    ),
    "quote-not-found": Expected(
        1,
        [
            "corpus/annotations/debate.yml:4: passage `first-no`: the quote is not in the text.",
            "    Closest text (¶3, line 7, 89% similar):",
            "        “Soleimani was no anti-imperialist”",
            "    Copy the words exactly as the page shows them; line breaks, runs of spaces and formatting do not matter.",
        ],
    ),
    "ambiguous-quote": Expected(
        1,
        [
            "corpus/annotations/debate.yml:8: passage `first-war`: the quote is ambiguous: it occurs 2 times.",
            "    It occurs at:",
            "    1. ¶2, line 5: The strike was [an act of war], and an act of war it remains.",
            "    2. ¶2, line 5: …e strike was an act of war, and [an act of war] it remains.",
            "    Add `prefix:` (the words just before) or `suffix:` (just after), or `occurrence: 2` for the second place.",
        ],
    ),
    "malformed-yaml": Expected(
        1,
        [
            "corpus/annotations/debate.yml:8: this is not valid YAML: this line is not indented like the lines "
            "around it (expected <block end>, but found '<block mapping start>').",
            "    Keys of the same item line up exactly: compare this line's leading spaces with the line above "
            "(indent with spaces, never tabs).",
        ],
    ),
    "relation-to-itself": Expected(
        1,
        [
            "corpus/annotations/debate.yml:15: passage `second-yes` opposes itself.",
            "    A relation links two different passages; remove this entry.",
        ],
    ),
    "duplicate-passage-id": Expected(
        1,
        [
            "corpus/annotations/debate.yml:7: passage id `first-no` is already used at corpus/annotations/debate.yml:3.",
            "    Passage ids are shared by the whole corpus (they are permalinks); choose another.",
        ],
    ),
    "two-stances-one-question": Expected(
        1,
        [
            "corpus/annotations/debate.yml:7: voice `first` holds two contradicting stances on question "
            "`soleimani`: `repressor` (passage `first-no` at corpus/annotations/debate.yml:3) and `resister` "
            "(passage `first-war`).",
            "    corpus/questions.yml declares `repressor` and `resister` contradictory, so one voice cannot hold "
            "both. Correct the stance of one passage; or, if the texts show the two can be held together, remove "
            "each from the other's `contradicts:` in question `soleimani`.",
        ],
    ),
    "missing-original": Expected(
        1,
        [
            "corpus/texts/debate.yml:1: the original `debate.txt` does not exist.",
            "    Put the original text, byte for byte as received, at corpus/texts/debate.txt.",
        ],
    ),
    "unknown-key-in-edition": Expected(
        2,
        [
            "corpus/texts/debate.yml:3: unknown key `titel` (did you mean `title`?). Known keys here: source, format, "
            "slug, title, summary, publisher, date, date_note, url, url_note, notes, voices, headings, quotations, "
            "citations, bylines, signoffs, omit.",
            "    The right form looks like this:",
            "        source: 001_7b1681cd4660350e.txt     # the original, byte for byte, in the same folder",
        ],
    ),
    "line-range-past-end": Expected(
        1,
        [
            "corpus/texts/debate.yml:12: line 20 is past the end of debate.txt, which has 11 lines.",
            "    Line numbers count from 1 in the original file, as a text editor shows them.",
        ],
    ),
    "paragraphs-of-no-voice": Expected(
        1,
        [
            "corpus/texts/debate.yml:5: lines 5, 7 of debate.txt belong to no voice.",
            "    Add them to a voice's `lines:`, or to `omit:` with a reason if they are page furniture.",
        ],
    ),
}

# The second problem of `unknown-key-in-edition` is the missing key the typo stands for.
ALSO_EXPECTED = {
    "unknown-key-in-edition": ["corpus/texts/debate.yml:1: `title` is missing."],
}

LOG_PREFIX = "ERROR   -  counterpoint: "
"""How MkDocs prints a problem logged by the hook: the first line of the problem follows it."""


def _report(lines: list[str]) -> str:
    return "\n".join(lines)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Every scenario (and the valid corpus) built once, several at a time."""
    names = ["valid", *SCENARIOS]

    def run(name: str) -> Built:
        return build_fixture(ERRORS / name, tmp_path_factory.mktemp(name))

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip(names, pool.map(run, names), strict=True))


def test_every_scenario_has_a_fixture() -> None:
    on_disk = {p.name for p in ERRORS.iterdir() if p.is_dir()}
    assert on_disk == {"valid", *SCENARIOS}


def test_the_valid_corpus_builds_and_checks(builds: dict[str, Built], capsys: pytest.CaptureFixture[str]) -> None:
    """Each scenario breaks one thing in this corpus, so this must be clean."""
    built = builds["valid"]
    assert built.ok, built.log
    assert "WARNING" not in built.log and "ERROR" not in built.log
    assert counterpoint_main(["check", str(ERRORS / "valid" / "corpus")]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_build_fails_with_the_exact_message(builds: dict[str, Built], scenario: str) -> None:
    built = builds[scenario]
    expected = SCENARIOS[scenario]
    assert not built.ok, f"{scenario}: the build succeeded\n{built.log}"
    assert LOG_PREFIX + _report(expected.lines) in built.log, built.log
    for line in ALSO_EXPECTED.get(scenario, []):
        assert LOG_PREFIX + line in built.log.splitlines(), built.log
    noun = "problem" if expected.count == 1 else "problems"
    assert f"Counterpoint: {expected.count} {noun} in the corpus (listed above); nothing was published." in built.log
    assert built.log.count(LOG_PREFIX) == expected.count, built.log
    assert not built.site.exists(), "a failed build must not leave a site behind"


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_counterpoint_check_reports_the_same(scenario: str, capsys: pytest.CaptureFixture[str]) -> None:
    expected = SCENARIOS[scenario]
    corpus = ERRORS / scenario / "corpus"
    assert counterpoint_main(["check", str(corpus)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    report = captured.err
    assert _report(expected.lines) in report, report
    for line in ALSO_EXPECTED.get(scenario, []):
        assert line in report.splitlines(), report
    noun = "problem" if expected.count == 1 else "problems"
    assert report.rstrip().endswith(f"{expected.count} {noun} found in {corpus}."), report


def test_the_installed_command_exits_with_status_1() -> None:
    """The same through the real entry point, as an editor or CI runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "counterpoint", "check", "corpus"],
        cwd=ERRORS / "relation-to-itself",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert _report(SCENARIOS["relation-to-itself"].lines) in result.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "counterpoint", "check", "corpus"],
        cwd=ERRORS / "valid",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "corpus: no problems found."
