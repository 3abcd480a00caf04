"""Validating a read YAML document against its pydantic model, each mismatch worded at its line.

Reading is counterpoint.yamlfile's job; the indentation slips behind some mismatches are found by
counterpoint.yamlindent. This module says, for every other error, what is wrong in the editor's
terms (keys and items they wrote, never pydantic's type names) and shows the right form.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .problems import Problems
from .yamlfile import Key, YamlDoc, to_plain
from .yamlindent import describe, indented_too_far, inner_model, nothing_under

Model = TypeVar("Model", bound=BaseModel)

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
        missing = {loc for loc, kind, _ in errors if kind == "missing"}
        for loc, kind, item in errors:
            if item.get("input", ...) is None and kind in _EMPTY_KINDS:
                found = nothing_under(model, doc, loc)
                if found is not None:
                    misplaced[loc], absorbed = found[:2], found[2]
                    follow_on.update(absorbed)
            elif kind == "extra_forbidden":
                too_far = indented_too_far(model, doc, loc)
                if too_far is not None:
                    misplaced[loc], belongs_at = too_far[:2], too_far[2]
                    follow_on.add(belongs_at)  # "`summary` is missing": it is there, too far right
                else:
                    # A misspelt key (`titel:`) also leaves its key missing; "did you mean `title`?"
                    # says both, so "`title` is missing" would only be its echo, listed first.
                    guess = _meant_key(model, loc)
                    meant = (*loc[:-1], guess) if guess else None
                    if meant in missing:
                        follow_on.add(meant)
        for loc, kind, item in errors:
            if loc in follow_on and loc not in misplaced:
                continue
            if loc in misplaced:
                message, hint = misplaced[loc]
                problems.add(doc.path, doc.line(*loc), message, hint)
                continue
            message = _message(model, loc, kind, item)
            problems.add(doc.path, doc.line(*loc), message, f"The right form looks like this:\n{example}")
        return None


def _meant_key(model: type[BaseModel], loc: tuple[Key, ...]) -> str | None:
    """The known key closest to the unknown one at `loc`: what the editor probably meant to write."""
    if not loc:  # pydantic locates a key it cannot name (a null or complex key, `? ?`) at the document
        return None
    guess = difflib.get_close_matches(str(loc[-1]), _known_keys(model, loc[:-1]), n=1)
    return guess[0] if guess else None


def _message(model: type[BaseModel], loc: tuple[Key, ...], kind: str, item: dict[str, Any]) -> str:
    """What is wrong at `loc`, for one of pydantic's error kinds, in the editor's terms."""
    key = loc[-1] if loc else None
    where = describe(loc)
    if kind == "missing":
        message = f"{where} is missing."
    elif kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        guess = _meant_key(model, loc)
        message = f"unknown key `{key}`" + (f" (did you mean `{guess}`?)" if guess else "") + "."
        if known:
            message += f" Known keys here: {', '.join(known)}."
    elif kind == "literal_error":
        message = f"{where} must be one of {item['ctx']['expected']}, not {item['input']!r}."
    elif kind in ("value_error", "assertion_error"):
        message = f"{where}: {item['ctx']['error']}"
    elif kind == "string_type" and isinstance(item["input"], (int, float)):
        # YAML reads `title: 1984` or `quote: 3.14` as a number, `name: true` as true.
        message = (
            f'{where} should be text, not {_show(item["input"])}: put it in quotes, like "{_show(item["input"])}".'
        )
    elif kind in _TYPE_WORDS:
        message = f"{where} should be {_TYPE_WORDS[kind]}, not {_show(item['input'])}."
    elif kind in ("too_short", "string_too_short"):
        message = f"{where} must not be empty."
    elif kind in ("greater_than_equal", "greater_than"):
        bound = item["ctx"].get("ge", item["ctx"].get("gt"))
        message = f"{where} must be a whole number, {bound} or more, not {_show(item['input'])}."
    else:
        message = f"{where}: {item['msg']}."
    return message


_EMPTY_KINDS = {"dict_type", "model_type", "model_attributes_type", "list_type"}
"""Pydantic's words for a mapping or list that is not there: after `key:` with nothing under it, YAML reads nothing."""


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
        current = inner_model(field.annotation)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []
