"""MkDocs hooks for Counterpoint: MkDocs' events, handed to one plugin object.

Wiring only: the events and the state they share are `counterpoint.mkdocs_plugin.CounterpointPlugin`'s.
MkDocs keeps this module loaded between the rebuilds of `mkdocs serve`, and so the one object,
which starts each build afresh (see its docstring).
"""

from __future__ import annotations

from counterpoint.mkdocs_plugin import CounterpointPlugin

_plugin = CounterpointPlugin()

on_startup = _plugin.on_startup
on_serve = _plugin.on_serve
on_config = _plugin.on_config
on_files = _plugin.on_files
on_nav = _plugin.on_nav
on_env = _plugin.on_env
on_page_markdown = _plugin.on_page_markdown
on_page_content = _plugin.on_page_content
on_post_page = _plugin.on_post_page
on_post_build = _plugin.on_post_build
on_build_error = _plugin.on_build_error
on_shutdown = _plugin.on_shutdown
