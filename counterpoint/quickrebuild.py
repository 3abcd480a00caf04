"""A rebuild of `mkdocs serve` in which only what pages say changed, written without MkDocs (issue 15).

Most saves under `mkdocs serve` change what a few pages say and nothing of the site's shape: a
note, a quote, a stance. MkDocs would still read, render and write all of its pages and files (at
1,000 texts, about 1,500 pages and 4,000 files: 2-3 s of a rebuild, whatever the corpus cache
saves). Here, after the corpus is loaded and the site planned as a build plans it, each generated
page is compared with the one last published; when every page that changed kept its title,
description, table of contents and anchors, and no file was added or removed, a page's new HTML
file is its last one with the content replaced: the theme printed the content once, as it is,
between a part before it and a part after it that depend only on what the comparison found equal
(see counterpoint/replay.py for what the theme's template reads). Only the changed files are
written. Anything else (a title, the set of pages, a hand-written page's slot, anything outside
the corpus) declines, and MkDocs rebuilds in full.

`Published` is what the last complete build under `mkdocs serve` wrote, kept by the plugin and
dropped by any build that does not complete. Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .build import SiteBuild
from .problems import CorpusError
from .render.common import RenderedPage


@dataclass(frozen=True)
class PublishedPage:
    dest_uri: str
    rendered: RenderedPage
    around: tuple[str, str] | None
    """The page's HTML file without its content: before and after it; None if the file did not hold
    the content as it is (a plugin changed it), and then the page cannot be written here."""


@dataclass
class Published:
    outside: object
    """What the site was built from outside the corpus (`outside_corpus`)."""
    pages: dict[str, PublishedPage] = field(default_factory=dict)
    files: dict[str, tuple[str, str | bytes]] = field(default_factory=dict)
    """The other generated files: destination and content, by source path."""
    slots: dict[str, tuple[str, str]] = field(default_factory=dict)
    """The hand-written pages with a slot: their HTML before the slots were filled, and after."""


@dataclass(frozen=True)
class Changes:
    """What to write into the served folder, by destination path, to make it the full build's."""

    files: dict[str, bytes]
    pages: int
    """How many of `files` are pages."""


@dataclass(frozen=True)
class Declined:
    reason: str
    """Why MkDocs rebuilds in full, to end "a full rebuild: ..." in the log."""


def outside_corpus(config_files: object, folders: Iterable[Path | None]) -> tuple[object, ...]:
    """The configuration files (counterpoint.replay.config_files) and every file of `folders` (docs/, the
    theme's custom folder) by path, size and modification time: a change to any of them declines."""
    listing: list[tuple[str, int, int]] = []
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for root, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(root, name)
                status = os.stat(path)
                listing.append((path, status.st_size, status.st_mtime_ns))
    return (config_files, tuple(sorted(listing)))


def rebuild(
    published: Published, outside: object, load: Callable[[], SiteBuild]
) -> tuple[Changes, SiteBuild] | Declined:
    """What a rebuild writes, and the site it plans, if it can be written without MkDocs: not if anything
    outside the corpus changed (`outside`, from `outside_corpus`: then the corpus is not even loaded), nor if
    the corpus has problems (`load` raises CorpusError), which a full build shows; see `changes`."""
    if outside != published.outside:
        return Declined("a file outside the corpus changed")
    try:
        planned = load()
    except CorpusError:
        return Declined("the corpus has problems, which a full build shows")
    found = changes(published, planned)
    return found if isinstance(found, Declined) else (found, planned)


def changes(published: Published, planned: SiteBuild) -> Changes | Declined:
    """The files a rebuild of `planned` changes, if it can be written without MkDocs (what lies outside the
    corpus is `rebuild`'s to compare); `published` is brought up to date with them (the caller keeps it only
    if it then writes them all)."""
    if planned.files.keys() != published.pages.keys() | published.files.keys():
        return Declined("pages or files were added or removed")
    written: dict[str, bytes] = {}
    pages_written = 0
    pages: dict[str, PublishedPage] = {}
    files: dict[str, tuple[str, str | bytes]] = {}
    for src_uri, generated in planned.files.items():
        if generated.page is None:
            dest_uri, content = published.files[src_uri]
            if generated.content is not content and generated.content != content:
                written[dest_uri] = (
                    generated.content.encode() if isinstance(generated.content, str) else generated.content
                )
                files[src_uri] = (dest_uri, generated.content)
            continue
        last = published.pages[src_uri]
        rendered = generated.page()
        if rendered is last.rendered:
            continue
        if (rendered.title, rendered.description, rendered.toc, rendered.anchors) != (
            last.rendered.title,
            last.rendered.description,
            last.rendered.toc,
            last.rendered.anchors,
        ):
            return Declined(f"the title, description, contents or anchors of {src_uri} changed")
        if rendered.html == last.rendered.html:
            pages[src_uri] = PublishedPage(last.dest_uri, rendered, last.around)
            continue
        if last.around is None:
            return Declined(f"{src_uri} changed, and its last HTML file did not hold its content as it is")
        before, after = last.around
        # As MkDocs writes a page (mkdocs.commands.build._build_page).
        written[last.dest_uri] = "".join((before, str(rendered.html), after)).encode("utf-8", "xmlcharrefreplace")
        pages_written += 1
        pages[src_uri] = PublishedPage(last.dest_uri, rendered, last.around)
    for src_uri, (html, filled) in published.slots.items():
        if planned.fill_slots(src_uri, html, f"docs/{src_uri}") != filled:
            return Declined(f"what docs/{src_uri} shows of the corpus changed")
    published.pages.update(pages)
    published.files.update(files)
    return Changes(written, pages_written)


def published(
    outside: object,
    planned: SiteBuild,
    dest_uris: Mapping[str, str],
    rendered: Mapping[str, RenderedPage],
    around: Callable[[str], tuple[str, str] | None],
    slots: Mapping[str, tuple[str, str]],
) -> Published | None:
    """What a complete build of `mkdocs serve` wrote, for the next rebuild: each generated page
    (`rendered`, written at `dest_uris`, its file `around` its content), the other generated files and
    the hand-written pages' slots; None if some generated page was not rendered, which a rebuild here
    could not write."""
    generated_pages = {src_uri for src_uri, generated in planned.files.items() if generated.page is not None}
    if rendered.keys() != generated_pages:
        return None
    return Published(
        outside,
        {src_uri: PublishedPage(dest_uris[src_uri], page, around(src_uri)) for src_uri, page in rendered.items()},
        {
            src_uri: (dest_uris[src_uri], generated.content)
            for src_uri, generated in planned.files.items()
            if generated.page is None
        },
        dict(slots),
    )
