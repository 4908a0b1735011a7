"""HTTP calls to the control API with the standard library (urllib) only."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Mapping, Optional

# A mock on this machine is never reached through a proxy, whatever HTTP_PROXY says.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _NoBody:
    def __repr__(self) -> str:
        return "NO_BODY"


NO_BODY: Any = _NoBody()
"""Sends no body at all (``None`` would send the JSON ``null``)."""


class ControlError(Exception):
    """The mock answered a control API call with an error status.

    ``status`` is the HTTP status and ``body`` the parsed answer: the control API's error shape
    ``{"error": "...", "problems": [{"path": "...", "reason": "..."}]}``.
    """

    def __init__(self, method: str, url: str, status: int, body: Any) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.body = body
        shown = body if isinstance(body, str) else json.dumps(body)
        super().__init__(f"{method} {url} answered {status}: {shown}")


def _parse(raw: bytes, content_type: Optional[str]) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    if content_type and "json" in content_type:
        return json.loads(text)
    return text


def call(
    method: str,
    url: str,
    body: Any = NO_BODY,
    *,
    headers: Optional[Mapping[str, str]] = None,
    timeout: float = 10.0,
) -> Any:
    """Sends one request and returns the parsed answer; raises :class:`ControlError` on 4xx/5xx.

    A body is sent as ``application/json``, the one type the control API takes for a change of
    state. No ``Origin`` header is sent: the control API refuses a foreign one.
    """
    sent = {"Accept": "application/json", **(headers or {})}
    data = None
    if body is not NO_BODY:
        data = json.dumps(body).encode("utf-8")
        sent["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return _parse(answer.read(), answer.headers.get("Content-Type"))
    except urllib.error.HTTPError as error:
        with error:
            parsed = _parse(error.read(), error.headers.get("Content-Type"))
        raise ControlError(method, url, error.code, parsed) from None
