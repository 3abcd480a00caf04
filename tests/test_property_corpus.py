"""Any corpus file, however broken, gives located problems, never a crash.

Hypothesis writes YAML-like text (keys the corpus knows, indentation, lists,
quotes, anchors, tags, dates, numbers, tabs, control characters, any Unicode)
as an annotation file, an edition or questions.yml in a copy of the valid
corpus of tests/fixtures/errors/valid. Checking it must either pass or report
problems, each naming a file of the corpus and saying what is wrong; it must
never raise anything else (a traceback is not a message an editor can act on).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from counterpoint.checks import find_problems
from sitebuild import FIXTURES

VALID = FIXTURES / "errors" / "valid" / "corpus"

YAML_PIECES = [
    "\n", "\n", "\n  ", "\n    ", "\n  - ", "\n    - ", "  ", "\t", ": ", ":", "- ", "-", "[", "]", "{", "}", ",",
    "'", '"', "#", " #", "&a ", "*a", "!!str ", "!!python/object:os.system ", "!tag ", "? ", "|", ">-", "---",
    "...", "~", "null", "true", "yes", "2020-02-30", "2020-01-14", "12:30", "0x1F", "1e3", ".inf", "1984",
    "\x07", "\x85", "\u2028", "\ufeff", "é", "日本", "\U0001f600",
    "text", "passages", "id", "quote", "stances", "note", "opposes", "supports", "responds_to", "occurrence",
    "prefix", "suffix", "voice", "source", "slug", "title", "summary", "voices", "name", "lines", "omit",
    "reason", "date", "url", "format", "questions", "question", "label", "heading", "headings",
    "debate", "debate.txt", "first", "second", "first-no", "soleimani", "repressor", "war", "strike",
    "3-7", "9-11", "1", "0", "-1", "https://example.org", "Soleimani was no anti-imperialist",
]  # fmt: skip

yaml_like = st.lists(
    st.one_of(st.sampled_from(YAML_PIECES), st.text(st.characters(exclude_categories=["Cs"]), max_size=4)),
    max_size=60,
).map("".join)

TARGETS = ["annotations/debate.yml", "annotations/extra.yml", "texts/debate.yml", "questions.yml"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(TARGETS), content=yaml_like, keep=st.booleans())
@example(target="questions.yml", content="? ? ", keep=False)  # a null key: pydantic locates it at the document
def test_any_corpus_file_gives_located_problems_never_a_crash(target: str, content: str, keep: bool) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        corpus = root / "corpus"
        shutil.copytree(VALID, corpus)
        path = corpus / target
        # Either a file of its own, or the valid file with the drawn text appended.
        prefix = path.read_text(encoding="utf-8") if keep and path.exists() else ""
        path.write_text(prefix + content, encoding="utf-8")
        problems = find_problems(corpus, root)
        for problem in problems:
            assert problem.file.startswith("corpus/"), problem
            assert (root / problem.file).exists(), problem
            assert problem.message.strip() and problem.message[-1] in ".)?", problem
            assert problem.line is None or problem.line >= 1, problem


KEYS = st.sampled_from(
    ["text", "passages", "id", "quote", "stances", "note", "opposes", "supports", "responds_to", "occurrence",
     "prefix", "suffix", "voice", "source", "slug", "title", "summary", "voices", "name", "lines", "omit",
     "reason", "date", "url", "format", "questions", "question", "label", "heading", "kind", "soleimani",
     "strike", "other"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=False),
    st.sampled_from(["debate", "debate.txt", "first", "first-no", "repressor", "3-7", "2020-02-30", "x", ""]),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
)
documents = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=5)),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(TARGETS), document=documents)
def test_any_yaml_document_gives_located_problems_never_a_crash(target: str, document: object) -> None:
    """Well-formed YAML of any shape: wrong types, missing keys, odd values, in any file of the corpus."""
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(document, out)
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        corpus = root / "corpus"
        shutil.copytree(VALID, corpus)
        (corpus / target).write_text(out.getvalue(), encoding="utf-8")
        for problem in find_problems(corpus, root):
            assert problem.file.startswith("corpus/") and (root / problem.file).exists(), problem
            assert problem.message.strip() and problem.message[-1] in ".)?", problem
