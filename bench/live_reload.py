"""How long an editor waits: `mkdocs serve`, one file of the corpus edited, the open page reloaded.

    python bench/live_reload.py [--texts N] [--edit annotation|text|questions] [--edits 5]

Without --texts: the project itself (mkdocs.yml, docs, hooks, overrides, corpus) copied to a
temporary folder. With --texts N: a synthetic corpus of N texts made by the generator
bench/scale.py uses (bench/synthetic.py, laid out by bench/sites.py), with the real mkdocs.yml.
Then `mkdocs serve` starts there, a text page opens in headless Chromium (Debian's,
/usr/bin/chromium) and, --edits times, one file is changed and timed until the open page has
reloaded by itself and shows the change: file saved → rebuild → live-reload signal → page loaded.

The edits (--edit):
- annotation: one passage's note, in the open text's annotation file;
- text: one word of the open text's original, a word no quote or prefix uses (so that every
  passage still anchors) and which the page shows;
- questions: the label of a stance one of the open text's passages takes, in questions.yml (the
  page shows it beside the passage's note).

Prints each time, then one JSON line:
{"texts", "edit", "edits", "median_s", "max_s", "times_s", "first_build_s", "code"}.
"texts" is null for the seed corpus; "first_build_s" is from starting the server until it answers.

Nothing here is a test: tests/test_browser_live.py checks that the reload happens at all, and
tests/test_serve_rebuilds.py that a rebuild yields the clean build's site.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script or with -m

from playwright.sync_api import Page, sync_playwright
from ruamel.yaml import YAML

from bench.sites import code_version, prepare_counterpoint
from bench.synthetic import make_corpus

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
EDITS = ("annotation", "text", "questions")


def _copy_project(target: Path) -> Path:
    for name in ("docs", "hooks", "overrides", "corpus"):
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_served(address: str, server: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
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


@dataclass
class Edit:
    """One kind of edit: the page to open, and a function that saves the n-th edit and says what the page
    must then show (a CSS selector whose text must equal the token, or None for anywhere in the body)."""

    url: str
    save: Callable[[int], tuple[str | None, str]]


def _first_annotations(corpus: Path, yaml: YAML) -> tuple[Path, Any]:
    path = sorted((corpus / "annotations").glob("*.yml"))[0]
    return path, yaml.load(path)


def _annotation_edit(corpus: Path, yaml: YAML) -> Edit:
    path, data = _first_annotations(corpus, yaml)
    passage = next(p for p in data["passages"] if p.get("note"))
    selector = f'li[id="fn:{passage["id"]}"] .cp-fn-note'

    def save(edit: int) -> tuple[str | None, str]:
        token = f"Edited while the page was open, edit {edit}."
        passage["note"] = token
        yaml.dump(data, path)
        return selector, token

    return Edit(f"texts/{data['text']}/", save)


def _original_of(corpus: Path, slug: str, yaml: YAML) -> Path:
    for edition in sorted((corpus / "texts").glob("*.yml")):
        data = yaml.load(edition)
        if data.get("slug", edition.stem) == slug:
            return edition.parent / str(data["source"])
    raise SystemExit(f"no edition has the slug {slug!r}")


def _text_edit(corpus: Path, yaml: YAML, shown: str) -> Edit:
    data = _first_annotations(corpus, yaml)[1]
    original = _original_of(corpus, str(data["text"]), yaml)
    source = original.read_text(encoding="utf-8")
    used = " ".join(str(p.get(key, "")) for p in data["passages"] for key in ("quote", "prefix"))
    # A word that occurs once in the original and in no quote or prefix: changing it moves no anchor.
    candidates = [
        word
        for word in dict.fromkeys(re.findall(r"\b[a-z]{7,}\b", source))
        if len(re.findall(rf"\b{word}\b", source)) == 1 and word not in used and word in shown
    ]
    if not candidates:
        raise SystemExit(f"{original.name}: no word to edit that no passage quotes")
    word = candidates[len(candidates) // 2]
    current = word

    def save(edit: int) -> tuple[str | None, str]:
        nonlocal current, source
        token = f"{word}edited{edit}"
        source = re.sub(rf"\b{current}\b", token, source, count=1)
        original.write_text(source, encoding="utf-8")
        current = token
        return None, token

    return Edit(f"texts/{data['text']}/", save)


def _questions_edit(corpus: Path, yaml: YAML) -> Edit:
    data = _first_annotations(corpus, yaml)[1]
    taken = next((qid, sid) for p in data["passages"] for qid, sid in (p.get("stances") or {}).items())
    questions_path = corpus / "questions.yml"
    questions = yaml.load(questions_path)
    question = next(q for q in questions["questions"] if q["id"] == taken[0])
    stance = next(s for s in question["stances"] if s["id"] == taken[1])
    label = str(stance["label"])

    def save(edit: int) -> tuple[str | None, str]:
        token = f"{label} (edited {edit})"
        stance["label"] = token
        yaml.dump(questions, questions_path)
        return None, token

    return Edit(f"texts/{data['text']}/", save)


def _body_text(page: Page) -> str:
    return str(page.evaluate("document.querySelector('.cp-body')?.textContent ?? ''"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--texts", "-n", type=int, help="a synthetic corpus of this many texts (default: the seed corpus)"
    )
    parser.add_argument("--annotations", "-k", type=int, default=20, help="passages per synthetic text")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic corpus")
    parser.add_argument("--edit", choices=EDITS, default="annotation", help="what is edited")
    parser.add_argument("--edits", type=int, default=5, help="how many edits to time")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the first build or a reload")
    parser.add_argument("--log", type=Path, help="copy mkdocs serve's log to this file at the end")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="counterpoint-live-") as temporary:
        if args.texts is None:
            project = _copy_project(Path(temporary) / "project")
        else:
            project = Path(temporary) / "project"
            prepare_counterpoint(project, make_corpus(args.texts, args.annotations, args.seed))
        corpus = project / "corpus"
        yaml = YAML()
        yaml.width = 4096  # rewrite the edited file without re-wrapping its other lines
        log_path = Path(temporary) / "serve.log"
        log = log_path.open("wb")
        port = _free_port()
        address = f"http://127.0.0.1:{port}/"
        # The hook imports `counterpoint`: from this checkout, as bench/sites.py's builds do.
        path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
        started = time.perf_counter()
        # Run in the background by a shell, this process ignores SIGINT, and so would the server it starts,
        # which is stopped with SIGINT below: handled here, SIGINT is back to its default in the server.
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--no-strict"],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": path},
            start_new_session=True,
        )
        times: list[float] = []
        first_build = 0.0
        try:
            _wait_until_served(address, server, log_path, args.timeout)
            first_build = time.perf_counter() - started
            print(f"served after {first_build:.1f} s", flush=True)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page()
                if args.edit == "annotation":
                    edit = _annotation_edit(corpus, yaml)
                    page.goto(address + edit.url)
                elif args.edit == "questions":
                    edit = _questions_edit(corpus, yaml)
                    page.goto(address + edit.url)
                else:
                    opened = _first_annotations(corpus, yaml)[1]["text"]
                    page.goto(f"{address}texts/{opened}/")
                    edit = _text_edit(corpus, yaml, _body_text(page))
                for number in range(1, args.edits + 1):
                    page.wait_for_selector(".cp-body", state="attached")
                    time.sleep(1.5)  # let the watcher settle, so that each edit is timed on its own
                    start = time.perf_counter()
                    selector, token = edit.save(number)
                    if selector is None:
                        selector = ".cp-body" if args.edit == "text" else "body"
                        script = "([s, token]) => document.querySelector(s)?.textContent.includes(token)"
                    else:
                        script = "([s, token]) => document.querySelector(s)?.textContent === token"
                    page.wait_for_function(script, arg=[selector, token], timeout=args.timeout * 1000)
                    times.append(time.perf_counter() - start)
                    print(f"edit {number}: page reloaded with the {args.edit} edit after {times[-1]:.2f} s", flush=True)
                browser.close()
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGINT)  # as Ctrl-C: SIGTERM leaves the served folder in /tmp
                server.wait(timeout=60)
            log.close()
            if args.log is not None:
                shutil.copy(log_path, args.log)
            if "ERROR" in log_path.read_text(errors="replace"):
                print(log_path.read_text(errors="replace")[-4000:], file=sys.stderr)

    result = {
        "texts": args.texts,
        "edit": args.edit,
        "edits": len(times),
        "median_s": round(statistics.median(times), 2),
        "max_s": round(max(times), 2),
        "times_s": [round(t, 2) for t in times],
        "first_build_s": round(first_build, 1),
        "code": code_version(),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
