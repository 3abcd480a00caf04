"""Searching the site in headless Chromium, with the keyboard, as a reader would: Pagefind's index
(counterpoint/search_index.py) over the texts' words, the voices' names and the editors' notes (never
the counter-quotes, which would list a text for another voice's words), the words marked on arrival
(?h=, counterpoint-search.js), and the filters by voice, text, question and stance.

The words searched for are chosen from the built site at test time, so that the annotations can change.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import OpenPage, text_slugs
from playwright.sync_api import expect
from soup import one

from counterpoint.search_index import indexed
from sitebuild import Built

pytestmark = pytest.mark.browser

STOP_WORDS = {"of", "the", "a", "an", "and", "in", "on", "to", "is", "it", "for", "by", "as", "at", "or"}


RESULTS = ".cp-search-result a"
STATUS = "[data-cp-search-status]"


def search(page: Any, site_url: str, words: str) -> Any:
    """Enter `words` into the search from the home page, reached with the keyboard; returns the results."""
    page.goto(site_url)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('.md-search__input')"), "/ focuses the search field"
    status = page.locator(STATUS)
    expect(status, "the search says what it is for").to_have_text(re.compile("Type to search"))
    # The words arrive as one input, as from a paste or an input method: the results shown are
    # those of the whole query, not of the letters typed so far.
    page.keyboard.insert_text(words)
    expect(status).to_have_text(re.compile(rf"(\d+ results?|No result) for “{re.escape(words)}”"), timeout=15_000)
    return page.locator(".cp-search-results")


def result_links(page: Any, path: str) -> list[str]:
    """The addresses of the results that lead to the page `path` (site-relative), as listed."""
    hrefs = page.eval_on_selector_all(RESULTS, "links => links.map(a => a.href)")
    return [href for href in hrefs if urlsplit(href).path.endswith("/" + path)]


def page_with_phrase(built: Built, phrase: str) -> str:
    """The one text page whose text (not its notes) holds `phrase`."""
    pages = [
        f"texts/{slug}/"
        for slug in text_slugs(built)
        if phrase in " ".join(one(built.soup(f"texts/{slug}/"), ".cp-body").get_text(" ").split())
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
        searchable = one(soup, "article").get_text(" ").lower()
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
    page.locator(f'{RESULTS}[href="{carrying[0]}"]').first.click()
    page.wait_for_url(carrying[0])
    expect(page.locator(f"{where} mark.cp-found").first, f"the words are marked in {where}").to_be_attached()
    marked = page.eval_on_selector_all(f"{where} mark.cp-found", "marks => marks.map(m => m.textContent.toLowerCase())")
    missing = wanted - set(" ".join(marked).split())
    assert not missing, f"the words {sorted(missing)} were not marked in {where} of {page.url} (marked: {marked})"


@pytest.mark.parametrize("phrase", ["Haft Tappeh", "Foundations of Leninism"])
def test_words_of_one_passage_find_its_page_and_are_marked_there(
    open_page: OpenPage, site_url: str, repo_site: Built, phrase: str
) -> None:
    expected = page_with_phrase(repo_site, phrase)
    page = open_page()
    results = search(page, site_url, phrase)
    expect(results.locator(f'a[href*="/{expected}"]').first).to_be_visible()
    listed = {
        urlsplit(href).path.lstrip("/") for href in page.eval_on_selector_all(RESULTS, "ls => ls.map(a => a.href)")
    }
    quoting_only = [url for url in quoting_only_in_counter_quotes(repo_site, phrase) if url in listed]
    assert not quoting_only, (
        f"searching {phrase!r} lists texts that have its words only in their notes' counter-quotes, which "
        f"are left out of search: {quoting_only}"
    )
    in_text = [link for link in result_links(page, expected) if urlsplit(link).fragment.startswith("p-")]
    follow_and_check_marks(page, in_text, phrase, ".cp-body")


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
        one(repo_site.soup(f"texts/{slug}/"), ".cp-body").get_text(" ").lower() for slug in text_slugs(repo_site)
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
    notes = [link for link in links if urlsplit(link).fragment.startswith("fn:")]
    assert notes, f"searching {word!r}, from a note on {expected}, should list that note; it lists {links}"
    follow_and_check_marks(page, notes, word, ".cp-notes")


def _word_only_after_an_opening_mark(built: Built) -> tuple[str, str]:
    """A word of a text that the search index only has right after an opening quotation mark or bracket."""
    plain: set[str] = set()
    after_mark: dict[str, str] = {}
    for doc in indexed(built.site):
        for token in re.split(r"\s+", doc["content"] + " " + doc["meta"].get("title", "")):
            found = re.match(r"^([“‘(\[«\"']+)?([A-Za-z]{5,})", token)
            if not found:
                continue
            word = found.group(2).lower()
            if found.group(1):
                if doc["url"].startswith("texts/"):
                    after_mark.setdefault(word, doc["url"].split("#")[0])
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


# --- Filters --------------------------------------------------------------------------------------


def _records_with(built: Built, name: str) -> dict[str, int]:
    """How many results of the index carry each value of the filter `name`."""
    counts: dict[str, int] = {}
    for doc in indexed(built.site):
        for value in doc.get("filters", {}).get(name, []):
            counts[value] = counts.get(value, 0) + 1
    return counts


def _search_page(site_url: str, **filters: str) -> str:
    from urllib.parse import urlencode

    return f"{site_url}search/?{urlencode(filters)}"


@pytest.mark.parametrize("name", ["voice", "text", "question", "stance"])
def test_a_filter_alone_lists_every_result_it_names(
    open_page: OpenPage, site_url: str, repo_site: Built, name: str
) -> None:
    counts = _records_with(repo_site, name)
    assert counts, f"no result of the index carries the filter {name}"
    # A value held by a few results, so that they are all shown at once.
    value = min(counts, key=lambda v: (abs(counts[v] - 4), v))
    page = open_page(_search_page(site_url, **{name: value}))
    expect(page.locator(STATUS)).to_have_text(re.compile(rf"^{counts[value]} results? {re.escape(name)}: "))
    links = page.locator(RESULTS)
    expect(links).to_have_count(min(counts[value], 10))
    chip = page.locator(".cp-search-chip")
    expect(chip).to_have_text(f"{name.capitalize()}: {value}")
    for shown in page.eval_on_selector_all(RESULTS, "ls => ls.map(a => a.textContent)"):
        if name != "question":  # a question's results show its stances
            assert value in shown, f"a result of the filter {name}: {value} shows {shown}"


@pytest.mark.parametrize("name", ["stance", "question"])
def test_a_stance_or_question_alone_lands_on_the_passage_taking_it(
    open_page: OpenPage, site_url: str, repo_site: Built, name: str
) -> None:
    """Found by a filter alone (no words), a voice's result leads to its passage that takes the
    stance (or one on the question), not to the start of the voice's part of the text."""
    from counterpoint.corpus import load_corpus
    from counterpoint.search_index import stance_filter
    from sitebuild import REPO

    corpus = load_corpus(REPO / "corpus", REPO)
    by_id = {passage.id: passage for passage in corpus.passages}
    counts = _records_with(repo_site, name)
    value = min(counts, key=lambda v: (abs(counts[v] - 4), v))
    page = open_page(_search_page(site_url, **{name: value}))
    expect(page.locator(STATUS)).to_have_text(re.compile(rf"^\d+ results? {name}: "))
    links = [link for link in result_links_all(page) if "/texts/" in urlsplit(link).path]
    assert links, f"no text among the results of {name}: {value}"
    for link in links:
        anchor = urlsplit(link).fragment
        assert anchor in by_id, f"{link} lands on {anchor!r}, not on a passage"
        passage = by_id[anchor]
        held = [stance_filter(corpus.question_by_id[q], s) for q, s in passage.stances]
        assert any(v == value or v.startswith(value + ": ") for v in held), f"{anchor} takes {held}, not {value}"
        assert urlsplit(link).path.endswith(f"/texts/{passage.text_slug}/")
    page.locator(f'{RESULTS}[href="{links[0]}"]').first.click()
    page.wait_for_url(links[0])
    expect(page.locator(f"[id='{urlsplit(links[0]).fragment}']")).to_be_in_viewport()


