"""Accessibility in headless Chromium: axe-core on every kind of page in the light and the dark scheme,
the keyboard alone through every kind of page, and a visible focus on what a reader tabs to.

axe-core comes bundled in axe-playwright-python (pinned in requirements-test.txt): nothing is
downloaded. Only serious and critical violations of WCAG 2 A/AA fail a test.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser import (
    PAGE_TYPES,
    SCHEMES,
    OpenPage,
    a_cross_reference,
    active,
    assert_focus_visible,
    assert_scheme,
    axe_violations,
    focus_ring_contrast,
    page_types,
    tab_through,
    tab_until,
    text_kinds,
)
from playwright.sync_api import expect

from sitebuild import Built

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_no_serious_wcag_violation(
    open_page: OpenPage, site_url: str, repo_site: Built, kind: str, scheme: str
) -> None:
    url = page_types(repo_site)[kind]
    page = open_page(site_url + url, scheme=scheme)
    assert_scheme(page, scheme)
    violations = axe_violations(page)
    assert not violations, f"axe on {url or 'the home page'} ({scheme}):\n" + "\n".join(violations)


# --- What only shows after a reader acts ----------------------------------------------------------------


def _tooltip(page: Any, site_url: str, built: Built) -> str:
    page.goto(site_url + f"texts/{text_kinds(built)['comments']}/")
    tab_until(page, ".cp-body a.footnote-ref")
    expect(page.locator(".md-tooltip2--active")).to_be_visible()
    return ".md-tooltip2--active"


def _cite_dialog(page: Any, site_url: str, built: Built) -> str:
    page.goto(site_url + f"texts/{text_kinds(built)['single']}/")
    page.locator(".cp-body a.cp-pn").first.click()
    expect(page.locator("dialog.cp-cite-dialog[open]")).to_be_visible()
    return "dialog.cp-cite-dialog"


def _way_back(page: Any, site_url: str, built: Built) -> str:
    x = a_cross_reference(built)
    page.goto(site_url + x.start)
    page.locator(f'li[id="fn:{x.passage}"] a.cp-xref[href="{x.href}"]').first.click()
    expect(page.locator(".cp-return")).to_be_visible()
    return ".cp-return"


def _search_results(page: Any, site_url: str, built: Built) -> str:
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("Soleimani")
    expect(page.locator(".cp-search-result").first).to_be_visible()
    page.locator(".cp-search-facets > summary").click()
    expect(page.locator(".cp-search-facet input").first).to_be_visible()
    return ".md-search"


def _search_by_stance(page: Any, site_url: str, built: Built) -> str:
    """The search page with a stance chosen and no words: the results show the passages taking it."""
    page.goto(site_url + "questions/")
    stance_link = page.locator(".cp-stance-search a").first
    if not stance_link.count():
        question = sorted(built.site.glob("questions/*/index.html"))[0]
        page.goto(site_url + question.parent.relative_to(built.site).as_posix() + "/")
        stance_link = page.locator(".cp-stance-search a").first
    stance_link.click()
    expect(page.locator(".cp-search-result").first).to_be_visible()
    expect(page.locator(".cp-search-chip").first).to_be_visible()
    return ".md-search"


def _matrix_words(page: Any, site_url: str, built: Built) -> str:
    page.goto(site_url + "matrix/")
    tab_until(page, "a.cp-cell-link")
    words = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    expect(page.locator(f'[id="{words}"]')).to_be_visible()
    return ".cp-matrix-scroll"


STATES = {
    "a note as a tooltip": _tooltip,
    "the cite dialog": _cite_dialog,
    "the way back": _way_back,
    "search results": _search_results,
    "search by a stance alone": _search_by_stance,
    "a matrix cell's words": _matrix_words,
}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("state", list(STATES))
def test_axe_finds_no_serious_violation_in_what_opens_on_demand(
    open_page: OpenPage, site_url: str, repo_site: Built, state: str, scheme: str
) -> None:
    page = open_page(scheme=scheme)
    where = STATES[state](page, site_url, repo_site)
    assert_scheme(page, scheme)
    violations = axe_violations(page, where)
    assert not violations, f"axe on {state} ({scheme}, {page.url}):\n" + "\n".join(violations)


# --- The keyboard alone ----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_tab_goes_through_every_page_without_a_trap_and_every_stop_is_in_view(
    open_page: OpenPage, site_url: str, repo_site: Built, kind: str, width: int
) -> None:
    url = page_types(repo_site)[kind]
    page = open_page(site_url + url, width=width)
    log = tab_through(page)
    ids = [entry["id"] for entry in log if entry["id"] >= 0]
    assert ids, f"Tab reached nothing on {url}"
    first_repeat = next((i for i, x in enumerate(ids) if x in ids[:i]), None)
    if first_repeat is not None:
        assert ids[first_repeat] == ids[0], (
            f"a keyboard trap on {url} at {width}px: Tab came back to "
            f"{log[[e['id'] for e in log].index(ids[first_repeat])]['what']} before going through the page"
        )
    # Material's palette switch is a hidden radio button whose label shows the focus (tested below).
    hidden = [
        entry["what"]
        for entry in log
        if not entry["visible"] and "md-option" not in entry["what"] and "md-search__scrollwrap" not in entry["what"]
    ]
    assert not hidden, f"on {url} at {width}px, Tab stops on what the reader cannot see: " + "; ".join(hidden[:10])


FOCUS_TARGETS = {
    "the skip link": ("home", "a.md-skip"),
    "the palette switch": ("home", "input.md-option"),
    "the first passage marker": ("text-with-comments", ".cp-body a.footnote-ref"),
    "a paragraph number": ("text-single-voice", ".cp-body a.cp-pn"),
    "a note's cite button": ("text-markdown", "li.cp-fn .cp-cite-button"),
    "a cross-reference": ("text-markdown", "li.cp-fn a.cp-xref"),
    "a matrix cell": ("matrix", "a.cp-cell-link"),
    "the matrix's scroll area": ("matrix", ".cp-matrix-scroll"),
    "an agreement cell": ("agreement", "td.cp-agree a"),
    "compare's first voice": ("compare", "#cp-compare-a"),
    "compare's swap button": ("compare", "[data-cp-swap]"),
    "the search field": ("home", ".md-search__input"),
    "an edition's details": ("text-single-voice", ".cp-edition summary"),
}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("target", list(FOCUS_TARGETS))
def test_focus_is_visible(open_page: OpenPage, site_url: str, repo_site: Built, target: str, scheme: str) -> None:
    kind, selector = FOCUS_TARGETS[target]
    page = open_page(site_url + page_types(repo_site)[kind], scheme=scheme)
    tab_until(page, selector)
    # The palette switch is a hidden radio button: its label, the visible switch, shows the focus.
    shown = "input.md-option:focus + label" if selector == "input.md-option" else None
    assert_focus_visible(page, target, shown)
    contrast = focus_ring_contrast(page, shown)
    assert contrast >= 3, (
        f"the focus ring of {target} ({scheme}) has a contrast of {contrast:.2f}:1 against its background; WCAG 1.4.11 asks 3:1"
    )


def test_the_palette_switch_works_with_the_keyboard_and_is_kept(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    page = open_page(site_url + "method/", scheme="light")
    assert_scheme(page, "light")
    tab_until(page, "input.md-option")
    label = page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle")
    assert label not in ("none", ""), "the focused palette switch shows no focus on its button"
    for _ in range(3):
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate":
            break
        page.keyboard.press("Enter")
    assert_scheme(page, "dark")
    page.goto(site_url + "matrix/")
    assert_scheme(page, "dark")


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    page = open_page(site_url + f"texts/{text_kinds(repo_site)['single']}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.md-skip')"), f"the first Tab stop is {active(page)}"
    assert_focus_visible(page, "the skip link")
    page.keyboard.press("Enter")
    tab_until(page, ".cp-text a", limit=5)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_navigation_drawer_opens_and_closes_with_the_keyboard_on_a_narrow_window(
    open_page: OpenPage, site_url: str, repo_site: Built, scheme: str
) -> None:
    page = open_page(site_url + "method/", width=390, height=844, scheme=scheme)
    drawer = page.locator(".md-sidebar--primary")
    expect(drawer, "the closed drawer is hidden").to_be_hidden()
    tab_until(page, '.md-header label[for="__drawer"]', limit=10)
    assert_focus_visible(page, "the navigation button")
    contrast = focus_ring_contrast(page)
    assert contrast >= 3, f"the navigation button's focus ring has a contrast of {contrast:.2f}:1 ({scheme})"
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"
    page.keyboard.press("Enter")
    expect(drawer, "Enter on the navigation button opens the drawer").to_be_visible()
    page.wait_for_function("() => document.querySelector('.md-sidebar--primary').contains(document.activeElement)")
    shown = page.evaluate(
        """() => { const e = document.activeElement, b = e.getBoundingClientRect();
                   return e.contains(document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2)); }"""
    )
    assert shown, f"opening the drawer moves the focus to a link the reader can see, not to {active(page)}"
    assert_focus_visible(page, "the first link in the drawer")
    page.keyboard.press("Escape")
    expect(drawer, "Escape closes the drawer").to_be_hidden()
    assert page.evaluate("document.activeElement.matches('.md-header label[for=\"__drawer\"]')"), (
        f"closing the drawer gives the focus back to its button, not to {active(page)}"
    )
    page.keyboard.press(" ")
    expect(drawer, "Space opens it too").to_be_visible()
    page.wait_for_function("() => document.querySelector('.md-sidebar--primary').contains(document.activeElement)")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url != site_url + "method/")
