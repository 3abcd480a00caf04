"""One edition's structure (roles, omissions, voices) applied to the blocks of its original.

`build_text` is the last step of loading an edition (editions.py): it takes the
validated edition and the decoded original, checks every line range against the
original's paragraphs, and returns the Text, or None with each problem reported.
Each step below returns what the next needs; none of them keeps state.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .model import Block, Omission, PartialDate, Role, Text, Voice, VoiceKind
from .problems import Problems, listed
from .schema import EditionIn
from .source import RawBlock, parse, split_lines
from .yamlfile import YamlDoc

_ROLE_KEYS = {
    "headings": Role.HEADING,
    "quotations": Role.QUOTATION,
    "citations": Role.CITATION,
    "bylines": Role.BYLINE,
    "signoffs": Role.SIGNOFF,
}


def _ranges(ranges: Iterable[tuple[int, int]]) -> str:
    return listed(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def _lines(ranges: Iterable[tuple[int, int]]) -> str:
    """“line 7”, “lines 7-9”, “lines 3, 7-9”."""
    ranges = list(ranges)
    single = len(ranges) == 1 and ranges[0][0] == ranges[0][1]
    return ("line " if single else "lines ") + _ranges(ranges)


def fragment_slug(text: str, words: int = 6, limit: int = 48) -> str:
    """A short ASCII slug of the first words of `text` ("" when none of it is ASCII), for an HTML id."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    tokens = re.findall(r"[a-z0-9]+", ascii_text)[:words]
    slug = "-".join(tokens)[:limit].strip("-")
    return slug


def _fragment_id(prefix: str, text: str) -> str:
    slug = fragment_slug(text)
    if len(slug) < 3:
        slug = hashlib.sha1(text.encode()).hexdigest()[:8]
    return f"{prefix}-{slug}"


def _unique_fragment_ids(natural: dict[int, str]) -> dict[int, str]:
    """Each block's HTML id made from its own words; repeats get -2, -3... in order.

    A number is never one another block's words would give (“Same words” twice and
    “Same words 2” get p-same-words, p-same-words-3 and p-same-words-2), so every
    id on the page is unique and depends only on the text, not on editing order.
    """
    taken = set(natural.values())
    seen: set[str] = set()
    next_number: dict[str, int] = {}
    ids: dict[int, str] = {}
    for index, fragment in natural.items():
        if fragment in seen:
            number = next_number.get(fragment, 2)
            while f"{fragment}-{number}" in taken:
                number += 1
            next_number[fragment] = number + 1
            fragment = f"{fragment}-{number}"
            taken.add(fragment)
        seen.add(fragment)
        ids[index] = fragment
    return ids


def _visible(block: RawBlock) -> str:
    return "".join(r.text for r in block.runs)


@dataclass(frozen=True)
class Original:
    """An edition's original, read and decoded."""

    path: Path
    raw: bytes
    content: str


@dataclass
class _Voices:
    """What the voices of an edition cover: each block's voice, and the block heading each voice."""

    voice_of: dict[int, str] = field(default_factory=dict)
    heading_of: dict[str, int] = field(default_factory=dict)


def build_text(path: Path, doc: YamlDoc, data: EditionIn, original: Original, problems: Problems) -> Text | None:
    """The text of this edition, or None when its structure does not fit its original (reported)."""
    return _EditionBuilder(path, doc, data, original, problems).build()


