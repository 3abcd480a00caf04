"""The W3C Web Annotation export: every passage and every cross-reference, as valid JSON-LD.

The real context (http://www.w3.org/ns/anno.jsonld) cannot be fetched here, so the JSON-LD
processor resolves it to tests/data/anno-context-terms.jsonld, the W3C context's own term
definitions for the terms the export uses. Any key the context does not define would be
silently dropped by a processor; the test fails on it instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from soup import one

from counterpoint.anchoring import collapse
from counterpoint.corpus import load_corpus
from counterpoint.site import Site, Urls
from sitebuild import REPO, Built

CONTEXT_FILE = Path(__file__).parent / "data" / "anno-context-terms.jsonld"
BASE = "https://example.org/counterpoint/"


def _loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    assert url == "http://www.w3.org/ns/anno.jsonld", f"the export refers to an unexpected context: {url}"
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(CONTEXT_FILE.read_text(encoding="utf-8")),
    }


@pytest.fixture(scope="module")
def export(repo_site: Built) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((repo_site.site / "annotations.jsonld").read_text(encoding="utf-8"))
    return data


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _keys(v)}
    return set()


def test_uses_the_w3c_context_and_only_its_terms(export: dict[str, Any]) -> None:
    assert export["@context"] == "http://www.w3.org/ns/anno.jsonld"
    terms = set(json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"])
    assert _keys(export) - {"@context"} <= terms


def test_expands_as_json_ld(export: dict[str, Any]) -> None:
    expanded = jsonld.expand(export, {"documentLoader": _loader, "base": BASE})
    collection = expanded[0]
    assert collection["@id"] == BASE + "annotations.jsonld"
    page = collection["http://www.w3.org/ns/activitystreams#first"][0]
    items = page["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    assert len(items) == export["total"] == len(export["first"]["items"])
    for item in items:
        assert item["@type"] == ["http://www.w3.org/ns/oa#Annotation"]
        assert item["http://www.w3.org/ns/oa#hasTarget"], item["@id"]


def test_holds_every_passage_with_its_selectors(export: dict[str, Any], repo_site: Built) -> None:
    corpus = load_corpus(REPO / "corpus")
    items = {item["id"]: item for item in export["first"]["items"]}
    bodies: dict[str, str] = {}
    """Each source page's text, read once for all its passages."""
    for passage in corpus.passages:
        item = items[f"annotations.jsonld#{passage.id}"]
        quote, fragment = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and quote["exact"] == passage.exact
        assert fragment == {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3236",
            "value": passage.id,
        }
        source = item["target"]["source"]
        assert passage.id in repo_site.links.ids(source), f"#{passage.id} is not on {source}"
        if source not in bodies:
            body_element = one(repo_site.soup(source), ".cp-body")

            for line_break in body_element.find_all("br"):
                line_break.replace_with(" ")  # a line break reads as a space, as in the quote
            bodies[source] = collapse(body_element.get_text(""))
        body = bodies[source]
        assert collapse(quote["prefix"] + quote["exact"] + quote["suffix"]) in body or quote["exact"] in body


def test_holds_every_cross_reference_between_existing_annotations(export: dict[str, Any]) -> None:
    corpus = load_corpus(REPO / "corpus")
    site = Site(corpus, Urls())
    items = export["first"]["items"]
    ids = {item["id"] for item in items}
    links = [item for item in items if item["motivation"] == "linking"]
    pairs = set()
    for link in links:
        targets = link["target"] if isinstance(link["target"], list) else [link["target"]]
        replying = [b["source"] for b in link["body"] if b.get("purpose") == "replying"]
        for endpoint in targets + replying:
            assert endpoint in ids, f"{link['id']} points at a missing annotation {endpoint}"
        pairs.add(frozenset(e.split("#")[1] for e in targets + replying))
    for passage in corpus.passages:
        for entries in site.graph.of(passage.id).groups.values():
            for entry in entries:
                assert frozenset((passage.id, entry.other)) in pairs, (passage.id, entry.other)


def test_iris_are_absolute_when_the_site_has_an_address(tmp_path: Path) -> None:
    from counterpoint.export import annotation_collection

    site = Site(load_corpus(REPO / "corpus"), Urls())
    data = annotation_collection(site, "https://example.org/reader/")
    first = data["first"]["items"][0]
    assert data["id"] == "https://example.org/reader/annotations.jsonld"
    assert first["target"]["source"].startswith("https://example.org/reader/texts/")
