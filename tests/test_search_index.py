"""The search index (counterpoint/search_index.py), as built: what it holds, what it leaves out, and
that a failure of Pagefind fails the build without leaving an index behind.

The index is read back from Pagefind's own files (search_index.indexed), so that these tests see
what the reader's search sees.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from mkdocs.plugins import get_plugin_logger
from soup import attr

from counterpoint import pagefind_run, search_index
from counterpoint.after_reload import ABANDONED, AfterTheReload
from counterpoint.corpus import load_corpus
from counterpoint.search_index import indexed
from counterpoint.site import Urls
from sitebuild import REPO, Built, build_repo


def _docs(built: Built) -> list[dict[str, Any]]:
    return indexed(built.site)


def _parts(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """A result's anchors that are elements of its page (not the landings, which carry data)."""
    return [a for a in doc["anchors"] if not a["id"].startswith((search_index.LANDING, search_index.STANCES))]


def test_every_result_lands_on_an_element_of_its_page(repo_site: Built) -> None:
    pages: dict[str, BeautifulSoup] = {}
    for doc in _docs(repo_site):
        url, _, anchor = doc["url"].partition("#")
        if url not in pages:
            pages[url] = repo_site.soup(url)
        if anchor:
            assert pages[url].find(id=anchor) is not None, f"{doc['url']}: no element has the id {anchor}"


def test_the_words_of_a_text_are_indexed_on_its_own_page_only(repo_site: Built) -> None:
    """A note's counter-quotes repeat another text's words: they are not indexed with the note's page.
    Nor are the voices' words a question page quotes, nor the lists of texts."""
    corpus = load_corpus(REPO / "corpus", REPO)
    docs = _docs(repo_site)
    by_page: dict[str, str] = {}
    for doc in docs:
        page = doc["url"].partition("#")[0]
        by_page[page] = by_page.get(page, "") + " " + doc["content"]
    checked = 0
    for passage in corpus.passages:
        if len(passage.exact) < 40:
            continue
        own = f"texts/{passage.text_slug}/"
        holding = sorted(page for page, words in by_page.items() if passage.exact in " ".join(words.split()))
        others = [page for page in holding if page != own and passage.exact not in _body(repo_site, page)]
        assert own in holding, f"the words of {passage.id} are not indexed on {own}"
        assert not others, f"the words of {passage.id} ({own}) are indexed on {others}, which only quote them"
        checked += 1
    assert checked > 10


def _body(built: Built, page: str) -> str:
    if not page.startswith("texts/") or page.count("/") != 2:
        return ""
    body = built.soup(page).select_one(".cp-body")
    return " ".join(body.get_text(" ").split()) if body is not None else ""


def test_the_index_leaves_out_navigation_not_addressed_lists_and_apparatus(repo_site: Built) -> None:
    docs = _docs(repo_site)
    contents = " ".join(doc["content"] for doc in docs)
    assert "Texts belong to their authors" not in contents, "the footer is not indexed"
    assert "Skip to content" not in contents and "Permanent link" not in contents
    for doc in docs:
        if doc["url"].startswith("questions/"):
            # Indexed from the corpus, not from their pages (which list the voices not addressing them).
            assert doc["filters"].get("question") and not doc["filters"].get("text"), doc["url"]
    corpus = load_corpus(REPO / "corpus", REPO)
    names = {voice.name for voice in corpus.voices}
    for doc in docs:
        if doc["url"].startswith("questions/"):
            assert not [name for name in names if name in doc["content"]], f"{doc['url']} names voices"
    assert not any(doc["url"].startswith(("search/", "404")) for doc in docs)


