"""The last loading phase: `annotations/`, the passages of each text, with their stances and relations.

`load_annotations` takes what the editions and questions phases returned. For
each annotation file it finds its text, places each passage's quote in it
(anchoring.py), checks the passage's voice and stances against the text and
the questions, and then checks every relation against the passage ids of the
whole corpus and every voice's stances against the contradictions its questions
declare; those checks of what a passage claims are counterpoint.claims. `counterpoint
requote` reads and places quotes through the same functions (`read_annotation_file`, `place_quote`).

With a cache (memo.py), a file's reading is kept by the digest of its bytes, and its
passages as placed and checked by that digest, the Origin of its text and the ids of the
questions and their stances (Questions.stance_ids). What depends on other files is not kept, and runs on every load: unique
passage ids, the relations' targets and the stances each voice holds across files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from . import anchoring, claims
from .confine import read_confined
from .editions import YAML_SUFFIXES, Editions, yaml_files
from .memo import Cache, changed_while_read, digest, memoized, read_exactly, scope
from .model import Passage, Relation, RelationType, Text
from .problems import Problem, Problems, listed
from .questions import Questions
from .schema import ANNOTATIONS_EXAMPLE, AnnotationsIn, PassageIn
from .yamlfile import YamlDoc, load_yaml
from .yamlschema import validate

_ID_LINE = re.compile(r"""^[ \t-]*id:[ \t]*["']?([a-z0-9]+(?:-[a-z0-9]+)*)["']?[ \t]*(?:#.*)?$""", re.M)
"""A line `- id: some-passage` (or `id: …` in a mapping), read from a file that is not valid YAML."""

_RELATION_KEYS = (
    (RelationType.OPPOSES, "opposes"),
    (RelationType.SUPPORTS, "supports"),
    (RelationType.RESPONDS_TO, "responds_to"),
)


@dataclass(frozen=True)
class Annotations:
    """What the annotations phase passes on: the corpus's passages and relations, in file order."""

    passages: tuple[Passage, ...]
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class AnnotationFile:
    """An annotation file that reads and has the form of one."""

    path: Path
    doc: YamlDoc
    data: AnnotationsIn


def annotation_paths(corpus_dir: Path) -> list[Path]:
    return yaml_files(corpus_dir / "annotations")


def read_annotation_file(path: Path, corpus_dir: Path, problems: Problems) -> AnnotationFile | None:
    """The file, or None when it is not YAML or not an annotation file (reported)."""
    doc, data = _read(path, corpus_dir, problems)
    return AnnotationFile(path, doc, data) if doc is not None and data is not None else None


def _read(path: Path, corpus_dir: Path, problems: Problems) -> tuple[YamlDoc | None, AnnotationsIn | None]:
    doc = load_yaml(path, problems, corpus_dir)
    return doc, validate(AnnotationsIn, doc, problems, ANNOTATIONS_EXAMPLE) if doc is not None else None


@dataclass(frozen=True)
class _ReadFile:
    """An annotation file read and validated, and its problems: kept by the digest of its bytes."""

    problems: tuple[Problem, ...]
    text: str | None = None
    """Its `text:`; None when it is not YAML or not an annotation file."""
    text_line: int | None = None
    ids: tuple[tuple[str, int | None], ...] = ()
    """Each passage's id and line; for a file that does not load, the ids written in it, as far as they can be read."""


@dataclass(frozen=True)
class _Placed:
    """One passage as placed and checked on its own, with its problems, before ids are compared across files."""

    id: str
    line: int | None
    problems: tuple[Problem, ...]
    passage: Passage | None
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class _PlacedFile:
    problems: tuple[Problem, ...]
    """Of the file itself: that it changed while read."""
    passages: tuple[_Placed, ...]


def place_quote(document: anchoring.Document, item: PassageIn) -> anchoring.Match | anchoring.Failure:
    """Where the passage's quote is in its text, or why it cannot be placed."""
    return anchoring.locate(document, anchoring.Selector(item.quote, item.prefix, item.suffix, item.occurrence))


@dataclass
class _Declared:
    """The passage ids seen so far in the phase, across files: each must be declared once."""

    at: dict[str, tuple[Path, int | None]]
    """Where each id is first declared, in files whose passages are or could be placed."""
    unreadable: set[str]
    """Ids written in annotation files that do not load: they exist, though nothing places them."""


def load_annotations(
    corpus_dir: Path, problems: Problems, editions: Editions, questions: Questions, cache: Cache | None = None
) -> Annotations:
    folder = corpus_dir / "annotations"
    _check_other_files(folder, problems)
    by_slug = {t.slug: t for t in editions.texts}
    origins = {t.slug: origin for t, origin in zip(editions.texts, editions.origins, strict=True)}
    documents: dict[str, anchoring.Document] = {}
    declared = _Declared({}, set())
    passages: list[Passage] = []
    pending: list[Relation] = []
    where = scope(corpus_dir, problems.root)
    for path in yaml_files(folder):
        # Read and digested every time: the digest is the key. What it keys is parsed only when not kept.
        raw = read_confined(path, corpus_dir, problems)
        if raw is None:
            continue  # reported; nothing of it can be read, not even the ids it declares
        file_digest = digest(raw)
        parsed: list[AnnotationFile] = []  # for the placing, if it is not kept either
        read = memoized(
            cache,
            ("annotations.read", where, path, file_digest),
            partial(_read_file, path, raw, corpus_dir, problems.root, parsed),
        )
        problems.items.extend(read.problems)
        if read.text is None:
            # Its problems are reported; the relations that point at its passages are not wrong for that.
            declared.unreadable.update(passage_id for passage_id, _ in read.ids)
            continue
        text = _text_of(path, read.text, read.text_line, by_slug, editions, problems)
        if text is None:
            if read.text in editions.declared_slugs:
                # The text's edition has problems of its own (reported there): its passages cannot be
                # placed until it loads, but their ids exist for the relations that point at them.
                for passage_id, line in read.ids:
                    declared.at.setdefault(passage_id, (path, line))
            continue
        placed = memoized(
            cache,
            ("annotations.placed", where, path, file_digest, origins[text.slug], questions.stance_ids),
            partial(_place_file, path, raw, corpus_dir, problems.root, parsed, text, documents, questions),
        )
        problems.items.extend(placed.problems)
        _take(placed.passages, path, declared, problems, passages, pending)
    relations = claims.check_relations(
        pending, {p.id for p in passages}, set(declared.at) | declared.unreadable, problems
    )
    # A voice may take several stances on a question, but never two the question declares contradictory.
    claims.check_consistent_stances(passages, questions.by_id, problems)
    return Annotations(tuple(passages), tuple(relations))


def _take(
    items: Iterable[_Placed],
    path: Path,
    declared: _Declared,
    problems: Problems,
    passages: list[Passage],
    pending: list[Relation],
) -> None:
    """A file's passages added to the phase's, except those whose id an earlier file declares (reported)."""
    for item in items:
        if item.id in declared.at:
            first_path, first_line = declared.at[item.id]
            problems.add(
                path,
                item.line,
                f"passage id `{item.id}` is already used at {problems.display(first_path)}:{first_line}.",
                "Passage ids are shared by the whole corpus (they are permalinks); choose another.",
            )
            continue
        declared.at[item.id] = (path, item.line)
        problems.items.extend(item.problems)
        if item.passage is not None:
            passages.append(item.passage)
            pending += item.relations


def _read_file(
    path: Path, raw: bytes, corpus_dir: Path, root: Path, parsed: list[AnnotationFile]
) -> tuple[_ReadFile, bool]:
    problems = Problems(root)
    doc, data, exact = read_exactly(path, raw, corpus_dir, problems, AnnotationsIn, ANNOTATIONS_EXAMPLE)
    if not exact:
        changed_while_read(path, problems)
    if doc is None or data is None or not exact:
        written = tuple((passage_id, None) for passage_id in sorted(_ids_written(doc, raw)))
        return _ReadFile(tuple(problems.items), ids=written), exact
    parsed.append(AnnotationFile(path, doc, data))
    ids = tuple((item.id, doc.line("passages", index)) for index, item in enumerate(data.passages))
    return _ReadFile(tuple(problems.items), data.text, doc.line("text"), ids), True


def _place_file(
    path: Path,
    raw: bytes,
    corpus_dir: Path,
    root: Path,
    parsed: list[AnnotationFile],
    text: Text,
    documents: dict[str, anchoring.Document],
    questions: Questions,
) -> tuple[_PlacedFile, bool]:
    if parsed:
        file = parsed[0]
    else:  # the file's reading was kept, its text or questions.yml changed: the file is parsed again
        doc, data, exact = read_exactly(path, raw, corpus_dir, Problems(root), AnnotationsIn, ANNOTATIONS_EXAMPLE)
        if doc is None or data is None or not exact:
            problems = Problems(root)
            changed_while_read(path, problems)
            return _PlacedFile(tuple(problems.items), ()), False
        file = AnnotationFile(path, doc, data)
    if text.slug not in documents:  # one per text, however many files annotate it
        documents[text.slug] = anchoring.Document(text.shown_blocks)
    return _PlacedFile((), tuple(_file_passages(file, text, documents[text.slug], questions, root))), True


def _check_other_files(folder: Path, problems: Problems) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix not in YAML_SUFFIXES and not path.name.startswith("."):
            problems.add(
                path,
                None,
                "annotation files are YAML files ending in .yml.",
                "Rename the file, or move it out of `annotations/`.",
            )


def _text_of(
    path: Path, slug: str, line: int | None, by_slug: dict[str, Text], editions: Editions, problems: Problems
) -> Text | None:
    """The text a file annotates; None when it did not load, reported unless its edition's problems say why."""
    text = by_slug.get(slug)
    if text is not None or slug in editions.declared_slugs:
        return text
    known = listed(sorted(by_slug)) or "none yet"
    unread = listed(problems.display(p) for p in editions.unreadable)
    problems.add(
        path,
        line,
        f"there is no text with slug `{slug}`.",
        f"Known slugs: {known}."
        + (f"\nEditions with problems of their own may declare it: {unread}; fix them first." if unread else ""),
    )
    return None


def _ids_written(doc: YamlDoc | None, raw: bytes) -> set[str]:
    """The passage ids an annotation file that does not load declares, as far as they can be read."""
    if doc is not None and isinstance(doc.root, dict) and isinstance(doc.root.get("passages"), list):
        return {
            item["id"] for item in doc.root["passages"] if isinstance(item, dict) and isinstance(item.get("id"), str)
        }
    return set(_ID_LINE.findall(raw.decode("utf-8", "replace")))


def _file_passages(
    file: AnnotationFile, text: Text, document: anchoring.Document, questions: Questions, root: Path
) -> list[_Placed]:
    """Each passage of one file, placed and checked on its own, with the relations it declares."""
    placed: list[_Placed] = []
    for index, item in enumerate(file.data.passages):
        problems = Problems(root)
        passage = _passage(file, index, item, text, document, questions, problems)
        relations = (
            tuple(
                Relation(item.id, target, kind, file.path, file.doc.line("passages", index, key, ti))
                for kind, key in _RELATION_KEYS
                for ti, target in enumerate(getattr(item, key))
            )
            if passage is not None
            else ()
        )
        placed.append(_Placed(item.id, file.doc.line("passages", index), tuple(problems.items), passage, relations))
    return placed


def _passage(
    file: AnnotationFile,
    index: int,
    item: PassageIn,
    text: Text,
    document: anchoring.Document,
    questions: Questions,
    problems: Problems,
) -> Passage | None:
    """The passage, its quote placed in its text; None when the quote, its voice or a stance is wrong (reported)."""
    found = place_quote(document, item)
    if isinstance(found, anchoring.Failure):
        quote_line = file.doc.value_line("passages", index, "quote")
        problems.add(file.path, quote_line, f"passage `{item.id}`: {found.message}", found.hint)
        return None
    block = text.blocks[found.block_index]
    assert block.voice is not None
    voice_ok = _check_voice(file, index, item, text, block.voice, problems)
    stances = claims.stances_of(file, index, item, questions, problems)
    if not voice_ok or stances is None:
        return None
    return Passage(
        id=item.id,
        text_slug=text.slug,
        voice_id=block.voice,
        block_index=found.block_index,
        start=found.start,
        end=found.end,
        exact=found.exact,
        prefix=found.prefix,
        suffix=found.suffix,
        stances=tuple(stances),
        note=item.note,
        file=file.path,
        line=file.doc.line("passages", index),
    )


def _check_voice(file: AnnotationFile, index: int, item: PassageIn, text: Text, voice: str, problems: Problems) -> bool:
    """A passage's `voice:`, when written, is the voice its quote is found in."""
    if item.voice is None or item.voice == voice:
        return True
    names = listed(v.id for v in text.voices)
    wrong = (
        f"its quote is in the part of the text that belongs to `{voice}`"
        if any(v.id == item.voice for v in text.voices)
        else f"this text has no voice `{item.voice}` (its quote is in the part that belongs to `{voice}`)"
    )
    problems.add(
        file.path,
        file.doc.line("passages", index, "voice"),
        f"passage `{item.id}` says `voice: {item.voice}`, but {wrong}.",
        f"Remove `voice:` (it is found from the quote) or correct it; voices of this text: {names}.",
    )
    return False
