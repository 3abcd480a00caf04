"""Running Pagefind: the search index made from the records and the built pages, and swapped in whole.

The records come from the corpus (counterpoint.search_index); this module speaks to Pagefind's
indexing service (_Pagefind), feeds it the records while MkDocs renders the pages (Indexing),
adds the few pages indexed from their built HTML, and writes the index beside the site's
`pagefind/` folder, moved into place only once every file is written, so that a failed or
interrupted indexing never leaves a half-written index in the site.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .model import Corpus
from .site import QUESTIONS_INDEX, Urls, question_page, text_page

FOLDER = "pagefind"
"""Where the index lives in the site (Pagefind's own default: its script finds the site's root from it)."""
LANGUAGE = "en"
EXCLUDE = "[data-search-exclude]"
"""The marker of what a page shows but search must leave out (also the matrix's tables, compare's data)."""
HTML_ROOT = "article.md-content__inner"
"""Of a page indexed from its HTML, only the content is indexed: not the header, navigation or footer."""


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says what it reported."""


# --- Which built pages are indexed from their HTML -------------------------------------------------


def generated_urls(corpus: Corpus, urls: Urls) -> set[str]:
    """The pages whose words the records already hold: the texts' and the questions' (every part)."""
    found = {urls.url(text_page(t.slug)) for t in corpus.texts} | {urls.url(QUESTIONS_INDEX)}
    for question in corpus.questions:
        found.add(urls.url(question_page(question.id)))
    return found


_CONTINUATION = re.compile(r"(^|/)page/\d+(/|\.html$)")


def html_pages(site_dir: Path, urls: Urls, skip: set[str]) -> Iterator[tuple[str, Path]]:
    """The built pages indexed from their HTML, with their site-relative URLs.

    Not the pages the records stand for, not the further pages of a list (their first page
    speaks for them; the rest repeat the corpus), not the page for an unknown address.
    """
    for html in sorted(site_dir.rglob("*.html")):
        relative = html.relative_to(site_dir).as_posix()
        if relative in ("404.html", "search/index.html", "search.html") or relative.startswith(FOLDER + "/"):
            continue
        url = relative
        if urls.use_directory_urls:
            url = "" if relative == "index.html" else relative.removesuffix("index.html")
        if url in skip or _CONTINUATION.search(url):
            continue
        yield url, html


# --- Running Pagefind ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexSummary:
    records: int
    pages: int
    """Pages indexed from their HTML."""
    seconds: float
    """Wall-clock time the build waited for the index, at its end (the records were fed before)."""
    pagefind_cpu_s: float | None
    """CPU time of the Pagefind process (None where the system does not say)."""
    records_cpu_s: float
    """CPU time spent here making and sending the records, in whichever thread."""
    peak_mb: float | None
    """The largest resident memory of the Pagefind process itself (None where the system does not say)."""

    def line(self) -> str:
        """The build log's line for it."""
        return (
            f"Search index: {self.records} records and {self.pages} pages indexed by Pagefind in "
            f"{self.seconds:.2f} s (peak memory {self.peak_mb or 0:.0f} MB; CPU: Pagefind "
            f"{self.pagefind_cpu_s or 0:.2f} s, records {self.records_cpu_s:.2f} s)."
        )


