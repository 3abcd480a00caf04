"""Reading corpus YAML: line numbers kept for later messages, anchors and aliases refused, errors translated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from counterpoint import yamlfile
from counterpoint.problems import Problems
from counterpoint.schema import ANNOTATIONS_EXAMPLE, EDITION_EXAMPLE, AnnotationsIn, EditionIn
from counterpoint.yamlfile import YamlDoc, load_yaml, round_trip_yaml, to_plain
from counterpoint.yamlschema import validate


def load(tmp_path: Path, content: str | bytes, name: str = "file.yml") -> tuple[YamlDoc | None, list[str]]:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    problems = Problems(tmp_path)
    doc = load_yaml(path, problems, tmp_path)
    return doc, [f"{p.location}: {p.message}" for p in problems.sorted()]


def check(tmp_path: Path, model: type[EditionIn] | type[AnnotationsIn], content: str) -> list[str]:
    doc, problems = load(tmp_path, content)
    assert doc is not None and not problems
    found = Problems(tmp_path)
    example = EDITION_EXAMPLE if model is EditionIn else ANNOTATIONS_EXAMPLE
    assert validate(model, doc, found, example) is None
    assert all(p.hint.startswith(("The right form looks like this:", "It should look like this:")) for p in found.items)
    return [f"{p.location}: {p.message}" for p in found.sorted()]


ANNOTATIONS = """\
text: a-text
passages:
  - id: one
    quote: >-
      a folded
      quote
  - id: two
    quote: plain
    stances:
      question: stance
"""


def test_line_numbers_of_keys_items_and_values(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, ANNOTATIONS)
    assert doc is not None and problems == []
    assert doc.line("text") == 1
    assert doc.line("passages", 0) == 3
    assert doc.line("passages", 1) == 7
    assert doc.line("passages", 1, "quote") == 8
    assert doc.line("passages", 1, "stances", "question") == 10
    assert doc.value_line("passages", 0, "quote") == 4
    # A key that is not there: the line of the deepest part that is.
    assert doc.line("passages", 1, "note") == 7
    assert doc.line("passages", 9, "quote") == 2
    assert doc.line("nothing") == 1


def test_a_valid_file_validates(tmp_path: Path) -> None:
    doc, _ = load(tmp_path, ANNOTATIONS)
    assert doc is not None
    data = validate(AnnotationsIn, doc, Problems(tmp_path), ANNOTATIONS_EXAMPLE)
    assert data is not None
    assert data.passages[0].quote == "a folded quote"


def test_stars_and_ampersands_in_values_are_not_aliases(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, 'quote: "*not an alias* & no anchor"\nnote: Smith & Co *said*\n')
    assert problems == [] and doc is not None


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("a: &x 1\nb: *x\n", 1),
        ("a: 1\nb:\n  - &anchor [1]\n", 3),
        ("a: 1\nb: 2\nc: *undefined\n", 3),
        # A YAML 1.2 directive sends the file to ruamel.yaml's own parser, which refuses anchors just the same.
        ("%YAML 1.2\n---\na: x\nb: &y 1\n", 4),
        # A "billion laughs" alias bomb is refused before anything is expanded.
        (
            'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n',
            1,
        ),
    ],
)
def test_anchors_and_aliases_are_refused_with_their_line(tmp_path: Path, content: str, line: int) -> None:
    doc, problems = load(tmp_path, content)
    assert doc is None
    assert problems == [f"file.yml:{line}: YAML anchors and aliases (&name, *name) are not allowed in corpus files."]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("title: x\n<<: {b: 1}\n", 1),
        # With an escape the surrogate walk runs too: it met the merged key, which has no line, and crashed.
        ('passages:\n  - id: a\n    <<: {note: "\\u00e9"}\n', 2),
    ],
)
def test_a_merge_key_is_refused_with_its_mapping_s_line(tmp_path: Path, content: str, line: int) -> None:
    doc, problems = load(tmp_path, content)
    assert doc is None
    assert problems == [
        f"file.yml:{line}: a merge key (`<<:`) is not used in corpus files: the keys it brings in have no line "
        "of their own, so no message could point at them."
    ]


def test_a_bare_equals_sign_is_text(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, "note: =\n")
    assert problems == [] and doc is not None
    assert to_plain(doc.root) == {"note": "="}


def test_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert doc is None
    assert problems == [
        'file.yml:3: this is not valid YAML: a key appears twice in the same mapping (found duplicate key "a" with '
        'value "3" (original value: "1")).'
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "a: [1\nb: 2\n",
            "file.yml:1: this is not valid YAML: a list in brackets [ ] is not closed, or its items are not "
            "separated by commas (expected ',' or ']', but got ':').",
        ),
        (
            "passages:\n  - id: x\n   quote: y\n",
            "file.yml:3: this is not valid YAML: this line is not indented like the lines around it "
            "(expected <block end>, but found '<block mapping start>').",
        ),
        (
            "a: 'open\n",
            "file.yml:1: this is not valid YAML: a quoted value is not closed: its closing quote is missing "
            "(found unexpected end of stream).",
        ),
        # With a `*` or `&` in it, libyaml scans for aliases first; its error gives way to ruamel's wording.
        (
            "a: [1\nb: '*x'\n",
            "file.yml:1: this is not valid YAML: a list in brackets [ ] is not closed, or its items are not "
            "separated by commas (expected ',' or ']', but got ':').",
        ),
    ],
)
def test_malformed_yaml_names_its_line(tmp_path: Path, content: str, expected: str) -> None:
    doc, problems = load(tmp_path, content)
    assert doc is None and problems == [expected]


def test_invalid_utf8_names_its_line(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, b"a: 1\nb: caf\xe9\n")
    assert doc is None and problems == [
        "file.yml:2: the file is not valid UTF-8: byte 0xE9 (column 7, after “b: caf”) is not a UTF-8 character."
    ]


def test_a_bom_is_allowed(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, "\ufefftext: t\n")
    assert doc is not None and problems == [] and doc.root == {"text": "t"}


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, "a: " + "x" * 2_000_000)
    assert doc is None
    assert problems == ["file.yml: the file is 2,000,003 bytes; a corpus YAML file may be at most 2,000,000."]


def test_an_empty_file(tmp_path: Path) -> None:
    assert check(tmp_path, AnnotationsIn, "# only a comment\n") == ["file.yml: the file is empty."]


def test_edition_errors_are_translated_and_located(tmp_path: Path) -> None:
    content = """\
