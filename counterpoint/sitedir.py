"""The built site's folder: written aside, put in place only when the build is complete.

A build writes into a hidden sibling of the site folder (`.site.building` beside `site`). Only
a build that reached its end moves its files into the site folder; a failed build empties the
site folder, so that neither a half-written site nor the previous one can be published by
mistake; an interrupted build (Ctrl-C) leaves the site folder as the last complete build made
it, and its own files in the hidden folder, which the next build clears.

`mkdocs serve` builds aside too, except that a failed rebuild leaves its served folder as it
was, so that the last complete build goes on being served; and a complete rebuild is not moved
in but synchronised (`sync`): only the files whose bytes changed are written into the served
folder. Its aside folder is in memory where there is room (`serve_staging_dir`), because on this
project's machines creating a file on disk costs about 0.45 ms of kernel time, against 0.05 ms in
memory: MkDocs writes every file of every build afresh (about 6,000 at 1,000 texts), and a rebuild
moved in whole spent 3-4 s of its 9 s creating files.

Like MkDocs when it cleans the site folder, this keeps the folder's hidden entries (a `.git` of
a deployment checkout, say): the site has none of its own.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

IN_MEMORY = Path("/dev/shm")
"""Where `mkdocs serve` builds aside when it is a writable folder with room (Linux's shared memory)."""
ROOM_NEEDED = 1 << 30
"""Free bytes `IN_MEMORY` must have, at least, and twice the last site's size: a container's
/dev/shm is often 64 MB, which a site of a few hundred texts outgrows."""


def stages(command: str, dirty: bool) -> bool:
    """Whether a build of `command` ("build", "gh-deploy", "serve") writes aside first.

    Every command does, so that a folder being published or served only ever holds a complete
    build; except `mkdocs serve --dirty`, whose point is to rewrite only what changed in the
    folder it serves (a failed rebuild there may leave some pages newer than others, and the
    served pages say that it failed). `mkdocs build --dirty` writes aside too: it then writes
    every file, but a site folder is never left half-written.
    """
    return not (command == "serve" and dirty)


def aside_for(command: str, dirty: bool, site_dir: Path, last_site_bytes: int) -> Path | None:
    """Where a build of `command` writes aside (None: into `site_dir` itself, see `stages`): under
    `mkdocs serve`, a folder of its own, synchronised into the served one at the build's end."""
    if not stages(command, dirty):
        return None
    return serve_staging_dir(site_dir, last_site_bytes) if command == "serve" else staging_dir(site_dir)


def staging_dir(site_dir: Path) -> Path:
    """The folder a build writes into, cleared of anything an interrupted build left there."""
    staging = site_dir.with_name(f".{site_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    return staging


def serve_staging_dir(site_dir: Path, last_site_bytes: int = 0, in_memory: Path = IN_MEMORY) -> Path:
    """A new, empty folder for one build of `mkdocs serve` to write aside into: in `in_memory` if there is
    room for two sites as large as the last one (and ROOM_NEEDED), else beside the served folder."""
    try:
        room = shutil.disk_usage(in_memory).free if os.access(in_memory, os.W_OK | os.X_OK) else 0
    except OSError:
        room = 0
    parent = in_memory if room >= max(ROOM_NEEDED, 2 * last_site_bytes) else site_dir.parent
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building.", dir=parent))


@dataclass(frozen=True)
class Synced:
    written: int
    """Files new or changed, written into the site folder."""
    unchanged: int
    removed: int
    """Files and folders the build no longer has, deleted from the site folder."""
    site_bytes: int
    """The size of the build's files, together."""


def sync(staging: Path, site_dir: Path, keep: Collection[str] = ()) -> Synced:
    """Make the site folder hold what `staging` holds, writing only the files whose bytes differ.

    Each file written replaces its old one by a rename, so that a page requested meanwhile is the
    old one or the new one, never half of either. The site folder's top-level hidden entries are
    kept, as `publish` keeps them, and so are the entries named in `keep` that the build has none of.
    `staging` is left as it is (the caller deletes it when that costs nobody a wait)."""
    counts = {"written": 0, "unchanged": 0, "removed": 0, "site_bytes": 0}

    def remove(entry: os.DirEntry[str]) -> None:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)
        counts["removed"] += 1

    def write(data: bytes, folder: str, target: str) -> None:
        _replace(data, folder, target)
        counts["written"] += 1

    def walk(source: str, destination: str, top: bool) -> None:
        os.makedirs(destination, exist_ok=True)
        with os.scandir(destination) as entries:
            existing = {entry.name: entry for entry in entries}
        with os.scandir(source) as entries:
            for entry in entries:
                target = os.path.join(destination, entry.name)
                old = existing.pop(entry.name, None)
                if entry.is_dir(follow_symlinks=False):
                    if old is not None and not old.is_dir(follow_symlinks=False):
                        remove(old)
                    walk(entry.path, target, False)
                    continue
                with open(entry.path, "rb") as new_file:
                    data = new_file.read()
                counts["site_bytes"] += len(data)
                if old is not None and old.is_file(follow_symlinks=False):
                    if old.stat(follow_symlinks=False).st_size == len(data):
                        with open(target, "rb") as old_file:
                            if old_file.read() == data:
                                counts["unchanged"] += 1
                                continue
                elif old is not None:
                    remove(old)
                write(data, destination, target)
        for name, old in existing.items():
            if not (top and (name.startswith(".") or name in keep)):
                remove(old)

    walk(str(staging), str(site_dir), True)
    return Synced(**counts)


def write_files(site_dir: Path, files: dict[str, bytes]) -> None:
    """Write each file (by its path in the site folder) as `sync` does: by a rename over the old one."""
    for dest_uri, data in files.items():
        target = site_dir / dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(data, str(target.parent), str(target))


def _replace(data: bytes, folder: str, target: str) -> None:
    descriptor, temporary = tempfile.mkstemp(prefix=".sync.", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


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


def publish(staging: Path, site_dir: Path, keep: Collection[str] = ()) -> None:
    """Replace the site folder's content with the complete build in `staging` (its entries are renamed:
    no file is read or written), except the entries named in `keep` that the build has none of."""
    site_dir.mkdir(parents=True, exist_ok=True)
    empty_keeping_hidden(site_dir, {name for name in keep if not (staging / name).exists()})
    for entry in staging.iterdir():
        if not (site_dir / entry.name).exists():  # only a kept hidden entry can be there
            entry.rename(site_dir / entry.name)
    shutil.rmtree(staging)


@dataclass(frozen=True)
class Placed:
    line: str
    """What was done, for the build's log."""
    site_bytes: int
    """The size of the site served (`sync`'s), 0 where the build was moved in (`publish`)."""


def put_in_place(staged: Path, site_dir: Path, *, serving: bool, keep: Collection[str] = ()) -> Placed:
    """A complete build written aside, put in the site folder: synchronised into a served folder, keeping
    the entries named in `keep` that the build has none of (and `staged` left for the caller to delete),
    else moved in whole (and `staged` gone)."""
    if serving:
        synced = sync(staged, site_dir, keep)
        return Placed(
            f"The build is complete: {synced.written} files written into {site_dir}, "
            f"{synced.unchanged} unchanged, {synced.removed} removed.",
            synced.site_bytes,
        )
    publish(staged, site_dir)
    return Placed(f"The build is complete: moved it into {site_dir}.", 0)


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
