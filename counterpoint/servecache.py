"""What `mkdocs serve` keeps between its rebuilds (issue 15), in one object the build's plugin owns.

- `corpus` (memo.Memo): what each corpus file produced, keyed by its content;
- `pages` (pagecache.PageCache): each generated page's rendering (and the files made from the matrix),
  with what it read;
- `outputs` (pagecache.Outputs): each generated page's whole output as the theme made it (replay.py);
- `templates` (templatecache.MemoryBytecodeCache): the theme's templates, compiled.

Each entry's key says what it was made from, so an entry is only ever reused for equal inputs; the
caches are also emptied when the project (configuration file, docs folder) or a setting every page
reads (the site's address, its URL scheme, the limits) changes, and under any other command than
`mkdocs serve` (a single build has nothing to reuse, and would keep the corpus alive after it).

A full rebuild under `mkdocs serve` (one that counterpoint/quickrebuild.py declined) is not a dirty
build: MkDocs skips a page there only if its file's `is_modified()` is False, never for a generated
one, and a dirty build logs a warning, which fails every rebuild under `serve --strict`. It reads
every page and reuses what these caches hold for unchanged inputs (the corpus files' results, each
generated page's rendering, the theme's output of it: the plugin's on_env), writes aside in memory,
then only the files that changed into the served folder (sitedir.sync).
"""

from __future__ import annotations

from pathlib import Path

from .memo import Memo
from .pagecache import Outputs, PageCache
from .settings import Limits
from .templatecache import MemoryBytecodeCache


class ServeCaches:
    def __init__(self) -> None:
        self.corpus = Memo()
        self.pages = PageCache()
        self.outputs = Outputs()
        self.templates = MemoryBytecodeCache()
        self._project: tuple[str, ...] | None = None
        self._settings: tuple[object, ...] | None = None

    def clear(self) -> None:
        self.corpus.clear()
        self.pages.clear()
        self.outputs.clear()
        self.templates.clear()
        self._project = self._settings = None

    def for_build(
        self, serving: bool, config_file: Path, docs_dir: Path, settings: tuple[str, bool, Limits]
    ) -> tuple[Memo, PageCache] | None:
        """The corpus and page caches for this build (None unless `serving`), emptied first if the project
        or `settings` (site address, directory URLs, limits) are not those they were filled under."""
        if not serving:
            self.clear()
            return None
        project = (str(config_file.absolute()), str(docs_dir.absolute()))
        if project != self._project:
            self.clear()
            self._project = project
        if settings != self._settings:
            self.pages.clear()
            self.outputs.clear()
            self._settings = settings
        self.corpus.hits = self.corpus.misses = 0  # counted from here: a failed load's are not reported
        return self.corpus, self.pages

    def corpus_reused(self) -> str:
        """After a load that asked for every corpus file (a failed one may have stopped before some): the results
        not asked for are dropped; what the load reused."""
        dropped = self.corpus.forget_unused()
        return (
            f"Corpus: {self.corpus.hits} results reused from the previous build, "
            f"{self.corpus.misses} computed, {dropped} dropped."
        )

    def pages_reused(self, outputs: bool = True) -> str:
        """After a build that asked for every page: the pages not asked for are dropped; what was reused.
        `outputs`: whether the build asked for the pages' outputs too (a rebuild without MkDocs does not)."""
        pages = self.pages
        dropped = pages.forget_unused()
        if outputs:
            self.outputs.forget_unused()
        line = f"Pages: {pages.hits} reused from the previous build, {pages.misses} rendered, {dropped} dropped"
        line += f"; {self.outputs.hits} written from their last output." if outputs else "."
        pages.hits = pages.misses = self.outputs.hits = 0
        return line
