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
from contextlib import contextmanager
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
            time.sleep(0.3)


@contextmanager
def serving(project: Path, command: Sequence[str] | None = None, *, log_name: str = "serve.log") -> Iterator[Server]:
    """Run `command` (default `mkdocs serve --no-strict`) in `project` on a free port until the block ends.

    `{port}` in the command is replaced by the port.
    """
    port = free_port()
    command = list(command or [sys.executable, "-m", "mkdocs", "serve", "--no-strict"])
    if not any("{port}" in part for part in command):
        command += ["--dev-addr", "127.0.0.1:{port}"]
    command = [part.replace("{port}", str(port)) for part in command]
    log_path = project.parent / log_name
    log = log_path.open("w", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    process = subprocess.Popen(
        command, cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    server = Server(project, f"http://127.0.0.1:{port}/", process, log_path)
    try:

        def up() -> bool:
            try:
                return server.get("", timeout=5)[0] == 200
            except OSError:
                return False

        server.wait_for("the server to answer", up)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