class Indexing:
    """An index being made: Pagefind started and fed the corpus's records while the site is built.

    The records come from the corpus, not from the built pages, so Pagefind can read them while
    MkDocs renders (on another core); only the few pages indexed from their HTML and the writing
    of the index wait for the build's end (finish). Whatever fails here fails finish, with
    Pagefind's message; nothing is written into the site before then.
    """

    def __init__(self, corpus: Corpus, urls: Urls, *, background: bool = True) -> None:
        self.corpus, self.urls = corpus, urls
        self._pagefind: _Pagefind | None = None
        self._index_id: Any = None
        self._records = 0
        self._cpu = 0.0
        self._failure: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._abandoned = False
        if background:
            self._thread = threading.Thread(target=self._feed, name="pagefind-records", daemon=True)
            self._thread.start()
        else:
            self._feed()

    def _feed(self) -> None:
        start = time.thread_time()
        try:
            self._pagefind = _Pagefind()
            config = {
                "root_selector": HTML_ROOT,
                "exclude_selectors": [EXCLUDE, ".headerlink", ".md-source-file"],
                "force_language": LANGUAGE,
            }
            (created,) = self._pagefind.send([{"type": "NewIndex", "config": config}])
            self._index_id = created["index_id"]
            # Imported here, not at the top: search_index, whose records these are, imports this
            # module (its Indexing and write_index are search_index's to its callers).
            from .search_index import records

            requests = [self._file(item.url, item.html()) for item in records(self.corpus, self.urls)]
            self._records = len(requests)
            self._pagefind.send(requests)
        except BaseException as failure:  # raised again by finish, in the build's thread
            self._failure = failure
        finally:
            self._cpu += time.thread_time() - start

    def _file(self, url: str, html: str) -> dict[str, Any]:
        return {"type": "AddFile", "index_id": self._index_id, "url": url, "file_path": None, "file_contents": html}

    def finish(self, site_dir: Path) -> IndexSummary:
        """Index the pages built in `site_dir` too, then write the index into `site_dir`/pagefind,
        replacing any index there whole. Raises SearchIndexError if Pagefind failed; the site's
        previous index (if any) is then left as it was."""
        waited = time.perf_counter()
        building = site_dir / f".{FOLDER}.building"
        try:
            if self._thread is not None:
                self._thread.join()
            self._check_abandoned()  # before the failure it caused, if it was abandoned while feeding
            if self._failure is not None:
                raise self._failure
            assert self._pagefind is not None
            start = time.thread_time()
            pages = list(html_pages(site_dir, self.urls, generated_urls(self.corpus, self.urls)))
            self._check_abandoned()
            shutil.rmtree(building, ignore_errors=True)
            self._pagefind.send([self._file(url, html.read_text(encoding="utf-8")) for url, html in pages])
            self._cpu += time.thread_time() - start
            # Not WriteFiles: Pagefind's service answers it before every file is on disk, and then
            # exits when its input closes; about one index in forty (more on a busy machine) had an
            # empty pagefind-entry.json, which breaks search on the published site. GetFiles hands
            # over the files themselves, written here before the index counts as built.
            (answer,) = self._pagefind.send([{"type": "GetFiles", "index_id": self._index_id}])
            cpu, peak = self._pagefind.usage()
            _write_files(building, answer["files"])
        except SearchIndexError:
            shutil.rmtree(building, ignore_errors=True)
            raise
        finally:
            self.close()
        if not (building / "pagefind.js").is_file() or not (building / "pagefind-entry.json").is_file():
            shutil.rmtree(building, ignore_errors=True)
            raise SearchIndexError(f"Pagefind reported no error but wrote no complete index into {building}")
        _unused_bundle(building)
        target = site_dir / FOLDER
        old = site_dir / f".{FOLDER}.old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        building.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        return IndexSummary(self._records, len(pages), time.perf_counter() - waited, cpu, self._cpu, peak)

    def abandon(self) -> None:
        """Stop Pagefind now, from another thread than the one in `finish`, which then raises
        SearchIndexError and writes nothing (or, past Pagefind's last answer, completes the index)."""
        self._abandoned = True
        if self._pagefind is not None:
            self._pagefind.kill()

    @property
    def abandoned(self) -> bool:
        return self._abandoned

    def _check_abandoned(self) -> None:
        if self._abandoned:
            raise SearchIndexError("abandoned for a newer build's index")

    def close(self) -> None:
        """End Pagefind (a build that failed elsewhere writes no index)."""
        if self._thread is not None and self._thread.is_alive() and self._thread is not threading.current_thread():
            if self._pagefind is not None:
                self._pagefind.kill()  # unblocks the feeding thread, which still writes or waits
            self._thread.join()
        if self._pagefind is not None:
            self._pagefind.close()


def write_index(site_dir: Path, corpus: Corpus, urls: Urls, started: Indexing | None = None) -> IndexSummary:
    """Index the site built in `site_dir` into `site_dir`/pagefind, replacing any index there whole,
    finishing `started` (the indexing begun for this corpus while the pages rendered) if given.

    Raises SearchIndexError if Pagefind fails; the site's previous index (if any) is then left as it was.
    """
    if started is not None and (started.corpus is not corpus or started.urls != urls):
        started.close()
        started = None
    return (started or Indexing(corpus, urls, background=False)).finish(site_dir)


def _write_files(output: Path, files: list[dict[str, Any]]) -> None:
    for item in files:
        path = PurePosixPath(item["path"])
        if ".." in path.parts or path.is_absolute():
            raise SearchIndexError(f"Pagefind named a file outside its folder: {item['path']!r}")
        target = output / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(item["content"]))


