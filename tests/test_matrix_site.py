"""The matrix, question, agreement and compare pages and the downloads, as built by `mkdocs build --strict`.

Built from tests/fixtures/matrix (see tests/test_matrix.py for its shape), with
directory URLs and without, and from the real corpus (the `repo_site` fixture).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString
from soup import attr, one, present

from counterpoint.corpus import load_corpus
from counterpoint.matrix import COLUMNS
from counterpoint.search_index import indexed
from sitebuild import REPO, Built, build_fixture

FIXTURE = Path(__file__).parent / "fixtures" / "matrix"
VOICES = ["beta-writer", "beta-reader", "alpha", "gamma"]
QUESTIONS = ["sky", "water", "unasked"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_fixture(FIXTURE, tmp_path_factory.mktemp("matrix-site"))
    assert built.ok, built.log
    return built


@pytest.fixture(scope="module")
def flat_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_fixture(FIXTURE, tmp_path_factory.mktemp("matrix-flat"), {"use_directory_urls": False})
    assert built.ok, built.log
    return built


def resolve(built: Built, from_url: str, href: str) -> tuple[str, str]:
    """(site URL, anchor) of a relative link found on the page at `from_url`."""
    assert not urlsplit(href).scheme and not href.startswith("/"), f"not a relative link: {href}"
    absolute = urlsplit(urljoin("http://site.test/" + from_url, href))
    return absolute.path.removeprefix("/"), absolute.fragment


def assert_lands(built: Built, from_url: str, href: str) -> BeautifulSoup:
    """The page `href` on `from_url` leads to (parsed once, shared: read only), asserting that it was built
    and holds its #anchor."""
    return built.links.soup(built.links.lands(from_url, href))


def template_text(tag: Tag) -> str:
    """Text inside a <template>, which BeautifulSoup's get_text() leaves out."""
    return "".join(str(s) for s in tag.descendants if isinstance(s, NavigableString))


def cells(soup: BeautifulSoup) -> list[Tag]:
    return soup.select("table.cp-matrix td.cp-cell")


# -- the matrix ------------------------------------------------------------------------


def test_the_matrix_has_a_cell_for_every_voice_and_question(site: Built) -> None:
    soup = site.soup("matrix/")
    heads = [th.get_text(" ", strip=True) for th in soup.select("table.cp-matrix thead th")]
    assert [h.split(" ")[0] for h in heads] == ["Beta", "Reader", "Alpha", "Gamma"]
    rows = soup.select("table.cp-matrix tbody tr")
    assert [present(present(row.th).a).get_text(strip=True) for row in rows] == ["The sky", "Water", "Unasked"]
    assert all(len(row.select("td.cp-cell")) == len(VOICES) for row in rows)
    assert len(cells(soup)) == len(VOICES) * len(QUESTIONS)


def test_cells_name_the_stance_with_shape_and_label_and_not_addressed_is_explicit(site: Built) -> None:
    soup = site.soup("matrix/")
    table = [[td for td in row.select("td.cp-cell")] for row in soup.select("table.cp-matrix tbody tr")]
    addressed = {
        (QUESTIONS[r], VOICES[c]) for r, row in enumerate(table) for c, td in enumerate(row) if td.a is not None
    }
    assert addressed == {
        ("sky", "beta-writer"),
        ("sky", "beta-reader"),
        ("sky", "alpha"),
        ("water", "beta-writer"),
        ("water", "alpha"),
    }
    for r, row in enumerate(table):
        for c, td in enumerate(row):
            if (QUESTIONS[r], VOICES[c]) in addressed:
                chip = td.select_one(".cp-stance")
                assert chip is not None and chip.select_one("svg.cp-shape") is not None, "a shape, not colour alone"
                assert one(chip, ".cp-stance-label").get_text(strip=True)
            else:
                assert td.get_text(" ", strip=True).endswith("not addressed")
    grey = table[0][0]
    assert "cp-stance-1" in one(grey, ".cp-stance")["class"]
    assert one(grey, ".cp-stance-label").get_text() == "grey <b>and</b> low"
    assert grey.find("b") is None


