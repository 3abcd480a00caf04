"""The pages a serve rebuild reuses (counterpoint/pagecache.py): an unchanged page is not rendered again, a
page that reads what changed is.

The builds run in this process, as `mkdocs serve` runs its rebuilds (see tests/test_rebuild_cache.py);
the renderers are wrapped to see which pages are rendered. That the rebuilt site is byte for byte the
clean build's is tests/test_serve_rebuilds.py's to check.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

import counterpoint.build
from counterpoint.pagecache import TEXT_UNREAD, UNREAD, Outputs, PageCache
from counterpoint.render.common import RenderedPage
from sitebuild import FIXTURES, REPO, prepare

PACKAGE = Path(counterpoint.build.__file__).parent


def _serve_build(project: Path) -> None:
    config = load_config(config_file=str(project / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages rendered (text pages by slug, question pages by id), in order, since the last clear()."""
    calls: list[str] = []

    def recording(name: str, key: Callable[..., str]) -> None:
        original = getattr(counterpoint.build, name)

        def wrapper(*args: Any) -> Any:
            calls.append(key(*args))
            return original(*args)

        monkeypatch.setattr(counterpoint.build, name, wrapper)

    recording("render_text_page", lambda site, text: f"text:{text.slug}")
    recording("render_question_page", lambda site, matrix, question, part: f"question:{question.id}")
    recording("render_matrix_page", lambda site, matrix, page, pages: f"matrix:{page.src}")
    return calls


def _edit(path: Path, old: str, new: str) -> None:
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")