class _Pagefind:
    """Pagefind's indexing service (`pagefind --service`, the binary of `pagefind[bin]`), spoken to directly.

    The service reads base64-encoded JSON requests, each followed by a comma, and answers each
    the same way. Pagefind's Python wrapper waits a tenth of a second before reading each answer,
    which would take an hour for a thousand texts' records: here the requests are written all at
    once (by a thread, so that neither side's pipe fills up) while the answers are read.
    """

    def __init__(self) -> None:
        from pagefind.service import get_executable

        executable = get_executable()
        if executable is None:
            raise SearchIndexError("the Pagefind binary is not installed: pip install -r requirements.txt")
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by __exit__, with the process)
        # In a session of its own, so that Ctrl-C in the terminal reaches MkDocs only: `mkdocs serve` then
        # abandons an index being made (logged as such), where a Pagefind killed by the same signal
        # was a failed index, logged as an error on every Ctrl-C after a save. Pagefind still ends
        # with this process: its input closes.
        self._process = subprocess.Popen(
            [str(executable), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            start_new_session=True,
        )
        self._next_id = 0
        self._pending = bytearray()
        self._searched = 0
        """How much of `_pending` holds no comma: an answer as long as the whole index (GetFiles) is
        read in many chunks, each searched once."""
        self._closed = False

    def usage(self) -> tuple[float | None, float | None]:
        """The process's CPU seconds and peak resident memory in MB, so far, as Linux's /proc says.

        Not getrusage's figure for children: a child's peak counts the memory of the process it was
        forked from (here, all of MkDocs), so it would report the build's size, not Pagefind's.
        """
        try:
            stat = Path(f"/proc/{self._process.pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
            status = Path(f"/proc/{self._process.pid}/status").read_text(encoding="ascii")
        except OSError:
            return None, None
        cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        peak = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        return cpu, (int(peak.group(1)) / 1024 if peak else None)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self._process.kill()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):  # the service has ended already: its exit status tells
                self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._errors.close()

    def send(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send every request, wait for every answer; the answers in the order of the requests."""
        first = self._next_id + 1
        messages = []
        for request in requests:
            self._next_id += 1
            message = json.dumps({"message_id": self._next_id, "payload": request}).encode("utf-8")
            messages.append(base64.b64encode(message) + b",")
        failure: list[BaseException] = []
        writer = threading.Thread(target=self._write, args=(messages, failure), daemon=True)
        writer.start()
        answers: dict[int, dict[str, Any]] = {}
        problems: list[str] = []
        while len(answers) + len(problems) < len(requests):
            answer = self._read()
            if answer is None:
                writer.join(timeout=1)
                raise SearchIndexError(self._ended(failure))
            payload = answer.get("payload") or {}
            if payload.get("type") == "Error" or answer.get("message_id") is None:
                problems.append(str(payload.get("message", payload)))
            else:
                answers[int(answer["message_id"])] = payload
        writer.join()
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise SearchIndexError("; ".join(problems[:3]) + more)
        return [answers[number] for number in range(first, self._next_id + 1)]

    def _write(self, messages: list[bytes], failure: list[BaseException]) -> None:
        assert self._process.stdin is not None
        try:
            for message in messages:
                self._process.stdin.write(message)
            self._process.stdin.flush()
        except OSError as error:  # the service ended: the reader reports it
            failure.append(error)

    def _read(self) -> dict[str, Any] | None:
        assert self._process.stdout is not None
        while (end := self._pending.find(b",", self._searched)) < 0:
            self._searched = len(self._pending)
            chunk = os.read(self._process.stdout.fileno(), 1 << 16)
            if not chunk:
                return None
            self._pending += chunk
        message = bytes(self._pending[:end])
        del self._pending[: end + 1]
        self._searched = 0
        answer = json.loads(base64.b64decode(message))
        return answer if isinstance(answer, dict) else {}

    def _ended(self, failure: list[BaseException]) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=10)
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", "replace").strip()
        detail = f": {said[-2000:]}" if said else (f" ({failure[0]})" if failure else "")
        return f"the Pagefind service ended (exit status {self._process.returncode}) before answering{detail}"


_UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "wasm.unknown.pagefind",
)
"""Pagefind's own interfaces, which the site does not use (its own search is counterpoint-search.js)."""


def _unused_bundle(folder: Path) -> None:
    for name in _UNUSED:
        (folder / name).unlink(missing_ok=True)
