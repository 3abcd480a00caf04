"""A synthetic corpus of any size, in the real corpus format, made from the real texts' sentences.

`make_corpus(texts=N, annotations=K)` lays out N texts whose paragraphs are drawn
(deterministically, from `seed`) from the sentences of corpus/texts/*.txt. Like
the real corpus it mixes plain-text and Markdown originals, single-voice
articles and texts with several voices (statements, an introduction, reader
comments), section headings, and omitted page furniture (the title line, some
sharing buttons). Each text gets K passages whose quotes are copied from its
own shown words and occur there exactly once (some use `prefix`, `occurrence`
or `voice:`); passages take stances on corpus/questions.yml, one stance per
voice per question; some declare that they oppose, support or respond to a
passage in another text.

`write_corpus` writes it as `corpus/` (questions.yml, texts/, annotations/);
`write_plain_pages` writes the same texts as plain Markdown pages (no
annotations, no apparatus) for the floor build that `bench/scale.py` compares with.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml

from counterpoint.anchoring import collapse

REPO = Path(__file__).resolve().parents[1]
SEED_TEXTS = REPO / "corpus" / "texts"
QUESTIONS = REPO / "corpus" / "questions.yml"

TEXTS_PER_INDEX_PAGE = 100
"""The floor's texts index is paginated like Counterpoint's (counterpoint/render/lists.py)."""
HOME_TEXTS = 30

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[“\"‘A-Z0-9])")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_UNSAFE = set("*_[]()<>#`\\|~&{}")
"""Characters that could turn a sentence into Markdown syntax; Markdown texts draw only sentences without them."""
_ADJECTIVES = ("Revolutionary", "Socialist", "Communist", "Workers'", "People's", "Internationalist", "Marxist")
_NOUNS = ("League", "Tendency", "Platform", "Collective", "Party", "Circle", "Review", "Front")

Format = Literal["text", "markdown"]
BlockKind = Literal["paragraph", "heading", "voice-heading", "furniture"]


@dataclass
class Block:
    """One paragraph or heading of a synthetic original, as written and as a reader sees it."""

    kind: BlockKind
    lines: list[str]
    """The lines written to the original (Markdown syntax included)."""
    visible: str
    """The words a reader sees (no Markdown syntax)."""
    voice: str | None
    sentences: list[str] = field(default_factory=list)
    first_line: int = 0
    last_line: int = 0


@dataclass
class SyntheticVoice:
    id: str
    name: str
    kind: str
    heading: bool
    stances: dict[str, str]
    """The one stance this voice takes on each question it addresses."""
    first_line: int = 0
    last_line: int = 0
    heading_line: int | None = None


@dataclass
class SyntheticText:
    number: int
    name: str
    """File stem of the original and its edition."""
    slug: str
    title: str
    summary: str
    publisher: str
    date: str
    format: Format
    voices: list[SyntheticVoice]
    blocks: list[Block]
    furniture_reason: str | None = None
    passages: list[dict[str, Any]] = field(default_factory=list)

    def source(self) -> str:
        return "\n".join(_layout(self)) + "\n"


@dataclass
class SyntheticCorpus:
    texts: list[SyntheticText]
    annotations_per_text: int
    seed: int

    @property
    def voices(self) -> int:
        return sum(len(t.voices) for t in self.texts)

    @property
    def passages(self) -> int:
        return sum(len(t.passages) for t in self.texts)

    @property
    def relations(self) -> int:
        return sum(len(p.get(kind, ())) for t in self.texts for p in t.passages for kind in _RELATION_KINDS)

    @property
    def stances(self) -> int:
        return sum(len(p.get("stances", {})) for t in self.texts for p in t.passages)

    def summary(self) -> dict[str, int]:
        return {
            "texts": len(self.texts),
            "voices": self.voices,
            "passages": self.passages,
            "stances": self.stances,
            "relations": self.relations,
            "markdown_texts": sum(1 for t in self.texts if t.format == "markdown"),
            "multi_voice_texts": sum(1 for t in self.texts if len(t.voices) > 1),
            "source_bytes": sum(len(t.source().encode()) for t in self.texts),
        }


_RELATION_KINDS = ("opposes", "supports", "responds_to")


# ---------------------------------------------------------------------------
# Seeds


def seed_sentences(folder: Path = SEED_TEXTS) -> tuple[list[str], list[str]]:
    """The sentences of the real originals: all of them, and those safe to write in a Markdown text."""
    sentences: list[str] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"</?sup>", "", line)
            line = _MARKDOWN_LINK.sub(r"\1", line).replace("*", "").lstrip("#").strip()
            for sentence in _SENTENCE_END.split(line):
                sentence = " ".join(sentence.split())
                if 40 <= len(sentence) <= 400 and len(sentence.split()) >= 6 and sentence not in seen:
                    seen.add(sentence)
                    sentences.append(sentence)
    markdown_safe = [
        s
        for s in sentences
        if not set(s) & _MARKDOWN_UNSAFE and "http" not in s and "www." not in s and not s[0].isdigit()
    ]
    return sentences, markdown_safe


def _questions(path: Path = QUESTIONS) -> list[tuple[str, list[str]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(q["id"], [s["id"] for s in q["stances"]]) for q in data["questions"]]


# ---------------------------------------------------------------------------
# Generating


def make_corpus(
    texts: int,
    annotations: int,
    seed: int = 7,
    *,
    multi_voice_share: float = 0.25,
    markdown_share: float = 0.2,
    stance_share: float = 0.7,
    relation_share: float = 0.3,
) -> SyntheticCorpus:
    """N texts with K passages each, deterministic for a given seed."""
    rng = random.Random(seed)
    plain, markdown_safe = seed_sentences()
    questions = _questions()
    made: list[SyntheticText] = []
    for number in range(texts):
        fmt: Format = "markdown" if rng.random() < markdown_share else "text"
        voice_count = rng.choice((2, 2, 3, 4)) if rng.random() < multi_voice_share else 1
        text = _make_text(rng, number, fmt, voice_count, markdown_safe if fmt == "markdown" else plain, questions)
        _add_passages(rng, text, annotations, stance_share, questions)
        made.append(text)
    _add_relations(rng, made, relation_share)
    return SyntheticCorpus(made, annotations, seed)


def _name(rng: random.Random, number: int) -> str:
    return f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {number}"


def _slug_words(text: str, words: int = 5) -> str:
    tokens = re.findall(r"[a-z0-9]+", text.lower().encode("ascii", "ignore").decode())
    return "-".join(tokens[:words])


def _make_text(
    rng: random.Random,
    number: int,
    fmt: Format,
    voice_count: int,
    pool: list[str],
    questions: list[tuple[str, list[str]]],
) -> SyntheticText:
    title_words = rng.choice(pool).rstrip(".!?…").split()[: rng.randint(5, 10)]
    title = " ".join(title_words)
    slug = f"synthetic-{number:05d}-{_slug_words(title, 4)}".rstrip("-")
    publisher = _name(rng, number)
    day = date(2020, 1, 1) + timedelta(days=rng.randrange(5 * 365))
    date_text = day.isoformat() if rng.random() < 0.9 else day.isoformat()[:7]

    voices: list[SyntheticVoice] = []
    for index in range(voice_count):
        if voice_count == 1:
            kind, name, heading = "article", publisher, False
            voice_id = f"author-{number:05d}"
        else:
            voice_id = f"author-{number:05d}-{index + 1}"
            if index == 0:
                kind = rng.choice(("article", "introduction"))
                name, heading = publisher, False
            elif voices[0].kind == "article":
                kind, name, heading = "comment", f"Reader {number}-{index}", True
            else:
                kind, name, heading = "statement", _name(rng, number), True
        addressed = rng.sample(questions, rng.randint(3, min(8, len(questions))))
        voices.append(SyntheticVoice(voice_id, name, kind, heading, {q: rng.choice(s) for q, s in addressed}))

    sentences = rng.sample(pool, min(len(pool), rng.randint(24, 52)))
    # The first voice has the most to say; the others (statements, comments) share the rest.
    shares = [len(sentences)] if voice_count == 1 else _split(rng, len(sentences), voice_count)
    blocks: list[Block] = []
    position = 0
    for voice, share in zip(voices, shares, strict=True):
        own = sentences[position : position + share]
        position += share
        if voice.heading:
            says = f"{voice.name} says:" if voice.kind == "comment" else f"Statement of the {voice.name}"
            blocks.append(_heading(fmt, says, voice.id, "voice-heading", level=3))

        paragraphs = _paragraphs(rng, own)
        heading_at = set(rng.sample(range(2, len(paragraphs)), 2)) if len(paragraphs) >= 8 else set()
        for index, paragraph in enumerate(paragraphs):
            if index in heading_at:
                words = rng.choice(pool).rstrip(".!?…").split()[: rng.randint(3, 6)]
                blocks.append(_heading(fmt, " ".join(words), voice.id, "heading", level=2))
            blocks.append(_paragraph(rng, fmt, paragraph, voice.id, number, index))
    furniture = None
    if rng.random() < 0.25:
        furniture = "the sharing buttons under the text (page furniture)"
        line = "Share this: Facebook · Twitter · Email"
        blocks.append(Block("furniture", [line], line, None))
    summary = rng.choice(pool)
    text = SyntheticText(
        number, f"{number:05d}_synthetic", slug, title, summary, publisher, date_text, fmt, voices, blocks, furniture
    )
    _layout(text)  # numbers the lines of blocks and voices
    return text


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    first = max(1, int(total * rng.uniform(0.4, 0.6)))
    rest = total - first
    cuts = sorted(rng.sample(range(1, rest), parts - 2)) if parts > 2 else []
    bounds = [0, *cuts, rest]
    return [first] + [bounds[i + 1] - bounds[i] for i in range(parts - 1)]


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    position = 0
    while position < len(sentences):
        size = rng.randint(1, 4)
        paragraphs.append(sentences[position : position + size])
        position += size
    return paragraphs


def _heading(fmt: Format, words: str, voice: str, kind: BlockKind, level: int) -> Block:
    line = f"{'#' * level} {words}" if fmt == "markdown" else words
    return Block(kind, [line], words, voice)


def _paragraph(rng: random.Random, fmt: Format, sentences: list[str], voice: str, number: int, index: int) -> Block:
    visible = " ".join(sentences)
    if fmt == "markdown":
        tokens = visible.split(" ")
        plain_words = [i for i, token in enumerate(tokens) if token.isalpha() and len(token) >= 4]
        if plain_words and rng.random() < 0.3:
            i = rng.choice(plain_words)
            tokens[i] = f"*{tokens[i]}*"
        if plain_words and rng.random() < 0.15:
            i = rng.choice(plain_words)
            tokens[i] = f"**{tokens[i]}**" if not tokens[i].startswith("*") else tokens[i]
        if plain_words and rng.random() < 0.1:
            i = rng.choice(plain_words)
            if not tokens[i].startswith("*"):
                tokens[i] = f"[{tokens[i]}](https://example.org/ref/{number}-{index})"
        lines = [" ".join(tokens)]
    elif len(visible) > 200 and rng.random() < 0.25:
        lines = _wrap(visible, rng.choice((72, 80)))
    else:
        lines = [visible]
    return Block("paragraph", lines, visible, voice, list(sentences))


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current] if current else lines


def _layout(text: SyntheticText) -> list[str]:
    """The original's lines: the title, then the blocks separated by blank lines (numbering them as it goes)."""
    lines = [text.title, ""]
    for index, block in enumerate(text.blocks):
        if index and (text.number + index) % 5 == 0:
            lines.append("")  # originals often have runs of blank lines
        block.first_line = len(lines) + 1
        lines.extend(block.lines)
        block.last_line = len(lines)
        lines.append("")
    lines.pop()
    for voice in text.voices:
        own = [b for b in text.blocks if b.voice == voice.id]
        voice.first_line, voice.last_line = own[0].first_line, own[-1].last_line
        voice.heading_line = own[0].first_line if voice.heading else None
    return lines


