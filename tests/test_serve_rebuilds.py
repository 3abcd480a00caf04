"""Under `mkdocs serve`, every rebuild yields exactly the site a clean `mkdocs build` of the same corpus yields.

The guard of the rebuild cache (issue 15): whatever a rebuild keeps from the previous one, the
folder being served must hold, file for file and byte for byte, what a clean build of the corpus
as it now stands writes. Each test runs one `mkdocs serve` on a copy of the small matrix fixture
(three texts, several voices, stances, relations), edits the copy's corpus while it runs, waits
for the rebuild, then builds a copy of the same corpus from scratch and compares every file.

What legitimately differs between the two, and how it is made equal rather than excluded:
- the site address: `mkdocs serve` sets `site_url` to its own address, which pages carry in their
  canonical links and the sitemap, and the exports in their IRIs; the clean build is given the
  same `site_url`;
- dates: the sitemap's `lastmod` and sitemap.xml.gz's header carry the build date, which two
  builds either side of midnight would differ in; both get one SOURCE_DATE_EPOCH;
- the live-reload script: `mkdocs serve` adds it to the pages as it serves them, never on disk,
  so comparing the folder's files needs no exclusion for it; nor for the problems panel
  (counterpoint.liveproblems adds it the same way).
Every other file is compared byte for byte, except three of Pagefind's, compared by what they
hold: Pagefind writes each filter's values (and the list of filters) in the order of a hash map,
which changes from one run to the next, and names its filter files, its metadata file and the
entry file's hash by their bytes; two clean builds of one corpus differ there (seen: 5 of 112
files). So the filter files are decoded (gzip, then CBOR) and compared as sets of (value, pages),
the metadata with its filter files' names replaced by their decoded content, and
pagefind-entry.json with its hash replaced by that metadata. Pagefind's page numbers, its word
index and its fragments come out the same in every run, and are compared byte for byte.

A failed rebuild leaves the folder as the last complete build wrote it; the tests check that too.
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from serving import Server, serving

from sitebuild import FIXTURES, build, prepare

FIXTURE = FIXTURES / "matrix"
EPOCH = "1767225600"  # 2026-01-01: any fixed instant will do

# What MkDocs' development server logs around each rebuild (mkdocs/livereload): one "Detected file
# changes" when a rebuild starts, one "Reloading browsers" when it ends, which it does even when it
# failed (counterpoint.liveproblems catches the failure, and logs REBUILD_FAILED).
REBUILD_STARTED = "Detected file changes"
REBUILD_ENDED = "Reloading browsers"
REBUILD_FAILED = "The rebuild failed"
QUICK = "Rebuilt without MkDocs"
INDEXED = "Search index: "
"""What the plugin logs once the search index is in the served folder: after a rebuild's end, since
the open pages reload before Pagefind has finished (counterpoint.mkdocs_plugin)."""
SETTLE = 1.5
"""s after the last edit by which MkDocs has seen it: its watcher polls the project every 0.5 s
(livereload's PollingObserver) and logs REBUILD_STARTED as soon as it sees a change."""


def _cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """The CBOR item at `at` in `data`, and where it ends: only what Pagefind writes (RFC 8949 major types)."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        number = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        number, at = int.from_bytes(data[at : at + size], "big"), at + size
    if major == 0:
        return number, at
    if major == 1:
        return -1 - number, at
    if major in (2, 3):
        chunk = data[at : at + number]
        return (chunk.decode("utf-8") if major == 3 else chunk), at + number
    if major in (4, 5):
        items = []
        for _ in range(number * (2 if major == 5 else 1)):
            item, at = _cbor(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), at
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], at
    raise AssertionError(f"CBOR item of major type {major} ({info}) not expected from Pagefind")


def _pagefind_file(content: bytes) -> Any:
    assert content, "Pagefind left an empty file (see _site_files)"
    data = gzip.decompress(content)
    assert data.startswith(b"pagefind_dcd"), "not a Pagefind data file"
    value, end = _cbor(data, len(b"pagefind_dcd"))
    assert end == len(data)
    return value


PAGEFIND_FILTER = re.compile(r"pagefind/filter/(?P<name>[^/]+)\.pf_filter")
PAGEFIND_META = re.compile(r"pagefind/pagefind\.(?P<name>[^/]+)\.pf_meta")
PAGEFIND_ENTRY = "pagefind/pagefind-entry.json"


def _site_files(folder: Path) -> dict[str, bytes]:
    """Every file of the site, the three kinds Pagefind writes in no fixed order as their content (see above)."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    # Not a difference between two builds but a broken one, said as such: Pagefind's WriteFiles left
    # an empty pagefind-entry.json in about one build in forty (which breaks search), until
    # counterpoint.search_index took the files with GetFiles instead.
    empty = sorted(path for path, content in files.items() if path.startswith("pagefind/") and not content)
    assert not empty, f"Pagefind left empty files in {folder}: {empty}"
    filters: dict[str, Any] = {}
    for path in [path for path in files if PAGEFIND_FILTER.fullmatch(path)]:
        name, values = _pagefind_file(files.pop(path))
        filters[PAGEFIND_FILTER.fullmatch(path)["name"]] = [name, sorted(map(repr, values))]  # type: ignore[index]
    metas: dict[str, Any] = {}
    for path in [path for path in files if PAGEFIND_META.fullmatch(path)]:
        meta = _pagefind_file(files.pop(path))
        meta[3] = sorted(repr(filters.pop(file)) for _name, file in meta[3])  # [[filter name, its file's name]]
        metas[PAGEFIND_META.fullmatch(path)["name"]] = meta  # type: ignore[index]
    assert not filters, f"filter files no metadata names: {sorted(filters)}"
    if PAGEFIND_ENTRY in files:
        entry = json.loads(files.pop(PAGEFIND_ENTRY))
        for language in entry["languages"].values():
            language["hash"] = metas.pop(language["hash"])
        files[PAGEFIND_ENTRY + " (decoded)"] = json.dumps(entry, indent=1, sort_keys=True).encode()
    assert not metas, f"metadata no entry names: {sorted(metas)}"
    return files


def _differences(served: dict[str, bytes], clean: dict[str, bytes]) -> str:
    """'' when both sites are the same; otherwise which files differ, with the start of the first diff."""
    only_served = sorted(served.keys() - clean.keys())
    only_clean = sorted(clean.keys() - served.keys())
    changed = sorted(path for path in served.keys() & clean.keys() if served[path] != clean[path])
    if not (only_served or only_clean or changed):
        return ""
    report = [f"only served: {only_served}", f"only in the clean build: {only_clean}", f"differ: {changed}"]
    if changed:
        path = changed[0]
        diff = difflib.unified_diff(
            served[path].decode("utf-8", "replace").splitlines(),
            clean[path].decode("utf-8", "replace").splitlines(),
            "served/" + path,
            "clean/" + path,
            lineterm="",
            n=1,
        )
        report.append("\n".join(line[:300] for line in list(diff)[:40]))
    return "\n".join(report)


@dataclass
class Session:
    """One `mkdocs serve` on a copy of the fixture, and a second project for the clean builds."""

    server: Server
    temporary: Path
    """The server's TMPDIR, where `mkdocs serve` makes the folder it serves."""
    clean_project: Path
    ended: int = 0
    """How many rebuilds had ended when the last one was waited for."""
    last_good: dict[str, bytes] = field(default_factory=dict)
    """The clean build of the corpus as the last successful rebuild found it."""
    last_good_corpus: dict[str, bytes] = field(default_factory=dict)
    """The corpus's files as the last successful rebuild found them: when a rebuild was waited for
    without a check (an editor saving again before looking), `last_good` is built from them only if
    a later rebuild fails and the served folder must still be that one."""
    succeeded: bool = True
    """Whether the last rebuild waited for succeeded."""

    @property
    def corpus(self) -> Path:
        return self.server.project / "corpus"

    @property
    def served_folder(self) -> Path:
        folders = [p for p in self.temporary.glob("mkdocs_*") if p.is_dir()]
        assert len(folders) == 1, folders
        return folders[0]

    @property
    def last_rebuild_log(self) -> str:
        return self.server.log[self.server.log.rindex(REBUILD_STARTED) :]

    def rebuilt(self, *, expected: bool = True) -> bool:
        """Wait until the rebuilds the last edits started have all ended; whether the last one succeeded.

        Without `expected`, the edits may start no rebuild: MkDocs polls the files' sizes and modification
        times, so a file written and removed again between two polls is never seen (and the corpus is
        what it was). Any rebuild they did start is then waited for all the same."""
        edited = time.monotonic()  # every edit is written before the wait starts
        log = self.server.log
        if not expected:
            time.sleep(SETTLE)  # by then, any rebuild the edits start has started

        def quiet() -> bool:
            nonlocal log
            log = self.server.log
            started, ended = log.count(REBUILD_STARTED), log.count(REBUILD_ENDED)
            if (expected and not ended > self.ended) or started != ended:
                return False
            # One index for each build that succeeded (the first included), whether or not another
            # rebuild started before it was in place.
            return log.count(INDEXED) == 1 + log.count(REBUILD_STARTED) - log.count(REBUILD_FAILED)

        self.server.wait_for("the rebuild", quiet)
        # An edit of several files (a text deleted) may start a second rebuild just after the first,
        # when MkDocs' polling saw its files in two rounds. Once SETTLE has passed since the edits, any
        # rebuild they start has started: a quiet log then is final. (It slept SETTLE after every rebuild.)
        while True:
            time.sleep(max(0.0, edited + SETTLE - time.monotonic()))
            if self.server.log == log:
                break
            self.server.wait_for("the rebuild", quiet)
        self.ended = log.count(REBUILD_ENDED)
        last = log.rfind(REBUILD_STARTED)
        if last >= 0:  # else no rebuild yet (the edits started none): the first build's outcome stands
            self.succeeded = REBUILD_FAILED not in log[last:]
        if self.succeeded:
            self.last_good_corpus = _corpus_files(self.corpus)
            self.last_good = {}
        return self.succeeded

    def clean_build(self, corpus: dict[str, bytes] | None = None) -> dict[str, bytes]:
        """The clean build of `corpus` (the files of a corpus folder), by default the corpus as it now is."""
        shutil.rmtree(self.clean_project / "corpus")
        for relative, content in (corpus if corpus is not None else _corpus_files(self.corpus)).items():
            target = self.clean_project / "corpus" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        built = build(self.clean_project, strict=False)
        assert built.ok, built.log
        return _site_files(built.site)

    def check(self, what: str, *, wait: bool = True, expected: bool = True) -> None:
        """After an edit: the served folder is the clean build of the corpus, or, when the edit broke the
        corpus, still the last complete one. Without `wait`, nothing was written since the last rebuild;
        `expected` is rebuilt's."""
        if wait:
            self.rebuilt(expected=expected)
        served = _site_files(self.served_folder)
        assert self.last_good_corpus, "the first build failed"
        if not self.last_good:
            self.last_good = self.clean_build(self.last_good_corpus)
        differences = _differences(served, self.last_good)
        assert not differences, f"after {what}, the served site is not the clean build's:\n{differences}"


def _as_polled(corpus: Path) -> dict[str, tuple[int, int]]:
    """The corpus's files as MkDocs' watcher sees them (it polls sizes and modification times)."""
    polled: dict[str, tuple[int, int]] = {}
    for path in sorted(corpus.rglob("*")):
        status = path.stat()
        if stat.S_ISREG(status.st_mode):
            polled[path.as_posix()] = (status.st_size, status.st_mtime_ns)
    return polled


def _corpus_files(corpus: Path) -> dict[str, bytes]:
    return {p.relative_to(corpus).as_posix(): p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}


@contextmanager
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))  # the served folder is made here, so that it can be found
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project = prepare(FIXTURE, tmp_path / "served")
    with serving(project) as server:
        monkeypatch.delenv("TMPDIR")  # the clean builds' temporary files go where they normally go
        clean_project = prepare(FIXTURE, tmp_path / "clean", {"site_url": server.address})
        current = Session(server, temporary, clean_project, last_good_corpus=_corpus_files(project / "corpus"))
        current.last_good = current.clean_build()
        differences = _differences(_site_files(current.served_folder), current.last_good)
        assert not differences, f"the first build under `mkdocs serve` is not the clean build's:\n{differences}"
        yield current


