"""Why a corpus YAML file could not be read, worded for the editor who wrote it.

The reader (counterpoint.yamlfile) raises what it refuses; this module turns each refusal, and
each of the parser's own errors, into a located problem with a hint an editor can act on.
"""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from .problems import Problems


class Tagged(Exception):
    """A YAML tag (`!!str 1984`, `!custom`): ruamel.yaml would hand the schema an object, not the text."""

    def __init__(self, line: int, tag: str) -> None:
        super().__init__(line, tag)
        self.line = line
        self.tag = tag


class TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class AnchorOrAlias(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


REFUSALS = (AnchorOrAlias, Tagged, TooDeep, YAMLError)
"""What reading a document may raise that report_unreadable words; anything else is a bug and propagates."""


def report_unreadable(path: Path, text: str, error: Exception, problems: Problems, max_nesting: int) -> None:
    """Record why `text` (the decoded content of `path`) could not be read, at its line."""
    if isinstance(error, AnchorOrAlias):
        problems.add(
            path,
            error.line,
            "YAML anchors and aliases (&name, *name) are not allowed in corpus files.",
            "Write the value out in full where it is needed.",
        )
    elif isinstance(error, Tagged):
        problems.add(
            path,
            error.line,
            f"the YAML tag `{_short_tag(error.tag)}` is not used in corpus files: a value is text, a number, "
            "a list or a mapping as written.",
            'Remove the tag; to keep a number or `true` as text, put it in quotes instead, like `title: "1984"`.',
        )
    elif isinstance(error, TooDeep):
        problems.add(
            path,
            error.line,
            f"lists and mappings are nested more than {max_nesting} deep here; "
            "no corpus file needs more than a few levels.",
            "Look for brackets [ ] or { } that are opened and never closed, or a line of `- - -`; "
            "the right form is in the Editor's guide.",
        )
    elif isinstance(error, MarkedYAMLError):
        error_line, message, hint = _explain(error)
        problems.add(path, error_line, message, hint)
    elif isinstance(error, ReaderError):
        before = text[: error.position]
        problems.add(
            path,
            before.count("\n") + 1,
            f"the file holds a control character (U+{error.character:04X}), which YAML does not allow, "
            f"at column {len(before) - before.rfind(chr(10))}.",
            "Delete it (it is invisible in most editors), or write it as an escape in a double-quoted value, "
            f'like "\\u{error.character:04x}".',
        )
    else:
        problems.add(path, None, f"this is not valid YAML: {error}.", _GENERIC_HINT)


def _short_tag(tag: str) -> str:
    """The tag as an editor writes it: `!!str` for tag:yaml.org,2002:str."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


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
