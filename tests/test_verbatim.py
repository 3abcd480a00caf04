"""The author's words as HTML: escaped, formatted from the allow-list only, highlights well nested.

The property tests render random runs (random formatting, characters that need
escaping, line breaks) with random overlapping and nested highlights, parse the
HTML back and check that it is well formed and that every character is shown
once, in order, inside exactly its own formatting and the highlights covering it,
with each passage's anchor at its start and its marker at its end, never inside
the author's link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.model import Link, Run, Style
from counterpoint.render.verbatim import Highlight, escape_text, render_runs

VOID = {"br"}


@dataclass
class Parsed:
    chars: list[tuple[str, tuple[tuple[str, dict[str, str]], ...]]] = field(default_factory=list)
    """Each visible character (a <br> counts as "\\n") with the elements open around it."""
    anchors: dict[str, int] = field(default_factory=dict)
    """Passage id -> number of characters before its anchor."""
    markers: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)
    """Passage id -> (characters before its marker, names of the elements open around it)."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.parsed = Parsed()
        self.in_marker: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "br":
            self.handle_data("\n")
            return
        if tag == "span" and attributes.get("class") == "cp-anchor":
            assert attributes["id"] not in self.parsed.anchors, "two anchors for one passage"
            self.parsed.anchors[attributes["id"]] = len(self.parsed.chars)
        if tag == "sup" and attributes.get("class") == "marker":
            pid = attributes["data-for"]
            assert pid not in self.parsed.markers, "two markers for one passage"
            self.parsed.markers[pid] = (len(self.parsed.chars), tuple(name for name, _ in self.stack))
            self.in_marker = pid
        self.stack.append((tag, attributes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in VOID, f"<{tag}/>"
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"</{tag}>"
        assert self.stack, f"</{tag}> closes nothing"
        opened, _ = self.stack.pop()
        assert opened == tag, f"</{tag}> closes <{opened}>: the HTML is not well nested"
        if tag == "sup" and self.in_marker is not None and not any(n == "sup" for n, _ in self.stack):
            self.in_marker = None

    def handle_data(self, data: str) -> None:
        if self.in_marker is not None:
            return
        frozen = tuple((name, dict(attrs)) for name, attrs in self.stack)
        self.parsed.chars.extend((char, frozen) for char in data)


def read(html: str) -> Parsed:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert reader.stack == [], f"unclosed: {reader.stack}"
    return reader.parsed


def marker(pid: str) -> str:
    return f'<sup class="marker" data-for="{pid}"><a href="#fn:{pid}">{pid}</a></sup>'


def styles_of(open_elements: tuple[tuple[str, dict[str, str]], ...]) -> list[Style]:
    found: list[Style] = []
    for name, attrs in open_elements:
        if name == "a":
            assert attrs["class"] == "cp-source-link" and attrs["rel"] == "nofollow noopener noreferrer"
            found.append(Link(attrs["href"]))
        elif name in ("em", "strong", "sup"):
            found.append(name)
    return found


def check(runs: list[Run], highlights: list[Highlight]) -> None:
    html = render_runs(runs, highlights)
    parsed = read(html)
    text = "".join(r.text for r in runs)
    assert "".join(c for c, _ in parsed.chars) == text
    position = 0
    for run in runs:
        for offset in range(len(run.text)):
            _, open_elements = parsed.chars[position + offset]
            assert styles_of(open_elements) == list(run.styles), (run, html)
            marks = [attrs for name, attrs in open_elements if name == "mark"]
            assert len(marks) <= 1, "highlights are one <mark> per piece, never nested"
            covering = {h.passage_id for h in highlights if h.start <= position + offset < h.end}
            ids = set(marks[0]["data-p"].split()) if marks else set()
            assert ids == covering, (position + offset, html)
            if marks:
                assert marks[0]["class"] == f"cp-hl cp-hl-{min(len(ids), 3)}"
        position += len(run.text)
    for h in highlights:
        assert parsed.anchors[h.passage_id] == h.start
        at, around = parsed.markers[h.passage_id]
        assert at == h.end
        assert "a" not in around, f"the marker of {h.passage_id} is inside the author's link: {html}"


# ---------------------------------------------------------------------------
# Examples


def test_every_character_is_escaped() -> None:
    assert escape_text("<script>alert('x')</script> & \"q\"") == "&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"q\""
    assert render_runs([Run("<img src=x onerror=alert(1)>&amp;")]) == "&lt;img src=x onerror=alert(1)&gt;&amp;amp;"


def test_control_characters_are_shown_not_dropped_and_other_characters_kept() -> None:
    assert escape_text("a\x07b") == 'a<span class="cp-ctrl" title="control character U+0007">␇</span>b'
    assert escape_text("\x7f") == '<span class="cp-ctrl" title="control character U+007F">␡</span>'
    assert escape_text("tab\tnew\nline \u202eRTL\u200d") == "tab\tnew\nline \u202eRTL\u200d"


def test_formatting_and_link_addresses_are_escaped() -> None:
    runs = [
        Run("a", ("em",)),
        Run("b", ("em", "strong")),
        Run("\n", (), 2, is_break=True),
        Run("2", ("sup",)),
        Run("x<y", (Link('https://e.org/?a=1&b="2"'),)),
    ]
    assert render_runs(runs) == (
        "<em>a<strong>b</strong></em><br><sup>2</sup>"
        '<a class="cp-source-link" href="https://e.org/?a=1&amp;b=&quot;2&quot;" rel="nofollow noopener noreferrer">'
        "x&lt;y</a>"
    )


def test_nested_highlights() -> None:
    html = render_runs([Run("abc def")], [Highlight("p1", 0, 7, "[1]"), Highlight("p2", 4, 7, "[2]")])
    assert html == (
        '<span class="cp-anchor" id="p1"></span><mark class="cp-hl cp-hl-1" data-p="p1">abc </mark>'
        '<span class="cp-anchor" id="p2"></span><mark class="cp-hl cp-hl-2" data-p="p1 p2">def</mark>[1][2]'
    )


def test_overlapping_highlights() -> None:
    html = render_runs([Run("abc def")], [Highlight("p1", 0, 5, "[1]"), Highlight("p2", 2, 7, "[2]")])
    assert html == (
        '<span class="cp-anchor" id="p1"></span><mark class="cp-hl cp-hl-1" data-p="p1">ab</mark>'
        '<span class="cp-anchor" id="p2"></span><mark class="cp-hl cp-hl-2" data-p="p1 p2">c d</mark>[1]'
        '<mark class="cp-hl cp-hl-1" data-p="p2">ef</mark>[2]'
    )


def test_a_marker_inside_a_link_splits_the_link_around_it() -> None:
    link = Link("https://e.org")
    runs = [Run("Allowed "), Run("ok", (link,))]
    highlights = [Highlight("p1", 3, 9, marker("p1"))]
    check(runs, highlights)
    html = render_runs(runs, highlights)
    assert html.count('<a class="cp-source-link"') == 2
    assert "</a>" + marker("p1") + '<a class="cp-source-link"' in html


def test_highlights_over_line_breaks_and_formatting() -> None:
    runs = [Run("a"), Run("\n", (), 2, is_break=True), Run("b", ("em",)), Run("c", ("em", "strong"))]
    check(runs, [Highlight("p1", 0, 3, marker("p1")), Highlight("p2", 1, 4, marker("p2"))])


def test_identical_and_empty_bounds() -> None:
    runs = [Run("same words")]
    check(
        runs, [Highlight("a", 0, 4, marker("a")), Highlight("b", 0, 4, marker("b")), Highlight("c", 5, 10, marker("c"))]
    )


# ---------------------------------------------------------------------------
# Properties

STYLES: list[Style] = ["em", "strong", "sup", Link("https://example.org/?q=<&>")]


@st.composite
def runs_and_highlights(draw: st.DrawFn) -> tuple[list[Run], list[Highlight]]:
    runs: list[Run] = []
    for line in range(1, draw(st.integers(1, 6)) + 1):
        if bool(runs) and draw(st.booleans()):
            runs.append(Run("\n", (), line, is_break=True))
        picked = draw(st.lists(st.sampled_from(range(len(STYLES))), unique=True, max_size=3))
        text = draw(st.text(alphabet="ab <>&\"'", min_size=1, max_size=6))
        runs.append(Run(text, tuple(STYLES[i] for i in picked), line))
    length = sum(len(r.text) for r in runs)
    highlights = []
    for number in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, length))
        pid = f"p{number}"
        highlights.append(Highlight(pid, start, end, marker(pid)))
    return runs, highlights


@settings(max_examples=300, deadline=None)
@given(runs_and_highlights())
def test_random_runs_and_highlights_render_well_formed_and_faithful(case: tuple[list[Run], list[Highlight]]) -> None:
    runs, highlights = case
    check(runs, highlights)
