"""One instance of the mock (the root, or a sandbox): its API base URLs and control API helpers.

Every helper is one call of the control API (docs/control-api.md) on this instance, and returns
its parsed JSON answer; an error answer raises :class:`ControlError`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Mapping, Optional, Union, cast
from urllib.parse import quote, urlencode

from ._http import NO_BODY, ControlError, call

__all__ = ["Instance", "Sandbox", "ControlError", "USERSYNC_FAILURES"]

JSONObject = Dict[str, Any]

USERSYNC_FAILURES = (
    "OtherError",
    "ErrorTryingToResolveUsers",
    "FailedToDetermineChanges",
    "ErrorApplyingChanges",
    "PartialSyncFailure",
)
"""The usersync ``StatusCode``s only fault injection produces (the other five come from input)."""

_UNSET: Any = object()


def _segment(value: str) -> str:
    return quote(str(value), safe="")


def _filters(**given: Any) -> str:
    query = urlencode({k: v for k, v in given.items() if v is not None})
    return f"?{query}" if query else ""


class Instance:
    """The root instance of a server, or a sandbox: everything under ``url``.

    ``url`` is the instance's base URL: ``http://127.0.0.1:PORT`` for the root,
    ``http://127.0.0.1:PORT/_sandbox/sb-…`` for a sandbox. Every route of the mock works under it.
    """

    def __init__(
        self, url: str, *, admin_token: Optional[str] = None, timeout: float = 10.0
    ) -> None:
        self.url = url.rstrip("/")
        self.admin_token = admin_token
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"

    # -- the emulated APIs' base URLs ------------------------------------------------------------

    @property
    def v3_url(self) -> str:
        """The Enterprise main site's v3 base: ``…/api/v3``."""
        return f"{self.url}/api/v3"

    def v3_team_url(self, team: str) -> str:
        """An Enterprise private team's v3 base: ``…/api/v3/teams/{team}``."""
        return f"{self.url}/api/v3/teams/{_segment(team)}"

    def v3_cloud_url(self, team: str) -> str:
        """A Basic or Business cloud team's v3 base: ``…/v3/teams/{team}``."""
        return f"{self.url}/v3/teams/{_segment(team)}"

    @property
    def usersync_url(self) -> str:
        """The Enterprise usersync endpoint: ``…/api/2.3/enterprise/usersync``."""
        return f"{self.url}/api/2.3/enterprise/usersync"

    # -- any control route -----------------------------------------------------------------------

    def admin(self, method: str, path: str, body: Any = NO_BODY) -> Any:
        """Calls ``{url}/__admin{path}`` and returns the parsed answer (``None`` for no body)."""
        headers = {"X-Admin-Token": self.admin_token} if self.admin_token else {}
        return call(
            method, f"{self.url}/__admin{path}", body, headers=headers, timeout=self.timeout
        )

    def _object(self, method: str, path: str, body: Any = NO_BODY) -> JSONObject:
        return cast(JSONObject, self.admin(method, path, body))

    # -- health, reset, state, snapshots ---------------------------------------------------------

    def health(self) -> JSONObject:
        """``{"status": "ok", "instance": "root" | "sandbox", "version": …, "now": …}``."""
        return self._object("GET", "/health")

    def reset(self) -> None:
        """Back to the loaded fixtures, real time, no faults, an empty journal (snapshots stay)."""
        self.admin("POST", "/reset")

    def export_state(self) -> JSONObject:
        """The whole world as one fixture document."""
        return self._object("GET", "/state")

    def import_state(self, state: Mapping[str, Any]) -> JSONObject:
        """Replaces the world with a fixture document; returns the counts it loaded."""
        return self._object("PUT", "/state", dict(state))

    def take_snapshot(self, name: str) -> JSONObject:
        return self._object("POST", "/snapshots", {"name": name})

    def snapshots(self) -> List[JSONObject]:
        return cast(List[JSONObject], self._object("GET", "/snapshots")["snapshots"])

    def restore_snapshot(self, name: str) -> None:
        self.admin("POST", f"/snapshots/{_segment(name)}/restore")

    def delete_snapshot(self, name: str) -> None:
        self.admin("DELETE", f"/snapshots/{_segment(name)}")

    # -- faults ----------------------------------------------------------------------------------

    def add_fault(self, rule: Mapping[str, Any]) -> JSONObject:
        """Adds a fault rule (``match``, ``action``, ``trigger``, ``name``); returns it with its
        ``id``."""
        return self._object("POST", "/faults", dict(rule))

    def fail_usersync(
        self,
        status_code: str,
        *,
        team: Optional[str] = None,
        applied: Optional[int] = None,
        trigger: Optional[Mapping[str, Any]] = None,
    ) -> JSONObject:
        """Makes usersync fail one team (or every team) with a system-failure ``StatusCode``.

        ``status_code`` is one of :data:`USERSYNC_FAILURES`; ``applied`` is how many planned
        changes ``PartialSyncFailure`` keeps. ``ErrorApplyingChanges`` and ``PartialSyncFailure``
        strike real runs only (``dryRun=false``).
        """
        action: JSONObject = {"usersync": status_code}
        if team is not None:
            action["team"] = team
        if applied is not None:
            action["applied"] = applied
        rule: JSONObject = {"match": {"api": "usersync"}, "action": action}
        if trigger is not None:
            rule["trigger"] = dict(trigger)
        return self.add_fault(rule)

    def faults(self) -> List[JSONObject]:
        """The rules, each with its ``calls``, ``hits`` and ``active``."""
        return cast(List[JSONObject], self._object("GET", "/faults")["rules"])

    def fault(self, rule_id: str) -> JSONObject:
        return self._object("GET", f"/faults/{_segment(rule_id)}")

    def delete_fault(self, rule_id: str) -> None:
        self.admin("DELETE", f"/faults/{_segment(rule_id)}")

    def clear_faults(self) -> int:
        """Removes every rule; returns how many there were."""
        return int(self._object("DELETE", "/faults")["removed"])

    # -- journal ---------------------------------------------------------------------------------

    def journal(
        self,
        *,
        method: Optional[str] = None,
        path: Optional[str] = None,
        status: Union[int, str, None] = None,
        api: Optional[str] = None,
        site: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> JSONObject:
        """The journaled requests that match, oldest first:
        ``{"total", "dropped", "capacity", "requests": [...]}``."""
        query = _filters(method=method, path=path, status=status, api=api, site=site, limit=limit)
        return self._object("GET", f"/requests{query}")

    def journal_count(
        self,
        *,
        method: Optional[str] = None,
        path: Optional[str] = None,
        status: Union[int, str, None] = None,
        api: Optional[str] = None,
        site: Optional[str] = None,
    ) -> int:
        """How many journaled requests match (``status`` may be ``503``, ``"5xx"``,
        ``"dropped"``)."""
        query = _filters(method=method, path=path, status=status, api=api, site=site)
        return int(self._object("GET", f"/requests/count{query}")["count"])

    def clear_journal(self) -> int:
        """Empties the journal; returns how many entries it held."""
        return int(self._object("DELETE", "/requests")["removed"])

    # -- tokens ----------------------------------------------------------------------------------

    def mint_token(
        self,
        account_id: int,
        *,
        kind: Optional[str] = None,
        scope: Optional[str] = None,
        write: Optional[bool] = None,
        expires_at: Union[str, _dt.datetime, None] = _UNSET,
        token: Optional[str] = None,
        description: Optional[str] = None,
    ) -> JSONObject:
        """Mints a token (``kind`` ``pat`` by default, which needs a ``scope``); returns it with
        the token string in full. ``expires_at=None`` never expires; left out, it expires 24 h
        from now on the mock clock."""
        body: JSONObject = {"accountId": account_id}
        for name, value in (
            ("kind", kind),
            ("scope", scope),
            ("write", write),
            ("token", token),
            ("description", description),
        ):
            if value is not None:
                body[name] = value
        if expires_at is not _UNSET:
            body["expiresAt"] = _rfc3339(expires_at) if expires_at is not None else None
        return self._object("POST", "/tokens", body)

    def revoke_token(self, token: str) -> None:
        """From now on the token answers like an unknown one."""
        self.admin("POST", "/tokens/revoke", {"token": token})

    # -- clock -----------------------------------------------------------------------------------

    def clock(self) -> JSONObject:
        """``{"now": "…", "offsetSeconds": N}``."""
        return self._object("GET", "/clock")

    def set_clock(self, now: Union[str, _dt.datetime]) -> JSONObject:
        """Sets the mock clock (an RFC 3339 string, or an aware datetime); it keeps ticking."""
        return self._object("PUT", "/clock", {"now": _rfc3339(now)})

    def advance_clock(self, seconds: int) -> JSONObject:
        """Moves the clock by whole seconds (negative: back)."""
        return self._object("POST", "/clock/advance", {"seconds": int(seconds)})

    def reset_clock(self) -> JSONObject:
        """Back to real time."""
        return self._object("DELETE", "/clock")

    # -- rate limits -----------------------------------------------------------------------------

    def rate_limits_enforced(self) -> bool:
        return bool(self._object("GET", "/rate-limits")["enforced"])

    def set_rate_limits(self, enforced: bool) -> None:
        """Switches enforcement: a token's 51st v3 call within 2 s then gets 429."""
        self.admin("PUT", "/rate-limits", {"enforced": bool(enforced)})


def _rfc3339(moment: Union[str, _dt.datetime]) -> str:
    if isinstance(moment, str):
        return moment
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone: give an aware datetime or a string")
    return moment.isoformat()


class Sandbox(Instance):
    """A sandbox of a server: a private copy of the loaded fixtures, with its own clock, journal,
    faults, tokens and rate limits, under ``{server}/_sandbox/{id}``. Delete it when done (or use
    it as a context manager); an idle one expires by itself."""

    def __init__(
        self,
        server_url: str,
        info: Mapping[str, Any],
        *,
        admin_token: Optional[str] = None,
        timeout: float = 10.0,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.id: str = info["id"]
        self.info: JSONObject = dict(info)
        super().__init__(
            f"{self.server_url}{info['baseUrl']}", admin_token=admin_token, timeout=timeout
        )

    def delete(self, *, missing_ok: bool = True) -> None:
        """Deletes the sandbox (a root route). A sandbox already gone is fine unless
        ``missing_ok`` is false."""
        headers = {"X-Admin-Token": self.admin_token} if self.admin_token else {}
        try:
            call(
                "DELETE",
                f"{self.server_url}/__admin/sandboxes/{_segment(self.id)}",
                headers=headers,
                timeout=self.timeout,
            )
        except ControlError as error:
            if not (missing_ok and error.status == 404):
                raise

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.delete()
