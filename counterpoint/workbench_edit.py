"""One passage added, replaced or deleted in an annotation file's text, changing that list item only.

The workbench (counterpoint.workbench) decides whether a save may happen; this module computes
the file as it would be written: comments, order and formatting elsewhere stay byte for byte, and
the result must read back as the old data with exactly that change, or nothing is written.
"""

from __future__ import annotations

import json
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .yamlfile import round_trip_yaml, to_plain


class Refused(Exception):
    """A request the workbench will not carry out; its message says why and what to do.

    Defined here, in the workbench's lowest module, because its every layer raises it."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.problems = problems or []


def plain_data(text: str) -> Any:
    return to_plain(round_trip_yaml().load(text)) if text.strip() else None


def _passages_node(root: Node | None) -> tuple[ScalarNode | None, SequenceNode | None]:
    if isinstance(root, MappingNode):
        for key, value in root.value:
            if isinstance(key, ScalarNode) and key.value == "passages":
                return key, value if isinstance(value, SequenceNode) else None
    return None, None


def _item_id(item: Node) -> str | None:
    if isinstance(item, MappingNode):
        for key, value in item.value:
            if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
                return str(value.value)
    return None


def render_passage(passage: dict[str, Any], indent: int) -> str:
    """One passage as a block mapping, its first line without indentation, the others by `indent`."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    from io import StringIO

    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    mapping = CommentedMap()
    for key, value in passage.items():
        if isinstance(value, list):
            value = CommentedSeq(value)
            value.fa.set_flow_style()  # `opposes: [a, b]`, as the corpus writes them
        mapping[key] = value
    out = StringIO()
    yaml.dump(mapping, out)
    lines = out.getvalue().rstrip("\n").split("\n")
    return "\n".join([lines[0]] + [" " * indent + line for line in lines[1:]])


def _item_yaml() -> YAML:
    yaml = round_trip_yaml()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _edited_item(body: str, node: Node, end: int, passage: dict[str, Any]) -> str:
    """The list item `node` (ending at `end`) changed into `passage` in place, its first line without
    indentation: a key whose value is unchanged keeps its lines as written, and the comments inside
    the item stay with the keys they are written at (round-trip editing of that item alone)."""
    from io import StringIO

    from ruamel.yaml.comments import CommentedMap

    column = node.start_mark.column
    lines = body[_line_start(body, node.start_mark.index) : end].split("\n")
    # The item alone, as a mapping at column 0: its first line after the `- `, the others moved left.
    first = lines[0][column:]
    rest = [line[column:] if line[:column].strip() == "" else line.lstrip() for line in lines[1:]]
    yaml = _item_yaml()
    item = yaml.load("\n".join([first, *rest]))
    if not isinstance(item, CommentedMap):
        return render_passage(passage, column)
    _update_mapping(item, passage)
    out = StringIO()
    yaml.dump(item, out)
    dumped = out.getvalue().rstrip("\n").split("\n")
    return "\n".join([dumped[0]] + [(" " * column + line) if line else line for line in dumped[1:]])