# ---------------------------------------------------------------------------
# Passages


def _document(text: SyntheticText) -> str:
    """The text as the anchoring code searches it: shown blocks, whitespace collapsed, joined by a space."""
    return " ".join(collapse(b.visible) for b in text.blocks if b.kind != "furniture")


def _count(haystack: str, needle: str) -> int:
    count, start = 0, haystack.find(needle)
    while start != -1:
        count += 1
        start = haystack.find(needle, start + 1)
    return count


def _add_passages(
    rng: random.Random,
    text: SyntheticText,
    wanted: int,
    stance_share: float,
    questions: list[tuple[str, list[str]]],
) -> None:
    document = _document(text)
    voices = {v.id: v for v in text.voices}
    spots = [(block, sentence) for block in text.blocks if block.kind == "paragraph" for sentence in block.sentences]
    rng.shuffle(spots)
    for block, sentence in spots:
        if len(text.passages) >= wanted:
            break
        words = sentence.split(" ")
        if rng.random() < 0.4 and len(words) >= 10:
            length = rng.randint(6, min(14, len(words) - 1))
            start = rng.randrange(len(words) - length + 1)
            quote = " ".join(words[start : start + length])
        else:
            quote = sentence
        if _count(document, collapse(quote)) != 1:
            continue
        assert block.voice is not None
        voice = voices[block.voice]
        passage: dict[str, Any] = {"id": f"t{text.number:05d}-{len(text.passages) + 1:02d}", "quote": quote}
        roll = rng.random()
        if roll < 0.1:
            before = document[: document.find(collapse(quote))].rstrip()
            if " " in before[-40:]:
                passage["prefix"] = before[-40:].split(" ", 1)[1]
        elif roll < 0.15:
            passage["occurrence"] = 1
        elif roll < 0.25:
            passage["voice"] = voice.id
        if voice.stances and rng.random() < stance_share:
            chosen = rng.sample(sorted(voice.stances), 1 if rng.random() < 0.75 or len(voice.stances) < 2 else 2)
            passage["stances"] = {q: voice.stances[q] for q in chosen}
        if rng.random() < 0.85:
            passage["note"] = f"Synthetic note: {' '.join(sentence.split()[:12])}."
        text.passages.append(passage)


