"""What the end-to-end tests share: one local server, one headless Chromium, one guarded context per test.

The built sites (the real corpus, and the matrix fixture when a test asks for it) are
served by a single HTTP server on 127.0.0.1 with a free port; Debian's Chromium is
launched once per session. Each test gets fresh browser contexts from `open_page`,
each guarded: every request the browser makes is recorded, a request to any host but
this machine is refused and fails the test, and so does a script error or a resource
of the site that does not load. Artefacts (screenshots) go under test-artifacts/.

The fixtures are imported by tests/conftest.py.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from sitebuild import REPO, Built, build_fixture

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    # The network is cut off for the browser: no name resolves except this machine's.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SCHEMES = ("light", "dark")


# --- One server for every site the browser tests read ------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the mounted sites; an unknown address gets the site's 404.html with status 404, as on a host."""

    mounts: dict[str, Path]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _root(self) -> tuple[str, Path | None]:
        path = urlsplit(self.path).path
        for prefix in sorted(self.mounts, key=len, reverse=True):
            if path.startswith(prefix):
                return prefix, self.mounts[prefix]
        return "/", None

    def translate_path(self, path: str) -> str:
        prefix, root = self._root()
        if root is None:
            return "/nonexistent/"
        rest = unquote(urlsplit(path).path)[len(prefix) :]
        parts = [part for part in rest.split("/") if part not in ("", ".", "..")]
        return str(root.joinpath(*parts)) + ("/" if rest.endswith("/") else "")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        root = self._root()[1]
        page = root / "404.html" if root is not None else None
        if code != 404 or page is None or not page.is_file() or self.command != "GET":
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A page closed or navigated away while a file was being sent: the browser hung up, which a
        # test may do at any time. Anything else is still printed.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer:
    def __init__(self) -> None:
        handler: type[_Handler] = type("Handler", (_Handler,), {"mounts": {}})
        self._handler = handler
        self._server = _Server(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def mount(self, prefix: str, root: Path) -> str:
        """Serve `root` under `prefix` (such as "/" or "/fixtures/matrix/"); returns its address."""
        self._handler.mounts[prefix] = root
        return self.origin + prefix

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- Guarded pages ---------------------------------------------------------------------------------


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


@dataclass
class Guard:
    """What the browser did in one context: every request, and what went wrong."""

    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    expected_missing: set[str] = field(default_factory=set)

    def problems(self) -> list[str]:
        found = [f"a request left this machine: {url}" for url in self.outside]
        found += [f"a script error: {error}" for error in self.errors]
        found += [f"a resource did not load: {what}" for what in self.broken]
        return found


def _guard_context(context: Any, guard: Guard, *, intercept: bool) -> None:
    """Record every request; with `intercept`, also hold each one and refuse those to another host.

    Without interception, a request to another host is still recorded (and fails the test); it
    cannot get through either way, since the browser resolves no name but this machine's.
    Interception costs the HTTP cache, so only the crawl of every page uses it.
    """

    def route(route: Any) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            guard.outside.append(url)
            route.abort("blockedbyclient")

    def on_response(response: Any) -> None:
        url = response.url
        if response.status >= 400 and urlsplit(url).path not in guard.expected_missing:
            guard.broken.append(f"{url} ({response.status})")

    def on_failed(request: Any) -> None:
        if is_local(request.url) and request.failure not in ("net::ERR_ABORTED",):
            guard.broken.append(f"{request.url} ({request.failure})")

    def on_request(request: Any) -> None:
        guard.requests.append(request.url)
        if not intercept and not is_local(request.url):
            guard.outside.append(request.url)

    if intercept:
        context.route("**/*", route)
    context.on("request", on_request)
    context.on("requestfailed", on_failed)
    context.on("response", on_response)
    context.on("weberror", lambda error: guard.errors.append(str(error.error)))


OpenPage = Callable[..., Any]


@pytest.fixture(scope="session")
def site_server() -> Iterator[SiteServer]:
    server = SiteServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def site_url(site_server: SiteServer, repo_site: Built) -> str:
    """The real corpus built with the real configuration, served at the server's root."""
    return site_server.mount("/", repo_site.site)


@pytest.fixture(scope="session")
def matrix_fixture_url(site_server: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    """tests/fixtures/matrix built and served under /fixtures/matrix/ (its payloads and names are known)."""
    built = build_fixture(REPO / "tests" / "fixtures" / "matrix", tmp_path_factory.mktemp("matrix-browser"))
    assert built.ok, built.log
    return site_server.mount("/fixtures/matrix/", built.site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = "needs Debian's chromium (scripts/test installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[OpenPage]:
    """`open_page(url, width=1280, height=900, scheme="light")`: a new guarded context and its page.

    `expect_missing` lists paths that may answer 404 (such as an unknown address); `intercept`
    holds every request and refuses those to another host (see `_guard_context`).

    At the end of the test, every context is closed and the test fails if any of them made a
    request to another host, met a script error, or failed to load one of the site's resources.
    """
    contexts: list[tuple[Any, Guard]] = []

    def open_page(
        url: str | None = None,
        *,
        width: int = 1280,
        height: int = 900,
        scheme: str = "light",
        expect_missing: tuple[str, ...] = (),
        intercept: bool = False,
        **options: Any,
    ) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            reduced_motion="reduce",
            service_workers="block",
            **options,
        )
        context.set_default_timeout(15_000)
        guard = Guard(expected_missing=set(expect_missing))
        _guard_context(context, guard, intercept=intercept)
        contexts.append((context, guard))
        page = context.new_page()
        page.guard = guard
        if url is not None:
            page.goto(url)
        return page

    yield open_page
    problems = []
    for context, guard in contexts:
        context.close()
        problems += guard.problems()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(open_page: OpenPage) -> Any:
    """A page at 1280×900 in the light scheme, not yet on any address."""
    return open_page()


# --- The site's pages, chosen by what they are, not by name ------------------------------------


def url_of(built: Built, html: Path) -> str:
    """The site-relative address of a built HTML file (index.html → its folder)."""
    relative = html.relative_to(built.site).as_posix()
    if relative == "index.html":
        return ""
    if relative.endswith("/index.html"):
        return relative[: -len("index.html")]
    return relative


def all_pages(built: Built) -> list[str]:
    return sorted(url_of(built, html) for html in built.site.rglob("*.html"))


def text_slugs(built: Built) -> dict[str, dict[str, Any]]:
    """Each text's slug and edition (as read from the built project's corpus)."""
    editions = {}
    for path in sorted((built.project / "corpus" / "texts").glob("*.yml")):
        edition = yaml.safe_load(path.read_text(encoding="utf-8"))
        editions[edition["slug"]] = edition
    return editions


def text_kinds(built: Built) -> dict[str, str]:
    """A text page of each kind: single voice, several voices with reader comments, Markdown source."""
    if built.site not in _TEXT_KINDS:
        _TEXT_KINDS[built.site] = _text_kinds(built)
    return dict(_TEXT_KINDS[built.site])


_TEXT_KINDS: dict[Path, tuple[tuple[str, str], ...]] = {}


def _text_kinds(built: Built) -> tuple[tuple[str, str], ...]:
    kinds: dict[str, str] = {}
    for slug, edition in text_slugs(built).items():
        soup = built.soup(f"texts/{slug}/")
        voices = {section["data-voice"] for section in soup.select(".cp-body [data-voice]")}
        if edition.get("format") == "markdown":
            kinds.setdefault("markdown", slug)
        elif soup.select_one(".cp-comments") is not None:
            kinds.setdefault("comments", slug)
        elif len(voices) == 1:
            kinds.setdefault("single", slug)
    missing = {"markdown", "comments", "single"} - set(kinds)
    assert not missing, f"the corpus has no text page of kind {missing}"
    return tuple(kinds.items())


PAGE_TYPES = (
    "home",
    "texts",
    "text-single-voice",
    "text-with-comments",
    "text-markdown",
    "matrix",
    "question",
    "questions",
    "agreement",
    "compare",
    "editors-guide",
    "method",
    "404",
)


def page_types(built: Built) -> dict[str, str]:
    """One address per kind of page (PAGE_TYPES), for the checks that every kind of page must pass.

    The compare page comes with two voices chosen, so that it shows their positions.
    """
    kinds = text_kinds(built)
    questions = sorted(p for p in all_pages(built) if re.fullmatch(r"questions/[^/]+/", p))
    assert questions, "no question page was built"
    a, b = first_two_voices(built)
    return {
        "home": "",
        "texts": "texts/",
        "text-single-voice": f"texts/{kinds['single']}/",
        "text-with-comments": f"texts/{kinds['comments']}/",
        "text-markdown": f"texts/{kinds['markdown']}/",
        "matrix": "matrix/",
        "question": questions[0],
        "questions": "questions/",
        "agreement": "matrix/agreement/",
        "compare": f"matrix/compare/?a={a}&b={b}",
        "editors-guide": "editors-guide/",
        "method": "method/",
        "404": "404.html",
    }


def first_two_voices(built: Built) -> tuple[str, str]:
    options = [str(o["value"]) for o in built.soup("matrix/compare/").select("#cp-compare-a option") if o["value"]]
    assert len(options) >= 2, "compare offers fewer than two voices"
    return options[0], options[1]


# --- In the page ----------------------------------------------------------------------------------

ACTIVE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "(nothing: the body)";
  const text = (e.getAttribute("aria-label") || e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  return `<${e.tagName.toLowerCase()} class="${e.className}" href="${e.getAttribute("href") || ""}"> ${text}`;
}"""


def active(page: Any) -> str:
    """The focused element, described for a failure message."""
    return str(page.evaluate(ACTIVE))


def tab_until(page: Any, selector: str, *, limit: int = 400, key: str = "Tab") -> int:
    """Press Tab until the focused element matches `selector`; returns how many presses it took."""
    for count in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return count
    raise AssertionError(f"{selector} was not reached with {key} in {limit} presses; the focus is on {active(page)}")


FOCUS_RING = """selector => {
  const e = selector ? document.querySelector(selector) : document.activeElement;
  const style = getComputedStyle(e);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1
    && !/rgba\\(\\s*\\d+,\\s*\\d+,\\s*\\d+,\\s*0\\s*\\)/.test(style.outlineColor);
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const box = e.getBoundingClientRect();
  return {outline, shadow, width: box.width, height: box.height,
          style: `outline: ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; box-shadow: ${style.boxShadow}`};
}"""


SETTLED = """async selector => {
  // Focus is followed by work the page does in its own time: Material opens its search a moment after
  // the field takes the focus (the form turns from the bar's dark shade to white), then runs a 250 ms
  // transition. Colours read before that describe a frame, not what the reader sees: the search field's
  // ring once measured 2.31:1 against the dark shade, 6.8:1 against the white it settles on. So wait
  // until no finite animation runs and the element's colours and its ancestors' stay the same for two
  // frames in a row.
  const frames = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const colours = () => {
    const e = selector ? document.querySelector(selector) : document.activeElement;
    const seen = [];
    for (let n = e; n; n = n.parentElement) {
      const style = getComputedStyle(n);
      seen.push(style.outlineColor, style.backgroundColor, style.boxShadow);
    }
    return seen.join("|");
  };
  let last = null;
  for (let round = 0; round < 50; round++) {
    await frames();
    const running = document.getAnimations().filter(
      a => a.playState === "running" && Number.isFinite(a.effect?.getComputedTiming().endTime));
    if (running.length) {
      await Promise.all(running.map(a => a.finished.catch(() => null)));
      last = null;
      continue;
    }
    const now = colours();
    if (now === last) return true;
    last = now;
  }
  return false;
}"""


def settle(page: Any, shown_by: str | None = None) -> None:
    """Wait until the focused element (or `shown_by`) has finished changing its looks (see SETTLED)."""
    assert page.evaluate(SETTLED, shown_by), f"the page kept changing the looks of {shown_by or active(page)}"


def assert_focus_visible(page: Any, what: str, shown_by: str | None = None) -> None:
    """The focused element (or `shown_by`, the element that shows its focus) has an outline or a shadow."""
    settle(page, shown_by)
    ring = page.evaluate(FOCUS_RING, shown_by)
    assert ring["width"] > 0 and ring["height"] > 0, f"{what} has the focus but takes no room on the page"
    assert ring["outline"] or ring["shadow"], (
        f"{what} has the keyboard focus but shows no outline or shadow ({ring['style']}): {active(page)}"
    )


FULL_SCREENSHOTS = os.environ.get("CP_SCREENSHOTS") == "full"
"""Whole-page screenshots (`CP_SCREENSHOTS=full scripts/test -k wider`) for reading every page
from top to bottom; by default the layout tests keep what the window shows, since a whole long page
(a text at 390 px is tens of thousands of pixels tall) doubled their time (104 s -> 49 s in one process)."""


def screenshot(page: Any, name: str, *, full_page: bool | None = None) -> Path:
    """`full_page`: by default, FULL_SCREENSHOTS."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    full_page = FULL_SCREENSHOTS if full_page is None else full_page
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def wait_for_fonts(page: Any) -> None:
    page.evaluate("() => document.fonts.ready.then(() => true)")


# --- Cross-references, as built ---------------------------------------------------------------------


@dataclass(frozen=True)
class CrossReference:
    start: str
    """The site-relative address of the page it is followed from."""
    passage: str
    """The passage whose note carries it."""
    number: str
    """The passage's marker, as shown."""
    href: str
    target: str
    """The site-relative address of the page it leads to (without the fragment)."""
    target_passage: str
    pieces: int
    """How many highlighted pieces the target passage is cut into."""


def cross_references(built: Built) -> list[CrossReference]:
    """Every cross-reference between passages on the text pages, with the shape of its target."""
    if built.site not in _CROSS_REFERENCES:
        _CROSS_REFERENCES[built.site] = _cross_references(built)
    return list(_CROSS_REFERENCES[built.site])


_CROSS_REFERENCES: dict[Path, tuple[CrossReference, ...]] = {}


def _cross_references(built: Built) -> tuple[CrossReference, ...]:
    from urllib.parse import urljoin

    pieces: dict[tuple[str, str], int] = {}
    pages = [f"texts/{slug}/" for slug in text_slugs(built)]
    soups = {url: built.soup(url) for url in pages}
    for url, soup in soups.items():
        for mark in soup.select(".cp-body mark.cp-hl[data-p]"):
            for passage in str(mark["data-p"]).split():
                pieces[url, passage] = pieces.get((url, passage), 0) + 1
    found = []
    for url, soup in soups.items():
        for link in soup.select("li.cp-fn a.cp-xref"):
            passage = str(link["data-from"])
            marker = soup.find(id=f"fnref:{passage}")
            assert marker is not None, f"{url}: the note of {passage} has no marker in the text"
            absolute = urljoin("http://site/" + url, str(link["href"]))
            target, _, target_passage = absolute.removeprefix("http://site/").partition("#")
            found.append(
                CrossReference(
                    url,
                    passage,
                    marker.get_text(strip=True),
                    str(link["href"]),
                    target,
                    target_passage,
                    pieces.get((target, target_passage), 0),
                )
            )
    return tuple(found)


def a_cross_reference(built: Built, *, other_page: bool = True) -> CrossReference:
    """A cross-reference to another text whose target is cut into the most pieces (the hardest to highlight)."""
    candidates = [x for x in cross_references(built) if not other_page or x.target != x.start]
    assert candidates, "no passage of a text links to a passage of another text"
    return max(candidates, key=lambda x: (x.pieces, x.start, x.passage))


def assert_scheme(page: Any, scheme: str) -> None:
    """The page is shown in the scheme asked for (Material's palette: "default" is light, "slate" dark)."""
    expected = {"light": "default", "dark": "slate"}[scheme]
    shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert shown == expected, f"asked for the {scheme} scheme, the page shows data-md-color-scheme={shown!r}"


# --- Accessibility ------------------------------------------------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page: Any, context: str | None = None) -> list[str]:
    """Serious and critical WCAG 2 A/AA violations that axe-core (bundled by axe-playwright-python) finds."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options).response
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = violation["nodes"]
        examples = "; ".join(
            f"{' '.join(node['target'])}: {node.get('failureSummary', '').replace(chr(10), ' ')}" for node in nodes[:3]
        )
        found.append(
            f"{violation['id']} ({violation['impact']}, {len(nodes)} elements): {violation['help']}. e.g. {examples}"
        )
    return found


CONTRAST = """([fg, bg]) => {
  const parse = c => c.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = parse(c).slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""

BACKGROUND = """e => {
  // The colour behind the element: the ancestors' backgrounds composited, down to an opaque one.
  const layers = [];
  for (let n = e.parentElement; n; n = n.parentElement) {
    const [r, g, b, a = 1] = (getComputedStyle(n).backgroundColor.match(/[\\d.]+/g) || [0, 0, 0, 0]).map(Number);
    if (a > 0) layers.push([r, g, b, a]);
    if (a >= 1) break;
  }
  let colour = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) colour = [r * a + colour[0] * (1 - a), g * a + colour[1] * (1 - a), b * a + colour[2] * (1 - a)];
  return `rgb(${colour.map(Math.round).join(", ")})`;
}"""


def focus_ring_contrast(page: Any, shown_by: str | None = None) -> float:
    """The contrast between the focus outline and what it is drawn on (WCAG 1.4.11 asks 3:1)."""
    settle(page, shown_by)
    element = f"document.querySelector({shown_by!r})" if shown_by else "document.activeElement"
    colour = page.evaluate(f"getComputedStyle({element}).outlineColor")
    background = page.evaluate(f"({BACKGROUND})({element})")
    return float(page.evaluate(CONTRAST, [colour, background]))


FOCUS_LOG = """() => {
  const ids = new WeakMap();
  let next = 0;
  window.cpFocusLog = [];
  document.addEventListener("focusin", event => {
    const e = event.target;
    if (!ids.has(e)) ids.set(e, next++);
    const box = e.getBoundingClientRect();
    const text = (e.getAttribute("aria-label") || e.textContent || e.value || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    window.cpFocusLog.push({id: ids.get(e), what: `<${e.tagName.toLowerCase()} class="${e.className}"> ${text}`,
                            visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                                     && box.top < innerHeight && box.left < innerWidth
                                     && getComputedStyle(e).visibility !== "hidden"});
  }, true);
  document.addEventListener("focusout", event => {
    if (event.relatedTarget === null) window.cpFocusLog.push({id: -1, what: "(left the page)", visible: true});
  }, true);
  return document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]").length;
}"""


CAME_ROUND = """() => {
  const seen = new Set();
  for (const entry of window.cpFocusLog) {
    if (entry.id < 0) continue;
    if (seen.has(entry.id)) return true;
    seen.add(entry.id);
  }
  return false;
}"""

TAB_BATCH = 16


def tab_through(page: Any) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until the focus comes back to a stop it has already been on
    (the page's first, after going round; any other is a trap), or as many times as the page has
    focusable elements and ten more; returns what was focused.

    Pressing on after the focus came round only went round again: a quarter of the presses on the
    seed site's pages (half on the home page), at 15 to 28 ms a press. Whether it has come round is
    asked once a batch, not after each press, which would double the round trips to the browser."""
    limit = int(page.evaluate(FOCUS_LOG)) + 10
    page.evaluate("document.activeElement && document.activeElement.blur()")
    pressed = 0
    while pressed < limit:
        for _ in range(min(TAB_BATCH, limit - pressed)):
            page.keyboard.press("Tab")
            pressed += 1
        if page.evaluate(CAME_ROUND):
            break
    return list(page.evaluate("window.cpFocusLog"))
