"""One link checker for built sites: each page is parsed once, its ids and links kept.

Following every `#fragment` link used to re-parse its target page with BeautifulSoup, once per link
(over two minutes for the real corpus under a sub-path). Here a page is read by the standard
library's HTML tokenizer (the one BeautifulSoup's "html.parser" uses, without building a tree),
and what a check needs of it, its ids and its href/src values, is cached on the checker.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup


@dataclass(frozen=True)
class PageFacts:
    ids: frozenset[str]
    links: tuple[str, ...]
    """Every href and src value, in document order."""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in ("href", "src"):
                self.links.append(value)

    handle_startendtag = handle_starttag


def read_page(file: Path) -> PageFacts:
    collector = _Collector()
    collector.feed(file.read_text(encoding="utf-8"))
    collector.close()
    return PageFacts(frozenset(collector.ids), tuple(collector.links))


class LinkChecker:
    """The pages of one built site, each read at most once; links resolved the way a browser does."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._facts: dict[Path, PageFacts] = {}
        self._soups: dict[Path, BeautifulSoup] = {}

    def facts(self, file: Path) -> PageFacts:
        if file not in self._facts:
            self._facts[file] = read_page(file)
        return self._facts[file]

    def file(self, url: str) -> Path:
        """The file behind a site-relative URL (a folder's index.html for `x/`, "" or a folder)."""
        target = self.site / url
        if url == "" or url.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target

    def soup(self, url: str) -> BeautifulSoup:
        """The page's tree, parsed once and shared by every caller: read it, never change it
        (`Built.soup` gives a fresh parse to change)."""
        file = self.file(url)
        if file not in self._soups:
            self._soups[file] = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        return self._soups[file]

    def ids(self, url: str) -> frozenset[str]:
        return self.facts(self.file(url)).ids

    def pages(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))

    def url_of(self, page: Path) -> str:
        relative = page.relative_to(self.site).as_posix()
        return relative.removesuffix("index.html") if relative.endswith("index.html") else relative

    @staticmethod
    def resolve(from_url: str, href: str) -> tuple[str, str]:
        """(site URL, fragment) of a relative link found on the page at `from_url`, both unquoted."""
        assert not urlsplit(href).scheme and not href.startswith("/"), f"not a relative link: {href}"
        absolute = urlsplit(urljoin("http://site.test/" + from_url, href))
        return unquote(absolute.path.removeprefix("/")), unquote(absolute.fragment)

    def lands(self, from_url: str, href: str) -> str:
        """The site URL `href` on `from_url` leads to, asserting that it was built and holds its #fragment."""
        url, fragment = self.resolve(from_url, href)
        file = self.file(url)
        assert file.is_file(), f"{href} on {from_url} leads to {url}, which was not built"
        if fragment:
            assert fragment in self.facts(file).ids, f"{href} on {from_url}: no #{fragment} in {url}"
        return url

    def broken_links(self, *, sub_path: str | None = None, skip_404: bool = False) -> list[str]:
        """Every href and src of every page that does not lead to a built file (and its #fragment).

        Links must be relative (the site works under any sub-path), except on the 404 page, which is
        served at any address: there root-absolute links are allowed under `sub_path` only."""
        broken: list[str] = []
        for page in self.pages():
            if skip_404 and page.name == "404.html":
                continue
            here = self.url_of(page)
            for target in self.facts(page).links:
                parts = urlsplit(target)
                if parts.scheme or target.startswith(("#", "mailto:", "javascript:")):
                    continue
                if target.startswith("/"):
                    if page.name != "404.html" or sub_path is None or not target.startswith(sub_path):
                        broken.append(f"{here}: root-absolute link {target}")
                        continue
                    path = unquote(parts.path[len(sub_path) :])
                else:
                    path = posixpath.normpath(posixpath.join(posixpath.dirname("/" + here), unquote(parts.path)))[1:]
                    if parts.path.endswith("/") or parts.path in ("", "."):
                        path += "/"
                file = self.file(path.lstrip("/"))
                if not file.is_file():
                    broken.append(f"{here}: {target} -> {path} does not exist")
                    continue
                if parts.fragment and file.suffix == ".html" and unquote(parts.fragment) not in self.facts(file).ids:
                    broken.append(f"{here}: {target} -> no #{parts.fragment} in {path}")
        return broken
