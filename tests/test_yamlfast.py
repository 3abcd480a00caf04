"""The fast YAML path (counterpoint.yamlfast) reads exactly what ruamel.yaml composing the same events reads.

Exactly: the same values of the same types (ruamel's scalar types with their attributes), the same line
and column of every mapping, list, key, value and item, the same flow or block style; and where a file
is refused, the same problem at the same line, in the same words. Compared on every YAML file of the
repository's corpus and fixtures, on hand-written tricky and hostile samples, on a synthetic corpus
(the benchmark's generator) and on generated documents.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from counterpoint import yamlfast, yamlfile
from counterpoint.problems import Problems
from counterpoint.yamlfile import load_yaml, round_trip_yaml

# bench/ is not installed: `pytest` (unlike `python -m pytest`) does not put the repository on the path.
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from test_yamlfile import ANNOTATIONS, TRICKY  # noqa: E402

from bench.synthetic import make_corpus, write_corpus  # noqa: E402

_SCALAR_ATTRIBUTES = (
    "fold_pos",
    "_width",
    "_underscore",
    "_prec",
    "_m_sign",
    "_m_lead0",
    "_exp",
    "_e_width",
    "_e_sign",
    "comment",
)


def _record(node: Any) -> Any:
    """Everything ruamel.yaml records of a document: values, types, line records, styles, own keys."""
    kind = type(node).__name__
    if isinstance(node, CommentedMap):
        return (
            kind,
            node.lc.line,
            node.lc.col,
            node.lc.data,
            node.fa.flow_style(),
            sorted(map(repr, node._ok)),
            [(repr(key), type(key).__name__, _record(key), _record(value)) for key, value in node.items()],
        )
    if isinstance(node, CommentedSeq):
        return (kind, node.lc.line, node.lc.col, node.lc.data, node.fa.flow_style(), [_record(i) for i in node])
    attributes = {name: getattr(node, name) for name in _SCALAR_ATTRIBUTES if hasattr(node, name)}
    if isinstance(node, float) and math.isnan(node):
        return (kind, "nan", attributes)
    if not isinstance(node, str | int | float | None):
        return (kind, repr(node), attributes)  # ruamel's TaggedScalar (`v: =`) has no equality of its own
    return (kind, node, attributes)


def _outcome(read: Any, text: str) -> Any:
    try:
        return ("read", _record(read(text)))
    except Exception as error:  # the refusal itself is compared
        return ("refused", type(error).__name__, str(error))


def _fast_takes(text: str) -> bool:
    try:
        yamlfile._FAST.document(text)
    except yamlfast.NotFast:
        return False
    return True


def _same_both_ways(text: str) -> bool:
    """Asserts that both ways read `text` alike; True if the fast path took it."""
    assert _outcome(yamlfile._round_trip_load, text) == _outcome(yamlfile._composed_load, text)
    return _fast_takes(text)


def _repository_files() -> list[Path]:
    return sorted(REPO.glob("corpus/**/*.yml")) + sorted(REPO.glob("tests/fixtures/**/*.yml"))


SAMPLES = [
    TRICKY,
    TRICKY.replace("\n", "\r\n"),
    ANNOTATIONS,
    "",
    "\n",
    "# only a comment\n",
    "---\n",
    "--- \n...\n",
    "plain scalar document\n",
    "- a\n- b\n",
    "[]\n",
    "{}\n",
    "a: []\nb: {}\nc: [[]]\nd: [{}]\n",
    "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: nULL\n",
    "t: true\nf: False\nT: TRUE\ny: yes\nn: no\no: on\nx: tRue\n",
    "i: 12\nn: -3\np: +4\nz: 0\nh: 0x1F\nH: 0xAbC\no: 0o17\nb: 0b101\nl: 007\nu: 1_000\nw: 0x_1\ns: 1:30\n",
    "f: 1.5\ng: -.5\nh: 1e3\nk: 1.0E-3\nm: .Inf\nn: -.inf\nq: .NaN\nr: 1.\nu: 1_0.5\nz: 00.5\n",
    "d: 2020-01-14\nt: 2020-01-14T10:00:00Z\ns: 2020-01-14 10:00:00.5 +01:00\nbad: 2020-13-45\nyear: 2020\n",
    "literal: |\n  one\n  two\nkeep: |+\n  x\n\nstrip: |-\n  y\nfolded: >\n  a\n  b\n\n  c\nindent: |2\n   x\n",
    "key with spaces: v\n'quoted key': v\n\"dq key\": v\n? explicit\n: value\n? |\n  block key\n: v\n",
    "1: one\n2.5: float key\ntrue: bool key\n~: null key\n2020-01-01: date key\n",
    'a: "tab\\there"\nb: "\\u00e9\\x41\\U0001F600"\nc: \'it\'\'s\'\nd: "line\\\nfolded"\n',
    "a: multi\n  line\n  plain\nb: 'multi\n  line quoted'\n",
    "list:\n- a\n-   - b\n    - c\n- k: v\n  k2: v2\n-\n- ''\n",
    "flow: {a: 1, b: [x, 'y', \"z\"], c: {d: e}}\nseq: [1, 2.0, true, null, ~, '', 2020-01-01]\n",
    "flow: {a, b: }\nseq: [a: 1, b]\n",
    "a: value # comment\n# between\nb: [x, # inside\n  y]\n",
    "\ufeffbom: yes\n",
    "quote: “curly” ‘quotes’ — dashes … and ∑ unicode 😀\n",
    "note: Smith & Co *said* ! that @ is `fine` % too\n",
    "a: 'value with: colon'\nb: \"# not a comment\"\nc: x#y\nd: -x\ne: ?x\nf: :x\n",
    "=: value key\nv: =\n",
    "<<: {a: 1}\nb: 2\n",
    "a: {<<: {x: 1}}\n",
    "a: <<\n",
    # Refused or left to ruamel.yaml: each must read the same, or be refused in the same words, both ways.
    "a: 1\nb: 2\na: 3\n",
    "a: 1\nb:\n  c: 1\n  c: 2\n",
    "1: a\n1.0: b\n",
    "true: a\n1: b\n",
    "[a, b]: list key\n",
    "{a: 1}: map key\n",
    "? - a\n  - b\n: v\n",
    "a: &x 1\nb: *x\n",
    "a: 1\nb:\n  - &anchor [1]\n",
    "a: 1\nb: 2\nc: *undefined\n",
    "%YAML 1.2\n---\na: x\nb: &y 1\n",
    "%YAML 1.1\n---\na: yes\nb: 010\n",
    "%TAG !e! tag:example.com,2000:\n---\na: x\n",
    "title: !!str 1984\n",
    "a: 1\nquote: !custom words\n",
    "voices: !list [a]\n",
    "a: ! x\n",
    "a: b\n---\nc: d\n",
    "--- a\n--- b\n",
    "a: [1\nb: 2\n",
    "passages:\n  - id: x\n   quote: y\n",
    "a: 'open\n",
    "a: [1\nb: '*x'\n",
    "a: {b: 1\n",
    "a:\n\t- b\n",
    "a: b: c\n",
    "a\nb: c\n",
    "- a\nb: c\n",
    "a: @x\n",
    "a: `x\n",
    "title: A small\x07debate\n",
    "a: \x00\n",
    'name: "phil \\udfff coombes"\n',
    'list: [ok, "\\ud83d\\ude00"]\n',
    '"key \\udc00": 1\n',
    "a:\n  b:\n    - c: [[1, 2], {d: [x]}]\n",
    "a: " + "[" * 16 + "]" * 16 + "\n",
    "a: " + "[" * 15 + "]" * 15 + "\n",
    "text: x\npassages: " + "[" * 3000 + "]" * 3000 + "\n",
    "text: x\npassages: " + "[" * 20_000 + "\n",
    "text: x\npassages:\n" + "- " * 1000 + "x\n",
    "a: " + "{b: " * 500 + "}" * 500 + "\n",
    "l0: &l0 [lol, lol]\nl1: &l1 [*l0, *l0]\n",
]


def test_the_corpus_and_every_fixture_read_the_same_and_fast() -> None:
    files = _repository_files()
    assert len(files) > 20
    for path in files:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        assert _same_both_ways(text), f"{path} was not read by the fast path"


@pytest.mark.parametrize("text", SAMPLES, ids=[f"sample-{n}" for n in range(len(SAMPLES))])
def test_tricky_and_hostile_samples_read_or_fail_the_same(text: str) -> None:
    _same_both_ways(text)
    if text.strip() and len(text) < 4000:  # ruamel alone is slow on the deep ones, refused either way
        # And against ruamel.yaml reading the file alone (its own scanner and parser), where it can.
        try:
            alone = _record(round_trip_yaml().load(text))
        except Exception:
            return
        if _fast_takes(text):
            assert _shape(yamlfile._FAST.document(text)) == _shape_of(alone)


def _shape(node: Any) -> Any:
    return _shape_of(_record(node))


def _shape_of(record: Any) -> Any:
    """A record without what libyaml and ruamel's own scanner place differently: the line of an empty
    value (libyaml: after the colon; ruamel: the next line), and a folded scalar's fold positions
    (ruamel's scanner marks them, libyaml's events do not: the current path has never had them)."""
    kind = record[0]
    if kind == "CommentedMap":
        entries = [(k, t, _shape_of(kr), _shape_of(v)) for k, t, kr, v in record[6]]
        data = {key: value[:2] for key, value in (record[3] or {}).items()}
        return (kind, record[1], record[2], data, record[4], record[5], entries)
    if kind == "CommentedSeq":
        return (kind, record[1], record[2], record[3], record[4], [_shape_of(i) for i in record[5]])
    attributes = {k: v for k, v in record[2].items() if k != "fold_pos"}
    return (kind, record[1], attributes)


def test_the_samples_that_matter_are_taken_or_left_as_meant() -> None:
    assert _fast_takes(TRICKY) and _fast_takes(ANNOTATIONS) and _fast_takes("")
    for left in ("a: &x 1\nb: *x\n", "title: !!str 1984\n", "a: 1\na: 2\n", "<<: {a: 1}\n", "a: b\n---\nc: d\n"):
        assert not _fast_takes(left), left
    assert not _fast_takes("%YAML 1.1\n---\na: yes\n")
    assert not _fast_takes("[a]: b\n")
    assert not _fast_takes("a: " + "[" * 16 + "]" * 16 + "\n")
    assert _fast_takes("a: " + "[" * 15 + "]" * 15 + "\n")


class _Refusing:
    """In place of the fast path: every document goes to ruamel.yaml's composer."""

    def document(self, text: str) -> Any:
        raise yamlfast.NotFast


