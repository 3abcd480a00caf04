"""The first loading phase: the corpus folder's own files, and `texts/`, each original with its edition.

`load_editions` reads every edition, reads and decodes its original, builds its text
(structure.py) and checks that slugs and voice ids are unique across the corpus. It
returns `Editions`: the texts that loaded, and what the annotations phase needs to
know about those that did not (so that their annotations are not reported as
pointing at nothing).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .confine import read_confined
from .model import Text
from .problems import Problems
from .schema import EDITION_EXAMPLE, EditionIn
from .source import SourceError, decode
from .structure import Original, build_text
from .yamlfile import YamlDoc, load_yaml, validate

YAML_SUFFIXES = (".yml", ".yaml")
ROOT_FILES_ALLOWED = {"questions.yml", "README.md", ".gitkeep"}

_SLUG_LINE = re.compile(r"""^slug:[ \t]*["']?([a-z0-9]+(?:-[a-z0-9]+)*)["']?[ \t]*(?:#.*)?$""", re.M)
"""A line `slug: some-text`, read from an edition that is not valid YAML."""


def yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


@dataclass(frozen=True)
class Editions:
    """What the editions phase passes on."""

    texts: tuple[Text, ...]
    """The texts that loaded with a slug of their own, in the order of their edition files."""
    declared_slugs: frozenset[str]
    """Slugs written in editions, including those that did not load: their annotations are not checked."""
    unreadable: tuple[Path, ...]
    """Editions that could not be read or validated: they may declare a slug no text has."""


@dataclass(frozen=True)
class _Edition:
    doc: YamlDoc
    text: Text


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


def load_editions(corpus_dir: Path, problems: Problems) -> Editions:
    folder = corpus_dir / "texts"
    if not folder.is_dir():
        problems.add(
            folder,
            None,
            "there is no `texts/` folder in the corpus.",
            "Create it and add each original with its edition (see the Editor's guide).",
        )
        return Editions((), frozenset(), ())
    files = [_load_edition(path, corpus_dir, problems) for path in yaml_files(folder)]
    editions = [f.edition for f in files if f.edition is not None]
    if not editions and not problems:
        problems.add(
            folder,
            None,
            "there are no editions in `texts/`: the reader would be empty.",
            "Add an original and its edition `<name>.yml` (see the Editor's guide).",
        )
    _check_unused_files(folder, files, problems)
    return Editions(
        tuple(e.text for e in _unique(editions, problems)),
        frozenset(slug for f in files for slug in f.slugs),
        tuple(f.path for f in files if not f.readable),
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
                    edition.doc.path,
                    edition.doc.line("voices", index, "id"),
                    f"voice id `{voice.id}` is already used by {problems.display(seen_voices[voice.id].doc.path)}.",
                    f"Voice ids are shared by the whole corpus; choose another, e.g. `{voice.id}-{slug.split('-')[0]}`.",
                )
            seen_voices.setdefault(voice.id, edition)
        if slug in seen_slugs:
            problems.add(
                edition.doc.path,
                edition.doc.line("slug"),
                f"slug `{slug}` is already used by {problems.display(seen_slugs[slug].doc.path)}.",
                "Each text needs its own slug: it is the text's web address. Change one of them "
                "(and `text:` in the annotation files of the text whose slug changes).",
            )
            continue
        seen_slugs[slug] = edition
        if claimed[slug] == 1:
            kept.append(edition)
    return kept


def _declared_slug(path: Path, doc: YamlDoc | None, corpus_dir: Path, problems: Problems) -> frozenset[str]:
    """The slug an edition declares, as far as it can be read, even from a file that is not YAML:
    it still names a text that exists, so that its annotations are not also reported as pointing at nothing."""
    if doc is not None:
        slug = doc.root.get("slug") if isinstance(doc.root, dict) else None
        return frozenset([slug]) if isinstance(slug, str) else frozenset()
    raw = read_confined(path, corpus_dir, Problems(problems.root))  # its problem is reported already
    return frozenset(_SLUG_LINE.findall(raw.decode("utf-8", "replace"))) if raw is not None else frozenset()


def _load_edition(path: Path, corpus_dir: Path, problems: Problems) -> _EditionFile:
    doc = load_yaml(path, problems, corpus_dir)
    slugs = _declared_slug(path, doc, corpus_dir, problems)
    data = validate(EditionIn, doc, problems, EDITION_EXAMPLE) if doc is not None else None
    if doc is None or data is None:
        return _EditionFile(path, slugs, readable=False)
    sources = frozenset([data.source])
    if "/" in data.source or "\\" in data.source or data.source.startswith("."):
        problems.add(
            path,
            doc.line("source"),
            f"`source: {data.source}` must be a file name in the same folder.",
            f"Put the original next to this edition and write `source: {_source_name(data.source, path)}`.",
        )
        return _EditionFile(path, slugs, sources)
    source_path = path.parent / data.source
    if not source_path.is_file():
        guess = _similar_file(data.source, path.parent)
        problems.add(
            path,
            doc.line("source"),
            f"the original `{data.source}` does not exist" + (f" (did you mean `{guess[0]}`?)." if guess else "."),
            f"Write `source: {guess[0]}` if that is the original; otherwise put the original text, "
            f"byte for byte as received, at {problems.display(source_path)}."
            if guess
            else f"Put the original text, byte for byte as received, at {problems.display(source_path)}.",
        )
        return _EditionFile(path, slugs, sources | set(guess))  # the guess is reported here, not again as unused
    original = _read_original(source_path, corpus_dir, problems, (path, doc.line("source")))
    text = build_text(path, doc, data, original, problems) if original is not None else None
    return _EditionFile(path, slugs, sources, edition=_Edition(doc, text) if text is not None else None)


def _read_original(
    source_path: Path, corpus_dir: Path, problems: Problems, cited_by: tuple[Path, int | None]
) -> Original | None:
    raw = read_confined(source_path, corpus_dir, problems, cited_by=cited_by)
    if raw is None:
        return None
    try:
        return Original(source_path, raw, decode(raw))
    except SourceError as error:
        problems.add(source_path, error.line, error.message, error.hint)
        return None


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
