"""The pictures in headless Chromium: axe in both schemes and at both widths, each node a keyboard stop whose
focus shows and whose words open on focus, and screenshots at 390 and 1280 px, light and dark
(test-artifacts/screenshots/maps-*.png), for a person to look at.
"""

from __future__ import annotations

import pytest
from browser import SCHEMES, OpenPage, assert_scheme, axe_violations, screenshot, tab_until

from sitebuild import Built

pytestmark = pytest.mark.browser

PAGES = {"voice map": "matrix/agreement/", "argument map": "questions/anti-imperialism/"}
WIDTHS = {"wide": 1280, "narrow": 390}

FOCUSED_NODE = """() => {
  const node = document.activeElement;
  const mark = node.querySelector('.cp-voice-dot, .cp-map-node-box');
  const tip = node.querySelector('.cp-map-tip');
  const style = getComputedStyle(mark);
  const box = mark.getBoundingClientRect();
  return {stroke: style.stroke, width: parseFloat(style.strokeWidth), tip: getComputedStyle(tip).visibility,
          tipText: tip.textContent, label: node.getAttribute('aria-label'), seen: box.width > 0 && box.height > 0};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("picture", list(PAGES))
def test_axe_finds_no_serious_violation_in_the_pictures(
    open_page: OpenPage, site_url: str, repo_site: Built, picture: str, width: str, scheme: str
) -> None:
    page = open_page(site_url + PAGES[picture], width=WIDTHS[width], scheme=scheme)
    assert_scheme(page, scheme)
    assert page.locator(f".cp-map-{width} svg").first.is_visible()
    violations = axe_violations(page, ".cp-map-section")
    assert not violations, f"axe on the {picture} ({width}, {scheme}):\n" + "\n".join(violations)
    screenshot(page, f"maps-{picture.replace(' ', '-')}-{WIDTHS[width]}-{scheme}", full_page=True)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("picture", list(PAGES))
def test_every_node_is_a_keyboard_stop_with_a_visible_focus_and_its_words(
    open_page: OpenPage, site_url: str, repo_site: Built, picture: str, width: str, scheme: str
) -> None:
    page = open_page(site_url + PAGES[picture], width=WIDTHS[width], scheme=scheme)
    nodes = page.locator(f".cp-map-{width} a.cp-map-node")
    count = nodes.count()
    assert count > 0
    tab_until(page, f".cp-map-{width} a.cp-map-node")
    for index in range(count):
        if index:
            page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_NODE)
        assert focused["seen"], f"node {index} of the {picture} has the focus but is not drawn"
        assert focused["width"] >= 3, f"node {index} of the {picture} shows no focus ({focused})"
        assert focused["tip"] == "visible", f"node {index} of the {picture} does not show its words on focus"
        assert focused["tipText"].strip() and focused["label"], focused
    screenshot(page, f"maps-{picture.replace(' ', '-')}-{WIDTHS[width]}-{scheme}-focus", full_page=False)


def test_the_hidden_picture_takes_no_keyboard_stop(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    page = open_page(site_url + PAGES["argument map"], width=1280)
    assert page.locator(".cp-map-narrow").first.is_hidden()
    tab_until(page, ".cp-map-wide a.cp-map-node")
    for _ in range(page.locator(".cp-map-wide a.cp-map-node").count() + 1):
        page.keyboard.press("Tab")
        assert not page.evaluate("!!document.activeElement.closest('.cp-map-narrow')")