def _add_relations(rng: random.Random, texts: list[SyntheticText], share: float) -> None:
    """Explicit cross-references from some passages to passages of other texts."""
    if len(texts) < 2:
        return
    for text in texts:
        for passage in text.passages:
            if rng.random() >= share:
                continue
            for _ in range(1 if rng.random() < 0.85 else 2):
                other = texts[rng.randrange(len(texts) - 1)]
                other = other if other is not text else texts[-1]
                if not other.passages:
                    continue
                target = rng.choice(other.passages)["id"]
                kind = rng.choices(_RELATION_KINDS, weights=(0.45, 0.3, 0.25))[0]
                targets = passage.setdefault(kind, [])
                if target not in targets:
                    targets.append(target)


# ---------------------------------------------------------------------------
# Writing


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def edition(text: SyntheticText) -> dict[str, Any]:
    """The edition (corpus/texts/<name>.yml) of a synthetic text."""
    data: dict[str, Any] = {
        "source": f"{text.name}.txt",
        "format": text.format,
        "slug": text.slug,
        "title": text.title,
        "summary": text.summary,
        "publisher": text.publisher,
        "date": text.date,
        "url": f"https://example.org/synthetic/{text.number}",
        "voices": [],
    }
    multi = len(text.voices) > 1
    for voice in text.voices:
        entry: dict[str, Any] = {"id": voice.id, "name": voice.name, "kind": voice.kind}
        if voice.heading_line is not None:
            entry["heading"] = voice.heading_line
        if multi:
            entry["lines"] = f"{voice.first_line}-{voice.last_line}"
        data["voices"].append(entry)
    if text.format == "text":
        headings = [b.first_line for b in text.blocks if b.kind == "heading"]
        if headings:
            data["headings"] = headings
    omit: list[dict[str, Any]] = [{"lines": 1, "reason": "the title, shown in the page header"}]
    furniture = [b for b in text.blocks if b.kind == "furniture"]
    if furniture and text.furniture_reason:
        omit.append({"lines": furniture[0].first_line, "reason": text.furniture_reason})
    data["omit"] = omit
    return data


