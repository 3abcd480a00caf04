"""MkDocs hooks for Counterpoint: each event hands its work to the `counterpoint` package.

State lives for one build only: it is made in on_config and dropped when the
build ends, because `mkdocs serve` keeps this module loaded between rebuilds.
"""

from __future__ import annotations

import gc
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section, _add_parent_links, _add_previous_and_next_links, _get_by_type
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from counterpoint import confine, liveproblems, navcache, search_index, sitedir, workbench
from counterpoint.build import SiteBuild
from counterpoint.problems import CorpusError
from counterpoint.render.common import TocEntry
from counterpoint.site import TEXTS_INDEX

log = get_plugin_logger("counterpoint")

_build: SiteBuild | None = None
_site_dir: Path | None = None
"""The site folder of the build under way, emptied if that build fails."""
_staging_dir: Path | None = None
"""Where `mkdocs build` writes until the build is complete (see counterpoint.sitedir)."""
_command: str = "build"
"""build, gh-deploy or serve: what MkDocs was started for (see on_serve for `serve --clean`)."""
_dirty: bool = False


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    """A failed rebuild shows its problems in the open pages instead of stalling every request."""
    global _command
    # `mkdocs serve --clean` starts its plugins with command="build"; from here on, whatever the
    # flags, the site folder is the server's own and is never published.
    _command = "serve"
    liveproblems.watch_rebuilds(server, log.warning)
    _start_workbench(server, config)
    return server


def _start_workbench(server: LiveReloadServer, config: MkDocsConfig) -> None:
    """Under `counterpoint edit` only: the editing layer, on loopback only."""
    host, port = config.dev_addr
    try:
        bench = workbench.from_environment(Path(config.config_file_path).parent, host, port)
    except workbench.Refused as refused:
        raise PluginError(f"Counterpoint: {refused}") from None
    if bench is not None:
        server.set_app(bench.application(server.get_app()))
        log.info(f"The workbench is on: select words in a text page at {server.url} to annotate them.")


