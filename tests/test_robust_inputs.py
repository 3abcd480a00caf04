"""Bad input never breaks the site silently: each case gets a clear error, or correct output.

Cases already covered elsewhere, referenced rather than repeated:

* a relation from a passage to itself: tests/test_errors.py, scenario `relation-to-itself`;
* a missing original: tests/test_errors.py, scenario `missing-original` (a near name is below);
* a YAML alias bomb, read alone: tests/test_yamlfile.py::test_anchors_and_aliases_are_refused_with_their_line;
* invalid UTF-8 and empty texts, decoded alone: tests/test_source.py.

Here each error case breaks one thing in a copy of tests/fixtures/errors/valid and
checks the whole report of `counterpoint check` (file, line, message, hint, and
that nothing else is reported); the same corpora then go through a real
`mkdocs build --strict`, which must fail with the same lines and leave no site.
The correct-output cases (overlapping and nested passages, a text of 10,000
paragraphs) check the page itself.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from soup import attr, one, present

from counterpoint.checks import find_problems, load_checked
from counterpoint.cli import main as counterpoint_main
from counterpoint.render.text_page import render_text_page
from counterpoint.site import Site, Urls
from sitebuild import FIXTURES, Built, build_fixture

VALID = FIXTURES / "errors" / "valid"
LOG_PREFIX = "ERROR   -  counterpoint: "


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- each break, applied to a copy of the valid project ---------------------------------------------------------


def invalid_utf8(project: Path) -> None:
    original = project / "corpus" / "texts" / "debate.txt"
    original.write_bytes(original.read_bytes().replace(b"no anti-imperialist", b"no anti-imp\xe9rialist"))


def utf16(project: Path) -> None:
    original = project / "corpus" / "texts" / "debate.txt"
    original.write_bytes(original.read_text(encoding="utf-8").encode("utf-16"))


def empty_text(project: Path) -> None:
    (project / "corpus" / "texts" / "debate.txt").write_bytes(b"\xef\xbb\xbf  \r\n\r\n")


def same_slug(project: Path) -> None:
    texts = project / "corpus" / "texts"
    (texts / "copy.txt").write_text("A copy of the debate, with other words.\n", encoding="utf-8")
    (texts / "copy.yml").write_text(
        "source: copy.txt\nslug: debate\ntitle: A copy\nsummary: The same slug by mistake.\n"
        "voices:\n  - id: copyist\n    name: The copyist\n",
        encoding="utf-8",
    )


def alias_bomb(project: Path) -> None:
    bomb = "".join(f"l{n}: &l{n} [{','.join([f'*l{n - 1}'] * 9) if n else ','.join(['lol'] * 9)}]\n" for n in range(9))
    (project / "corpus" / "annotations" / "bomb.yml").write_text("text: debate\n" + bomb, encoding="utf-8")


def quote_across_paragraphs(project: Path) -> None:
    _edit(
        project / "corpus" / "annotations" / "debate.yml",
        "quote: The strike was an act of war\n",
        "quote: an act of war it remains. Soleimani was no\n",
    )


def question_removed(project: Path) -> None:
    questions = project / "corpus" / "questions.yml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text[: text.index("  - id: strike")], encoding="utf-8")


def impossible_date(project: Path) -> None:
    # Unquoted, YAML itself would read this as a date and fail on it.
    _edit(
        project / "corpus" / "texts" / "debate.yml",
        "title: A small debate\n",
        "title: A small debate\ndate: 2020-02-30\n",
    )


def date_in_another_form(project: Path) -> None:
    _edit(
        project / "corpus" / "texts" / "debate.yml",
        "title: A small debate\n",
        "title: A small debate\ndate: 14/01/2020\n",
    )


def address_without_scheme(project: Path) -> None:
    _edit(
        project / "corpus" / "texts" / "debate.yml",
        "title: A small debate\n",
        "title: A small debate\nurl: www.example.org/debate\n",
    )


def address_with_a_space(project: Path) -> None:
    _edit(
        project / "corpus" / "texts" / "debate.yml",
        "title: A small debate\n",
        "title: A small debate\nurl: https://example.org/the debate\n",
    )


def original_under_another_case(project: Path) -> None:
    texts = project / "corpus" / "texts"
    (texts / "debate.txt").rename(texts / "Debate.TXT")


def control_character_in_yaml(project: Path) -> None:
    _edit(project / "corpus" / "texts" / "debate.yml", "title: A small debate", "title: A small\x07debate")


ERRORS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "invalid-utf8": (
        invalid_utf8,
        [
            "corpus/texts/debate.txt:7: the file is not valid UTF-8: byte 0xE9 (column 26, after "
            "“…oleimani was no anti-imp”) is not a UTF-8 character.",
            "    The file was probably saved in another encoding, such as Windows-1252 or Latin-1. Convert it to "
            "UTF-8, e.g. `iconv -f windows-1252 -t utf-8 old.txt > new.txt`, then check that its characters survived.",
        ],
    ),
    "utf16": (
        utf16,
        [
            "corpus/texts/debate.txt:1: the file is in UTF-16, not UTF-8.",
            "    Convert it to UTF-8, e.g. `iconv -f utf-16 -t utf-8 old.txt > new.txt`, "
            "then check that its characters survived.",
        ],
    ),
    "empty-text": (
        empty_text,
        [
            "corpus/texts/debate.txt: the original is empty: the file holds no text, only blank lines or spaces.",
            "    Put the original text in this file, byte for byte as received, or remove its edition.",
        ],
    ),
    "same-slug": (
        same_slug,
        [
            "corpus/texts/debate.yml:2: slug `debate` is already used by corpus/texts/copy.yml.",
            "    Each text needs its own slug: it is the text's web address. Change one of them "
            "(and `text:` in the annotation files of the text whose slug changes).",
        ],
    ),
    "alias-bomb": (
        alias_bomb,
        [
            "corpus/annotations/bomb.yml:2: YAML anchors and aliases (&name, *name) are not allowed in corpus files.",
            "    Write the value out in full where it is needed.",
        ],
    ),
    "quote-across-paragraphs": (
        quote_across_paragraphs,
        [
            "corpus/annotations/debate.yml:8: passage `first-war`: the quote runs across paragraphs (¶2 to ¶3); "
            "a passage must lie within one paragraph.",
            "    Split it into one passage per paragraph, or quote the sentence that carries the claim.",
        ],
    ),
    "question-removed": (
        question_removed,
        [
            "corpus/annotations/debate.yml:10: passage `first-war` takes a stance on question `strike`, "
            "but corpus/questions.yml has no question with that id.",
            "    Known questions: soleimani.",
            "    If the question was renamed, use its new id; if it was removed, "
            "remove `strike: war` from this passage's `stances:`.",
        ],
    ),
    "impossible-date": (
        impossible_date,
        [
            "corpus/texts/debate.yml:4: `date`: '2020-02-30' is not a date: 2020-02 has no day 30.",
            "    The right form looks like this:",
        ],
    ),
    "date-in-another-form": (
        date_in_another_form,
        [
            "corpus/texts/debate.yml:4: `date`: '14/01/2020' is not a date in the form year-month-day, like "
            "2020-01-14; write 2020-01 or 2020 when the day or month is not known (and say why in `date_note`).",
            "    The right form looks like this:",
        ],
    ),
    "address-without-scheme": (
        address_without_scheme,
        [
            "corpus/texts/debate.yml:4: `url`: 'www.example.org/debate' is not a web address: "
            "it must start with http:// or https://.",
            "    The right form looks like this:",
        ],
    ),
    "address-with-a-space": (
        address_with_a_space,
        [
            "corpus/texts/debate.yml:4: `url`: 'https://example.org/the debate' is not a web address: "
            "it contains a space or a line break; remove it.",
            "    The right form looks like this:",
        ],
    ),
    "original-under-another-case": (
        original_under_another_case,
        [
            "corpus/texts/debate.yml:1: the original `debate.txt` does not exist (did you mean `Debate.TXT`?).",
            "    Write `source: Debate.TXT` if that is the original; otherwise put the original text, "
            "byte for byte as received, at corpus/texts/debate.txt.",
        ],
    ),
    "control-character-in-yaml": (
        control_character_in_yaml,
        [
            "corpus/texts/debate.yml:3: the file holds a control character (U+0007), which YAML does not allow, "
            "at column 15.",
            "    Delete it (it is invisible in most editors), or write it as an escape in a double-quoted value, "
            'like "\\u0007".',
        ],
    ),
}


def broken_project(name: str, folder: Path) -> Path:
    project = folder / name
    shutil.copytree(VALID, project)
    ERRORS[name][0](project)
    return project


@pytest.mark.parametrize("name", list(ERRORS))
def test_the_check_reports_one_clear_problem(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = broken_project(name, tmp_path)
    expected = "\n".join(ERRORS[name][1])
    problems = find_problems(project / "corpus", project)
    assert len(problems) == 1, "\n".join(map(str, problems))
    assert str(problems[0]).startswith(expected), str(problems[0])
    monkeypatch.chdir(project)
    assert counterpoint_main(["check", "corpus"]) == 1
    report = capsys.readouterr().err
    assert report.startswith(expected) and report.rstrip().endswith("1 problem found in corpus."), report


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    folder = tmp_path_factory.mktemp("robust-errors")

    def run(name: str) -> Built:
        return build_fixture(broken_project(name, folder), tmp_path_factory.mktemp(name))

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip(ERRORS, pool.map(run, ERRORS), strict=True))


@pytest.mark.parametrize("name", list(ERRORS))
def test_the_build_fails_with_the_same_lines_and_publishes_nothing(builds: dict[str, Built], name: str) -> None:
    built = builds[name]
    assert not built.ok, built.log
    assert LOG_PREFIX + "\n".join(ERRORS[name][1]) in built.log, built.log
    assert built.log.count(LOG_PREFIX) == 1, built.log
    assert "Counterpoint: 1 problem in the corpus (listed above); nothing was published." in built.log
    assert "Traceback" not in built.log
    assert not built.site.exists()


def test_a_year_alone_is_a_date(tmp_path: Path) -> None:
    """`date: 2020`, as the Editor's guide allows, is read by YAML as a number: it is still a date."""
    project = tmp_path / "project"
    shutil.copytree(VALID, project)
    _edit(project / "corpus" / "texts" / "debate.yml", "title: A small debate\n", "title: A small debate\ndate: 2020\n")
    checked = load_checked(project / "corpus")
    date = checked.corpus.texts[0].date
    assert date is not None and date.iso == "2020"


