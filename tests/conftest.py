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