def test_every_paragraph_voice_note_and_stance_is_in_a_result_with_its_filters(repo_site: Built) -> None:
    """A voice's result holds its paragraphs and notes, each under its own anchor (a result lands on
    the one holding the words), and the voice's, the text's, and its passages' stances as filters."""
    corpus = load_corpus(REPO / "corpus", REPO)
    anchors: dict[str, tuple[dict[str, Any], str]] = {}
    for doc in _docs(repo_site):
        page = doc["url"].partition("#")[0]
        words = doc["content"].split()
        starts = [*sorted({anchor["location"] for anchor in _parts(doc)}), len(words)]
        for anchor in _parts(doc):
            end = next(start for start in starts if start > anchor["location"])  # the words up to the next anchor
            anchors[f"{page}#{anchor['id']}"] = (doc, " ".join(words[anchor["location"] : end]))
    for passage in corpus.passages:
        text = corpus.text_by_slug[passage.text_slug]
        block = text.blocks[passage.block_index]
        url = f"texts/{text.slug}/#{block.anchor}"
        if url not in anchors:  # a voice's heading: the voice's own anchor holds it
            url = f"texts/{text.slug}/#v-{passage.voice_id}"
        doc, words = anchors[url]
        if url.endswith(block.anchor):
            expected = " ".join(block.visible_text.split())
            # Pagefind ends a block that has no closing punctuation with a full stop of its own.
            assert " ".join(words.split()) in (expected, expected + "."), url
        filters = doc["filters"]
        assert text.title in filters["text"]
        assert text.voice(passage.voice_id).name in filters["voice"]
        for question_id, stance_id in passage.stances:
            question = corpus.question_by_id[question_id]
            assert search_index.stance_filter(question, stance_id) in filters["stance"], url
            assert question.short in filters["question"], url
        if passage.note:
            assert anchors[f"texts/{text.slug}/#fn:{passage.id}"][1] == passage.note
    urls = {doc["url"] for doc in _docs(repo_site)}
    for question in corpus.questions:
        for stance in question.stances:
            assert f"questions/{question.id}/#stance-{stance.id}" in urls


def test_a_failure_of_pagefind_fails_the_build_and_leaves_no_site(tmp_path: Path) -> None:
    built = build_repo(tmp_path, {"site_dir": str(tmp_path / "out")})
    assert built.ok, built.log
    fake = tmp_path / "pagefind-broken"
    fake.write_text("#!/bin/sh\necho 'simulated failure' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    import os
    import subprocess
    import sys

    env = {**os.environ, "PAGEFIND_BINARY_PATH": str(fake), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=built.project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "the search index could not be built" in log and "simulated failure" in log, log
    assert not (tmp_path / "out").exists(), "a failed build leaves no site that could be published"


def test_a_failed_indexing_keeps_the_previous_index_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "pagefind.js").write_text("previous", encoding="utf-8")
    fake = tmp_path / "pagefind-broken"
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    corpus = load_corpus(REPO / "corpus", REPO)
    with pytest.raises(search_index.SearchIndexError, match="ended"):
        search_index.write_index(site, corpus, Urls(True))
    assert (site / "pagefind" / "pagefind.js").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in site.iterdir()) == ["pagefind"], "nothing half-written is left beside it"


def test_links_to_the_filtered_search_name_the_filters_values(repo_site: Built) -> None:
    corpus = load_corpus(REPO / "corpus", REPO)
    from urllib.parse import parse_qs, urlsplit

    values: dict[str, set[str]] = {"stance": set(), "voice": set()}
    for doc in _docs(repo_site):
        for name in values:
            values[name] |= set(doc.get("filters", {}).get(name, []))
    found = 0
    for page, selector in [
        (f"questions/{corpus.questions[0].id}/", ".cp-stance-search a"),
        ("matrix/", "a.cp-matrix-voice-search"),
    ]:
        for link in repo_site.soup(page).select(selector):
            target = urljoin("http://site/" + page, attr(link, "href"))
            assert urlsplit(target).path == "/search/", target
            for name, chosen in parse_qs(urlsplit(target).query).items():
                assert set(chosen) <= values[name], f"{page}: {link['href']} names a value no result has"
                found += 1
    assert found