def test_a_cell_quotes_the_voice_on_hover_and_focus_and_links_to_the_passage(site: Built) -> None:
    soup = site.soup("matrix/")
    links = soup.select("td.cp-cell a.cp-cell-link")
    assert len(links) == 5
    for link in links:
        words = soup.find(id=link["aria-describedby"])
        assert words is not None and "cp-cell-words" in words["class"]
        assert words.find_parent("td") is link.find_parent("td"), "shown by :hover and :focus-within of the cell"
        target = assert_lands(site, "matrix/", attr(link, "href"))
        anchor = resolve(site, "matrix/", attr(link, "href"))[1]
        assert "cp-anchor" in present(target.find(id=anchor))["class"], "the link lands on a passage anchor"
    alpha_sky = soup.select("table.cp-matrix tbody tr")[0].select("td.cp-cell")[2]
    assert present(alpha_sky.a)["href"] == "../texts/alpha/#alpha-sky", "the voice's first passage on the question"
    assert one(alpha_sky, "q.cp-quote").get_text() == "The sky is blue."
    beta = soup.select("table.cp-matrix tbody tr")[0].select("td.cp-cell")[0]
    assert one(beta, "q.cp-quote").get_text() == ("The sky is grey & low, <script>alert(1)</script> whatever they say.")
    assert soup.find("script", string=lambda s: bool(s) and "alert" in s) is None


def test_matrix_headers_link_to_the_voices_texts_and_the_question_pages(site: Built) -> None:
    soup = site.soup("matrix/")
    voice_links = [attr(a, "href") for a in soup.select("table.cp-matrix thead th a:not(.cp-matrix-voice-search)")]
    searches = [a["href"] for a in soup.select("table.cp-matrix thead th a.cp-matrix-voice-search")]
    assert searches[0] == "../search/?voice=Beta+Writer" and len(searches) == 4, searches
    assert voice_links == [
        "../texts/beta/#v-beta-writer",
        "../texts/beta/#v-beta-reader",
        "../texts/alpha/",
        "../texts/gamma/",
    ]
    question_links = [attr(a, "href") for a in soup.select("table.cp-matrix tbody th a")]
    assert question_links == ["../questions/sky/", "../questions/water/", "../questions/unasked/"]
    for href in voice_links + question_links:
        assert_lands(site, "matrix/", href)


def test_the_matrix_says_order_and_colours_carry_no_verdict_and_links_its_downloads(site: Built) -> None:
    soup = site.soup("matrix/")
    text = one(soup, "article.cp-matrix-page").get_text(" ", strip=True)
    assert "Neither the order nor the shapes and colours carry a verdict" in text
    assert "order their texts were published" in text
    downloads = {a.get_text(strip=True): attr(a, "href") for a in soup.select(".cp-downloads a")}
    assert downloads == {"matrix.csv": "../downloads/matrix.csv", "matrix.json": "../downloads/matrix.json"}
    for href in downloads.values():
        assert site.path(resolve(site, "matrix/", href)[0]).is_file()

    assert "relative to the root of this site" in text


def test_the_matrix_stays_usable_on_a_phone(site: Built) -> None:
    """A keyboard-focusable scroll area whose headers stick (checked on the built CSS)."""
    soup = site.soup("matrix/")
    area = soup.select_one(".cp-matrix-scroll")
    assert area is not None and area["tabindex"] == "0" and area["role"] == "region"
    css = (site.site / "assets" / "counterpoint.css").read_text(encoding="utf-8")
    assert "position: sticky" in css[css.index(".cp-matrix thead th") :]


# -- questions --------------------------------------------------------------------------


