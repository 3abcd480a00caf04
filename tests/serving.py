"""`mkdocs serve` (or `counterpoint edit`) on a copy of a project, in a subprocess, for the tests that edit while it runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

GENEROUS = 180.0  # s; only there so that a broken server fails the test instead of hanging it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    project: Path
    address: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str = "", timeout: float = 15) -> tuple[int, str]:
        """Status and body of a page; a server that does not answer within `timeout` fails the test."""
        try:
            with urllib.request.urlopen(self.address + path, timeout=timeout) as answer:
                return answer.status, answer.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", errors="replace")

    def wait_for(self, what: str, test: Callable[[], bool], timeout: float = GENEROUS) -> None:
        deadline = time.monotonic() + timeout
        while not test():
            assert self.process.poll() is None, f"the server stopped while waiting for {what}:\n{self.log}"
            assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}:\n{self.log}"
            time.sleep(0.1)


PORT_TAKEN = "Address already in use"


@contextmanager
def serving(project: Path, command: Sequence[str] | None = None, *, log_name: str = "serve.log") -> Iterator[Server]:
    """Run `command` (default `mkdocs serve --no-strict`) in `project` on a free port until the block ends.

    `{port}` in the command is replaced by the port.
    """
    for attempt in range(3):
        server = _start(project, command, log_name)
        try:
            if _answers(server):
                break
        except BaseException:
            _stop(server)
            raise
        _stop(server)
        # Another process (a test in another xdist worker, a browser's connection) took the port
        # between free_port() and the server's bind: start again on another one.
        assert PORT_TAKEN in server.log and attempt < 2, f"the server stopped before it answered:\n{server.log}"
    try:
        yield server
    finally:
        _stop(server)


def _let_children_hear_interrupts() -> None:
    """A shell starts a background job (`scripts/test &`, a CI runner's step) with SIGINT ignored, and an
    ignored signal stays ignored in every process started after it: each server would then ignore the
    SIGINT that _stop sends, wait out its 30 s and be killed (in one such run, 12 servers: a quarter of the
    suite's time). A signal this process handles is back to its default in a child, where Python makes it
    KeyboardInterrupt, as MkDocs expects."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _start(project: Path, command: Sequence[str] | None, log_name: str) -> Server:
    _let_children_hear_interrupts()
    port = free_port()
    command = list(command or [sys.executable, "-m", "mkdocs", "serve", "--no-strict"])
    if not any("{port}" in part for part in command):
        command += ["--dev-addr", "127.0.0.1:{port}"]
    command = [part.replace("{port}", str(port)) for part in command]
    log_path = project.parent / log_name
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    with log_path.open("w", encoding="utf-8") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            command, cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    return Server(project, f"http://127.0.0.1:{port}/", process, log_path)


def _answers(server: Server) -> bool:
    """Wait until the server answers; False if it stopped first. It must also have said it serves on
    its port, so that an answer from another server that got the same port is not taken for its own."""
    serving_on = f"Serving on {server.address}"

    def up() -> bool:
        if server.process.poll() is not None or serving_on not in server.log:
            return False
        try:
            return server.get("", timeout=5)[0] == 200
        except OSError:
            return False

    deadline = time.monotonic() + GENEROUS
    while not up():
        if server.process.poll() is not None:
            return False
        assert time.monotonic() < deadline, f"waited {GENEROUS:.0f} s for the server to answer:\n{server.log}"
        time.sleep(0.1)
    return True


def _stop(server: Server) -> None:
    """Stop the server's whole process group (`counterpoint edit` runs `mkdocs serve` as its child) as
    Ctrl-C does: on SIGTERM MkDocs leaves its temporary site folder behind (and the plugin its replaced
    sites), one for every server a test run starts."""
    with suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGINT)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
