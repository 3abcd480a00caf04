"""How long an editor waits: `mkdocs serve` on the seed corpus, one annotation's note edited, the open page reloaded.

    python bench/live_reload.py [--edits 5]

Copies the project (mkdocs.yml, docs, hooks, overrides, corpus) to a temporary folder, starts
`mkdocs serve` there, opens a text page in headless Chromium (Debian's, /usr/bin/chromium) and
then, --edits times, rewrites one passage's note in its annotation file and times how long until
the open page has reloaded by itself and shows the new note: file saved → rebuild → live-reload
signal → page loaded. Prints each time, then one JSON line:
{"edits", "median_s", "max_s", "times_s"}.

Nothing here is a test: tests/test_browser_live.py checks that the reload happens at all.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def _copy_project(target: Path) -> Path:
    for name in ("docs", "hooks", "overrides", "corpus"):
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_served(address: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("mkdocs serve stopped before it served the site:\n" + log.read_text(errors="replace"))
        try:
            with urllib.request.urlopen(address, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"mkdocs serve did not answer within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=5, help="how many edits to time")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="counterpoint-live-") as temporary:
        project = _copy_project(Path(temporary) / "project")
        yaml = YAML()
        path = sorted((project / "corpus" / "annotations").glob("*.yml"))[0]
        data = yaml.load(path)
        passage = next(p for p in data["passages"] if p.get("note"))
        log = (Path(temporary) / "serve.log").open("wb")
        port = _free_port()
        address = f"http://127.0.0.1:{port}/"
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--no-strict"],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            start_new_session=True,
        )
        times: list[float] = []
        try:
            _wait_until_served(address, server, Path(log.name))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page()
                page.goto(f"{address}texts/{data['text']}/")
                selector = f'li[id="fn:{passage["id"]}"] .cp-fn-note'
                for edit in range(1, args.edits + 1):
                    page.wait_for_selector(selector, state="attached")
                    time.sleep(1.5)  # let the watcher settle, so that each edit is timed on its own
                    token = f"Edited while the page was open, edit {edit}."
                    passage["note"] = token
                    start = time.perf_counter()
                    yaml.dump(data, path)
                    page.wait_for_function(
                        "([selector, token]) => document.querySelector(selector)?.textContent === token",
                        arg=[selector, token],
                        timeout=120_000,
                    )
                    times.append(time.perf_counter() - start)
                    print(f"edit {edit}: page reloaded with the new note after {times[-1]:.2f} s", flush=True)
                browser.close()
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            log.close()

    result = {
        "edits": len(times),
        "median_s": round(statistics.median(times), 2),
        "max_s": round(max(times), 2),
        "times_s": [round(t, 2) for t in times],
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
