"""One build of the site, independent of MkDocs: what to generate and how to render it.

The MkDocs hook asks this object which files exist and what each page holds;
nothing here imports MkDocs, so another site generator could drive it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from .checks import load_checked
from .export import Items, annotations_jsonld, link_items, passage_items, passage_runs, run_inputs
from .matrix import Matrix, build_matrix, to_csv, to_json
from .memo import Cache
from .model import Corpus
from .pagecache import PageCache, cached, corpus_but_notes
from .problems import CorpusError, Problem
from .render.agreement_page import render_agreement_page
from .render.common import RenderedPage
from .render.compare_page import compare_embeds, compare_voice_data, compare_voice_list, render_compare_page
from .render.lists import home_text_list, render_texts_index, texts_index_pages
from .render.matrix_page import matrix_pages, render_matrix_page
from .render.question_page import question_pages, render_question_page, render_questions_index
from .render.text_page import render_text_page, text_page_inputs
from .settings import Limits
from .site import (
    AGREEMENT,
    ANNOTATIONS_JSONLD,
    COMPARE,
    COMPARE_VOICES,
    MATRIX_CSV,
    MATRIX_JSON,
    QUESTIONS_INDEX,
    Site,
    Urls,
    compare_voice_file,
    original_file,
    text_page,
)

SLOT = re.compile(r"<!--\s*counterpoint:\s*([a-z-]+)\s*-->")
WIDE_PAGE = "---\nhide:\n  - navigation\n  - toc\n---\n"
"""Front matter for the wide tables (matrix, agreement): they need the sidebars' width."""
NO_TOC = "---\nhide:\n  - toc\n---\n"


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
    root: Path | None = None
    """The project folder: paths in problems found while planning are shown relative to it."""
    pages: PageCache | None = None
    """The pages rendered by an earlier build, reused where their inputs are unchanged (counterpoint/pagecache.py)."""
    _planned: list[str] = field(default_factory=list)
    """Every source path planned, in order, repeats included (self.files keeps the last of each)."""
    _but_notes: object = None
    """With `pages`: what the pages and files made from the matrix read (pagecache.corpus_but_notes)."""

    @classmethod
    def load(
        cls,
        project_dir: Path,
        use_directory_urls: bool,
        site_url: str | None = None,
        limits: Limits | None = None,
        cache: Cache | None = None,
        pages: PageCache | None = None,
    ) -> SiteBuild:
        """`limits`: see counterpoint/settings.py (`limits_from_config` reads them from mkdocs.yml);
        `cache`: what each corpus file produced in an earlier load (counterpoint/memo.py), and `pages`,
        the pages an earlier build rendered (counterpoint/pagecache.py), both kept by `mkdocs serve`
        between rebuilds."""
        # The same function as `counterpoint check`: everything is checked before anything is planned.
        checked = load_checked(project_dir / "corpus", project_dir, cache)
        site = Site(checked.corpus, Urls(use_directory_urls), limits or Limits())
        build = cls(site, site_url=site_url or "", root=project_dir, pages=pages)
        if pages is not None:
            inputs = (corpus_but_notes(site.corpus), site.urls, site.limits, build.site_url)
            build._but_notes = pages.shared("corpus but notes", inputs)
            # The graph reads no note either (cross-referencing is a tenth of a warm rebuild at 1,000 texts).
            graph = pages.get_or_render("(graph)", build._but_notes, lambda: site.graph)
            build.site = site = replace(site, made_graph=graph)
        build._plan(checked.matrix)
        return build

    @classmethod
    def placeholder(cls, project_dir: Path, use_directory_urls: bool, site_url: str | None = None) -> SiteBuild:
        """A build of no corpus, generating nothing: what `mkdocs serve` builds when the corpus has problems
        from the start, so that the server comes up and shows them (counterpoint.liveproblems) until the
        corpus builds. Its hand-written pages are never shown: every page is the list of problems."""
        empty = Corpus((), (), (), ())
        build = cls(Site(empty, Urls(use_directory_urls)), site_url=site_url or "", root=project_dir)
        build._plan(build_matrix(empty))
        # The pages every site has (the indexes, the matrix), empty: the navigation and the links of the
        # hand-written pages still lead somewhere, so the build warns of nothing that is not wrong.
        build.files = {uri: GeneratedFile(uri, "" if file.page else b"") for uri, file in build.files.items()}
        return build

    def _plan(self, matrix: Matrix) -> None:
        site = self.site
        for index_page in texts_index_pages(site):
            self._page(index_page.src, lambda page=index_page: render_texts_index(site, page))  # type: ignore[misc]
        for text in site.corpus.texts:
            src = text_page(text.slug)
            self._page(
                src,
                lambda text=text: render_text_page(site, text),  # type: ignore[misc]
                inputs=lambda text=text: text_page_inputs(site, text),  # type: ignore[misc]
            )
            self._add(GeneratedFile(original_file(text.slug), text.source_bytes))
        self._add(GeneratedFile(ANNOTATIONS_JSONLD, self._annotations_jsonld()))
        self._plan_matrix(matrix)
        self._check_addresses()

    def _annotations_jsonld(self) -> str:
        """The JSON-LD export, under `mkdocs serve` made of the parts the last build kept where their inputs
        are unchanged: one text's passages, and the links (which read no note); a note edited makes
        one part again instead of the file (which was most of a warm rebuild's planning)."""
        site, base = self.site, self.site_url
        if self.pages is None:
            return annotations_jsonld(site, base)
        parts: list[Items] = [
            cached(
                self.pages,
                f"(json-ld) {run[0].text_slug}",
                lambda run=run: run_inputs(site, base, run),  # type: ignore[misc]
                lambda run=run: passage_items(site, base, run),  # type: ignore[misc]
            )()
            for run in passage_runs(site)
        ]
        parts.append(cached(self.pages, "(json-ld) links", lambda: self._but_notes, lambda: link_items(site, base))())
        return annotations_jsonld(site, base, parts)

    def _check_addresses(self) -> None:
        """Every generated file at an address of its own, checked all against all.

        The planning above stores files by source path; two that share one (a text whose slug is
        `index` and the texts index), or two paths MkDocs serves at one URL (`a/index.md`, `a.md`),
        would silently replace one another. The schema refuses the names known to do that; this
        check catches whatever the next page added to the site would make collide.
        """
        claimed: dict[str, str] = {}
        collisions: list[Problem] = []
        for src_uri in self._planned:
            url = self.site.urls.url(src_uri)
            other = claimed.get(url)
            if other is not None:
                collisions.append(
                    Problem(
                        "corpus",
                        None,
                        f"two generated pages would be published at `{url or '/'}`: `{other}` and `{src_uri}`; "
                        "one would replace the other.",
                        "Rename the text (its `slug:`) or the question (its `id:`) that makes this page.",
                    )
                )
            claimed[url] = src_uri
        if collisions:
            raise CorpusError(sorted(set(collisions)))

    def overwritten(self, hand_written: Iterable[str]) -> list[str]:
        """The hand-written pages and files (source paths in docs/) that a generated one would replace:
        the same path, or another path published at the same URL (`docs/texts/a/index.md`, `texts/a.md`)."""
        generated = {self.site.urls.url(src_uri) for src_uri in self.files}
        return sorted(src_uri for src_uri in hand_written if self.site.urls.url(src_uri) in generated)

    def _plan_matrix(self, matrix: Matrix) -> None:
        """The matrix, the questions, agreement, compare, and the matrix's downloads.

        The matrix was built (and its evidence checked) by `load_checked`, so that a stance
        without evidence stops the build before anything is written, with file and line.
        With many voices, the matrix and the questions run over several pages and compare
        fetches the voices it shows (see the limits in counterpoint/settings.py).
        """
        site = self.site
        pages = matrix_pages(matrix, site.limits)
        for matrix_page in pages:
            self._page(
                matrix_page.src,
                lambda page=matrix_page: render_matrix_page(site, matrix, page, pages),  # type: ignore[misc]
                WIDE_PAGE,
            )
        self._page(QUESTIONS_INDEX, lambda: render_questions_index(site, matrix))
        for question in matrix.questions:
            for part in question_pages(matrix, question, site.limits):
                self._page(
                    part.src,
                    lambda question=question, part=part: render_question_page(site, matrix, question, part),  # type: ignore[misc]
                )
        self._page(AGREEMENT, lambda: render_agreement_page(site, matrix), WIDE_PAGE)
        self._page(COMPARE, lambda: render_compare_page(site, matrix), NO_TOC)
        if not compare_embeds(matrix, site.limits):
            self._export(COMPARE_VOICES, lambda: compare_voice_list(site, matrix))
            for voice in matrix.voices:
                path = compare_voice_file(voice.id)
                self._export(path, lambda voice=voice: compare_voice_data(site, matrix, voice))  # type: ignore[misc]

        def downloads() -> tuple[str, str]:
            records = matrix.records(site.urls)
            return to_csv(records), to_json(matrix, records, self.site_url)

        csv, json = cached(self.pages, "downloads/", lambda: self._but_notes, downloads)()
        self._add(GeneratedFile(MATRIX_CSV, csv))
        self._add(GeneratedFile(MATRIX_JSON, json))

    def _page(
        self,
        src_uri: str,
        render: Callable[[], RenderedPage],
        front_matter: str = "",
        inputs: Callable[[], object] | None = None,
    ) -> None:
        """A page, rendered when MkDocs asks for it: through `pages` when there is one, reused if `inputs()`
        (by default what every page made from the matrix reads, `_but_notes`) equals its last rendering's."""
        but_notes = self._but_notes  # the value, not `self`: a page closing over its build would make a cycle
        read = inputs or (lambda: but_notes)
        self._add(GeneratedFile(src_uri, front_matter, cached(self.pages, src_uri, read, render)))

    def _export(self, path: str, make: Callable[[], str]) -> None:
        """A file made from the matrix, through `pages` as a page is."""
        self._add(GeneratedFile(path, cached(self.pages, path, lambda: self._but_notes, make)()))

    def _add(self, generated: GeneratedFile) -> None:
        self._planned.append(generated.src_uri)
        self.files[generated.src_uri] = generated

    @property
    def text_pages(self) -> list[str]:
        return [text_page(t.slug) for t in self.site.corpus.texts]

    @property
    def nav_lists_texts(self) -> bool:
        return len(self.site.corpus.texts) <= self.site.limits.nav_texts

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