def _update_mapping(mapping: Any, wanted: dict[str, Any]) -> None:
    """`mapping` (ruamel's, as read) made equal to `wanted`, changing only the keys that differ,
    new keys placed after the key that precedes them in `wanted`."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    for key in [k for k in mapping if k not in wanted]:
        del mapping[key]
    previous: str | None = None
    for key, value in wanted.items():
        old = mapping.get(key)
        if key in mapping and to_plain(old) == value:
            previous = key
            continue
        if isinstance(value, dict) and isinstance(old, CommentedMap):
            _update_mapping(old, value)
        else:
            if isinstance(value, list):
                seq = CommentedSeq(value)
                if not isinstance(old, CommentedSeq) or old.fa.flow_style():
                    seq.fa.set_flow_style()  # `opposes: [a, b]`, as the corpus writes them
                value = seq
            elif isinstance(value, dict):
                value = CommentedMap(value)
            if key in mapping:
                mapping[key] = value
            else:
                keys = list(mapping)
                at = keys.index(previous) + 1 if previous in keys else len(keys)
                mapping.insert(at, key, value)
        previous = key


def _item_end(body: str, nodes: list[Node], position: int) -> int:
    """Just after the last line holding some of the item at `position` (blank and comment lines after it stay)."""
    node = nodes[position]
    limit = _line_start(body, nodes[position + 1].start_mark.index) if position + 1 < len(nodes) else len(body)
    start = _line_start(body, node.start_mark.index)
    lines = body[start:limit].splitlines(keepends=True)
    while len(lines) > 1 and (lines[-1].strip() == "" or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return start + sum(map(len, lines))


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The index just after the line break ending the line `index` is on (or the end)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def edit_text(before: str, text_slug: str, passage: dict[str, Any] | None, replace: str | None) -> str:
    """`before` (an annotation file, maybe empty) with one passage added, replaced or deleted.

    `passage` None deletes the passage `replace`; `replace` None adds `passage` at the end.
    Only that item's lines change. Raises Refused if the result would not read back as the old
    data with exactly that change.
    """
    bom = "\ufeff" if before.startswith("\ufeff") else ""
    body = before[len(bom) :]
    newline = "\r\n" if "\r\n" in body else "\n"
    body = body.replace("\r\n", "\n")
    old = plain_data(body) or {"text": text_slug}
    if not isinstance(old, dict):
        raise Refused(422, "the annotation file is not a mapping; correct it by hand first.")
    expected = json.loads(json.dumps(old))
    items = list(expected.get("passages") or [])
    root = round_trip_yaml().compose(body) if body.strip() else None
    key, sequence = _passages_node(root)
    nodes = list(sequence.value) if sequence is not None else []
    position = None
    if replace is not None:
        position = next((i for i, node in enumerate(nodes) if _item_id(node) == replace), None)
        if position is None:
            raise Refused(404, f"no passage `{replace}` in this file; reload the page.")
    if passage is None:
        assert position is not None
        del items[position]
        node = nodes[position]
        start = _line_start(body, node.start_mark.index)
        after = body[:start] + body[_item_end(body, nodes, position) :]
    elif position is not None:
        items[position] = passage
        node = nodes[position]
        end = _item_end(body, nodes, position)
        after = body[: node.start_mark.index] + _edited_item(body, node, end, passage) + "\n" + body[end:]
    else:
        items.append(passage)
        after = _appended(body, text_slug, key, sequence, passage)
    expected["passages"] = items
    if (plain_data(after) or {}) != expected and not (items == [] and _empty_passages(after, expected)):
        raise Refused(500, "the edited file would not read back as intended; nothing was written.")
    return bom + after.replace("\n", newline)


def _appended(
    body: str, text_slug: str, key: ScalarNode | None, sequence: SequenceNode | None, passage: dict[str, Any]
) -> str:
    """`body` with `passage` as the last item of its `passages:` list (made if the file has none)."""
    nodes = list(sequence.value) if sequence is not None else []
    if nodes and not sequence.flow_style:  # type: ignore[union-attr]
        last = nodes[-1]
        column: int = last.start_mark.column
        dash = column - 2
        at = _item_end(body, nodes, len(nodes) - 1)
        item = " " * dash + "- " + render_passage(passage, column) + "\n"
        if at and body[at - 1] != "\n":  # the file ends without a line break
            item = "\n" + item
        return body[:at] + item + body[at:]
    else:
        if sequence is not None and key is not None:
            # `passages: []`: the empty flow list gives way to a block list.
            start = _line_start(body, key.start_mark.index)
            end = _line_end(body, sequence.end_mark.index)
            head = body[:start]
            tail = body[end:]
        elif key is not None:
            start = _line_start(body, key.start_mark.index)
            head, tail = body[:start], body[_line_end(body, key.end_mark.index) :]
        else:
            head = body if body.strip() else f"text: {text_slug}\n"
            if head and not head.endswith("\n"):
                head += "\n"
            tail = ""
    return head + "passages:\n  - " + render_passage(passage, 4) + "\n" + tail


def _empty_passages(after: str, expected: dict[str, Any]) -> bool:
    data = plain_data(after) or {}
    return bool(
        {k: v for k, v in data.items() if k != "passages"} == {k: v for k, v in expected.items() if k != "passages"}
    )
