"""Searching the site in headless Chromium, with the keyboard, as a reader would: Material's search
over the texts' words, the voices' names and the editors' notes (never the counter-quotes, which
would list a text for another voice's words), and `search.highlight` marking the words on arrival.

The words searched for are chosen from the built site at test time, so that the annotations can change.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import OpenPage, text_slugs
from playwright.sync_api import expect

from sitebuild import Built

pytestmark = pytest.mark.browser

STOP_WORDS = {"of", "the", "a", "an", "and", "in", "on", "to", "is", "it", "for", "by", "as", "at", "or"}


def search(page: Any, site_url: str, words: str) -> Any:
    """Enter `words` into Material's search from the home page, reached with the keyboard; returns the results."""
    page.goto(site_url)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('.md-search__input')"), "/ focuses the search field"
    meta = page.locator(".md-search-result__meta")
    expect(meta, "the search is ready").to_have_text(re.compile("Type to start searching"), timeout=15_000)
    # The words arrive as one input, as from a paste or an input method, then a key is let go (Material
    # searches on keyup): the results shown are those of the whole query, not of the letters typed so far.
    page.keyboard.insert_text(words)
    page.keyboard.press("End")
    expect(meta).to_have_text(re.compile(r"matching document|No matching"), timeout=15_000)
    return page.locator(".md-search-result__list")


def result_links(page: Any, path: str) -> list[str]:
    """The addresses of the results that lead to the page `path` (site-relative), as listed."""
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    return [href for href in hrefs if urlsplit(href).path.endswith("/" + path)]


def page_with_phrase(built: Built, phrase: str) -> str:
    """The one text page whose text (not its notes) holds `phrase`."""
    pages = [
        f"texts/{slug}/"
        for slug in text_slugs(built)
        if phrase in " ".join(built.soup(f"texts/{slug}/").select_one(".cp-body").get_text(" ").split())
    ]
    assert len(pages) == 1, f"{phrase!r} should be in the text of one page, it is in {pages}"
    return pages[0]


def quoting_only_in_counter_quotes(built: Built, phrase: str) -> list[str]:
    """The other text pages that quote `phrase` in a counter-quote but whose searchable text has none of its words."""
    found = []
    for slug in text_slugs(built):
        soup = built.soup(f"texts/{slug}/")
        quoted = any(
            phrase in " ".join(q.get_text(" ").split()) for q in soup.select("[data-search-exclude] .cp-quote")
        )
        for excluded in soup.select("[data-search-exclude]"):
            excluded.decompose()
        searchable = soup.select_one("article").get_text(" ").lower()
        if quoted and not any(re.search(rf"\b{re.escape(w.lower())}", searchable) for w in significant(phrase)):
            found.append(f"texts/{slug}/")
    return found


def significant(words: str) -> list[str]:
    return [w for w in re.findall(r"\w+", words) if w.lower() not in STOP_WORDS]


def follow_and_check_marks(page: Any, links: list[str], words: str, where: str) -> None:
    """Follow the result that carries the words (`?h=`) and check they are marked on arrival, in `where`."""
    wanted = {w.lower() for w in significant(words)}
    carrying = [link for link in links if wanted <= set(" ".join(parse_qs(urlsplit(link).query).get("h", [])).split())]
    assert carrying, f"no result for {words!r} carries all its words to the page (?h=): {links}"
    link = page.locator(f'.md-search-result__item a[href="{carrying[0]}"]').first
    if not link.is_visible():
        # A result's further sections are folded under "N more on this page".
        page.locator(f'.md-search-result__item:has(a[href="{carrying[0]}"]) details > summary').first.click()
    link.click()
    page.wait_for_url(carrying[0])
    expect(page.locator(f"{where} mark[data-md-highlight]").first, f"the words are marked in {where}").to_be_attached()
    marked = page.eval_on_selector_all(
        f"{where} mark[data-md-highlight]", "marks => marks.map(m => m.textContent.toLowerCase())"
    )
    missing = wanted - set(" ".join(marked).split())
    assert not missing, f"search.highlight did not mark {sorted(missing)} in {where} of {page.url} (marked: {marked})"


@pytest.mark.parametrize("phrase", ["Haft Tappeh", "Foundations of Leninism"])
def test_words_of_one_passage_find_its_page_and_are_marked_there(
    open_page: OpenPage, site_url: str, repo_site: Built, phrase: str
) -> None:
    expected = page_with_phrase(repo_site, phrase)
    page = open_page()
    results = search(page, site_url, phrase)
    expect(results.locator(f'a[href*="/{expected}"]').first).to_be_visible()
    listed = {
        urlsplit(href).path.lstrip("/")
        for href in page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    }
    quoting_only = [url for url in quoting_only_in_counter_quotes(repo_site, phrase) if url in listed]
    assert not quoting_only, (
        f"searching {phrase!r} lists texts that have its words only in their notes' counter-quotes, which "
        f"are left out of search: {quoting_only}"
    )
    follow_and_check_marks(page, result_links(page, expected), phrase, ".cp-body")


