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
    return {
        "@context": CONTEXT,
        "id": f"{iris.base}{ANNOTATIONS_JSONLD}",
        "type": "AnnotationCollection",
        "label": "Counterpoint: passages and cross-references",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def annotations_jsonld(site: Site, base_url: str = "") -> str:
    # No indentation: json.dumps only uses its C encoder without it, and the file is for programs.
    return json.dumps(annotation_collection(site, base_url), ensure_ascii=False, separators=(",", ":")) + "\n"
