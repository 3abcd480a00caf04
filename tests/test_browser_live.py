"""Live editing: `mkdocs serve` on a copy of the project, a text page open in headless Chromium, an
annotation's note edited in the copy's corpus; the page reloads by itself and shows the new note.

Nothing is asserted about speed: the timeouts are only there so that a broken reload fails the test.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import OpenPage
from playwright.sync_api import expect
from ruamel.yaml import YAML

from sitebuild import REPO, prepare

pytestmark = pytest.mark.browser

GENEROUS = 180_000  # ms


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the project served by `mkdocs serve` (live reload on); yields the copy and its address."""
    project = prepare(REPO, tmp_path)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--no-strict"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    address = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + GENEROUS / 1000
        while True:
            assert server.poll() is None, "mkdocs serve stopped:\n" + (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(address, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "mkdocs serve did not answer:\n" + (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        yield project, address
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_editing_a_note_reloads_the_open_page_with_the_new_note(served: tuple[Path, str], open_page: OpenPage) -> None:
    # `served` comes first, so that the page is closed before the server stops.
    project, address = served
    yaml = YAML()
    annotations = sorted((project / "corpus" / "annotations").glob("*.yml"))
    chosen = None
    for path in annotations:
        data = yaml.load(path)
        for passage in data.get("passages") or []:
            if passage.get("note"):
                chosen = path, data, passage
                break
        if chosen:
            break
    assert chosen, "no annotation has a note to edit"
    path, data, passage = chosen
    page = open_page(address + f"texts/{data['text']}/")
    note = page.locator(f'li[id="fn:{passage["id"]}"] .cp-fn-note')
    expect(note).to_have_count(1)
    page.evaluate("window.cpBeforeReload = true")
    token = f"Edited while the page was open ({os.getpid()})."
    passage["note"] = token
    yaml.dump(data, path)
    expect(note, "the page reloads with the new note").to_have_text(token, timeout=GENEROUS)
    assert page.evaluate("window.cpBeforeReload === undefined"), "the page was reloaded, not patched"
