"""Every passage and cross-reference as W3C Web Annotations (JSON-LD).

The file is an AnnotationCollection with one page:

- each passage is an Annotation whose target is the text's page, selected both
  by a TextQuoteSelector (exact, prefix, suffix: the words as the reader sees
  them) and by a FragmentSelector (the passage's anchor id); its bodies name the
  voice (identifying), each stance (classifying) and the editor's note
  (describing);
- each cross-reference is an Annotation with motivation `linking`: for
  "opposes" and "supports" (declared by the editors or following from stances)
  its targets are both passages' annotations and a tagging body names the
  relation; for "responds to", the target is the passage answered and a
  `replying` body points at the answering passage's annotation.

IRIs are made absolute with the site's URL when one is configured; otherwise
they are relative to the file, which sits at the root of the site.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .graph import Group
from .model import Passage, RelationType
from .site import ANNOTATIONS_JSONLD, Site, question_page, text_page

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


class _Iris:
    def __init__(self, site: Site, base_url: str) -> None:
        self.site = site
        self.base = base_url.rstrip("/") + "/" if base_url else ""

    def page(self, src_uri: str, anchor: str = "") -> str:
        url = self.base + self.site.urls.url(src_uri)
        return f"{url}#{anchor}" if anchor else url

    def annotation(self, passage_id: str) -> str:
        return f"{self.base}{ANNOTATIONS_JSONLD}#{passage_id}"


def _passage_annotation(site: Site, iris: _Iris, passage: Passage) -> dict[str, Any]:
    corpus = site.corpus
    voice = corpus.voice_by_id[passage.voice_id]
    text = corpus.text_by_slug[passage.text_slug]
    multi_voice = len(text.voices) > 1
    bodies: list[dict[str, Any]] = [
        {
            "type": "SpecificResource",
            "purpose": "identifying",
            "source": {
                "id": iris.page(text_page(text.slug), f"v-{voice.id}" if multi_voice else "cp-title"),
                "label": voice.name,
            },
        }
    ]
    for qid, sid in passage.stances:
        question = corpus.question_by_id[qid]
        stance = question.stance(sid)
        bodies.append(
            {
                "type": "SpecificResource",
                "purpose": "classifying",
                "source": {
                    "id": iris.page(question_page(qid), f"stance-{sid}"),
                    "label": f"{question.question} — {stance.label}",
                },
            }
        )
    if passage.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "describing",
                "value": passage.note,
                "format": "text/plain",
                "language": "en",
            }
        )
    return {
        "id": iris.annotation(passage.id),
        "type": "Annotation",
        "motivation": "classifying" if passage.stances else "describing",
        "body": bodies,
        "target": {
            "source": iris.page(text_page(text.slug)),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": passage.exact,
                    "prefix": passage.prefix,
                    "suffix": passage.suffix,
                },
                {"type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc3236", "value": passage.id},
            ],
        },
    }


def _link(iris: _Iris, kind: str, a: str, b: str, description: str) -> dict[str, Any]:
    return {
        "id": f"{iris.base}{ANNOTATIONS_JSONLD}#link-{a}--{kind}--{b}",
        "type": "Annotation",
        "motivation": "linking",
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": kind.replace("-", " ")},
            {
                "type": "TextualBody",
                "purpose": "describing",
                "value": description,
                "format": "text/plain",
                "language": "en",
            },
        ],
        "target": [iris.annotation(a), iris.annotation(b)],
    }


def _links(site: Site, iris: _Iris) -> list[dict[str, Any]]:
    corpus = site.corpus
    voices = corpus.voice_by_id
    passages = corpus.passage_by_id
    items: list[dict[str, Any]] = []
    for relation in corpus.relations:
        a, b = relation.source, relation.target
        who_a, who_b = voices[passages[a].voice_id].name, voices[passages[b].voice_id].name
        if relation.type is RelationType.RESPONDS_TO:
            items.append(
                {
                    "id": f"{iris.base}{ANNOTATIONS_JSONLD}#link-{a}--responds-to--{b}",
                    "type": "Annotation",
                    "motivation": "linking",
                    "body": [
                        {"type": "TextualBody", "purpose": "tagging", "value": "responds to"},
                        {"type": "SpecificResource", "purpose": "replying", "source": iris.annotation(a)},
                        {
                            "type": "TextualBody",
                            "purpose": "describing",
                            "value": f"A passage by {who_a} responds to a passage by {who_b}. Declared by the editors.",
                            "format": "text/plain",
                            "language": "en",
                        },
                    ],
                    "target": iris.annotation(b),
                }
            )
        else:
            kind = "opposes" if relation.type is RelationType.OPPOSES else "supports"
            items.append(_link(iris, kind, a, b, f"{who_a} and {who_b}: {kind}. Declared by the editors."))
    declared = {frozenset((r.source, r.target)) for r in corpus.relations if r.type is not RelationType.RESPONDS_TO}
    seen: set[frozenset[str]] = set()
    for passage in corpus.passages:
        links = site.graph.of(passage.id)
        for group, kind in ((Group.OPPOSED_BY, "opposes"), (Group.BACKED_BY, "supports")):
            for entry in links.entries(group):
                pair = frozenset((passage.id, entry.other))
                if not entry.bases or pair in seen or pair in declared:
                    continue
                seen.add(pair)
                other = passages[entry.other]
                reasons = []
                for basis in entry.bases:
                    question = corpus.question_by_id[basis.question]
                    mine, theirs = question.stance(basis.own_stance), question.stance(basis.other_stance)
                    same = "the same stance" if basis.own_stance == basis.other_stance else "contradicting stances"
                    reasons.append(
                        f"They take {same} on the question “{question.question}” "
                        f"({voices[passage.voice_id].name}: {mine.label}; {voices[other.voice_id].name}: {theirs.label})."
                    )
                items.append(_link(iris, kind, passage.id, entry.other, " ".join(reasons)))
    return items


def annotation_collection(site: Site, base_url: str = "") -> dict[str, Any]:
    iris = _Iris(site, base_url)
    items = [_passage_annotation(site, iris, p) for p in site.corpus.passages] + _links(site, iris)
    return _collection(iris, items)


def _collection(iris: _Iris, items: list[Any]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": f"{iris.base}{ANNOTATIONS_JSONLD}",
        "type": "AnnotationCollection",
        "label": "Counterpoint: passages and cross-references",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


@dataclass(frozen=True)
class Items:
    """Annotations of the collection, written: JSON values separated by commas, and how many."""

    json: str
    count: int


def _items(values: list[dict[str, Any]]) -> Items:
    # The list dumped whole, less its brackets: the items joined by commas, in one call of the encoder.
    return Items(_dumps(values)[1:-1], len(values))


def passage_items(site: Site, base_url: str, passages: Iterable[Passage]) -> Items:
    """The annotations of `passages` (a run of corpus.passages): what they read is the passages, their
    text and its voices, the questions and the site's addresses (see `run_inputs`)."""
    iris = _Iris(site, base_url)
    return _items([_passage_annotation(site, iris, passage) for passage in passages])


