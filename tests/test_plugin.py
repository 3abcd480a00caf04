"""The texts join the navigation through its configuration (counterpoint/navconfig.py), and the
plugin object that does it (counterpoint/mkdocs_plugin.py) uses MkDocs' public API only and keeps
nothing of a build once it ended."""

from __future__ import annotations

import ast
import gc
import sys
from pathlib import Path
from typing import Any

from counterpoint.mkdocs_plugin import CounterpointPlugin
from counterpoint.navconfig import with_texts
from sitebuild import FIXTURES, REPO, build, prepare

INDEX = "texts/index.md"
PAGES = ["texts/a.md", "texts/b.md"]


def test_the_index_entry_becomes_a_section_headed_by_the_index_under_its_own_title() -> None:
    nav: list[Any] = ["index.md", {"Readings": INDEX}, {"About": ["method.md"]}]
    assert with_texts(nav, INDEX, PAGES) == [
        "index.md",
        {"Readings": [{"Readings": INDEX}, *PAGES]},
        {"About": ["method.md"]},
    ]
    assert nav == ["index.md", {"Readings": INDEX}, {"About": ["method.md"]}], "the configuration is not changed"


def test_a_bare_or_nested_index_entry_and_a_mapping_of_several_titles() -> None:
    assert with_texts([INDEX], INDEX, PAGES) == [{"Texts": [INDEX, *PAGES]}]
    nested: list[Any] = [{"Read": ["index.md", {"All": INDEX}]}]
    assert with_texts(nested, INDEX, PAGES) == [{"Read": ["index.md", {"All": [{"All": INDEX}, *PAGES]}]}]
    several: list[Any] = [{"Home": "index.md", "Texts": INDEX}]
    assert with_texts(several, INDEX, PAGES) == [{"Home": "index.md", "Texts": [{"Texts": INDEX}, *PAGES]}]


def test_only_the_first_entry_of_the_index_a_lists_own_entries_first() -> None:
    nav: list[Any] = [{"Deep": [{"Nested": INDEX}]}, {"Top": INDEX}]
    assert with_texts(nav, INDEX, PAGES) == [{"Deep": [{"Nested": INDEX}]}, {"Top": [{"Top": INDEX}, *PAGES]}]


def test_a_nav_without_the_index_is_left_as_it_was() -> None:
    assert with_texts(["index.md", {"About": ["method.md"]}], INDEX, PAGES) == ["index.md", {"About": ["method.md"]}]


def _mkdocs_imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of each import from MkDocs in `path`; name is "" for `import mkdocs...`."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "mkdocs":
            found += [(node.module or "", alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names if alias.name.split(".")[0] == "mkdocs"]
    return found


def test_only_the_plugin_module_imports_mkdocs_and_nothing_private() -> None:
    """The core stays free of MkDocs (README, How it is made); the adapter uses its public API only."""
    importing = {
        path.relative_to(REPO).as_posix()
        for path in [*(REPO / "counterpoint").rglob("*.py"), *(REPO / "hooks").glob("*.py")]
        if _mkdocs_imports(path)
    }
    assert importing == {"counterpoint/mkdocs_plugin.py"}
    private = [
        (module, name)
        for module, name in _mkdocs_imports(REPO / "counterpoint" / "mkdocs_plugin.py")
        if name.startswith("_") or any(part.startswith("_") for part in module.split("."))
    ]
    assert not private


def test_the_plugin_keeps_no_corpus_and_nothing_frozen_after_builds(tmp_path: Path) -> None:
    """The hook module, and so its plugin object, lives as long as the process (as under `mkdocs serve`)."""
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    assert build(project).ok
    edition = project / "corpus" / "texts" / "debate.yml"
    edition.write_text(edition.read_text(encoding="utf-8") + "unknown_key: 1\n", encoding="utf-8")
    assert not build(project).ok
    plugin = sys.modules[str(REPO / "hooks" / "counterpoint_hook.py")]._plugin
    assert plugin.current is None, "a failed build leaves no state"
    edition.write_text(edition.read_text(encoding="utf-8").replace("unknown_key: 1\n", ""), encoding="utf-8")
    again = build(project)
    assert again.ok, again.log
    assert plugin.current is not None and plugin.current.planned is None, "the corpus is let go once written"
    assert gc.get_freeze_count() == 0


def test_only_the_first_build_of_mkdocs_serve_may_start_without_a_site() -> None:
    """A corpus problem ends `mkdocs build` (and `serve --clean`, whose plugins start as "build"), but not
    the first build of `mkdocs serve`, whose pages list the problems; later rebuilds fail over the last site."""
    plugin = CounterpointPlugin()
    plugin.on_startup(command="build", dirty=False)
    assert not plugin._may_start_without_a_site()
    plugin.on_startup(command="serve", dirty=False)
    assert plugin._may_start_without_a_site()
    plugin.serving = True  # as on_serve leaves it
    assert not plugin._may_start_without_a_site()