def _problems(path: Path, root: Path) -> Any:
    problems = Problems(root)
    try:
        doc = load_yaml(path, problems, root)
    except Exception as error:  # a crash must at least be the same crash (`<<:` is one, either way)
        return ("crashed", type(error).__name__, str(error))
    return (
        None if doc is None else _record(doc.root),
        [(p.location, p.message, p.hint) for p in problems.sorted()],
    )


@pytest.mark.parametrize("text", SAMPLES, ids=[f"sample-{n}" for n in range(len(SAMPLES))])
def test_every_problem_is_reported_the_same_both_ways(tmp_path: Path, text: str, monkeypatch: Any) -> None:
    path = tmp_path / "file.yml"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    fast = _problems(path, tmp_path)
    monkeypatch.setattr(yamlfile, "_FAST", _Refusing())
    assert fast == _problems(path, tmp_path)


def test_a_synthetic_corpus_reads_the_same_and_fast(tmp_path: Path) -> None:
    corpus = write_corpus(make_corpus(texts=40, annotations=8, seed=13, multi_voice_share=0.4), tmp_path / "c")
    files = sorted(corpus.rglob("*.yml"))
    assert len(files) > 80
    for path in files:
        assert _same_both_ways(path.read_text(encoding="utf-8")), path


# Generated documents: random nesting of tricky scalars, written by ruamel.yaml in random styles.
_WORDS = st.sampled_from(
    [
        "x",
        "yes",
        "no",
        "true",
        "False",
        "null",
        "~",
        "",
        " ",
        "1",
        "-1",
        "0x1f",
        "0o7",
        "007",
        "1_000",
        "1.5",
        "1e3",
        ".inf",
        "-.NaN",
        "2020-01-14",
        "2020-02-30",
        "2020-01-14 10:00:00",
        "a: b",
        "a #b",
        "#",
        "-",
        "- x",
        "? x",
        "&x",
        "*x",
        "!x",
        "%x",
        "@x",
        "`x",
        "'",
        '"',
        "{",
        "[",
        "]",
        "}",
        ",",
        "é",
        "😀",
        "line\nbreak",
        "trailing ",
        " leading",
        "tab\there",
        "=",
        "<<",
        "\u2028",
        "a\\b",
    ]
)
_SCALARS = st.one_of(_WORDS, st.integers(-(10**20), 10**20), st.booleans(), st.none(), st.text(max_size=12))
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_WORDS, inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_DOCUMENTS, flow=st.sampled_from([None, True, False]), width=st.sampled_from([20, 80, 4096]))
def test_generated_documents_read_the_same_both_ways(document: Any, flow: bool | None, width: int) -> None:
    import io

    from ruamel.yaml import YAML

    writer = YAML(typ="rt")
    writer.default_flow_style = flow
    writer.width = width
    stream = io.StringIO()
    writer.dump(document, stream)
    _same_both_ways(stream.getvalue())
