"""Where the soteams-mock binary is: ``SOTEAMS_MOCK_BIN``, else ``soteams-mock`` on ``PATH``."""

from __future__ import annotations

import os
import shutil
from typing import Mapping, Optional

BINARY_NAME = "soteams-mock"

HOW_TO_GET_IT = """\
Build and install it with Cargo, from a clone of the soteams-mock repository:
    cargo install --locked --path .
or straight from its repository:
    cargo install --locked --git <repository URL> soteams-mock
or build a static Linux binary with scripts/build-static.sh (its last line is the binary's path).
Then put its directory on PATH, or point SOTEAMS_MOCK_BIN at the binary."""


class BinaryNotFound(RuntimeError):
    """No soteams-mock binary was found; the message says how to get one."""


def find_binary(env: Optional[Mapping[str, str]] = None) -> str:
    """The path of the soteams-mock binary to run.

    ``SOTEAMS_MOCK_BIN`` wins when it is set (it must name an executable file); otherwise
    ``soteams-mock`` is looked up on ``PATH``. Raises :class:`BinaryNotFound` otherwise.
    """
    env = os.environ if env is None else env
    named = env.get("SOTEAMS_MOCK_BIN")
    if named:
        if os.path.isfile(named) and os.access(named, os.X_OK):
            return os.path.abspath(named)
        raise BinaryNotFound(
            f"SOTEAMS_MOCK_BIN is {named!r}, which is not an executable file.\n{HOW_TO_GET_IT}"
        )
    found = shutil.which(BINARY_NAME, path=env.get("PATH", os.defpath))
    if found:
        return os.path.abspath(found)
    raise BinaryNotFound(
        f"{BINARY_NAME} is not on PATH and SOTEAMS_MOCK_BIN is not set.\n{HOW_TO_GET_IT}"
    )