def result_links_all(page: Any) -> list[str]:
    links: list[str] = page.eval_on_selector_all(RESULTS, "links => links.map(a => a.href)")
    return links


def present_match(found: re.Match[str] | None) -> re.Match[str]:
    assert found is not None, "the text does not have the expected form"
    return found


def test_a_filter_narrows_words_and_shows_counts(open_page: OpenPage, site_url: str, repo_site: Built) -> None:
    """Words, then a stance chosen among the facets with the keyboard: fewer results, each taking it."""
    page = open_page()
    search(page, site_url, "Soleimani")
    before = int(present_match(re.match(r"\d+", page.locator(STATUS).text_content() or "")).group(0))
    summary = page.locator(".cp-search-facets > summary")
    summary.focus()
    page.keyboard.press("Enter")
    stance = page.locator('.cp-search-facet input[name="stance"]').first
    expect(stance).to_be_visible()
    label = page.locator(".cp-search-facet:has(input[name=stance]) label").first.text_content() or ""
    value, count = present_match(re.fullmatch(r"\s*(.+?)\s+\((\d+)\)\s*", label)).groups()
    stance.focus()
    page.keyboard.press("Space")
    expect(page.locator(STATUS)).to_have_text(re.compile(rf"^{count} results? for “Soleimani”, stance: "))
    assert int(count) < before, f"choosing {value} among {before} results left {count}"
    for shown in page.eval_on_selector_all(RESULTS, "ls => ls.map(a => a.textContent)"):
        assert value in shown, f"a result of the stance {value} shows {shown}"


