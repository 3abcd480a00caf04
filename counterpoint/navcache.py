"""The site navigation rendered once for each state it can be in, not once per page.

Material renders its primary navigation (partials/nav.html) into every page, and at a thousand
texts its output is the same on nearly every page: 13 distinct navigations over 1,424 pages. A page
the navigation does not list can differ from another only in the links (each relative to the page,
through MkDocs' `url` filter) and in the items marked active; a page it lists is marked in it, with
its table of contents, and is rendered as Material renders it, every time.

`install` makes the theme's partials/nav.html a call of the cache (a Jinja global), which renders the
theme's own nav.html with the including template's context, exactly as `{% include %}` would; no
theme file changes, so a build without the hook renders it as always. tests/test_navcache.py
compares whole sites built with and without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import jinja2
from markupsafe import Markup

NAV_TEMPLATE = "partials/nav.html"
ENABLED = True
"""False builds without the cache (tests/test_navcache.py compares the two)."""
GLOBAL = "counterpoint_nav"
"""The Jinja global that partials/nav.html becomes a call of."""


def _items(items: Sequence[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _items(getattr(item, "children", None) or ())


class NavCache:
    """The theme's nav.html, rendered once per state for the pages outside the navigation.

    A page outside the navigation can differ from another only in the items marked active and in
    the links, every one of which goes through MkDocs' `url` filter, relative to the page. So the
    first rendering for a set of active items records the values the template passes through `url`
    (the probes); a later page with the same active items whose probes come out the same gets the
    same rendering. The key is what the template itself asked for, whatever the theme's version.
    """

    def __init__(self, template: jinja2.Template, url: Callable[[Any, Any], Any]) -> None:
        self._template = template
        self._url = url
        self._recording: list[Any] | None = None
        self._probes: dict[tuple[bool, ...], tuple[Any, ...]] = {}
        self._renderings: dict[tuple[Any, ...], Markup] = {}
        self._nav: Any = None
        self._items: list[Any] = []
        self._pages: list[Any] = []

    @jinja2.pass_context
    def url(self, context: jinja2.runtime.Context, value: Any) -> Any:
        """The theme's `url` filter, noting its values while the navigation is rendered."""
        if self._recording is not None:
            self._recording.append(value)
        return self._url(context, value)

    def _render(self, context: jinja2.runtime.Context) -> Markup:
        # As the code Jinja compiles for `{% include %}`: a new context over the includer's variables.
        template = self._template
        return Markup("".join(template.root_render_func(template.new_context(context.get_all(), True))))

    def _recorded(self, context: jinja2.runtime.Context) -> tuple[Markup, tuple[Any, ...]]:
        recording: list[Any] = []
        self._recording = recording
        try:
            return self._render(context), tuple(recording)
        finally:
            self._recording = None

    def render(self, context: jinja2.runtime.Context) -> Markup:
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None:
            return self._render(context)
        if nav is not self._nav:
            self._nav, self._items, self._pages = nav, list(_items(nav.items)), list(nav.pages)
            self._probes.clear()
            self._renderings.clear()
        if page in self._pages:  # its own entry is marked, with its table of contents
            return self._render(context)
        active = tuple(bool(getattr(item, "active", False)) for item in self._items)
        probes = self._probes.get(active)
        if probes is not None:
            rendering = self._renderings.get((active, *(self._url(context, value) for value in probes)))
            if rendering is not None:
                return rendering
        rendering, asked = self._recorded(context)
        if probes is None:
            self._probes[active] = probes = asked
        if asked == probes:  # otherwise the template asked for something else: not kept
            self._renderings[(active, *(self._url(context, value) for value in asked))] = rendering
        return rendering


class _Loader(jinja2.BaseLoader):
    """The theme's loader, except that partials/nav.html is a call of the cache."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        if template == NAV_TEMPLATE:
            return "{{ " + GLOBAL + "() }}", None, lambda: True
        return self.inner.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def install(env: jinja2.Environment) -> None:
    """From now on `env` renders the navigation through a cache that lives as long as `env` (one build)."""
    if not ENABLED or isinstance(env.loader, _Loader):
        return
    if env.loader is None:
        raise LookupError("the theme's Jinja environment has no loader")
    source, filename, _ = env.loader.get_source(env, NAV_TEMPLATE)
    original = env.template_class.from_code(env, env.compile(source, NAV_TEMPLATE, filename), env.make_globals(None))
    env.loader = _Loader(env.loader)
    cache = NavCache(original, env.filters["url"])
    env.filters["url"] = cache.url

    @jinja2.pass_context
    def counterpoint_nav(context: jinja2.runtime.Context) -> Markup:
        return cache.render(context)

    env.globals[GLOBAL] = counterpoint_nav
