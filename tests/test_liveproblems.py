"""The development server's panel of problems: found behind MkDocs' own error, inert, only in HTML pages."""

from __future__ import annotations

from typing import Any

from counterpoint import liveproblems
from counterpoint.liveproblems import Failure, RebuildStatus, failure_of, guarded, showing_problems, with_panel
from counterpoint.problems import CorpusError, Problem

PROBLEM = Problem("corpus/annotations/a.yml", 3, "quote `<script>alert(1)</script>` is not in the text.", "Use <b>.")


def _abort_over(error: Exception) -> Exception:
    try:
        try:
            raise error
        except Exception:
            raise RuntimeError("Aborted with a BuildError!") from None
    except RuntimeError as abort:
        return abort


def test_the_corpus_problems_are_found_behind_the_error_mkdocs_raises_instead() -> None:
    assert failure_of(_abort_over(CorpusError([PROBLEM]))) == Failure((PROBLEM,))
    other = failure_of(_abort_over(ValueError("a template broke")))
    assert other.problems == () and "ValueError: a template broke" in other.other


def test_what_comes_from_the_corpus_is_escaped_in_the_panel() -> None:
    html = with_panel(b"<html><body class='x'><p>page</p></body></html>", Failure((PROBLEM,))).decode()
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html
    assert html.index('id="cp-live-problems"') > html.index("<body class='x'>")
    assert "corpus/annotations/a.yml:3" in html


def test_a_failed_build_is_recorded_not_raised_and_the_next_success_clears_it() -> None:
    status, logged = RebuildStatus(), list[str]()

    def failing() -> None:
        raise CorpusError([PROBLEM])

    guarded(failing, status, logged.append)()
    assert status.failure == Failure((PROBLEM,)) and logged
    guarded(lambda: None, status, logged.append)()
    assert status.failure is None


def _app(kind: str, body: bytes) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]

    return app


def _call(app: Any) -> tuple[list[tuple[str, str]], bytes]:
    seen: dict[str, Any] = {}
    body = b"".join(app({}, lambda status, headers, exc_info=None: seen.update(headers=headers)))
    return seen["headers"], body


def test_only_html_pages_carry_the_panel_and_their_length_is_right() -> None:
    status = RebuildStatus()
    page = b"<html><body>page</body></html>"
    assert _call(showing_problems(_app("text/html", page), status))[1] == page
    status.failed(Failure((PROBLEM,)))
    headers, body = _call(showing_problems(_app("text/html; charset=utf-8", page), status))
    assert b"cp-live-problems" in body and ("Content-Length", str(len(body))) in headers
    assert _call(showing_problems(_app("text/plain", b"1234"), status))[1] == b"1234"


class _Server:
    """What watch_rebuilds uses of MkDocs' development server."""

    def __init__(self, app: Any) -> None:
        self.builder: Any = lambda: None
        self._app = app

    def get_app(self) -> Any:
        return self._app

    def set_app(self, application: Any) -> None:
        self._app = application


def _get(app: Any, path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    seen: dict[str, Any] = {}

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen.update(status=status, headers=headers)

    body = b"".join(app({"PATH_INFO": path}, start))
    return seen["status"], seen["headers"], body


def test_serve_started_on_a_broken_corpus_serves_its_problems_until_a_build_succeeds() -> None:
    page, css = _app("text/html", b"<html><body>placeholder</body></html>"), _app("text/css", b"p{}")
    server = _Server(lambda environ, start: (css if environ["PATH_INFO"].endswith(".css") else page)(environ, start))
    logged: list[str] = []
    status = liveproblems.watch_rebuilds(server, logged.append, Failure((PROBLEM,)))
    assert not status.built and status.failure == Failure((PROBLEM,)) and "every page served" in logged[0]
    app = server.get_app()
    for address in ("/", "/texts/debate/", "/texts/debate/index.html", "/questions"):
        code, headers, body = _get(app, address)
        assert code == "200 OK" and ("Content-Length", str(len(body))) in headers
        html = body.decode()
        assert "placeholder" not in html, "no page of the placeholder build is shown"
        assert "1 problem in the corpus" in html and "&lt;script&gt;alert(1)" in html and "<b>" not in html
        assert "no page of the site can be built until they are fixed" in html
        assert f"var seen={status.generation};" in html and liveproblems.GENERATION_PATH in html
    assert _get(app, "/assets/style.css")[2] == b"p{}", "assets pass through"
    assert _get(app, liveproblems.GENERATION_PATH)[2] == str(status.generation).encode()
    before = status.generation
    server.builder()  # the editor fixed the corpus: a rebuild succeeds
    assert status.built and status.failure is None and status.generation == before + 1
    assert _get(app, liveproblems.GENERATION_PATH)[2] == str(before + 1).encode(), "the open page reloads"
    assert _get(app, "/texts/debate/")[2] == b"<html><body>placeholder</body></html>"


def test_a_placeholder_build_has_the_fixed_pages_and_nothing_of_a_corpus() -> None:
    from pathlib import Path

    from counterpoint.build import SiteBuild

    build = SiteBuild.placeholder(Path("."), use_directory_urls=True)
    assert "texts/index.md" in build.files and "matrix/index.md" in build.files
    assert all(file.page is None and not file.content for file in build.files.values())
    assert build.text_pages == [] and build.overwritten(["index.md"]) == []
