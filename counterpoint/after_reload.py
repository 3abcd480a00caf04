"""What a rebuild of `mkdocs serve` finishes after the open pages have reloaded: its search index, and
the deletion of the folder it wrote aside. Nothing here needs MkDocs (counterpoint.mkdocs_plugin calls it).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import search_index
from .build import SiteBuild

ABANDONED = "Search index: abandoned for the next rebuild's, which indexes the newer corpus."
"""Logged where a rebuild's index was stopped by the next build; begins as a finished index's line does."""


class AfterTheReload:
    """The rebuilds' indexes being made after their reload, and their aside folders being deleted.

    One lives as long as `mkdocs serve` (the plugin owns it): `index` starts a rebuild's index, `end`
    abandons it before the next build, `wait` is for shutdown.
    """

    def __init__(self, log: logging.LoggerAdapter[Any], collect: Callable[[], None]) -> None:
        self._log = log
        self._collect = collect
        """Called by an index's thread once the index is in and was not abandoned: the time to collect
        the garbage of the builds before (see gcpolicy.BetweenBuilds)."""
        self.thread: threading.Thread | None = None
        """The last rebuild's index, finished after the rebuild; the next build abandons it and waits for the
        thread to end before anything else (see `end`)."""
        self._being_made: search_index.Indexing | None = None
        """The Pagefind run of `thread`."""
        self._deletions: list[subprocess.Popen[bytes]] = []

    def index(self, site_dir: Path, planned: SiteBuild, started: search_index.Indexing, staged: Path | None) -> None:
        """A rebuild of `mkdocs serve` lets the open pages reload before Pagefind has finished: the index
        is completed by a thread once the pages are in the served folder, and swapped in whole
        (search_index.Indexing.finish writes it beside the old one, then renames), so that no
        half-written index is ever served; until then the last build's index is served (sitedir.sync
        keeps it). Its failure is logged as an error, and the last index stays. The first build under
        `serve` and `mkdocs build` index before the site is served or published. The thread then has
        the folder the rebuild wrote aside deleted (`staged`, synchronised into `site_dir`)."""
        corpus, urls = planned.site.corpus, planned.site.urls

        def finish() -> None:
            try:
                index()
            finally:
                if staged is not None:
                    self.delete_later(staged)
                if not started.abandoned:  # else the next build collects, before it loads
                    self._collect()

        def index() -> None:
            try:
                summary = search_index.write_index(site_dir, corpus, urls, started)
            except Exception as error:
                if started.abandoned:  # the next build stopped Pagefind: not a failure
                    self._log.info(ABANDONED)
                elif isinstance(error, search_index.SearchIndexError):
                    self._log.error(
                        "Counterpoint: the search index could not be updated after this rebuild; search finds "
                        f"nothing until a rebuild succeeds. Pagefind said: {error}"
                    )
                else:
                    self._log.exception("Counterpoint: the search index could not be updated after this rebuild.")
            else:
                self._log.info(f"{summary.line()} (after the rebuild)")

        self.thread = threading.Thread(target=finish, name="counterpoint-search-index", daemon=True)
        self._being_made = started
        self.thread.start()

    def end(self) -> None:
        """Before the next build (or shutdown): the last rebuild's index, if still being made, is abandoned,
        not waited for (at 1,000 texts Pagefind takes 5-6 s after each reload, and a save made meanwhile
        waited for it): the next build makes an index of the newer corpus, and until then the last
        complete index is served. Its thread is waited for, since MkDocs then replaces the folder it
        writes into; killing Pagefind makes that wait short."""
        if self._being_made is not None:
            self._being_made.abandon()
            self._being_made = None
        if self.thread is not None:
            self.thread.join()
            self.thread = None

    def delete_later(self, folder: Path) -> None:
        """Delete a build's aside folder (at 1,000 texts, 180 MB in 6,000 files) by `rm -rf` in a process of its own,
        which only shutdown waits for: a Python thread deleting it took the interpreter's lock from the
        next rebuild often enough to make it half as long again. Without `rm`, it is deleted here, at once."""
        self._deletions = [deleting for deleting in self._deletions if deleting.poll() is None]
        rm = shutil.which("rm")
        if rm is None:
            shutil.rmtree(folder, ignore_errors=True)
            return
        self._deletions.append(subprocess.Popen([rm, "-rf", "--", str(folder)], stdin=subprocess.DEVNULL))

    def wait(self) -> None:
        """At shutdown: the index abandoned, and every deletion finished."""
        self.end()
        for deleting in self._deletions:
            deleting.wait()
