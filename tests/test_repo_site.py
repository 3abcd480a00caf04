"""The real corpus builds strictly and every text is published."""

from __future__ import annotations

from sitebuild import REPO, Built


def test_every_edition_becomes_a_page(repo_site: Built) -> None:
    editions = sorted((REPO / "corpus" / "texts").glob("*.yml"))
    assert len(editions) == 5
    pages = sorted((repo_site.site / "texts").glob("*/index.html"))
    assert len(pages) == 5


def test_the_build_log_is_clean(repo_site: Built) -> None:
    assert "WARNING" not in repo_site.log
    assert "ERROR" not in repo_site.log
