"""Live editing: `mkdocs serve` on a copy of the project, a text page open in headless Chromium, an
annotation's note edited in the copy's corpus; the page reloads by itself and shows the new note.

Nothing is asserted about speed: the timeouts are only there so that a broken reload fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import OpenPage, screenshot
from playwright.sync_api import expect
from ruamel.yaml import YAML
from serving import serving

from sitebuild import FIXTURES, REPO, prepare

pytestmark = pytest.mark.browser

GENEROUS = 180_000  # ms


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the project served by `mkdocs serve` (live reload on); yields the copy and its address."""
    with serving(prepare(REPO, tmp_path)) as server:
        yield server.project, server.address


def test_editing_a_note_reloads_the_open_page_with_the_new_note(served: tuple[Path, str], open_page: OpenPage) -> None:
    # `served` comes first, so that the page is closed before the server stops.
    project, address = served
    yaml = YAML()
    annotations = sorted((project / "corpus" / "annotations").glob("*.yml"))
    chosen = None
    for path in annotations:
        data = yaml.load(path)
        for passage in data.get("passages") or []:
            if passage.get("note"):
                chosen = path, data, passage
                break
        if chosen:
            break
    assert chosen, "no annotation has a note to edit"
    path, data, passage = chosen
    page = open_page(address + f"texts/{data['text']}/")
    note = page.locator(f'li[id="fn:{passage["id"]}"] .cp-fn-note')
    expect(note).to_have_count(1)
    page.evaluate("window.cpBeforeReload = true")
    token = f"Edited while the page was open ({os.getpid()})."
    passage["note"] = token
    yaml.dump(data, path)
    expect(note, "the page reloads with the new note").to_have_text(token, timeout=GENEROUS)
    assert page.evaluate("window.cpBeforeReload === undefined"), "the page was reloaded, not patched"


def test_a_corpus_problem_is_shown_in_the_open_page_and_cleared_by_the_fix(tmp_path: Path, open_page: OpenPage) -> None:
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    annotations = project / "corpus" / "annotations" / "debate.yml"
    original = annotations.read_text(encoding="utf-8")
    words = "Soleimani was no anti-imperialist"
    with serving(project) as server:
        page = open_page(server.address + "texts/debate/")
        panel = page.locator("#cp-live-problems")
        expect(panel).to_have_count(0)
        annotations.write_text(original.replace(words, "Soleimani was never an anti-imperialist"), encoding="utf-8")
        expect(panel, "the open page shows the problem").to_be_visible(timeout=GENEROUS)
        expect(panel.locator("strong").first).to_have_text("1 problem in the corpus")
        line = original[: original.index(words)].count("\n") + 1
        expect(panel.locator("[data-cp-location]")).to_have_text(f"corpus/annotations/debate.yml:{line}")
        expect(panel.locator("[data-cp-message]")).to_contain_text("the quote is not in the text")
        expect(panel.locator("pre"), "with the fix: the closest text").to_contain_text(words)
        expect(page.locator(".cp-body"), "the last complete build is still shown").to_contain_text(words)
        assert server.get("texts/debate/", timeout=15)[0] == 200, "a request waits for the fix"
        screenshot(page, "live-problems", full_page=False)

        page.evaluate("window.cpBeforeFix = true")
        annotations.write_text(original, encoding="utf-8")
        expect(panel, "the page returns without the problem once it is fixed").to_have_count(0, timeout=GENEROUS)
        assert page.evaluate("window.cpBeforeFix === undefined"), "the page was reloaded"
        expect(page.locator(".cp-body mark.cp-hl").first).to_be_visible()
        page.context.close()  # before the server stops, so that its live-reload request is not cut off


def test_serve_started_on_a_broken_corpus_shows_its_problems_and_the_text_once_fixed(
    tmp_path: Path, open_page: OpenPage
) -> None:
    """`mkdocs serve` (and `counterpoint edit`) on a corpus that has never built does not end: every page
    lists the problems, and reloads onto the page asked for once they are fixed."""
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    annotations = project / "corpus" / "annotations" / "debate.yml"
    original = annotations.read_text(encoding="utf-8")
    words = "Soleimani was no anti-imperialist"
    annotations.write_text(original.replace(words, "Soleimani was never an anti-imperialist"), encoding="utf-8")
    with serving(project) as server:
        page = open_page(server.address + "texts/debate/")
        panel = page.locator("#cp-live-problems")
        expect(panel).to_be_visible()
        expect(panel.locator("strong").first).to_have_text("1 problem in the corpus")
        expect(panel).to_contain_text("no page of the site can be built until they are fixed")
        expect(panel.locator("[data-cp-message]")).to_contain_text("the quote is not in the text")
        expect(panel.locator("pre")).to_contain_text("Soleimani was [-never an-]{+no+} anti-imperialist")
        assert "every page served lists them instead" in server.log
        page.evaluate("window.cpBeforeFix = true")
        annotations.write_text(original, encoding="utf-8")
        expect(page.locator(".cp-body"), "the page reloads onto the text once fixed").to_contain_text(
            words, timeout=GENEROUS
        )
        expect(panel).to_have_count(0)
        assert page.evaluate("window.cpBeforeFix === undefined"), "the page was reloaded"
        page.context.close()
