"""Loading `corpus/`: editions, originals, questions and annotations, checked together.

The layout an editor works with:

    corpus/
      questions.yml                 the questions of the debate and their stances
      texts/<name>.txt              an original, byte for byte as received
      texts/<name>.yml              its edition: metadata, voices, structure, omissions
      annotations/<name>.yml        passages of one text: quotes, stances, notes, relations

`load_corpus` reports every problem it finds (file, line, what, how to fix) and
returns a Corpus only when there is none.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from . import anchoring
from .confine import read_confined
from .model import (
    Block,
    Corpus,
    Omission,
    PartialDate,
    Passage,
    Question,
    Relation,
    RelationType,
    Role,
    Stance,
    Text,
    Voice,
    VoiceKind,
)
from .problems import CorpusError, Problems, listed
from .schema import (
    ANNOTATIONS_EXAMPLE,
    EDITION_EXAMPLE,
    QUESTIONS_EXAMPLE,
    AnnotationsIn,
    EditionIn,
    PassageIn,
    QuestionsIn,
    StanceIn,
)
from .source import RawBlock, SourceError, decode, parse, split_lines
from .yamlfile import YamlDoc, load_yaml, validate

YAML_SUFFIXES = (".yml", ".yaml")
ROOT_FILES_ALLOWED = {"questions.yml", "README.md", ".gitkeep"}


def load_corpus(corpus_dir: Path, root: Path | None = None) -> Corpus:
    """The checked corpus; raises CorpusError listing every problem found."""
    problems = Problems(root or corpus_dir.parent)
    corpus = _Loader(corpus_dir, problems).load()
    if problems or corpus is None:
        raise CorpusError(problems.sorted())
    return corpus


def check_corpus(corpus_dir: Path, root: Path | None = None) -> Problems:
    problems = Problems(root or corpus_dir.parent)
    _Loader(corpus_dir, problems).load()
    return problems


def load_texts(corpus_dir: Path, root: Path | None = None) -> tuple[dict[str, Text], Problems]:
    """The texts whose editions load, by slug, and the problems of those that do not.

    Annotations are not read: this is for tools (`counterpoint requote`) that work on
    annotations which may not anchor yet.
    """
    problems = Problems(root or corpus_dir.parent)
    texts = _Loader(corpus_dir, problems)._load_texts() if corpus_dir.is_dir() else []
    return {text.slug: text for text in texts}, problems


# ---------------------------------------------------------------------------


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


_ID_LINE = re.compile(r"""^[ \t-]*id:[ \t]*["']?([a-z0-9]+(?:-[a-z0-9]+)*)["']?[ \t]*(?:#.*)?$""", re.M)
"""A line `- id: some-passage` (or `id: …` in a mapping), read from a file that is not valid YAML."""
_SLUG_LINE = re.compile(r"""^slug:[ \t]*["']?([a-z0-9]+(?:-[a-z0-9]+)*)["']?[ \t]*(?:#.*)?$""", re.M)


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


def _ranges(ranges: Iterable[tuple[int, int]]) -> str:
    return listed(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def _lines(ranges: Iterable[tuple[int, int]]) -> str:
    """“line 7”, “lines 7-9”, “lines 3, 7-9”."""
    ranges = list(ranges)
    single = len(ranges) == 1 and ranges[0][0] == ranges[0][1]
    return ("line " if single else "lines ") + _ranges(ranges)


def anchor_slug(text: str, words: int = 6, limit: int = 48) -> str:
    """A short ASCII slug of the first words of `text` ("" when none of it is ASCII)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    tokens = re.findall(r"[a-z0-9]+", ascii_text)[:words]
    slug = "-".join(tokens)[:limit].strip("-")
    return slug


def _anchor(prefix: str, text: str) -> str:
    slug = anchor_slug(text)
    if len(slug) < 3:
        slug = hashlib.sha1(text.encode()).hexdigest()[:8]
    return f"{prefix}-{slug}"


@dataclass
class _Edition:
    doc: YamlDoc
    data: EditionIn
    text: Text


class _Loader:
    def __init__(self, corpus_dir: Path, problems: Problems) -> None:
        self.dir = corpus_dir
        self.problems = problems
        self.sources_named: set[str] = set()
        self.unreadable_editions: set[str] = set()
        self.unreadable_paths: list[Path] = []
        self.questions_unreadable = False
        """corpus/questions.yml has problems of its own: stances cannot be checked against it."""
        self.declared_slugs: set[str] = set()
        """Slugs written in editions, including editions that could not be loaded."""

    def load(self) -> Corpus | None:
        if not self.dir.is_dir():
            self.problems.add(
                self.dir,
                None,
                "the corpus folder does not exist.",
                "Create it with a `texts/` folder holding each original and its edition (see the Editor's guide).",
            )
            return None
        self._check_root_files()
        texts = self._load_texts()
        questions = self._load_questions()
        passages, relations = self._load_annotations(texts, questions)
        if self.problems:
            return None
        ordered = sorted(texts, key=lambda t: (t.date.sort_key if t.date else (10_000, 0, 0), t.slug))
        position = 0
        final_texts = []
        for order, text in enumerate(ordered):
            voices = []
            for voice in text.voices:
                voices.append(replace(voice, order=position))
                position += 1
            final_texts.append(replace(text, order=order, voices=tuple(voices)))
        return Corpus(tuple(final_texts), questions, tuple(passages), tuple(relations))

    # -- files --------------------------------------------------------------

    def _check_root_files(self) -> None:
        for path in sorted(self.dir.iterdir()):
            if path.is_dir():
                if path.name not in ("texts", "annotations") and not path.name.startswith("."):
                    self.problems.add(
                        path,
                        None,
                        f"unknown folder `{path.name}` in the corpus.",
                        "The corpus holds `texts/`, `annotations/` and `questions.yml`; move other material elsewhere.",
                    )
            elif path.name not in ROOT_FILES_ALLOWED and not path.name.startswith("."):
                self.problems.add(
                    path,
                    None,
                    f"unknown file `{path.name}` in the corpus.",
                    "The corpus holds `texts/`, `annotations/` and `questions.yml`; "
                    "rename the file if it was meant to be one of them.",
                )

    # -- texts --------------------------------------------------------------

    def _load_texts(self) -> list[Text]:
        folder = self.dir / "texts"
        if not folder.is_dir():
            self.problems.add(
                folder,
                None,
                "there is no `texts/` folder in the corpus.",
                "Create it and add each original with its edition (see the Editor's guide).",
            )
            return []
        editions = [e for e in (self._load_edition(p) for p in _yaml_files(folder)) if e is not None]
        if not editions and not self.problems:
            self.problems.add(
                folder,
                None,
                "there are no editions in `texts/`: the reader would be empty.",
                "Add an original and its edition `<name>.yml` (see the Editor's guide).",
            )
        used = self.sources_named | {p.name for p in _yaml_files(folder)}
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir() or path.name in used:
                continue
            if path.stem in self.unreadable_editions:
                continue  # its edition could not be read; that problem is reported already
            self.problems.add(
                path,
                None,
                "this file is not the source of any edition, so it would not be published.",
                f"Add an edition next to it, e.g. `{path.stem}.yml` with `source: {path.name}`, or remove the file.",
            )
        return [e.text for e in self._check_unique(editions)]

    def _check_unique(self, editions: list[_Edition]) -> list[_Edition]:
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
                    self.problems.add(
                        edition.doc.path,
                        edition.doc.line("voices", index, "id"),
                        f"voice id `{voice.id}` is already used by "
                        f"{self.problems.display(seen_voices[voice.id].doc.path)}.",
                        "Voice ids are shared by the whole corpus; choose another, e.g. "
                        f"`{voice.id}-{slug.split('-')[0]}`.",
                    )
                seen_voices.setdefault(voice.id, edition)
            if slug in seen_slugs:
                other = seen_slugs[slug]
                self.problems.add(
                    edition.doc.path,
                    edition.doc.line("slug"),
                    f"slug `{slug}` is already used by {self.problems.display(other.doc.path)}.",
                    "Each text needs its own slug: it is the text's web address. Change one of them "
                    "(and `text:` in the annotation files of the text whose slug changes).",
                )
                continue
            seen_slugs[slug] = edition
            if claimed[slug] == 1:
                kept.append(edition)
        return kept

    def _load_edition(self, path: Path) -> _Edition | None:
        doc = load_yaml(path, self.problems, self.dir)
        if doc is not None and isinstance(doc.root, dict) and isinstance(doc.root.get("slug"), str):
            self.declared_slugs.add(doc.root["slug"])
        elif doc is None:
            # Not even YAML (reported): its slug, if a line says it, still names a text that exists,
            # so that its annotations are not also reported as pointing at nothing.
            raw = read_confined(path, self.dir, Problems(self.problems.root))  # its problem is reported already
            if raw is not None:
                self.declared_slugs.update(_SLUG_LINE.findall(raw.decode("utf-8", "replace")))
        data = validate(EditionIn, doc, self.problems, EDITION_EXAMPLE) if doc is not None else None
        if doc is None or data is None:
            self.unreadable_editions.add(path.stem)
            self.unreadable_paths.append(path)
            return None
        self.sources_named.add(data.source)
        source_path = path.parent / data.source
        if "/" in data.source or "\\" in data.source or data.source.startswith("."):
            self.problems.add(
                path,
                doc.line("source"),
                f"`source: {data.source}` must be a file name in the same folder.",
                f"Put the original next to this edition and write `source: {_source_name(data.source, path)}`.",
            )
            return None
        if not source_path.is_file():
            guess = _similar_file(data.source, path.parent)
            self.sources_named.update(guess)  # reported here, not again as a file no edition uses
            self.problems.add(
                path,
                doc.line("source"),
                f"the original `{data.source}` does not exist" + (f" (did you mean `{guess[0]}`?)." if guess else "."),
                f"Write `source: {guess[0]}` if that is the original; otherwise put the original text, "
                f"byte for byte as received, at {self.problems.display(source_path)}."
                if guess
                else f"Put the original text, byte for byte as received, at {self.problems.display(source_path)}.",
            )
            return None
        raw = read_confined(source_path, self.dir, self.problems, cited_by=(path, doc.line("source")))
        if raw is None:
            return None
        try:
            content = decode(raw)
        except SourceError as error:
            self.problems.add(source_path, error.line, error.message, error.hint)
            return None
        text = _EditionBuilder(path, doc, data, source_path, raw, content, self.problems).build()
        return _Edition(doc, data, text) if text is not None else None

    # -- questions ----------------------------------------------------------

    def _load_questions(self) -> tuple[Question, ...]:
        path = self.dir / "questions.yml"
        if not path.exists():
            return ()
        doc = load_yaml(path, self.problems, self.dir)
        data = validate(QuestionsIn, doc, self.problems, QUESTIONS_EXAMPLE) if doc is not None else None
        if doc is None or data is None:
            self.questions_unreadable = True
            return ()
        questions: list[Question] = []
        seen: set[str] = set()
        for qi, q in enumerate(data.questions):
            if q.id in seen:
                self.problems.add(
                    path,
                    doc.line("questions", qi, "id"),
                    f"question id `{q.id}` is used twice.",
                    "Give each question its own id.",
                )
                continue
            seen.add(q.id)
            stance_ids: set[str] = set()
            stances = []
            for si, s in enumerate(q.stances):
                if s.id in stance_ids:
                    self.problems.add(
                        path,
                        doc.line("questions", qi, "stances", si, "id"),
                        f"stance id `{s.id}` is used twice in question `{q.id}`.",
                        "Give each stance of a question its own id.",
                    )
                stance_ids.add(s.id)
                stances.append(Stance(s.id, s.label, s.description, si, frozenset(s.contradicts)))
            self._check_contradictions(doc, qi, q.id, q.stances)
            questions.append(Question(q.id, q.question, q.short or q.question, q.about, tuple(stances), qi))
        return tuple(questions)

    def _check_contradictions(self, doc: YamlDoc, qi: int, qid: str, stances: list[StanceIn]) -> None:
        """Each `contradicts:` entry names another stance of the question, once, and is declared from both ends."""
        path = doc.path
        ids = [s.id for s in stances]
        declared = {s.id: set(s.contradicts) for s in stances}
        # A stance whose own list names an unknown id probably misspells the missing one: its error says so.
        misspelt = {s.id for s in stances if any(o not in ids for o in s.contradicts)}
        for si, stance in enumerate(stances):
            named: set[str] = set()
            for ci, other in enumerate(stance.contradicts):
                line = doc.line("questions", qi, "stances", si, "contradicts", ci)
                where = f"question `{qid}`, stance `{stance.id}`: `contradicts:`"
                if other in named:
                    self.problems.add(
                        path, line, f"{where} names `{other}` twice.", f"Remove the second `{other}` from the list."
                    )
                    continue
                named.add(other)
                if other == stance.id:
                    self.problems.add(
                        path,
                        line,
                        f"{where} names the stance itself.",
                        "A stance cannot contradict itself; list only the other stances of the question that "
                        "cannot be held together with it.",
                    )
                    continue
                if other not in ids:
                    guess = difflib.get_close_matches(other, [i for i in ids if i != stance.id], n=1)
                    self.problems.add(
                        path,
                        line,
                        f"{where} names `{other}`, which is not a stance of this question"
                        + (f" (did you mean `{guess[0]}`?)." if guess else "."),
                        f"Its stances: {', '.join(ids)}. A stance contradicts only stances of its own question.",
                    )
                    continue
                if stance.id not in declared[other] and other not in misspelt:
                    oi = ids.index(other)
                    self.problems.add(
                        path,
                        line,
                        f"{where} names `{other}`, but `{other}` does not name `{stance.id}`: contradiction is mutual.",
                        f"Add `{stance.id}` to the `contradicts:` of stance `{other}` "
                        f"(line {doc.line('questions', qi, 'stances', oi, 'id')}), or remove `{other}` here "
                        "if the two can be held together.",
                    )

    # -- annotations --------------------------------------------------------

    def _load_annotations(
        self, texts: list[Text], questions: tuple[Question, ...]
    ) -> tuple[list[Passage], list[Relation]]:
        folder = self.dir / "annotations"
        by_slug = {t.slug: t for t in texts}
        by_question = {q.id: q for q in questions}
        passages: list[Passage] = []
        pending: list[tuple[Relation, YamlDoc]] = []
        where: dict[str, tuple[Path, int | None]] = {}
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.suffix not in YAML_SUFFIXES and not path.name.startswith("."):
                    self.problems.add(
                        path,
                        None,
                        "annotation files are YAML files ending in .yml.",
                        "Rename the file, or move it out of `annotations/`.",
                    )
        documents: dict[str, anchoring.Document] = {}
        unreadable_ids: set[str] = set()
        """Passage ids written in annotation files that do not load: they exist, though nothing anchors them."""
        for path in _yaml_files(folder):
            doc = load_yaml(path, self.problems, self.dir)
            data = validate(AnnotationsIn, doc, self.problems, ANNOTATIONS_EXAMPLE) if doc is not None else None
            if doc is None or data is None:
                # Its problems are reported; the relations that point at its passages are not wrong for that.
                unreadable_ids.update(self._ids_written(path, doc))
                continue
            text = by_slug.get(data.text)
            if text is None and data.text in self.declared_slugs:
                # The text's edition has problems of its own (reported there): its passages cannot be
                # anchored until it loads, but their ids exist for the relations that point at them.
                for index, item in enumerate(data.passages):
                    where.setdefault(item.id, (path, doc.line("passages", index)))
                continue
            if text is None:
                known = listed(sorted(by_slug)) or "none yet"
                unread = listed(self.problems.display(p) for p in self.unreadable_paths)
                self.problems.add(
                    path,
                    doc.line("text"),
                    f"there is no text with slug `{data.text}`.",
                    f"Known slugs: {known}."
                    + (
                        f"\nEditions with problems of their own may declare it: {unread}; fix them first."
                        if unread
                        else ""
                    ),
                )
                continue
            if text.slug not in documents:  # one per text, however many files annotate it
                documents[text.slug] = anchoring.Document(text.shown_blocks)
            document = documents[text.slug]
            for index, item in enumerate(data.passages):
                line = doc.line("passages", index)
                if item.id in where:
                    first_path, first_line = where[item.id]
                    self.problems.add(
                        path,
                        line,
                        f"passage id `{item.id}` is already used at {self.problems.display(first_path)}:{first_line}.",
                        "Passage ids are shared by the whole corpus (they are permalinks); choose another.",
                    )
                    continue
                where[item.id] = (path, line)
                passage = self._anchor(doc, index, item, text, document, by_question)
                if passage is None:
                    continue
                passages.append(passage)
                for kind, targets in (
                    (RelationType.OPPOSES, item.opposes),
                    (RelationType.SUPPORTS, item.supports),
                    (RelationType.RESPONDS_TO, item.responds_to),
                ):
                    for ti, target in enumerate(targets):
                        key = kind.value
                        pending.append(
                            (Relation(item.id, target, kind, path, doc.line("passages", index, key, ti)), doc)
                        )
        relations = self._check_relations(pending, {p.id for p in passages}, set(where) | unreadable_ids)
        self._check_one_stance_per_voice(passages, by_question)
        return passages, relations

    def _ids_written(self, path: Path, doc: YamlDoc | None) -> set[str]:
        """The passage ids an annotation file that does not load declares, as far as they can be read."""
        if doc is not None and isinstance(doc.root, dict) and isinstance(doc.root.get("passages"), list):
            return {
                item["id"]
                for item in doc.root["passages"]
                if isinstance(item, dict) and isinstance(item.get("id"), str)
            }
        raw = read_confined(path, self.dir, Problems(self.problems.root))  # its problem is reported already
        return set(_ID_LINE.findall(raw.decode("utf-8", "replace"))) if raw is not None else set()

    def _anchor(
        self,
        doc: YamlDoc,
        index: int,
        item: PassageIn,
        text: Text,
        document: anchoring.Document,
        questions: dict[str, Question],
    ) -> Passage | None:
        path = doc.path
        quote_line = doc.value_line("passages", index, "quote")
        found = anchoring.locate(document, anchoring.Selector(item.quote, item.prefix, item.suffix, item.occurrence))
        if isinstance(found, anchoring.Failure):
            self.problems.add(path, quote_line, f"passage `{item.id}`: {found.message}", found.hint)
            return None
        block = text.blocks[found.block_index]
        assert block.voice is not None
        ok = True
        if item.voice is not None and item.voice != block.voice:
            names = listed(v.id for v in text.voices)
            wrong = (
                f"its quote is in the part of the text that belongs to `{block.voice}`"
                if any(v.id == item.voice for v in text.voices)
                else f"this text has no voice `{item.voice}` (its quote is in the part that belongs to `{block.voice}`)"
            )
            self.problems.add(
                path,
                doc.line("passages", index, "voice"),
                f"passage `{item.id}` says `voice: {item.voice}`, but {wrong}.",
                f"Remove `voice:` (it is found from the quote) or correct it; voices of this text: {names}.",
            )
            ok = False
        stances: list[tuple[str, str]] = []
        for qid, value in item.stances.items():
            question = questions.get(qid)
            if question is None and self.questions_unreadable:
                ok = False  # corpus/questions.yml has problems of its own, reported there
                continue
            written = value if isinstance(value, str) else f"[{', '.join(value)}]"
            if question is None:
                guess = difflib.get_close_matches(qid, list(questions), n=1)
                known = ", ".join(questions) or "none yet: add corpus/questions.yml"
                self.problems.add(
                    path,
                    doc.line("passages", index, "stances", qid),
                    f"passage `{item.id}` takes a stance on question `{qid}`, but corpus/questions.yml has no "
                    f"question with that id" + (f" (did you mean `{guess[0]}`?)." if guess else "."),
                    f"Known questions: {known}.\nIf the question was renamed, use its new id; if it was removed, "
                    f"remove `{qid}: {written}` from this passage's `stances:`.",
                )
                ok = False
                continue
            taken_ids = [value] if isinstance(value, str) else value
            if not taken_ids:
                self.problems.add(
                    path,
                    doc.line("passages", index, "stances", qid),
                    f"passage `{item.id}`: the list of stances on question `{qid}` is empty.",
                    f"Name at least one stance ({', '.join(s.id for s in question.stances)}), or remove `{qid}:`.",
                )
                ok = False
                continue
            taken: set[str] = set()
            for li, sid in enumerate(taken_ids):
                keys: tuple[str | int, ...] = ("passages", index, "stances", qid)
                line = doc.line(*keys) if isinstance(value, str) else doc.line(*keys, li)
                if sid in taken:
                    self.problems.add(
                        path,
                        line,
                        f"passage `{item.id}` lists stance `{sid}` on question `{qid}` twice.",
                        f"Remove the second `{sid}`.",
                    )
                    ok = False
                    continue
                taken.add(sid)
                if sid not in {s.id for s in question.stances}:
                    known = ", ".join(s.id for s in question.stances)
                    guess = difflib.get_close_matches(sid, [s.id for s in question.stances], n=1)
                    self.problems.add(
                        path,
                        line,
                        f"passage `{item.id}`: question `{qid}` has no stance `{sid}`"
                        + (f" (did you mean `{guess[0]}`?)." if guess else "."),
                        f"Its stances: {known}. New stances are added in corpus/questions.yml.",
                    )
                    ok = False
                    continue
                stances.append((qid, sid))
        if not ok:
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
            file=path,
            line=doc.line("passages", index),
        )

    def _check_relations(
        self, pending: list[tuple[Relation, YamlDoc]], anchored: set[str], declared: set[str]
    ) -> list[Relation]:
        relations: list[Relation] = []
        seen: set[tuple[str, str, RelationType]] = set()
        for relation, _doc in pending:
            if relation.target == relation.source:
                self.problems.add(
                    relation.file,
                    relation.line,
                    f"passage `{relation.source}` {relation.type.value.replace('_', ' ')} itself.",
                    "A relation links two different passages; remove this entry.",
                )
                continue
            if relation.target not in declared:
                self.problems.add(
                    relation.file,
                    relation.line,
                    f"passage `{relation.source}` {relation.type.value.replace('_', ' ')} "
                    f"`{relation.target}`, but no passage has that id{_did_you_mean(relation.target, declared)}.",
                    "Use the `id` of a passage declared in corpus/annotations/.",
                )
                continue
            if relation.target not in anchored:
                continue  # its own problem has been reported where it is declared
            key = (relation.source, relation.target, relation.type)
            symmetric = (relation.target, relation.source, relation.type)
            if key in seen or (relation.type is not RelationType.RESPONDS_TO and symmetric in seen):
                continue  # declared from both ends: one relation
            seen.add(key)
            relations.append(relation)
        return relations

    def _check_one_stance_per_voice(self, passages: list[Passage], questions: dict[str, Question]) -> None:
        """A voice may take several stances on a question, but never two the question declares contradictory."""
        check_consistent_stances(passages, questions, self.problems)


def check_consistent_stances(passages: Iterable[Passage], questions: dict[str, Question], problems: Problems) -> None:
    """Report each voice that holds two contradicting stances on one question, naming both passages.

    The one check of this rule: the loader runs it on the whole corpus, `build_matrix` on the cells it builds.
    """
    held: dict[tuple[str, str], list[tuple[str, Passage]]] = {}
    reported: set[tuple[str, ...]] = set()
    for passage in passages:
        for qid, sid in passage.stances:
            question = questions.get(qid)
            if question is None or all(s.id != sid for s in question.stances):
                continue  # reported where the stance is read
            earlier = held.setdefault((passage.voice_id, qid), [])
            for other_sid, other in earlier:
                pair = (passage.voice_id, qid, *sorted((sid, other_sid)))
                if other_sid == sid or not question.contradict(other_sid, sid) or pair in reported:
                    continue
                reported.add(pair)
                both = (
                    f"`{other_sid}` and `{sid}` (both in passage `{passage.id}`)"
                    if other is passage
                    else f"`{other_sid}` (passage `{other.id}` at {problems.display(other.file)}:{other.line}) "
                    f"and `{sid}` (passage `{passage.id}`)"
                )
                problems.add(
                    passage.file,
                    passage.line,
                    f"voice `{passage.voice_id}` holds two contradicting stances on question `{qid}`: {both}.",
                    f"corpus/questions.yml declares `{other_sid}` and `{sid}` contradictory, so one voice "
                    "cannot hold both. Correct the stance of one passage; or, if the texts show the two can "
                    f"be held together, remove each from the other's `contradicts:` in question `{qid}`.",
                )
            earlier.append((sid, passage))


class _EditionBuilder:
    """Applies one edition's structure to the blocks of its original."""

    def __init__(
        self, path: Path, doc: YamlDoc, data: EditionIn, source_path: Path, raw: bytes, content: str, problems: Problems
    ) -> None:
        self.path = path
        self.doc = doc
        self.data = data
        self.source_path = source_path
        self.raw = raw
        self.lines = split_lines(content)
        # A final line break ends the last line; it does not start another (as `wc -l` and editors count).
        self.line_count = len(self.lines) - 1 if len(self.lines) > 1 and self.lines[-1] == "" else len(self.lines)
        self.problems = problems
        self.raw_blocks = parse(content, data.format)
        self.block_of_line: dict[int, int] = {}
        for index, block in enumerate(self.raw_blocks):
            for line in range(block.first_line, block.last_line + 1):
                self.block_of_line[line] = index
        self.failed = False

    def fail(self, keys: tuple[str | int, ...], message: str, hint: str = "") -> None:
        self.problems.add(self.path, self.doc.line(*keys), message, hint)
        self.failed = True

    def _check_range(self, keys: tuple[str | int, ...], first: int, last: int) -> bool:
        if last > self.line_count:
            self.fail(
                keys,
                f"line {last} is past the end of {self.source_path.name}, which has {self.line_count} lines.",
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
                    f"{_lines([(first, last)])} of {self.source_path.name} {'is' if first == last else 'are'} blank.",
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
        data = self.data
        roles: dict[int, Role] = {}
        role_keys = {
            "headings": Role.HEADING,
            "quotations": Role.QUOTATION,
            "citations": Role.CITATION,
            "bylines": Role.BYLINE,
            "signoffs": Role.SIGNOFF,
        }
        for key, role in role_keys.items():
            for index in self._blocks_in((key,), getattr(data, key), whole=False):
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

        omitted: dict[int, int] = {}
        omissions: list[Omission] = []
        for oi, omission in enumerate(data.omit):
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

        voice_of: dict[int, str] = {}
        heading_of: dict[str, int] = {}
        for vi, voice in enumerate(data.voices):
            if voice.lines is None:
                if len(data.voices) > 1:
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
                if index in voice_of and index not in omitted:
                    self.fail(
                        ("voices", vi, "lines"),
                        f"the paragraph at line {self.raw_blocks[index].first_line} belongs to two voices, "
                        f"`{voice_of[index]}` and `{voice.id}`.",
                        "Give each paragraph to one voice.",
                    )
                voice_of[index] = voice.id
            if voice.heading is not None:
                heading_index = self.block_of_line.get(voice.heading)
                if heading_index is None or heading_index not in covered:
                    self.fail(
                        ("voices", vi, "heading"),
                        f"`heading: {voice.heading}` must be a line with text inside voice `{voice.id}`'s lines.",
                        "Point at the line that heads this voice's part, e.g. its name or the commenter's byline.",
                    )
                else:
                    shown = [i for i in covered if i not in omitted]
                    if shown and shown[0] != heading_index:
                        self.fail(
                            ("voices", vi, "heading"),
                            f"`heading: {voice.heading}` is not the first shown paragraph of voice `{voice.id}`.",
                            "A voice's heading opens its part of the text.",
                        )
                    heading_of[voice.id] = heading_index
                    roles[heading_index] = Role.HEADING
            if not [i for i in covered if i not in omitted] and not self.failed:
                self.fail(
                    ("voices", vi),
                    f"voice `{voice.id}` has no text: all of its lines are omitted or blank.",
                    "Correct its `lines:` or remove the voice.",
                )

        unassigned = [b for i, b in enumerate(self.raw_blocks) if i not in omitted and i not in voice_of]
        if unassigned and not self.failed:
            spans = _lines((b.first_line, b.last_line) for b in unassigned)
            self.fail(
                ("voices",),
                f"{spans} of {self.source_path.name} {'belongs' if spans.startswith('line ') else 'belong'} to no voice.",
                "Add them to a voice's `lines:`, or to `omit:` with a reason if they are page furniture.",
            )
        if not [i for i in range(len(self.raw_blocks)) if i not in omitted] and not self.failed:
            self.fail(("omit",), "every paragraph of the text is omitted.", "An edition must show some of its text.")
        if self.failed:
            return None

        blocks = self._finish_blocks(roles, omitted, voice_of, {i: v for v, i in heading_of.items()})
        voice_order = {
            vid: min(i for i, v in voice_of.items() if v == vid and i not in omitted)
            for vid in set(voice_of.values())
            if any(i not in omitted for i, v in voice_of.items() if v == vid)
        }
        voices = sorted(
            (
                Voice(v.id, v.name, v.short or v.name, VoiceKind(v.kind), v.about, data.slug, heading_of.get(v.id))
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
            source_path=self.source_path,
            edition_path=self.path,
            source_bytes=self.raw,
        )

    def _finish_blocks(
        self, roles: dict[int, Role], omitted: dict[int, int], voice_of: dict[int, str], voice_headings: dict[int, str]
    ) -> list[Block]:
        blocks: list[Block] = []
        anchors = _unique_anchors(
            {
                index: _anchor("s" if roles.get(index, Role.PARAGRAPH) is Role.HEADING else "p", _visible(raw))
                for index, raw in enumerate(self.raw_blocks)
                if index not in omitted and index not in voice_headings
            }
        )
        number = 0
        for index, raw in enumerate(self.raw_blocks):
            role = roles.get(index, Role.PARAGRAPH)
            shown = index not in omitted
            anchor = ""
            shown_number = None
            if shown and index in voice_headings:
                anchor = f"v-{voice_headings[index]}"  # a voice's part is linked to by the voice's id
            elif shown:
                anchor = anchors[index]
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
                    anchor=anchor,
                    number=shown_number,
                    omitted_by=omitted.get(index),
                )
            )
        return blocks


def _unique_anchors(natural: dict[int, str]) -> dict[int, str]:
    """Each block's anchor made from its own words; repeats get -2, -3... in order.

    A number is never one another block's words would give (“Same words” twice and
    “Same words 2” get p-same-words, p-same-words-3 and p-same-words-2), so every
    anchor on the page is unique and depends only on the text, not on editing order.
    """
    taken = set(natural.values())
    seen: set[str] = set()
    next_number: dict[str, int] = {}
    anchors: dict[int, str] = {}
    for index, anchor in natural.items():
        if anchor in seen:
            number = next_number.get(anchor, 2)
            while f"{anchor}-{number}" in taken:
                number += 1
            next_number[anchor] = number + 1
            anchor = f"{anchor}-{number}"
            taken.add(anchor)
        seen.add(anchor)
        anchors[index] = anchor
    return anchors


def _visible(block: RawBlock) -> str:
    return "".join(r.text for r in block.runs)


def _did_you_mean(unknown: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(unknown, sorted(known), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(f'`{c}`' for c in close)}?)" if close else ""
