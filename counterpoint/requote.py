"""`counterpoint requote`: bring quotes back in line with their text after a small change.

When an original is replaced by a corrected copy, some annotations' quotes may no
longer be found. For each passage whose quote is not in its text, the same
paragraph-level search the check uses (`misquote.closest`) finds the closest
stretch of text. Only when that stretch is

* similar enough: at least 90% (the similarity `counterpoint check` shows), and
* unambiguous: no other paragraph comes as close (within 2 points), and the new
  quote, with the passage's own `prefix`, `suffix` and `occurrence`, is found at
  exactly that place,

is it proposed as the passage's new `quote:`, shown as a unified diff of the
annotation file. Every other passage is listed with the reason it was left alone.

With `--apply`, only those `quote:` values are rewritten, in place (through a symbolic link, and
only in a file that still holds what requote read: see corpuswrite.py), each in its own style,
every other byte of the file kept (see yamlwrite.py). Before writing, the new file is read
back: its data must be the old data with exactly those quotes changed, or nothing is written.
A file with nothing to change is never written.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import anchoring, misquote
from .annotations import AnnotationFile, annotation_paths, place_quote, read_annotation_file
from .corpus import load_texts
from .corpuswrite import ChangedSinceRead, replace_corpus_file
from .problems import Problem, Problems, listed
from .schema import PassageIn
from .yamlwrite import rewrite_quotes

THRESHOLD = 90.0
"""A quote is replaced only by text at least this similar (the similarity `counterpoint check` shows)."""
TIE = 2.0
"""Another paragraph within this many points of the closest one makes the proposal ambiguous."""


@dataclass(frozen=True)
class Proposal:
    passage: str
    index: int
    """Position of the passage in the file's `passages:` list."""
    line: int | None
    old: str
    new: str
    score: float
    where: str
    """Where the new words are, as the check says it: “¶3, line 7”."""


@dataclass(frozen=True)
class Left:
    """A passage whose quote is not found and that requote leaves to the editor."""

    passage: str
    line: int | None
    reason: str


@dataclass
class FilePlan:
    path: Path
    display: str
    before: str
    after: str = ""
    proposals: list[Proposal] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)
    read: bytes = b""
    """The bytes `before` was decoded from: the file is rewritten only while it still holds them."""
    corpus_dir: Path | None = None

    @property
    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                f"a/{self.display}",
                f"b/{self.display}",
            )
        )


