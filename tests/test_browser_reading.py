"""Reading a text in headless Chromium: a passage's note as a tooltip, following a cross-reference to
the other text and finding the way back, citing a paragraph or a passage, and printing.

Targets are chosen from the built site by their shape (tests/browser.py), never by count, since
the annotations keep changing.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from browser import OpenPage, a_cross_reference, active, tab_until, text_kinds
from playwright.sync_api import expect

from sitebuild import Built

pytestmark = pytest.mark.browser


def _in_view(page: Any, selector: str) -> dict[str, float]:
    """Where the first element matching `selector` is, against the viewport and Material's fixed header."""
    return dict(
        page.evaluate(
            """s => {
              const box = document.querySelector(s).getBoundingClientRect();
              const header = document.querySelector(".md-header").getBoundingClientRect();
              return {top: box.top, bottom: box.bottom, header: header.bottom, height: innerHeight};
            }""",
            selector,
        )
    )


def assert_in_view(page: Any, selector: str, what: str) -> None:
    box = _in_view(page, selector)
    assert box["header"] - 1 <= box["top"] < box["height"], (
        f"{what} is not in view after arriving: its top is at {box['top']:.0f}px, the header ends at "
        f"{box['header']:.0f}px and the window at {box['height']:.0f}px"
    )


def pieces(passage: str) -> str:
    return f'.cp-body mark.cp-hl[data-p~="{passage}"]'


def expect_target(page: Any, passage: str, what: str) -> None:
    """Every piece of the passage, and only those, carries .cp-target, and the passage is in view."""
    marks = page.locator(pieces(passage))
    count = marks.count()
    assert count >= 1, f"{what}: the passage {passage} has no highlighted piece on {page.url}"
    for index in range(count):
        expect(marks.nth(index), f"{what}: piece {index + 1} of {count} of the passage is highlighted").to_have_class(
            re.compile(r"\bcp-target\b")
        )
    others = page.evaluate(
        "s => [...document.querySelectorAll('.cp-target')].filter(e => !e.matches(s)).length", pieces(passage)
    )
    assert others == 0, f"{what}: {others} pieces of other passages are highlighted as the target too"
    assert_in_view(page, f'[id="{passage}"] ~ mark.cp-hl, {pieces(passage)}', what)


# --- A passage's note, as a tooltip -------------------------------------------------------------------


def _a_marker(built: Built) -> tuple[str, str]:
    """A text page and the first marker on it whose note links to another voice."""
    x = a_cross_reference(built)
    return x.start, x.passage


