"""`counterpoint requote`: new quotes for passages whose words changed a little, and nothing else touched.

The corpus in tests/fixtures/requote/ was annotated before its original was
corrected (“Soleimani” became “Suleimani”, “empire” became “Empire”, an
apostrophe was added). Its annotation files hold what requote must keep:
comments (whole-line and after values), a folded `>-` quote over two lines,
flow lists with odd spacing, blank lines, odd indentation, no final line break,
and `second.yml` is given CRLF line ends by the test (git may not keep them).
tests/fixtures/requote/expected/ holds the files as `--apply` must leave them;
`left.yml` (passages requote leaves to the editor) and `unchanged.yml` (every
quote found) must stay byte for byte, unwritten.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from counterpoint import requote, yamlwrite
from counterpoint.checks import find_problems
from counterpoint.cli import main as counterpoint_main
from counterpoint.yamlwrite import RewriteError, rewrite_quotes
from sitebuild import FIXTURES

FIXTURE = FIXTURES / "requote"
CRLF_FILE = "second.yml"


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE / "corpus", corpus)
    second = corpus / "annotations" / CRLF_FILE
    second.write_bytes(crlf(second.read_text(encoding="utf-8")).encode("utf-8"))
    return corpus


def snapshot(corpus: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted((corpus / "annotations").iterdir())}


def expected(name: str) -> bytes:
    text = (FIXTURE / "expected" / name).read_text(encoding="utf-8")
    return (crlf(text) if name == CRLF_FILE else text).encode("utf-8")


# -- the whole command, on the fixture -----------------------------------------------------------------------------


def test_without_apply_it_shows_the_diff_and_writes_nothing(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(corpus)
    assert counterpoint_main(["requote", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert snapshot(corpus) == before
    assert (
        "corpus/annotations/debate.yml:7: passage `first-no`: the quote is not in the text; ¶3, line 7 is 99% similar.\n"
        "    old: “Soleimani was no anti-imperialist at all: he crushed the protests of 2019”\n"
        "    new: “Suleimani was no anti-imperialist at all: he crushed the protests of 2019”\n"
        "--- a/corpus/annotations/debate.yml\n"
        "+++ b/corpus/annotations/debate.yml\n"
        "@@ -5,7 +5,7 @@\n"
        "   # The thesis, quoted before the original was corrected.\n"
        "   - id: first-no\n"
        "     quote: >-\n"
        "-      Soleimani was no anti-imperialist at all:\n"
        "+      Suleimani was no anti-imperialist at all:\n"
        "       he crushed the protests of 2019\n"
    ) in out, out
    assert "+    quote: 'Nobody''s fool, and a man of the people'   # his friends\r\n" in out
    assert (
        "3 quotes can be updated in 2 files. Read the diff first (a changed word can change the meaning), "
        "then run `counterpoint requote --apply`."
    ) in out
    assert "3 passages left for you to correct by hand (listed above)." in out


def test_apply_rewrites_only_the_quotes(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(corpus)
    assert counterpoint_main(["requote", "--apply", str(corpus)]) == 1  # three passages are left to the editor
    out = capsys.readouterr().out
    assert "Updated 3 quotes in 2 files. Run `counterpoint check` next." in out
    after = snapshot(corpus)
    for name in ("debate.yml", CRLF_FILE):
        assert after[name][0] == expected(name), name
    for name in ("left.yml", "unchanged.yml"):
        assert after[name] == before[name], f"{name} must not be written at all"
    assert not [p for p in (corpus / "annotations").iterdir() if p.name.startswith(".")], "no temporary file left"


def test_after_apply_only_the_passages_left_to_the_editor_are_problems(corpus: Path) -> None:
    counterpoint_main(["requote", "--apply", str(corpus)])
    problems = find_problems(corpus)
    assert {(p.file, p.line) for p in problems} == {
        ("corpus/annotations/left.yml", 5),
        ("corpus/annotations/left.yml", 7),
        ("corpus/annotations/left.yml", 9),
    }


def test_what_is_left_and_why(corpus: Path) -> None:
    found = requote.plan(corpus)
    assert [(left.passage, left.reason) for left in found.left] == [
        ("hero-typo", "several places are as close (¶6, line 15; ¶7, line 17). Correct the quote by hand."),
        (
            "far-away",
            "no text is similar enough (the closest, ¶3, line 7, is 83% similar); at least 90% is needed. "
            "Correct the quote by hand.",
        ),
        (
            "act-of-war",
            "its words are in the text, but the quote is ambiguous: it occurs 2 times. Requote only updates quotes "
            "whose words changed; `counterpoint check` says how to fix this one.",
        ),
    ]


def test_a_second_run_changes_nothing(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    counterpoint_main(["requote", "--apply", str(corpus)])
    capsys.readouterr()
    once = snapshot(corpus)
    assert counterpoint_main(["requote", "--apply", str(corpus)]) == 1
    assert snapshot(corpus) == once
    assert "Updated" not in capsys.readouterr().out


def test_when_every_quote_can_be_updated_the_corpus_checks_afterwards(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "annotations" / "left.yml").unlink()
    assert find_problems(corpus)
    assert counterpoint_main(["requote", "--apply", str(corpus)]) == 0
    assert find_problems(corpus) == []
    assert counterpoint_main(["requote", str(corpus)]) == 0
    assert capsys.readouterr().out.endswith("every quote is found in its text; nothing to requote.\n")


def test_an_annotation_file_requote_cannot_read_is_reported_and_left_alone(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = corpus / "annotations" / "broken.yml"
    broken.write_text("text: debate\npassages:\n  - id: x\n   quote: y\n", encoding="utf-8")
    content = broken.read_bytes()
    assert counterpoint_main(["requote", "--apply", str(corpus)]) == 1
    assert "corpus/annotations/broken.yml:4: not read by requote: this is not valid YAML" in capsys.readouterr().err
    assert broken.read_bytes() == content


# -- rewriting one value, in its own style -------------------------------------------------------------------------


def doc(*passages: str, head: str = "text: t\npassages:\n") -> str:
    return head + "".join(passages)


@pytest.mark.parametrize(
    ("before", "new", "after"),
    [
        # plain stays plain, and the comment after it stays
        ("  - id: a\n    quote: old words   # note\n", "new words", "  - id: a\n    quote: new words   # note\n"),
        # plain that cannot hold the new words becomes single-quoted
        ("  - id: a\n    quote: old\n", "he said: no", "  - id: a\n    quote: 'he said: no'\n"),
        ("  - id: a\n    quote: old\n", "2020-01-14", "  - id: a\n    quote: '2020-01-14'\n"),
        ("  - id: a\n    quote: old\n", "- a list?", "  - id: a\n    quote: '- a list?'\n"),
        # a plain value over two lines becomes one line
        ("  - id: a\n    quote: old\n      words\n    note: n\n", "new", "  - id: a\n    quote: new\n    note: n\n"),
        # single-quoted: apostrophes doubled
        ("  - id: a\n    quote: 'old'\n", "Nobody's", "  - id: a\n    quote: 'Nobody''s'\n"),
        # double-quoted: escapes where needed
        ('  - id: a\n    quote: "old"\n', 'a "b" \\ é', '  - id: a\n    quote: "a \\"b\\" \\\\ é"\n'),
        # a control character can only be written double-quoted
        ("  - id: a\n    quote: 'old'\n", "bell\x07here", '  - id: a\n    quote: "bell\\x07here"\n'),
        ("  - id: a\n    quote: old\n", "line\u2028separator", '  - id: a\n    quote: "line\\u2028separator"\n'),
        # literal block: one line, header and indentation kept
        (
            "  - id: a\n    quote: |-\n        old\n    note: n\n",
            "new",
            "  - id: a\n    quote: |-\n        new\n    note: n\n",
        ),
        # folded block: lines broken where they were, the blank line after it kept
        (
            "  - id: a\n    quote: >-\n      one two three\n      four five\n\n  - id: b\n    quote: x\n",
            "one two THREE four five six",
            "  - id: a\n    quote: >-\n      one two THREE\n      four five six\n\n  - id: b\n    quote: x\n",
        ),
        # words around a folded line's break removed: that line runs on to the next break
        (
            "  - id: a\n    quote: >\n      one two\n      three four\n      five\n",
            "one four five",
            "  - id: a\n    quote: >\n      one four\n      five\n",
        ),
        # a folded block that cannot hold the new words: double-quoted, the blank line after it kept
        (
            "  - id: a\n    quote: >-\n      old\n\n  - id: b\n    quote: x\n",
            "a\x07b",
            '  - id: a\n    quote: "a\\x07b"\n\n  - id: b\n    quote: x\n',
        ),
    ],
)
def test_each_style_is_kept_where_the_words_allow(before: str, new: str, after: str) -> None:
    assert rewrite_quotes(doc(before), {0: new}) == doc(after)


def test_only_the_chosen_passages_change_in_a_crlf_file_with_a_bom() -> None:
    before = "\ufeff" + crlf(doc("  - id: a\n    quote: keep me  \n", "  - id: b\n    quote: 'old'  # c\n", "\n"))
    after = "\ufeff" + crlf(doc("  - id: a\n    quote: keep me  \n", "  - id: b\n    quote: 'new'  # c\n", "\n"))
    assert rewrite_quotes(before, {1: "new"}) == after


def test_a_file_that_would_not_read_back_as_intended_is_not_written(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(yamlwrite, "_render", lambda node, span, text, safe: "[unclosed")
    with pytest.raises(RewriteError):
        rewrite_quotes(doc("  - id: a\n    quote: old\n"), {0: "new"})
    before = snapshot(corpus)
    assert counterpoint_main(["requote", "--apply", str(corpus)]) == 1
    assert "requote: nothing written: the rewritten file would not read back as intended." in capsys.readouterr().err
    assert snapshot(corpus) == before


def test_the_editors_guide_shows_what_requote_prints(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guide = (Path(__file__).parents[1] / "docs" / "editors-guide.md").read_text(encoding="utf-8")
    section = guide[guide.index("## When an original changes: `counterpoint requote`") :]
    example = section.split("```text\n", 1)[1].split("```", 1)[0]
    counterpoint_main(["requote", str(corpus)])
    assert example in capsys.readouterr().out


# -- writing safely (issue 18: item 3) ---------------------------------------------------------------------------


def test_an_edit_saved_while_requote_runs_is_kept(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    planned = requote.plan
    saved: dict[Path, bytes] = {}

    def plan_then_the_editor_saves(corpus_dir: Path, root: Path | None = None) -> requote.Plan:
        found = planned(corpus_dir, root)
        for file_plan in found.files:
            if file_plan.proposals:
                edited = file_plan.path.read_bytes() + b"# saved by the editor meanwhile\n"
                file_plan.path.write_bytes(edited)
                saved[file_plan.path] = edited
        return found

    monkeypatch.setattr(requote, "plan", plan_then_the_editor_saves)
    assert counterpoint_main(["requote", "--apply", str(corpus)]) == 1
    assert saved and all(path.read_bytes() == content for path, content in saved.items())
    err = capsys.readouterr().err
    assert err.count("it changed since requote read it") == len(saved)
    assert not list((corpus / "annotations").glob(".*.tmp"))


def test_apply_refuses_a_file_changed_since_the_plan(corpus: Path) -> None:
    file_plan = next(f for f in requote.plan(corpus).files if f.proposals)
    file_plan.path.write_bytes(file_plan.read + b"# saved meanwhile\n")
    with pytest.raises(requote.ChangedSinceRead):
        requote.apply(file_plan)
    file_plan.path.unlink()
    with pytest.raises(requote.ChangedSinceRead):
        requote.apply(file_plan)


def test_a_linked_annotation_file_is_written_through_its_link(corpus: Path) -> None:
    annotations = corpus / "annotations"
    name = next(f.path.name for f in requote.plan(corpus).files if f.proposals)
    shared = corpus / ".shared"
    shared.mkdir()
    (annotations / name).rename(shared / name)
    (annotations / name).symlink_to(Path("..") / ".shared" / name)
    counterpoint_main(["requote", "--apply", str(corpus)])
    assert (annotations / name).is_symlink()
    assert (shared / name).read_bytes() == expected(name)


def test_the_guarantee_is_one_function_for_every_writer(tmp_path: Path) -> None:
    from counterpoint.confine import OutsideCorpus
    from counterpoint.corpuswrite import ChangedSinceRead, replace_corpus_file

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    file = corpus / "a.yml"
    file.write_bytes(b"old\n")
    file.chmod(0o640)
    replace_corpus_file(file, corpus, b"old\n", b"new\n")
    assert file.read_bytes() == b"new\n" and file.stat().st_mode & 0o777 == 0o640
    with pytest.raises(ChangedSinceRead):
        replace_corpus_file(file, corpus, b"old\n", b"newer\n")
    outside = tmp_path / "outside.yml"
    outside.write_bytes(b"old\n")
    (corpus / "b.yml").symlink_to(outside)
    with pytest.raises(OutsideCorpus):
        replace_corpus_file(corpus / "b.yml", corpus, b"old\n", b"new\n")
    assert outside.read_bytes() == b"old\n"
    assert sorted(p.name for p in corpus.iterdir()) == ["a.yml", "b.yml"]