# -- editing the corpus ------------------------------------------------------------------------------------------

_yaml = YAML()
_yaml.width = 4096


def _edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    data = _yaml.load(path)
    change(data)
    _yaml.dump(data, path)


def _passage(data: Any, passage_id: str) -> Any:
    return next(p for p in data["passages"] if p["id"] == passage_id)


def _voice(data: Any, voice_id: str) -> Any:
    return next(v for v in data["voices"] if v["id"] == voice_id)


def _stance(data: Any, question_id: str, stance_id: str) -> Any:
    question = next(q for q in data["questions"] if q["id"] == question_id)
    return next(s for s in question["stances"] if s["id"] == stance_id)


def test_each_rebuild_in_a_sequence_of_edits_yields_the_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session(tmp_path, monkeypatch) as current:
        corpus = current.corpus
        alpha, beta = corpus / "annotations" / "alpha.yml", corpus / "annotations" / "beta.yml"

        _edit_yaml(alpha, lambda d: _passage(d, "alpha-sky-again").__setitem__("quote", "blue again"))
        current.check("a quote changed")
        # The rebuild's index was finished after its end, and is the one compared above.
        assert "(after the rebuild)" in current.last_rebuild_log
        # Only what pages say changed: written without MkDocs (counterpoint/quickrebuild.py).
        assert QUICK in current.last_rebuild_log

        _edit_yaml(alpha, lambda d: _passage(d, "alpha-sky").__setitem__("note", "A note <em>edited</em> & served."))
        current.check("a note edited")
        assert QUICK in current.last_rebuild_log

        def add_passage(data: Any) -> None:
            data["passages"].append(
                {
                    "id": "beta-sense",
                    "quote": "in a sense",
                    "note": "Added while served.",
                    "responds_to": ["alpha-water"],
                }
            )

        _edit_yaml(beta, add_passage)
        current.check("a passage added")
        assert "A full rebuild: the title, description, contents or anchors of texts/beta.md changed." in (
            current.last_rebuild_log
        )

        (corpus / "texts" / "gamma.yml").unlink()
        (corpus / "texts" / "gamma.txt").unlink()
        current.check("a text deleted")

        _edit_yaml(
            corpus / "texts" / "beta.yml", lambda d: _voice(d, "beta-writer").__setitem__("name", "Beta's writer")
        )
        current.check("a voice renamed")

        _edit_yaml(corpus / "questions.yml", lambda d: _stance(d, "water", "wet").__setitem__("label", "wet, say some"))
        current.check("questions.yml edited")

        original = alpha.read_text(encoding="utf-8")
        alpha.write_text(original.replace("The sky is blue.", "The sky is purple."), encoding="utf-8")
        current.check("a quote broken (the last complete site stays)")
        assert "the quote is not in the text" in current.server.log
        alpha.write_text(original, encoding="utf-8")
        current.check("the broken quote fixed")


