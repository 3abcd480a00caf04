"""Reading the corpus's YAML files with line numbers.

ruamel.yaml keeps the line of every key and list item, so a problem found long
after parsing (a quote that does not match, an unknown voice) can still point at
the line the editor wrote. Anchors and aliases are refused outright: editors do
not need them, and refusing them is what makes an alias bomb harmless. Why a file
could not be read is worded by counterpoint.yamlrefusals; checking what was read
against its schema is counterpoint.yamlschema's job.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML, events
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.events import AliasEvent, NodeEvent

from . import yamlfast
from .confine import read_confined
from .problems import Problems
from .source import describe_bad_utf8
from .yamlrefusals import REFUSALS, AnchorOrAlias, Tagged, TooDeep, report_unreadable

Key = str | int
_in_dict, _dict_item, _list_item = dict.__contains__, dict.__getitem__, list.__getitem__
_ordered_items = OrderedDict.items
_EventLoader = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)
"""libyaml's loader when PyYAML was built with it (the wheels are)."""

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
        # Loading asks this some 90 times a text (every passage's lines are kept for messages), so the
        # walk goes by the line records and the dict and list underneath: ruamel.yaml's own `in`, `[]`
        # and `lc.key` are Python-level calls each, there for merged keys, which the corpus refuses.
        node = self.root
        line: int | None = 1
        for key in keys:
            if isinstance(node, CommentedMap):
                places = node.lc.data
                if places is None or not _in_dict(node, key) or key not in places:
                    break
                line = int(places[key][0]) + 1
                node = _dict_item(node, key)
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                line = int(node.lc.data[key][0]) + 1
                node = _list_item(node, key)
            else:
                break
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

    Raises TooDeep where the nesting passes MAX_NESTING, before anything is composed.
    """
    depth = 0
    for event in YAML(typ="safe", pure=True).parse(text):
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
            return int(event.start_mark.line) + 1
        tag = getattr(event, "ctag", None) or getattr(event, "tag", None)
        if isinstance(event, NodeEvent) and tag is not None:
            raise Tagged(int(event.start_mark.line) + 1, str(getattr(tag, "value", tag)))
        if isinstance(event, events.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise TooDeep(int(event.start_mark.line) + 1)
        elif isinstance(event, events.CollectionEndEvent):
            depth -= 1
    return None


class _NotForLibyaml(Exception):
    """The document uses something the libyaml path does not translate (a tag, a directive)."""


_EVENT_TYPES: dict[type, type] = {
    pyyaml.MappingEndEvent: events.MappingEndEvent,
    pyyaml.SequenceEndEvent: events.SequenceEndEvent,
    pyyaml.StreamEndEvent: events.StreamEndEvent,
}


def _ruamel_events(text: str) -> list[events.Event]:
    """libyaml's parse of `text`, as the events ruamel.yaml's own parser would have produced.

    Raises AnchorOrAlias at the first anchor or alias: refused before anything is composed,
    that is what makes an alias bomb harmless; TooDeep likewise, where the nesting passes MAX_NESTING.
    """
    out: list[events.Event] = []
    depth = 0
    for event in pyyaml.parse(text, Loader=_EventLoader):
        start, end = event.start_mark, event.end_mark
        if isinstance(event, pyyaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise TooDeep(start.line + 1 if start else 1)
        elif isinstance(event, pyyaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, pyyaml.AliasEvent) or (isinstance(event, pyyaml.NodeEvent) and event.anchor):
            raise AnchorOrAlias(start.line + 1 if start else 1)
        tag = getattr(event, "tag", None)  # scalars and collections have one; an alias has none
        if tag is not None:
            raise Tagged(start.line + 1 if start else 1, str(tag))
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
    raise AnchorOrAlias, on either path, before anything is composed.
    """
    try:
        parsed = _ruamel_events(text)
    except (pyyaml.YAMLError, _NotForLibyaml):
        line = _alias_line(text)
        if line is not None:
            raise AnchorOrAlias(line) from None
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
    except REFUSALS as error:
        report_unreadable(path, text, error, problems, MAX_NESTING)
        return None
    # A merge key is written `<<`: a document without one is not walked (the walk visits every node).
    merged = _merge_key_line(root) if "<<" in text else None
    if merged is not None:
        problems.add(
            path,
            merged,
            "a merge key (`<<:`) is not used in corpus files: the keys it brings in have no line of their "
            "own, so no message could point at them.",
            "Write the keys out in the mapping itself.",
        )
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


def _merge_key_line(node: Any) -> int | None:
    """Line of the first mapping that takes keys from a `<<:` merge (ruamel.yaml records them in `merge`)."""
    if isinstance(node, CommentedMap):
        if getattr(node, "merge", None):
            return int(node.lc.line) + 1
        children: Any = node.values()
    elif isinstance(node, CommentedSeq):
        children = node
    else:
        return None
    for child in children:
        found = _merge_key_line(child)
        if found is not None:
            return found
    return None


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
            # A key merged in by `<<:` has no line record of its own: the mapping's line stands in.
            place = node.lc.data.get(key)
            key_line, value_line = (int(place[0]) + 1, int(place[2]) + 1) if place else (line, line)
            code = _first_surrogate(key)
            if code is not None:
                return key_line, code
            found = _lone_surrogate(value, value_line)
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


def to_plain(node: Any) -> Any:
    """The document as plain dicts, lists and strings (dates written back as text)."""
    if type(node) is str:
        return node
    if isinstance(node, dict):
        # OrderedDict's items, not CommentedMap's (a Python-level view, there for merged keys, refused here).
        items = _ordered_items(node) if isinstance(node, OrderedDict) else node.items()
        return {str(key): to_plain(value) for key, value in items}
    if isinstance(node, list):
        return [to_plain(item) for item in node]
    if isinstance(node, (datetime.date, datetime.datetime)):
        return node.isoformat()
    if isinstance(node, str):
        return str(node)
    if isinstance(node, TaggedScalar) and isinstance(node.value, str):
        # A bare `=` is YAML 1.1's "value key", which ruamel.yaml keeps as a tagged scalar; an
        # editor who writes `note: =` means the character.
        return str(node.value)
    return node