def test_a_marker_shows_its_note_as_a_tooltip_on_hover(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    start, passage = _a_marker(repo_site)
    page = open_page(site_url + start)
    note = page.locator(f'li[id="fn:{passage}"]')
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_have_count(0)
    page.locator(f'[id="fnref:{passage}"] a.footnote-ref').hover()
    expect(tooltip, "pointing at a marker opens its note as a tooltip").to_be_visible()
    expect(tooltip.locator("a.cp-xref").first).to_be_visible()
    assert tooltip.locator("a.cp-xref").count() == note.locator("a.cp-xref").count(), (
        "the tooltip lists the note's cross-references"
    )
    page.mouse.move(2, page.viewport_size["height"] - 2)
    expect(tooltip, "the tooltip closes when the pointer leaves").to_have_count(0)


def test_a_marker_shows_its_note_on_keyboard_focus(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    page = open_page(site_url + f"texts/{text_kinds(repo_site)['comments']}/")
    tab_until(page, ".cp-body a.footnote-ref")
    passage = page.evaluate("document.activeElement.getAttribute('href')").removeprefix("#fn:")
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip, f"focusing the marker of {passage} with Tab opens its note").to_be_visible()
    note_text = page.locator(f'li[id="fn:{passage}"] .cp-fn-head').inner_text()
    assert note_text.split()[:2] == tooltip.locator(".cp-fn-head").inner_text().split()[:2], (
        "the tooltip shows the focused marker's note"
    )
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href') || ''")
    if focused.startswith("#fn:"):
        expect(tooltip.locator(".cp-fn-head")).to_contain_text(
            page.locator(f'li[id="fn:{focused.removeprefix("#fn:")}"] .cp-fn-number').inner_text()
        )
    else:
        expect(tooltip, "moving the focus on closes the tooltip").to_have_count(0)


def test_escape_closes_a_tooltip_opened_by_focus(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    page = open_page(site_url + f"texts/{text_kinds(repo_site)['single']}/")
    tab_until(page, ".cp-body a.footnote-ref")
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tooltip, "Escape dismisses the tooltip (WCAG 1.4.13)").to_be_hidden()
    assert page.evaluate("document.activeElement.matches('a.footnote-ref')"), (
        f"Escape moved the focus to {active(page)}"
    )
    page.keyboard.press("Tab")
    tab_until(page, ".cp-body a.footnote-ref")
    expect(tooltip, "the next marker focused shows its note again").to_be_visible()


def test_escape_closes_a_tooltip_opened_by_pointing(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    start, passage = _a_marker(repo_site)
    page = open_page(site_url + start)
    marker = page.locator(f'[id="fnref:{passage}"] a.footnote-ref')
    marker.hover()
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tooltip, "Escape dismisses the tooltip while the pointer stays on the marker").to_be_hidden()
    page.mouse.move(2, page.viewport_size["height"] - 2)
    marker.hover()
    expect(tooltip, "pointing at the marker again shows the note again").to_be_visible()


# --- Following a cross-reference, and the way back -------------------------------------------------


def test_a_cross_reference_lands_on_the_highlighted_passage(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    x = a_cross_reference(repo_site)
    page = open_page(site_url + x.start)
    page.locator(f'[id="fnref:{x.passage}"] a.footnote-ref').hover()
    link = page.locator(f'.md-tooltip2--active a.cp-xref[href="{x.href}"]').first
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(site_url + x.target + "#" + x.target_passage)
    expect_target(page, x.target_passage, f"following {x.href} from passage {x.number} of {x.start}")


def test_the_way_back_bar_returns_to_the_starting_passage(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    x = a_cross_reference(repo_site)
    page = open_page(site_url + x.start)
    title = page.locator("h1").inner_text().strip()
    page.locator(f'li[id="fn:{x.passage}"] a.cp-xref[href="{x.href}"]').first.click()
    page.wait_for_url(site_url + x.target + "#" + x.target_passage)
    back = page.locator(".cp-return a")
    expect(back).to_be_visible()
    expect(back).to_have_text(f"← Back to passage {x.number} in “{title}”")
    back.click()
    page.wait_for_url(site_url + x.start + "#" + x.passage)
    expect_target(page, x.passage, "the way back")
    expect(page.locator(".cp-return"), "once back, the bar is gone").to_have_count(0)


def test_the_way_back_can_be_dismissed(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    x = a_cross_reference(repo_site)
    page = open_page(site_url + x.start)
    page.locator(f'li[id="fn:{x.passage}"] a.cp-xref[href="{x.href}"]').first.click()
    page.wait_for_url(site_url + x.target + "#" + x.target_passage)
    page.locator(".cp-return button").click()
    expect(page.locator(".cp-return")).to_have_count(0)
    page.reload()
    expect(page.locator(".cp-return"), "a dismissed bar does not come back").to_have_count(0)


def test_the_browsers_back_button_returns_to_the_starting_passage(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    x = a_cross_reference(repo_site)
    page = open_page(site_url + x.start)
    marker = f'[id="fnref:{x.passage}"]'
    page.locator(f"{marker} a.footnote-ref").hover()
    page.locator(f'.md-tooltip2--active a.cp-xref[href="{x.href}"]').first.click()
    page.wait_for_url(site_url + x.target + "#" + x.target_passage)
    page.go_back()
    page.wait_for_url(site_url + x.start)
    page.wait_for_function(
        """s => { const b = document.querySelector(s).getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; }""",
        arg=marker,
    )
    assert_in_view(page, marker, f"the marker of passage {x.number} after the browser's Back")


def test_following_a_cross_reference_with_the_keyboard_alone(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    x = a_cross_reference(repo_site)
    page = open_page(site_url + x.start)
    page.locator(f'[id="fnref:{x.passage}"] a.footnote-ref').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + x.start + f"#fn:{x.passage}")
    tab_until(page, f'li[id="fn:{x.passage}"] a.cp-xref[href="{x.href}"]', limit=30)
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + x.target + "#" + x.target_passage)
    expect_target(page, x.target_passage, "following a cross-reference with Enter")
    # From the passage, Tab reaches the way back before anything after the passage's paragraph.
    inside = """id => document.getElementById(id).closest('.cp-p, li, h1, h2, h3, h4, h5, h6')
                          .contains(document.activeElement)"""
    for _ in range(40):
        page.keyboard.press("Tab")
        if not page.evaluate(inside, x.target_passage):
            break
    assert page.evaluate("!!document.activeElement.closest('.cp-return')"), (
        f"right after the passage, Tab should reach the way back; it reached {active(page)}"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + x.start + "#" + x.passage)
    expect_target(page, x.passage, "the way back, with Enter")


# --- Citing ---------------------------------------------------------------------------------------------


def _citations(page: Any) -> dict[str, str]:
    return dict(json.loads(page.locator("#cp-citations").text_content()))


def test_a_paragraph_number_opens_its_citation_and_permalink(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    """In a page of several voices, the paragraph of a reader comment is cited as that reader's."""
    url = site_url + f"texts/{text_kinds(repo_site)['comments']}/"
    page = open_page(url)
    number = page.locator(".cp-comments [data-voice] a.cp-pn").first
    voice = number.evaluate("e => e.closest('[data-voice]').dataset.voice")
    n = number.get_attribute("data-n")
    paragraph = number.evaluate("e => e.closest('.cp-p').id")
    number.click()
    dialog = page.locator("dialog.cp-cite-dialog[open]")
    expect(dialog, "clicking a paragraph number opens the citation").to_be_visible()
    expect(dialog.locator("h2")).to_have_text(f"Cite this paragraph {n}")
    expect(dialog.locator(".cp-cite-dialog-text")).to_have_text(_citations(page)[voice].removesuffix(".") + f", ¶{n}.")
    expect(dialog.locator("input")).to_have_value(url + "#" + paragraph)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)


def test_a_paragraph_number_opens_the_citation_with_the_keyboard_and_gives_the_focus_back(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    page = open_page(site_url + f"texts/{text_kinds(repo_site)['single']}/")
    tab_until(page, ".cp-body a.cp-pn")
    n = page.evaluate("document.activeElement.dataset.n")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.cp-cite-dialog[open]")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".cp-cite-dialog-text")).to_contain_text(f"¶{n}.")
    assert page.evaluate("!!document.activeElement.closest('dialog.cp-cite-dialog')"), (
        f"the focus moves into the open dialog, not {active(page)}"
    )
    tab_until(page, "dialog.cp-cite-dialog button", limit=5)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert page.evaluate("document.activeElement.matches('a.cp-pn')"), (
        f"closing the dialog gives the focus back to the paragraph number, not to {active(page)}"
    )
    assert page.evaluate("document.activeElement.dataset.n") == n


def test_a_notes_cite_button_cites_the_passage_and_copies_it(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    x = a_cross_reference(repo_site)
    url = site_url + x.start
    page = open_page(url, permissions=["clipboard-read", "clipboard-write"])
    button = page.locator(f'li[id="fn:{x.passage}"] .cp-cite-button')
    expect(button).to_have_text("Cite this passage")
    voice, n = page.evaluate(
        """id => { const a = document.getElementById(id);
                   return [a.closest('[data-voice]').dataset.voice, a.closest('.cp-p').querySelector('.cp-pn').dataset.n]; }""",
        x.passage,
    )
    button.click()
    dialog = page.locator("dialog.cp-cite-dialog[open]")
    expect(dialog.locator("h2")).to_have_text("Cite this passage")
    citation = _citations(page)[voice].removesuffix(".") + f", ¶{n}."
    expect(dialog.locator(".cp-cite-dialog-text")).to_have_text(citation)
    expect(dialog.locator("input")).to_have_value(url + "#" + x.passage)
    dialog.get_by_role("button", name="Copy citation and link").click()
    expect(dialog.locator(".cp-cite-dialog-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == f"{citation} {url}#{x.passage}"
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_have_count(0)


# --- Print ------------------------------------------------------------------------------------------------


def test_print_shows_the_cross_references_with_their_addresses_written_out(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    x = a_cross_reference(repo_site)
    page = open_page(site_url + x.start)
    page.emulate_media(media="print")
    expect(page.locator("#cp-notes"), "the cross-references are printed").to_be_visible()
    expect(page.locator(".md-header"), "the site's header is not printed").to_be_hidden()
    expect(page.locator(".md-sidebar--primary"), "the navigation is not printed").to_be_hidden()
    links = page.locator(".cp-notes a.cp-xref")
    assert links.count() >= 1
    for index in range(links.count()):
        after, href = links.nth(index).evaluate("a => [getComputedStyle(a, '::after').content, a.href]")
        assert href.startswith(site_url), href
        assert after == f'" <{href}>"', f"a printed cross-reference writes out its full address: {after!r}"
    page.emulate_media(media="screen")
    assert links.first.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal"), (
        "on screen the address is not written out"
    )
