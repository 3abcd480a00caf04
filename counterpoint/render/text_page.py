"""The page of one text: header, the verbatim text by voice, and its cross-reference notes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from ..citation import citation, citation_html
from ..graph import GROUP_ORDER, Group
from ..model import Block, Passage, Role, Text, Voice, VoiceKind
from ..site import TEXTS_INDEX, Site, original_file, text_page
from . import environment
from .common import KIND_LABELS, RenderedPage, TocEntry, nest_toc
from .pieces import quoted, stance_chip
from .verbatim import Highlight, render_runs

NOTHING = Markup("")

ANSWER_NOTES = {Group.RESPONDS_TO: "this passage answers it", Group.ANSWERED_BY: "answers this passage"}


@dataclass
class Item:
    block: Block | None
    html: Markup
    heading_level: int = 0
    element: Markup = NOTHING
    """The item as the page shows it (see _element); made here, not in text.html, where a page's
    hundred-odd paragraphs were most of the template's escapes and lookups."""


@dataclass
class Section:
    voice: Voice | None
    heading: Item | None
    """The original's own line heading this voice's part, if it has one."""
    label_level: int = 2
    items: list[Item] = field(default_factory=list)


@dataclass
class Group_:
    """Consecutive reader comments, gathered under one heading."""

    comments: bool
    sections: list[Section] = field(default_factory=list)


@dataclass
class FootnoteEntry:
    href: str
    voice: Voice
    text: Text
    place: str
    exact: str
    declared: bool
    answer: str
    """"this passage answers it", "answers this passage" or ""."""
    bases: list[tuple[str, str, str, int]]
    """(question short, question link, other's stance label, other's stance index)."""

    def element(self, from_passage: Markup) -> str:
        """The entry as a note lists it, under the passage `from_passage` (its id, escaped)."""
        answer = f'<span class="cp-basis cp-answer">{escape(self.answer)}</span>' if self.answer else ""
        bases = "".join(
            f'<span class="cp-basis">on {escape(short)}: {stance_chip(label, index)}</span>'
            for short, _link, label, index in self.bases
        )
        return (
            f'      <li><a class="cp-xref" href="{escape(self.href)}" data-from="{from_passage}">'
            f'<strong>{escape(self.voice.short)}</strong>, <span class="cp-xref-title" dir="auto">{escape(self.text.title)}</span> '
            f"{escape(self.place)}</a>:\n        {quoted(self.exact)}\n{answer}{bases}      </li>\n"
        )


@dataclass
class Footnote:
    passage: Passage
    number: int
    voice: Voice
    stances: list[tuple[str, str, str, int]]
    """(question short, question link, stance label, stance index)."""
    groups: list[tuple[str, list[FootnoteEntry]]]
    """(group title, entries)."""
    tallies: list[TallyLine] = field(default_factory=list)

    @property
    def element(self) -> Markup:
        """The note as the page lists it, every corpus string escaped. Made here, not in text.html: a page's
        notes and the passages each lists were most of the template's work (twenty notes a text at 1,000
        texts, each entry a dozen lookups and escapes)."""
        passage_id = escape(self.passage.id)
        stances = "".join(
            f'<span class="cp-fn-stance">on <a href="{escape(link)}">{escape(short)}</a>: {stance_chip(label, index)}</span>'
            for short, link, label, index in self.stances
        )
        note = f'<p class="cp-fn-note">{escape(self.passage.note)}</p>' if self.passage.note else ""
        parts = [
            f'<li id="fn:{passage_id}" class="cp-fn">\n'
            f'  <p class="cp-fn-head"><span class="cp-fn-number">{self.number}</span> '
            f'<strong class="cp-fn-voice">{escape(self.voice.short)}</strong>\n{stances}  </p>\n'
            f'{note}  <aside class="cp-fn-links" data-search-exclude>\n'
        ]
        for title, entries in self.groups:
            parts.append(f'    <p class="cp-fn-group">{escape(title)}</p>\n    <ul>\n')
            parts += [entry.element(passage_id) for entry in entries]
            parts.append("    </ul>\n")
        parts += [tally.element for tally in self.tallies]
        if not self.groups and not self.tallies:
            parts.append('    <p class="cp-fn-none">No passage of another voice is linked to this one yet.</p>\n')
        parts.append(
            "  </aside>\n"
            f'  <a class="footnote-backref" href="#fnref:{passage_id}" title="Back to passage {self.number}">↩</a>\n</li>'
        )
        return Markup("".join(parts))


