"""Rewriting chosen `quote:` values of an annotation file, and nothing else of it.

The file is parsed with ruamel.yaml's round-trip composer to find where each value starts
and ends, and only those characters are replaced, in the value's own style (plain,
'single', "double", folded `>-` or literal `|`, with its indentation, chomping and line
ends) when the new words allow it, else in the nearest style that can hold them. Comments,
key order, blank lines, flow lists, CRLF line ends and everything else stay byte for byte
(a whole-document dump would re-indent, re-wrap and re-space them). The result is read back
before it is returned: its data must be the old data with exactly those quotes changed.

Beside yamlfile.py, which reads the corpus's YAML; this module only writes it
(`counterpoint requote` uses it).
"""

from __future__ import annotations

import difflib
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import Reader

from .yamlfile import round_trip_yaml, to_plain


class RewriteError(Exception):
    """The rewritten file would not read back as intended: it must not be written."""


_BREAKS = "\x85\u2028\u2029\ufeff"
"""Characters ruamel.yaml reads as line breaks (or a BOM) even inside a scalar: always escaped."""
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def _printable(text: str) -> bool:
    return not Reader.NON_PRINTABLE.search(text) and not any(c in _BREAKS or c in "\t\n\r" for c in text)


def _resolves_to_itself(text: str) -> bool:
    try:
        value = YAML(typ="safe", pure=True).load(f"quote: {text}\n")
    except Exception:
        return False
    return isinstance(value, dict) and value.get("quote") == text


def _plain(text: str) -> str | None:
    if (
        not text
        or not _printable(text)
        or text[0] in _INDICATORS
        or text != text.strip()
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or not _resolves_to_itself(text)
    ):
        return None
    return text


def _single(text: str) -> str | None:
    return "'" + text.replace("'", "''") + "'" if _printable(text) else None


def _double(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif _printable(char):
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _refold(old_lines: list[str], text: str) -> list[str]:
    """The words of `text` on lines broken where the old folded lines broke, word for word.

    Only the lines whose words changed change, so the diff shows just those. A break follows
    the same word as before, or the word that replaced it one for one; where the words around
    a break were added or removed, that line runs on to the next break.
    """
    old_words = [word for line in old_lines for word in line.split(" ")]
    new_words = text.split(" ")
    breaks_after: set[int] = set()  # old word indices that end a line (all but the last line)
    count = 0
    for line in old_lines[:-1]:
        count += len(line.split(" "))
        breaks_after.add(count - 1)
    new_breaks: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):  # the same words, or as many changed
            new_breaks.update(j1 + (i - i1) for i in range(i1, i2) if i in breaks_after)
    lines: list[str] = []
    current: list[str] = []
    for index, word in enumerate(new_words):
        current.append(word)
        if index in new_breaks and index < len(new_words) - 1:
            lines.append(" ".join(current))
            current = []
    lines.append(" ".join(current))
    return lines


def _render_block(span: str, text: str, safe: bool) -> str:
    """A folded (>) or literal (|) scalar holding `text`, keeping the original's header, indentation,
    width, line ends and the blank lines after it; when `text` cannot be written in it (or not `safe`),
    a double-quoted scalar in its place, still followed by those blank lines."""
    header, *content = span.split("\n")
    cr = "\r" if header.endswith("\r") else ""
    filled = [i for i, line in enumerate(content) if line.strip()]
    body, tail = (content[: filled[-1] + 1], content[filled[-1] + 1 :]) if filled else ([], content)
    if not safe or not filled or not _printable(text) or text != text.strip() or "  " in text:
        return "\n".join([_double(text) + cr, *tail]) if content else _double(text)
    first = body[filled[0]]
    indent = first[: len(first) - len(first.lstrip(" "))]
    lines = (
        _refold([line.strip() for line in body if line.strip()], text) if header.lstrip().startswith(">") else [text]
    )
    return "\n".join([header, *(indent + line + cr for line in lines), *tail])


def _render(node: ScalarNode, span: str, text: str, safe: bool) -> str:
    """The new value in the style of the old one where the words allow it; `safe`: double-quoted."""
    if node.style in (">", "|"):
        return _render_block(span, text, safe)
    if not safe:
        return _double(text)
    if node.style is None:
        return _plain(text) or _single(text) or _double(text)
    if node.style == "'":
        return _single(text) or _double(text)
    return _double(text)


def _quote_nodes(root: Node) -> dict[int, ScalarNode]:
    """passage index -> the value node of its `quote:` key."""
    found: dict[int, ScalarNode] = {}
    if not isinstance(root, MappingNode):
        return found
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "passages" and isinstance(value, SequenceNode):
            for index, item in enumerate(value.value):
                if not isinstance(item, MappingNode):
                    continue
                for item_key, item_value in item.value:
                    if (
                        isinstance(item_key, ScalarNode)
                        and item_key.value == "quote"
                        and isinstance(item_value, ScalarNode)
                    ):
                        found[index] = item_value
    return found


def _data(text: str) -> Any:
    return to_plain(round_trip_yaml().load(text))


def rewrite_quotes(before: str, quotes: dict[int, str]) -> str:
    """`before` (an annotation file) with the `quote:` of the passages at these indices replaced.

    Only the characters of those values change. Raises RewriteError if the result would
    not read back as `before` with exactly these quotes changed.
    """
    bom = "\ufeff" if before.startswith("\ufeff") else ""
    body = before[len(bom) :]
    nodes = _quote_nodes(round_trip_yaml().compose(body))
    missing = sorted(set(quotes) - set(nodes))
    if missing:
        raise RewriteError(f"no `quote:` value found for passage(s) {missing}.")
    expected = _quotes_stripped(_data(body))
    for index, quote in quotes.items():
        expected["passages"][index]["quote"] = quote
    for safe in (True, False):
        after = body
        for index in sorted(quotes, key=lambda i: nodes[i].start_mark.index, reverse=True):
            node = nodes[index]
            start, end = node.start_mark.index, node.end_mark.index
            after = after[:start] + _render(node, body[start:end], quotes[index], safe) + after[end:]
        if _reads_as(after, expected):
            return bom + after
    raise RewriteError("the rewritten file would not read back as intended.")


def _quotes_stripped(data: Any) -> Any:
    """The schema strips a quote (a folded one ends with a line break): compare them stripped."""
    for item in data.get("passages", []) if isinstance(data, dict) else []:
        if isinstance(item, dict) and isinstance(item.get("quote"), str):
            item["quote"] = item["quote"].strip()
    return data


def _reads_as(text: str, expected: Any) -> bool:
    try:
        data = _data(text)
    except Exception:
        return False
    return bool(_quotes_stripped(data) == expected)


__all__ = ["RewriteError", "rewrite_quotes"]