def write_corpus(corpus: SyntheticCorpus, folder: Path) -> Path:
    """Write `folder` (usually <project>/corpus) in the real corpus format; returns it."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "texts").mkdir(parents=True)
    (folder / "annotations").mkdir()
    shutil.copyfile(QUESTIONS, folder / "questions.yml")
    for text in corpus.texts:
        (folder / "texts" / f"{text.name}.txt").write_bytes(text.source().encode("utf-8"))
        header = f"# Synthetic text {text.number} (bench/synthetic.py, seed {corpus.seed}).\n"
        (folder / "texts" / f"{text.name}.yml").write_text(header + _dump(edition(text)), encoding="utf-8")
        annotations = {"text": text.slug, "passages": text.passages}
        (folder / "annotations" / f"{text.name}.yml").write_text(_dump(annotations), encoding="utf-8")
    return folder


def _plain_page(text: SyntheticText) -> str:
    lines = [f"# {_md_escape(text.title)}", "", f"*{_md_escape(text.publisher)}*, {text.date}", "", text.summary, ""]
    multi = len(text.voices) > 1
    names = {v.id: v.name for v in text.voices}
    current = None
    for block in text.blocks:
        if block.kind == "furniture":
            continue
        if multi and block.voice != current and block.kind != "voice-heading":
            lines += [f"## {_md_escape(names[block.voice or ''])}", ""]
        current = block.voice
        if block.kind == "voice-heading":
            lines += [f"## {_md_escape(block.visible)}", ""]
        elif block.kind == "heading":
            lines += [f"### {_md_escape(block.visible)}", ""]
        elif text.format == "markdown":
            lines += [*block.lines, ""]
        else:
            lines += [block.visible, ""]
    return "\n".join(lines)


def _md_escape(words: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", words)


def _text_list(texts: list[SyntheticText], prefix: str, start: int) -> list[str]:
    return [
        f"{start + i}. [{_md_escape(t.title)}]({prefix}{t.slug}.md) — {_md_escape(t.publisher)}, {t.date}"
        for i, t in enumerate(texts)
    ]


def write_plain_pages(corpus: SyntheticCorpus, docs: Path) -> list[str]:
    """The floor: each text as a plain Markdown page under docs/texts/, with a paginated index.

    The home page's `<!-- counterpoint: texts -->` slot becomes a list of the first
    texts, as Counterpoint's home page has. Returns the pages' paths (for a nav).
    """
    folder = docs / "texts"
    folder.mkdir(parents=True, exist_ok=True)
    ordered = sorted(corpus.texts, key=lambda t: (t.date, t.slug))
    pages = []
    for text in ordered:
        (folder / f"{text.slug}.md").write_text(_plain_page(text), encoding="utf-8")
        pages.append(f"texts/{text.slug}.md")
    count = max(1, -(-len(ordered) // TEXTS_PER_INDEX_PAGE))
    for number in range(1, count + 1):
        chunk = ordered[(number - 1) * TEXTS_PER_INDEX_PAGE : number * TEXTS_PER_INDEX_PAGE]
        first = number == 1
        prefix = "" if first else "../"
        links = " · ".join(
            str(n) if n == number else f"[{n}]({prefix}{'index.md' if n == 1 else f'page/{n}.md'})"
            for n in range(1, count + 1)
        )
        body = [f"# Texts{'' if count == 1 else f', page {number} of {count}'}", ""]
        body += [f"The {len(ordered)} texts of the debate, in the order they were published.", ""]
        body += [*_text_list(chunk, prefix, (number - 1) * TEXTS_PER_INDEX_PAGE + 1), ""]
        if count > 1:
            body += [f"Pages: {links}", ""]
        target = folder / "index.md" if first else folder / "page" / f"{number}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(body), encoding="utf-8")
    home = docs / "index.md"
    if home.is_file():
        listing = _text_list(ordered[:HOME_TEXTS], "texts/", 1)
        if len(ordered) > HOME_TEXTS:
            listing += ["", f"[All {len(ordered)} texts](texts/index.md)"]
        content = home.read_text(encoding="utf-8")
        home.write_text(content.replace("<!-- counterpoint: texts -->", "\n".join(listing)), encoding="utf-8")
    return pages
