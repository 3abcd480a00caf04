"""The built site's folder: written aside, put in place only when the build is complete.

A build writes into a hidden sibling of the site folder (`.site.building` beside `site`). Only
a build that reached its end moves its files into the site folder; a failed build empties the
site folder, so that neither a half-written site nor the previous one can be published by
mistake; an interrupted build (Ctrl-C) leaves the site folder as the last complete build made
it, and its own files in the hidden folder, which the next build clears.

`mkdocs serve` builds the same way into its temporary folder, except that a failed rebuild
leaves that folder as it was, so that the last complete build goes on being served.

Like MkDocs when it cleans the site folder, this keeps the folder's hidden entries (a `.git` of
a deployment checkout, say): the site has none of its own.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path


def stages(command: str, dirty: bool) -> bool:
    """Whether a build of `command` ("build", "gh-deploy", "serve") writes aside first.

    Every command does, so that a folder being published or served only ever holds a complete
    build; except `mkdocs serve --dirty`, whose point is to rewrite only what changed in the
    folder it serves (a failed rebuild there may leave some pages newer than others, and the
    served pages say that it failed). `mkdocs build --dirty` writes aside too: it then writes
    every file, but a site folder is never left half-written.
    """
    return not (command == "serve" and dirty)


def staging_dir(site_dir: Path) -> Path:
    """The folder a build writes into, cleared of anything an interrupted build left there."""
    staging = site_dir.with_name(f".{site_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    return staging


def empty_keeping_hidden(folder: Path, keep: Collection[str] = ()) -> None:
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name.startswith(".") or entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def publish(staging: Path, site_dir: Path, keep: Collection[str] = (), *, set_aside: bool = False) -> Path | None:
    """Replace the site folder's content with the complete build in `staging`, except the entries
    named in `keep` that the build has none of (the search index of the last build, served until
    this build's own is swapped in whole: see counterpoint.mkdocs_plugin).

    With `set_aside`, the replaced entries are not deleted but moved (renamed: no file is read or
    written) into a new hidden folder beside the site folder, which is returned for the caller to
    delete once the open pages have reloaded: deleting a site of 1,000 texts took a tenth of a
    rebuild of `mkdocs serve`."""
    site_dir.mkdir(parents=True, exist_ok=True)
    kept = {name for name in keep if not (staging / name).exists()}
    aside = None
    if set_aside:
        aside = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.replaced.", dir=site_dir.parent))
        for entry in site_dir.iterdir():
            if not (entry.name.startswith(".") or entry.name in kept):
                entry.rename(aside / entry.name)
    else:
        empty_keeping_hidden(site_dir, kept)
    for entry in staging.iterdir():
        if not (site_dir / entry.name).exists():  # only a kept hidden entry can be there
            entry.rename(site_dir / entry.name)
    shutil.rmtree(staging)
    return aside


def discard(staging: Path | None, site_dir: Path, *, keep_site: bool = False) -> None:
    """After a failed build: no site left that could be published by mistake.

    With `keep_site` (the development server's folder, which is never published), only the
    failed build's own files go: the server goes on serving the last complete build.
    """
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)
    if keep_site:
        return
    empty_keeping_hidden(site_dir)
    if site_dir.is_dir() and not any(site_dir.iterdir()):
        site_dir.rmdir()
