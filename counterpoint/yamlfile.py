"""Reading the corpus's YAML files with line numbers, and validating them.

ruamel.yaml keeps the line of every key and list item, so a problem found long
after parsing (a quote that does not match, an unknown voice) can still point at
the line the editor wrote. Anchors and aliases are refused outright: editors do
not need them, and refusing them is what makes an alias bomb harmless.
"""

from __future__ import annotations

import datetime
import difflib
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml as pyyaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML, events
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, NodeEvent
from ruamel.yaml.reader import ReaderError

from . import yamlfast
from .confine import read_confined
from .problems import Problems
from .source import describe_bad_utf8

Key = str | int
_EventLoader = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)
"""libyaml's loader when PyYAML was built with it (the wheels are)."""
Model = TypeVar("Model", bound=BaseModel)

_MAX_BYTES = 2_000_000
"""A corpus YAML file is hand-written; anything larger is a mistake, not data."""
MAX_NESTING = 16
"""Lists and mappings inside one another, at most: the deepest corpus file needs 6 (a question's
stance's `contradicts:` list). Deeper is refused as it is read, before libyaml's parse turns
quadratic and the composer meets Python's recursion limit (a file of `[[[[…` is 2 MB deep)."""


@dataclass(frozen=True)
class YamlDoc:
    path: Path
    root: Any
    """The document as ruamel.yaml read it (CommentedMap, CommentedSeq, scalars)."""
    raw: bytes = b""
    """The bytes it was read from: a tool that rewrites the file starts from these, not from a second read."""

    def line(self, *keys: Key) -> int | None:
        """1-based line of the deepest element of `keys` that exists.

        For a mapping key this is the line of the key; for a list item, the line
        where the item starts.
        """
        node = self.root
        line: int | None = 1
        for key in keys:
            if isinstance(node, CommentedMap) and key in node:
                line = int(node.lc.key(key)[0]) + 1
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                line = int(node.lc.item(key)[0]) + 1
            else:
                break
            node = node[key]
        return line

    def value_line(self, *keys: Key) -> int | None:
        """1-based line where the value at `keys` starts (for multi-line scalars, their first line)."""
        *parents, last = keys
        node = self.root
        for key in parents:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return self.line(*keys)
        if isinstance(node, CommentedMap) and last in node:
            return int(node.lc.value(last)[0]) + 1
        return self.line(*keys)


class _DatesAsWritten(RoundTripConstructor):
    """Reads a date or time (`date: 2020-01-14`) as the text written, never as a date object.

    ruamel.yaml would make `2020-02-30` a Python date and fail with a bare ValueError;
    kept as text, it reaches the schema, which says what is wrong with it and where.
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


_DatesAsWritten.add_constructor("tag:yaml.org,2002:timestamp", _DatesAsWritten.construct_yaml_timestamp)


def round_trip_yaml() -> YAML:
    """ruamel.yaml's round-trip reader as the corpus reads it: dates as written, no duplicate keys."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _DatesAsWritten
    yaml.allow_duplicate_keys = False
    return yaml


