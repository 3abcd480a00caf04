"""The matrix and compare pages of the matrix fixture in headless Chromium: hover and focus, keyboard only, the pair in
the URL. The same pages of the real corpus are read in test_browser_reading.py."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The matrix fixture (tests/fixtures/matrix) is served by the session's one server, under
# `matrix_fixture_url`, and opened in the session's one Chromium; `page` is a guarded page
# (tests/browser.py): a request to another host or a script error fails the test.


def test_a_cells_words_show_on_keyboard_focus_and_escape_hides_them(page: Any, matrix_fixture_url: str) -> None:
    page.goto(matrix_fixture_url + "matrix/")
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


def test_a_cells_words_show_on_hover(page: Any, matrix_fixture_url: str) -> None:
    page.goto(matrix_fixture_url + "matrix/")
    words = page.locator("#cp-w-beta-writer--water")
    page.locator('a[aria-describedby="cp-w-beta-writer--water"]').hover()
    assert words.is_visible()
    assert "Water is dry" in words.inner_text()


def test_compare_shows_the_pair_in_the_url(page: Any, matrix_fixture_url: str) -> None:
    page.goto(matrix_fixture_url + "matrix/compare/?a=beta-writer&b=alpha")
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


def test_compare_works_with_the_keyboard_alone(page: Any, matrix_fixture_url: str) -> None:
    page.goto(matrix_fixture_url + "matrix/compare/")
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


def test_an_agreement_cell_opens_the_pair_in_compare(page: Any, matrix_fixture_url: str) -> None:
    page.goto(matrix_fixture_url + "matrix/agreement/")
    cell = page.locator('td.cp-agree a[href*="a=beta-reader&b=alpha"]')
    assert cell.inner_text().split() == ["1", "of", "1"]
    cell.click()
    page.wait_for_load_state()
    assert page.locator("#cp-compare-a").input_value() == "beta-reader"
    assert page.locator("#cp-compare-b").input_value() == "alpha"
    assert page.locator("[data-cp-summary]").inner_text() == (
        "Reader and Alpha both take a stance on 1 question, and the same stance on 1 of them."
    )


def test_an_unknown_voice_in_the_url_is_ignored(page: Any, matrix_fixture_url: str) -> None:
    page.goto(matrix_fixture_url + 'matrix/compare/?a=nobody"><img src=x onerror=alert(1)>&b=gamma')
    assert page.locator("#cp-compare-a").input_value() == ""
    assert page.locator("#cp-compare-b").input_value() == "gamma"
    assert page.locator("[data-cp-summary]").inner_text() == "The stances of Gamma. Choose a second voice to compare."


# --- The real corpus's matrix ------------------------------------------------------------------------


def test_a_real_cells_words_show_on_hover_and_focus_and_its_link_lands_on_those_words(page: Any, site_url: str) -> None:
    page.goto(site_url + "matrix/")
    cell = page.locator("a.cp-cell-link").first
    words = page.locator(f'[id="{cell.get_attribute("aria-describedby")}"]')
    assert not words.is_visible()
    cell.hover()
    assert words.is_visible(), "pointing at a cell shows the voice's words"
    quote = " ".join(words.locator(".cp-quote").inner_text().strip('“”"').split())
    page.mouse.move(2, 2)
    assert not words.is_visible()
    cell.focus()
    assert words.is_visible(), "focusing a cell shows the voice's words"
    href = cell.get_attribute("href")
    passage = href.split("#", 1)[1]
    cell.press("Enter")
    page.wait_for_url(re.compile(re.escape(passage) + "$"))
    pieces = page.locator(f'.cp-body mark.cp-hl[data-p~="{passage}"]')
    assert pieces.count() >= 1, f"{href} leads to no highlighted passage"
    for index in range(pieces.count()):
        expect(pieces.nth(index)).to_have_class(re.compile(r"\bcp-target\b"))
    landed = " ".join(
        page.evaluate(
            """id => [...document.querySelectorAll(`.cp-body mark.cp-hl[data-p~="${id}"]`)]
                     .map(m => m.textContent).join(" ")""",
            passage,
        ).split()
    )
    assert quote.replace(" ", "") in landed.replace(" ", ""), (
        f"the cell quotes {quote!r}, the passage it leads to reads {landed!r}"
    )
