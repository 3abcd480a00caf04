"""A corpus YAML document built straight from libyaml's events, as ruamel.yaml's round-trip loader builds it.

ruamel.yaml's composer and constructor, in pure Python, were most of the corpus loading even once
libyaml did the parsing (a node object and several calls per scalar, a generator per mapping). Here
the `CommentedMap`s and `CommentedSeq`s are made from the events as they come, with the line records
ruamel.yaml gives them (`.lc.line/.col`, and `.lc.data` per key and item, which located messages read),
and with the same flow or block style; a scalar ruamel.yaml would type (a number, true or false, a null,
a date, a block scalar) is still handed to ruamel.yaml's own resolver and constructor, so that its value
and type are ruamel's. Every other plain or quoted scalar is the text libyaml read, as ruamel would keep it.

Only the plain documents every corpus file is are taken: at the first thing this does not translate
(an anchor, an alias, a tag, a directive, a second document, a mapping or list used as a key, a merge
key, a duplicate key, nesting deeper than the corpus allows, anything libyaml refuses) it raises
NotFast, and the caller reads the file again the slower way, which words every refusal as before.
tests/test_yamlfast.py compares both ways on every corpus and fixture file and on generated ones.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.tag import Tag

_Parser: Any
try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # PyYAML built without libyaml (its wheels have it): no fast path
    _Parser = None

_ScalarEvent = pyyaml.ScalarEvent
_MappingStart = pyyaml.MappingStartEvent
_MappingEnd = pyyaml.MappingEndEvent
_SequenceStart = pyyaml.SequenceStartEvent
_SequenceEnd = pyyaml.SequenceEndEvent

_STR = "tag:yaml.org,2002:str"
_TYPED = frozenset("tag:yaml.org,2002:" + name for name in ("null", "bool", "int", "float", "timestamp"))
"""The implicit types this path hands to ruamel's constructor; the others (merge `<<`, value `=`) are not taken."""

_set_item = OrderedDict.__setitem__
"""What CommentedMap.__setitem__ does for a key not yet there, without its Python-level checks."""


class NotFast(Exception):
    """The document holds something only ruamel.yaml's own composer is trusted to read."""


