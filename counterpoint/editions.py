"""The first loading phase: the corpus folder's own files, and `texts/`, each original with its edition.

`load_editions` reads every edition, reads and decodes its original, builds its text
(structure.py) and checks that slugs and voice ids are unique across the corpus. It
returns `Editions`: the texts that loaded, and what the annotations phase needs to
know about those that did not (so that their annotations are not reported as
pointing at nothing).

With a cache (memo.py), an edition's reading is kept by the digest of its bytes, and its
text by its Origin (the edition's and the original's digests); the checks across files
(unique slugs and voice ids, files no edition uses) run on every load, they are cheap.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .confine import read_confined
from .memo import Cache, changed_while_read, digest, memoized, read_exactly, scope
from .model import Text
from .problems import Problem, Problems
from .schema import EDITION_EXAMPLE, EditionIn
from .source import SourceError, decode
from .structure import Original, build_text
from .yamlfile import YamlDoc

YAML_SUFFIXES = (".yml", ".yaml")
ROOT_FILES_ALLOWED = {"questions.yml", "README.md", ".gitkeep"}

_SLUG_LINE = re.compile(r"""^slug:[ \t]*["']?([a-z0-9]+(?:-[a-z0-9]+)*)["']?[ \t]*(?:#.*)?$""", re.M)
"""A line `slug: some-text`, read from an edition that is not valid YAML."""


def yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


@dataclass(frozen=True)
class Origin:
    """What a text is built from, by content: its structure is kept under this, and so is what depends on it."""

    edition: Path
    edition_digest: bytes
    original: Path
    original_digest: bytes


@dataclass(frozen=True)
class Editions:
    """What the editions phase passes on."""

    texts: tuple[Text, ...]
    """The texts that loaded with a slug of their own, in the order of their edition files."""
    declared_slugs: frozenset[str]
    """Slugs written in editions, including those that did not load: their annotations are not checked."""
    unreadable: tuple[Path, ...]
    """Editions that could not be read or validated: they may declare a slug no text has."""
    origins: tuple[Origin, ...] = ()
    """What each of `texts` was built from, in the same order: the annotations phase keys its results by it."""


@dataclass(frozen=True)
class _Edition:
    path: Path
    slug_line: int | None
    voice_lines: tuple[int | None, ...]
    """The line of each `voices:` item's `id`, in the order written."""
    text: Text
    origin: Origin


@dataclass(frozen=True)
class _EditionFile:
    """One edition file, as far as it could be read."""

    path: Path
    slugs: frozenset[str] = frozenset()
    """The slug it declares, if that much could be read."""
    sources: frozenset[str] = frozenset()
    """Files of `texts/` it accounts for: its `source:` (and the file it probably meant), reported already."""
    readable: bool = True
    """False when it is not YAML or not a valid edition: no original is checked against it."""
    edition: _Edition | None = None


@dataclass(frozen=True)
class _ReadEdition:
    """An edition file read and validated, and its problems: kept by the digest of its bytes."""

    problems: tuple[Problem, ...]
    slugs: frozenset[str]
    source: str | None = None
    """Its `source:`; None when the file is not YAML or not a valid edition."""
    source_line: int | None = None
    source_in_folder: bool = True
    """False when `source:` names a path, not a file of `texts/` (reported)."""
    slug_line: int | None = None
    voice_lines: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class _BuiltText:
    """An edition applied to its original, and the problems found: kept by its Origin."""

    problems: tuple[Problem, ...]
    text: Text | None


def check_root_files(corpus_dir: Path, problems: Problems) -> None:
    for path in sorted(corpus_dir.iterdir()):
        if path.is_dir():
            if path.name not in ("texts", "annotations") and not path.name.startswith("."):
                problems.add(
                    path,
                    None,
                    f"unknown folder `{path.name}` in the corpus.",
                    "The corpus holds `texts/`, `annotations/` and `questions.yml`; move other material elsewhere.",
                )
        elif path.name not in ROOT_FILES_ALLOWED and not path.name.startswith("."):
            problems.add(
                path,
                None,
                f"unknown file `{path.name}` in the corpus.",
                "The corpus holds `texts/`, `annotations/` and `questions.yml`; "
                "rename the file if it was meant to be one of them.",
            )


def load_editions(corpus_dir: Path, problems: Problems, cache: Cache | None = None) -> Editions:
    """The texts of `texts/`; with `cache`, each edition's reading and structure are kept by content (memo.py)."""
    folder = corpus_dir / "texts"
    if not folder.is_dir():
        problems.add(
            folder,
            None,
            "there is no `texts/` folder in the corpus.",
            "Create it and add each original with its edition (see the Editor's guide).",
        )
        return Editions((), frozenset(), ())
    files = [_load_edition(path, corpus_dir, problems, cache) for path in yaml_files(folder)]
    editions = [f.edition for f in files if f.edition is not None]
    if not editions and not problems:
        problems.add(
            folder,
            None,
            "there are no editions in `texts/`: the reader would be empty.",
            "Add an original and its edition `<name>.yml` (see the Editor's guide).",
        )
    _check_unused_files(folder, files, problems)
    kept = _unique(editions, problems)
    return Editions(
        tuple(e.text for e in kept),
        frozenset(slug for f in files for slug in f.slugs),
        tuple(f.path for f in files if not f.readable),
        tuple(e.origin for e in kept),
    )


def _check_unused_files(folder: Path, files: list[_EditionFile], problems: Problems) -> None:
    """Each file of `texts/` is an edition or the original of one."""
    used = {name for f in files for name in f.sources} | {f.path.name for f in files}
    unreadable = {f.path.stem for f in files if not f.readable}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir() or path.name in used:
            continue
        if path.stem in unreadable:
            continue  # its edition could not be read; that problem is reported already
        problems.add(
            path,
            None,
            "this file is not the source of any edition, so it would not be published.",
            f"Add an edition next to it, e.g. `{path.stem}.yml` with `source: {path.name}`, or remove the file.",
        )


def _unique(editions: list[_Edition], problems: Problems) -> list[_Edition]:
    """The editions with a slug of their own. When several claim one slug, that is reported once per
    extra edition, and none of them is kept: which text that slug's annotations were written for is not
    known, so they are not checked against either (their ids still count, as for an edition with problems)."""
    kept: list[_Edition] = []
    seen_slugs: dict[str, _Edition] = {}
    seen_voices: dict[str, _Edition] = {}
    claimed: dict[str, int] = {}
    for edition in editions:
        claimed[edition.text.slug] = claimed.get(edition.text.slug, 0) + 1
    for edition in editions:
        slug = edition.text.slug
        for index, voice in enumerate(edition.text.voices):
            if voice.id in seen_voices and seen_voices[voice.id] is not edition:
                problems.add(
                    edition.path,
                    edition.voice_lines[index],
                    f"voice id `{voice.id}` is already used by {problems.display(seen_voices[voice.id].path)}.",
                    f"Voice ids are shared by the whole corpus; choose another, e.g. `{voice.id}-{slug.split('-')[0]}`.",
                )
            seen_voices.setdefault(voice.id, edition)
        if slug in seen_slugs:
            problems.add(
                edition.path,
                edition.slug_line,
                f"slug `{slug}` is already used by {problems.display(seen_slugs[slug].path)}.",
                "Each text needs its own slug: it is the text's web address. Change one of them "
                "(and `text:` in the annotation files of the text whose slug changes).",
            )
            continue
        seen_slugs[slug] = edition
        if claimed[slug] == 1:
            kept.append(edition)
    return kept


def _declared_slug(doc: YamlDoc | None, raw: bytes) -> frozenset[str]:
    """The slug an edition declares, as far as it can be read, even from a file that is not YAML:
    it still names a text that exists, so that its annotations are not also reported as pointing at nothing."""
    if doc is not None:
        slug = doc.root.get("slug") if isinstance(doc.root, dict) else None
        return frozenset([slug]) if isinstance(slug, str) else frozenset()
    return frozenset(_SLUG_LINE.findall(raw.decode("utf-8", "replace")))


def _load_edition(path: Path, corpus_dir: Path, problems: Problems, cache: Cache | None) -> _EditionFile:
    # Read and digested every time: the digests are the keys. What they key is parsed only when not kept.
    raw = read_confined(path, corpus_dir, problems)
    if raw is None:
        return _EditionFile(path, readable=False)
    edition_digest = digest(raw)
    where = scope(corpus_dir, problems.root)
    parsed: dict[Path, tuple[YamlDoc, EditionIn]] = {}  # for the structure, if it is not kept either
    read = memoized(
        cache,
        ("editions.read", where, path, edition_digest),
        lambda: _read_edition(path, raw, corpus_dir, problems.root, parsed),
    )
    problems.items.extend(read.problems)
    if read.source is None:
        return _EditionFile(path, read.slugs, readable=False)
    sources = frozenset([read.source])
    if not read.source_in_folder:
        return _EditionFile(path, read.slugs, sources)
    source_path = path.parent / read.source
    if not source_path.is_file():
        guess = _similar_file(read.source, path.parent)
        problems.add(
            path,
            read.source_line,
            f"the original `{read.source}` does not exist" + (f" (did you mean `{guess[0]}`?)." if guess else "."),
            f"Write `source: {guess[0]}` if that is the original; otherwise put the original text, "
            f"byte for byte as received, at {problems.display(source_path)}."
            if guess
            else f"Put the original text, byte for byte as received, at {problems.display(source_path)}.",
        )
        return _EditionFile(path, read.slugs, sources | set(guess))  # the guess is reported here, not again as unused
    original = read_confined(source_path, corpus_dir, problems, cited_by=(path, read.source_line))
    if original is None:
        return _EditionFile(path, read.slugs, sources)
    origin = Origin(path, edition_digest, source_path, digest(original))
    built = memoized(
        cache,
        ("editions.text", where, origin),
        lambda: _build_text(path, raw, source_path, original, corpus_dir, problems.root, parsed),
    )
    problems.items.extend(built.problems)
    if built.text is None:
        return _EditionFile(path, read.slugs, sources)
    return _EditionFile(
        path, read.slugs, sources, edition=_Edition(path, read.slug_line, read.voice_lines, built.text, origin)
    )


def _read_edition(
    path: Path, raw: bytes, corpus_dir: Path, root: Path, parsed: dict[Path, tuple[YamlDoc, EditionIn]]
) -> tuple[_ReadEdition, bool]:
    problems = Problems(root)
    doc, data, exact = read_exactly(path, raw, corpus_dir, problems, EditionIn, EDITION_EXAMPLE)
    slugs = _declared_slug(doc, raw)
    if not exact:
        changed_while_read(path, problems)
    if doc is None or data is None or not exact:
        return _ReadEdition(tuple(problems.items), slugs), exact
    parsed[path] = (doc, data)
    in_folder = not ("/" in data.source or "\\" in data.source or data.source.startswith("."))
    if not in_folder:
        problems.add(
            path,
            doc.line("source"),
            f"`source: {data.source}` must be a file name in the same folder.",
            f"Put the original next to this edition and write `source: {_source_name(data.source, path)}`.",
        )
    voice_lines = tuple(doc.line("voices", index, "id") for index in range(len(data.voices)))
    read = _ReadEdition(
        tuple(problems.items), slugs, data.source, doc.line("source"), in_folder, doc.line("slug"), voice_lines
    )
    return read, exact


def _build_text(
    path: Path,
    raw: bytes,
    source_path: Path,
    original_raw: bytes,
    corpus_dir: Path,
    root: Path,
    parsed: dict[Path, tuple[YamlDoc, EditionIn]],
) -> tuple[_BuiltText, bool]:
    problems = Problems(root)
    try:
        original = Original(source_path, original_raw, decode(original_raw))
    except SourceError as error:
        problems.add(source_path, error.line, error.message, error.hint)
        return _BuiltText(tuple(problems.items), None), True
    if path in parsed:
        doc, data = parsed[path]
    else:  # the edition's reading was kept, its original changed: the edition is parsed again
        again, reparsed, exact = read_exactly(path, raw, corpus_dir, Problems(root), EditionIn, EDITION_EXAMPLE)
        if again is None or reparsed is None or not exact:
            changed_while_read(path, problems)
            return _BuiltText(tuple(problems.items), None), False
        doc, data = again, reparsed
    text = build_text(path, doc, data, original, problems)
    return _BuiltText(tuple(problems.items), text), True


def _source_name(written: str, edition: Path) -> str:
    """The file name `source:` should say: the one written without its folders, or else the edition's own name."""
    name = Path(written.replace("\\", "/")).name
    return name if name and not name.startswith(".") else f"{edition.stem}.txt"


def _similar_file(name: str, folder: Path) -> list[str]:
    """The file of `folder` `name` most likely meant (another case, a typo, another extension), if any."""
    scored = []
    for path in folder.iterdir():
        if not path.is_file() or path.suffix in YAML_SUFFIXES or path.name.startswith("."):
            continue
        ratio = difflib.SequenceMatcher(None, name.lower(), path.name.lower()).ratio()
        if ratio >= 0.8 or Path(name).stem.lower() == path.stem.lower():
            scored.append((-ratio, path.name))
    return [min(scored)[1]] if scored else []