def test_the_question_pages_and_the_matrix_link_to_the_filtered_search(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    question = sorted(p for p in repo_site.site.glob("questions/*/index.html"))[0]
    url = question.parent.relative_to(repo_site.site).as_posix() + "/"
    page = open_page(site_url + url)
    page.locator(".cp-stance-search a").first.click()
    expect(page.locator(STATUS)).to_have_text(re.compile(r"^\d+ results? stance: "))
    assert page.locator(RESULTS).count() > 0
    page.goto(site_url + "matrix/")
    page.locator("a.cp-matrix-voice-search").first.click()
    expect(page.locator(STATUS)).to_have_text(re.compile(r"^\d+ results? voice: "))
    assert page.locator(RESULTS).count() > 0


def test_search_works_under_a_sub_path(
    open_page: OpenPage, site_server: Any, tmp_path_factory: pytest.TempPathFactory, repo_site: Built
) -> None:
    from sitebuild import build_repo

    built = build_repo(tmp_path_factory.mktemp("sub-path"), {"site_url": "https://example.org/a/sub/path/"})
    assert built.ok, built.log
    root = site_server.mount("/a/sub/path/", built.site)
    expected = page_with_phrase(built, "Haft Tappeh")
    page = open_page()
    search(page, root, "Haft Tappeh")
    links = result_links(page, expected)
    assert links and all(link.startswith(root) for link in links), links
    follow_and_check_marks(page, links, "Haft Tappeh", ".cp-body")
    assert all("/a/sub/path/" in urlsplit(url).path for url in page.guard.requests if "pagefind" in url)


def test_search_works_with_file_urls_from_a_sub_path(
    open_page: OpenPage, site_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """With `use_directory_urls: false` every page is a file (texts/<slug>.html): the results lead to
    those files, on the paragraph holding the words, and the index is found from any page's depth."""
    from sitebuild import build_repo

    built = build_repo(
        tmp_path_factory.mktemp("file-urls"),
        {"use_directory_urls": False, "site_url": "https://example.org/files/"},
    )
    assert built.ok, built.log
    root = site_server.mount("/files/", built.site)
    expected = page_with_phrase_in_files(built, "Haft Tappeh")
    page = open_page()
    search(page, root + "index.html", "Haft Tappeh")
    links = result_links(page, expected)
    assert links, page.eval_on_selector_all(RESULTS, "links => links.map(a => a.href)")
    assert all(urlsplit(link).fragment for link in links), f"every result lands on an anchor: {links}"
    follow_and_check_marks(page, links, "Haft Tappeh", ".cp-body")
    # From a page one folder down, the index is the site's, not one beside the page.
    page.keyboard.press("/")
    page.keyboard.insert_text("Soleimani")
    expect(page.locator(STATUS)).to_have_text(re.compile(r"\d+ results? for “Soleimani”"), timeout=15_000)
    for link in result_links_all(page):
        assert urlsplit(link).path.endswith(".html"), link
    pagefind = [urlsplit(url).path for url in page.guard.requests if "pagefind" in url]
    assert pagefind and all(path.startswith("/files/pagefind/") for path in pagefind), pagefind


def page_with_phrase_in_files(built: Built, phrase: str) -> str:
    pages = [
        f"texts/{slug}.html"
        for slug in text_slugs(built)
        if phrase in " ".join(one(built.soup(f"texts/{slug}.html"), ".cp-body").get_text(" ").split())
    ]
    assert len(pages) == 1, f"{phrase!r} should be in the text of one page, it is in {pages}"
    return pages[0]


def test_without_javascript_no_dead_field_and_the_search_page_says_where_else_to_look(
    open_page: OpenPage, site_url: str, repo_site: Built
) -> None:
    """Without scripts the header shows no search field (Material hides its own the same way: it
    could search nothing); the search page, which a question's stances and the matrix's voices
    link to, says that search needs JavaScript and where the same things are listed."""
    page = open_page(site_url, java_script_enabled=False)
    expect(page.locator(".md-search__input")).to_be_hidden()
    expect(page.locator("label.md-header__button[for='__search']")).to_be_hidden()
    question = sorted(repo_site.site.glob("questions/*/index.html"))[0]
    page.goto(site_url + question.parent.relative_to(repo_site.site).as_posix() + "/")
    page.locator(".cp-stance-search a").first.click()
    page.wait_for_url(re.compile(r"/search/\?stance="))
    note = page.locator("[data-cp-search-nojs]")
    expect(note).to_be_visible()
    expect(note).to_contain_text("needs JavaScript")
    hrefs = note.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for listed in ("texts/", "questions/", "matrix/"):
        assert any(listed in href for href in hrefs), f"the note links to {listed}: {hrefs}"
