"""The Editor's guide's worked example, taken from the guide itself, checks and builds.

If the guide and the code drift apart, this fails: the example is the documentation.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from soup import one

from counterpoint.checks import find_problems
from counterpoint.corpus import load_corpus
from sitebuild import REPO, build_fixture

GUIDE = REPO / "docs" / "editors-guide.md"


def _blocks(section: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(section)
    following = text.find("\n#", start + len(section))
    part = text[start : following if following != -1 else len(text)]
    return re.findall(r"```[a-z]*\n(.*?)```", part, flags=re.S)


def _example_corpus(folder: Path) -> Path:
    corpus = folder / "corpus"
    (corpus / "texts").mkdir(parents=True)
    (corpus / "annotations").mkdir()
    numbered = _blocks("### 1. Keep the original exactly as received")[0]
    original = "\n".join(re.sub(r"^\s*\d+ ?", "", line, count=1) for line in numbered.splitlines()) + "\n"
    (corpus / "texts" / "005_statement.txt").write_text(original, encoding="utf-8")
    (corpus / "texts" / "005_statement.yml").write_text(_blocks("### 2. Write its edition")[0], encoding="utf-8")
    (corpus / "annotations" / "statement.yml").write_text(_blocks("## Annotating a text")[0], encoding="utf-8")
    shutil.copy(REPO / "corpus" / "questions.yml", corpus / "questions.yml")
    return folder


def test_the_worked_example_checks(tmp_path: Path) -> None:
    project = _example_corpus(tmp_path / "example")
    assert not find_problems(project / "corpus")
    corpus = load_corpus(project / "corpus")
    text = corpus.texts[0]
    assert [v.id for v in text.voices] == ["example-group", "jo"]
    assert [o.first_line for o in text.omissions] == [1, 3, 10]
    assert {p.id for p in corpus.passages} == {"example-condemns-killing", "jo-disagrees"}


def test_the_worked_example_builds(tmp_path: Path) -> None:
    built = build_fixture(_example_corpus(tmp_path / "example"), tmp_path)
    assert built.ok, built.log
    page = built.soup("texts/statement-on-the-strike/")
    assert page.select_one("#example-condemns-killing") is not None
    assert "Against the war!" in one(page, ".cp-body").get_text()
