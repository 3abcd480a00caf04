"""One build of the site, independent of MkDocs: what to generate and how to render it.

The MkDocs hook asks this object which files exist and what each page holds;
nothing here imports MkDocs, so another site generator could drive it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .corpus import load_corpus
from .export import annotations_jsonld
from .problems import CorpusError, Problem
from .render.common import RenderedPage, Site
from .render.lists import home_text_list, render_texts_index, texts_index_pages
from .render.text_page import render_text_page
from .site import ANNOTATIONS_JSONLD, Urls, original_file, text_page

SLOT = re.compile(r"<!--\s*counterpoint:\s*([a-z-]+)\s*-->")
NAV_TEXTS_LIMIT = 30
"""Up to this many texts, each is listed in the navigation; beyond, the texts index stands for them."""


@dataclass(frozen=True)
class GeneratedFile:
    src_uri: str
    content: str | bytes
    page: Callable[[], RenderedPage] | None = None
    """For pages: renders the page when MkDocs asks for its content."""


@dataclass
class SiteBuild:
    site: Site
    files: dict[str, GeneratedFile] = field(default_factory=dict)

    site_url: str = ""
    """The site's public address if configured: exported data uses absolute IRIs then."""

    @classmethod
    def load(cls, project_dir: Path, use_directory_urls: bool, site_url: str | None = None) -> SiteBuild:
        corpus = load_corpus(project_dir / "corpus", project_dir)
        build = cls(Site(corpus, Urls(use_directory_urls)), site_url=site_url or "")
        build._plan()
        return build

    def _plan(self) -> None:
        site = self.site
        for index_page in texts_index_pages(site):
            self._page(index_page.src, lambda page=index_page: render_texts_index(site, page))  # type: ignore[misc]
        for text in site.corpus.texts:
            self._page(text_page(text.slug), lambda text=text: render_text_page(site, text))  # type: ignore[misc]
            self.files[original_file(text.slug)] = GeneratedFile(original_file(text.slug), text.source_bytes)
        self.files[ANNOTATIONS_JSONLD] = GeneratedFile(ANNOTATIONS_JSONLD, annotations_jsonld(site, self.site_url))

    def _page(self, src_uri: str, render: Callable[[], RenderedPage]) -> None:
        self.files[src_uri] = GeneratedFile(src_uri, "", render)

    @property
    def text_pages(self) -> list[str]:
        return [text_page(t.slug) for t in self.site.corpus.texts]

    @property
    def nav_lists_texts(self) -> bool:
        return len(self.site.corpus.texts) <= NAV_TEXTS_LIMIT

    def fill_slots(self, src_uri: str, html: str, source_name: str) -> str:
        """Replace `<!-- counterpoint: name -->` in a hand-written page with generated content."""

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "texts":
                return str(home_text_list(self.site, src_uri))
            line = html[: match.start()].count("\n") + 1
            raise CorpusError(
                [
                    Problem(
                        source_name,
                        None,
                        f"unknown slot `{match.group(0)}` (near line {line} of the HTML).",
                        "Known slots: <!-- counterpoint: texts -->.",
                    )
                ]
            )

        return SLOT.sub(replace, html)


__all__ = ["GeneratedFile", "Markup", "SiteBuild"]