def test_the_keyboard_alone_opens_a_result(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    expected = page_with_phrase(repo_site, "Haft Tappeh")
    page = open_page()
    search(page, site_url, "Haft Tappeh")
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        if f"/{expected}" in (page.evaluate("document.activeElement.href") or ""):
            break
    else:
        pytest.fail(f"the arrow keys did not reach the result for {expected}")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(site_url + expected)))


@pytest.mark.parametrize("voice", ["Morad Shirin", "phil coombes"])
def test_a_voices_name_finds_the_text_where_it_speaks(
    open_page: OpenPage, site_url: str, repo_site: Built, voice: str
) -> None:
    pages = [
        (f"texts/{slug}/", section["data-voice"])
        for slug in text_slugs(repo_site)
        for section in repo_site.soup(f"texts/{slug}/").select(".cp-body [data-voice]")
        if (heading := section.select_one(".cp-voice-heading")) is not None and voice in heading.get_text(" ")
    ]
    assert pages, f"{voice!r} is not the heading of any voice's section"
    expected, voice_id = pages[0]
    page = open_page()
    search(page, site_url, voice)
    links = result_links(page, expected)
    assert any(urlsplit(link).fragment == f"v-{voice_id}" for link in links), (
        f"searching {voice!r} should list the section of that voice on {expected}; it lists {links}"
    )
    follow_and_check_marks(page, [link for link in links if link.endswith(f"#v-{voice_id}")], voice, "article")


def test_an_editors_note_is_found(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    """A word that only an editor's note uses (not the texts themselves) finds the note's text."""
    bodies = " ".join(
        repo_site.soup(f"texts/{slug}/").select_one(".cp-body").get_text(" ").lower() for slug in text_slugs(repo_site)
    )
    choice = None
    for slug in text_slugs(repo_site):
        for note in repo_site.soup(f"texts/{slug}/").select("li.cp-fn .cp-fn-note"):
            for word in sorted(set(re.findall(r"[A-Za-z]{9,}", note.get_text())), key=lambda w: (-len(w), w)):
                if word.lower() not in bodies:
                    choice = (f"texts/{slug}/", word)
                    break
            if choice:
                break
        if choice:
            break
    assert choice, "no editor's note uses a word of its own"
    expected, word = choice
    page = open_page()
    search(page, site_url, word)
    links = result_links(page, expected)
    assert any(urlsplit(link).fragment == "cp-notes" for link in links), (
        f"searching {word!r}, from a note on {expected}, should list that page's notes; it lists {links}"
    )
    follow_and_check_marks(page, [link for link in links if link.endswith("#cp-notes")], word, ".cp-notes")


def _word_only_after_an_opening_mark(built: Built) -> tuple[str, str]:
    """A word of a text that the search index only has right after an opening quotation mark or bracket."""
    index = json.loads(built.path("search/search_index.json").read_text(encoding="utf-8"))
    plain: set[str] = set()
    after_mark: dict[str, str] = {}
    for doc in index["docs"]:
        text = re.sub(r"<[^>]+>", " ", doc["text"] + " " + doc["title"])
        for token in re.split(r"\s+", text):
            found = re.match(r"^([“‘(\[«\"']+)?([A-Za-z]{5,})", token)
            if not found:
                continue
            word = found.group(2).lower()
            if found.group(1):
                if doc["location"].startswith("texts/") and "#v-" in doc["location"]:
                    after_mark.setdefault(word, doc["location"].split("#")[0])
            else:
                plain.add(word)
    candidates = sorted((w, p) for w, p in after_mark.items() if not any(x.startswith(w) for x in plain))
    if not candidates:
        pytest.skip("every word of the texts also stands without a quotation mark before it somewhere")
    return candidates[0]


def test_a_word_right_after_an_opening_quotation_mark_or_bracket_is_found(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    word, expected = _word_only_after_an_opening_mark(repo_site)
    page = open_page()
    search(page, site_url, word)
    assert result_links(page, expected), (
        f"searching {word!r}, which {expected} has only after an opening quotation mark or bracket, finds nothing "
        f"there (the search index's word separator must take “ ( and the like)"
    )
