"""Each control API helper, on the test's own sandbox (the ``soteams`` fixture)."""

import datetime as dt
import json

import pytest
import requests

from soteams_mock import USERSYNC_FAILURES, ControlError

ADA = {"Authorization": "Bearer ada-rw"}


def v3(sandbox, path, token="ada-rw", **kwargs):
    return requests.get(
        f"{sandbox.v3_url}{path}", headers={"Authorization": f"Bearer {token}"}, **kwargs
    )


def usersync(sandbox, members, dry_run, team="productone"):
    answer = requests.post(
        sandbox.usersync_url,
        headers={"X-API-Access-Token": "ada-rw", "X-API-Key": "local-key"},
        data={"requestsJson": json.dumps([{"Team": team, "Members": members}]), "dryRun": dry_run},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["items"][0]["Results"][0]


def test_the_base_urls_address_the_three_v3_shapes_and_usersync(soteams):
    assert soteams.v3_url == f"{soteams.url}/api/v3"
    assert soteams.v3_team_url("productone") == f"{soteams.url}/api/v3/teams/productone"
    assert soteams.v3_cloud_url("acme") == f"{soteams.url}/v3/teams/acme"
    assert soteams.usersync_url == f"{soteams.url}/api/2.3/enterprise/usersync"
    me = requests.get(f"{soteams.v3_url}/users/me", headers=ADA)
    team = requests.get(f"{soteams.v3_team_url('productone')}/users/me", headers=ADA)
    cloud = requests.get(
        f"{soteams.v3_cloud_url('acme')}/users/me",
        headers={"Authorization": "Bearer acme-admin-rw"},
    )
    assert (me.status_code, team.status_code, cloud.status_code) == (200, 200, 200)


def test_reset_forgets_writes_faults_and_the_journal(soteams):
    created = requests.post(f"{soteams.v3_url}/user-groups", headers=ADA, json={"name": "Temp"})
    assert created.status_code == 201
    soteams.add_fault({"match": {"path": "/nowhere"}, "action": {"status": 500}})
    soteams.reset()
    names = [g["name"] for g in v3(soteams, "/user-groups?pageSize=100").json()["items"]]
    assert "Temp" not in names
    assert soteams.faults() == []
    assert soteams.journal_count(method="POST") == 0


def test_exported_state_imports_back_and_an_edited_one_changes_the_world(soteams):
    state = soteams.export_state()
    main = next(site for site in state["sites"] if site["slug"] == "main")
    main["userGroups"] = [g for g in main["userGroups"] if g["name"] != "Platform Team"]
    counts = soteams.import_state(state)
    assert counts["sites"] == len(state["sites"])
    assert soteams.export_state() == state, "a round trip is lossless"
    with pytest.raises(ControlError) as caught:
        soteams.import_state({"sites": "not a list"})
    assert caught.value.status == 400
    assert caught.value.body["problems"], "every problem is listed with its JSON path"


def test_a_snapshot_restores_the_world_it_saved(soteams):
    soteams.take_snapshot("before")
    requests.post(f"{soteams.v3_url}/user-groups", headers=ADA, json={"name": "Scratch"})
    assert [s["name"] for s in soteams.snapshots()] == ["before"]
    soteams.restore_snapshot("before")
    names = [g["name"] for g in v3(soteams, "/user-groups?pageSize=100").json()["items"]]
    assert "Scratch" not in names
    soteams.delete_snapshot("before")
    assert soteams.snapshots() == []


def test_fault_rules_are_added_listed_read_and_removed(soteams):
    rule = soteams.add_fault(
        {
            "name": "third call fails",
            "match": {"method": "GET", "path": "/api/v3/users/me"},
            "action": {"status": 503},
            "trigger": {"nth": 3},
        }
    )
    assert rule["id"] == "f1"
    statuses = [v3(soteams, "/users/me").status_code for _ in range(4)]
    assert statuses == [200, 200, 503, 200]
    listed = soteams.faults()
    assert [(r["id"], r["calls"], r["hits"], r["active"]) for r in listed] == [
        ("f1", 4, 1, False)
    ]
    assert soteams.fault("f1")["name"] == "third call fails"
    soteams.delete_fault("f1")
    with pytest.raises(ControlError) as caught:
        soteams.fault("f1")
    assert caught.value.status == 404
    soteams.add_fault({"action": {"delayMs": 1}})
    soteams.add_fault({"action": {"delayMs": 1}})
    assert soteams.clear_faults() == 2


def test_a_bad_rule_is_refused_with_every_problem(soteams):
    with pytest.raises(ControlError) as caught:
        soteams.add_fault({"action": {"status": 700}, "trigger": {"nth": 0}})
    assert caught.value.status == 400
    paths = {p["path"] for p in caught.value.body["problems"]}
    assert {"$.action.status", "$.trigger.nth"} <= paths


def test_the_usersync_status_code_shortcut_fails_one_team(soteams):
    assert "ErrorApplyingChanges" in USERSYNC_FAILURES
    rule = soteams.fail_usersync("ErrorApplyingChanges", team="productone")
    assert rule["action"]["usersync"] == "ErrorApplyingChanges"
    members = [{"UserIdentifier": "ada", "Level": "Admin"}]
    assert usersync(soteams, members, dry_run=True)["StatusCode"] == "SuccessfulDryRun", (
        "a dry run has no apply stage to fail"
    )
    assert usersync(soteams, members, dry_run=False)["StatusCode"] == "ErrorApplyingChanges"
    assert usersync(soteams, members, dry_run=False, team="platform")["StatusCode"] == "Success"
    soteams.clear_faults()
    assert usersync(soteams, members, dry_run=False)["StatusCode"] == "Success"


def test_partial_sync_failure_keeps_the_changes_it_applied(soteams):
    def roster():
        answer = requests.get(
            f"{soteams.v3_team_url('productone')}/users?pageSize=100", headers=ADA
        )
        return answer.json()["totalCount"]

    before = roster()
    soteams.fail_usersync("PartialSyncFailure", team="productone", applied=1, trigger={"times": 1})
    members = [{"UserIdentifier": "ada", "Level": "Admin"}]
    result = usersync(soteams, members, dry_run=False)
    assert result["StatusCode"] == "PartialSyncFailure"
    assert len(result["SyncResult"]["ActualChanges"]) == 1
    assert roster() == before - 1, "the one change applied is kept"
    assert usersync(soteams, members, dry_run=False)["StatusCode"] == "Success", "times: 1"
    assert roster() == 1


def test_the_journal_is_queried_counted_and_cleared(soteams):
    for _ in range(2):
        v3(soteams, "/users/me")
    v3(soteams, "/users/me", token="no-such-token")
    assert soteams.journal_count(method="GET", path="/api/v3/users/me") == 3
    assert soteams.journal_count(status=401) == 1
    assert soteams.journal_count(status="2xx", api="v3") == 2
    last = soteams.journal(api="v3", limit=1)
    assert last["total"] == 3 and len(last["requests"]) == 1
    assert last["requests"][0]["headers"]["authorization"] == "Bearer no-…", "tokens are masked"
    assert soteams.clear_journal() == 3
    assert soteams.journal()["requests"] == []


def test_a_minted_token_works_until_it_is_revoked(soteams):
    minted = soteams.mint_token(1002, scope="main", write=True, description="ci")
    token = minted["token"]
    assert v3(soteams, "/users/me", token=token).json()["name"] == "Bob Member"
    soteams.revoke_token(token)
    assert v3(soteams, "/users/me", token=token).status_code == 401
    forever = soteams.mint_token(1001, kind="oauth", expires_at=None, token="my-own-token")
    assert forever["token"] == "my-own-token" and forever["expiresAt"] is None


def test_the_clock_is_read_set_advanced_and_reset(soteams):
    assert v3(soteams, "/users/me", token="expired-pat").status_code == 401
    soteams.set_clock(dt.datetime(2019, 6, 1, tzinfo=dt.timezone.utc))
    assert soteams.clock()["now"].startswith("2019-06-01T00:00")
    assert v3(soteams, "/users/me", token="expired-pat").status_code == 200, (
        "before its expiry the token works again"
    )
    soteams.advance_clock(365 * 86400)
    assert soteams.clock()["now"].startswith("2020-05-31")
    assert v3(soteams, "/users/me", token="expired-pat").status_code == 401
    assert soteams.reset_clock()["offsetSeconds"] == 0
    with pytest.raises(ValueError, match="time zone"):
        soteams.set_clock(dt.datetime(2030, 1, 1))


def test_rate_limits_are_switched_on_and_off(soteams):
    assert soteams.rate_limits_enforced() is False
    assert v3(soteams, "/users/me").headers["x-burst-throttle-calls-left"] == "50"
    soteams.set_rate_limits(True)
    assert soteams.rate_limits_enforced() is True
    assert v3(soteams, "/users/me").headers["x-burst-throttle-calls-left"] == "49"
    soteams.set_rate_limits(False)
    assert v3(soteams, "/users/me").headers["x-burst-throttle-calls-left"] == "50"
