"""`counterpoint check` run from the wrong folder says where to run it."""

from __future__ import annotations

from pathlib import Path

import pytest

from counterpoint import cli

CORPUS = Path(__file__).resolve().parent / "fixtures" / "matrix" / "corpus"


def test_check_from_inside_the_corpus_says_where_to_run_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CORPUS)
    assert cli.main(["check"]) == 1
    assert "inside the corpus folder" in capsys.readouterr().err
    monkeypatch.chdir(CORPUS / "texts")
    assert cli.main(["check"]) == 1
    assert f"the project is {CORPUS.parent}" in capsys.readouterr().err