# -- random edit sequences ---------------------------------------------------------------------------------------

DELTA_TEXT = "Delta says the water is wet, and more.\n"
DELTA_EDITION = (
    "source: delta.txt\nslug: delta\ntitle: Delta's aside\nsummary: A fourth text, added and removed.\n"
    "date: 2020-02-01\nvoices:\n  - id: delta\n    name: Delta\n"
)
DELTA_ANNOTATIONS = (
    "text: delta\npassages:\n  - id: delta-water\n    quote: the water is wet\n    stances:\n      water: wet\n"
    "    opposes: [beta-water]\n"
)
PASSAGES = ["alpha-sky", "alpha-sky-again", "alpha-water", "beta-sky", "beta-water", "beta-reader-sky"]
VOICES = [("alpha", "alpha"), ("beta", "beta-writer"), ("beta", "beta-reader")]
STANCES = [("sky", "blue"), ("sky", "grey"), ("water", "wet"), ("water", "dry"), ("unasked", "one")]

words = st.text(alphabet="abcxyz é<&>", min_size=1, max_size=10).map(str.strip).filter(bool)
edits = st.one_of(
    st.tuples(st.just("note"), st.sampled_from(PASSAGES), words),
    st.tuples(st.just("voice name"), st.sampled_from(VOICES), words),
    st.tuples(st.just("stance label"), st.sampled_from(STANCES), words),
    st.tuples(st.just("title"), st.sampled_from(["alpha", "beta", "gamma"]), words),
    st.tuples(st.just("quote"), st.sampled_from(["It is blue again", "blue again", "is blue again"])),
    st.tuples(st.just("gamma"), st.booleans()),
    st.tuples(st.just("delta"), st.booleans()),
    st.tuples(st.just("same bytes"), st.sampled_from(["questions.yml", "texts/alpha.txt", "annotations/beta.yml"])),
)


