"""The pytest plugin (entry point ``pytest11``): one server per test run, a sandbox per test.

Fixtures:

- ``soteams_server`` (session): the :class:`~soteams_mock.SoteamsMock` the run uses. It is, in
  this order: the server at ``SOTEAMS_MOCK_URL`` when that is set (a CI job started it); under
  pytest-xdist, the one server the controller started for all its workers; otherwise a server
  started for this session and stopped (SIGTERM, wait) at its end.
- ``soteams`` (function): a :class:`~soteams_mock.Sandbox` of that server for the test alone,
  deleted after it. Its writes, faults, journal, tokens and clock are the test's own, so tests
  can run in parallel against one server.

The ini option ``soteams_mock_args`` adds flags to the started binary (``--fixtures world.json``).
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterator, Optional

import pytest

from ._binary import BinaryNotFound
from .control import Sandbox
from .server import SoteamsMock, StartError, connect_soteams_mock, start_soteams_mock

_URL = "soteams_mock_url"
_ERROR = "soteams_mock_error"
_SHARED = pytest.StashKey[SoteamsMock]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "soteams_mock_args",
        type="args",
        default=[],
        help="more flags for the soteams-mock binary the plugin starts (--fixtures world.json)",
    )


def _start(config: pytest.Config) -> SoteamsMock:
    return start_soteams_mock(args=config.getini("soteams_mock_args"))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist's controller, once per worker: the workers share one server, which the
    controller starts with the first worker and stops at the end of the run, so that their tests
    meet in one server and only their sandboxes keep them apart."""
    config = node.config
    if os.environ.get("SOTEAMS_MOCK_URL"):
        return
    server = config.stash.get(_SHARED, None)
    if server is None:
        try:
            server = _start(config)
        except (BinaryNotFound, StartError) as error:
            # Told to the workers, whose tests that use the server fail with it.
            node.workerinput[_ERROR] = (type(error).__name__, str(error))
            return
        config.stash[_SHARED] = server
    node.workerinput[_URL] = server.url


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_SHARED, None)
    if server is not None:
        del config.stash[_SHARED]
        server.stop()


@pytest.fixture(scope="session")
def soteams_server(pytestconfig: pytest.Config) -> Iterator[SoteamsMock]:
    """The server of this test run (see the module's doc for which one)."""
    url = os.environ.get("SOTEAMS_MOCK_URL")
    workerinput: Optional[Dict[str, Any]] = getattr(pytestconfig, "workerinput", None)
    if not url and workerinput is not None:
        if _ERROR in workerinput:
            kind, message = workerinput[_ERROR]
            raise (BinaryNotFound if kind == "BinaryNotFound" else StartError)(message)
        url = workerinput.get(_URL)
    if url:
        yield connect_soteams_mock(url)
        return
    server = _start(pytestconfig)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def soteams(soteams_server: SoteamsMock) -> Iterator[Sandbox]:
    """A sandbox of the session's server for this test alone, deleted after it."""
    sandbox = soteams_server.sandbox()
    try:
        yield sandbox
    finally:
        sandbox.delete()
