"""Loader checks that need more than one file changed: no follow-on errors, real ones still reported."""

from __future__ import annotations

import shutil
from pathlib import Path

from counterpoint.checks import find_problems
from sitebuild import FIXTURES

VALID = FIXTURES / "errors" / "valid" / "corpus"

OTHER_TEXT = """\
source: other.txt
slug: other
title: Another text
summary: It answers the first.
voices:
  - id: other-voice
    name: Another voice
"""

OTHER_ANNOTATIONS = """\
text: other
passages:
  - id: other-answer
    quote: the first author was wrong
    opposes: [first-no]
"""


def corpus_copy(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(VALID, corpus)
    return corpus


def messages(corpus: Path) -> list[str]:
    return [f"{p.location}: {p.message}" for p in find_problems(corpus)]


def add_other_text(corpus: Path) -> None:
    (corpus / "texts" / "other.txt").write_text("Perhaps the first author was wrong.\n", encoding="utf-8")
    (corpus / "texts" / "other.yml").write_text(OTHER_TEXT, encoding="utf-8")
    (corpus / "annotations" / "other.yml").write_text(OTHER_ANNOTATIONS, encoding="utf-8")


def test_two_texts_and_a_relation_between_them_check(tmp_path: Path) -> None:
    corpus = corpus_copy(tmp_path)
    add_other_text(corpus)
    assert messages(corpus) == []


def test_a_broken_edition_does_not_make_its_passages_unknown_elsewhere(tmp_path: Path) -> None:
    """Only the edition's own problem is reported: not its annotations' slug, not relations pointing at them."""
    corpus = corpus_copy(tmp_path)
    add_other_text(corpus)
    (corpus / "texts" / "debate.txt").unlink()
    assert messages(corpus) == ["corpus/texts/debate.yml:1: the original `debate.txt` does not exist."]


def test_an_annotation_of_a_slug_no_edition_declares_is_still_reported(tmp_path: Path) -> None:
    corpus = corpus_copy(tmp_path)
    path = corpus / "annotations" / "debate.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("text: debate", "text: debat"), encoding="utf-8")
    problems = find_problems(corpus)
    assert [f"{p.location}: {p.message}" for p in problems] == [
        "corpus/annotations/debate.yml:1: there is no text with slug `debat`."
    ]
    assert problems[0].hint == "Known slugs: debate."


def test_line_ranges_count_lines_as_editors_do(tmp_path: Path) -> None:
    corpus = corpus_copy(tmp_path)
    edition = corpus / "texts" / "debate.yml"
    original = corpus / "texts" / "debate.txt"
    assert original.read_text(encoding="utf-8").count("\n") == 11
    edition.write_text(edition.read_text(encoding="utf-8").replace("lines: 9-11", "lines: 9-12"), encoding="utf-8")
    assert messages(corpus) == [
        "corpus/texts/debate.yml:12: line 12 is past the end of debate.txt, which has 11 lines."
    ]
    # Without the final line break the file still has 11 lines, and 9-11 is still right.
    original.write_bytes(original.read_bytes().rstrip(b"\n"))
    assert messages(corpus) == [
        "corpus/texts/debate.yml:12: line 12 is past the end of debate.txt, which has 11 lines."
    ]
    edition.write_text(edition.read_text(encoding="utf-8").replace("lines: 9-12", "lines: 9-11"), encoding="utf-8")
    assert messages(corpus) == []
