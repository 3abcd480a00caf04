"""`counterpoint review`: every opposition and backing the site will show, for an editor to read.

Each link the notes show ("Opposed by", "Backed by", "Responds to") comes from the very
graph the pages are rendered from (`counterpoint.graph.Graph`), so the report cannot
disagree with the site. A row gives both voices' exact words side by side and why the
link exists: declared by an editor, or which two stances on which question. It is written
as `review.csv` (one row per link) and `review.html` (self-contained: no script, no other
host, every value escaped).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .graph import Graph, Group
from .matrix import passage_url, spreadsheet_safe
from .model import Corpus, Passage
from .settings import CONFIG_FILE, DEFAULTS, Limits, limits_from_file
from .site import Urls

COLUMNS = (
    "relation",
    "why",
    "voice_a",
    "text_a",
    "quote_a",
    "permalink_a",
    "voice_b",
    "text_b",
    "quote_b",
    "permalink_b",
)


@dataclass(frozen=True)
class Link:
    relation: str
    why: str
    a: Passage
    b: Passage


def limits_beside(corpus_dir: Path) -> Limits:
    """The limits of the mkdocs.yml beside `corpus_dir` (the project's), or the defaults if there is none.

    How many voices a passage lists before it counts them (`derived_voices`) decides which derived links
    the notes show, so the report reads the same setting as the build.
    """
    config_file = corpus_dir.resolve().parent / CONFIG_FILE
    return limits_from_file(config_file) if config_file.is_file() else DEFAULTS


def links(corpus: Corpus, limits: Limits = DEFAULTS) -> list[Link]:
    """Every link between two passages, once per pair and relation, in the order of the first passage."""
    graph = Graph(corpus, limits.derived_voices)
    found: list[Link] = []
    seen: set[tuple[frozenset[str], str]] = set()
    for passage in corpus.passages:
        for group in (Group.OPPOSED_BY, Group.BACKED_BY, Group.RESPONDS_TO):
            for entry in graph.of(passage.id).entries(group):
                relation = {Group.OPPOSED_BY: "opposes", Group.BACKED_BY: "backs", Group.RESPONDS_TO: "responds to"}[
                    group
                ]
                key = (frozenset((passage.id, entry.other)), relation)
                if key in seen:
                    continue
                seen.add(key)
                reasons = ["declared by the editors"] if entry.declared else []
                for basis in entry.bases:
                    question = corpus.question_by_id[basis.question]
                    if basis.own_stance == basis.other_stance:
                        reasons.append(f"both take “{question.stance(basis.own_stance).label}” on {question.short}")
                    else:
                        reasons.append(
                            f"on {question.short}, “{question.stance(basis.own_stance).label}” and "
                            f"“{question.stance(basis.other_stance).label}” are declared contradictory"
                        )
                found.append(Link(relation, "; ".join(reasons), passage, corpus.passage_by_id[entry.other]))
    return found


def _row(corpus: Corpus, link: Link, urls: Urls) -> dict[str, str]:
    voices, texts = corpus.voice_by_id, corpus.text_by_slug
    row = {"relation": link.relation, "why": link.why}
    for side, passage in (("a", link.a), ("b", link.b)):
        row[f"voice_{side}"] = voices[passage.voice_id].name
        row[f"text_{side}"] = texts[passage.text_slug].title
        row[f"quote_{side}"] = passage.exact
        row[f"permalink_{side}"] = passage_url(urls, passage)
    return row


def to_csv(corpus: Corpus, urls: Urls | None = None, limits: Limits = DEFAULTS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for link in links(corpus, limits):
        writer.writerow({k: spreadsheet_safe(v) for k, v in _row(corpus, link, urls or Urls()).items()})
    return out.getvalue()


_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:1rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e8e8e8;background:#1b1b1f}a{color:#9cc3ff}}
article{border-top:1px solid #8886;padding:.75rem 0}
.why{font-size:.9em;margin:.25rem 0 .5rem}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
@media (max-width:40rem){.pair{grid-template-columns:1fr}}
blockquote{margin:0;padding-left:.75rem;border-left:3px solid #8888}
.who{font-weight:600;margin:0}
"""


def to_html(corpus: Corpus, urls: Urls | None = None, limits: Limits = DEFAULTS) -> str:
    urls = urls or Urls()
    found = links(corpus, limits)
    counts = {r: sum(1 for link in found if link.relation == r) for r in ("opposes", "backs", "responds to")}
    parts = [
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>Counterpoint review: {len(found)} links</title><style>{_STYLE}</style></head><body>",
        "<h1>Every link the site shows</h1>",
        f"<p>{counts['opposes']} oppositions, {counts['backs']} backings, {counts['responds to']} responses. "
        "Read each pair against both texts: a link the texts do not bear out is a defect.</p>",
    ]
    for number, link in enumerate(found, start=1):
        row = _row(corpus, link, urls)
        parts.append(
            f"<article id='link-{number}'><h2>{number}. {escape(row['voice_a'])} {escape(link.relation)} "
            f"{escape(row['voice_b'])}</h2><p class='why'>Why: {escape(link.why)}</p><div class='pair'>"
        )
        for side in ("a", "b"):
            parts.append(
                f"<div><p class='who'>{escape(row[f'voice_{side}'])}, “{escape(row[f'text_{side}'])}”</p>"
                f"<blockquote>{escape(row[f'quote_{side}'])}</blockquote>"
                f"<p><code>{escape(row[f'permalink_{side}'])}</code></p></div>"
            )
        parts.append("</div></article>")
    parts.append("</body></html>\n")
    return "".join(parts)