@dataclass(frozen=True)
class TallyLine:
    """Other voices on a question, too many to list here, counted; the question page lists them."""

    question: str
    question_link: str
    opposed_by: int
    backed_by: int

    @property
    def element(self) -> str:
        total = self.opposed_by + self.backed_by
        return (
            f'    <p class="cp-fn-tally">On <a href="{escape(self.question_link)}">{escape(self.question)}</a>, {total} other '
            f"{'voice takes' if total == 1 else 'voices take'} a stance, too many to list here:\n"
            f"      opposed by {self.opposed_by}, backed by {self.backed_by}. The question’s page quotes them all.</p>\n"
        )


def render_text_page(site: Site, text: Text) -> RenderedPage:
    src = text_page(text.slug)
    # Numbered in the order their markers appear: a marker follows its passage's last word.
    passages = sorted(site.corpus.passages_of(text.slug), key=lambda p: (p.block_index, p.end, p.start))
    numbers = {p.id: n for n, p in enumerate(passages, start=1)}
    footnotes = [_footnote(site, src, p, numbers[p.id]) for p in passages]
    multi_voice = len(text.voices) > 1
    groups = _sections(text, _highlights(site, passages, numbers), multi_voice)
    toc = _toc(text, groups, multi_voice, bool(footnotes))
    position = text.order
    citations = {voice.id: citation(text, voice) for voice in text.voices}
    citations_html = {voice.id: citation_html(text, voice) for voice in text.voices}
    html = (
        environment()
        .get_template("text.html")
        .render(
            text=text,
            groups=groups,
            multi_voice=multi_voice,
            footnotes=footnotes,
            kind_labels=KIND_LABELS,
            comment_kind=VoiceKind.COMMENT,
            position=position + 1,
            total=len(site.corpus.texts),
            previous=_neighbour(site, src, position - 1),
            following=_neighbour(site, src, position + 1),
            texts_link=site.urls.link(src, TEXTS_INDEX),
            original_link=site.urls.link(src, original_file(text.slug)),
            url_label=_url_label(text.url) if text.url else "",
            passage_count=len(passages),
            citations=citations,
            citation_json=Markup(_script_json(citations)),
            citations_html=citations_html,
        )
    )
    anchors = {"cp-title", "cp-notes", "cp-reader-comments"}
    anchors |= {b.anchor for b in text.blocks if b.anchor}
    anchors |= {p.id for p in passages} | {f"fn:{p.id}" for p in passages} | {f"fnref:{p.id}" for p in passages}
    return RenderedPage(Markup(html), text.title, text.summary, nest_toc(toc), anchors)


def text_page_inputs(site: Site, text: Text) -> tuple[object, ...]:
    """Everything `render_text_page(site, text)` reads, as values compared by equality (see
    counterpoint/pagecache.py): the text, its passages and their links, the passages, voices and texts
    at the other end, the questions named, the neighbours in the reading order and how many texts
    there are. Whole objects where the page shows a part of them, so that this list stays a superset
    of what the renderer reads; change it with the renderer."""
    corpus = site.corpus
    passages = tuple(corpus.passages_of(text.slug))
    links = tuple(site.graph.of(p.id) for p in passages)
    refs = [ref for link in links for entries in link.groups.values() for ref in entries]
    others = tuple(corpus.passage_by_id[other] for other in sorted({ref.other for ref in refs}))
    question_ids = {qid for p in passages for qid, _ in p.stances}
    question_ids |= {basis.question for ref in refs for basis in ref.bases}
    question_ids |= {tally.question for link in links for tally in link.tallies}
    voice_ids = sorted({p.voice_id for p in passages + others})
    text_slugs = sorted({p.text_slug for p in others})
    texts = corpus.texts
    neighbours = tuple(texts[i] if 0 <= i < len(texts) else None for i in (text.order - 1, text.order + 1))
    return (
        text,
        passages,
        links,
        others,
        tuple(corpus.voice_by_id[v] for v in voice_ids),
        tuple(corpus.text_by_slug[slug] for slug in text_slugs),
        tuple(corpus.question_by_id[q] for q in sorted(question_ids)),
        neighbours,
        len(texts),
        site.urls,
        site.limits,
    )


