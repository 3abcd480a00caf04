"""No script error on a text page, whatever the reader points at or focuses (issue 18, item 11).

The legend's sample highlights are marks like a passage's, without the passage ids the hover
handler read, and hovering one threw. Every element of the page a pointer or the keyboard can
reach is visited here; the open_page guard fails the test on any script error.
"""

from __future__ import annotations

import pytest
from browser import OpenPage

from sitebuild import Built

pytestmark = pytest.mark.browser


def _a_text_page_with_a_legend(repo_site: Built) -> str:
    for page in sorted(repo_site.site.glob("texts/*/index.html")):
        if 'class="cp-legend"' in page.read_text(encoding="utf-8"):
            return page.parent.relative_to(repo_site.site).as_posix() + "/"
    raise AssertionError("no text page shows the legend")


def test_pointing_at_the_legend_and_every_highlight_raises_no_script_error(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    page = open_page(site_url + _a_text_page_with_a_legend(repo_site))
    page.locator("details.cp-how-to-cite summary").click()  # the legend's header opens, as a reader would
    samples = page.locator(".cp-legend mark")
    assert samples.count() >= 2
    for index in range(samples.count()):
        samples.nth(index).hover()
        page.mouse.move(0, 0)
    marks = page.locator(".cp-body mark.cp-hl")
    for index in range(min(marks.count(), 20)):
        marks.nth(index).hover()
    page.mouse.move(0, 0)
    # Synthetic events on every other element the page has: none may throw either.
    page.evaluate(
        """() => document.querySelectorAll('body *').forEach(el => {
             for (const type of ['mouseover', 'mouseout', 'focusin']) el.dispatchEvent(new Event(type, {bubbles: true}));
           })"""
    )
    page.wait_for_timeout(200)