def test_a_note_edited_renders_the_pages_that_show_it_and_no_other(tmp_path: Path, rendered: list[str]) -> None:
    project = prepare(FIXTURES / "matrix", tmp_path)
    _serve_build(project)
    assert "text:alpha" in rendered and any(call.startswith("question:") for call in rendered)
    everything = len(rendered)

    rendered.clear()
    _serve_build(project)
    assert rendered == []  # nothing changed: every page is its last rendering

    annotations = project / "corpus" / "annotations" / "alpha.yml"
    _edit(annotations, "  - id: alpha-sky\n", "  - id: alpha-sky\n    note: Edited while served.\n")
    rendered.clear()
    _serve_build(project)
    # The text the note is on; another text's page lists alpha's passages (their lines in the file moved).
    assert "text:alpha" in rendered
    assert set(rendered) <= {"text:alpha", "text:beta"}, rendered
    assert len(rendered) < everything
    page = (project / "site" / "texts" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "Edited while served." in page


def test_a_stance_changed_renders_the_question_and_matrix_pages_again(tmp_path: Path, rendered: list[str]) -> None:
    project = prepare(FIXTURES / "matrix", tmp_path)
    _serve_build(project)
    annotations = project / "corpus" / "annotations" / "alpha.yml"
    _edit(annotations, "    stances:\n      water: wet\n", "    stances:\n      water: dry\n")
    rendered.clear()
    _serve_build(project)
    assert "question:water" in rendered and "text:alpha" in rendered
    assert any(call.startswith("matrix:") for call in rendered)


def test_a_word_edited_in_an_original_renders_text_pages_only(tmp_path: Path, rendered: list[str]) -> None:
    """A word that moves no quote: the question and matrix pages cite the passages, not the text's words.
    Text pages that show some of alpha's (the pages linked to it, its neighbours) are made again."""
    project = prepare(FIXTURES / "matrix", tmp_path)
    _serve_build(project)
    _edit(project / "corpus" / "texts" / "alpha.txt", "The sky is blue.", "The sky is blue. Edited while served.")
    rendered.clear()
    _serve_build(project)
    assert "text:alpha" in rendered and all(call.startswith("text:") for call in rendered), rendered
    page = (project / "site" / "texts" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "Edited while served." in page


REPLAYED = re.compile(r"Pages: .*; (\d+) written from their last output\.")


def _replayed(project: Path, caplog: pytest.LogCaptureFixture) -> int:
    """A serve build; how many pages it wrote from their last output (the plugin's INFO line)."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        _serve_build(project)
    [count] = [int(m[1]) for record in caplog.records if (m := REPLAYED.search(record.getMessage()))]
    return count


def test_a_page_is_written_from_its_last_output_until_the_theme_or_the_configuration_changes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = prepare(FIXTURES / "matrix", tmp_path)
    shutil.copytree(REPO / "overrides", project / "overrides")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(REPO / "overrides"), "overrides"), "utf-8")
    page = project / "site" / "texts" / "gamma" / "index.html"
    assert _replayed(project, caplog) == 0
    assert _replayed(project, caplog) > 0

    main = project / "overrides" / "main.html"
    _edit(main, '<meta name="twitter:card" content="summary">', '<meta name="twitter:card" content="edited">')
    assert _replayed(project, caplog) == 0
    assert 'content="edited"' in page.read_text(encoding="utf-8")
    assert _replayed(project, caplog) > 0

    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    config.write_text(yaml.safe_dump({**settings, "copyright": "Edited while served."}), encoding="utf-8")
    assert _replayed(project, caplog) == 0
    assert "Edited while served." in page.read_text(encoding="utf-8")

    # A setting in a parent the configuration inherits from (INHERIT:) reaches every page too.
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    (project / "base.yml").write_text(yaml.safe_dump({"copyright": "From the parent."}), encoding="utf-8")
    del settings["copyright"]
    config.write_text(yaml.safe_dump({"INHERIT": "base.yml", **settings}), encoding="utf-8")
    assert _replayed(project, caplog) == 0
    assert "From the parent." in page.read_text(encoding="utf-8")
    assert _replayed(project, caplog) > 0
    (project / "base.yml").write_text(yaml.safe_dump({"copyright": "Edited in the parent."}), encoding="utf-8")
    assert _replayed(project, caplog) == 0
    assert "Edited in the parent." in page.read_text(encoding="utf-8")


def test_mkdocs_build_renders_every_page(tmp_path: Path, rendered: list[str]) -> None:
    project = prepare(FIXTURES / "matrix", tmp_path)
    _serve_build(project)
    first = sorted(rendered)
    rendered.clear()
    config = load_config(config_file=str(project / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    assert sorted(rendered) == first


def test_the_cache_gives_back_a_rendering_only_for_equal_inputs() -> None:
    cache = PageCache()
    made: list[str] = []

    def render(html: str) -> Callable[[], RenderedPage]:
        def make() -> RenderedPage:
            made.append(html)
            return RenderedPage(html, "t", "d")

        return make

    first = cache.get_or_render("a.md", ("x", 1), render("one"))
    assert cache.get_or_render("a.md", ("x", 1), render("two")) is first
    assert cache.get_or_render("a.md", ("x", 2), render("three")).html == "three"
    assert made == ["one", "three"] and (cache.hits, cache.misses) == (1, 2)
    cache.get_or_render("b.md", (), render("four"))
    assert cache.forget_unused() == 0  # both asked for since the last call
    cache.get_or_render("b.md", (), render("five"))
    assert cache.forget_unused() == 1 and len(cache) == 1


def test_shared_hands_back_the_equal_value_of_the_last_build() -> None:
    cache = PageCache()
    first = cache.shared("k", (1, ("a", "b")))
    again = cache.shared("k", (1, ("a", "b")))
    assert again is first
    other = cache.shared("k", (2,))
    assert other == (2,) and cache.shared("k", (2,)) is other


# What pagecache.UNREAD claims: only the text page (and the JSON-LD export, whose parts are cached per text
# on their own inputs) reads a passage's note or the words around its quote, and no page reads where in
# its file a passage or relation was written. What TEXT_UNREAD claims: only the text page reads a text's
# words, its file or its omissions; of its blocks the other pages read the paragraph number
# (site.Site.paragraph), and the matrix reads the words only to check the evidence, which fails the build.
READERS_OF_NOTES = {"render/text_page.py", "templates/text.html", "export.py", "search_index.py"}
READERS_OF_WORDS = {"render/text_page.py", "templates/text.html", "site.py", "matrix.py"}
PAGE_SOURCES = [*sorted(PACKAGE.glob("render/*.py")), *sorted(PACKAGE.glob("templates/*.html"))]
PAGE_SOURCES += [PACKAGE / "graph.py", PACKAGE / "site.py", PACKAGE / "matrix.py", PACKAGE / "export.py"]


@pytest.mark.parametrize("source", PAGE_SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_cached_page_reads_what_its_key_leaves_out(source: Path) -> None:
    assert {"note", "file", "line", "prefix", "suffix"} == UNREAD
    assert {"blocks", "source_bytes", "source_path", "omissions"} == TEXT_UNREAD
    text = source.read_text(encoding="utf-8")
    relative = source.relative_to(PACKAGE).as_posix()
    if relative not in READERS_OF_NOTES:
        assert not re.search(r"\.note\b", text), f"{relative} reads a note: add it to the page keys"
    if relative != "matrix.py":  # the matrix names a passage's file and line in the problems it finds only
        assert not re.search(r"(passage|relation|p|r)\.(file|line)\b", text), f"{relative} reads a file or line"
    if relative != "export.py":  # its passages' parts are cached on keys of their own (export.run_inputs)
        assert not re.search(r"\.(prefix|suffix)\b", text), f"{relative} reads the words around a quote"
    if relative not in READERS_OF_WORDS:
        words = re.search(r"\.(blocks|shown_blocks|source_bytes|source_path|omissions)\b", text)
        assert not words, f"{relative} reads a text's {words and words[1]}: add it to pagecache.corpus_but_notes"


def test_an_output_is_kept_without_the_content_it_holds_and_given_back_whole() -> None:
    outputs = Outputs()
    outputs.keep("a.md", ("k", 1), "<html><main>the content</main></html>", "the content")
    outputs.keep("b.md", ("k", 1), "<html>rewritten</html>", "not printed as it is")
    assert outputs.lookup("a.md", ("k", 1), "the content") == "<html><main>the content</main></html>"
    assert outputs.lookup("b.md", ("k", 1), "not printed as it is") == "<html>rewritten</html>"
    assert outputs.lookup("a.md", ("k", 2), "the content") is None
    assert outputs.hits == 2
