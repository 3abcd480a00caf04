"""The sizes beyond which pages split, list fewer or count instead: one object, read from mkdocs.yml.

Every page that grows with the corpus has a limit, and each limit lives here with the reason for its
value, so that a build (or a test with a small corpus that must cross them all) sets them in one place:

    extra:
      counterpoint:
        limits:
          matrix_one_page_voices: 3

An unknown key or a value that is not a positive whole number stops the build with the key named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from .problems import CorpusError, Problem, did_you_mean

CONFIG_FILE = "mkdocs.yml"
LIMITS_KEY = "extra.counterpoint.limits"


@dataclass(frozen=True)
class Limits:
    matrix_one_page_voices: int = 12
    """Up to this many voices, the matrix is one page, however long their words. Beyond, it runs over pages
    (the first at the matrix's address, then matrix/page/2/ and so on), each holding as many voices as fit
    in `matrix_page_bytes`."""
    matrix_page_bytes: int = 60_000
    """About how much a page of the matrix gives its voices' columns, estimated from the words each cell
    quotes. With the rest of the page and the site's frame, a page stays well under 100 KB."""
    question_page_bytes: int = 60_000
    """About how much a question's page gives its voices: those that take a stance, with all their words on
    the question, then those that do not address it. A question whose voices need more runs over pages
    (questions/<id>/page/2/ and so on)."""
    question_relations_per_page: int = 20
    """On a question that runs over pages, each page gives the declared links between its own passages, up
    to this many (then says how many more there are: each text's page gives them all)."""
    compare_embed_voices: int = 60
    """Up to this many voices, the compare page carries every voice's positions; beyond, it fetches the two
    chosen voices' positions (matrix/compare/voices/<voice>.json) and the list of voices
    (matrix/compare/voices.json)."""
    agreement_table_voices: int = 80
    """Above this many voices the agreement table (voices squared cells) is not built: at 1,449 voices it
    would hold two million cells. Until it is split into pages, the page says so and points to compare."""
    nav_texts: int = 30
    """Up to this many texts, each is listed in the navigation; beyond, the texts index stands for them."""
    texts_per_page: int = 100
    """Texts listed on each page of the texts index."""
    home_texts: int = 30
    """Texts listed on the home page; beyond, it links to the texts index for the rest."""
    derived_voices: int = 12
    """While at most this many other voices take a stance on a question, a passage lists each of them;
    beyond, it counts them (see counterpoint/graph.py: listing only some would give those a better seat)."""
    map_voices: int = 40
    """The map of the voices places at most this many (those that address the most questions, then in the
    matrix's order); beyond, it says how many it leaves out and points to the matrix and to compare, which
    hold every voice. Its layout costs the square of their number."""
    argument_map_voices_per_stance: int = 6
    """A question's argument map draws at most this many voices in each stance's group; the others are
    counted, with a link to them."""


DEFAULTS = Limits()
"""The limits when mkdocs.yml sets none (frozen: safe to share as a default argument)."""


def limits_from_config(extra: Mapping[str, Any] | None) -> Limits:
    """The limits under `extra: counterpoint: limits:` of mkdocs.yml (the defaults for any not given).

    Raises CorpusError naming mkdocs.yml and the key at fault: an unknown key (with a guess), or a value
    that is not a whole number of at least 1.
    """
    ours = extra.get("counterpoint") if isinstance(extra, Mapping) else None
    if ours is not None and not isinstance(ours, Mapping):
        raise _error(f"`extra.counterpoint` must be a mapping (such as `limits:`), not {type(ours).__name__}.")
    given = ours.get("limits") if ours else None
    if given is None:
        return DEFAULTS
    if not isinstance(given, Mapping):
        raise _error(f"`{LIMITS_KEY}` must be a mapping of limits to numbers, not {type(given).__name__}.")
    known = [f.name for f in fields(Limits)]
    problems: list[Problem] = []
    values: dict[str, int] = {}
    for key, value in given.items():
        if key not in known:
            problems.append(_problem(f"`{LIMITS_KEY}` has an unknown key `{key}`{did_you_mean(str(key), known)}."))
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(_problem(f"`{LIMITS_KEY}.{key}` must be a whole number of at least 1, not `{value!r}`."))
        else:
            values[key] = value
    if problems:
        raise CorpusError(problems)
    return replace(Limits(), **values)


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: MkDocs' own tags (`!ENV`, `!!python/name:`) read as nothing, since only
    `extra:` matters here and running them is MkDocs' business."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def limits_from_file(config_file: Path) -> Limits:
    """The limits set in `config_file` (a mkdocs.yml), for commands that read the corpus without MkDocs:
    they then see the graph and pages the build makes. Raises CorpusError if the file is not YAML."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise CorpusError(
            [Problem(CONFIG_FILE, line, f"{CONFIG_FILE} is not valid YAML: {getattr(error, 'problem', error)}.")]
        ) from None
    return limits_from_config(config.get("extra") if isinstance(config, Mapping) else None)


def _problem(message: str) -> Problem:
    known = ", ".join(f.name for f in fields(Limits))
    return Problem(CONFIG_FILE, None, message, f"Known limits: {known} (counterpoint/settings.py says what each does).")


def _error(message: str) -> CorpusError:
    return CorpusError([_problem(message)])


__all__ = ["DEFAULTS", "Limits", "limits_from_config"]
