"""Reading the corpus's YAML files with line numbers, and validating them.

ruamel.yaml keeps the line of every key and list item, so a problem found long
after parsing (a quote that does not match, an unknown voice) can still point at
the line the editor wrote. Anchors and aliases are refused outright: editors do
not need them, and refusing them is what makes an alias bomb harmless.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, NodeEvent

from .problems import Problems

Key = str | int
Model = TypeVar("Model", bound=BaseModel)

_MAX_BYTES = 2_000_000
"""A corpus YAML file is hand-written; anything larger is a mistake, not data."""


@dataclass(frozen=True)
class YamlDoc:
    path: Path
    root: Any
    """The document as ruamel.yaml read it (CommentedMap, CommentedSeq, scalars)."""

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


def _reject_aliases(text: str) -> int | None:
    """Line of the first anchor or alias in `text`, if any."""
    for event in YAML(typ="safe", pure=True).parse(text):
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
            return int(event.start_mark.line) + 1
    return None


def load_yaml(path: Path, problems: Problems) -> YamlDoc | None:
    """Parse one YAML file; on failure record a located problem and return None."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.add(path, None, f"cannot read the file: {error.strerror}.")
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
        line = raw[: error.start].count(b"\n") + 1
        problems.add(
            path, line, f"the file is not valid UTF-8 (byte {error.start}).", "Save the file with the UTF-8 encoding."
        )
        return None
    try:
        alias_line = _reject_aliases(text)
        if alias_line is not None:
            problems.add(
                path,
                alias_line,
                "YAML anchors and aliases (&name, *name) are not allowed in corpus files.",
                "Write the value out in full where it is needed.",
            )
            return None
        yaml = YAML(typ="rt")
        yaml.allow_duplicate_keys = False
        root = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        error_line: int | None = int(mark.line) + 1 if mark else None
        what = (error.problem or error.context or "malformed YAML").strip()
        if "found duplicate key" in str(error):
            what = f"a key appears twice in the same mapping ({what})"
        problems.add(
            path,
            error_line,
            f"this is not valid YAML: {what}.",
            "Check the indentation and that text containing ': ' or ' #' is quoted.",
        )
        return None
    except YAMLError as error:
        problems.add(path, None, f"this is not valid YAML: {error}.")
        return None
    return YamlDoc(path, root)


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
        for loc, kind, item in _iter_errors(error):
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


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
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
