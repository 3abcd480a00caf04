from __future__ import annotations

from pathlib import Path

import pytest

# The browser tests' fixtures: one server, one Chromium, a guarded context per page (tests/browser.py).
from browser import browser, matrix_fixture_url, open_page, page, site_server, site_url  # noqa: F401

from sitebuild import Built, build_repo


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real corpus built once with the real configuration, shared by the tests that only read it."""
    built = build_repo(tmp_path_factory.mktemp("repo-site"))
    assert built.ok, built.log
    return built


@pytest.fixture
def fixtures_dir() -> Path:
    return Path(__file__).parent / "fixtures"


LONGEST_FIRST = (
    "tests/test_serve_rebuilds.py",
    "tests/test_browser_privacy.py",
    "tests/test_browser_live.py",
    "tests/test_command_paths.py",
    "tests/test_robust_inputs.py",
    "tests/test_browser_a11y.py",
    "tests/test_browser_layout.py",
    "tests/test_browser_search.py",
)
"""The files whose tests take longest (15 to 30 s each for the first, several seconds for the others,
measured with --durations), run first: xdist hands tests out in the order they are collected, and in
file order these came last, leaving two of the three workers idle for the last 40 to 50 s of a run."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`--dist loadgroup`, as scripts/test runs the suite), the tests that use a
    module-scoped fixture (most build a site) go to one worker, which makes the fixture once; every
    other test goes to whichever worker is free. (Session-scoped ones are made once per worker: the
    real corpus's site, the browser, the matrix fixture's site, a second or two each.) The files of
    LONGEST_FIRST are collected first, each file's tests kept together and in their order."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        if any(defs[-1].scope == "module" for defs in info.name2fixturedefs.values() if defs):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))

    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the other files, and the tests within each file, keep their order