source: x.txt
format: html
slug: Bad Slug
titel: T
summary: S
voices:
  - id: v
    nmae: N
headings: [a]
"""
    # `titel` and `nmae` are reported once each, as misspellings: "`title` is missing" would only echo them.
    assert check(tmp_path, EditionIn, content) == [
        "file.yml:2: `format` must be one of 'text' or 'markdown', not 'html'.",
        "file.yml:3: `slug`: 'Bad Slug' is not a valid id: use lower-case letters, digits and single hyphens, "
        "like `rcit-on-stalinists`.",
        "file.yml:4: unknown key `titel` (did you mean `title`?). Known keys here: source, format, slug, title, "
        "summary, publisher, date, date_note, url, url_note, notes, voices, headings, quotations, citations, "
        "bylines, signoffs, omit.",
        "file.yml:8: unknown key `nmae` (did you mean `name`?). Known keys here: id, name, short, kind, about, "
        "heading, lines.",
        "file.yml:9: `headings`: 'a' is not a line number or range: write 12, or 12-15 for lines 12 to 15.",
    ]


def test_annotation_errors_are_translated_and_located(tmp_path: Path) -> None:
    content = """\
text: t
passages:
  - id: p-reserved
    quote: ''
    stances: [a]
    opposes: one
"""
    assert check(tmp_path, AnnotationsIn, content) == [
        "file.yml:3: `id` of item 1 of `passages`: 'p-reserved' starts with p-, s-, v-, cp-, which the reader "
        "keeps for its own anchors.",
        "file.yml:4: `quote` of item 1 of `passages`: must not be empty.",
        "file.yml:5: `stances` of item 1 of `passages` should be a mapping (key: value lines), not a list.",
        "file.yml:6: `opposes` of item 1 of `passages` should be a list, not 'one'.",
    ]


def _indentation(tmp_path: Path, model: type[EditionIn] | type[AnnotationsIn], content: str) -> list[str]:
    doc, problems = load(tmp_path, content)
    assert doc is not None and not problems
    found = Problems(tmp_path)
    assert validate(model, doc, found, "") is None
    return [f"{p.location}: {p.message}\n{p.hint}" for p in found.sorted()]


def test_keys_at_the_column_of_the_key_above_are_one_indentation_problem(tmp_path: Path) -> None:
    content = """\
