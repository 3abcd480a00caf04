"""What one build of a Counterpoint site holds between MkDocs' events (counterpoint.mkdocs_plugin keeps it).

Nothing of it outlives its build: what `mkdocs serve` keeps between rebuilds is on the plugin itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import gcpolicy, search_index
from .build import SiteBuild
from .render.common import RenderedPage


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