def test_same_slug_with_same_voices_reports_both_and_nothing_else(tmp_path: Path) -> None:
    """A copied edition whose slug and voice ids were not changed: both mistakes at once, no follow-on."""
    project = tmp_path / "project"
    shutil.copytree(VALID, project)
    texts = project / "corpus" / "texts"
    shutil.copy(texts / "debate.txt", texts / "copy.txt")
    (texts / "copy.yml").write_text(
        (texts / "debate.yml").read_text(encoding="utf-8").replace("debate.txt", "copy.txt"), encoding="utf-8"
    )
    assert [f"{p.location}: {p.message}" for p in find_problems(project / "corpus", project)] == [
        "corpus/texts/debate.yml:2: slug `debate` is already used by corpus/texts/copy.yml.",
        "corpus/texts/debate.yml:6: voice id `first` is already used by corpus/texts/copy.yml.",
        "corpus/texts/debate.yml:9: voice id `second` is already used by corpus/texts/copy.yml.",
    ]


# -- overlapping and nested passages: both highlighted, both markers, both notes ----------------------------------

OVERLAPPING = """\
text: debate
passages:
  - id: whole-sentence
    quote: The strike was an act of war, and an act of war it remains.
  - id: nested-inside
    quote: was an act of war, and an
    note: Nested in the whole sentence.
  - id: overlapping-end
    quote: and an act of war it
    note: Overlaps the end of the nested one.
"""
"""In ¶2 of the valid corpus: one passage, one nested in it, one overlapping the nested one's end."""


