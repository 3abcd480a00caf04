"""The editor's workbench: annotate a text from its page under `counterpoint edit`.

`counterpoint edit` runs `mkdocs serve` with a per-session token in its environment; the hook
then hands the development server's WSGI application to `Workbench.application`, which adds
the editing layer to the pages it serves (a script, a style sheet and the token, never written
into any site) and answers its requests under /_workbench/:

- `GET /_workbench/state?text=<slug>`: the questions with their stances, the text's passages,
  and the digest of its annotation file as read;
- `GET /_workbench/suggest?text=<slug>&quote=...` or `?passage=<id>`: suggested counter-passages;
- `POST /_workbench/passage`: save (add or replace) or delete one passage.

A save is refused, with a message, unless every one of these holds: the server listens on
loopback; the request's Host is the server's and its Origin the page's own; it carries the
session's token; the file it writes is below corpus/annotations/ once its path is resolved;
the file has not changed since the page read it (its digest); and the corpus, with the file
as it would be written, passes the very checks of the build (`checks.load_checked`), whose
messages are returned as they are. The file is then rewritten in place of one list item only
(comments, order and formatting elsewhere stay byte for byte; the result must read back as the
intended data) and written atomically, by the same function as every corpus tool
(corpuswrite.replace_corpus_file): a temporary file renamed over it, if it still holds the bytes read.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .anchoring import collapse
from .checks import load_checked
from .confine import OutsideCorpus
from .corpuswrite import ChangedSinceRead, replace_corpus_file
from .liveproblems import rewrite_html
from .model import Corpus
from .problems import CorpusError
from .suggest import Index
from .yamlfile import round_trip_yaml, to_plain

TOKEN_VARIABLE = "COUNTERPOINT_WORKBENCH_TOKEN"
PREFIX = "/_workbench/"
CONTEXT = 32
"""Characters of `prefix`/`suffix` written at most, as in a W3C TextQuoteSelector."""
MAX_BODY = 1_000_000
ASSETS = Path(__file__).resolve().parent / "templates"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Refused(Exception):
    """A request the workbench will not carry out; its message says why and what to do."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.problems = problems or []