def link_items(site: Site, base_url: str) -> Items:
    """The linking annotations: they read no note (the graph does not either)."""
    return _items(_links(site, _Iris(site, base_url)))


def passage_runs(site: Site) -> list[tuple[Passage, ...]]:
    """corpus.passages in runs of one text each, in their order: the parts `passage_items` is asked for."""
    runs: list[list[Passage]] = []
    for passage in site.corpus.passages:
        if not runs or runs[-1][-1].text_slug != passage.text_slug:
            runs.append([])
        runs[-1].append(passage)
    return [tuple(run) for run in runs]


def run_inputs(site: Site, base_url: str, run: tuple[Passage, ...]) -> tuple[object, ...]:
    """Everything `passage_items(site, base_url, run)` reads, as values compared by equality (see
    counterpoint/pagecache.py)."""
    text = site.corpus.text_by_slug[run[0].text_slug]
    return (run, text, site.corpus.questions, site.urls, base_url)


def annotations_jsonld(site: Site, base_url: str = "", parts: Iterable[Items] | None = None) -> str:
    """The collection as a file; with `parts` (every run's `passage_items`, then `link_items`, as an
    earlier build may have kept them), assembled from those instead of made whole: the same bytes."""
    if parts is None:
        parts = [passage_items(site, base_url, run) for run in passage_runs(site)] + [link_items(site, base_url)]
    parts = [part for part in parts if part.count]
    head = _dumps(_collection(_Iris(site, base_url), []))
    total = sum(part.count for part in parts)
    # The empty collection's text, with its items and their total put in: json.dumps of the whole
    # collection would write exactly this, since each item is dumped with the same options.
    empty_tail = '"total":0,"first":{"type":"AnnotationPage","startIndex":0,"items":[]}}'
    assert head.endswith(empty_tail), head
    items = ",".join(part.json for part in parts)
    tail = f'"total":{total},"first":{{"type":"AnnotationPage","startIndex":0,"items":[{items}]}}}}'
    return head[: -len(empty_tail)] + tail + "\n"


def _dumps(value: object) -> str:
    # No indentation: json.dumps only uses its C encoder without it, and the file is for programs.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