def _alias_line(text: str) -> int | None:
    """Line of the first anchor or alias in `text`, read by ruamel.yaml's own parser (events only).

    Raises _TooDeep where the nesting passes MAX_NESTING, before anything is composed.
    """
    depth = 0
    for event in YAML(typ="safe", pure=True).parse(text):
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
            return int(event.start_mark.line) + 1
        tag = getattr(event, "ctag", None) or getattr(event, "tag", None)
        if isinstance(event, NodeEvent) and tag is not None:
            raise _Tagged(int(event.start_mark.line) + 1, str(getattr(tag, "value", tag)))
        if isinstance(event, events.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise _TooDeep(int(event.start_mark.line) + 1)
        elif isinstance(event, events.CollectionEndEvent):
            depth -= 1
    return None


class _Tagged(Exception):
    """A YAML tag (`!!str 1984`, `!custom`): ruamel.yaml would hand the schema an object, not the text."""

    def __init__(self, line: int, tag: str) -> None:
        super().__init__(line, tag)
        self.line = line
        self.tag = tag


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _AnchorOrAlias(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _NotForLibyaml(Exception):
    """The document uses something the libyaml path does not translate (a tag, a directive)."""


_EVENT_TYPES: dict[type, type] = {
    pyyaml.MappingEndEvent: events.MappingEndEvent,
    pyyaml.SequenceEndEvent: events.SequenceEndEvent,
    pyyaml.StreamEndEvent: events.StreamEndEvent,
}


def _ruamel_events(text: str) -> list[events.Event]:
    """libyaml's parse of `text`, as the events ruamel.yaml's own parser would have produced.

    Raises _AnchorOrAlias at the first anchor or alias: refused before anything is composed,
    that is what makes an alias bomb harmless; _TooDeep likewise, where the nesting passes MAX_NESTING.
    """
    out: list[events.Event] = []
    depth = 0
    for event in pyyaml.parse(text, Loader=_EventLoader):
        start, end = event.start_mark, event.end_mark
        if isinstance(event, pyyaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise _TooDeep(start.line + 1 if start else 1)
        elif isinstance(event, pyyaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, pyyaml.AliasEvent) or (isinstance(event, pyyaml.NodeEvent) and event.anchor):
            raise _AnchorOrAlias(start.line + 1 if start else 1)
        tag = getattr(event, "tag", None)  # scalars and collections have one; an alias has none
        if tag is not None:
            raise _Tagged(start.line + 1 if start else 1, str(tag))
        if isinstance(event, pyyaml.ScalarEvent):
            out.append(events.ScalarEvent(None, None, event.implicit, event.value, start, end, event.style))
        elif isinstance(event, pyyaml.MappingStartEvent | pyyaml.SequenceStartEvent):
            kind = (
                events.MappingStartEvent if isinstance(event, pyyaml.MappingStartEvent) else events.SequenceStartEvent
            )
            out.append(kind(None, None, event.implicit, start, end, event.flow_style))
        elif isinstance(event, pyyaml.StreamStartEvent):
            out.append(events.StreamStartEvent(start, end, event.encoding))
        elif isinstance(event, pyyaml.DocumentStartEvent):
            if event.version or event.tags:
                raise _NotForLibyaml
            out.append(events.DocumentStartEvent(start, end, event.explicit))
        elif isinstance(event, pyyaml.DocumentEndEvent):
            out.append(events.DocumentEndEvent(start, end, event.explicit))
        elif type(event) in _EVENT_TYPES:
            out.append(_EVENT_TYPES[type(event)](start, end))
        else:
            raise _NotForLibyaml
    return out


class _EventQueue:
    """The part of ruamel.yaml's parser interface its composer uses, over events parsed beforehand."""

    def __init__(self, parsed: list[events.Event]) -> None:
        self._events = deque(parsed)

    def check_event(self, *choices: type) -> bool:
        return bool(self._events) and (not choices or isinstance(self._events[0], choices))

    def peek_event(self) -> events.Event:
        return self._events[0]

    def get_event(self) -> events.Event:
        return self._events.popleft()

    def dispose(self) -> None:
        self._events.clear()


_FAST = yamlfast.Reader(round_trip_yaml(), MAX_NESTING)


def _round_trip_load(text: str) -> Any:
    """The document exactly as ruamel.yaml's round-trip loader reads it.

    A plain document (every corpus file is one) is built straight from libyaml's events
    (counterpoint.yamlfast), some five times faster than ruamel.yaml composing it; anything else
    is read by _composed_load, which also words every refusal.
    """
    try:
        return _FAST.document(text)
    except yamlfast.NotFast:
        return _composed_load(text)


def _composed_load(text: str) -> Any:
    """The document exactly as ruamel.yaml's round-trip loader reads it, about four times faster.

    ruamel.yaml's pure-Python scanner and parser were most of the build's corpus loading (a
    third of a build at a thousand texts). libyaml (C) parses instead, once, and ruamel.yaml
    composes and constructs from its events, so that values, YAML 1.2 typing and the line of
    every key are ruamel's (tests/test_yamlfile.py compares both on every corpus file).
    Whatever libyaml refuses or this path does not translate is read again by ruamel.yaml
    alone, which then raises its own error, worded as for every other file. Anchors and aliases
    raise _AnchorOrAlias, on either path, before anything is composed.
    """
    try:
        parsed = _ruamel_events(text)
    except (pyyaml.YAMLError, _NotForLibyaml):
        line = _alias_line(text)
        if line is not None:
            raise _AnchorOrAlias(line) from None
        return round_trip_yaml().load(text)
    try:
        yaml = round_trip_yaml()
        yaml._parser = _EventQueue(parsed)  # type: ignore[attr-defined]  # the composer reads events from here
        return yaml.constructor.get_single_data()
    except Exception:  # any refusal is reported by the pure parse below, in ruamel's words
        return round_trip_yaml().load(text)


def load_yaml(path: Path, problems: Problems, corpus_dir: Path) -> YamlDoc | None:
    """Parse one YAML file of `corpus_dir`; on failure record a located problem and return None."""
    raw = read_confined(path, corpus_dir, problems)
    if raw is None:
        return None
    if len(raw) > _MAX_BYTES:
        problems.add(
            path,
            None,
            f"the file is {len(raw):,} bytes; a corpus YAML file may be at most {_MAX_BYTES:,}.",
            "Split it into several files.",
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, message = describe_bad_utf8(raw, error)
        problems.add(path, line, message, "Save the file with the UTF-8 encoding (most editors offer it in “Save as”).")
        return None
    try:
        root = _round_trip_load(text)
    except _AnchorOrAlias as found:
        problems.add(
            path,
            found.line,
            "YAML anchors and aliases (&name, *name) are not allowed in corpus files.",
            "Write the value out in full where it is needed.",
        )
        return None
    except _Tagged as tagged:
        problems.add(
            path,
            tagged.line,
            f"the YAML tag `{_short_tag(tagged.tag)}` is not used in corpus files: a value is text, a number, "
            "a list or a mapping as written.",
            'Remove the tag; to keep a number or `true` as text, put it in quotes instead, like `title: "1984"`.',
        )
        return None
    except _TooDeep as deep:
        problems.add(
            path,
            deep.line,
            f"lists and mappings are nested more than {MAX_NESTING} deep here; "
            "no corpus file needs more than a few levels.",
            "Look for brackets [ ] or { } that are opened and never closed, or a line of `- - -`; "
            "the right form is in the Editor's guide.",
        )
        return None
    except MarkedYAMLError as error:
        error_line, message, hint = _explain(error)
        problems.add(path, error_line, message, hint)
        return None
    except ReaderError as error:
        before = text[: error.position]
        problems.add(
            path,
            before.count("\n") + 1,
            f"the file holds a control character (U+{error.character:04X}), which YAML does not allow, "
            f"at column {len(before) - before.rfind(chr(10))}.",
            "Delete it (it is invisible in most editors), or write it as an escape in a double-quoted value, "
            f'like "\\u{error.character:04x}".',
        )
        return None
    except YAMLError as error:
        problems.add(path, None, f"this is not valid YAML: {error}.", _GENERIC_HINT)
        return None
    # Only a double-quoted \u or \U escape makes a surrogate (the UTF-8 just decoded holds none):
    # without one, the walk over every value is skipped.
    half = _lone_surrogate(root) if "\\u" in text or "\\U" in text else None
    if half is not None:
        line, code = half
        problems.add(
            path,
            line,
            f"an escape here, \\u{code:04x}, is half of a UTF-16 pair, not a character: "
            "it cannot be written to a page or a file.",
            "Write the character itself, or its code point in one escape: \\U0001F600 for 😀, "
            "not the pair \\ud83d\\ude00.",
        )
        return None
    return YamlDoc(path, root, raw)


def _short_tag(tag: str) -> str:
    """The tag as an editor writes it: `!!str` for tag:yaml.org,2002:str."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _first_surrogate(value: object) -> int | None:
    if isinstance(value, str):
        for char in value:
            if "\ud800" <= char <= "\udfff":
                return ord(char)
    return None


def _lone_surrogate(node: Any, line: int = 1) -> tuple[int, int] | None:
    """(line, code) of the first key or value holding a lone surrogate, which only a
    double-quoted escape can produce (UTF-8 cannot encode one, so the file itself never holds one)."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            key_line = int(node.lc.key(key)[0]) + 1
            code = _first_surrogate(key)
            if code is not None:
                return key_line, code
            found = _lone_surrogate(value, int(node.lc.value(key)[0]) + 1)
            if found is not None:
                return found
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            found = _lone_surrogate(item, int(node.lc.item(index)[0]) + 1)
            if found is not None:
                return found
    else:
        code = _first_surrogate(node)
        if code is not None:
            return line, code
    return None


_GENERIC_HINT = (
    "Check the indentation (spaces only, keys of one item lined up) and that text containing ': ' or ' #' is quoted."
)

_EXPLANATIONS: list[tuple[str, str, str]] = [
    # (what the parser says, starting with; what it means for an editor; how to fix it)
    (
        "expected <block end>, but found",
        "this line is not indented like the lines around it",
        "Keys of the same item line up exactly: compare this line's leading spaces with the line above "
        "(indent with spaces, never tabs).",
    ),
    (
        "mapping values are not allowed here",
        "a `: ` (colon and space) where YAML does not expect one",
        'If the colon is part of the text, put the whole value in quotes, like `quote: "Soleimani: a general"`; '
        "otherwise check this line's indentation.",
    ),
    (
        "found character '\\t' that cannot start any token",
        "a tab is used for indentation; YAML is indented with spaces only",
        "Replace the tab with spaces.",
    ),
    (
        "found unexpected end of stream",
        "a quoted value is not closed: its closing quote is missing",
        "Add the closing quote (' or \") at the end of the value. Inside a '...' value, write a ' as ''.",
    ),
    (
        "expected ',' or ']'",
        "a list in brackets [ ] is not closed, or its items are not separated by commas",
        "Write a list as `[first-id, second-id]`, or put each item on its own line starting with `- `.",
    ),
    (
        "expected ',' or '}'",
        "a mapping in braces { } is not closed, or its entries are not separated by commas",
        "Write one `key: value` per line instead of braces.",
    ),
    (
        "could not find expected ':'",
        "a line is neither `key: value` nor `- item` (a `:` is missing, or a value runs on without quotes)",
        "Add the missing `:`, or put a value that runs over several lines in quotes or after `>-`.",
    ),
]


_OPENED_EARLIER = (
    "found unexpected end of stream",
    "expected ',' or ']'",
    "expected ',' or '}'",
    "could not find expected ':'",
)


def _explain(error: MarkedYAMLError) -> tuple[int | None, str, str]:
    """(line, message, hint) an editor can act on; the parser's own words follow in parentheses."""
    problem = (error.problem or error.context or "malformed YAML").strip()
    mark = error.problem_mark or error.context_mark
    if "found duplicate key" in str(error):
        message = f"this is not valid YAML: a key appears twice in the same mapping ({problem})."
        return (int(mark.line) + 1 if mark else None), message, "Keep one of the two, or rename one."
    if problem.startswith("found character") and "that cannot start any token" in problem and "'\\t'" not in problem:
        char = problem.split("'")[1] if "'" in problem else "?"
        return (
            (int(mark.line) + 1 if mark else None),
            f"this is not valid YAML: a value cannot start with the character {char} unless it is in quotes.",
            f'Put the value in quotes, like `quote: "{char}..."`.',
        )
    for said, meaning, hint in _EXPLANATIONS:
        if problem.startswith(said):
            if said in _OPENED_EARLIER:
                # The parser notices at the end; the editor needs the line where the value or list opens.
                mark = error.context_mark or mark
            return (int(mark.line) + 1 if mark else None), f"this is not valid YAML: {meaning} ({problem}).", hint
    return (int(mark.line) + 1 if mark else None), f"this is not valid YAML: {problem}.", _GENERIC_HINT


def to_plain(node: Any) -> Any:
    """The document as plain dicts, lists and strings (dates written back as text)."""
    if isinstance(node, dict):
        return {str(key): to_plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [to_plain(item) for item in node]
    if isinstance(node, (datetime.date, datetime.datetime)):
        return node.isoformat()
    if isinstance(node, str):
        return str(node)
    return node


_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "bool_type": "true or false",
}


def _describe(loc: Sequence[Key]) -> str:
    parts: list[str] = []
    for key in loc:
        if isinstance(key, int):
            parts.append(f"item {key + 1}")
        else:
            parts.append(f"`{key}`")
    return " of ".join(reversed(parts)) if parts else "the file"


_TYPE_LABELS = {"str", "int", "float", "bool", "list", "dict", "tuple", "none"}


def _is_pydantic_label(key: str) -> bool:
    return "[" in key or key in _TYPE_LABELS


def _iter_errors(error: ValidationError) -> Iterator[tuple[tuple[Key, ...], str, dict[str, Any]]]:
    for item in error.errors(include_url=False):
        # Pydantic inserts the name of a union member or validator into `loc`; an
        # editor only knows the keys they wrote, so keep those.
        loc = tuple(k for k in item["loc"] if isinstance(k, int) or not _is_pydantic_label(k))
        yield loc, item["type"], dict(item)


def validate(model: type[Model], doc: YamlDoc, problems: Problems, example: str) -> Model | None:
    """Check `doc` against `model`; report each mismatch at its line with `example` as the right form."""
    data = to_plain(doc.root)
    if data is None:
        problems.add(doc.path, None, "the file is empty.", f"It should look like this:\n{example}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors = list(_iter_errors(error))
        # A key read as the wrong one's child (or sibling) because of its indentation is reported
        # once, as an indentation problem; the errors that follow from it are left out.
        misplaced: dict[tuple[Key, ...], tuple[str, str]] = {}
        follow_on: set[tuple[Key, ...]] = set()
        for loc, kind, item in errors:
            if item.get("input", ...) is None and kind in _EMPTY_KINDS:
                found = _nothing_under(model, doc, loc)
                if found is not None:
                    misplaced[loc], absorbed = found[:2], found[2]
                    follow_on.update(absorbed)
            elif kind == "extra_forbidden":
                too_far = _indented_too_far(model, doc, loc)
                if too_far is not None:
                    misplaced[loc], belongs_at = too_far[:2], too_far[2]
                    follow_on.add(belongs_at)  # "`summary` is missing": it is there, too far right
        for loc, kind, item in errors:
            if loc in follow_on and loc not in misplaced:
                continue
            if loc in misplaced:
                message, hint = misplaced[loc]
                problems.add(doc.path, doc.line(*loc), message, hint)
                continue
            key = loc[-1] if loc else None
            where = _describe(loc)
            if kind == "missing":
                message = f"{where} is missing."
            elif kind == "extra_forbidden":
                known = _known_keys(model, loc[:-1])
                guess = difflib.get_close_matches(str(key), known, n=1)
                message = f"unknown key `{key}`" + (f" (did you mean `{guess[0]}`?)" if guess else "") + "."
                if known:
                    message += f" Known keys here: {', '.join(known)}."
            elif kind == "literal_error":
                message = f"{where} must be one of {item['ctx']['expected']}, not {item['input']!r}."
            elif kind in ("value_error", "assertion_error"):
                message = f"{where}: {item['ctx']['error']}"
            elif kind == "string_type" and isinstance(item["input"], (int, float)):
                # YAML reads `title: 1984` or `quote: 3.14` as a number, `name: true` as true.
                message = f'{where} should be text, not {_show(item["input"])}: put it in quotes, like "{_show(item["input"])}".'
            elif kind in _TYPE_WORDS:
                message = f"{where} should be {_TYPE_WORDS[kind]}, not {_show(item['input'])}."
            elif kind in ("too_short", "string_too_short"):
                message = f"{where} must not be empty."
            elif kind in ("greater_than_equal", "greater_than"):
                bound = item["ctx"].get("ge", item["ctx"].get("gt"))
                message = f"{where} must be a whole number, {bound} or more, not {_show(item['input'])}."
            else:
                message = f"{where}: {item['msg']}."
            problems.add(doc.path, doc.line(*loc), message, f"The right form looks like this:\n{example}")
        return None


_EMPTY_KINDS = {"dict_type", "model_type", "model_attributes_type", "list_type"}
"""Pydantic's words for a mapping or list that is not there: after `key:` with nothing under it, YAML reads nothing."""


def _node(root: Any, keys: Sequence[Key]) -> Any:
    node = root
    for key in keys:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _column(mapping: CommentedMap, key: Any) -> int:
    """1-based column of `key` in `mapping`, as an editor's status bar counts it."""
    return int(mapping.lc.key(key)[1]) + 1


def _key_line(mapping: CommentedMap, key: Any) -> int:
    return int(mapping.lc.key(key)[0]) + 1


def _model_at(model: type[BaseModel], loc: Sequence[Key]) -> type[BaseModel] | None:
    """The model of the mapping at `loc` (list indexes skipped), or None where `loc` leaves the models."""
    current: type[BaseModel] | None = model
    for key in loc:
        if isinstance(key, int):
            continue
        if current is None:
            return None
        field = next((f for name, f in current.model_fields.items() if (f.alias or name) == key), None)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current


def _field_names(model: type[BaseModel] | None) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()] if model is not None else []


def _first_key(mapping: CommentedMap) -> Any:
    return next(iter(mapping))


def _nothing_under(
    model: type[BaseModel], doc: YamlDoc, loc: tuple[Key, ...]
) -> tuple[str, str, list[tuple[Key, ...]]] | None:
    """`stances:` with nothing under it, because the lines meant for it are indented no further than it:
    YAML reads them as keys of the same mapping. (message, hint, the locations of those keys)."""
    if not loc or not isinstance(loc[-1], str):
        return None
    parent, key = _node(doc.root, loc[:-1]), loc[-1]
    if not isinstance(parent, CommentedMap) or key not in parent:
        return None
    known = set(_field_names(_model_at(model, loc[:-1])))
    keys = list(parent)
    stray = []
    for other in keys[keys.index(key) + 1 :]:
        if other in known:
            break
        stray.append(other)
    if not stray:
        return None
    line, column = _key_line(parent, key), _column(parent, key)
    first, first_column = stray[0], _column(parent, stray[0])
    if first_column != column or _key_line(parent, first) <= line:
        return None  # not lines of a block mapping (`{stances: , a: b}`): no indentation to correct
    message = (
        f"`{key}:` on line {line} has nothing under it: `{first}:` on line {_key_line(parent, first)} is "
        f"at the same column as `{key}:` (column {column}), so YAML reads it as a key of {_describe(loc[:-1])}, "
        f"not of `{key}`."
    )
    names = ", ".join(f"`{s}:`" for s in stray)
    hint = (
        f"This is an indentation problem: move {names} right, to column {column + 2} (two spaces further "
        f"than `{key}:`), so that {'it is' if len(stray) == 1 else 'they are'} under `{key}:`."
    )
    return message, hint, [(*loc[:-1], s) for s in stray]


def _indented_too_far(
    model: type[BaseModel], doc: YamlDoc, loc: tuple[Key, ...]
) -> tuple[str, str, tuple[Key, ...]] | None:
    """An unknown key that is a key of a mapping further out: it is indented under the wrong key."""
    if len(loc) < 2 or not isinstance(loc[-1], str):
        return None
    key = loc[-1]
    mapping = _node(doc.root, loc[:-1])
    if not isinstance(mapping, CommentedMap) or key not in mapping:
        return None
    for depth in range(len(loc) - 2, -1, -1):
        outer_loc = loc[:depth]
        outer = _node(doc.root, outer_loc)
        if not isinstance(outer, CommentedMap) or key not in _field_names(_model_at(model, outer_loc)):
            continue
        under = next((k for k in reversed(loc[depth:-1]) if isinstance(k, str)), None)
        if under is None or key in outer:
            return None  # the key is there already: the unknown one is not this one moved
        message, hint = misplaced_key_message(
            str(key),
            _key_line(mapping, key),
            _column(mapping, key),
            str(under),
            outer,
            _describe(outer_loc) if outer_loc else "the file's top level",
        )
        return message, hint, (*outer_loc, key)
    return None


def misplaced_key_message(
    key: str, line: int, column: int, under: str, belongs_to: CommentedMap, belongs_where: str
) -> tuple[str, str]:
    """(message, hint) for `key:` indented under `under:` although it is a key of the mapping `belongs_to`."""
    sibling = under if under in belongs_to else _first_key(belongs_to)
    target = _column(belongs_to, sibling)
    return (
        f"`{key}:` on line {line} is indented under `{under}:` (at column {column}), so YAML reads it as "
        f"part of `{under}`; but `{key}` is a key of {belongs_where}.",
        f"This is an indentation problem: move `{key}:` left, to line up with `{sibling}:` (column {target}).",
    )


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _known_keys(model: type[BaseModel], loc: Sequence[Key]) -> list[str]:
    """Field names (aliases) of the model found by walking `loc` down from `model`."""
    current: Any = model
    for key in loc:
        if isinstance(key, int):
            continue
        field = current.model_fields.get(key) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return []
        current = _inner_model(field.annotation)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