def _highlights(site: Site, passages: list[Passage], numbers: dict[str, int]) -> dict[int, list[Highlight]]:
    """Each block's passages, as the words to mark, each with its footnote marker."""
    by_block: dict[int, list[Highlight]] = {}
    for passage in passages:
        links = site.graph.of(passage.id).count
        marker = _marker(passage, numbers[passage.id], links)
        by_block.setdefault(passage.block_index, []).append(
            Highlight(passage.id, passage.start, passage.end, marker, linked=links > 0)
        )
    return by_block


def _toc(text: Text, groups: list[Group_], multi_voice: bool, notes: bool) -> list[TocEntry]:
    """The page's contents: its title, the reader comments, each voice of a text of several, the author's
    headings and the cross-references."""
    toc: list[TocEntry] = [TocEntry(1, "cp-title", text.title)]
    for group in groups:
        if group.comments:
            toc.append(TocEntry(2, "cp-reader-comments", "Reader comments"))
        for section in group.sections:
            if multi_voice and section.voice is not None:
                title = (
                    section.heading.block.visible_text
                    if section.heading and section.heading.block
                    else section.voice.name
                )
                toc.append(TocEntry(section.label_level, f"v-{section.voice.id}", title))
            for item in section.items:
                if item.block is not None and item.block.role is Role.HEADING:
                    toc.append(TocEntry(item.heading_level, item.block.anchor, item.block.visible_text))
    if notes:
        toc.append(TocEntry(2, "cp-notes", "Cross-references"))
    return toc


def _neighbour(site: Site, src: str, position: int) -> tuple[Text, str] | None:
    """The text at `position` in the corpus's order and the link to it from `src`, if there is one."""
    texts = site.corpus.texts
    if not 0 <= position < len(texts):
        return None
    return texts[position], site.urls.link(src, text_page(texts[position].slug))


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element: no "</script>" or "<!--" can close or confuse it."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _url_label(url: str) -> str:
    parts = urlsplit(url)
    label = parts.netloc.removeprefix("www.") + parts.path.rstrip("/")
    return label if len(label) <= 60 else label[:57] + "…"


def _marker(passage: Passage, number: int, links: int) -> str:
    what = "editor's note" if links == 0 else f"{links} cross-reference{'' if links == 1 else 's'}"
    return (
        f'<sup class="cp-fnref cp-apparatus" id="fnref:{passage.id}">'
        f'<a class="footnote-ref" href="#fn:{passage.id}" '
        f'aria-label="Passage {number}: {what}">{number}</a></sup>'
    )


def _heading_level(block: Block, base: int) -> int:
    extra = max(block.heading_level - 1, 0)
    return min(base + extra, 6)


