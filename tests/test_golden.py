"""Golden test: the verbatim body of two tiny texts' pages, exactly as rendered.

The corpus in tests/fixtures/golden/ has a plain text (CRLF line ends; byline,
heading, omission inside the text, quotation, citation, sign-off, a reader
comment; nested and overlapping passages over characters that need escaping)
and a Markdown text (heading, emphasis, strong, superscript, a link that a
passage ends inside, a hard line break). Each page's `.cp-body` HTML is compared
with tests/golden/<slug>.cp-body.html.

When the page is meant to change (a template or renderer change), regenerate the
golden files and review the diff before committing it:

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from counterpoint.corpus import load_corpus
from counterpoint.model import Corpus
from counterpoint.render.common import Site
from counterpoint.render.text_page import render_text_page
from counterpoint.site import Urls
from sitebuild import FIXTURES

GOLDEN = Path(__file__).parent / "golden"
CORPUS = FIXTURES / "golden" / "corpus"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(CORPUS)


def cp_body(html: str) -> str:
    """The `.cp-body` element as the template wrote it, character for character."""
    start = html.index('<div class="cp-body">')
    end = html.index("</div>", start) + len("</div>")
    body = html[start:end]
    parsed = BeautifulSoup(html, "html.parser").select_one(".cp-body")
    assert parsed is not None and str(parsed) == str(BeautifulSoup(body, "html.parser").select_one(".cp-body"))
    return body + "\n"


@pytest.mark.parametrize("slug", ["plain", "markdown"])
def test_the_text_body_matches_the_golden_file(corpus: Corpus, slug: str) -> None:
    site = Site(corpus, Urls(use_directory_urls=True))
    body = cp_body(str(render_text_page(site, corpus.text_by_slug[slug]).html))
    golden = GOLDEN / f"{slug}.cp-body.html"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(body, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if body != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), body.splitlines(keepends=True), str(golden), "rendered"
            )
        )
        pytest.fail(f"{slug}: the page's body differs from its golden file (UPDATE_GOLDEN=1 to accept):\n{diff}")
