import requests

ADA = {"Authorization": "Bearer ada-rw"}  # a token of the default fixtures


def test_a_new_group_shows_in_the_list(soteams):  # soteams: this test's own sandbox
    created = requests.post(f"{soteams.v3_url}/user-groups", headers=ADA, json={"name": "QA"})
    assert created.status_code == 201
    groups = requests.get(f"{soteams.v3_url}/user-groups", headers=ADA, params={"pageSize": 100})
    assert "QA" in [group["name"] for group in groups.json()["items"]]
    assert soteams.journal_count(method="POST", path="/api/v3/user-groups") == 1


def test_a_failing_usersync_team(soteams):
    soteams.fail_usersync("ErrorApplyingChanges", team="productone")
    answer = requests.post(
        soteams.usersync_url,
        headers={"X-API-Access-Token": "ada-rw", "X-API-Key": "local-key"},
        data={"requestsJson": '[{"Team": "productone", "Members": []}]', "dryRun": False},
    )
    assert answer.json()["items"][0]["Results"][0]["StatusCode"] == "ErrorApplyingChanges"
