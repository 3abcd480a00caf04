"""Under `mkdocs serve`: a failed rebuild shows its problems in the open page, and never stalls the server.

MkDocs 1.6's development server (mkdocs/livereload) holds every request until the rebuild it
started has succeeded: a rebuild that raises leaves the site's "visible" version behind the one
"wanted", so every page, and the live-reload poll, waits until a later rebuild succeeds. Here
the builder is wrapped so that a failed rebuild counts as a finished one: the server keeps
serving the last complete site, the browsers reload, and every HTML page it serves carries a
panel listing the problems (file, line, what is wrong, how to fix it). The next rebuild that
succeeds clears the panel, and the browsers reload again onto the page as it now is.

When the corpus has problems from the start, there is no complete site to show under the panel;
`mkdocs serve` would end at once. Then the first build keeps the problems instead of raising
(the plugin does, counterpoint.mkdocs_plugin), builds no page of the corpus
(build.SiteBuild.placeholder), and hands them to `watch_rebuilds`: every page served is the
list of problems, which reloads by itself once a rebuild succeeds.

The panel is added to the pages as they are served, never written into the site: no build,
not even the one being served, contains it. Nothing here imports MkDocs; the server is used
through the two things it offers (`builder`, and the WSGI application of `get_app`/`set_app`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any, Protocol

from .problems import CorpusError, Problem, counted

PANEL_ID = "cp-live-problems"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class DevServer(Protocol):
    builder: Callable[..., None]

    def get_app(self) -> WsgiApp | None: ...

    def set_app(self, application: WsgiApp) -> None: ...


@dataclass(frozen=True)
class Failure:
    """Why the last rebuild failed: the corpus's problems, or another error's message."""

    problems: tuple[Problem, ...]
    other: str = ""


def failure_of(error: BaseException) -> Failure:
    """The corpus problems behind `error`, found along its chain of causes.

    MkDocs replaces a plugin's error by its own `Abort("Aborted with a BuildError!")`, raised
    while handling it; the CorpusError is further down the same chain.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, CorpusError):
            return Failure(tuple(current.problems))
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    messages = []
    current, seen = error, set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        messages.append(f"{type(current).__name__}: {current}")
        current = current.__cause__ or current.__context__
    return Failure((), "\n".join(reversed(messages)))


class RebuildStatus:
    """What the last rebuild left: nothing to show, or its failure (read by every request thread)."""

    def __init__(self, built: bool = True) -> None:
        self._lock = threading.Lock()
        self._failure: Failure | None = None
        self._built = built
        self._generation = 0

    @property
    def failure(self) -> Failure | None:
        with self._lock:
            return self._failure

    @property
    def built(self) -> bool:
        """Whether a build of the corpus has succeeded (False while the server shows only its problems)."""
        with self._lock:
            return self._built

    @property
    def generation(self) -> int:
        """How many rebuilds have ended: a page of problems reloads when it changes."""
        with self._lock:
            return self._generation

    def failed(self, failure: Failure) -> None:
        with self._lock:
            self._failure = failure
            self._generation += 1

    def succeeded(self) -> None:
        with self._lock:
            self._failure = None
            self._built = True
            self._generation += 1


def guarded(builder: Callable[..., None], status: RebuildStatus, log: Callable[[str], None]) -> Callable[..., None]:
    """`builder`, except that a failure is recorded in `status` instead of raised."""

    def build(*args: Any, **kwargs: Any) -> None:
        try:
            builder(*args, **kwargs)
        except Exception as error:  # every failure: the server must go on serving
            status.failed(failure_of(error))
            log(
                "The rebuild failed (the problems are listed above, and in the open pages); the last "
                "complete site is still served, and the pages reload by themselves once it builds again."
            )
            return
        status.succeeded()

    return build


def panel(failure: Failure, built: bool = True) -> str:
    """The problems as an HTML panel; everything in it from the corpus is escaped (it is data)."""
    if failure.problems:
        heading = f"{counted(len(failure.problems))} in the corpus"
        items = "".join(_item(problem) for problem in failure.problems)
        body = f'<ol style="margin:.5em 0 0;padding-left:1.5em">{items}</ol>'
    else:
        heading = "The site could not be rebuilt"
        body = f'<pre style="white-space:pre-wrap;margin:.5em 0 0">{escape(failure.other)}</pre>'
    return (
        f'<aside id="{PANEL_ID}" role="alert" aria-labelledby="{PANEL_ID}-heading" '
        'style="position:fixed;z-index:1000;top:0;left:0;right:0;max-height:60vh;overflow:auto;'
        "margin:0;padding:.8em 1.2em;background:#fff4e5;color:#1a1a1a;border-bottom:3px solid #b35c00;"
        'font:15px/1.45 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)">'
        '<details open><summary style="cursor:pointer">'
        f'<strong id="{PANEL_ID}-heading">{heading}</strong>: '
        + (
            "this page is the last complete build. "
            if built
            else "no page of the site can be built until they are fixed. "
        )
        + "It reloads by itself once the problems are fixed.</summary>"
        f"{body}</details></aside>"
    )


