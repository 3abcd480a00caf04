"""Lists of texts: on the home page and on the (paginated) texts index."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from ..model import Text
from ..site import TEXTS_INDEX, Site, text_page
from . import environment
from .common import RenderedPage, TocEntry
from .pagination import Page, page_links, paginate


def text_list(site: Site, from_src: str, texts: Sequence[Text], heading_level: int = 3, start: int = 1) -> Markup:
    items = [(text, site.urls.link(from_src, text_page(text.slug))) for text in texts]
    return Markup(
        environment().get_template("text_list.html").render(items=items, heading_level=heading_level, start=start)
    )


def home_text_list(site: Site, from_src: str) -> Markup:
    texts = site.corpus.texts
    limit = site.limits.home_texts
    listed = text_list(site, from_src, texts[:limit])
    if len(texts) <= limit:
        return listed
    more = site.urls.link(from_src, TEXTS_INDEX)
    return listed + Markup('<p class="cp-more"><a href="{}">All {} texts</a></p>').format(more, len(texts))


def texts_index_pages(site: Site) -> list[Page[Text]]:
    return paginate(site.corpus.texts, TEXTS_INDEX, site.limits.texts_per_page)


def render_texts_index(site: Site, page: Page[Text]) -> RenderedPage:
    count = len(site.corpus.texts)
    voices = len(site.corpus.voices)
    title = "Texts" if page.count == 1 else f"Texts, page {page.number} of {page.count}"
    html = (
        environment()
        .get_template("texts_index.html")
        .render(
            title=title,
            count=count,
            voices=voices,
            listing=text_list(site, page.src, page.items, heading_level=2, start=page.first_index + 1),
            pages=page_links(site.urls, page.src, [p.src for p in texts_index_pages(site)], page.number),
            current=page.number,
        )
    )
    return RenderedPage(
        Markup(html),
        title,
        f"The {count} texts of the debate, with their voices, in the order they were published.",
        [TocEntry(1, "cp-title", title)],
        {"cp-title"},
    )
