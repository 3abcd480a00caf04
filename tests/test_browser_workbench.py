"""The editor's workbench (`counterpoint edit`): select words, save a passage, see the file and the page change.

Runs `counterpoint edit` on a copy of tests/fixtures/matrix, and drives the page in headless
Chromium; the refusals that need no page are sent as plain HTTP requests.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import OpenPage, screenshot
from playwright.sync_api import expect
from serving import Server, serving

from sitebuild import FIXTURES, prepare

pytestmark = pytest.mark.browser

GENEROUS = 180_000  # ms

SELECT = """([paragraphText, words]) => {
  // Select `words` inside the paragraph whose author text contains `paragraphText`, as a mouse would.
  const paragraph = [...document.querySelectorAll(".cp-body .cp-p")].find(p => p.textContent.includes(paragraphText));
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(words);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + words.length);
      const selection = document.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      paragraph.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
      return true;
    }
  }
  return false;
}"""

ACROSS = """([first, second]) => {
  const node = t => {
    const walker = document.createTreeWalker(document.querySelector(".cp-body"), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.includes(t)) return n;
  };
  const a = node(first), b = node(second);
  const range = document.createRange();
  range.setStart(a, a.data.indexOf(first) + 4);
  range.setEnd(b, b.data.indexOf(second) + 5);
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  b.parentElement.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


@pytest.fixture
def edited(tmp_path: Path) -> Iterator[Server]:
    project = prepare(FIXTURES / "matrix", tmp_path)
    command = [sys.executable, "-m", "counterpoint", "edit", "--dev-addr", "127.0.0.1:{port}"]
    with serving(project, command) as server:
        yield server


def _token(server: Server) -> str:
    page = server.get("texts/beta/")[1]
    found = re.search(r"window\.cpWorkbench = \{token: (\"[^\"]+\")\}", page)
    assert found, "the workbench's layer is not in the served page"
    return str(json.loads(found.group(1)))


def _post(server: Server, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        server.address + "_workbench/passage",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _state(server: Server, text: str) -> dict[str, Any]:
    return dict(json.loads(server.get(f"_workbench/state?text={text}")[1]))


def test_select_words_save_a_passage_with_a_stance_and_a_relation(edited: Server, open_page: OpenPage) -> None:
    annotations = edited.project / "corpus" / "annotations" / "beta.yml"
    before = annotations.read_text(encoding="utf-8")
    page = open_page(edited.address + "texts/beta/")
    assert page.evaluate(SELECT, ["Water is dry", "in a sense"])
    panel = page.locator("#cp-wb-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".cp-wb-words")).to_have_text("“in a sense”")
    expect(panel.locator(".cp-wb-voice")).to_have_text("Voice: Beta Writer")
    page.fill("#cp-wb-id", "beta-in-a-sense")
    panel.locator(".cp-wb-question").first.select_option("water")
    panel.locator(".cp-wb-stance").first.select_option("dry")
    page.fill("#cp-wb-note", "Qualifies the claim that water is dry.")
    expect(panel.locator("#cp-wb-suggestions li").first).to_be_visible()
    panel.locator("#cp-wb-suggestions li", has_text="alpha-water").locator(".cp-wb-add-opposes").click()
    expect(panel.locator(".cp-wb-target").last).to_have_value("alpha-water")
    screenshot(page, "workbench-panel", full_page=False)
    page.evaluate("window.cpBeforeSave = true")
    page.click("#cp-wb-save")
    expect(page.locator("#cp-wb-status")).to_contain_text("Saved in beta.yml", timeout=60_000)

    diff = list(
        difflib.unified_diff(
            before.splitlines(), annotations.read_text(encoding="utf-8").splitlines(), lineterm="", n=0
        )
    )
    assert diff[3:] == [
        "+  - id: beta-in-a-sense",
        "+    quote: in a sense",
        "+    stances:",
        "+      water: dry",
        "+    note: Qualifies the claim that water is dry.",
        "+    opposes: [alpha-water]",
    ], "\n".join(diff)

    mark = page.locator('.cp-body mark[data-p="beta-in-a-sense"]')
    expect(mark, "the page reloads showing the new passage").to_have_count(1, timeout=GENEROUS)
    assert page.evaluate("window.cpBeforeSave === undefined")

    # Edit it from the same panel, then delete it: the file is back as it was.
    page.locator('.cp-body mark[data-p="beta-in-a-sense"]').click()
    expect(page.locator("#cp-wb-note")).to_have_value("Qualifies the claim that water is dry.")
    page.fill("#cp-wb-note", "Qualifies the claim.")
    page.evaluate("window.cpBeforeSave = true")
    page.click("#cp-wb-save")
    expect(page.locator("#cp-wb-status")).to_contain_text("Saved", timeout=60_000)
    assert "    note: Qualifies the claim.\n" in annotations.read_text(encoding="utf-8")
    # Wait for the reload the save causes: a passage opened before it would be
    # reloaded away under the click that follows (one CI run in many).
    note = page.locator('li[id="fn:beta-in-a-sense"] .cp-fn-note')
    expect(note, "the page reloads showing the edited note").to_have_text("Qualifies the claim.", timeout=GENEROUS)
    assert page.evaluate("window.cpBeforeSave === undefined")
    expect(page.locator("#cp-wb-panel")).to_be_hidden()
    page.locator('.cp-body mark[data-p="beta-in-a-sense"]').click()
    page.click("#cp-wb-delete")
    expect(page.locator("#cp-wb-status")).to_contain_text("Saved", timeout=60_000)
    assert annotations.read_text(encoding="utf-8") == before
    expect(mark).to_have_count(0, timeout=GENEROUS)
    page.context.close()


def test_a_selection_across_two_paragraphs_is_refused(edited: Server, open_page: OpenPage) -> None:
    page = open_page(edited.address + "texts/alpha/")
    page.evaluate(ACROSS, ["The sky is blue", "It is blue again"])
    expect(page.locator("#cp-wb-status")).to_contain_text("across two paragraphs")
    expect(page.locator("#cp-wb-form")).to_have_count(0)
    page.context.close()


def test_a_save_is_refused_without_the_token_from_another_origin_or_host(edited: Server) -> None:
    token = _token(edited)
    state = _state(edited, "beta")
    save = {"action": "save", "text": "beta", "digest": state["digest"], "id": "beta-x", "quote": "in a sense"}
    origin = edited.address.rstrip("/")
    annotations = edited.project / "corpus" / "annotations" / "beta.yml"
    before = annotations.read_bytes()
    status, answer = _post(edited, save, {"Origin": "http://evil.example", "X-Counterpoint-Token": token})
    assert status == 403 and "origin" in answer["error"]
    status, answer = _post(edited, save, {"Origin": origin, "X-Counterpoint-Token": "guessed"})
    assert status == 403 and "token" in answer["error"]
    status, answer = _post(edited, save, {"Origin": origin})
    assert status == 403
    port = edited.address.rsplit(":", 1)[1].strip("/")
    status, answer = _post(
        edited,
        save,
        {"Origin": "http://attacker.test:" + port, "Host": f"attacker.test:{port}", "X-Counterpoint-Token": token},
    )
    assert status == 403 and "host" in answer["error"]
    assert annotations.read_bytes() == before


def test_a_save_that_would_break_the_corpus_or_overwrite_a_newer_file_is_refused(edited: Server) -> None:
    token = _token(edited)
    headers = {"Origin": edited.address.rstrip("/"), "X-Counterpoint-Token": token}
    annotations = edited.project / "corpus" / "annotations" / "beta.yml"
    before = annotations.read_bytes()
    state = _state(edited, "beta")
    invalid = {
        "action": "save",
        "text": "beta",
        "digest": state["digest"],
        "id": "beta-x",
        "quote": "in a sense",
        "stances": {"water": "damp"},
    }
    status, answer = _post(edited, invalid, headers)
    assert status == 422 and "counterpoint check" in answer["error"]
    assert any("corpus/annotations/beta.yml" in p and "damp" in p for p in answer["problems"]), answer
    assert annotations.read_bytes() == before

    annotations.write_bytes(before + b"# an edit saved meanwhile\n")
    valid = {**invalid, "stances": {"water": "dry"}}
    status, answer = _post(edited, valid, headers)
    assert status == 409 and "changed since" in answer["error"]
    assert annotations.read_bytes() == before + b"# an edit saved meanwhile\n"


def test_the_workbench_refuses_to_listen_beyond_this_machine(tmp_path: Path) -> None:
    import subprocess

    project = prepare(FIXTURES / "matrix", tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "counterpoint", "edit", "--dev-addr", "0.0.0.0:8199"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "this machine only" in result.stderr


RANGE = """([first, last]) => {
  // From the start of `first` to the end of `last`, each in its own text node (across elements).
  const node = t => {
    const walker = document.createTreeWalker(document.querySelector(".cp-body"), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.includes(t)) return n;
  };
  const a = node(first), b = node(last);
  const range = document.createRange();
  range.setStart(a, a.data.indexOf(first));
  range.setEnd(b, b.data.indexOf(last) + last.length);
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  b.parentElement.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def test_a_selection_across_inline_formatting_and_a_line_break(tmp_path: Path, open_page: OpenPage) -> None:
    project = prepare(FIXTURES / "golden", tmp_path)
    annotations = project / "corpus" / "annotations" / "markdown.yml"
    before = annotations.read_text(encoding="utf-8")
    command = [sys.executable, "-m", "counterpoint", "edit", "--dev-addr", "127.0.0.1:{port}"]
    with serving(project, command) as server:
        page = open_page(server.address + "texts/markdown/")
        page.evaluate(RANGE, ["claim, the ", "with a"])
        expect(page.locator(".cp-wb-words")).to_have_text("“claim, the 2nd of them, with a”")
        page.locator("#cp-wb-panel .cp-wb-close").click()
        page.evaluate(RANGE, ["Soft break, then ", "here"])
        expect(page.locator(".cp-wb-words")).to_have_text("“Soft break, then a hard one here”")
        page.fill("#cp-wb-id", "marker-hard-break")
        page.fill("#cp-wb-note", "Ends with a hard line break.")
        page.click("#cp-wb-save")
        expect(page.locator("#cp-wb-status")).to_contain_text("Saved", timeout=60_000)
        added = annotations.read_text(encoding="utf-8")[len(before) :]
        assert "- id: marker-hard-break\n" in added and "quote: Soft break, then a hard one here\n" in added
        expect(page.locator('.cp-body mark[data-p="marker-hard-break"]').first).to_be_visible(timeout=GENEROUS)
        page.context.close()


def test_words_that_occur_twice_get_the_prefix_and_suffix_that_place_them(edited: Server) -> None:
    token = _token(edited)
    headers = {"Origin": edited.address.rstrip("/"), "X-Counterpoint-Token": token}
    annotations = edited.project / "corpus" / "annotations" / "alpha.yml"
    state = _state(edited, "alpha")
    save = {
        "action": "save",
        "text": "alpha",
        "digest": state["digest"],
        "id": "alpha-blue-twice",
        "quote": "blue",
        "prefix": "It is ",
        "suffix": " again, and water is wet.",
        "note": "The second blue.",
    }
    status, answer = _post(edited, save, headers)
    assert status == 200, answer
    text = annotations.read_text(encoding="utf-8")
    assert (
        "  - id: alpha-blue-twice\n    quote: blue\n    prefix: It is\n    suffix: again, and water is wet.\n" in text
    )
