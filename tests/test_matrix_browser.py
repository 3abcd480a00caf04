"""The matrix and compare pages of the matrix fixture in headless Chromium: hover and focus, keyboard only, the pair in
the URL. The same pages of the real corpus are read in test_browser_reading.py. With many voices (the miniature of
tests/scaled.py, served under a sub-path), compare fetches the voices it shows."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from browser import OpenPage, SiteServer
from bs4 import BeautifulSoup
from playwright.sync_api import expect
from scaled import build_scaled
from soup import attr, one

from sitebuild import FIXTURES, Built, build_fixture

pytestmark = pytest.mark.browser

# The matrix fixture (tests/fixtures/matrix) is served by the session's one server, under
# `matrix_fixture_url`, and opened in the session's one Chromium; `page` is a guarded page
# (tests/browser.py): a request to another host or a script error fails the test.


def test_a_cells_words_show_on_keyboard_focus_and_escape_hides_them(page: Any, matrix_fixture_url: str) -> None:
    page.goto(matrix_fixture_url + "matrix/")
    words = page.locator("#cp-w-alpha--sky--blue")
    assert not words.is_visible()
    page.locator(".cp-matrix-scroll").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "cp-w-alpha--sky--blue":
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
    words = page.locator("#cp-w-beta-writer--water--dry")
    page.locator('a[aria-describedby="cp-w-beta-writer--water--dry"]').hover()
    assert words.is_visible()
    assert "Water is dry" in words.inner_text()


def test_compare_shows_the_pair_in_the_url(page: Any, matrix_fixture_url: str) -> None:
    page.goto(matrix_fixture_url + "matrix/compare/?a=beta-writer&b=alpha")
    summary = page.locator("[data-cp-summary]")
    assert summary.inner_text() == (
        "Beta and Alpha both take a stance on 2 questions: the same stance on 0 of them, contradicting stances on 2."
    )
    sky = page.locator('li.cp-compare-row[data-q="sky"]')
    assert sky.is_visible()
    assert "The sky is grey & low, <script>alert(1)</script>" in sky.locator('[data-side="a"]').inner_text()
    assert "The sky is blue." in sky.locator('[data-side="b"]').inner_text()
    assert sky.locator("[data-rel]").inner_text() == "≠ contradicting stances"
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
    assert cell.inner_text().split() == ["1", "of", "1", "0", "opposed"]
    cell.click()
    page.wait_for_load_state()
    assert page.locator("#cp-compare-a").input_value() == "beta-reader"
    assert page.locator("#cp-compare-b").input_value() == "alpha"
    assert page.locator("[data-cp-summary]").inner_text() == (
        "Reader and Alpha both take a stance on 1 question: the same stance on 1 of them."
    )


def test_an_unknown_voice_in_the_url_is_ignored(page: Any, matrix_fixture_url: str) -> None:
    page.goto(matrix_fixture_url + 'matrix/compare/?a=nobody"><img src=x onerror=alert(1)>&b=gamma')
    assert page.locator("#cp-compare-a").input_value() == ""
    assert page.locator("#cp-compare-b").input_value() == "gamma"
    assert page.locator("[data-cp-summary]").inner_text() == "The stances of Gamma. Choose a second voice to compare."


# --- Several stances per voice (tests/fixtures/stances: see tests/test_golden.py) ----------------------


@pytest.fixture(scope="module")
def stances_url(site_server: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    built = build_fixture(FIXTURES / "stances", tmp_path_factory.mktemp("stances-browser"))
    assert built.ok, built.log
    return site_server.mount("/fixtures/stances/", built.site)


def test_a_cell_names_each_stance_held_each_with_its_own_words(page: Any, stances_url: str) -> None:
    page.goto(stances_url + "matrix/")
    labels = page.locator('td.cp-cell:has(a[aria-describedby^="cp-w-one--state--"]) a.cp-cell-link')
    assert labels.locator(".cp-stance-label").all_inner_texts() == ["an oppressed nation", "a reactionary regime"]
    first, second = page.locator("#cp-w-one--state--oppressed"), page.locator("#cp-w-one--state--reactionary")
    labels.nth(1).hover()
    assert second.is_visible() and not first.is_visible(), "one stance's words at a time"
    assert "It is also a reactionary regime" in second.inner_text() and "(and 1 more passage)" in second.inner_text()
    labels.nth(0).focus()
    assert first.is_visible() and "The state is an oppressed nation." in first.inner_text()


def test_compare_tells_contradicting_stances_from_compatible_ones(page: Any, stances_url: str) -> None:
    page.goto(stances_url + "matrix/compare/?a=one&b=two")
    summary = page.locator("[data-cp-summary]")
    assert summary.inner_text() == (
        "One and Two both take a stance on 2 questions: the same stance on 0 of them, contradicting stances on 1, "
        "different but compatible stances on 1."
    )
    state, war = page.locator('li[data-q="state"]'), page.locator('li[data-q="war"]')
    assert state.locator("[data-rel]").inner_text() == "≠ contradicting stances"
    assert war.locator("[data-rel]").inner_text() == "different stances, not contradictory"
    assert state.get_attribute("data-kind") == "opposed" and war.get_attribute("data-kind") == "different"
    one = state.locator('[data-side="a"]')
    assert one.locator(".cp-stance-label").all_inner_texts() == ["an oppressed nation", "a reactionary regime"]
    assert "It is also a reactionary regime" in one.inner_text()
    page.goto(stances_url + "matrix/compare/?a=one&b=three")
    assert page.locator('li[data-q="state"] [data-rel]').inner_text() == "= same stance"
    assert page.locator("[data-cp-summary]").inner_text().endswith("the same stance on 2 of them.")


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


# --- Compare with many voices: the page fetches the two it shows ----------------------------------------


@pytest.fixture(scope="module")
def scaled(site_server: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, str]:
    """The miniature of tests/scaled.py (its compare fetches each voice), served under /fixtures/scaled/sub/path/."""
    built = build_scaled(tmp_path_factory.mktemp("scaled-browser"))
    assert built.ok, built.log
    return built, site_server.mount("/fixtures/scaled/sub/path/", built.site)


def _voices(built: Built) -> list[dict[str, Any]]:
    """The voices compare offers, in order, each with its short name and its words on each question it addresses."""
    listing = json.loads(built.path("matrix/compare/voices.json").read_text(encoding="utf-8"))
    voices = []
    for text in listing["texts"]:
        for voice_id, name in text["voices"]:
            data = json.loads(built.path(f"matrix/compare/voices/{voice_id}.json").read_text(encoding="utf-8"))
            node = one(BeautifulSoup(data["html"], "html.parser"), "[data-voice]")
            words = {attr(p, "data-q"): one(p, "q").get_text() for p in node.select('[data-q]:not([data-stance=""])')}
            voices.append({"id": voice_id, "name": name, "short": attr(node, "data-short"), "words": words})

    return voices


def test_compare_fetches_the_two_voices_it_shows(page: Any, scaled: tuple[Built, str]) -> None:
    built, url = scaled
    voices = _voices(built)
    a, b, c = [voice for voice in voices if voice["words"]][:3]
    page.goto(f"{url}matrix/compare/?a={a['id']}&b={b['id']}")
    summary = page.locator("[data-cp-summary]")
    expect(summary).to_contain_text(f"{a['short']} and {b['short']} both take a stance on")
    assert page.locator("#cp-compare-a").input_value() == a["id"]
    assert page.locator("#cp-compare-b").input_value() == b["id"]
    for question, words in a["words"].items():
        expect(page.locator(f'li.cp-compare-row[data-q="{question}"] [data-side="a"]')).to_contain_text(words)
    fetched = sorted(
        r.split("/fixtures/scaled/sub/path/")[1] for r in page.guard.requests if "/matrix/compare/voices" in r
    )
    assert fetched == sorted(
        ["matrix/compare/voices.json", f"matrix/compare/voices/{a['id']}.json", f"matrix/compare/voices/{b['id']}.json"]
    ), "the list of voices, then only the two chosen"
    page.locator("#cp-compare-b").select_option(c["id"])
    expect(summary).to_contain_text(f"{a['short']} and {c['short']} both take a stance on")
    assert re.search(rf"\?a={a['id']}&b={c['id']}$", page.url)


def test_compare_offers_every_voice_once_the_list_has_come(page: Any, scaled: tuple[Built, str]) -> None:
    built, url = scaled
    page.goto(f"{url}matrix/compare/")
    expect(page.locator("[data-cp-summary]")).to_have_text("Choose two voices.")
    voices = _voices(built)
    for side in ("a", "b"):
        values = page.locator(f"#cp-compare-{side} option").evaluate_all("options => options.map(o => o.value)")
        assert values == ["", *(voice["id"] for voice in voices)]
    first = voices[0]
    page.locator("#cp-compare-a").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("[data-cp-summary]")).to_have_text(
        f"The stances of {first['short']}. Choose a second voice to compare."
    )


def test_compare_says_so_when_a_voice_cannot_be_fetched(open_page: OpenPage, scaled: tuple[Built, str]) -> None:
    built, url = scaled
    a, b = _voices(built)[:2]
    missing = f"/fixtures/scaled/sub/path/matrix/compare/voices/{b['id']}.json"
    page = open_page(expect_missing=(missing,))
    page.route(f"**{missing}", lambda route: route.fulfill(status=404, body="not here"))
    page.goto(f"{url}matrix/compare/?a={a['id']}&b={b['id']}")
    summary = page.locator("[data-cp-summary]")
    expect(summary).to_contain_text(f"The positions of {b['name']} (404")
    expect(summary).to_contain_text("could not be loaded")
    assert not page.locator("[data-cp-rows]").is_visible()
