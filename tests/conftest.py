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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`--dist loadgroup`, as scripts/test runs the suite), the tests that use a
    module-scoped fixture (most build a site) go to one worker, which makes the fixture once; every
    other test goes to whichever worker is free. (Session-scoped ones are made once per worker: the
    real corpus's site, the browser, the matrix fixture's site, a second or two each.)"""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        if any(defs[-1].scope == "module" for defs in info.name2fixturedefs.values() if defs):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