def _fail(error: CorpusError) -> PluginError:
    for problem in error.problems:
        log.error(str(problem))
    count = len(error.problems)
    return PluginError(
        f"Counterpoint: {count} {'problem' if count == 1 else 'problems'} in the corpus (listed above); "
        "nothing was published. `counterpoint check` lists them without building."
    )


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build, _site_dir, _staging_dir
    _build, _site_dir, _staging_dir = None, Path(config.site_dir), None
    project = Path(config.config_file_path).parent
    # Loading allocates a great deal and frees little, and what it loads lives until the build
    # ends: the cyclic collector would only re-scan it, over and over (7 % of a build of a
    # thousand texts). So no collection while loading, and the loaded corpus frozen out of
    # later ones; unfrozen when the build ends, so that `mkdocs serve` frees each build's corpus.
    gc.disable()
    try:
        _build = SiteBuild.load(project, config.use_directory_urls, config.site_url)
    except CorpusError as error:
        raise _fail(error) from None
    finally:
        gc.enable()
    gc.freeze()
    if sitedir.stages(_command, _dirty):
        _staging_dir = sitedir.staging_dir(_site_dir)
        config.site_dir = str(_staging_dir)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _build is not None
    folders = [Path(config.docs_dir)] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    leaks = [leak for folder in folders for leak in confine.escapees(folder)]
    if leaks:
        raise PluginError(
            "Counterpoint: nothing was published, because these files are symbolic links leading outside "
            "their folder, and MkDocs would publish what they point at:\n"
            + "\n".join(f"  {path} -> {target}" for path, target in leaks)
            + "\nReplace each link with a copy of the file it is meant to publish, or remove it."
        )
    overwritten = _build.overwritten(file.src_uri for file in files if not file.generated_by)
    if overwritten:
        raise PluginError(
            f"Counterpoint: docs/{overwritten[0]} would be overwritten by a generated page published at the same "
            "address; rename or remove it (generated pages live only in memory)."
        )
    for generated in _build.files.values():
        files.append(
            File.generated(config, generated.src_uri, content=generated.content, inclusion=InclusionLevel.NOT_IN_NAV)
        )
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Put the texts, in reading order, under the navigation entry of the texts index."""
    assert _build is not None
    if not _build.nav_lists_texts:
        return nav
    pages = [files.get_file_from_path(uri) for uri in _build.text_pages]
    for parent_items in _walk(nav.items):
        for position, item in enumerate(parent_items):
            if isinstance(item, Page) and item.file.src_uri == TEXTS_INDEX:
                children = [item] + [file.page or Page(None, file, config) for file in pages if file is not None]
                parent_items[position] = Section(item.title or "Texts", children)
                nav.pages = _get_by_type(nav.items, Page)
                _add_parent_links(nav.items)
                _add_previous_and_next_links(nav.pages)
                return nav
    return nav


def _walk(items: list[Any]) -> Any:
    yield items
    for item in items:
        if isinstance(item, Section):
            yield from _walk(item.children)


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    navcache.install(env)  # the navigation rendered once per state, not per page
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    generated = _build.files.get(page.file.src_uri)
    if generated is not None and generated.page is not None:
        rendered = generated.page()
        # MkDocs' templates print these without escaping; a title is data, never markup.
        page.meta["title"] = escape(rendered.title)
        page.meta["description"] = escape(rendered.description)
        page.meta["counterpoint"] = rendered
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    rendered = page.meta.pop("counterpoint", None)
    try:
        if rendered is None:
            return _build.fill_slots(page.file.src_uri, html, f"docs/{page.file.src_uri}")
    except CorpusError as error:
        raise _fail(error) from None
    page.toc = get_toc([_token(entry) for entry in rendered.toc])
    page.present_anchor_ids = (page.present_anchor_ids or set()) | rendered.anchors
    return str(rendered.html)


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


@event_priority(-100)  # after every plugin's post_build: the search plugin writes its index then
def on_post_build(config: MkDocsConfig) -> None:
    global _build, _staging_dir
    _index_for_search(config)
    _build = None
    gc.unfreeze()
    if _staging_dir is not None and _site_dir is not None:
        sitedir.publish(_staging_dir, _site_dir)
        config.site_dir, _staging_dir = str(_site_dir), None
        log.info(f"The build is complete: moved it into {_site_dir}.")


def _index_for_search(config: MkDocsConfig) -> None:
    """Pagefind indexes the complete site before it is moved into place (or served)."""
    assert _build is not None
    try:
        summary = search_index.write_index(Path(config.site_dir), _build.site.corpus, _build.site.urls)
    except search_index.SearchIndexError as error:
        raise PluginError(
            f"Counterpoint: the search index could not be built, so nothing was published. Pagefind said: {error}"
        ) from None
    log.info(
        f"Search index: {summary.records} records and {summary.pages} pages indexed by Pagefind in "
        f"{summary.seconds:.2f} s (peak memory {summary.peak_mb:.0f} MB)."
    )


def on_build_error(error: Exception) -> None:
    """Leave no site behind that could be mistaken for a good one.

    Whether the build failed on a corpus problem (before writing) or later
    (including strict mode's warnings, which MkDocs raises after post_build),
    `mkdocs build` leaves no site folder, so that no previous or half-written
    site can be published by mistake. An interrupted build (Ctrl-C) never gets
    here: its files stay in the hidden staging folder, and the site folder holds
    the last complete build. `mkdocs serve` (with any flags) keeps serving its
    last complete build, with the problems shown in the page (see on_serve).
    """
    global _build, _site_dir, _staging_dir
    site_dir, staging, _build, _site_dir, _staging_dir = _site_dir, _staging_dir, None, None, None
    gc.unfreeze()
    if site_dir is None:
        return
    served = _command == "serve"
    had_site = site_dir.is_dir()
    sitedir.discard(staging, site_dir, keep_site=served)
    if had_site and not served:
        log.info(f"Emptied {site_dir}: the build failed, so no site is left that could be published by mistake.")