class _EditionBuilder:
    """Applies one edition's structure to the blocks of its original."""

    def __init__(self, path: Path, doc: YamlDoc, data: EditionIn, original: Original, problems: Problems) -> None:
        self.path = path
        self.doc = doc
        self.data = data
        self.original = original
        self.lines = split_lines(original.content)
        # A final line break ends the last line; it does not start another (as `wc -l` and editors count).
        self.line_count = len(self.lines) - 1 if len(self.lines) > 1 and self.lines[-1] == "" else len(self.lines)
        self.problems = problems
        self.raw_blocks = parse(original.content, data.format)
        self.block_of_line: dict[int, int] = {}
        for index, block in enumerate(self.raw_blocks):
            for line in range(block.first_line, block.last_line + 1):
                self.block_of_line[line] = index
        self.failed = False
        """Some problem of this edition has been reported: its text is not built."""

    def fail(self, keys: tuple[str | int, ...], message: str, hint: str = "") -> None:
        self.problems.add(self.path, self.doc.line(*keys), message, hint)
        self.failed = True

    def _check_range(self, keys: tuple[str | int, ...], first: int, last: int) -> bool:
        if last > self.line_count:
            self.fail(
                keys,
                f"line {last} is past the end of {self.original.path.name}, which has {self.line_count} lines.",
                "Line numbers count from 1 in the original file, as a text editor shows them.",
            )
            return False
        return True

    def _blocks_in(self, keys: tuple[str | int, ...], ranges: list[tuple[int, int]], whole: bool) -> list[int]:
        """Blocks covered by `ranges`. With `whole`, a range must not cut a block in two."""
        found: list[int] = []
        for first, last in ranges:
            if not self._check_range(keys, first, last):
                continue
            covered = sorted({self.block_of_line[n] for n in range(first, last + 1) if n in self.block_of_line})
            if not covered:
                self.fail(
                    keys,
                    f"{_lines([(first, last)])} of {self.original.path.name} {'is' if first == last else 'are'} blank.",
                    "Point at lines that hold text.",
                )
                continue
            if whole:
                for index in covered:
                    block = self.raw_blocks[index]
                    if block.first_line < first or block.last_line > last:
                        self.fail(
                            keys,
                            f"{_lines([(first, last)])} cut the paragraph at lines "
                            f"{_ranges([(block.first_line, block.last_line)])} in two.",
                            f"Cover whole paragraphs: write {_ranges([(min(first, block.first_line), max(last, block.last_line))])}.",
                        )
            found.extend(covered)
        return found

    def build(self) -> Text | None:
        roles = self._roles()
        omitted, omissions = self._omissions()
        voices = self._voices(omitted)
        roles.update(dict.fromkeys(voices.heading_of.values(), Role.HEADING))
        self._check_coverage(omitted, voices)
        if self.failed:
            return None
        blocks = self._finish_blocks(roles, omitted, voices.voice_of, {i: v for v, i in voices.heading_of.items()})
        return self._text(blocks, omitted, omissions, voices)

    def _roles(self) -> dict[int, Role]:
        """The role of each block an edition's `headings:`, `quotations:`… name, or its Markdown heading gives."""
        roles: dict[int, Role] = {}
        for key, role in _ROLE_KEYS.items():
            for index in self._blocks_in((key,), getattr(self.data, key), whole=False):
                if index in roles and roles[index] is not role:
                    block = self.raw_blocks[index]
                    self.fail(
                        (key,),
                        f"the paragraph at line {block.first_line} is given two roles: "
                        f"{roles[index].value} and {role.value}.",
                        "Give each paragraph one role.",
                    )
                roles[index] = role
        for index, block in enumerate(self.raw_blocks):
            if block.heading_level and index not in roles:
                roles[index] = Role.HEADING
        return roles

    def _omissions(self) -> tuple[dict[int, int], list[Omission]]:
        """Each omitted block's omission (by index), and the omissions in the order the edition declares them."""
        omitted: dict[int, int] = {}
        omissions: list[Omission] = []
        for oi, omission in enumerate(self.data.omit):
            covered = self._blocks_in(("omit", oi, "lines"), omission.lines, whole=True)
            for index in covered:
                if index in omitted:
                    self.fail(
                        ("omit", oi),
                        f"the paragraph at line {self.raw_blocks[index].first_line} is omitted twice.",
                        "Remove it from one of the omissions.",
                    )
                omitted[index] = len(omissions)
            text = "\n".join("\n".join(self.lines[first - 1 : last]) for first, last in omission.lines)
            omissions.append(Omission(omission.lines[0][0], omission.lines[-1][1], omission.reason, text.strip()))
        return omitted, omissions

    def _voices(self, omitted: dict[int, int]) -> _Voices:
        found = _Voices()
        for vi, voice in enumerate(self.data.voices):
            if voice.lines is None:
                if len(self.data.voices) > 1:
                    self.fail(
                        ("voices", vi),
                        f"voice `{voice.id}` needs `lines:` because this text has several voices.",
                        "Say which lines of the original are this voice's, e.g. `lines: 9-33`.",
                    )
                    continue
                covered = list(range(len(self.raw_blocks)))
            else:
                reported = len(self.problems)
                covered = self._blocks_in(("voices", vi, "lines"), voice.lines, whole=True)
                if len(self.problems) > reported:
                    continue  # its `lines:` are wrong (reported): checking its heading against them would mislead
            for index in covered:
                if index in found.voice_of and index not in omitted:
                    self.fail(
                        ("voices", vi, "lines"),
                        f"the paragraph at line {self.raw_blocks[index].first_line} belongs to two voices, "
                        f"`{found.voice_of[index]}` and `{voice.id}`.",
                        "Give each paragraph to one voice.",
                    )
                found.voice_of[index] = voice.id
            shown = [i for i in covered if i not in omitted]
            if voice.heading is not None:
                self._check_heading(vi, voice.id, voice.heading, covered, shown, found)
            if not shown and not self.failed:
                self.fail(
                    ("voices", vi),
                    f"voice `{voice.id}` has no text: all of its lines are omitted or blank.",
                    "Correct its `lines:` or remove the voice.",
                )
        return found

    def _check_heading(
        self, vi: int, voice_id: str, heading: int, covered: list[int], shown: list[int], found: _Voices
    ) -> None:
        heading_index = self.block_of_line.get(heading)
        if heading_index is None or heading_index not in covered:
            self.fail(
                ("voices", vi, "heading"),
                f"`heading: {heading}` must be a line with text inside voice `{voice_id}`'s lines.",
                "Point at the line that heads this voice's part, e.g. its name or the commenter's byline.",
            )
            return
        if shown and shown[0] != heading_index:
            self.fail(
                ("voices", vi, "heading"),
                f"`heading: {heading}` is not the first shown paragraph of voice `{voice_id}`.",
                "A voice's heading opens its part of the text.",
            )
        found.heading_of[voice_id] = heading_index

    def _check_coverage(self, omitted: dict[int, int], voices: _Voices) -> None:
        """Every shown block belongs to a voice, and some block is shown."""
        unassigned = [b for i, b in enumerate(self.raw_blocks) if i not in omitted and i not in voices.voice_of]
        if unassigned and not self.failed:
            spans = _lines((b.first_line, b.last_line) for b in unassigned)
            self.fail(
                ("voices",),
                f"{spans} of {self.original.path.name} {'belongs' if spans.startswith('line ') else 'belong'} "
                "to no voice.",
                "Add them to a voice's `lines:`, or to `omit:` with a reason if they are page furniture.",
            )
        if not [i for i in range(len(self.raw_blocks)) if i not in omitted] and not self.failed:
            self.fail(("omit",), "every paragraph of the text is omitted.", "An edition must show some of its text.")

    def _text(self, blocks: list[Block], omitted: dict[int, int], omissions: list[Omission], found: _Voices) -> Text:
        data = self.data
        shown_voice_of = {i: v for i, v in found.voice_of.items() if i not in omitted}
        voice_order = {
            vid: min(i for i, v in shown_voice_of.items() if v == vid) for vid in set(shown_voice_of.values())
        }
        voices = sorted(
            (
                Voice(
                    v.id, v.name, v.short or v.name, VoiceKind(v.kind), v.about, data.slug, found.heading_of.get(v.id)
                )
                for v in data.voices
            ),
            key=lambda v: voice_order.get(v.id, 0),
        )
        return Text(
            slug=data.slug,
            title=data.title,
            summary=data.summary,
            format=data.format,
            publisher=data.publisher,
            date=PartialDate.parse(data.date) if data.date else None,
            date_note=data.date_note,
            url=data.url,
            url_note=data.url_note,
            notes=tuple(data.notes),
            blocks=tuple(blocks),
            voices=tuple(voices),
            omissions=tuple(omissions),
            source_path=self.original.path,
            source_bytes=self.original.raw,
        )

    def _finish_blocks(
        self, roles: dict[int, Role], omitted: dict[int, int], voice_of: dict[int, str], voice_headings: dict[int, str]
    ) -> list[Block]:
        blocks: list[Block] = []
        fragment_ids = _unique_fragment_ids(
            {
                index: _fragment_id("s" if roles.get(index, Role.PARAGRAPH) is Role.HEADING else "p", _visible(raw))
                for index, raw in enumerate(self.raw_blocks)
                if index not in omitted and index not in voice_headings
            }
        )
        number = 0
        for index, raw in enumerate(self.raw_blocks):
            role = roles.get(index, Role.PARAGRAPH)
            shown = index not in omitted
            fragment = ""
            shown_number = None
            if shown and index in voice_headings:
                fragment = f"v-{voice_headings[index]}"  # a voice's part is linked to by the voice's id
            elif shown:
                fragment = fragment_ids[index]
                if role is not Role.HEADING:
                    number += 1
                    shown_number = number
            blocks.append(
                Block(
                    index=index,
                    first_line=raw.first_line,
                    last_line=raw.last_line,
                    runs=raw.runs,
                    role=role,
                    heading_level=raw.heading_level,
                    voice=voice_of.get(index),
                    anchor=fragment,
                    number=shown_number,
                    omitted_by=omitted.get(index),
                )
            )
        return blocks
