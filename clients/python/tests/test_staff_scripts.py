"""The mock driven with ``requests`` the way the public scripts of Stack Overflow staff drive
the real service: v3 lists read page by page with a lowercase ``pagesize``, and a usersync call
with the token and key in headers and ``dryRun=True`` in the form."""

import json
import time

import requests


def get_items(api_url, token, endpoint, page_size=100):
    """Every item of a v3 list, the way the staff scripts loop over pages."""
    headers = {"Authorization": f"Bearer {token}"}
    params = {"page": 1, "pagesize": page_size}
    items = []
    while True:
        response = requests.get(f"{api_url}/{endpoint}", headers=headers, params=params)
        if response.status_code != 200:
            raise RuntimeError(f"{endpoint}: {response.status_code} {response.text}")
        # The scripts back off when the throttle runs low; the mock reports full limits.
        if int(response.headers["x-burst-throttle-calls-left"]) < 5:
            time.sleep(2)
        data = response.json()
        items += data["items"]
        if params["page"] >= data["totalPages"]:
            return items, data
        params["page"] += 1


def sync_teams(base_url, token, key, teams_data, dryrun=True):
    """A usersync call as the one public client of the endpoint sends it."""
    endpoint = base_url + "/api/2.3/enterprise/usersync"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-API-Access-Token": token,
        "X-API-Key": key,
    }
    form_data = {"requestsJson": json.dumps(teams_data), "dryRun": dryrun}
    response = requests.post(endpoint, data=form_data, headers=headers)
    return json.loads(response.text)


def test_v3_lists_are_read_page_by_page_with_pagesize(soteams):
    for n in range(20):
        created = requests.post(
            f"{soteams.v3_url}/user-groups",
            headers={"Authorization": "Bearer ada-rw"},
            json={"name": f"Script group {n:02}", "userIds": [1]},
        )
        assert created.status_code == 201, created.text
    groups, last = get_items(soteams.v3_url, "ada-rw", "user-groups", page_size=15)
    assert last["pageSize"] == 15, "a lowercase pagesize is honoured"
    assert last["totalPages"] == 2 and last["page"] == 2
    assert len(groups) == last["totalCount"]
    assert len({g["id"] for g in groups}) == len(groups), "no item is read twice"
    assert sum(g["name"].startswith("Script group") for g in groups) == 20


def test_every_shape_pages_the_same_way(soteams):
    for api_url, token in [
        (soteams.v3_url, "ada-rw"),
        (soteams.v3_team_url("productone"), "ada-rw"),
        (soteams.v3_cloud_url("acme"), "acme-admin-rw"),
    ]:
        users, last = get_items(api_url, token, "users", page_size=15)
        assert len(users) == last["totalCount"] > 0, api_url
        assert len({u["id"] for u in users}) == len(users), api_url


def test_usersync_with_headers_and_a_dry_run_changes_nothing_then_a_real_run_does(soteams):
    teams_data = [
        {
            "Team": "productone",
            "Members": [
                {"UserIdentifier": "ada", "Level": "Admin"},
                {"UserIdentifier": "new.hire", "Level": "Member"},
            ],
        }
    ]

    def roster():
        users, _ = get_items(soteams.v3_team_url("productone"), "ada-rw", "users")
        return sorted(u["name"] for u in users)

    before = roster()
    preview = sync_teams(soteams.url, "ada-rw", "local-key", teams_data)
    result = preview["items"][0]["Results"][0]
    assert result["StatusCode"] == "SuccessfulDryRun", preview
    changes = {c["Change"] for c in result["SyncResult"]["IntendedChanges"]}
    assert {"AddToSite", "NoChange", "RemoveFromSite"} <= changes
    assert roster() == before, "a dry run changes nothing"
    sent = soteams.journal(api="usersync", limit=1)["requests"][0]
    assert sent["headers"]["x-api-access-token"] == "ada…", "the token is masked"
    assert json.loads(sent["body"])["dryRun"] == "True", "Python's True, form-encoded"

    applied = sync_teams(soteams.url, "ada-rw", "local-key", teams_data, dryrun=False)
    assert applied["items"][0]["Results"][0]["StatusCode"] == "Success", applied
    assert roster() == ["Ada Admin", "Nia Newhire"]
