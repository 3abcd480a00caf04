"""The pictures as the pages show them: the voice map on the agreement page, an argument map on each question's.

Links are made relative to the page showing the picture, as everywhere else;
the figure's words (what it shows, how it is computed, its legend) are in
counterpoint/templates/_maps.html. The pages call `voice_map_figure` and
`argument_map_figure`, and nothing else of this module.
"""

from __future__ import annotations

from markupsafe import Markup

from ..argument_map import ArgumentMap, build_argument_map
from ..matrix import Matrix
from ..model import Question, RelationType, Voice
from ..site import MATRIX, Site, question_page
from ..voice_map import JoinKind, VoiceMap, build_voice_map
from . import environment
from .argument_map_svg import NodeView, argument_map_svg
from .pagination import Page
from .svg_maps import (
    NARROW_VOICE_MAP,
    RELATION_DASH,
    RELATION_WORDS,
    WIDE_VOICE_MAP,
    VoicePoint,
    voice_map_svg,
)

MATRIX_COLUMN = "cp-col-"
"""The id of a voice's column head in the matrix is this, then the voice's id."""


def matrix_column_links(site: Site, src: str, pages: list[Page[Voice]]) -> dict[str, str]:
    """Each voice's column in the matrix (on whichever of its pages holds it), linked from `src`."""
    links: dict[str, str] = {}
    for page in pages:
        for voice in page.items:
            links[voice.id] = site.urls.link(src, page.src, MATRIX_COLUMN + voice.id)
    return links


def voice_map_figure(
    site: Site,
    matrix: Matrix,
    src: str,
    matrix_pages: list[Page[Voice]],
    compare: str,
    voice_map: VoiceMap | None = None,
) -> Markup:
    """The map of the voices, with its text alternative, legend, list and explanation."""
    voice_map = voice_map or build_voice_map(matrix, site.limits.map_voices)
    columns = matrix_column_links(site, src, matrix_pages)
    points = [
        VoicePoint(p.voice, site.voice_text(p.voice), columns[p.voice.id], p.x, p.y, p.addressed)
        for p in voice_map.placed
    ]
    caption = "cp-voice-map-caption"
    unplaced = [(voice, site.voice_text(voice), count, columns[voice.id]) for voice, count in voice_map.unplaced]
    listed = [(p, compare_href(compare, p.voice.id)) for p in points]
    return Markup(
        environment()
        .get_template("_maps.html")
        .module.voice_map(  # type: ignore[attr-defined]
            voice_map=voice_map,
            wide=voice_map_svg(voice_map, points, WIDE_VOICE_MAP, "wide", caption),
            narrow=voice_map_svg(voice_map, points, NARROW_VOICE_MAP, "narrow", caption),
            caption=caption,
            listed=listed,
            unplaced=unplaced[:UNPLACED_LISTED],
            unplaced_more=max(len(unplaced) - UNPLACED_LISTED, 0),
            matrix_href=site.urls.link(src, MATRIX),
            compare_href=compare,
            min_addressed=voice_map.min_addressed,
            limit=voice_map.limit,
            agree=sum(1 for j in voice_map.joins if j.kind is JoinKind.AGREE),
            oppose=sum(1 for j in voice_map.joins if j.kind is JoinKind.OPPOSE),
        )
    )


UNPLACED_LISTED = 40
"""At most this many voices listed beside the map as addressing too few questions; the rest are counted."""


def compare_href(compare: str, voice_id: str) -> str:
    return f"{compare}?a={voice_id}"


ARGUMENT_MAP_BYTES = 32_000
"""Above this, the two drawings of an argument map (wide and narrow) give way to the narrow one alone, shown at
every width: a question with many voices and links stays within the page's size."""
QUESTION_MAP_BYTES = ARGUMENT_MAP_BYTES + 3_000
"""What the argument map, its caption and legend take on the first page of a question, at most."""


def argument_map_figure(site: Site, matrix: Matrix, question: Question, src: str) -> Markup:
    """The argument map of a question, with its text alternative and legend."""
    per_stance = site.limits.argument_map_voices_per_stance
    argument_map: ArgumentMap = build_argument_map(site.corpus, matrix, question, per_stance)
    views = {
        node.key: NodeView(node, site.voice_text(node.voice), site.passage_link(src, node.passage))
        for node in argument_map.nodes
    }
    first = question_page(question.id)

    def more(stance_id: str) -> str:
        return site.urls.link(src, first, f"stance-{stance_id}")

    caption = f"cp-argument-map-caption-{question.id}"
    kinds = [
        (kind, RELATION_WORDS[kind], RELATION_DASH[kind], sum(1 for a in argument_map.arrows if a.type is kind))
        for kind in RelationType
    ]
    wide = argument_map_svg(argument_map, views, more, True, caption)
    narrow = argument_map_svg(argument_map, views, more, False, caption)
    if len(wide) + len(narrow) > ARGUMENT_MAP_BYTES:
        # Drawn once, one stance under another, at every width.
        wide = Markup("")
    return Markup(
        environment()
        .get_template("_maps.html")
        .module.argument_map(  # type: ignore[attr-defined]
            argument_map=argument_map,
            wide=wide,
            narrow=narrow,
            caption=caption,
            kinds=kinds,
            hidden_voices=sum(g.hidden for g in argument_map.groups),
        )
    )


__all__ = ["QUESTION_MAP_BYTES", "argument_map_figure", "matrix_column_links", "voice_map_figure"]