class Reader:
    """Builds documents from events as `yaml` (a round-trip reader, used only for its resolver and
    constructor) would; it keeps no state between documents."""

    def __init__(self, yaml: YAML, max_nesting: int) -> None:
        self._resolver = yaml.resolver
        self._constructor = yaml.constructor
        self._max_nesting = max_nesting
        # The implicit types of the YAML version the resolver reads (1.2: `yaml` never reads a
        # document, so no directive changes it), by a plain scalar's first character ('' for an
        # empty one): what VersionedResolver.resolve walks, looked up here without its calls. A
        # value starting with any other character is text. Path resolvers, or types tried on every
        # value (key None), would make it ask the resolver for each scalar instead.
        # Each pattern's `match` is taken once: ruamel's patterns are compiled lazily, behind a
        # proxy that would be asked again for every scalar.
        resolvers = self._resolver.versioned_resolver
        self._by_first: dict[str, list[tuple[str, Callable[[str], Any]]]] | None = (
            None
            if None in resolvers or self._resolver.yaml_path_resolvers
            else {first: [(tag, pattern.match) for tag, pattern in found] for first, found in resolvers.items()}
        )

    def _tag(self, value: str, implicit: tuple[bool, bool]) -> str:
        """The tag ruamel.yaml's resolver gives a plain scalar."""
        if self._by_first is None:
            return str(self._resolver.resolve(ScalarNode, value, implicit).suffix)
        for tag, match in self._by_first.get(value[0] if value else "", ()):
            if match(value):
                return tag
        return _STR

    def scalar(self, event: Any) -> Any:
        if event.anchor is not None or event.tag is not None:
            raise NotFast
        value = event.value
        style = event.style
        if event.implicit[0]:  # plain: typed by the resolver
            if value and self._by_first is not None and value[0] not in self._by_first:
                return value
            tag = self._tag(value, event.implicit)
            if tag == _STR:
                return value
            if tag not in _TYPED:
                raise NotFast
        elif style == "|" or style == ">":
            tag = _STR  # a LiteralScalarString or FoldedScalarString, as ruamel's constructor makes them
        else:
            return value  # quoted: ruamel keeps the text (quotes are not preserved)
        node = ScalarNode(Tag(suffix=tag), value, event.start_mark, event.end_mark, style=style)
        return self._constructor.construct_non_recursive_object(node)

    def node(self, get: Callable[[], Any], event: Any, depth: int) -> Any:
        kind = type(event)
        if kind is _ScalarEvent:
            return self.scalar(event)
        if kind is _MappingStart:
            return self.mapping(get, event, depth + 1)
        if kind is _SequenceStart:
            return self.sequence(get, event, depth + 1)
        raise NotFast  # an alias

    def mapping(self, get: Callable[[], Any], start: Any, depth: int) -> CommentedMap:
        if depth > self._max_nesting or start.anchor is not None or start.tag is not None:
            raise NotFast
        scalar, node = self.scalar, self.node
        data = CommentedMap()
        lines: dict[Any, list[int]] = {}
        while True:
            key_event = get()
            kind = type(key_event)
            if kind is _MappingEnd:
                break
            if kind is not _ScalarEvent:
                raise NotFast  # a mapping or list as a key, or an alias
            key = scalar(key_event)
            if key in lines:
                raise NotFast  # ruamel.yaml refuses it, in its words
            value_event = get()
            kind = type(value_event)
            value = scalar(value_event) if kind is _ScalarEvent else node(get, value_event, depth)
            key_mark, value_mark = key_event.start_mark, value_event.start_mark
            lines[key] = [key_mark.line, key_mark.column, value_mark.line, value_mark.column]
            _set_item(data, key, value)
        mark = start.start_mark
        lc = data.lc
        lc.line, lc.col = mark.line, mark.column
        if lines:
            lc.data = lines
            data._ok |= lines.keys()
            _style(data, start.flow_style)
        return data

    def sequence(self, get: Callable[[], Any], start: Any, depth: int) -> CommentedSeq:
        if depth > self._max_nesting or start.anchor is not None or start.tag is not None:
            raise NotFast
        scalar, node = self.scalar, self.node
        items: list[Any] = []
        lines: dict[Any, list[int]] = {}
        while True:
            event = get()
            kind = type(event)
            if kind is _SequenceEnd:
                break
            mark = event.start_mark
            lines[len(items)] = [mark.line, mark.column]
            items.append(scalar(event) if kind is _ScalarEvent else node(get, event, depth))
        data = CommentedSeq(items)
        mark = start.start_mark
        lc = data.lc
        lc.line, lc.col = mark.line, mark.column
        if lines:
            lc.data = lines
            _style(data, start.flow_style)
        return data

    def document(self, text: str) -> Any:
        """`text` as ruamel.yaml reads it; raises NotFast for whatever this path does not take."""
        if _Parser is None:
            raise NotFast
        parser = _Parser(text)
        try:
            get = parser.get_event
            if type(get()) is not pyyaml.StreamStartEvent:
                raise NotFast
            event = get()
            if type(event) is pyyaml.StreamEndEvent:
                return None
            if type(event) is not pyyaml.DocumentStartEvent or event.version or event.tags:
                raise NotFast
            root = self.node(get, get(), 0)
            if type(get()) is not pyyaml.DocumentEndEvent or type(get()) is not pyyaml.StreamEndEvent:
                raise NotFast  # a second document
            return root
        except pyyaml.YAMLError:
            raise NotFast from None
        finally:
            parser.dispose()


def _style(data: CommentedMap | CommentedSeq, flow: bool | None) -> None:
    if flow is True:
        data.fa.set_flow_style()
    elif flow is False:
        data.fa.set_block_style()
