"""Building real sites from fixture corpora, the way an editor's build would run.

A fixture project is a folder holding `corpus/` (and optionally `docs/` pages
and `mkdocs.yml` overrides). It is copied to a temporary folder together with
the repository's own docs/, overrides/ and mkdocs.yml (hook path made absolute),
then built as `mkdocs build --strict` builds it: in this process, as MkDocs' own
build tests do (load_config, the startup event, build.build), with the log that
the command would print and its exit status, without starting Python, MkDocs and
the theme again for each build (test_errors.py and test_failed_builds.py run in
a fifth of the time they took with a subprocess for each build). What only the command itself does
(Ctrl-C, click's own messages) is built with `cli=True`, in a subprocess.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from linkcheck import LinkChecker
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.utils import DuplicateFilter

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Built:
    project: Path
    site: Path
    returncode: int
    log: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def path(self, url: str) -> Path:
        """The file behind a site-relative URL such as `texts/slug/` or `downloads/matrix.csv`."""
        target = self.site / url
        if url == "" or url.endswith("/"):
            target = target / "index.html"
        return target

    def html(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def soup(self, url: str) -> BeautifulSoup:
        """A fresh parse, which the caller may change; for ids and links use `links` (each page read once)."""
        return BeautifulSoup(self.html(url), "html.parser")

    @cached_property
    def links(self) -> LinkChecker:
        """The site's ids and links, each page read once however many tests and links ask."""
        return LinkChecker(self.site)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, resolving `!ENV [NAME, default]` as MkDocs would."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    name, *default = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [node.value]
    return os.environ.get(name, default[0] if default else None)


_ConfigLoader.add_constructor("!ENV", _env)


def _config(project: Path, overrides: dict[str, Any] | None) -> dict[str, Any]:
    config: dict[str, Any] = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    config["hooks"] = [str(REPO / "hooks" / "counterpoint_hook.py")]
    config["theme"]["custom_dir"] = str(REPO / "overrides")
    config["docs_dir"] = str(project / "docs")
    config["site_dir"] = str(project / "site")
    for key, value in (overrides or {}).items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    return config


def prepare(fixture: Path | str, tmp_path: Path, overrides: dict[str, Any] | None = None) -> Path:
    """Copy a fixture project (a name under tests/fixtures, or a path) into `tmp_path`/project."""
    source = fixture if isinstance(fixture, Path) else FIXTURES / fixture
    project = tmp_path / "project"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(REPO / "docs", project / "docs")
    if (source / "docs").is_dir():
        shutil.copytree(source / "docs", project / "docs", dirs_exist_ok=True)
    if (source / "corpus").is_dir():
        shutil.copytree(source / "corpus", project / "corpus")
    fixture_overrides: dict[str, Any] = {}
    if (source / "mkdocs-overrides.yml").is_file():
        fixture_overrides = yaml.safe_load((source / "mkdocs-overrides.yml").read_text(encoding="utf-8")) or {}
    config = _config(project, {**fixture_overrides, **(overrides or {})})
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


def limits_override(limits: dict[str, int], overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """`overrides` (mkdocs.yml's keys) with Counterpoint's `limits` set (counterpoint/settings.py), e.g. the
    sizes beyond which the matrix runs over several pages, so that a small corpus crosses them. The rest
    of the real configuration's `extra` is kept."""
    extra = dict(_config(REPO, None).get("extra") or {})
    extra["counterpoint"] = {"limits": dict(limits)}
    return {**(overrides or {}), "extra": extra}


def build(project: Path, *, strict: bool = True, cli: bool = False) -> Built:
    """`mkdocs build --clean [--strict]` of `project`: in this process, or with `cli` as the command,
    in a subprocess (for what only the command line does: Ctrl-C, say)."""
    if cli:
        return _build_with_the_command(project, strict)
    return _build_in_process(project, strict)


def _build_with_the_command(project: Path, strict: bool) -> Built:
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", *(["--strict"] if strict else [])]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    return Built(project, project / "site", result.returncode, result.stdout + result.stderr)


class _CommandLog(logging.Formatter):
    """A record as `mkdocs build` prints it when its output is not a terminal: `LEVEL   -  message`."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {super().format(record)}"


_ONE_BUILD_AT_A_TIME = threading.Lock()
"""MkDocs' loggers, the collector and the hook's plugin object are the process's: builds take turns."""


def _build_in_process(project: Path, strict: bool) -> Built:
    """What `mkdocs build --clean` does (mkdocs/__main__.py's build_command), the log kept as it would print it.

    As the command does, the 'mkdocs' loggers log from INFO up to the command's handler only, and
    `build` itself counts their warnings in strict mode; the command's exit status is 1 for an Abort
    (a failed build, strict mode's warnings), which it prints after the log, and for any other
    exception, whose traceback it prints.
    """
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(_CommandLog())
    logger = logging.getLogger("mkdocs")
    duplicates = DuplicateFilter()  # the command drops repeated messages of the build's own logger
    with _ONE_BUILD_AT_A_TIME:
        level, propagate = logger.level, logger.propagate
        logger.setLevel(logging.INFO)
        logger.propagate = False
        logger.addHandler(handler)
        mkdocs_build.log.addFilter(duplicates)
        returncode = 0
        try:
            config = load_config(config_file=str(project / "mkdocs.yml"), strict=True if strict else None)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build.build(config, dirty=False)
            finally:
                config.plugins.on_shutdown()
        except Abort as abort:
            output.write(f"\n{abort.format_message()}\n")
            returncode = abort.code
        except Exception:
            output.write(traceback.format_exc())
            returncode = 1
        finally:
            mkdocs_build.log.removeFilter(duplicates)
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate
    return Built(project, project / "site", returncode, output.getvalue())


def build_fixture(
    fixture: Path | str,
    tmp_path: Path,
    overrides: dict[str, Any] | None = None,
    *,
    strict: bool = True,
) -> Built:
    return build(prepare(fixture, tmp_path, overrides), strict=strict)


def build_repo(tmp_path: Path, overrides: dict[str, Any] | None = None) -> Built:
    """Build the real corpus with the real configuration."""
    return build_fixture(REPO, tmp_path, overrides)
