"""Parallel tests against one server, kept apart by their sandboxes.

CI runs this suite with ``pytest -n 2``: the parametrized test below then runs on two workers at
once, against the one server the xdist controller started. The pytester test runs an inner
``pytest -n 2`` and checks from outside that it did: one server, two workers, tests that
overlapped in time, and the server stopped at the end.
"""

import json
import os
import time

import pytest
import requests

ADA = {"Authorization": "Bearer ada-rw"}


@pytest.mark.parametrize("n", range(1, 7))
def test_parallel_tests_see_only_their_own_sandbox(soteams, soteams_server, pytestconfig, n):
    workerinput = getattr(pytestconfig, "workerinput", None)
    if workerinput is not None and "soteams_mock_url" in workerinput:
        assert soteams_server.url == workerinput["soteams_mock_url"], "the shared server"
        assert soteams_server.process is None, "the controller owns it, not this worker"
    name = f"parallel-{n}"
    created = requests.post(f"{soteams.v3_url}/user-groups", headers=ADA, json={"name": name})
    assert created.status_code == 201
    soteams.set_clock(f"{2030 + n}-01-01T00:00:00Z")
    soteams.add_fault({"match": {"path": f"/api/v3/tags/{n}"}, "action": {"status": 503}})
    time.sleep(0.3)  # the other worker's tests write meanwhile

    groups = requests.get(f"{soteams.v3_url}/user-groups?pageSize=100", headers=ADA).json()
    assert [g["name"] for g in groups["items"] if g["name"].startswith("parallel-")] == [name]
    assert soteams.clock()["now"].startswith(f"{2030 + n}-01-01")
    for tag in range(1, 7):
        status = requests.get(f"{soteams.v3_url}/tags/{tag}", headers=ADA).status_code
        assert status == (503 if tag == n else 200), f"tag {tag}: only this test's fault fires"
    assert soteams.journal_count(method="POST", path="/api/v3/user-groups") == 1


INNER = '''
import json, os, time

import requests


def record(soteams_server, soteams, worker_id, start):
    with open(os.environ["RECORDS"], "a") as f:
        f.write(json.dumps({"worker": worker_id, "url": soteams_server.url,
                            "sandbox": soteams.id, "start": start, "end": time.time()}) + "\\n")


def write_and_check(soteams, name):
    ada = {"Authorization": "Bearer ada-rw"}
    requests.post(soteams.v3_url + "/user-groups", headers=ada, json={"name": name})
    time.sleep(0.5)
    groups = requests.get(soteams.v3_url + "/user-groups?pageSize=100", headers=ada).json()
    assert [g["name"] for g in groups["items"] if g["name"].startswith("inner-")] == [name]


def run(soteams_server, soteams, worker_id, name):
    start = time.time()
    write_and_check(soteams, name)
    record(soteams_server, soteams, worker_id, start)


def test_a(soteams_server, soteams, worker_id):
    run(soteams_server, soteams, worker_id, "inner-a")


def test_b(soteams_server, soteams, worker_id):
    run(soteams_server, soteams, worker_id, "inner-b")


def test_c(soteams_server, soteams, worker_id):
    run(soteams_server, soteams, worker_id, "inner-c")


def test_d(soteams_server, soteams, worker_id):
    run(soteams_server, soteams, worker_id, "inner-d")
'''


def test_xdist_workers_share_one_server_that_stops_at_the_end(pytester, monkeypatch, tmp_path):
    monkeypatch.delenv("SOTEAMS_MOCK_URL", raising=False)
    if os.environ.get("SOTEAMS_MOCK_BIN"):  # the inner run has a directory of its own
        monkeypatch.setenv("SOTEAMS_MOCK_BIN", os.path.abspath(os.environ["SOTEAMS_MOCK_BIN"]))
    records = tmp_path / "records.jsonl"
    monkeypatch.setenv("RECORDS", str(records))
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    runs = [json.loads(line) for line in records.read_text().splitlines()]
    assert {r["worker"] for r in runs} == {"gw0", "gw1"}
    assert len({r["url"] for r in runs}) == 1, "one server for both workers"
    assert len({r["sandbox"] for r in runs}) == 4, "a sandbox per test"
    overlapped = any(
        a["worker"] != b["worker"] and a["start"] < b["end"] and b["start"] < a["end"]
        for a in runs
        for b in runs
    )
    assert overlapped, f"tests of the two workers ran at the same time: {runs}"
    with pytest.raises(requests.ConnectionError):
        requests.get(runs[0]["url"] + "/__admin/health", timeout=2)