def _apply(corpus: Path, edit: tuple[Any, ...]) -> bool:
    """Make the edit; whether any file was written or removed (if none, no rebuild follows)."""
    kind = edit[0]
    if kind == "note":
        annotations = corpus / "annotations" / f"{edit[1].split('-')[0]}.yml"
        _edit_yaml(annotations, lambda d: _passage(d, edit[1]).__setitem__("note", edit[2]))
    elif kind == "voice name":
        (text, voice) = edit[1]
        _edit_yaml(corpus / "texts" / f"{text}.yml", lambda d: _voice(d, voice).__setitem__("name", edit[2]))
    elif kind == "stance label":
        (question, stance) = edit[1]
        _edit_yaml(corpus / "questions.yml", lambda d: _stance(d, question, stance).__setitem__("label", edit[2]))
    elif kind == "title":
        edition = corpus / "texts" / f"{edit[1]}.yml"
        if not edition.exists():
            return False
        _edit_yaml(edition, lambda d: d.__setitem__("title", edit[2]))
    elif kind == "quote":
        alpha = corpus / "annotations" / "alpha.yml"
        _edit_yaml(alpha, lambda d: _passage(d, "alpha-sky-again").__setitem__("quote", edit[1]))
    elif kind == "gamma":  # deleted, or back as in the fixture
        present = (corpus / "texts" / "gamma.yml").exists()
        for name in ("gamma.yml", "gamma.txt"):
            if edit[1]:
                shutil.copy(FIXTURE / "corpus" / "texts" / name, corpus / "texts" / name)
            else:
                (corpus / "texts" / name).unlink(missing_ok=True)
        return edit[1] or present
    elif kind == "delta":  # a fourth text, added or removed
        files = {
            corpus / "texts" / "delta.txt": DELTA_TEXT,
            corpus / "texts" / "delta.yml": DELTA_EDITION,
            corpus / "annotations" / "delta.yml": DELTA_ANNOTATIONS,
        }
        present = any(path.exists() for path in files)
        for path, content in files.items():
            if edit[1]:
                path.write_text(content, encoding="utf-8")
            else:
                path.unlink(missing_ok=True)
        return edit[1] or present
    else:  # rewritten as it was: a new modification time, the same content
        path = corpus / edit[1]
        path.write_bytes(path.read_bytes())
    return True


