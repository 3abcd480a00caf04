"""The matrix: every voice (columns) on every question (rows), over pages when the voices are many."""

from __future__ import annotations

from collections.abc import Sequence

from ..matrix import Matrix
from ..model import Voice
from ..settings import DEFAULTS, Limits
from ..site import MATRIX, Site, text_page
from .common import RenderedPage, TocEntry, nest_toc
from .matrix_views import ORDER_NOTE, cell_view, nav, render, utf8_len, voice_head
from .pagination import Page, page_links, paginate, paginate_by_size


def _column_size(matrix: Matrix, voice: Voice) -> int:
    """About how many bytes of HTML a voice's column of the matrix takes (measured on matrix.html's markup)."""
    title = matrix.corpus.text_by_slug[voice.text_slug].title
    names = 2 * utf8_len(voice.short) + 2 * utf8_len(voice.id)
    size = 250 + utf8_len(voice.short)
    for question in matrix.questions:
        cell = matrix.cell(voice.id, question.id)
        if not cell.held:
            size += 150 + utf8_len(voice.short) + utf8_len(question.short)
        for held in cell.held:
            size += 650 + names + utf8_len(held.evidence.exact) + utf8_len(title) + utf8_len(held.stance.label)
            size += utf8_len(voice.text_slug) + utf8_len(question.short)
    return size


def matrix_pages(matrix: Matrix, limits: Limits = DEFAULTS) -> list[Page[Voice]]:
    """The pages of the matrix: every voice on one page up to `limits.matrix_one_page_voices`, else pages
    of about `limits.matrix_page_bytes`."""
    if len(matrix.voices) <= limits.matrix_one_page_voices:
        return paginate(matrix.voices, MATRIX, max(len(matrix.voices), 1))
    weight = lambda voice: _column_size(matrix, voice)  # noqa: E731
    return paginate_by_size(matrix.voices, MATRIX, limits.matrix_page_bytes, weight)


def render_matrix_page(
    site: Site, matrix: Matrix, page: Page[Voice] | None = None, pages: Sequence[Page[Voice]] = ()
) -> RenderedPage:
    """One page of the matrix (the first by default) among `pages` (`matrix_pages`): its voices on every question."""
    pages = pages or matrix_pages(matrix, site.limits)
    page = page or pages[0]
    src = page.src
    heads = [voice_head(site, matrix, src, v) for v in page.items]
    rows = [
        (
            question,
            site.question_link(src, question.id),
            [cell_view(site, src, matrix.cell(v.id, question.id)) for v in page.items],
        )
        for question in matrix.questions
    ]
    voices = len(matrix.voices)
    paginated = page.count > 1
    dates = [site.voice_text(page.items[0]).date, site.voice_text(page.items[-1]).date] if paginated else []
    html = render(
        "matrix.html",
        heads=heads,
        rows=rows,
        links=nav(site, src),
        order_note=ORDER_NOTE,
        voices=voices,
        addressed=matrix.addressed_total(),
        total=voices * len(matrix.questions),
        url_example=f"{site.urls.url(text_page('<text>'))}#<passage>",
        paginated=paginated,
        page=page,
        dates=dates if all(dates) else [],
        pages=page_links(site.urls, src, [p.src for p in pages], page.number),
    )
    toc = [
        TocEntry(1, "cp-title", "Every voice on every question"),
        TocEntry(2, "cp-matrix-reading", "Reading the matrix"),
        TocEntry(2, "cp-downloads", "Downloads"),
    ]
    title = "Matrix: every voice on every question"
    description = (
        f"The stance of each of the {voices} voices on each of the {len(matrix.questions)} questions "
        "of the debate, in the texts' own terms, with the voice's own words."
    )
    if paginated:
        shown = f"voices {page.first_index + 1:,}–{page.last_index + 1:,} of {voices:,}"
        title = f"{title} ({shown})"
        description = f"Page {page.number} of {page.count} of the matrix, {shown}: {description}"
    return RenderedPage(html, title, description, nest_toc(toc), {entry.id for entry in toc})