def test_overlapping_and_nested_passages_are_all_shown(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(VALID, project)
    (project / "corpus" / "annotations" / "more.yml").write_text(OVERLAPPING, encoding="utf-8")
    checked = load_checked(project / "corpus")
    text = checked.corpus.text_by_slug["debate"]
    page = BeautifulSoup(str(render_text_page(Site(checked.corpus, Urls()), text).html), "html.parser")
    ids = ["whole-sentence", "nested-inside", "overlapping-end"]
    paragraph = present(one(page, "#whole-sentence").find_parent("p"))

    for pid in ids:
        assert page.select_one(f"span.cp-anchor#{pid}") is not None, pid
        assert page.select_one(f"sup.cp-fnref#fnref\\:{pid}") is not None, pid
        assert page.select_one(f"li.cp-fn#fn\\:{pid}") is not None, pid
        marked = "".join(m.get_text() for m in paragraph.select("mark") if pid in attr(m, "data-p").split())
        assert marked == checked.corpus.passage_by_id[pid].exact, pid
    # Where all three cover the text, one <mark> names all three.
    assert any(set(attr(m, "data-p").split()) == set(ids) for m in paragraph.select("mark"))
    # The words are shown once, in order, around the apparatus.
    for added in paragraph.select(".cp-apparatus, .cp-fnref"):
        added.decompose()
    assert paragraph.get_text() == "The strike was an act of war, and an act of war it remains."


# -- a text of 10,000 paragraphs ---------------------------------------------------------------------------------

PARAGRAPHS = 10_000
WORDS = ["the", "strike", "was", "an", "act", "of", "war", "and", "soleimani", "resisted", "the", "empire"]


def long_text(count: int) -> str:
    # Paragraphs repeat their first words, so that many anchors need a number to be unique.
    return "\n\n".join(f"{' '.join(WORDS[: 3 + n % 5])} — paragraph {n % 997}, {n}." for n in range(count)) + "\n"


def long_project(folder: Path, text: str) -> Path:
    corpus = folder / "corpus"
    (corpus / "texts").mkdir(parents=True)
    (corpus / "annotations").mkdir()
    (corpus / "texts" / "long.txt").write_text(text, encoding="utf-8")
    (corpus / "texts" / "long.yml").write_text(
        "source: long.txt\nslug: long\ntitle: A long text\nsummary: Ten thousand paragraphs.\n"
        "voices:\n  - id: long-voice\n    name: The long voice\n",
        encoding="utf-8",
    )
    shutil.copy(VALID / "corpus" / "questions.yml", corpus / "questions.yml")
    (corpus / "annotations" / "long.yml").write_text(
        "text: long\npassages:\n"
        + "".join(
            f"  - id: long-{n}\n    quote: paragraph {n % 997}, {n}.\n    stances:\n      strike: war\n"
            for n in range(0, PARAGRAPHS, 500)
        ),
        encoding="utf-8",
    )
    return folder


def anchors_of(folder: Path) -> list[str]:
    text = load_checked(folder / "corpus").corpus.texts[0]
    return [b.anchor for b in text.blocks]


def test_a_text_of_10000_paragraphs_builds_with_every_paragraph_numbered(tmp_path: Path) -> None:
    built = build_fixture(long_project(tmp_path / "fixture", long_text(PARAGRAPHS)), tmp_path)
    assert built.ok, built.log
    page = built.soup("texts/long/")
    paragraphs = page.select(".cp-body p.cp-p")
    assert len(paragraphs) == PARAGRAPHS
    assert [one(p, "a.cp-pn")["data-n"] for p in paragraphs] == [str(n) for n in range(1, PARAGRAPHS + 1)]
    ids = [p["id"] for p in paragraphs]
    assert len(set(ids)) == PARAGRAPHS, "every paragraph has its own anchor"
    all_ids = [element["id"] for element in page.select("[id]")]
    assert len(all_ids) == len(set(all_ids)), "no id is used twice on the page"
    assert ids == anchors_of(built.project)
    assert all(page.select_one(f"#long-{n}") is not None for n in range(0, PARAGRAPHS, 500))
    last = paragraphs[-1]
    for added in last.select(".cp-apparatus, .cp-fnref"):
        added.decompose()
    assert last.get_text() == f"{' '.join(WORDS[: 3 + 9999 % 5])} — paragraph {9999 % 997}, 9999."


def test_the_anchors_of_a_long_text_are_stable(tmp_path: Path) -> None:
    """The same text gives the same anchors; adding paragraphs keeps every other paragraph's anchor."""
    text = long_text(PARAGRAPHS)
    first = anchors_of(long_project(tmp_path / "a", text))
    assert first == anchors_of(long_project(tmp_path / "b", text))
    assert first[:3] == [
        "p-the-strike-was-paragraph-0-0",
        "p-the-strike-was-an-paragraph-1",
        "p-the-strike-was-an-act-paragraph",
    ]
    paragraphs = text.split("\n\n")
    inserted = "\n\n".join([*paragraphs[:5000], "A new paragraph in the middle.", *paragraphs[5000:]])
    changed = anchors_of(long_project(tmp_path / "c", inserted + "\n\nAnd one at the end.\n"))
    assert changed[:5000] == first[:5000]
    assert changed[5001:-1] == first[5000:]
