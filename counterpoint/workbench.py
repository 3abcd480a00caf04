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

This module is the WSGI layer and its guards; the one-item rewrite is counterpoint.workbench_edit,
the panel's data and the passage built from its choices counterpoint.workbench_panel.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from . import workbench_panel as panel
from .checks import load_checked
from .confine import OutsideCorpus
from .corpuswrite import ChangedSinceRead, replace_corpus_file
from .liveproblems import rewrite_html
from .model import Corpus
from .problems import CorpusError
from .workbench_edit import Refused, edit_text, plain_data

TOKEN_VARIABLE = "COUNTERPOINT_WORKBENCH_TOKEN"
PREFIX = "/_workbench/"
MAX_BODY = 1_000_000
ASSETS = Path(__file__).resolve().parent / "templates"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


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
        data = plain_data(path.read_text(encoding="utf-8-sig")) if path.exists() else None
        items = {str(item.get("id")): item for item in (data or {}).get("passages") or [] if isinstance(item, dict)}
        return {
            "text": text_slug,
            "file": path.relative_to(self.project).as_posix() if inside(self.project, path) else str(path),
            "digest": digest(path.read_bytes()) if path.exists() else None,
            **panel.state(corpus, text_slug, items),
        }

    def suggestions(self, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        return panel.suggestions(self._corpus(), query)

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
        passage = None if request.get("action") == "delete" else panel.passage_from(request, corpus, text_slug)
        if passage is not None and replace is not None:
            passage = panel.keeping_the_rest(self._written(path, replace), passage)
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
        data = plain_data(path.read_text(encoding="utf-8-sig")) if path.exists() else None
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


__all__ = ["Refused", "Workbench", "from_environment", "is_loopback"]