def test_a_result_found_by_its_stance_alone_knows_where_each_passage_taking_it_is(repo_site: Built) -> None:
    """A search by filters finds no words, so each voice's result says where its passages are and
    which stances they take (empty elements whose ids hold it, search_index.Landing): the words
    there, counted as Pagefind counts, are the passage's own, and the stances are the passage's."""
    import json
    from urllib.parse import unquote

    corpus = load_corpus(REPO / "corpus", REPO)
    by_id = {passage.id: passage for passage in corpus.passages}
    checked = 0
    for doc in _docs(repo_site):
        table = [a["id"] for a in doc["anchors"] if a["id"].startswith(search_index.STANCES)]
        if not table:
            continue
        stance_table = json.loads(unquote(table[0].removeprefix(search_index.STANCES)))
        words = doc["content"].split()
        for anchor in doc["anchors"]:
            if not anchor["id"].startswith(search_index.LANDING):
                continue
            passage_id, _block, count, numbers = json.loads(unquote(anchor["id"].removeprefix(search_index.LANDING)))
            stances = [stance_table[number] for number in numbers]
            passage = by_id[passage_id]
            question_stances = {search_index.stance_filter(corpus.question_by_id[q], s) for q, s in passage.stances}
            assert set(stances) == question_stances, passage_id
            assert set(stances) <= set(doc["filters"]["stance"])
            shown = words[anchor["location"] : anchor["location"] + count]
            first, last = passage.exact.split()[0], passage.exact.split()[-1]
            assert first in shown[0] and last in shown[-1], (passage_id, shown, passage.exact)
            checked += 1
    assert checked > 10


def test_a_result_holds_in_its_metadata_only_words_it_holds(repo_site: Built) -> None:
    """Pagefind 1.5 searches a result's metadata as it searches its words: a word only in the
    metadata (a stance label, "Question") would make a result that shows no match."""
    for doc in _docs(repo_site):
        content = " ".join(doc["content"].split())
        for name, value in doc["meta"].items():
            if name in ("image", "image_alt"):
                continue
            assert " ".join(value.split()) in content, f"{doc['url']}: its {name} {value!r} is not in its words"


def test_an_indexing_started_with_the_build_is_finished_by_it_or_ended(tmp_path: Path) -> None:
    """Pagefind reads the records while the pages render (Indexing); the build's end writes the index
    (write_index), or a failed build ends Pagefind (close) and writes nothing."""
    corpus = load_corpus(REPO / "corpus", REPO)
    urls = Urls(True)
    started = search_index.Indexing(corpus, urls)
    started.close()
    assert started._pagefind is None or started._pagefind._process.poll() is not None, "Pagefind is ended"

    site = tmp_path / "site"
    site.mkdir()
    summary = search_index.write_index(site, corpus, urls, search_index.Indexing(corpus, urls))
    assert summary.records > 0 and (site / "pagefind" / "pagefind.js").is_file()
    assert sorted(p.name for p in site.iterdir()) == ["pagefind"]


def test_the_next_build_abandons_a_rebuilds_index_instead_of_waiting_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Under `mkdocs serve` a rebuild's index is finished after the reload; a save made meanwhile
    stops it (the next build indexes the newer corpus): the last complete index stays, nothing half
    written is left, and the log says so without an error."""
    corpus, urls = load_corpus(REPO / "corpus", REPO), Urls(True)
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "pagefind.js").write_text("the last complete index", encoding="utf-8")
    started = pagefind_run.Indexing(corpus, urls)
    stopped = threading.Event()

    def busy_until_stopped(*args: Any) -> Iterator[tuple[str, Path]]:
        assert stopped.wait(60), "the index was never abandoned"
        return iter(())

    monkeypatch.setattr(pagefind_run, "html_pages", busy_until_stopped)
    kill = started.abandon

    def abandon() -> None:
        kill()
        stopped.set()

    monkeypatch.setattr(started, "abandon", abandon)
    collected: list[bool] = []
    after = AfterTheReload(get_plugin_logger("counterpoint"), lambda: collected.append(True))
    planned: Any = SimpleNamespace(site=SimpleNamespace(corpus=corpus, urls=urls))
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.counterpoint"):
        after.index(site, planned, started, None)
        after.end()  # what the next build's on_config does first
    assert after.thread is None
    assert not collected, "an abandoned index leaves the collection to the next build"
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO] == [
        f"counterpoint: {ABANDONED}"
    ]
    assert (site / "pagefind" / "pagefind.js").read_text(encoding="utf-8") == "the last complete index"
    assert sorted(path.name for path in site.iterdir()) == ["pagefind"]
