"""The indentation diagnosis: a key that YAML read under the wrong mapping, and where the editor meant it.

An indentation slip reaches the schema as a missing mapping and an unknown key; this module finds
the slip behind such errors so that validation (counterpoint.yamlschema) reports it once, as what
it is, with the column to move the key to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap

from .yamlfile import Key, YamlDoc


def describe(loc: Sequence[Key]) -> str:
    """`loc` in an editor's words: "item 2 of `stances`"."""
    parts: list[str] = []
    for key in loc:
        if isinstance(key, int):
            parts.append(f"item {key + 1}")
        else:
            parts.append(f"`{key}`")
    return " of ".join(reversed(parts)) if parts else "the file"


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
        current = inner_model(field.annotation)
    return current


def _field_names(model: type[BaseModel] | None) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()] if model is not None else []


def _first_key(mapping: CommentedMap) -> Any:
    return next(iter(mapping))


def nothing_under(
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
        f"at the same column as `{key}:` (column {column}), so YAML reads it as a key of {describe(loc[:-1])}, "
        f"not of `{key}`."
    )
    names = ", ".join(f"`{s}:`" for s in stray)
    hint = (
        f"This is an indentation problem: move {names} right, to column {column + 2} (two spaces further "
        f"than `{key}:`), so that {'it is' if len(stray) == 1 else 'they are'} under `{key}:`."
    )
    return message, hint, [(*loc[:-1], s) for s in stray]


def indented_too_far(
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
            describe(outer_loc) if outer_loc else "the file's top level",
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


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, looked for inside `list[...]`, `X | None` and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = inner_model(arg)
        if found is not None:
            return found
    return None
