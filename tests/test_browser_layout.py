"""Layout in headless Chromium, on a phone (390 px) and a desktop (1280 px), light and dark: nothing is
wider than the window (the matrix and agreement tables scroll inside their own area), and a
full-page screenshot of each kind of page is kept under test-artifacts/screenshots/ to look at.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser import PAGE_TYPES, SCHEMES, WIDTHS, OpenPage, assert_scheme, page_types, screenshot, wait_for_fonts

from sitebuild import Built

pytestmark = pytest.mark.browser

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const clips = e => {
    for (let n = e.parentElement; n && n !== document.documentElement; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (n !== document.body && style.overflowX !== "visible") return true;
      if (style.position === "fixed") return false;
    }
    return false;
  };
  const wide = [];
  for (const e of document.body.querySelectorAll("*")) {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(e).visibility === "hidden") continue;
    if ((box.right > width + 1 || box.left < -1) && !clips(e)) {
      const text = (e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50);
      wide.push(`<${e.tagName.toLowerCase()} class="${e.className}"> from ${Math.round(box.left)} to ${Math.round(box.right)}px: ${text}`);
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, width: innerWidth, wide: wide.slice(0, 8)};
}"""


def overflow(page: Any) -> list[str]:
    found = page.evaluate(OVERFLOW)
    problems = list(found["wide"])
    if found["scrollWidth"] > found["width"]:
        problems.insert(0, f"the page is {found['scrollWidth']}px wide in a {found['width']}px window")
    return problems


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(WIDTHS))
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_nothing_is_wider_than_the_window_and_a_screenshot_is_kept(
    open_page: OpenPage, site_url: str, repo_site: Built, kind: str, device: str, scheme: str
) -> None:
    width, height = WIDTHS[device]
    url = page_types(repo_site)[kind]
    page = open_page(site_url + url, width=width, height=height, scheme=scheme)
    assert_scheme(page, scheme)
    wait_for_fonts(page)
    screenshot(page, f"{kind}-{width}-{scheme}")
    problems = overflow(page)
    assert not problems, f"{url or 'the home page'} at {width}px ({scheme}) is wider than the window:\n" + "\n".join(
        problems
    )


def test_the_overflow_check_sees_what_is_too_wide(open_page: OpenPage, site_url: str) -> None:
    """The check above is not blind: Material hides the page's sideways overflow, so it must look inside."""
    page = open_page(site_url + "method/", width=390, height=844)
    assert overflow(page) == []
    page.evaluate(
        "document.querySelector('.md-content p').insertAdjacentHTML('beforeend', "
        "'<span style=\"display:inline-block;width:900px\">too wide</span>')"
    )
    problems = overflow(page)
    assert problems and "too wide" in "\n".join(problems), problems


@pytest.mark.parametrize("kind", ["matrix", "agreement"])
def test_a_wide_table_scrolls_inside_its_own_area_on_a_phone(
    open_page: OpenPage, site_url: str, repo_site: Built, kind: str
) -> None:
    page = open_page(site_url + page_types(repo_site)[kind], width=390, height=844)
    area = page.locator(".cp-matrix-scroll")
    sizes = area.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1], f"the table fits in {sizes[1]}px; nothing to scroll"
    area.evaluate("e => e.scrollBy(200, 0)")
    assert area.evaluate("e => e.scrollLeft") > 0, "the table's area does not scroll sideways"
    head = page.locator(".cp-matrix-scroll tbody th").first
    assert head.evaluate("e => e.getBoundingClientRect().left") >= area.evaluate(
        "e => e.getBoundingClientRect().left - 1"
    ), "the row heads stay in view while the table scrolls"
    assert overflow(page) == [], "the page itself does not scroll sideways"
