"""Counterpoint as a MkDocs plugin: the one module of the package that imports MkDocs.

hooks/counterpoint_hook.py hands MkDocs' events to one `CounterpointPlugin`. What does not need
MkDocs lives in the modules this one calls (what a build generates: build; what it holds between
events: buildstate; the site folder: sitedir; the navigation entries: navconfig; the collector:
gcpolicy; what a serve rebuild finishes after the reload: after_reload), so that leaving MkDocs
means replacing this module only. Only public MkDocs API is used: the texts join the
navigation through the `nav` configuration, and MkDocs makes the navigation itself. The one
exception: a generated page's `render` is replaced, so that MkDocs does not run Markdown over
its empty source (_without_markdown).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable
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
    after_reload,
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
from .buildstate import BuildState
from .problems import CorpusError
from .render.common import toc_tokens
from .servecache import ServeCaches
from .settings import limits_from_config
from .site import TEXTS_INDEX

log = get_plugin_logger("counterpoint")

Command = Literal["build", "gh-deploy", "serve"]


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
    when they differ: `caches` (counterpoint/servecache.py: what each corpus file produced, each
    page's rendering and output, the compiled templates), `published` (what the last complete build
    wrote), `after_reload` (a rebuild's search index, finished after the pages reloaded) and `garbage`
    (when to collect it: gcpolicy).

    The rebuilds of `mkdocs serve` (`_rebuild`, which wraps the server's public `builder`): where a save
    changed only what pages say, the changed files are written without MkDocs (counterpoint/quickrebuild.py);
    anything else calls serve's own builder, a full rebuild that reuses what its inputs did not change
    (counterpoint/servecache.py says how, and why it is not a dirty build). Pagefind's wait comes after
    the reload in both (counterpoint/after_reload.py).
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
        self.garbage = gcpolicy.BetweenBuilds()
        self.after_reload = after_reload.AfterTheReload(log, self.garbage.collect)
        self.last_site_bytes = 0
        """The size of the last site `mkdocs serve` built: its next build writes aside in memory only if
        there is room for twice as much (counterpoint.sitedir.serve_staging_dir)."""
        self.published: quickrebuild.Published | None = None
        """What the last complete build under `mkdocs serve` wrote, for the next rebuild to write only what
        changed without MkDocs if it can (`_rebuild`); None after any build that did not complete."""
        self._served: tuple[MkDocsConfig, Path] | None = None
        """That build's configuration and the folder served."""

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
        self.after_reload.end()
        self.garbage.before_full_build()
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
        state.staging_dir = sitedir.aside_for(self.command, self.dirty, state.site_dir, self.last_site_bytes)
        if state.staging_dir is not None:
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
        with hold.loading() if hold is not None else contextlib.nullcontext():
            planned = SiteBuild.load(
                project_file.parent, config.use_directory_urls, config.site_url, limits, cache, pages
            )
        if cache is not None:
            log.info(self.caches.corpus_reused())
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
        self.after_reload.end()
        self.garbage.before_quick_rebuild()
        with gcpolicy.paused():  # no collection during it either
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
        found = quickrebuild.rebuild(published, _outside_corpus(config), functools.partial(self._load, config, None))
        if isinstance(found, quickrebuild.Declined):
            log.info(f"A full rebuild: {found.reason}.")
            return None
        changed, planned = found
        sitedir.write_files(served, changed.files)
        self.published, self._served = published, (config, served)
        log.info(self.caches.pages_reused(outputs=False))
        self.after_reload.index(served, planned, search_index.Indexing(planned.site.corpus, planned.site.urls), None)
        return changed

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        planned = self._planned()
        folders = [Path(config.docs_dir)] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
        refused = confine.leaks_refusal(folders)
        if refused:
            raise PluginError(refused)
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
        page.toc = get_toc(toc_tokens(rendered.toc))
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
        generated pages whose output key equals their last output's print that output (replay.TEMPLATE)."""
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
        # after_reload.AfterTheReload.index. The first build under `serve` and `mkdocs build` index first.
        later = started if self.serving and self.command == "serve" else None
        if later is None:
            _index_for_search(config, planned, started)
        # The state stays until the build's end (strict mode fails a build after this event, and
        # on_build_error must find the site folder), but not the corpus.
        state.planned = None
        state.hold.release()
        self.garbage.build_ended(serving=self.command == "serve")
        staged, state.staging_dir = state.staging_dir, None
        if staged is not None:
            # Under serve only what changed is written into the served folder, and the last index
            # stays until this build's replaces it (see after_reload).
            serving = self.command == "serve"
            placed = sitedir.put_in_place(staged, state.site_dir, serving=serving, keep=[pagefind_run.FOLDER])
            if serving:
                self.last_site_bytes = placed.site_bytes
            else:
                staged = None  # moved in: nothing left to delete
            config.site_dir = str(state.site_dir)
            log.info(placed.line)
        if self.published is not None:
            self._served = (config, state.site_dir)
        if later is not None:
            self.after_reload.index(Path(config.site_dir), planned, later, staged)
        elif staged is not None:
            self.after_reload.delete_later(staged)

    def _publish(self, planned: SiteBuild, state: BuildState) -> None:
        """What this build of `mkdocs serve` writes, for the next rebuild (`_rebuild`); it counts once the
        build is in the served folder, and only if the build completes (on_build_error drops it)."""
        self.published = quickrebuild.published(
            state.outside, planned, state.dest_uris, state.rendered, self.caches.outputs.around, state.slots
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
        self.garbage.build_ended(serving=served)
        had_site = state.site_dir.is_dir()
        sitedir.discard(state.staging_dir, state.site_dir, keep_site=served)
        if had_site and not served:
            log.info(
                f"Emptied {state.site_dir}: the build failed, so no site is left that could be published by mistake."
            )

    def on_shutdown(self) -> None:
        interrupted = self.current
        # An interrupted serve build's aside folder has a name of its own, often in memory: nothing else
        # would ever delete it. An interrupted `mkdocs build` leaves its files in .site.building (see
        # on_build_error), which the next build clears.
        if interrupted is not None and interrupted.staging_dir is not None and self.command == "serve":
            self.after_reload.delete_later(interrupted.staging_dir)
        self.after_reload.wait()

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
    return PluginError(error.headline())


def _index_for_search(config: MkDocsConfig, planned: SiteBuild, started: search_index.Indexing | None) -> None:
    """Pagefind indexes the complete site before it is moved into place (or served)."""
    try:
        summary = search_index.write_index(Path(config.site_dir), planned.site.corpus, planned.site.urls, started)
    except search_index.SearchIndexError as error:
        raise PluginError(
            f"Counterpoint: the search index could not be built, so nothing was published. Pagefind said: {error}"
        ) from None
    log.info(summary.line())


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
