"""Test helpers for soteams-mock, a local stateful mock of the Stack Overflow for Teams API v3
and the Enterprise usersync API.

    from soteams_mock import start_soteams_mock

    with start_soteams_mock() as server:
        with server.sandbox() as sandbox:
            sandbox.v3_url        # http://127.0.0.1:PORT/_sandbox/sb-…/api/v3
            sandbox.add_fault({"match": {"api": "v3"}, "action": {"status": 503}})

Under pytest the plugin gives each test a sandbox: the ``soteams`` fixture. Only the standard
library is used.
"""

from ._binary import BinaryNotFound, find_binary
from ._http import ControlError
from .control import USERSYNC_FAILURES, Instance, Sandbox
from .server import SoteamsMock, StartError, connect_soteams_mock, start_soteams_mock

__all__ = [
    "BinaryNotFound",
    "ControlError",
    "Instance",
    "Sandbox",
    "SoteamsMock",
    "StartError",
    "USERSYNC_FAILURES",
    "connect_soteams_mock",
    "find_binary",
    "start_soteams_mock",
]
__version__ = "0.1.0"
