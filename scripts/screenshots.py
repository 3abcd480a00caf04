"""Screenshots of the built site in headless Chromium, for looking at it as a reader would.

    python scripts/screenshots.py site/ out/ texts/why-communists-should-defend-iran/ ...

Serves `site/` on localhost, opens each path at 1280 px and 390 px, light and dark,
and writes full-page PNGs to `out/`.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main(site: str, out: str, *paths: str, full: bool = True) -> None:
    server, base = serve(Path(site))
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for scheme in ("light", "dark"):
            for width, height in ((1280, 900), (390, 844)):
                page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
                for path in paths or ("",):
                    page.goto(base + path)
                    page.wait_for_timeout(300)
                    name = path.strip("/").replace("/", "_").replace("#", "@") or "home"
                    page.screenshot(path=f"{out}/{name}-{width}-{scheme}.png", full_page=full)
                page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    args = sys.argv[1:]
    full = "--viewport" not in args
    args = [a for a in args if a != "--viewport"]
    main(args[0], args[1], *args[2:], full=full)
