"""What a reader's search downloads, measured in headless Chromium on a built site.

    python bench/search_bytes.py SITE_DIR [--query Soleimani --then protests]

The site is served from this machine by a plain file server; a page is opened and left to load,
then the search is opened with "/" and the query entered; every response the browser receives
from the site is counted: raw (as stored) and gzipped (as a server compressing its responses
would send it; Pagefind's chunks and fragments are gzipped already). Also measured: what was
loaded of the index before the search (should be nothing), and a further query.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Transfer:
    requests: int = 0
    raw: int = 0
    gz: int = 0

    def add(self, body: bytes) -> None:
        self.requests += 1
        self.raw += len(body)
        self.gz += min(len(body), len(gzip.compress(body, compresslevel=6)))

    def kb(self) -> dict[str, float | int]:
        return {"requests": self.requests, "kb": round(self.raw / 1000, 1), "kb_gz": round(self.gz / 1000, 1)}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def measure(site: Path, query: str = "Soleimani", then: str = "protests") -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    phases = {"page": Transfer(), "first": Transfer(), "further": Transfer()}
    phase = ["page"]
    index_before: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox"]
            )
            page = browser.new_context(service_workers="block").new_page()

            def on_response(response: Any) -> None:
                try:
                    body = response.body()
                except Exception:  # a redirect or an aborted request has no body
                    return
                phases[phase[0]].add(body)
                if phase[0] == "page" and "/pagefind/" in response.url:
                    index_before.append(response.url)

            page.on("response", on_response)
            page.goto(origin, wait_until="networkidle")
            status = page.locator("[data-cp-search-status]")
            for name, words in (("first", query), ("further", then)):
                phase[0] = name
                if name == "first":
                    page.keyboard.press("/")
                else:
                    page.locator(".md-search__input").fill("")
                page.keyboard.insert_text(words)
                status.filter(has_text=re.compile(rf"(result|No result).*{re.escape(words)}")).wait_for(timeout=60_000)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(300)
            shown = page.locator(".cp-search-result").count()
            browser.close()
    finally:
        server.shutdown()
    return {
        "query": query,
        "then": then,
        "page": phases["page"].kb(),
        "index_before_search": len(index_before),
        "first_search": phases["first"].kb(),
        "further_search": phases["further"].kb(),
        "results_shown": shown,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="Soleimani")
    parser.add_argument("--then", default="protests")
    args = parser.parse_args()
    print(json.dumps(measure(args.site, args.query, args.then)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