def _sections(text: Text, by_block: dict[int, list[Highlight]], multi_voice: bool) -> list[Group_]:
    groups: list[Group_] = []
    current: Section | None = None
    omitted_here: list[str] = []
    seen_shown = False
    for block in text.blocks:
        if not block.is_shown:
            # Omissions inside the text are marked where they were; leading and
            # trailing furniture is listed in the header only.
            reason = text.omissions[block.omitted_by].reason if block.omitted_by is not None else ""
            if seen_shown and reason not in omitted_here:
                omitted_here.append(reason)
            continue
        seen_shown = True
        assert block.voice is not None  # the loader gives every shown block a voice
        voice = text.voice(block.voice)
        rendered = Markup(render_runs(block.runs, by_block.get(block.index, ())))
        if current is None or current.voice is None or voice.id != current.voice.id:
            is_comment = voice.kind is VoiceKind.COMMENT
            if not groups or groups[-1].comments != is_comment:
                groups.append(Group_(comments=is_comment))
            if omitted_here:
                groups[-1].sections.append(Section(None, None, items=[_omission(omitted_here)]))
                omitted_here = []
            current = Section(voice, None, 3 if is_comment else 2)
            groups[-1].sections.append(current)
            if voice.heading_block == block.index:
                current.heading = Item(block, rendered)
                continue
        if omitted_here:
            current.items.append(_omission(omitted_here))
            omitted_here = []
        base = (current.label_level + 1) if multi_voice else 2
        level = _heading_level(block, base) if block.role is Role.HEADING else 0
        current.items.append(Item(block, rendered, level, element=_element(block, rendered, level)))
    return groups


ROLE_CLASSES = {
    Role.PARAGRAPH: "cp-p",
    Role.CITATION: "cp-p cp-citation",
    Role.BYLINE: "cp-p cp-byline",
    Role.SIGNOFF: "cp-p cp-signoff",
}
"""The classes of a paragraph of each role (a heading and a quotation have elements of their own)."""


def _element(block: Block, html: Markup, heading_level: int) -> Markup:
    """A block as the page shows it: its words (`html`, escaped already) in its element, with its anchor,
    and for any but a heading its number, which opens its citation."""
    anchor = escape(block.anchor)
    if heading_level:
        return Markup(
            f'<h{heading_level} id="{anchor}" dir="auto">{html}'
            f'<a class="headerlink" href="#{anchor}" title="Permanent link">¶</a></h{heading_level}>'
        )
    number = (
        f'<a class="cp-pn cp-apparatus" href="#{anchor}" data-n="{block.number}" '
        f'aria-label="Paragraph {block.number}: cite or link"></a>'
    )
    if block.role is Role.QUOTATION:
        return Markup(
            f'<blockquote class="cp-quotation"><p class="cp-p" id="{anchor}" dir="auto">{number}{html}</p></blockquote>'
        )
    return Markup(f'<p class="{ROLE_CLASSES[block.role]}" id="{anchor}" dir="auto">{number}{html}</p>')


def _omission(reasons: list[str]) -> Item:
    element = Markup(f'<p class="cp-omission cp-apparatus">Omitted here: {escape("; ".join(reasons))}.</p>')
    return Item(None, NOTHING, element=element)


def _footnote(site: Site, src: str, passage: Passage, number: int) -> Footnote:
    corpus = site.corpus
    links = site.graph.of(passage.id)
    stances = []
    for qid, sid in passage.stances:
        question = corpus.question_by_id[qid]
        stance = question.stance(sid)
        stances.append((question.short, site.question_link(src, qid), stance.label, stance.index))
    groups = []
    for group in GROUP_ORDER:
        entries = []
        for ref in links.entries(group):
            other = corpus.passage_by_id[ref.other]
            bases = []
            for basis in ref.bases:
                question = corpus.question_by_id[basis.question]
                theirs = question.stance(basis.other_stance)
                bases.append((question.short, site.question_link(src, basis.question), theirs.label, theirs.index))
            entries.append(
                FootnoteEntry(
                    href=site.passage_link(src, other),
                    voice=corpus.voice_by_id[other.voice_id],
                    text=corpus.text_by_slug[other.text_slug],
                    place=site.place(other),
                    exact=other.exact,
                    declared=ref.declared,
                    answer=ANSWER_NOTES.get(ref.answer, "") if ref.answer else "",
                    bases=bases,
                )
            )
        if entries:
            groups.append((group.value, entries))
    tallies = [
        TallyLine(
            corpus.question_by_id[t.question].short,
            site.question_link(src, t.question),
            t.opposed_by,
            t.backed_by,
        )
        for t in links.tallies
    ]
    return Footnote(passage, number, corpus.voice_by_id[passage.voice_id], stances, groups, tallies)


__all__ = ["Group", "render_text_page", "text_page_inputs"]