text: t
passages:
  - id: one
    quote: words
    stances:
    first: a
    second: b
    note: A note.
"""
    assert _indentation(tmp_path, AnnotationsIn, content) == [
        "file.yml:5: `stances:` on line 5 has nothing under it: `first:` on line 6 is at the same column as "
        "`stances:` (column 5), so YAML reads it as a key of item 1 of `passages`, not of `stances`.\n"
        "This is an indentation problem: move `first:`, `second:` right, to column 7 (two spaces further than "
        "`stances:`), so that they are under `stances:`."
    ], "one problem, not also `first` and `second` as unknown keys; `note:` is the passage's"


def test_an_empty_mapping_written_as_nothing_keeps_its_message(tmp_path: Path) -> None:
    content = "text: t\npassages:\n  - id: one\n    quote: words\n    stances:\n    note: A note.\n"
    assert _indentation(tmp_path, AnnotationsIn, content)[0].startswith(
        "file.yml:5: `stances` of item 1 of `passages` should be a mapping (key: value lines), not nothing."
    )
    flow = "text: t\npassages:\n  - {id: one, quote: words, stances: , first: a}\n"
    assert "indentation" not in _indentation(tmp_path, AnnotationsIn, flow)[0], "a flow mapping has no columns to fix"


def test_a_key_of_the_file_indented_into_a_list_item_is_not_also_missing(tmp_path: Path) -> None:
    content = """\
source: a.txt
slug: a
title: A
voices:
  - id: one
    name: One
    summary: What it is.
"""
    assert _indentation(tmp_path, EditionIn, content) == [
        "file.yml:7: `summary:` on line 7 is indented under `voices:` (at column 5), so YAML reads it as part "
        "of `voices`; but `summary` is a key of the file's top level.\n"
        "This is an indentation problem: move `summary:` left, to line up with `voices:` (column 1)."
    ]


def test_the_whole_file_of_the_wrong_shape(tmp_path: Path) -> None:
    assert check(tmp_path, AnnotationsIn, "- a\n- b\n") == [
        "file.yml:1: the file should be a mapping (key: value lines), not a list."
    ]


def test_dates_read_by_yaml_are_validated_as_written(tmp_path: Path) -> None:
    content = "source: x.txt\nslug: s\ntitle: T\nsummary: S\ndate: 2020-01-14\nvoices:\n  - id: v\n    name: N\n"
    doc, _ = load(tmp_path, content)
    assert doc is not None
    data = validate(EditionIn, doc, Problems(tmp_path), EDITION_EXAMPLE)
    assert data is not None and data.date == "2020-01-14"


# -- the libyaml path reads exactly what ruamel.yaml alone reads ---------------------------------------------------

TRICKY = """\
# a comment
plain: yes
no: off
octal: 0o10
leading-zero: 010
underscored: 1_000
float: .inf
exp: 1e3
date: 2020-01-03
bad-date: 2020-02-30
time: 2020-01-03 10:00:00
nothing: ~
empty:
true-ish: True
quoted: "yes\\tno \\u00e9"
single: 'it''s'
folded: >
  one
  two

literal: |-
  keep
    this
flow: {a: 1, b: [x, "y"]}
list:
  - one
  -   two: 2
      three: three
  - - nested
multi line plain: this value
  goes on here
