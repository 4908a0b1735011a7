"""Starting and stopping a soteams-mock process, or connecting to one that is already running.

The process listens on a free port of 127.0.0.1 (``--port 0``) and writes its base URL to a
ready file (``--ready-file``), which is how the port is learnt: the banner is never parsed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import weakref
from typing import IO, Any, Mapping, Optional, Sequence

from ._binary import find_binary
from ._http import call
from .control import Instance, Sandbox

__all__ = ["SoteamsMock", "StartError", "start_soteams_mock", "connect_soteams_mock"]


class StartError(RuntimeError):
    """The binary exited, or wrote no ready file in time; the message has its output."""


class SoteamsMock:
    """A running soteams-mock server.

    ``url`` is its base URL, ``root`` its root instance (the control helpers work there too, but
    tests that share the server should each take a :meth:`sandbox`). Stop a server you started
    with :meth:`stop` (or use it as a context manager); a connected one is left running.
    """

    def __init__(
        self,
        url: str,
        *,
        admin_token: Optional[str] = None,
        process: "Optional[subprocess.Popen[bytes]]" = None,
        workdir: Optional[str] = None,
        log: Optional[IO[bytes]] = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.admin_token = admin_token
        self.root = Instance(self.url, admin_token=admin_token)
        self.process = process
        self._workdir = workdir
        self._log = log
        # A server left running by a crashed test session is stopped when Python exits.
        self._finalizer = (
            weakref.finalize(self, _kill, process, log, workdir) if process is not None else None
        )

    def __repr__(self) -> str:
        return f"SoteamsMock({self.url!r})"

    @property
    def log_path(self) -> Optional[str]:
        """The file that holds the process's output (request logs), while it runs."""
        return os.path.join(self._workdir, "server.log") if self._workdir else None

    def log(self) -> str:
        """The process's output so far ("" for a connected server)."""
        path = self.log_path
        if not path or not os.path.exists(path):
            return ""
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def sandbox(self, *, idle_timeout_seconds: Optional[int] = None) -> Sandbox:
        """Creates a sandbox: a private copy of the loaded fixtures under ``/_sandbox/{id}``."""
        body = {} if idle_timeout_seconds is None else {"idleTimeoutSeconds": idle_timeout_seconds}
        headers = {"X-Admin-Token": self.admin_token} if self.admin_token else {}
        info = call("POST", f"{self.url}/__admin/sandboxes", body, headers=headers)
        return Sandbox(self.url, info, admin_token=self.admin_token)

    def stop(self, timeout: float = 10.0) -> Optional[int]:
        """Sends SIGTERM and waits for the exit; returns the exit code (0: a graceful stop), or
        ``None`` for a server this object did not start. After ``timeout`` seconds the process
        is killed."""
        if self.process is None:
            return None
        process = self.process
        self.process = None
        if self._finalizer is not None:
            self._finalizer.detach()
        try:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            return process.returncode
        finally:
            _cleanup(self._log, self._workdir)

    def __enter__(self) -> "SoteamsMock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_soteams_mock(
    *,
    binary: Optional[str] = None,
    args: Sequence[str] = (),
    env: Optional[Mapping[str, str]] = None,
    admin_token: Optional[str] = None,
    timeout: float = 30.0,
) -> SoteamsMock:
    """Starts the binary on a free port of 127.0.0.1 and returns once it answers.

    ``binary`` defaults to :func:`find_binary` (``SOTEAMS_MOCK_BIN``, then ``PATH``). ``args`` are
    more flags (``["--fixtures", "world.json"]``; not ``--port``, ``--host`` or
    ``--ready-file``, which the helper sets). ``env`` is added to this process's environment.
    ``admin_token`` (default: ``SOTEAMS_ADMIN_TOKEN``) is required by the server and sent by the
    helpers.
    """
    program = binary or find_binary()
    child_env = {**os.environ, **(env or {})}
    if admin_token is not None:
        child_env["SOTEAMS_ADMIN_TOKEN"] = admin_token
    token = child_env.get("SOTEAMS_ADMIN_TOKEN") or None
    workdir = tempfile.mkdtemp(prefix="soteams-mock-")
    ready = os.path.join(workdir, "ready")
    log = open(os.path.join(workdir, "server.log"), "wb")
    command = [program, "--port", "0", "--host", "127.0.0.1", "--ready-file", ready, *args]
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=child_env
        )
    except OSError as error:
        _cleanup(log, workdir)
        raise StartError(f"cannot run {program}: {error}") from error
    deadline = time.monotonic() + timeout
    while True:
        url = _read_ready_file(ready)
        if url:
            break
        exited = process.poll()
        if exited is not None or time.monotonic() > deadline:
            why = (
                f"exited with code {exited}"
                if exited is not None
                else f"wrote no ready file within {timeout} s"
            )
            _kill(process, log, None)
            output = _read(os.path.join(workdir, "server.log"))
            _cleanup(None, workdir)
            raise StartError(f"{' '.join(command)} {why}; its output:\n{output}")
        time.sleep(0.01)
    server = SoteamsMock(url, admin_token=token, process=process, workdir=workdir, log=log)
    server.root.health()
    return server


def connect_soteams_mock(url: str, *, admin_token: Optional[str] = None) -> SoteamsMock:
    """A server that is already running at ``url`` (``SOTEAMS_MOCK_URL`` in a CI job that started
    it); ``admin_token`` defaults to ``SOTEAMS_ADMIN_TOKEN``. :meth:`SoteamsMock.stop` leaves it
    running."""
    token = admin_token if admin_token is not None else os.environ.get("SOTEAMS_ADMIN_TOKEN")
    server = SoteamsMock(url, admin_token=token or None)
    server.root.health()
    return server


def _read_ready_file(path: str) -> Optional[str]:
    # The binary renames a complete file into place, so a file that exists holds the whole line.
    try:
        with open(path, encoding="utf-8") as f:
            line = f.read()
    except FileNotFoundError:
        return None
    return line.strip() or None


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def _kill(
    process: "subprocess.Popen[Any]", log: Optional[IO[bytes]], workdir: Optional[str]
) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()
    _cleanup(log, workdir)


def _cleanup(log: Optional[IO[bytes]], workdir: Optional[str]) -> None:
    if log is not None:
        log.close()
    if workdir is not None:
        shutil.rmtree(workdir, ignore_errors=True)
