"""Counterpoint as a MkDocs plugin: the one module of the package that imports MkDocs.

hooks/counterpoint_hook.py hands MkDocs' events to one `CounterpointPlugin`. What does not need
MkDocs lives in the modules this one calls (what a build generates: build; the site folder:
sitedir; the navigation entries: navconfig; the collector: gcpolicy), so that leaving MkDocs
means replacing this module only. Only public MkDocs API is used: the texts join the
navigation through the `nav` configuration, and MkDocs makes the navigation itself. The one
exception: a generated page's `render` is replaced, so that MkDocs does not run Markdown over
its empty source (_without_markdown).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import (
    confine,
    gcpolicy,
    liveproblems,
    navcache,
    navconfig,
    pagefind_run,
    quickrebuild,
    replay,
    search_index,
    sitedir,
    workbench,
)
from .build import SiteBuild
from .problems import CorpusError
from .render.common import RenderedPage, TocEntry
from .servecache import ServeCaches
from .settings import limits_from_config
from .site import TEXTS_INDEX

log = get_plugin_logger("counterpoint")

Command = Literal["build", "gh-deploy", "serve"]

UNCOLLECTED_REBUILDS = 5
"""Rebuilds without MkDocs in a row without a collection before one collects first (see _rebuild)."""

ABANDONED = "Search index: abandoned for the next rebuild's, which indexes the newer corpus."
"""Logged where a rebuild's index was stopped by the next build; begins as a finished index's line does."""


@dataclass
class BuildState:
    """What one build holds, from its on_config to its end; nothing of it is read by another build."""

    site_dir: Path
    """The site folder asked for: emptied if the build fails (kept, under `mkdocs serve`)."""
    planned: SiteBuild | None = None
    """The loaded corpus and the files planned from it; dropped once the site is written."""
    staging_dir: Path | None = None
    """Where the build writes until it is complete (see counterpoint.sitedir); None once published."""
    hold: gcpolicy.LoadedCorpus = field(default_factory=gcpolicy.LoadedCorpus)
    indexing: search_index.Indexing | None = None
    """Pagefind, reading the corpus's records while MkDocs renders the pages; finished in on_post_build."""
    nav: Any = None
    """MkDocs' navigation (on_nav), for the key of each page's output (counterpoint/replay.py)."""
    rendered: dict[str, RenderedPage] = field(default_factory=dict)
    """Under `mkdocs serve`: each generated page's content, by source path, for its output's key."""
    output_keys: dict[str, object] = field(default_factory=dict)
    """Each generated page's output key (see on_env), by source path: its output is kept under it."""
    replayed: dict[str, str] = field(default_factory=dict)
    """The pages written from their last output, which counterpoint.replay.TEMPLATE prints."""
    outside: object = None
    """Under `mkdocs serve`: what the build read outside the corpus (quickrebuild.outside_corpus), as it
    stood when the build began."""
    dest_uris: dict[str, str] = field(default_factory=dict)
    """Under `mkdocs serve`: where each generated file is written in the site folder, by source path."""
    slots: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Under `mkdocs serve`: each hand-written page with a slot, its HTML before and after filling them."""


class NoOptions(Config):  # type: ignore[no-untyped-call]  # MkDocs' __init_subclass__
    """The plugin takes no options: a site's settings are read from mkdocs.yml's `extra: counterpoint:`."""


class CounterpointPlugin(BasePlugin[NoOptions]):  # type: ignore[no-untyped-call]  # MkDocs' __init_subclass__
    """The MkDocs events of a Counterpoint site, and the state they share, on one object.

    MkDocs loads a hook module once per process and keeps it between the rebuilds of `mkdocs
    serve` (and between the builds a test runs in one process), so this object outlives builds.
    Its state has two lifetimes, in separate attributes:

    - **The invocation** (`command`, `dirty`, `serving`, `first_failure`): what MkDocs was started
      for, set by on_startup and kept for as long as MkDocs runs; on_serve makes it "serve" whatever
      the flags (see there), and takes the problems of a first build that failed.
    - **One build** (`current`, a `BuildState`): made afresh by on_config, replacing whatever an
      earlier build left (an interrupted one may leave its state), and ended by on_post_build
      (which drops the loaded corpus) or on_build_error. Per-build data goes on `BuildState` only,
      so that no build can read another's.

    State meant to outlive a build (the cache of issue 15, kept between the rebuilds of one
    `mkdocs serve`) belongs beside `command` as an attribute of its own, never on `BuildState`;
    it must record the inputs and configuration it was made from and be dropped in on_config
    when they differ. There are two: `caches` (counterpoint/servecache.py: what each corpus file
    produced, each page's rendering and output, the compiled templates) and `indexing_after` (a
    rebuild's search index, finished after the pages reloaded).

    The rebuilds of `mkdocs serve` (`_rebuild`, which replaces the server's `builder`, a public
    attribute, with a wrapper of it): where a save changed only what pages say (a note, a quote, a
    stance; not a title, not the set of pages, nothing outside the corpus), the changed files are
    written into the served folder without MkDocs (counterpoint/quickrebuild.py), using the last
    build's configuration: a page's new file is its last one with the new content. Anything else
    calls serve's own builder, which alone has the configuration as the command line made it
    (`--strict`, `--theme`...). That full rebuild is not a dirty build (MkDocs skips a page there
    only if its file's `is_modified()` is False, never for a generated one, and a dirty build logs a
    warning, which fails every rebuild under `serve --strict`): it reads every page, reuses what its
    inputs did not change (the corpus files' results, each generated page's rendering and the theme's
    output of it: on_env), writes aside in memory and then only the files that changed into the
    served folder (sitedir.sync). Pagefind's wait comes after the reload in both.
    """

    def __init__(self) -> None:
        self.command: Command = "build"
        """build, gh-deploy or serve: what MkDocs was started for (see on_serve for `serve --clean`)."""
        self.dirty = False
        self.serving = False
        """Whether the development server is up (on_serve ran): its rebuilds' failures are liveproblems'."""
        self.first_failure: liveproblems.Failure | None = None
        """The problems of `mkdocs serve`'s first build, which had none of the corpus's pages to show."""
        self.current: BuildState | None = None
        self.caches = ServeCaches()
        """What the rebuilds of one `mkdocs serve` reuse (see counterpoint/servecache.py): the corpus files'
        results, the pages' renderings and outputs, the compiled templates; emptied under any other command."""
        self.indexing_after: threading.Thread | None = None
        """A rebuild's search index, finished after the rebuild (see `_index_after_the_reload`); the next
        build abandons it and waits for its thread to end before anything else (see _end_the_index)."""
        self._index_being_made: search_index.Indexing | None = None
        """The Pagefind run of `indexing_after`, which the next build abandons."""
        self.garbage_collected = True
        """False from a build's end under `mkdocs serve` until its garbage is collected (see
        gcpolicy.collect_between_builds): by the index's thread after the reload, else by the next build."""
        self.deletions: list[subprocess.Popen[bytes]] = []
        """The folders of finished serve builds being deleted (see _delete_later)."""
        self.last_site_bytes = 0
        self.published: quickrebuild.Published | None = None
        """What the last complete build under `mkdocs serve` wrote, for the next rebuild to write only what
        changed without MkDocs if it can (`_rebuild`); None after any build that did not complete."""
        self._served: tuple[MkDocsConfig, Path] | None = None
        """That build's configuration and the folder served."""
        self._uncollected = 0
        """Rebuilds without MkDocs since the last collection of garbage."""
        """The size of the last site `mkdocs serve` built: its next build writes aside in memory only if
        there is room for twice as much (counterpoint.sitedir.serve_staging_dir)."""

    def on_startup(self, *, command: Command, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        """A failed rebuild shows its problems in the open pages instead of stalling every request."""
        # `mkdocs serve --clean` starts its plugins with command="build"; from here on, whatever the
        # flags, the site folder is the server's own and is never published.
        self.command = "serve"
        server.builder = functools.partial(self._rebuild, server.builder)
        liveproblems.watch_rebuilds(server, log.warning, self.first_failure)
        self.first_failure, self.serving = None, True
        _start_workbench(server, config)
        return server

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._end_the_index()
        if not self.garbage_collected:  # the last build's, before this one's load freezes it for good
            gcpolicy.collect_between_builds()
            self.garbage_collected = True
        self._end()
        self.published = self._served = None
        state = self.current = BuildState(Path(config.site_dir))
        project = Path(config.config_file_path).parent
        if self.command == "serve":
            state.outside = _outside_corpus(config)
        try:
            state.planned = self._load(config, state.hold)
        except CorpusError as error:
            failed = _fail(error)
            if not self._may_start_without_a_site():
                raise failed from None
            # `mkdocs serve` shows the problems in every page (see on_serve) instead of ending.
            self.first_failure = liveproblems.Failure(tuple(error.problems))
            state.planned = SiteBuild.placeholder(project, config.use_directory_urls, config.site_url)
            # The placeholder's pages are empty and never shown (every page served is the list of
            # problems), so the hand-written pages' links to their headings would each warn of a
            # missing anchor: noise under the problems, and an abort under `serve --strict`.
            config.validation.links.anchors = logging.DEBUG
        else:
            state.indexing = search_index.Indexing(state.planned.site.corpus, state.planned.site.urls)
        if sitedir.stages(self.command, self.dirty):
            if self.command == "serve":  # synchronised into the served folder (see on_post_build)
                state.staging_dir = sitedir.serve_staging_dir(state.site_dir, self.last_site_bytes)
            else:
                state.staging_dir = sitedir.staging_dir(state.site_dir)
            config.site_dir = str(state.staging_dir)
        return config

    def _load(self, config: MkDocsConfig, hold: gcpolicy.LoadedCorpus | None) -> SiteBuild:
        """The corpus loaded and the site planned, through the caches of `mkdocs serve` (and logging how much
        they held), under `hold`'s policy if given; raises CorpusError."""
        limits = limits_from_config(config.extra)
        settings = (config.site_url or "", config.use_directory_urls, limits)
        project_file, docs = Path(config.config_file_path), Path(config.docs_dir)
        caches = self.caches.for_build(self.command == "serve", project_file, docs, settings)
        cache, pages = caches if caches is not None else (None, None)
        hits, misses = (cache.hits, cache.misses) if cache is not None else (0, 0)
        with hold.loading() if hold is not None else contextlib.nullcontext():
            planned = SiteBuild.load(
                project_file.parent, config.use_directory_urls, config.site_url, limits, cache, pages
            )
        # Only after a load that asked for every file: a failed one may have stopped before some.
        if cache is not None:
            dropped = cache.forget_unused()
            log.info(
                f"Corpus: {cache.hits - hits} results reused from the previous build, "
                f"{cache.misses - misses} computed, {dropped} dropped."
            )
        return planned

    def _rebuild(self, full: Callable[[], None]) -> None:
        """The builder of `mkdocs serve`'s rebuilds: where only what pages say changed, the changed files are
        written into the served folder without MkDocs (counterpoint/quickrebuild.py); else `full()`, serve's
        own builder, rebuilds everything. A corpus with problems is always rebuilt in full, which shows them."""
        published, self.published = self.published, None
        if published is None or self._served is None:
            full()
            return
        config, served = self._served
        began = time.perf_counter()
        self._end_the_index()
        # No collection during this rebuild, and mostly none before it: the garbage of the builds before it
        # stays collectable (nothing is frozen, unlike a full build's load: gcpolicy), and is collected
        # once an index is in (_index_after_the_reload) or by the next full build. Collecting it here
        # cost 0.5-0.7 s of each save made while the last index was being made; but saves that never
        # leave an index time to finish (about 50 MB of garbage each at 1,000 texts, mostly the
        # abandoned index's) are collected every UNCOLLECTED_REBUILDS.
        if self.garbage_collected:
            self._uncollected = 0
        elif self._uncollected >= UNCOLLECTED_REBUILDS:
            gcpolicy.collect_between_builds()
            self._uncollected = 0
        self.garbage_collected = False
        self._uncollected += 1
        with gcpolicy.paused():
            written = self._write_what_changed(config, served, published)
        if written is None:
            full()
            return
        log.info(
            f"Rebuilt without MkDocs in {time.perf_counter() - began:.2f} s, since only what pages say changed: "
            f"{len(written.files)} files written ({written.pages} pages)."
        )

    def _write_what_changed(
        self, config: MkDocsConfig, served: Path, published: quickrebuild.Published
    ) -> quickrebuild.Changes | None:
        """`_rebuild` without MkDocs, if it can (see counterpoint/quickrebuild.py): what it wrote, if it did."""
        outside = _outside_corpus(config)
        if outside != published.outside:
            log.info("A full rebuild: a file outside the corpus changed.")
            return None
        try:
            planned = self._load(config, None)
            found = quickrebuild.changes(published, planned, outside)
        except CorpusError:
            return None  # the full build shows the problems
        if isinstance(found, quickrebuild.Declined):
            log.info(f"A full rebuild: {found.reason}.")
            return None
        sitedir.write_files(served, found.files)
        self.published, self._served = published, (config, served)
        log.info(self.caches.pages_reused(outputs=False))
        self._index_after_the_reload(
            served, planned, search_index.Indexing(planned.site.corpus, planned.site.urls), None
        )
        return found

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        planned = self._planned()
        folders = [Path(config.docs_dir)] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
        leaks = [leak for folder in folders for leak in confine.escapees(folder)]
        if leaks:
            raise PluginError(
                "Counterpoint: nothing was published, because these files are symbolic links leading outside "
                "their folder, and MkDocs would publish what they point at:\n"
                + "\n".join(f"  {path} -> {target}" for path, target in leaks)
                + "\nReplace each link with a copy of the file it is meant to publish, or remove it."
            )
        overwritten = planned.overwritten(file.src_uri for file in files if not file.generated_by)
        if overwritten:
            raise PluginError(
                f"Counterpoint: docs/{overwritten[0]} would be overwritten by a generated page published at the "
                "same address; rename or remove it (generated pages live only in memory)."
            )
        state = self._state()
        for generated in planned.files.values():
            file = File.generated(
                config, generated.src_uri, content=generated.content, inclusion=InclusionLevel.NOT_IN_NAV
            )
            files.append(file)
            if planned.pages is not None:
                state.dest_uris[file.src_uri] = file.dest_uri
        # The texts, in reading order, under the navigation entry of the texts index; MkDocs makes
        # the navigation from this after this event. Without a `nav`, MkDocs lists the files it
        # has, and the generated pages are not among them.
        if planned.nav_lists_texts and config.nav is not None:
            config.nav = navconfig.with_texts(config.nav, TEXTS_INDEX, planned.text_pages)
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        generated = self._planned().files.get(page.file.src_uri)
        if generated is not None and generated.page is not None:
            rendered = generated.page()
            # MkDocs' templates print these without escaping; a title is data, never markup.
            page.meta["title"] = escape(rendered.title)
            page.meta["description"] = escape(rendered.description)
            page.meta["counterpoint"] = rendered
            page.render = functools.partial(_without_markdown, page)  # type: ignore[method-assign]
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        planned = self._planned()
        rendered = page.meta.pop("counterpoint", None)
        try:
            if rendered is None:
                filled = planned.fill_slots(page.file.src_uri, html, f"docs/{page.file.src_uri}")
                if planned.pages is not None and filled != html:
                    self._state().slots[page.file.src_uri] = (html, filled)
                return filled
        except CorpusError as error:
            raise _fail(error) from None
        page.toc = get_toc([_token(entry) for entry in rendered.toc])
        page.present_anchor_ids = (page.present_anchor_ids or set()) | rendered.anchors
        if planned.pages is not None:
            self._state().rendered[page.file.src_uri] = rendered
        return str(rendered.html)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self._state().nav = nav
        return nav

    @event_priority(-100)  # after every plugin's post_build: the search plugin writes its index then
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        navcache.install(env)  # the navigation rendered once per state, not once per page
        if self.command == "serve":
            self.caches.templates.install(env)
            self._replay_outputs(env, config, files)
        return env

    @event_priority(-100)  # the output as written, after every plugin's post_page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        state, src_uri = self.current, page.file.src_uri
        key = state.output_keys.get(src_uri) if state is not None else None
        # A page written from its last output (state.replayed) is kept already, under an equal key.
        if key is not None and state is not None and src_uri not in state.replayed:
            self.caches.outputs.keep(src_uri, key, output, page.content or "")
        return output

    def _replay_outputs(self, env: Environment, config: MkDocsConfig, files: Files) -> None:
        """Every page is read and every title known by now (MkDocs writes the pages after this event): the
        generated pages whose output key equals their last output's are given replay.TEMPLATE, which
        prints that output, instead of the theme's template."""
        state = self._state()
        if not state.rendered or state.nav is None:
            return
        custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        made_from = replay.site_wide(Path(config.config_file_path), config.site_url or "", custom, state.nav.items)
        site = self.caches.pages.shared("theme and navigation", made_from)
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
        state.output_keys, state.replayed = replay.unchanged(pages, state.rendered, site, self.caches.outputs)
        replay.install(env, state.replayed.__getitem__)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        state = self._state()
        planned = state.planned
        assert planned is not None
        if planned.pages is not None:
            log.info(self.caches.pages_reused())
            self._publish(planned, state)
        state.rendered, state.output_keys, state.replayed, state.nav = {}, {}, {}, None  # the pages are written
        started, state.indexing = state.indexing, None
        # A rebuild of `mkdocs serve` puts its pages in place before its search index: see
        # _index_after_the_reload. The first build under `serve` and `mkdocs build` index first.
        later = started if self.serving and self.command == "serve" else None
        if later is None:
            _index_for_search(config, planned, started)
        # The state stays until the build's end (strict mode fails a build after this event, and
        # on_build_error must find the site folder), but not the corpus.
        state.planned = None
        state.hold.release()
        self.garbage_collected = self.command != "serve"
        staged, state.staging_dir = state.staging_dir, None
        if staged is not None and self.command == "serve":
            # Only what changed is written into the served folder; the last index stays until this
            # build's replaces it (see _index_after_the_reload).
            synced = sitedir.sync(staged, state.site_dir, keep=[pagefind_run.FOLDER])
            self.last_site_bytes = synced.site_bytes
            config.site_dir = str(state.site_dir)
            log.info(
                f"The build is complete: {synced.written} files written into {state.site_dir}, "
                f"{synced.unchanged} unchanged, {synced.removed} removed."
            )
        elif staged is not None:
            sitedir.publish(staged, state.site_dir)
            config.site_dir, staged = str(state.site_dir), None
            log.info(f"The build is complete: moved it into {state.site_dir}.")
        if self.published is not None:
            self._served = (config, state.site_dir)
        if later is not None:
            self._index_after_the_reload(Path(config.site_dir), planned, later, staged)
        elif staged is not None:
            self._delete_later(staged)

    def _publish(self, planned: SiteBuild, state: BuildState) -> None:
        """What this build of `mkdocs serve` writes, for the next rebuild (`_rebuild`); it counts once the
        build is in the served folder, and only if the build completes (on_build_error drops it)."""
        outputs = self.caches.outputs
        published = quickrebuild.Published(
            state.outside,
            quickrebuild.publish_pages(
                state.dest_uris, state.rendered, {src: outputs.around(src) for src in state.rendered}
            ),
            {
                src_uri: (state.dest_uris[src_uri], generated.content)
                for src_uri, generated in planned.files.items()
                if generated.page is None
            },
            dict(state.slots),
        )
        self.published = (
            published
            if published.pages.keys()
            == {src_uri for src_uri, generated in planned.files.items() if generated.page is not None}
            else None
        )

    def on_build_error(self, *, error: Exception) -> None:
        """Leave no site behind that could be mistaken for a good one.

        Whether the build failed on a corpus problem (before writing) or later
        (including strict mode's warnings, which MkDocs raises after post_build),
        `mkdocs build` leaves no site folder, so that no previous or half-written
        site can be published by mistake. An interrupted build (Ctrl-C) never gets
        here: its files stay in the hidden staging folder, and the site folder holds
        the last complete build. `mkdocs serve` (with any flags) keeps serving its
        last complete build, with the problems shown in the page (see on_serve).
        """
        state, self.current = self.current, None
        self.published = self._served = None
        if state is not None and state.indexing is not None:
            state.indexing.close()  # a failed build writes no index; Pagefind is ended, not left running
        if state is None:
            return
        state.hold.release()
        served = self.command == "serve"
        self.garbage_collected = not served
        had_site = state.site_dir.is_dir()
        sitedir.discard(state.staging_dir, state.site_dir, keep_site=served)
        if had_site and not served:
            log.info(
                f"Emptied {state.site_dir}: the build failed, so no site is left that could be published by mistake."
            )

    def on_shutdown(self) -> None:
        self._end_the_index()
        interrupted = self.current
        # An interrupted serve build's aside folder has a name of its own, often in memory: nothing else
        # would ever delete it. An interrupted `mkdocs build` leaves its files in .site.building (see
        # on_build_error), which the next build clears.
        if interrupted is not None and interrupted.staging_dir is not None and self.command == "serve":
            self._delete_later(interrupted.staging_dir)
        for deleting in self.deletions:
            deleting.wait()

    def _index_after_the_reload(
        self, site_dir: Path, planned: SiteBuild, started: search_index.Indexing, staged: Path | None
    ) -> None:
        """A rebuild of `mkdocs serve` lets the open pages reload before Pagefind has finished: the index
        is completed by a thread once the pages are in the served folder, and swapped in whole
        (search_index.Indexing.finish writes it beside the old one, then renames), so that no
        half-written index is ever served; until then the last build's index is served (sitedir.sync
        keeps it). Its failure is logged as an error, and the last index stays. The first build under
        `serve` and `mkdocs build` index before the site is served or published. The thread then has
        the folder the rebuild wrote aside deleted (`staged`, synchronised into `site_dir`; `_delete_later`).
        The next build abandons an index still being made (`_end_the_index`)."""
        corpus, urls = planned.site.corpus, planned.site.urls

        def finish() -> None:
            try:
                index()
            finally:
                if staged is not None:
                    self._delete_later(staged)
                if not started.abandoned:  # else the next build collects, before it loads
                    gcpolicy.collect_between_builds()
                    self.garbage_collected = True

        def index() -> None:
            try:
                summary = search_index.write_index(site_dir, corpus, urls, started)
            except Exception as error:
                if started.abandoned:  # the next build stopped Pagefind: not a failure
                    log.info(ABANDONED)
                elif isinstance(error, search_index.SearchIndexError):
                    log.error(
                        "Counterpoint: the search index could not be updated after this rebuild; search finds "
                        f"nothing until a rebuild succeeds. Pagefind said: {error}"
                    )
                else:
                    log.exception("Counterpoint: the search index could not be updated after this rebuild.")
            else:
                log.info(f"{_summary(summary)} (after the rebuild)")

        self.indexing_after = threading.Thread(target=finish, name="counterpoint-search-index", daemon=True)
        self._index_being_made = started
        self.indexing_after.start()

    def _delete_later(self, folder: Path) -> None:
        """Delete a build's aside folder (at 1,000 texts, 180 MB in 6,000 files) by `rm -rf` in a process of its own,
        which only shutdown waits for: a Python thread deleting it took the interpreter's lock from the
        next rebuild often enough to make it half as long again. Without `rm`, a thread does it."""
        self.deletions = [deleting for deleting in self.deletions if deleting.poll() is None]
        rm = shutil.which("rm")
        if rm is None:
            shutil.rmtree(folder, ignore_errors=True)
            return
        self.deletions.append(subprocess.Popen([rm, "-rf", "--", str(folder)], stdin=subprocess.DEVNULL))

    def _end_the_index(self) -> None:
        """Before the next build (or shutdown): the last rebuild's index, if still being made, is abandoned,
        not waited for (at 1,000 texts Pagefind takes 5-6 s after each reload, and a save made meanwhile
        waited for it): the next build makes an index of the newer corpus, and until then the last
        complete index is served. Its thread is waited for, since MkDocs then replaces the folder it
        writes into; killing Pagefind makes that wait short."""
        if self._index_being_made is not None:
            self._index_being_made.abandon()
            self._index_being_made = None
        if self.indexing_after is not None:
            self.indexing_after.join()
            self.indexing_after = None

    def _may_start_without_a_site(self) -> bool:
        """Whether a corpus problem is the first build's of `mkdocs serve`, which then serves the problems
        instead of ending; `mkdocs build` and every later rebuild fail (a rebuild's failure is shown by
        liveproblems.guarded, over the last complete site)."""
        return self.command == "serve" and not self.serving

    def _end(self) -> None:
        """Whatever an earlier build left (only an interrupted one leaves anything) is let go."""
        if self.current is not None:
            if self.current.indexing is not None:
                self.current.indexing.close()
            self.current.hold.release()
            self.current = None

    def _state(self) -> BuildState:
        assert self.current is not None, "an event of a build before its on_config"
        return self.current

    def _planned(self) -> SiteBuild:
        planned = self._state().planned
        assert planned is not None, "a page event after the build's post_build"
        return planned


def _start_workbench(server: LiveReloadServer, config: MkDocsConfig) -> None:
    """Under `counterpoint edit` only: the editing layer, on loopback only."""
    host, port = config.dev_addr
    try:
        bench = workbench.from_environment(Path(config.config_file_path).parent, host, port)
    except workbench.Refused as refused:
        raise PluginError(f"Counterpoint: {refused}") from None
    if bench is not None:
        server.set_app(bench.application(liveproblems.serving_app(server)))
        log.info(f"The workbench is on: select words in a text page at {server.url} to annotate them.")


def _outside_corpus(config: MkDocsConfig) -> object:
    custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    return quickrebuild.outside_corpus(
        replay.config_files(Path(config.config_file_path)), [Path(config.docs_dir), custom]
    )


def _fail(error: CorpusError) -> PluginError:
    for problem in error.problems:
        log.error(str(problem))
    count = len(error.problems)
    return PluginError(
        f"Counterpoint: {count} {'problem' if count == 1 else 'problems'} in the corpus (listed above); "
        "nothing was published. `counterpoint check` lists them without building."
    )


def _index_for_search(config: MkDocsConfig, planned: SiteBuild, started: search_index.Indexing | None) -> None:
    """Pagefind indexes the complete site before it is moved into place (or served)."""
    try:
        summary = search_index.write_index(Path(config.site_dir), planned.site.corpus, planned.site.urls, started)
    except search_index.SearchIndexError as error:
        raise PluginError(
            f"Counterpoint: the search index could not be built, so nothing was published. Pagefind said: {error}"
        ) from None
    log.info(_summary(summary))


def _summary(summary: search_index.IndexSummary) -> str:
    return (
        f"Search index: {summary.records} records and {summary.pages} pages indexed by Pagefind in "
        f"{summary.seconds:.2f} s (peak memory {summary.peak_mb or 0:.0f} MB; CPU: Pagefind "
        f"{summary.pagefind_cpu_s or 0:.2f} s, records {summary.records_cpu_s:.2f} s)."
    )


def _without_markdown(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Page.render for a generated page, whose HTML is ours (on_page_content puts it in).

    Its Markdown is front matter alone, so MkDocs' render would only make a Markdown parser with
    every extension and convert nothing, once per page (0.7 CPU-s of a build of a thousand texts).
    What that render leaves on the page is the same: no content, toc, title or anchors of its own.
    This is the one place the plugin sets something on a page that MkDocs' API does not offer.
    """
    assert page.markdown is not None and not page.markdown.strip(), page.file.src_uri
    page.content = ""
    page.toc = get_toc([])
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def _token(entry: TocEntry) -> Any:
    # A TocEntry's title is plain text (often an author's own heading); MkDocs and
    # the theme insert a toc title as HTML, so it must be escaped here.
    title = escape(entry.title)
    return {
        "level": entry.level,
        "id": entry.id,
        "name": title,
        "html": title,
        "children": [_token(child) for child in entry.children],
    }
