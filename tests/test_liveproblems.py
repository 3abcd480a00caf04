"""The development server's panel of problems: found behind MkDocs' own error, inert, only in HTML pages."""

from __future__ import annotations

from typing import Any

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
