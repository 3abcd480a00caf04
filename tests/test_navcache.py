"""The navigation rendered once per state (counterpoint.navcache) makes the same site, byte for byte.

Whole sites are built with and without the cache and every file compared, except Pagefind's index:
its file names and contents differ between two builds of the same site, cache or not.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest

from counterpoint import navcache
from sitebuild import REPO, build, prepare

sys.path.insert(0, str(REPO))  # bench/ is not installed

from bench.synthetic import make_corpus, write_corpus


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.relative_to(site).parts[0] != "pagefind"
    }


def _same_site_both_ways(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = build(project)
    assert cached.ok, cached.log[-3000:]
    with_cache = _files(cached.site)
    monkeypatch.setattr(navcache, "ENABLED", False)  # builds run in this process (tests/sitebuild.py)
    uncached = build(project)
    assert uncached.ok, uncached.log[-3000:]
    without = _files(uncached.site)
    assert sorted(with_cache) == sorted(without)
    differing = [name for name in with_cache if with_cache[name] != without[name]]
    assert differing == []
    assert sum(name.endswith(".html") for name in with_cache) > 30


def test_the_corpus_site_is_the_same_with_and_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Few texts: each is listed in the navigation (and rendered as Material does); the generated
    # pages (questions, matrix, compare) are not, and share renderings.
    _same_site_both_ways(prepare(REPO, tmp_path, {"use_directory_urls": False}), monkeypatch)


def test_a_larger_corpus_site_is_the_same_with_and_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More texts than the navigation lists: no text page is in it.
    project = prepare(REPO, tmp_path)
    corpus = project / "corpus"
    for path in sorted(corpus.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    write_corpus(make_corpus(texts=36, annotations=3, seed=5), corpus)
    _same_site_both_ways(project, monkeypatch)


# -- the cache itself, on a small theme ---------------------------------------------------------------------------


class _Item:
    def __init__(self, title: str, url: str, children: list[_Item] | None = None) -> None:
        self.title, self.url, self.children, self.active = title, url, children, False

    def __repr__(self) -> str:
        return self.title


class _Nav:
    def __init__(self, items: list[_Item]) -> None:
        self.items = items
        self.pages = [item for item in navcache._items(items) if not item.children]


THEME = {
    "main.html": "<body>{% include 'partials/nav.html' %}|{{ page.title }}</body>",
    "partials/nav.html": (
        "{% for item in nav.items %}<a href='{{ item.url | url }}'"
        "{% if item.active %} class=active{% endif %}{% if item == page %} aria-current{% endif %}>"
        "{{ item.title }}</a>{% endfor %}"
    ),
}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(THEME))

    @jinja2.pass_context
    def url(context: Any, value: str) -> str:  # as MkDocs': relative to the page's folder
        depth: int = context["page"].url.count("/")
        return "../" * depth + value

    env.filters["url"] = url
    return env


@pytest.mark.parametrize("cached", [True, False])
def test_pages_get_their_own_links_and_marks(cached: bool, monkeypatch: Any) -> None:
    monkeypatch.setattr(navcache, "ENABLED", cached)
    home, guide = _Item("Home", ""), _Item("Guide", "guide/")
    nav = _Nav([home, guide])
    pages = [home, guide, _Item("A", "texts/a/"), _Item("B", "texts/b/"), _Item("Q", "q/x/y/")]
    env = _environment()
    navcache.install(env)
    rendered = {}
    for page in pages:
        page.active = page in nav.pages
        rendered[page.title] = env.get_template("main.html").render(page=page, nav=nav)
        page.active = False
    assert rendered == {
        "Home": "<body><a href='' class=active aria-current>Home</a><a href='guide/'>Guide</a>|Home</body>",
        "Guide": "<body><a href='../'>Home</a><a href='../guide/' class=active aria-current>Guide</a>|Guide</body>",
        "A": "<body><a href='../../'>Home</a><a href='../../guide/'>Guide</a>|A</body>",
        "B": "<body><a href='../../'>Home</a><a href='../../guide/'>Guide</a>|B</body>",
        "Q": "<body><a href='../../../'>Home</a><a href='../../../guide/'>Guide</a>|Q</body>",
    }


def test_pages_outside_the_navigation_share_a_rendering(monkeypatch: Any) -> None:
    renderings = []
    original = navcache.NavCache._render

    def counting(self: navcache.NavCache, context: Any) -> Any:
        renderings.append(context["page"].title)
        return original(self, context)

    monkeypatch.setattr(navcache.NavCache, "_render", counting)
    home = _Item("Home", "")
    nav = _Nav([home, _Item("Section", "s/", [_Item("Inside", "s/in/")])])
    env = _environment()
    navcache.install(env)
    for page in [home, *(_Item(f"T{n}", f"texts/{n}/") for n in range(5)), _Item("Deeper", "q/x/y/"), home]:
        env.get_template("main.html").render(page=page, nav=nav)
    assert renderings == ["Home", "T0", "Deeper", "Home"]
