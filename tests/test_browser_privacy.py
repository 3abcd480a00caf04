"""Private and self-contained, in headless Chromium: every HTML page of the built site is opened and
every request the browser makes (documents, styles, scripts, fonts, images, Pagefind's script,
worker and index chunks, the sitemap) is held and checked; none may leave this machine. The browser resolves no
name but this machine's (tests/browser.py), so the pages are also seen working with the network cut off.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from browser import OpenPage, all_pages, is_local, text_kinds
from playwright.sync_api import expect

from sitebuild import Built

pytestmark = pytest.mark.browser

HINTS = (
    "link[rel~=preconnect], link[rel~=dns-prefetch], link[rel~=prefetch], link[rel~=preload], link[rel~=modulepreload]"
)


SHARDS = 4
"""The crawl is cut into this many tests, every fourth page in each, so that parallel workers share it
(it took 26 s alone, mostly each page's wait for the network to be idle)."""
UNKNOWN = "texts/no-such-text/"


def _crawl(page: Any, site_url: str, urls: list[str]) -> list[str]:
    """Open each page, scrolled to the end, until the network is idle; what went beyond this machine."""
    problems: list[str] = []
    for url in urls:
        before = len(page.guard.outside)
        page.goto(site_url + url, wait_until="networkidle")
        # Anything loaded late (lazy images) loads by the time the network is idle.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        problems += [f"{url or 'home'}: {request}" for request in page.guard.outside[before:]]
        hints = page.eval_on_selector_all(HINTS, "links => links.map(l => l.href)")
        problems += [
            f"{url or 'home'}: a resource hint names another host: {href}" for href in hints if not is_local(href)
        ]
    return problems


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_page_makes_a_request_beyond_this_machine(
    open_page: OpenPage, site_url: str, repo_site: Built, shard: int
) -> None:
    pages = all_pages(repo_site)
    assert len(pages) >= 10, f"the crawl found only {pages}"
    urls = pages[shard::SHARDS]
    page = open_page(intercept=True)
    kinds: set[str] = set()
    page.context.on("request", lambda request: kinds.add(request.resource_type))
    problems = _crawl(page, site_url, urls)
    assert not problems, "requests beyond this machine:\n" + "\n".join(problems)
    early = [url for url in page.guard.requests if "/pagefind/" in url]
    assert not early, f"the search index was loaded before the reader searched: {early[:5]}"
    # The check saw every kind of request a page makes, so it was not looking away; the reading face
    # is only asked for by a page that sets the authors' words (a text page).
    expected = {"document", "stylesheet", "script"} | ({"font"} if any(_is_text(url) for url in urls) else set())
    assert expected <= kinds, f"the crawl of {urls} saw only {sorted(kinds)}"


def _is_text(url: str) -> bool:
    return url.startswith("texts/") and url != "texts/"


def test_an_unknown_page_and_a_search_make_no_request_beyond_this_machine(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    text = f"texts/{text_kinds(repo_site)['single']}/"
    page = open_page(intercept=True, expect_missing=("/" + UNKNOWN,))
    kinds: set[str] = set()
    page.context.on("request", lambda request: kinds.add(request.resource_type))
    problems = _crawl(page, site_url, [text, UNKNOWN])
    assert not problems, "requests beyond this machine:\n" + "\n".join(problems)
    early = [url for url in page.guard.requests if "/pagefind/" in url]
    assert not early, f"the search index was loaded before the reader searched: {early[:5]}"
    expect(page.locator("h1")).to_have_text("This page is not here")
    page.keyboard.press("/")
    page.keyboard.insert_text("Soleimani")
    expect(page.locator(".cp-search-result").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert not page.guard.outside, f"the search made requests beyond this machine: {page.guard.outside}"
    page.guard.outside.clear()
    assert {"document", "stylesheet", "script", "font"} <= kinds, f"the pages saw only {sorted(kinds)}"
    paths = {urlsplit(url).path for url in page.guard.requests}
    assert "/pagefind/pagefind.js" in paths, "Pagefind's script was not among the requests seen"
    assert any(path.endswith(".pf_index") for path in paths), "no chunk of the search index was among the requests seen"
    assert any(path.endswith(".pf_fragment") for path in paths), "no result's fragment was among the requests seen"
    assert any(path.endswith(".woff2") for path in paths), "the reading face was not among the requests seen"


def test_the_reading_face_is_served_by_the_site(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    page = open_page(site_url + f"texts/{text_kinds(repo_site)['single']}/")
    page.evaluate("document.fonts.ready")
    family = page.evaluate("getComputedStyle(document.querySelector('.cp-body .cp-p')).fontFamily")
    assert family.startswith('"Literata Variable"'), family
    assert page.evaluate("document.fonts.check('16px \"Literata Variable\"')"), "the serif did not load"
    fonts = [url for url in page.guard.requests if url.endswith(".woff2")]
    assert fonts and all(url.startswith(site_url) for url in fonts), fonts


def test_search_works_with_the_network_cut_off(open_page: OpenPage, site_url: str) -> None:
    page = open_page(site_url, intercept=True)
    page.keyboard.press("/")
    page.keyboard.type("Soleimani")
    expect(page.locator(".cp-search-result").first).to_be_visible()
    page.locator(".cp-search-result a").first.click()
    expect(page.locator("mark.cp-found").first).to_be_attached()
