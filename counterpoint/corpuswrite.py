"""Writing a corpus file: in one step, only over the bytes the writer read, and through symbolic links.

Every tool that rewrites a corpus file (`counterpoint requote --apply`, the editor's workbench)
computes the new content from the bytes it read. If the editor saved the file in the meantime,
writing would silently throw their edit away; so `replace_corpus_file` compares the file with
those bytes right before it replaces it, and refuses when they differ. The new content goes to a
temporary file beside the target and is renamed over it, so that nothing is ever half-written.
A symbolic link is written through: the file it leads to (which must be inside the corpus, as
for reading, see confine.py) gets the new content, and the link stays a link; renaming over the
link itself would leave its target with the old text and the corpus with a copy.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from pathlib import Path

from .confine import confined


class ChangedSinceRead(Exception):
    """The file no longer holds the bytes its new content was computed from: nothing was written."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} changed since it was read")
        self.path = path


def replace_corpus_file(path: Path, corpus_dir: Path, read: bytes | None, new: bytes) -> None:
    """Replace the content of the corpus file `path` with `new`, provided it still holds `read`.

    `read` None: the file did not exist when it was read, and is created, provided it still does
    not (the workbench's first passage of a text). Raises ChangedSinceRead when the file is not as
    read (or no longer exists), confine.OutsideCorpus when it leads outside `corpus_dir`, and OSError
    when it cannot be written; in every case the file is as it was.
    The comparison and the rename are two steps: an edit saved between them, within a millisecond,
    is the one case not caught.
    """
    target = confined(path, corpus_dir)
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if (mode is None) != (read is None) or (mode is not None and not stat.S_ISREG(mode)):
        raise ChangedSinceRead(path)
    if mode is None:
        # Opened with 0o666 for the umask to apply: a new file gets the mode an editor's own save gives it.
        temporary = str(target.parent / f".{target.name}.{secrets.token_hex(8)}.tmp")
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    else:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(new)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, stat.S_IMODE(mode))
        try:
            current: bytes | None = target.read_bytes()
        except FileNotFoundError:
            current = None
        if current != read:
            raise ChangedSinceRead(path)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["ChangedSinceRead", "replace_corpus_file"]
