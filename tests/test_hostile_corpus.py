"""A hostile read of the corpus loader and the build's planning (issue 18: items 5, 6, 9, 11).

Each case starts from the small valid fixture and changes one thing; what must come back is
one located problem (file, line, what is wrong), never a follow-on error elsewhere, a crash,
or a page silently replacing another.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from counterpoint import build as build_module
from counterpoint.build import SiteBuild
from counterpoint.checks import find_problems
from counterpoint.problems import CorpusError
from sitebuild import FIXTURES

VALID = FIXTURES / "errors" / "valid"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(VALID / "corpus", tmp_path / "project" / "corpus")
    return tmp_path / "project"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _located(project: Path) -> list[tuple[str, int | None, str]]:
    return [(p.file, p.line, p.message) for p in find_problems(project / "corpus", project)]


def test_a_lone_surrogate_in_an_edition_is_refused_by_the_check_and_the_build_alike(project: Path) -> None:
    _edit(project / "corpus/texts/debate.yml", "name: The first author", 'name: "phil \\udfff coombes"')
    problems = _located(project)
    assert [(f, line) for f, line, _ in problems] == [("corpus/texts/debate.yml", 7)], problems
    assert "half of a UTF-16 pair" in problems[0][2]
    with pytest.raises(CorpusError) as refused:  # the build plans from the same check
        SiteBuild.load(project, use_directory_urls=True)
    assert "corpus/texts/debate.yml:7" in str(refused.value)


def test_a_text_cannot_take_the_texts_index_address(project: Path) -> None:
    _edit(project / "corpus/texts/debate.yml", "slug: debate", "slug: index")
    _edit(project / "corpus/annotations/debate.yml", "text: debate", "text: index")
    problems = _located(project)
    assert [(f, line) for f, line, _ in problems] == [("corpus/texts/debate.yml", 2)], problems
    assert "'index' is reserved" in problems[0][2]


def test_a_question_cannot_take_the_questions_index_address(project: Path) -> None:
    _edit(project / "corpus/questions.yml", "- id: strike", "- id: index")
    _edit(project / "corpus/annotations/debate.yml", "strike: war", "index: war")
    problems = _located(project)
    assert [(f, line) for f, line, _ in problems] == [("corpus/questions.yml", 11)], problems
    assert "'index' is reserved" in problems[0][2]


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_every_generated_page_is_checked_against_every_other(
    project: Path, monkeypatch: pytest.MonkeyPatch, use_directory_urls: bool
) -> None:
    SiteBuild.load(project, use_directory_urls)  # the valid corpus: every page at an address of its own
    # Whatever a future page would collide with is caught, not only the names the schema knows.
    monkeypatch.setattr(build_module, "text_page", lambda slug: "questions/index.md")
    with pytest.raises(CorpusError) as refused:
        SiteBuild.load(project, use_directory_urls)
    assert "two generated pages would be published at" in str(refused.value)
    assert "`questions/index.md` and `questions/index.md`" in str(refused.value)


def test_a_hand_written_page_at_a_generated_address_is_found_by_url(project: Path) -> None:
    planned = SiteBuild.load(project, use_directory_urls=True)
    hand_written = ["about.md", "texts/debate/index.md", "questions.md", "questions/index.md", "matrix/index.md"]
    # questions.md is published at questions/ too, where the questions index is.
    assert planned.overwritten(hand_written) == [
        "matrix/index.md",
        "questions.md",
        "questions/index.md",
        "texts/debate/index.md",
    ]


def _split_annotations(project: Path) -> Path:
    """The second voice's passage in a file of its own, pointing at the first voice's passages."""
    annotations = project / "corpus/annotations"
    first = annotations / "debate.yml"
    text = first.read_text(encoding="utf-8")
    head, second = text.split("  - id: second-yes\n")
    first.write_text(head, encoding="utf-8")
    (annotations / "debate-second.yml").write_text(
        "text: debate\npassages:\n  - id: second-yes\n" + second.replace("[first-no]", "[first-no, first-war]"),
        encoding="utf-8",
    )
    assert _located(project) == []
    return first


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("  - id: first-war\n", "  - id: first-war\n   bad: [\n", 9),  # not YAML
        ("    quote: The strike was an act of war\n", "", 6),  # YAML, but not an annotation file
        ("text: debate\n", "text: debate\nunknown: 1\n", 2),
    ],
)
def test_an_unreadable_annotation_file_causes_no_errors_elsewhere(project: Path, old: str, new: str, line: int) -> None:
    first = _split_annotations(project)
    _edit(first, old, new)
    problems = _located(project)
    assert {f for f, _, _ in problems} == {"corpus/annotations/debate.yml"}, problems
    assert not any("no passage has that id" in message for _, _, message in problems)


def test_a_relation_to_an_id_declared_nowhere_is_still_an_error(project: Path) -> None:
    first = _split_annotations(project)
    _edit(first, "  - id: first-war\n", "  - id: first-war\n   bad: [\n")
    _edit(project / "corpus/annotations/debate-second.yml", "first-war]", "first-peace]")
    problems = _located(project)
    assert any(f == "corpus/annotations/debate-second.yml" and "no passage has that id" in m for f, _, m in problems)


@pytest.mark.parametrize("source", [".", "..", "./", "../", ".hidden"])
def test_a_source_that_is_no_file_name_gets_a_file_name_as_its_hint(project: Path, source: str) -> None:
    _edit(project / "corpus/texts/debate.yml", "source: debate.txt", f'source: "{source}"')
    problems = find_problems(project / "corpus", project)
    source_problems = [p for p in problems if p.file == "corpus/texts/debate.yml"]
    assert source_problems and "must be a file name in the same folder" in source_problems[0].message
    assert "write `source: debate.txt`" in source_problems[0].hint


# -- direction controls in metadata (item 8) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("title: A small debate", "title: A small \u202edebate", 3, "`title`"),
        ("name: The first author", "name: The first \u2067author", 7, "`name` of item 1 of `voices`"),
        ("source: debate.txt\n", "source: debate.txt\nurl: https://example.org/\u202ex\n", 2, "`url`"),
    ],
)
def test_a_direction_control_in_metadata_is_refused_where_it_is(
    project: Path, old: str, new: str, line: int, field: str
) -> None:
    _edit(project / "corpus/texts/debate.yml", old, new)
    problems = _located(project)
    assert [(f, n) for f, n, _ in problems] == [("corpus/texts/debate.yml", line)], problems
    assert problems[0][2].startswith(f"{field}: holds U+")
    assert "reverses the direction of the text shown after it" in problems[0][2]


def test_every_fact_of_a_citation_is_isolated_in_text_and_in_html(project: Path) -> None:
    from dataclasses import replace

    from counterpoint.citation import citation, citation_html
    from counterpoint.corpus import load_corpus
    from counterpoint.model import PartialDate

    text = load_corpus(project / "corpus", project).texts[0]
    text = replace(
        text, title="عنوان <b>", publisher="Pub & co", date=PartialDate.parse("2020-01-14"), url="https://e.org/"
    )
    voice = text.voices[0]
    plain = citation(text, voice)
    for fact in (voice.name, "عنوان <b>", "Pub & co", "https://e.org/"):
        assert f"\u2068{fact}\u2069" in plain
    assert plain.count("\u2068") == plain.count("\u2069") == 5  # name, title, publisher, date, address
    html = str(citation_html(text, voice))
    assert "<bdi>عنوان &lt;b&gt;</bdi>" in html and "<bdi>Pub &amp; co</bdi>" in html
    assert html.count("<bdi>") == 5 and "\u2068" not in html


# -- every list in a message is capped (item 7) ------------------------------------------------------------------


def test_the_known_slugs_of_a_large_corpus_are_listed_ten_and_counted(project: Path) -> None:
    texts = project / "corpus/texts"
    for n in range(30):
        (texts / f"t{n:02}.txt").write_bytes((texts / "debate.txt").read_bytes())
        (texts / f"t{n:02}.yml").write_text(
            (texts / "debate.yml")
            .read_text(encoding="utf-8")
            .replace("slug: debate", f"slug: t{n:02}")
            .replace("id: first", f"id: first-{n}")
            .replace("id: second", f"id: second-{n}"),
            encoding="utf-8",
        )
    _edit(project / "corpus/annotations/debate.yml", "text: debate", "text: nowhere")
    problems = find_problems(project / "corpus", project)
    hint = next(p.hint for p in problems if "there is no text with slug `nowhere`" in p.message)
    assert hint == "Known slugs: debate, t00, t01, t02, t03, t04, t05, t06, t07, t08, and 21 more."


def test_lines_that_belong_to_no_voice_are_listed_ten_and_counted(project: Path) -> None:
    original = project / "corpus/texts/debate.txt"
    original.write_text(original.read_text(encoding="utf-8") + "\nMore.\n" * 40, encoding="utf-8")
    problems = find_problems(project / "corpus", project)
    message = next(p.message for p in problems if "belong to no voice" in p.message)
    assert message.startswith("lines 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, and 30 more of debate.txt")


def test_requote_reports_a_lone_surrogate_instead_of_crashing_on_it(project: Path) -> None:
    import subprocess
    import sys

    _edit(project / "corpus/annotations/debate.yml", "quote: Soleimani resisted", 'quote: "Soleimani \\udfff resisted')
    _edit(project / "corpus/annotations/debate.yml", "the empire\n", 'the empire"\n')
    for command in ("requote", "check"):
        done = subprocess.run(
            [sys.executable, "-m", "counterpoint", command, str(project / "corpus")],
            capture_output=True,
            text=True,
            env={"PYTHONIOENCODING": "ascii", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[1])},
        )
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert "corpus/annotations/debate.yml:12: " in done.stderr
        assert "an escape here, \\udfff, is half of a UTF-16 pair" in done.stderr


def test_the_build_refuses_a_docs_page_at_a_generated_pages_address(tmp_path: Path) -> None:
    from sitebuild import build, prepare

    project = prepare(VALID, tmp_path)
    (project / "docs/texts/debate").mkdir(parents=True)
    (project / "docs/texts/debate/index.md").write_text("# Not the text\n", encoding="utf-8")
    built = build(project)
    assert not built.ok
    assert "docs/texts/debate/index.md would be overwritten by a generated page" in built.log
