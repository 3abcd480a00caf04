"""Writing a generated page from its last output, under `mkdocs serve`, instead of the theme's template.

What the plugin (counterpoint/mkdocs_plugin.py) needs to skip Material's main.html for a page whose
output cannot have changed, without importing MkDocs (pages and navigation items are read by their
public attributes). The outputs themselves are kept by pagecache.Outputs.

A page's output key (`page_key`) holds what the theme's template reads: the page's content (its
`RenderedPage`, which holds the HTML, the title, the description and the table of contents), its
address, title, metadata, neighbours and ancestors, and `site_wide`: the whole navigation (every
item's kind, title, address, metadata and children: the theme prints it, its neighbours' links and
each item's icon), the bytes of the configuration file and of each parent it `INHERIT`s, the serving
address, and every file of the
theme's custom folder (overrides/), whose templates and icons the theme reads. The theme's
package and the command line do not change while one `mkdocs serve` runs.

A page whose key equals its last output's gets the template `TEMPLATE` (through its `template`
metadata, which MkDocs reads when it writes the page), which prints that output as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment
from markupsafe import Markup

from .memo import digest
from .pagecache import Outputs
from .render.common import RenderedPage

TEMPLATE = "counterpoint/last-output.html"
_GLOBAL = "counterpoint_last_output"


def install(env: Environment, output_of: Callable[[str], str]) -> None:
    """Make `TEMPLATE` known to the theme's environment: it prints `output_of(page's source path)`."""
    assert env.loader is not None
    env.loader = ChoiceLoader([DictLoader({TEMPLATE: "{{ " + _GLOBAL + "(page.file.src_uri) }}"}), env.loader])
    env.globals[_GLOBAL] = lambda src_uri: Markup(output_of(src_uri))


def _meta(meta: dict[str, Any]) -> str:
    return repr(sorted(meta.items()))


def _nav(items: Iterable[Any]) -> tuple[object, ...]:
    return tuple(
        (
            type(item).__name__,
            item.title,
            getattr(item, "url", None),
            _meta(getattr(item, "meta", None) or {}),
            _nav(getattr(item, "children", None) or ()),
        )
        for item in items
    )


def _folder(folder: Path | None) -> tuple[tuple[str, bytes], ...]:
    if folder is None or not folder.is_dir():
        return ()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return tuple((p.relative_to(folder).as_posix(), digest(p.read_bytes())) for p in files)


_INHERIT = re.compile(rb"""^INHERIT:[ \t]*(?:"([^"\n]+)"|'([^'\n]+)'|([^#\s][^#\n]*?))[ \t]*(?:#.*)?$""", re.M)


def config_files(config_file: Path) -> tuple[tuple[str, bytes], ...]:
    """The configuration file and each parent it names by `INHERIT:` (relative to the file naming it,
    as MkDocs resolves it), with their digests: a setting changed in a parent changes every page."""
    chain: list[tuple[str, bytes]] = []
    path: Path | None = config_file
    while path is not None and len(chain) < 16 and str(path) not in (name for name, _ in chain):
        try:
            raw = path.read_bytes()
        except OSError:
            chain.append((str(path), b""))  # MkDocs refuses a missing parent itself
            break
        chain.append((str(path), digest(raw)))
        found = _INHERIT.search(raw)
        parent = next((group for group in found.groups() if group), None) if found else None
        path = (path.parent / parent.decode("utf-8", "replace")) if parent else None
    return tuple(chain)


def site_wide(
    config_file: Path, site_url: str, custom_dir: Path | None, nav_items: Iterable[Any]
) -> tuple[object, ...]:
    """What every page's template reads of the site (see the module's docstring)."""
    return (config_files(config_file), site_url, _folder(custom_dir), _nav(nav_items))


def _near(item: Any) -> tuple[object, ...] | None:
    return None if item is None else (getattr(item, "url", None), item.title)


def page_key(site: object, page: Any, rendered: RenderedPage) -> tuple[object, ...]:
    """What the theme's template reads of one page, with `site` (from `site_wide`, shared between builds)."""
    return (
        site,
        page.file.src_uri,
        page.url,
        page.canonical_url,
        page.edit_url,
        page.title,
        # The plugin puts `rendered` in the metadata too: its repr would copy the page's whole HTML into
        # every key on every rebuild, where the key holds the object itself, compared by identity first.
        _meta({name: value for name, value in page.meta.items() if value is not rendered}),
        rendered,
        _near(page.previous_page),
        _near(page.next_page),
        tuple(_near(ancestor) for ancestor in page.ancestors),
    )


def unchanged(
    pages: Iterable[Any], rendered: Mapping[str, RenderedPage], site: object, outputs: Outputs
) -> tuple[dict[str, object], dict[str, str]]:
    """The output key of each generated page (those in `rendered`), and the last output of each whose key
    is its last output's: those pages are given `TEMPLATE`, which prints it."""
    keys: dict[str, object] = {}
    replayed: dict[str, str] = {}
    for page in pages:
        src_uri = page.file.src_uri
        content = rendered.get(src_uri)
        if content is None:
            continue
        key = keys[src_uri] = page_key(site, page, content)
        output = outputs.lookup(src_uri, key, str(content.html))
        if output is not None:
            page.meta["template"] = TEMPLATE
            replayed[src_uri] = output
    return keys, replayed
