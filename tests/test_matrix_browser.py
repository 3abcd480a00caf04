"""The matrix and compare pages in headless Chromium: hover and focus, keyboard only, the pair in the URL."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitebuild import Built, build_fixture

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FIXTURE = Path(__file__).parent / "fixtures" / "matrix"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium (scripts/test installs it)")
    built: Built = build_fixture(FIXTURE, tmp_path_factory.mktemp("matrix-browser"))
    assert built.ok, built.log
    handler = functools.partial(_Quiet, directory=str(built.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    yield page
    page.close()
    assert not errors, errors
    assert all(url.startswith("http://127.0.0.1:") for url in requests), "no request to another host"


def test_a_cells_words_show_on_keyboard_focus_and_escape_hides_them(page: Any, base_url: str) -> None:
    page.goto(base_url + "matrix/")
    words = page.locator("#cp-w-alpha--sky")
    assert not words.is_visible()
    page.locator(".cp-matrix-scroll").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "cp-w-alpha--sky":
            break
    else:
        pytest.fail("the cell of Alpha on the sky could not be reached with Tab")
    assert words.is_visible()
    assert "The sky is blue." in words.inner_text()
    page.keyboard.press("Escape")
    assert not words.is_visible()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert words.is_visible(), "moving the focus shows the words again"


def test_a_cells_words_show_on_hover(page: Any, base_url: str) -> None:
    page.goto(base_url + "matrix/")
    words = page.locator("#cp-w-beta-writer--water")
    page.locator('a[aria-describedby="cp-w-beta-writer--water"]').hover()
    assert words.is_visible()
    assert "Water is dry" in words.inner_text()


def test_compare_shows_the_pair_in_the_url(page: Any, base_url: str) -> None:
    page.goto(base_url + "matrix/compare/?a=beta-writer&b=alpha")
    summary = page.locator("[data-cp-summary]")
    assert summary.inner_text() == "Beta and Alpha both take a stance on 2 questions, and the same stance on 0 of them."
    sky = page.locator('li.cp-compare-row[data-q="sky"]')
    assert sky.is_visible()
    assert "The sky is grey & low, <script>alert(1)</script>" in sky.locator('[data-side="a"]').inner_text()
    assert "The sky is blue." in sky.locator('[data-side="b"]').inner_text()
    assert "different stances" in sky.locator("[data-rel]").inner_text()
    assert not page.locator('li.cp-compare-row[data-q="unasked"]').is_visible()
    assert page.locator("[data-cp-neither]").inner_text() == "Neither addresses: Unasked."
    assert not page.locator("[data-cp-nojs]").is_visible()
    assert page.evaluate("window.alertCalled === undefined")


def test_compare_works_with_the_keyboard_alone(page: Any, base_url: str) -> None:
    page.goto(base_url + "matrix/compare/")
    assert page.locator("[data-cp-summary]").inner_text() == "Choose two voices."
    page.locator("#cp-compare-a").focus()
    page.keyboard.press("ArrowDown")
    assert page.locator("#cp-compare-a").input_value() == "beta-writer"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-cp-swap')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "cp-compare-b"
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.locator("#cp-compare-b").input_value() == "alpha"
    assert re.search(r"\?a=beta-writer&b=alpha$", page.url)
    assert "Beta and Alpha" in page.locator("[data-cp-summary]").inner_text()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert re.search(r"\?a=alpha&b=beta-writer$", page.url), "the swap button swaps"
    assert page.locator("[data-cp-summary]").inner_text().startswith("Alpha and Beta")


def test_an_agreement_cell_opens_the_pair_in_compare(page: Any, base_url: str) -> None:
    page.goto(base_url + "matrix/agreement/")
    cell = page.locator('td.cp-agree a[href*="a=beta-reader&b=alpha"]')
    assert cell.inner_text().split() == ["1", "of", "1"]
    cell.click()
    page.wait_for_load_state()
    assert page.locator("#cp-compare-a").input_value() == "beta-reader"
    assert page.locator("#cp-compare-b").input_value() == "alpha"
    assert page.locator("[data-cp-summary]").inner_text() == (
        "Reader and Alpha both take a stance on 1 question, and the same stance on 1 of them."
    )


def test_an_unknown_voice_in_the_url_is_ignored(page: Any, base_url: str) -> None:
    page.goto(base_url + 'matrix/compare/?a=nobody"><img src=x onerror=alert(1)>&b=gamma')
    assert page.locator("#cp-compare-a").input_value() == ""
    assert page.locator("#cp-compare-b").input_value() == "gamma"
    assert page.locator("[data-cp-summary]").inner_text() == "The stances of Gamma. Choose a second voice to compare."