@dataclass
class Plan:
    files: list[FilePlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Files requote could not read (it leaves them alone; `counterpoint check` says more)."""

    @property
    def proposals(self) -> list[Proposal]:
        return [p for f in self.files for p in f.proposals]

    @property
    def left(self) -> list[Left]:
        return [left for f in self.files for left in f.left]


# -- finding what to change ------------------------------------------------------------------------------------


def plan(corpus_dir: Path, root: Path | None = None) -> Plan:
    """What requote would change in `corpus_dir`, file by file (nothing is written).

    The files are read and their quotes placed by the loader's own annotations phase
    (annotations.py), so a quote requote leaves alone is one the check finds.
    """
    root = root or corpus_dir.parent
    texts, _ = load_texts(corpus_dir, root)
    display = Problems(root).display
    result = Plan()
    documents: dict[str, anchoring.Document] = {}
    for path in annotation_paths(corpus_dir):
        problems = Problems(root)
        file = read_annotation_file(path, corpus_dir, problems)
        if file is None:
            result.problems.extend(
                Problem(p.file, p.line, f"not read by requote: {p.message}", p.hint) for p in problems.sorted()
            )
            continue
        text = texts.get(file.data.text)
        if text is None:
            result.problems.append(
                Problem(
                    display(path),
                    file.doc.line("text"),
                    f"not read by requote: its text `{file.data.text}` does not load, so its quotes cannot be compared.",
                    "Fix the problems `counterpoint check` reports for the text first.",
                )
            )
            continue
        if text.slug not in documents:
            documents[text.slug] = anchoring.Document(text.shown_blocks)
        file_plan = _file_plan(file, documents[text.slug], display(path), corpus_dir)
        if file_plan.proposals or file_plan.left:
            result.files.append(file_plan)
    return result


def _file_plan(file: AnnotationFile, document: anchoring.Document, display: str, corpus_dir: Path) -> FilePlan:
    doc = file.doc
    file_plan = FilePlan(file.path, display, doc.raw.decode("utf-8"), read=doc.raw, corpus_dir=corpus_dir)
    for index, item in enumerate(file.data.passages):
        found = place_quote(document, item)
        if isinstance(found, anchoring.Match):
            continue
        outcome = _requote(document, found, item, index, doc.value_line("passages", index, "quote"))
        if isinstance(outcome, Proposal):
            file_plan.proposals.append(outcome)
        else:
            file_plan.left.append(outcome)
    if file_plan.proposals:
        file_plan.after = rewrite_quotes(file_plan.before, {p.index: p.new for p in file_plan.proposals})
    return file_plan


def _requote(
    document: anchoring.Document, failure: anchoring.Failure, item: PassageIn, index: int, line: int | None
) -> Proposal | Left:
    """A new quote for a passage whose quote is not placed (`failure` says why), or the reason there is none."""
    passage = item.id
    exact = anchoring.collapse(item.quote)
    if exact in document.text:
        return Left(
            passage,
            line,
            f"its words are in the text, but {failure.message} Requote only updates quotes whose words changed; "
            "`counterpoint check` says how to fix this one.",
        )
    candidates = misquote.closest(document, exact)
    if not candidates or candidates[0].score < THRESHOLD:
        near = (
            f" (the closest, {_where(document, candidates[0])}, is {candidates[0].score:.0f}% similar)"
            if candidates
            else ""
        )
        return Left(
            passage,
            line,
            f"no text is similar enough{near}; at least {THRESHOLD:.0f}% is needed. Correct the quote by hand.",
        )
    best = candidates[0]
    rivals = [c for c in candidates[1:] if c.score >= best.score - TIE]
    if rivals:
        places = listed((_where(document, c) for c in [best, *rivals]), "; ")
        return Left(passage, line, f"several places are as close ({places}). Correct the quote by hand.")
    start, end = _trim(document.text, best.start, best.end, exact)
    new = document.text[start:end]
    check = place_quote(document, item.model_copy(update={"quote": new}))
    block = document.blocks[best.block]
    offset = document.starts[best.block]
    span = document.normalized[best.block].visible_span(start - offset, end - offset)
    if not isinstance(check, anchoring.Match) or (check.block_index, check.start, check.end) != (block.index, *span):
        why = check.message if isinstance(check, anchoring.Failure) else "it would be found at another place."
        return Left(
            passage,
            line,
            f"the closest text ({_where(document, best)}) would not be found there as the new quote: {why} "
            "Correct the quote by hand.",
        )
    return Proposal(passage, index, line, exact, new, best.score, _where(document, best))


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def _trim(text: str, start: int, end: int, old: str) -> tuple[int, int]:
    """The closest stretch without the punctuation that widening it to whole words took in at its ends
    (an opening quotation mark, a final comma), unless the old quote had punctuation there too."""
    if old and not _is_punctuation(old[0]):
        while start < end and _is_punctuation(text[start]):
            start += 1
    if old and not _is_punctuation(old[-1]):
        while end > start and _is_punctuation(text[end - 1]):
            end -= 1
    return start, end


def _where(document: anchoring.Document, candidate: misquote.Closest) -> str:
    return document.describe(anchoring.Place(candidate.start, candidate.end))


# -- rewriting only the quotes ----------------------------------------------------------------------------------


def apply(file_plan: FilePlan) -> None:
    """Write the file's new text in one step, through a symbolic link, and only if the file still holds
    what the plan was made from (corpuswrite.ChangedSinceRead otherwise: an edit saved meanwhile is kept)."""
    replace_corpus_file(
        file_plan.path,
        file_plan.corpus_dir or file_plan.path.parent.parent,
        file_plan.read,
        file_plan.after.encode("utf-8"),
    )


__all__ = ["ChangedSinceRead", "Left", "Plan", "Proposal", "apply", "plan"]
