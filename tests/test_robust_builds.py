"""Nothing half-written: a build that fails after the corpus was checked leaves no site either.

tests/test_failed_builds.py covers a corpus problem (before anything is written)
and a strict-mode warning (after everything is written). Here the failure comes
in between: an unexpected exception while a page is being rendered, which is
not a corpus problem and is not caught by Counterpoint. MkDocs still calls the
hook's on_build_error, which must remove the site folder, so that neither the
previous site nor a part of the new one can be published by mistake.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sitebuild import FIXTURES, build, prepare

BREAK_A_PAGE = textwrap.dedent(
    """
    import counterpoint.build

    def broken(site, text):
        raise RuntimeError("rendering failed half-way (injected by the test)")

    counterpoint.build.render_text_page = broken
    from mkdocs.__main__ import cli
    cli()
    """
)


def test_an_exception_while_rendering_a_page_removes_the_site(tmp_path: Path) -> None:
    project = prepare(FIXTURES / "errors" / "valid", tmp_path)
    first = build(project)
    assert first.ok, first.log
    assert (first.site / "texts" / "debate" / "index.html").exists()
    result = subprocess.run(
        [sys.executable, "-c", BREAK_A_PAGE, "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},
        timeout=600,
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "rendering failed half-way" in log, "the error is shown, not swallowed"
    assert "the build failed, so no site is left that could be published by mistake" in log
    assert not first.site.exists(), "neither the previous site nor a half-written one may remain"
