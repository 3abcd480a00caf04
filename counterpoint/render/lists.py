"""Lists of texts: on the home page and on the texts index."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from ..model import Text
from ..site import TEXTS_INDEX, text_page
from . import environment
from .common import RenderedPage, Site, TocEntry


def text_list(site: Site, from_src: str, texts: Sequence[Text], heading_level: int = 3) -> Markup:
    items = [(text, site.urls.link(from_src, text_page(text.slug))) for text in texts]
    return Markup(
        environment()
        .get_template("text_list.html")
        .render(items=items, heading_level=heading_level, more_link="", total=len(site.corpus.texts))
    )


def render_texts_index(site: Site) -> RenderedPage:
    count = len(site.corpus.texts)
    voices = len(site.corpus.voices)
    intro = Markup(
        f'<h1 id="cp-title">Texts</h1>\n<p class="cp-lede">{count} texts, {voices} voices, '
        "in the order they were published (texts whose day is not known come after the dated texts of their month).</p>"
    )
    html = intro + text_list(site, TEXTS_INDEX, site.corpus.texts, heading_level=2)
    return RenderedPage(
        html,
        "Texts",
        f"The {count} texts of the debate, with their voices.",
        [TocEntry(1, "cp-title", "Texts")],
        {"cp-title"},
    )