def _reset(corpus: Path) -> bool:
    """The corpus back to the fixture's; whether anything had to change."""
    fixture = FIXTURE / "corpus"
    wanted = {p.relative_to(fixture): p.read_bytes() for p in fixture.rglob("*") if p.is_file()}
    present = {p.relative_to(corpus): p for p in corpus.rglob("*") if p.is_file()}
    changed = False
    for relative, path in present.items():
        if relative not in wanted:
            path.unlink()
            changed = True
    for relative, content in wanted.items():
        target = corpus / relative
        if not target.is_file() or target.read_bytes() != content:
            target.write_bytes(content)
            changed = True
    return changed


def test_random_edit_sequences_rebuild_into_the_clean_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One server for every example: each starts from the fixture's corpus again. An edit is
    # waited for or not (an editor saving twice in a row), then the site is compared once at the end.
    with session(tmp_path, monkeypatch) as current:
        # No shrinking: each try costs rebuilds, and the failing sequence is in the message anyway.
        @settings(
            max_examples=5,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        @given(st.lists(st.tuples(edits, st.booleans()), min_size=1, max_size=4))
        # A text added and removed again before MkDocs polled: no rebuild comes, and none is due (this
        # waited 180 s for one, once).
        @example([(("delta", True), False), (("delta", False), True), (("same bytes", "texts/alpha.txt"), True)])
        def sequence(steps: list[tuple[tuple[Any, ...], bool]]) -> None:
            if _reset(current.corpus):
                current.check("the corpus reset to the fixture's")
            pending, seen = False, _as_polled(current.corpus)
            for edit, wait in steps:
                pending = _apply(current.corpus, edit) or pending
                if wait and pending:
                    # Every edit here leaves a valid corpus: a failed rebuild is a fault of the cache
                    # (and would make the comparison below a comparison with an older site).
                    expected = _as_polled(current.corpus) != seen  # not if a file came and went again
                    assert current.rebuilt(expected=expected), (
                        f"the rebuild after {edit} failed:\n{current.server.log[-3000:]}"
                    )
                    pending, seen = False, _as_polled(current.corpus)
            current.check(f"the edits {steps}", wait=pending, expected=_as_polled(current.corpus) != seen)
            assert current.succeeded, f"the rebuild after {steps} failed:\n{current.server.log[-3000:]}"

        sequence()
