"""Turning the checked corpus into HTML fragments for the site's pages."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("counterpoint", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    from ..search_index import search_query, stance_filter
    from . import icons, pieces

    env.globals["stance_icon"] = icons.stance_icon
    env.globals.update(pieces.GLOBALS)
    env.globals["stance_search"] = lambda question, stance_id: search_query(stance=stance_filter(question, stance_id))
    env.globals["voice_search"] = lambda voice: search_query(voice=voice.name)
    env.filters["thousands"] = "{:,}".format
    return env
