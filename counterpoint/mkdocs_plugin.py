"""Counterpoint as a MkDocs plugin: the one module of the package that imports MkDocs.

hooks/counterpoint_hook.py hands MkDocs' events to one `CounterpointPlugin`. What does not need
MkDocs lives in the modules this one calls (what a build generates: build; the site folder:
sitedir; the navigation entries: navconfig; the collector: gcpolicy), so that leaving MkDocs
means replacing this module only. Only public MkDocs API is used: the texts join the
navigation through the `nav` configuration, and MkDocs makes the navigation itself.
"""

from __future__ import annotations

import logging
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
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import confine, gcpolicy, liveproblems, navcache, navconfig, search_index, sitedir, workbench
from .build import SiteBuild
from .problems import CorpusError
from .render.common import TocEntry
from .settings import limits_from_config
from .site import TEXTS_INDEX

log = get_plugin_logger("counterpoint")

Command = Literal["build", "gh-deploy", "serve"]


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
    when they differ.
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

    def on_startup(self, *, command: Command, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        """A failed rebuild shows its problems in the open pages instead of stalling every request."""
        # `mkdocs serve --clean` starts its plugins with command="build"; from here on, whatever the
        # flags, the site folder is the server's own and is never published.
        self.command = "serve"
        liveproblems.watch_rebuilds(server, log.warning, self.first_failure)
        self.first_failure, self.serving = None, True
        _start_workbench(server, config)
        return server

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._end()
        state = self.current = BuildState(Path(config.site_dir))
        project = Path(config.config_file_path).parent
        try:
            with state.hold.loading():
                state.planned = SiteBuild.load(
                    project, config.use_directory_urls, config.site_url, limits_from_config(config.extra)
                )
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
            state.staging_dir = sitedir.staging_dir(state.site_dir)
            config.site_dir = str(state.staging_dir)
        return config

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
        for generated in planned.files.values():
            files.append(
                File.generated(
                    config, generated.src_uri, content=generated.content, inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
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
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        planned = self._planned()
        rendered = page.meta.pop("counterpoint", None)
        try:
            if rendered is None:
                return planned.fill_slots(page.file.src_uri, html, f"docs/{page.file.src_uri}")
        except CorpusError as error:
            raise _fail(error) from None
        page.toc = get_toc([_token(entry) for entry in rendered.toc])
        page.present_anchor_ids = (page.present_anchor_ids or set()) | rendered.anchors
        return str(rendered.html)

    @event_priority(-100)  # after every plugin's post_build: the search plugin writes its index then
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        navcache.install(env)  # the navigation rendered once per state, not once per page
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        state = self._state()
        assert state.planned is not None
        started, state.indexing = state.indexing, None
        _index_for_search(config, state.planned, started)
        # The state stays until the build's end (strict mode fails a build after this event, and
        # on_build_error must find the site folder), but not the corpus.
        state.planned = None
        state.hold.release()
        if state.staging_dir is not None:
            sitedir.publish(state.staging_dir, state.site_dir)
            config.site_dir, state.staging_dir = str(state.site_dir), None
            log.info(f"The build is complete: moved it into {state.site_dir}.")

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
        if state is not None and state.indexing is not None:
            state.indexing.close()  # a failed build writes no index; Pagefind is ended, not left running
        if state is None:
            return
        state.hold.release()
        served = self.command == "serve"
        had_site = state.site_dir.is_dir()
        sitedir.discard(state.staging_dir, state.site_dir, keep_site=served)
        if had_site and not served:
            log.info(
                f"Emptied {state.site_dir}: the build failed, so no site is left that could be published by mistake."
            )

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
    log.info(
        f"Search index: {summary.records} records and {summary.pages} pages indexed by Pagefind in "
        f"{summary.seconds:.2f} s (peak memory {summary.peak_mb or 0:.0f} MB; CPU: Pagefind "
        f"{summary.pagefind_cpu_s or 0:.2f} s, records {summary.records_cpu_s:.2f} s)."
    )


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
