"""The workbench's file editing and guards, without a browser: one list item changes, nothing else."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from counterpoint.workbench import Refused, Workbench, inside, is_loopback
from counterpoint.workbench_edit import edit_text

BEFORE = """\
# Annotations of the debate (a comment the editor wrote).
text: debate
passages:
  - id: first-no
    quote: Soleimani was no anti-imperialist
    stances:
      soleimani: repressor   # the thesis
  - id: first-war
    quote: 'The strike was an act of war'

  # second author
  - id: second-yes
    quote: Soleimani resisted the empire
    opposes: [first-no]
"""


def _diff(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)][2:]


def test_adding_a_passage_appends_its_lines_only() -> None:
    passage = {"id": "second-x", "quote": "for decades", "stances": {"strike": "war"}, "opposes": ["first-war"]}
    after = edit_text(BEFORE, "debate", passage, None)
    assert _diff(BEFORE, after)[1:] == [
        "+  - id: second-x",
        "+    quote: for decades",
        "+    stances:",
        "+      strike: war",
        "+    opposes: [first-war]",
    ]


def test_replacing_and_deleting_touch_that_item_only() -> None:
    replaced = edit_text(
        BEFORE, "debate", {"id": "first-war", "quote": "The strike was an act of war", "note": "N."}, "first-war"
    )
    assert _diff(BEFORE, replaced)[1:] == ["+    note: N."]  # the unchanged quote keeps its quotes
    deleted = edit_text(BEFORE, "debate", None, "first-war")
    assert _diff(BEFORE, deleted)[1:] == ["-  - id: first-war", "-    quote: 'The strike was an act of war'"]
    assert "  # second author\n" in deleted and "# the thesis" in deleted


COMMENTED = """\
text: debate
passages:
  - id: first-no   # the first passage
    # why this passage matters
    quote: Soleimani was no anti-imperialist
    stances:
      soleimani: repressor   # the thesis
    opposes: [second-yes]  # declared by hand
    note: >-
      A note folded
      over two lines.
  - id: second-yes
    quote: Soleimani resisted the empire
"""


def test_editing_a_passage_keeps_the_comments_inside_it_and_its_unchanged_lines() -> None:
    edited = {
        "id": "first-no",
        "quote": "Soleimani was no anti-imperialist",
        "stances": {"soleimani": "resister", "strike": "war"},
        "opposes": ["second-yes", "first-war"],
        "note": "A note folded over two lines.",
    }
    after = edit_text(COMMENTED, "debate", edited, "first-no")
    assert _diff(COMMENTED, after)[1:] == [
        "-      soleimani: repressor   # the thesis",
        "-    opposes: [second-yes]  # declared by hand",
        "+      soleimani: resister    # the thesis",
        "+      strike: war",
        "+    opposes: [second-yes, first-war] # declared by hand",
    ]
    assert "  - id: first-no   # the first passage\n    # why this passage matters\n" in after
    shorter = edit_text(COMMENTED, "debate", {"id": "first-no", "quote": "Soleimani was no"}, "first-no")
    assert _diff(COMMENTED, shorter)[1:] == [
        "-    quote: Soleimani was no anti-imperialist",
        "-    stances:",
        "-      soleimani: repressor   # the thesis",
        "-    opposes: [second-yes]  # declared by hand",
        "-    note: >-",
        "-      A note folded",
        "-      over two lines.",
        "+    quote: Soleimani was no",
    ]


def test_crlf_line_ends_and_a_missing_final_line_break_are_kept() -> None:
    crlf = BEFORE.replace("\n", "\r\n").rstrip("\r\n")
    after = edit_text(crlf, "debate", {"id": "x", "quote": "y"}, None)
    assert "\n" not in after.replace("\r\n", "")
    assert after.startswith(crlf)


def test_a_new_file_and_an_empty_list_get_a_block_list() -> None:
    assert (
        edit_text("", "debate", {"id": "a", "quote": "b"}, None) == "text: debate\npassages:\n  - id: a\n    quote: b\n"
    )
    assert edit_text("text: debate\npassages: []\n", "debate", {"id": "a", "quote": "b"}, None) == (
        "text: debate\npassages:\n  - id: a\n    quote: b\n"
    )


def test_an_unknown_passage_is_refused() -> None:
    with pytest.raises(Refused, match="no passage `nope`"):
        edit_text(BEFORE, "debate", None, "nope")


def _bench_folder(tmp_path: Path) -> tuple[Workbench, Path]:
    annotations = tmp_path / "corpus" / "annotations"
    annotations.mkdir(parents=True)
    return Workbench(tmp_path, "token", "127.0.0.1", 8000), annotations


def test_a_write_is_refused_when_the_file_changed_since_it_was_read(tmp_path: Path) -> None:
    bench, annotations = _bench_folder(tmp_path)
    path = annotations / "a.yml"
    path.write_text("text: a\n", encoding="utf-8")
    read = path.read_bytes()
    path.write_text("text: a\n# saved meanwhile\n", encoding="utf-8")
    with pytest.raises(Refused, match="changed since"):
        bench._write(path, read, b"text: b\n")
    assert path.read_text(encoding="utf-8") == "text: a\n# saved meanwhile\n"
    bench._write(path, path.read_bytes(), b"text: b\n")
    assert path.read_bytes() == b"text: b\n" and [p.name for p in annotations.iterdir()] == ["a.yml"]


def test_a_new_file_is_created_only_if_it_is_still_new(tmp_path: Path) -> None:
    # The workbench's write is corpuswrite's, the one requote uses: read None means "did not exist".
    bench, annotations = _bench_folder(tmp_path)
    path = annotations / "new.yml"
    bench._write(path, None, b"text: a\n")
    assert path.read_bytes() == b"text: a\n"
    with pytest.raises(Refused, match="changed since"):
        bench._write(path, None, b"text: b\n")  # created meanwhile (another tab): kept
    assert path.read_bytes() == b"text: a\n" and [p.name for p in annotations.iterdir()] == ["new.yml"]


def test_only_loopback_and_only_below_the_annotations_folder(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")
    with pytest.raises(Refused, match="this machine only"):
        Workbench(tmp_path, "token", "0.0.0.0", 8000)
    annotations = tmp_path / "corpus" / "annotations"
    annotations.mkdir(parents=True)
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("x: 1\n", encoding="utf-8")
    (annotations / "link.yml").symlink_to(outside)
    assert inside(annotations, annotations / "a.yml")
    assert not inside(annotations, annotations / "link.yml"), "a link leading out is outside"
    assert not inside(annotations, annotations / ".." / "texts" / "a.yml")


def test_a_link_inside_the_folder_stays_a_link(tmp_path: Path) -> None:
    bench, annotations = _bench_folder(tmp_path)
    target = annotations / "shared.yml"
    target.write_bytes(b"text: a\n")
    link = annotations / "a.yml"
    link.symlink_to(target)
    bench._write(link, b"text: a\n", b"text: b\n")
    assert link.is_symlink() and target.read_bytes() == b"text: b\n"
    outside = tmp_path / "elsewhere.yml"
    outside.write_bytes(b"text: a\n")
    (annotations / "out.yml").symlink_to(outside)
    with pytest.raises(Refused, match="below corpus/annotations"):
        bench._write(annotations / "out.yml", b"text: a\n", b"text: b\n")
    assert outside.read_bytes() == b"text: a\n"
