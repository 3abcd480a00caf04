"""Building real sites from fixture corpora, the way an editor's build would run.

A fixture project is a folder holding `corpus/` (and optionally `docs/` pages
and `mkdocs.yml` overrides). It is copied to a temporary folder together with
the repository's own docs/, overrides/ and mkdocs.yml (hook path made absolute),
then built with `mkdocs build --strict` in a subprocess, so that the log and
the exit status are exactly what an editor would see.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from linkcheck import LinkChecker

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


def build(project: Path, *, strict: bool = True, extra_args: tuple[str, ...] = ()) -> Built:
    """`mkdocs build` in a subprocess."""
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", *(["--strict"] if strict else []), *extra_args]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    return Built(project, project / "site", result.returncode, result.stdout + result.stderr)


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