def _item(problem: Problem) -> str:
    hint = (
        f'<pre style="white-space:pre-wrap;margin:.2em 0 0;font-size:90%">{escape(problem.hint)}</pre>'
        if problem.hint
        else ""
    )
    return (
        f'<li style="margin:.3em 0"><code data-cp-location>{escape(problem.location)}</code>: '
        f"<span data-cp-message>{escape(problem.message)}</span>{hint}</li>"
    )


def with_panel(html: bytes, failure: Failure) -> bytes:
    """`html` with the panel just after its <body> tag (or at its start when it has none)."""
    shown = panel(failure).encode("utf-8")
    lowered = html[:200_000].lower()
    start = lowered.find(b"<body")
    end = lowered.find(b">", start) if start >= 0 else -1
    at = end + 1 if end >= 0 else 0
    return html[:at] + shown + html[at:]


def rewrite_html(
    application: WsgiApp,
    environ: dict[str, Any],
    start_response: StartResponse,
    rewrite: Callable[[bytes], bytes],
) -> Iterable[bytes]:
    """`application`'s answer to this request, with an HTML page passed through `rewrite` (its length
    set anew) and any other answer as it was. Pages are changed as they are served, never on disk."""
    answer: dict[str, Any] = {}

    def hold(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        answer["status"], answer["headers"] = status_line, headers
        return _refuse_write

    body = application(environ, hold)
    headers = answer.get("headers", [])
    kind = next((value for name, value in headers if name.lower() == "content-type"), "")
    if not kind.startswith("text/html"):
        start_response(answer["status"], headers)
        return body
    try:
        html = b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    shown = rewrite(html)
    headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
    start_response(answer["status"], [*headers, ("Content-Length", str(len(shown)))])
    return [shown]


GENERATION_PATH = "/_counterpoint/rebuilds"
"""Where a page of problems asks how many rebuilds have ended (it reloads when the number changes)."""


def problems_page(failure: Failure, generation: int) -> bytes:
    """The page served for every address while the corpus has never built: its problems, and a script
    that reloads it when a rebuild ends (MkDocs' own reload script is only in pages of a built site)."""
    script = (
        (
            "(function(){var seen=SEEN;function poll(){fetch(ADDRESS,{cache:'no-store'}).then(function(r){return r.text()})"
            ".then(function(n){if(Number(n)!==seen){location.reload();return}setTimeout(poll,700)})"
            ".catch(function(){setTimeout(poll,2000)})}setTimeout(poll,700)})();"
        )
        .replace("SEEN", str(generation))
        .replace("ADDRESS", json.dumps(GENERATION_PATH))
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>Counterpoint: the corpus has problems</title></head>"
        '<body style="margin:0;font:16px/1.5 system-ui,sans-serif;background:#fff;color:#1a1a1a">'
        f"{panel(failure, built=False)}"
        f"<script>{script}</script></body></html>"
    ).encode()


def _is_page(path: str) -> bool:
    """An address that names a page (a folder, or an .html file), not an asset such as a style sheet."""
    last = path.rsplit("/", 1)[-1]
    return path.endswith("/") or last.endswith(".html") or "." not in last


def showing_problems(application: WsgiApp, status: RebuildStatus) -> WsgiApp:
    """`application` (the server's WSGI app), with the panel in every HTML page while a rebuild has failed,
    and only the problems while no build of the corpus has succeeded."""

    def serve(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == GENERATION_PATH:
            body = str(status.generation).encode()
            start_response(
                "200 OK",
                [("Content-Type", "text/plain"), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")],
            )
            return [body]
        failure = status.failure
        if failure is None:
            return application(environ, start_response)
        if not status.built and not path.startswith("/livereload/") and _is_page(path):
            page = problems_page(failure, status.generation)
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(page))),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [page]
        return rewrite_html(application, environ, start_response, lambda html: with_panel(html, failure))

    return serve


def _refuse_write(data: bytes) -> None:
    raise RuntimeError("the development server's pages are returned, not written")


def watch_rebuilds(
    server: DevServer, log: Callable[[str], None], first_failure: Failure | None = None
) -> RebuildStatus:
    """Wrap the server's builder and application so that a failed rebuild is shown, not waited on.

    `first_failure`: the problems of a first build that had none of the corpus's pages to show.
    """
    status = RebuildStatus(built=first_failure is None)
    if first_failure is not None:
        status.failed(first_failure)
        log(
            "The corpus has problems (listed above), so no page of it could be built: every page served "
            "lists them instead, and reloads by itself once they are fixed."
        )
    server.builder = guarded(server.builder, status, log)
    server.set_app(showing_problems(serving_app(server), status))
    return status


def serving_app(server: DevServer) -> WsgiApp:
    """The application the server runs, which a wrapper replaces (wsgiref's server may have none yet)."""
    application = server.get_app()
    if application is None:  # MkDocs' server sets its own as it starts, so only another server gets here
        raise RuntimeError("the development server has no WSGI application to wrap")
    return application


__all__ = [
    "Failure",
    "RebuildStatus",
    "failure_of",
    "guarded",
    "panel",
    "problems_page",
    "serving_app",
    "showing_problems",
    "watch_rebuilds",
]