def test_every_question_has_a_page_with_its_stances_voices_and_words(site: Built) -> None:
    for question in QUESTIONS:
        assert site.path(f"questions/{question}/").is_file()
    soup = site.soup("questions/sky/")
    assert present(soup.h1).get_text(strip=True) == "What colour is the sky?"
    sections = soup.select("section.cp-stance-section")
    assert [present(s.h2)["id"] for s in sections] == ["stance-blue", "stance-grey", "stance-green"]
    blue = sections[0]
    assert [a.get_text(strip=True) for a in blue.select(".cp-voice-words-voice a")] == [
        "A reader of Beta",
        "Alpha Group",
    ]
    quotes = [q.get_text() for q in blue.select("q.cp-quote")]
    assert quotes == ["the sky is blue, as anyone can see", "The sky is blue.", "It is blue again"]
    for link in soup.select("a.cp-words-link"):
        assert_lands(site, "questions/sky/", attr(link, "href"))
    assert "No voice takes this stance" in sections[2].get_text()
    missing = [a.get_text(strip=True) for a in soup.select(".cp-missing-voices a")]
    assert missing == ["Gamma"]


def test_a_question_page_lists_the_declared_relations_between_its_passages(site: Built) -> None:
    sky = site.soup("questions/sky/").select_one(".cp-relations")
    assert sky is not None
    assert " ".join(sky.get_text(" ", strip=True).split()).count("responds to") == 1
    water = one(site.soup("questions/water/"), ".cp-relations").get_text(" ", strip=True)
    assert "Alpha" in water and "opposes" in water and "Water is dry" in water
    assert site.soup("questions/unasked/").select_one(".cp-relations") is None


def test_the_text_pages_links_to_question_pages_all_resolve(site: Built) -> None:
    checked = 0
    for slug in ("alpha", "beta", "gamma"):
        soup = site.soup(f"texts/{slug}/")
        for link in soup.select('a[href*="questions/"]'):
            assert_lands(site, f"texts/{slug}/", attr(link, "href"))
            checked += 1
    assert checked > 0


def test_the_questions_index_lists_every_question_with_its_stances(site: Built) -> None:
    soup = site.soup("questions/")
    cards = soup.select("li.cp-question-card")
    assert [present(present(c.h2).a)["href"] for c in cards] == ["sky/", "water/", "unasked/"]
    counts = [li.get_text(" ", strip=True) for li in cards[0].select(".cp-question-card-stances li")]
    assert counts == ["blue, “as anyone can see” 2 voices", "grey <b>and</b> low 1 voice", "green 0 voices"]


# -- agreement -------------------------------------------------------------------------


def test_agreement_gives_numbers_in_every_cell_and_links_each_pair_to_compare(site: Built) -> None:
    soup = site.soup("matrix/agreement/")
    rows = soup.select("table.cp-agreement tbody tr")
    assert len(rows) == len(VOICES)
    grid = {}
    for r, row in enumerate(rows):
        tds = row.select("td")
        assert len(tds) == len(VOICES)
        for c, td in enumerate(tds):
            assert any(ch.isdigit() for ch in td.get_text()), "a number in every cell"
            if r == c:
                assert td.a is None
                continue
            link = present(td.a)
            query = parse_qs(urlsplit(attr(link, "href")).query)
            assert query == {"a": [VOICES[r]], "b": [VOICES[c]]}
            assert resolve(site, "matrix/agreement/", attr(link, "href"))[0] == "matrix/compare/"
            grid[(VOICES[r], VOICES[c])] = link.get_text(" ", strip=True)
    # The fixture's stances all contradict one another: where two voices differ, they are opposed.
    assert grid[("beta-writer", "alpha")] == "0 of 2 2 opposed"
    assert grid[("beta-writer", "beta-reader")] == "0 of 1 1 opposed"
    assert grid[("beta-reader", "alpha")] == "1 of 1 0 opposed"
    assert grid[("alpha", "beta-reader")] == "1 of 1 0 opposed"
    assert grid[("gamma", "alpha")] == "0 of 0 0 opposed"
    label = attr(present(rows[1].select("td")[2].a), "aria-label")
    assert label.startswith("Reader and Alpha: the same stance on 1 of the 1 question both address")
    assert label.endswith("; contradicting stances on 0. Compare them.")
    assert "contradicting stances on 2." in attr(present(rows[0].select("td")[2].a), "aria-label")
    # An opposition is told in words and weight, not by colour alone.
    opposed = one(rows[0].select("td")[2], ".cp-agree-opposed")
    assert "cp-agree-opposed-some" in opposed["class"]
    assert "cp-agree-opposed-some" not in one(rows[1].select("td")[2], ".cp-agree-opposed")["class"]
    key = one(soup, "table.cp-agreement thead .cp-matrix-corner").get_text(" ", strip=True)
    assert key == "same stance of questions both address opposed : contradicting stances"
    assert "contradicting stances (opposed)" in one(soup, "#cp-agreement-caption").get_text()
    reading = one(soup, "#cp-agreement-reading").find_parent("section")
    assert "1 opposed" in present(reading).get_text(" ")