# -- the guards --------------------------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inside(folder: Path, path: Path) -> bool:
    """Whether `path`, once resolved (symbolic links followed), lies below `folder` resolved."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _with_layer(html: bytes, layer: bytes) -> bytes:
    """`html` with the editing layer just before its </body> (or at its end when it has none)."""
    at = html.lower().rfind(b"</body>")
    return html[:at] + layer + html[at:] if at >= 0 else html + layer


# -- the file, edited one list item at a time --------------------------------------------------------------------


def _plain_data(text: str) -> Any:
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
    old = _plain_data(body) or {"text": text_slug}
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
        if nodes and not sequence.flow_style:  # type: ignore[union-attr]
            last = nodes[-1]
            column = last.start_mark.column
            dash = column - 2
            at = _item_end(body, nodes, len(nodes) - 1)
            item = " " * dash + "- " + render_passage(passage, column) + "\n"
            if at and body[at - 1] != "\n":  # the file ends without a line break
                item = "\n" + item
            after = body[:at] + item + body[at:]
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
            after = head + "passages:\n  - " + render_passage(passage, 4) + "\n" + tail
    expected["passages"] = items
    if (_plain_data(after) or {}) != expected and not (items == [] and _empty_passages(after, expected)):
        raise Refused(500, "the edited file would not read back as intended; nothing was written.")
    return bom + after.replace("\n", newline)


def _empty_passages(after: str, expected: dict[str, Any]) -> bool:
    data = _plain_data(after) or {}
    return bool(
        {k: v for k, v in data.items() if k != "passages"} == {k: v for k, v in expected.items() if k != "passages"}
    )


# -- a passage from what the editor chose ------------------------------------------------------------------------


_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def passage_from(request: dict[str, Any], corpus: Corpus, text_slug: str) -> dict[str, Any]:
    """The YAML mapping of the passage the request describes (checked again by the corpus's own checks)."""
    quote = collapse(str(request.get("quote") or ""))
    if not quote:
        raise Refused(422, "select the words of the passage first.")
    passage_id = str(request.get("id") or "").strip()
    if not _ID.match(passage_id):
        raise Refused(422, f"`{passage_id}` cannot be a passage id: use lower-case letters, digits and hyphens.")
    written: dict[str, Any] = {"id": passage_id, "quote": quote}
    text = corpus.text_by_slug.get(text_slug)
    if text is None:
        raise Refused(404, f"no text has the slug `{text_slug}`.")
    whole = collapse(" ".join(block.visible_text for block in text.shown_blocks))
    if whole.count(quote) > 1:
        prefix = collapse(str(request.get("prefix") or ""))[-CONTEXT:]
        suffix = collapse(str(request.get("suffix") or ""))[:CONTEXT]
        if prefix:
            written["prefix"] = prefix.split(" ", 1)[-1] if " " in prefix and len(prefix) == CONTEXT else prefix
        if suffix:
            written["suffix"] = suffix.rsplit(" ", 1)[0] if " " in suffix and len(suffix) == CONTEXT else suffix
    stances = {str(q): str(s) for q, s in (request.get("stances") or {}).items() if q and s}
    if stances:
        written["stances"] = stances
    note = " ".join(str(request.get("note") or "").split())
    if note:
        written["note"] = note
    for kind in ("opposes", "supports", "responds_to"):
        targets = [str(t).strip() for t in request.get(kind) or [] if str(t).strip()]
        if targets:
            written[kind] = targets
    return written


PANEL_KEYS = ("id", "quote", "prefix", "suffix", "stances", "note", "opposes", "supports", "responds_to")


def _keeping_the_rest(written: dict[str, Any], passage: dict[str, Any]) -> dict[str, Any]:
    """The edited passage, with the keys the panel does not show (`voice`, `occurrence`) kept as written.

    A new quote makes the written `occurrence`, `prefix` and `suffix` meaningless, so they go with it.
    """
    kept = {k: v for k, v in written.items() if k not in PANEL_KEYS}
    if written.get("quote") is not None and collapse(str(written["quote"])) != passage["quote"]:
        kept.pop("occurrence", None)
    elif "prefix" not in passage and "suffix" not in passage:
        kept.update({k: written[k] for k in ("prefix", "suffix") if k in written})
    merged: dict[str, Any] = {k: passage[k] for k in ("id", "quote") if k in passage}
    merged.update({k: passage[k] for k in ("prefix", "suffix") if k in passage})
    merged.update(kept)
    merged.update({k: v for k, v in passage.items() if k not in merged})
    return merged


# -- the session -------------------------------------------------------------------------------------------------


@dataclass
class Workbench:
    project: Path
    token: str
    host: str
    port: int

    def __post_init__(self) -> None:
        if not is_loopback(self.host):
            raise Refused(
                400,
                f"the workbench listens on this machine only, not on {self.host}: "
                "serve on 127.0.0.1 (the default of `counterpoint edit`).",
            )

    @property
    def corpus_dir(self) -> Path:
        return self.project / "corpus"

    @property
    def annotations_dir(self) -> Path:
        return self.corpus_dir / "annotations"

    # -- what the pages get

    def layer(self) -> bytes:
        """What every HTML page served gets before </body>: the token, the style and the script."""
        token = json.dumps(self.token)
        return (
            f'<link rel="stylesheet" href="{PREFIX}workbench.css">'
            f"<script>window.cpWorkbench = {{token: {token}}};</script>"
            f'<script src="{PREFIX}workbench.js" defer></script>'
        ).encode()

    # -- requests

    def _check_request(self, environ: dict[str, Any], *, writes: bool) -> None:
        own = {f"127.0.0.1:{self.port}", f"localhost:{self.port}", f"[::1]:{self.port}"}
        host = environ.get("HTTP_HOST", "")
        if host not in own:
            raise Refused(403, f"the workbench answers requests for this machine only, not for host {host!r}.")
        origin = environ.get("HTTP_ORIGIN")
        if writes and origin != f"http://{host}":
            raise Refused(403, f"a save must come from the workbench's own pages, not from origin {origin!r}.")
        if writes and not hmac.compare_digest(environ.get("HTTP_X_COUNTERPOINT_TOKEN", ""), self.token):
            raise Refused(403, "the session token is missing or wrong: reload the page (the server was restarted?).")

    def annotation_file(self, corpus: Corpus, text_slug: str) -> Path:
        for passage in corpus.passages:
            if passage.text_slug == text_slug:
                path = passage.file if passage.file.is_absolute() else self.project / passage.file
                break
        else:
            path = self.annotations_dir / f"{text_slug}.yml"
        if not inside(self.annotations_dir, path) or path.suffix not in (".yml", ".yaml"):
            raise Refused(403, f"{path} is not a file below corpus/annotations/: the workbench writes nothing else.")
        return path

    def _corpus(self) -> Corpus:
        try:
            return load_checked(self.corpus_dir, self.project).corpus
        except CorpusError as error:
            raise Refused(
                409,
                "the corpus has problems; fix them first (they are listed at the top of the page).",
                [str(p) for p in error.problems],
            ) from None

    def state(self, text_slug: str) -> dict[str, Any]:
        corpus = self._corpus()
        path = self.annotation_file(corpus, text_slug)
        data = _plain_data(path.read_text(encoding="utf-8-sig")) if path.exists() else None
        items = {str(item.get("id")): item for item in (data or {}).get("passages") or [] if isinstance(item, dict)}
        return {
            "text": text_slug,
            "file": path.relative_to(self.project).as_posix() if inside(self.project, path) else str(path),
            "digest": digest(path.read_bytes()) if path.exists() else None,
            "questions": [
                {
                    "id": q.id,
                    "question": q.question,
                    "about": q.about,
                    "stances": [{"id": s.id, "label": s.label, "description": s.description} for s in q.stances],
                }
                for q in corpus.questions
            ],
            "passages": [
                {
                    "id": p.id,
                    "voice": p.voice_id,
                    "words": p.exact,
                    "written": items.get(p.id),
                }
                for p in corpus.passages
                if p.text_slug == text_slug
            ],
            "voices": {v.id: v.name for v in corpus.text_by_slug[text_slug].voices}
            if text_slug in corpus.text_by_slug
            else {},
            "ids": sorted(corpus.passage_by_id),
        }

    def suggestions(self, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        corpus = self._corpus()
        index = Index(corpus)
        passage = (query.get("passage") or [""])[0]
        if passage in corpus.passage_by_id:
            found = index.suggest(passage, 8)
        else:
            # A few selected words say little alone: their paragraph, and the stances chosen so far, help.
            text = (query.get("text") or [""])[0]
            words = " ".join((query.get(key) or [""])[0] for key in ("quote", "context"))
            stances = tuple(
                (question, stance)
                for pair in query.get("stance", [])
                for question, _, stance in [pair.partition(":")]
                if question in corpus.question_by_id and stance
            )
            found = index.suggest_for_words(text, words, 8, stances)
        return [
            {
                "passage": s.candidate.passage_id,
                "text": s.candidate.text_slug,
                "title": s.candidate.text_title,
                "paragraph": s.candidate.paragraph,
                "words": s.candidate.words,
                "relation": s.relation.value if s.relation else None,
            }
            for s in found
        ]

    def save(self, request: dict[str, Any]) -> dict[str, Any]:
        corpus = self._corpus()
        text_slug = str(request.get("text") or "")
        if text_slug not in corpus.text_by_slug:
            raise Refused(404, f"no text has the slug `{text_slug}`.")
        path = self.annotation_file(corpus, text_slug)
        before_bytes = path.read_bytes() if path.exists() else b""
        if (digest(before_bytes) if path.exists() else None) != request.get("digest"):
            raise Refused(
                409,
                f"{path.name} changed since the page read it: nothing was written. Reload the page and make the change again.",
            )
        replace = request.get("replace") or None
        passage = None if request.get("action") == "delete" else passage_from(request, corpus, text_slug)
        if passage is not None and replace is not None:
            passage = _keeping_the_rest(self._written(path, replace), passage)
        if passage is not None and passage["id"] != replace and passage["id"] in corpus.passage_by_id:
            raise Refused(422, f"a passage with the id `{passage['id']}` exists already; choose another id.")
        after = edit_text(before_bytes.decode("utf-8"), text_slug, passage, replace)
        self._validate(path, after)
        self._write(path, before_bytes if path.exists() else None, after.encode("utf-8"))
        return {"ok": True, "file": path.name, "digest": digest(after.encode("utf-8"))}

    def _write(self, path: Path, read: bytes | None, data: bytes) -> None:
        """The one checked, atomic write of every corpus tool (corpuswrite.replace_corpus_file): a symbolic
        link inside the folder stays a link; a file saved since it was read is left as saved."""
        try:
            replace_corpus_file(path, self.annotations_dir, read, data)
        except ChangedSinceRead:
            raise Refused(
                409,
                f"{path.name} changed since the page read it (another editor, or a save from another "
                "tab): nothing was written. Reload the page and make the change again.",
            ) from None
        except OutsideCorpus:
            raise Refused(
                403, f"{path} is not a file below corpus/annotations/: the workbench writes nothing else."
            ) from None

    @staticmethod
    def _written(path: Path, passage_id: str) -> dict[str, Any]:
        data = _plain_data(path.read_text(encoding="utf-8-sig")) if path.exists() else None
        for item in (data or {}).get("passages") or []:
            if isinstance(item, dict) and item.get("id") == passage_id:
                return dict(item)
        return {}

    def _validate(self, path: Path, after: str) -> None:
        """The corpus with the file as it would be written must pass the build's own checks."""
        with tempfile.TemporaryDirectory(prefix="counterpoint-workbench-") as temporary:
            copy = Path(temporary) / "corpus"
            shutil.copytree(self.corpus_dir, copy, symlinks=True)
            target = copy / path.resolve().relative_to(self.corpus_dir.resolve())
            target.write_text(after, encoding="utf-8")
            try:
                load_checked(copy, Path(temporary))
            except CorpusError as error:
                raise Refused(
                    422, "not saved: the corpus would not pass `counterpoint check`.", [str(p) for p in error.problems]
                ) from None

    # -- the WSGI application

    def application(self, inner: WsgiApp) -> WsgiApp:
        layer = self.layer()

        def serve(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            path = environ.get("PATH_INFO", "")
            if path.startswith(PREFIX):
                return self._answer(environ, start_response, path[len(PREFIX) :])
            return rewrite_html(inner, environ, start_response, lambda html: _with_layer(html, layer))

        return serve

    def _answer(self, environ: dict[str, Any], start_response: StartResponse, name: str) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if name in ("workbench.js", "workbench.css") and method == "GET":
                self._check_request(environ, writes=False)
                kind = "application/javascript" if name.endswith(".js") else "text/css"
                return self._send(start_response, 200, (ASSETS / name).read_bytes(), kind)
            query = parse_qs(environ.get("QUERY_STRING", ""))
            if name == "state" and method == "GET":
                self._check_request(environ, writes=False)
                return self._json(start_response, 200, self.state((query.get("text") or [""])[0]))
            if name == "suggest" and method == "GET":
                self._check_request(environ, writes=False)
                return self._json(start_response, 200, {"suggestions": self.suggestions(query)})
            if name == "passage" and method == "POST":
                self._check_request(environ, writes=True)
                if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
                    raise Refused(415, "a save is sent as JSON.")
                length = int(environ.get("CONTENT_LENGTH") or 0)
                if length <= 0 or length > MAX_BODY:
                    raise Refused(413, "the request is empty or too large.")
                request = json.loads(environ["wsgi.input"].read(length).decode("utf-8"))
                if not isinstance(request, dict):
                    raise Refused(400, "a save is a JSON object.")
                return self._json(start_response, 200, self.save(request))
            raise Refused(404, f"the workbench has no {method} /{PREFIX.strip('/')}/{name}.")
        except Refused as refused:
            return self._json(
                start_response, refused.status, {"ok": False, "error": str(refused), "problems": refused.problems}
            )
        except (ValueError, UnicodeDecodeError) as error:
            return self._json(
                start_response, 400, {"ok": False, "error": f"a malformed request: {error}", "problems": []}
            )

    @staticmethod
    def _json(start_response: StartResponse, status: int, data: Any) -> list[bytes]:
        return Workbench._send(start_response, status, json.dumps(data).encode("utf-8"), "application/json")

    @staticmethod
    def _send(start_response: StartResponse, status: int, body: bytes, kind: str) -> list[bytes]:
        reasons = {
            200: "OK",
            400: "Bad Request",
            403: "Forbidden",
            404: "Not Found",
            409: "Conflict",
            413: "Payload Too Large",
            415: "Unsupported Media Type",
            422: "Unprocessable Content",
            500: "Internal Server Error",
        }
        start_response(
            f"{status} {reasons.get(status, 'Error')}",
            [
                ("Content-Type", kind),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
        return [body]


def from_environment(project: Path, host: str, port: int) -> Workbench | None:
    """The session `counterpoint edit` started, or None under a plain `mkdocs serve`."""
    token = os.environ.get(TOKEN_VARIABLE)
    return Workbench(project, token, host, port) if token else None


__all__ = ["Refused", "Workbench", "edit_text", "from_environment", "is_loopback"]
