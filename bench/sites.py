"""Projects to build for the benchmarks, their builds, and what a built site weighs.

A project is a folder under /tmp with `mkdocs.yml`, `docs/` (the repository's own
pages) and, for Counterpoint, `corpus/`. Its mkdocs.yml is the repository's, with
paths made absolute (the hook, the theme overrides) as tests/sitebuild.py does;
the floor's has no hook and a plain navigation.
"""

from __future__ import annotations

import gzip
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from counterpoint.settings import limits_from_config

from .synthetic import SyntheticCorpus, write_corpus, write_plain_pages

REPO = Path(__file__).resolve().parents[1]
HOOK = REPO / "hooks" / "counterpoint_hook.py"


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, resolving `!ENV [NAME, default]` as MkDocs would."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        name, *default = loader.construct_sequence(node)
    else:
        name, default = str(node.value), []
    return os.environ.get(str(name), default[0] if default else None)


_ConfigLoader.add_constructor("!ENV", _env)


def repo_config() -> dict[str, Any]:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    assert isinstance(config, dict)
    return config


def _write_config(project: Path, config: dict[str, Any]) -> Path:
    config["theme"]["custom_dir"] = str(REPO / "overrides")
    config["docs_dir"] = str(project / "docs")
    config["site_dir"] = str(project / "site")
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _fresh(project: Path) -> None:
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(REPO / "docs", project / "docs")


def prepare_counterpoint(project: Path, corpus: SyntheticCorpus) -> Path:
    """The real configuration and hook over the synthetic corpus."""
    _fresh(project)
    write_corpus(corpus, project / "corpus")
    config = repo_config()
    config["hooks"] = [str(HOOK)]
    return _write_config(project, config)


def prepare_plain(project: Path, corpus: SyntheticCorpus) -> Path:
    """The floor: the same texts as plain Markdown pages, same theme and settings, no hook."""
    _fresh(project)
    pages = write_plain_pages(corpus, project / "docs")
    config = repo_config()
    config.pop("hooks", None)
    config.pop("watch", None)
    # The floor keeps Material's own search, as a site made with plain Material would.
    config["plugins"] = ["search"]
    texts: Any = "texts/index.md"
    # As Counterpoint's build (counterpoint/settings.py, read from the same mkdocs.yml): up to this many
    # texts, the floor's nav lists them too.
    if len(pages) <= limits_from_config(config.get("extra")).nav_texts:
        texts = ["texts/index.md", *pages]
    # The Compare pages exist only in Counterpoint's build.
    config["nav"] = [
        {"Home": "index.md"},
        {"Texts": texts},
        {"About": [{"Method": "method.md"}, {"Editor's guide": "editors-guide.md"}]},
    ]
    return _write_config(project, config)


def code_version() -> str:
    """The commit of the `counterpoint` package being measured, flagged if its files have uncommitted changes."""
    import counterpoint

    checkout = Path(counterpoint.__file__).resolve().parents[1]

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=checkout, capture_output=True, text=True, check=False)
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "counterpoint", "hooks", "mkdocs.yml", "overrides", "docs")
    return f"{commit}{'+uncommitted changes' if changed else ''} at {checkout}"


# ---------------------------------------------------------------------------
# Building


@dataclass(frozen=True)
class BuildResult:
    seconds: float
    """Wall-clock time of `mkdocs build`, interpreter start-up included."""
    cpu_seconds: float
    """CPU time (user + system) of the `mkdocs build` process: unlike wall-clock time, hardly
    affected by other work on the machine (a shared machine's load inflates wall-clock times)."""
    reported: float | None
    """The time MkDocs reports ("Documentation built in ... seconds")."""
    returncode: int
    log: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def warnings(self) -> int:
        return sum(1 for line in self.log.splitlines() if line.startswith("WARNING"))


def build(project: Path, *, strict: bool) -> BuildResult:
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", *(["--strict"] if strict else [])]
    # The hook imports `counterpoint`: from this checkout, as the benchmark itself does.
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    log = result.stdout + result.stderr
    match = re.search(r"Documentation built in ([0-9.]+) seconds", log)
    return BuildResult(seconds, cpu, float(match.group(1)) if match else None, result.returncode, log)


# ---------------------------------------------------------------------------
# Measuring


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


@dataclass
class SiteMetrics:
    total_bytes: int
    files: int
    html_pages: int
    html_bytes: int
    largest_pages: list[tuple[str, int]]
    """The five largest HTML pages (site-relative path, bytes)."""
    text_page_median: int
    """Median size of the texts' pages (texts/<slug>/index.html)."""
    search_index_bytes: int
    """Material's search_index.json, or the whole of Pagefind's folder (of which a search loads a few files)."""
    search_index_gzip: int
    search_worker_bytes: int
    search_worker_gzip: int
    largest_files: list[tuple[str, int]] = field(default_factory=list)
    """The five largest files of any kind."""
    text_page_nav: int = 0
    """Bytes of the site navigation (Material's primary nav) in the median text page."""

    @property
    def first_search_bytes(self) -> int:
        """With Material's search, what a reader's first search downloads: its worker, then the whole index.
        (Pagefind's is measured in the browser: bench/search_bytes.py.)"""
        return self.search_worker_bytes + self.search_index_bytes

    @property
    def first_search_gzip(self) -> int:
        return self.search_worker_gzip + self.search_index_gzip


def primary_nav_bytes(html: str) -> int:
    """Size of Material's primary navigation (<nav class="md-nav md-nav--primary" ...>...</nav>) in a page."""
    start = html.find('<nav class="md-nav md-nav--primary"')
    if start == -1:
        return 0
    depth, position = 0, start
    for match in re.finditer(r"<nav\b|</nav>", html[start:]):
        depth += 1 if match.group(0) == "<nav" else -1
        position = start + match.end()
        if depth == 0:
            break
    return position - start


def measure(site: Path) -> SiteMetrics:
    files = [p for p in site.rglob("*") if p.is_file()]
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in files}
    pages = {path: size for path, size in sizes.items() if path.endswith(".html")}
    text_pages = sorted(
        (size, path)
        for path, size in pages.items()
        if path.startswith("texts/") and path.count("/") == 2 and not path.startswith("texts/page/")
    )
    median = text_pages[len(text_pages) // 2] if text_pages else (0, "")
    index = site / "search" / "search_index.json"
    pagefind = [p for p in (site / "pagefind").rglob("*") if p.is_file()] if (site / "pagefind").is_dir() else []
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.js"))
    worker = workers[0] if workers else None
    return SiteMetrics(
        total_bytes=sum(sizes.values()),
        files=len(sizes),
        html_pages=len(pages),
        html_bytes=sum(pages.values()),
        largest_pages=sorted(pages.items(), key=lambda item: -item[1])[:5],
        text_page_median=median[0],
        search_index_bytes=index.stat().st_size if index.is_file() else sum(p.stat().st_size for p in pagefind),
        search_index_gzip=_gzip_size(index)
        if index.is_file()
        else sum(min(_gzip_size(p), p.stat().st_size) for p in pagefind),
        search_worker_bytes=worker.stat().st_size if worker else 0,
        search_worker_gzip=_gzip_size(worker) if worker else 0,
        largest_files=sorted(sizes.items(), key=lambda item: -item[1])[:5],
        text_page_nav=primary_nav_bytes((site / median[1]).read_text(encoding="utf-8")) if median[1] else 0,
    )