# -- compare -------------------------------------------------------------------------------


def test_compare_offers_every_voice_in_two_labelled_selects(site: Built) -> None:
    soup = site.soup("matrix/compare/")
    form = one(soup, "form.cp-compare-form")
    assert form["method"] == "get"
    for name in ("a", "b"):
        select = one(form, f'select[name="{name}"]')
        assert soup.find("label", attrs={"for": select["id"]}) is not None
        assert [o["value"] for o in select.select("option") if o["value"]] == VOICES
    assert soup.select_one("[data-cp-nojs]") is not None, "says what to do without scripts"


def test_compare_carries_every_voices_positions_rendered_by_the_site(site: Built) -> None:
    soup = site.soup("matrix/compare/")
    template = soup.select_one("aside[data-search-exclude] template[data-cp-data]")
    assert template is not None
    voices = template.select("[data-voice]")
    assert [v["data-voice"] for v in voices] == VOICES
    for voice in voices:
        positions = voice.select("[data-q]")
        assert [p["data-q"] for p in positions] == QUESTIONS
    alpha_sky = one(template, '[data-voice="alpha"] [data-q="sky"]')
    assert alpha_sky["data-stance"] == "blue"
    assert template_text(one(alpha_sky, "q.cp-quote")) == "The sky is blue."
    assert_lands(site, "matrix/compare/", attr(one(alpha_sky, "a.cp-words-link"), "href"))
    assert one(template, '[data-voice="gamma"] [data-q="sky"]')["data-stance"] == ""
    rows = soup.select("ol.cp-compare-rows > li[data-q]")
    assert [r["data-q"] for r in rows] == QUESTIONS
    script = soup.find("script", src=True, attrs={"src": "../../assets/counterpoint-matrix.js"})
    assert script is not None and site.path("assets/counterpoint-matrix.js").is_file()


def test_no_page_of_the_matrix_loads_anything_from_another_host(site: Built) -> None:
    for url in ["matrix/", "matrix/agreement/", "matrix/compare/", "questions/", "questions/sky/"]:
        soup = site.soup(url)
        for tag in soup.find_all(["script", "link", "img", "iframe"]):
            ref = tag.get("src") or tag.get("href") or ""
            assert not urlsplit(str(ref)).netloc, f"{url} loads {ref}"


# -- downloads -------------------------------------------------------------------------------