"""


def _shape(node: Any) -> Any:
    """Values, their types and the line and column of every key and item, as ruamel.yaml records them.

    An empty value (`key:` and nothing) has no text of its own: libyaml places it right after the
    colon, ruamel.yaml at the start of the next line. Its key's place is compared; its own is not.
    """
    if isinstance(node, CommentedMap):
        return {
            key: (type(value).__name__, node.lc.key(key), None if value is None else node.lc.value(key), _shape(value))
            for key, value in node.items()
        }
    if isinstance(node, CommentedSeq):
        return [(type(value).__name__, node.lc.item(i), _shape(value)) for i, value in enumerate(node)]
    return (type(node).__name__, node)


def _yaml_files() -> list[Path]:
    repo = Path(__file__).resolve().parents[1]
    return sorted(repo.glob("corpus/**/*.yml")) + sorted(repo.glob("tests/fixtures/**/*.yml"))


@pytest.mark.parametrize("text", [TRICKY, TRICKY.replace("\n", "\r\n")], ids=["lf", "crlf"])
def test_the_libyaml_path_reads_what_ruamel_reads(text: str) -> None:
    assert _shape(yamlfile._round_trip_load(text)) == _shape(round_trip_yaml().load(text))
    assert yamlfile._ruamel_events(text)  # read by libyaml, not by the fallback


def test_every_corpus_and_fixture_file_reads_the_same_both_ways() -> None:
    files = _yaml_files()
    assert len(files) > 20
    for path in files:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        try:
            expected = _shape(round_trip_yaml().load(text))
        except Exception:
            continue  # a fixture of malformed YAML: test_malformed_yaml_names_its_line covers the errors
        assert _shape(yamlfile._round_trip_load(text)) == expected, path


# -- hostile input (issue 18: items 4, 5, 11) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("text: x\npassages: " + "[" * 3000 + "]" * 3000 + "\n", 2),
        ("text: x\npassages: " + "[" * 200_000 + "\n", 2),
        ("text: x\npassages:\n" + "- " * 100_000 + "x\n", 3),
        ("a: " + "{b: " * 5000 + "}" * 5000 + "\n", 1),
        # ruamel.yaml's own parser (libyaml does not take YAML 1.2) is stopped as early.
        ("%YAML 1.2\n---\npassages: " + "[" * 3000 + "]" * 3000 + "\n", 3),
    ],
)
def test_deep_nesting_is_refused_with_its_line_before_it_is_parsed(tmp_path: Path, content: str, line: int) -> None:
    doc, problems = load(tmp_path, content)
    assert doc is None
    assert problems == [
        f"file.yml:{line}: lists and mappings are nested more than {yamlfile.MAX_NESTING} deep here; "
        "no corpus file needs more than a few levels."
    ]


def test_the_nesting_a_corpus_file_needs_is_read(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, "a:\n  b:\n    - c: [[1, 2], {d: [x]}]\n")
    assert problems == [] and doc is not None


@pytest.mark.parametrize(
    ("content", "line", "tag"),
    [
        ("title: !!str 1984\n", 1, "!!str"),
        ("a: 1\nquote: !custom words\n", 2, "!custom"),
        ("voices: !list [a]\n", 1, "!list"),
        ("a: ! x\n", 1, "!"),
        ("%YAML 1.2\n---\nnote: !!binary aGVsbG8=\n", 3, "!!binary"),
    ],
)
def test_a_yaml_tag_is_refused_in_the_words_it_was_written(tmp_path: Path, content: str, line: int, tag: str) -> None:
    doc, problems = load(tmp_path, content)
    assert doc is None
    assert len(problems) == 1 and problems[0].startswith(f"file.yml:{line}: the YAML tag `{tag}` is not used")
    assert "Tagged" not in problems[0]


@pytest.mark.parametrize(
    ("content", "line", "escape"),
    [
        ('name: "phil \\udfff coombes"\n', 1, "\\udfff"),
        ('a: 1\npassages:\n  - note: "a \\ud800 b"\n', 3, "\\ud800"),
        ('list: [ok, "\\ud83d\\ude00"]\n', 1, "\\ud83d"),
        ('"key \\udc00": 1\n', 1, "\\udc00"),
    ],
)
def test_a_lone_surrogate_is_refused_with_its_line(tmp_path: Path, content: str, line: int, escape: str) -> None:
    doc, problems = load(tmp_path, content)
    assert doc is None
    assert problems == [
        f"file.yml:{line}: an escape here, {escape}, is half of a UTF-16 pair, not a character: "
        "it cannot be written to a page or a file."
    ]
    problems[0].encode("utf-8")  # the message itself can be printed