def test_the_csv_is_tidy_one_row_per_voice_and_question(site: Built) -> None:
    text = site.path("downloads/matrix.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(VOICES) * len(QUESTIONS)
    assert [(r["voice"], r["question_id"]) for r in rows[:3]] == [
        ("Beta Writer", "sky"),
        ("Beta Writer", "water"),
        ("Beta Writer", "unasked"),
    ]
    for row in rows:
        if row["stance"]:
            anchor = resolve(site, "", row["url"])[1]
            soup = assert_lands(site, "", row["url"])
            target = present(soup.find(id=anchor), f"#{anchor}")
            assert "cp-anchor" in target["class"]
            assert row["quote"]
        else:
            assert row["quote"] == "" and row["url"] == ""
    assert sum(1 for r in rows if r["stance"]) == 5


def test_the_json_holds_the_same_rows(site: Built) -> None:
    rows = list(csv.DictReader(io.StringIO(site.path("downloads/matrix.csv").read_text(encoding="utf-8"))))
    data = json.loads(site.path("downloads/matrix.json").read_text(encoding="utf-8"))
    assert data["rows"] == rows
    assert data["site_url"] is None


def test_links_and_downloads_work_without_directory_urls(flat_site: Built) -> None:
    soup = flat_site.soup("matrix/index.html")
    for link in soup.select("a.cp-cell-link"):
        assert_lands(flat_site, "matrix/index.html", attr(link, "href"))
    agreement = flat_site.soup("matrix/agreement.html")
    for link in agreement.select("td.cp-agree a"):
        assert resolve(flat_site, "matrix/agreement.html", attr(link, "href"))[0] == "matrix/compare.html"
    rows = list(csv.DictReader(io.StringIO(flat_site.path("downloads/matrix.csv").read_text(encoding="utf-8"))))
    for row in rows:
        if row["url"]:
            assert row["url"].startswith("texts/") and ".html#" in row["url"]
            assert_lands(flat_site, "", row["url"])


# -- search ----------------------------------------------------------------------------------


def test_search_indexes_the_question_pages_but_not_the_tables_or_the_compare_data(site: Built) -> None:
    docs = indexed(site.site)

    def text_of(prefix: str) -> str:
        return " ".join(d["meta"].get("title", "") + " " + d["content"] for d in docs if d["url"].startswith(prefix))

    # A question page's quotes repeat the voices' words: those are found on their own texts.
    assert "It is blue again" in text_of("texts/alpha/")
    assert "It is blue again" not in text_of("questions/sky/")
    assert "What colour is the sky?" in text_of("questions/sky/")
    assert any(d["url"] == "questions/sky/#stance-blue" for d in docs)
    assert "It is blue again" not in text_of("matrix/")
    assert "Every voice on every question" in text_of("matrix/")
    assert "Downloads" in text_of("matrix/")
    compare = text_of("matrix/compare/")
    assert "Compare two voices" in compare
    assert "Gamma" not in compare and "The sky is blue" not in compare, "the form and the data are not indexed"


# -- the real corpus -----------------------------------------------------------------------------


def test_the_real_matrix_has_every_cell_and_every_link_lands(repo_site: Built) -> None:
    corpus = load_corpus(REPO / "corpus", REPO)
    soup = repo_site.soup("matrix/")
    assert len(cells(soup)) == len(corpus.voices) * len(corpus.questions)
    pages: dict[str, BeautifulSoup] = {}
    for link in soup.select("a.cp-cell-link"):
        url, anchor = resolve(repo_site, "matrix/", attr(link, "href"))
        if url not in pages:
            pages[url] = repo_site.soup(url)
        assert pages[url].find(id=anchor) is not None, link["href"]
    for question in corpus.questions:
        assert repo_site.path(f"questions/{question.id}/").is_file()
    rows = list(csv.DictReader(io.StringIO(repo_site.path("downloads/matrix.csv").read_text(encoding="utf-8"))))
    # One row per stance a voice holds on a question (some hold two compatible ones), one for each it leaves.
    held = {(p.voice_id, q, s) for p in corpus.passages for q, s in p.stances}
    addressed = {(voice, q) for voice, q, _ in held}
    assert len({(voice, q) for voice, q, _ in held}) < len(held), "the corpus has a voice with two stances"
    assert sum(1 for r in rows if r["stance"]) == len(held)
    assert sum(1 for r in rows if not r["stance"]) == len(corpus.voices) * len(corpus.questions) - len(addressed)
    assert len(cells(soup)) == len(corpus.voices) * len(corpus.questions)
    assert len(soup.select("a.cp-cell-link")) == len(held), "a label for each stance held"


def test_every_link_into_the_question_pages_lands(repo_site: Built) -> None:
    """Text pages' notes and the Web Annotation export point at questions/<id>/ and #stance-<id>."""
    hrefs: set[tuple[str, str]] = set()
    for page in sorted(repo_site.site.glob("texts/*/index.html")):
        url = page.parent.relative_to(repo_site.site).as_posix() + "/"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        hrefs |= {(url, attr(a, "href")) for a in soup.select('a[href*="questions/"]')}

    export = repo_site.path("annotations.jsonld").read_text(encoding="utf-8")
    hrefs |= {("", ref) for ref in set(re.findall(r'"(questions/[^"]+)"', export))}
    assert any("#stance-" in href for _, href in hrefs)
    for from_url, href in sorted(hrefs):
        assert_lands(repo_site, from_url, href)
