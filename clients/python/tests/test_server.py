"""Starting and stopping a server, connecting to one, and the session's server."""

import os
import subprocess
import sys
import time

import pytest
import requests

from soteams_mock import ControlError, SoteamsMock, connect_soteams_mock, start_soteams_mock


def test_a_started_server_listens_on_a_free_port_and_stops_gracefully():
    server = start_soteams_mock()
    assert server.url.startswith("http://127.0.0.1:")
    assert not server.url.endswith(":8080"), "--port 0 picks a free port"
    assert server.root.health()["instance"] == "root"
    process, log_path = server.process, server.log_path
    assert process is not None and os.path.exists(log_path)
    assert server.stop() == 0, "SIGTERM is a graceful stop: exit code 0"
    assert process.poll() == 0
    assert not os.path.exists(log_path), "the temporary directory is removed"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.url}/__admin/health", timeout=2)


def test_a_started_server_is_a_context_manager_and_keeps_its_output():
    with start_soteams_mock() as server:
        requests.get(f"{server.url}/api/v3/users/me", headers={"Authorization": "Bearer ada-rw"})
        deadline = time.monotonic() + 5  # log lines are written out every 20 ms
        while "/api/v3/users/me" not in server.log() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "/api/v3/users/me" in server.log(), "request logs go to the log file"
    assert server.process is None


def test_an_admin_token_is_required_by_the_server_and_sent_by_the_helpers():
    with start_soteams_mock(admin_token="s3cret") as server:
        assert server.root.health()["status"] == "ok"
        with server.sandbox() as sandbox:
            assert sandbox.clock()["offsetSeconds"] == 0
        answer = requests.get(f"{server.url}/__admin/health")
        assert answer.status_code == 401


def test_a_connected_server_is_left_running(soteams_server):
    connected = connect_soteams_mock(soteams_server.url)
    assert connected.stop() is None
    assert soteams_server.root.health()["status"] == "ok"


def test_the_session_server_is_one_server_for_the_whole_run(soteams_server, soteams):
    assert isinstance(soteams_server, SoteamsMock)
    assert soteams.server_url == soteams_server.url
    assert soteams.url == f"{soteams_server.url}/_sandbox/{soteams.id}"
    assert soteams.health()["instance"] == "sandbox"


def test_a_deleted_sandbox_answers_404_and_deleting_it_again_is_fine(soteams_server):
    sandbox = soteams_server.sandbox(idle_timeout_seconds=60)
    assert sandbox.info["idleTimeoutSeconds"] == 60
    sandbox.delete()
    sandbox.delete()
    with pytest.raises(ControlError) as caught:
        sandbox.health()
    assert caught.value.status == 404
    with pytest.raises(ControlError):
        sandbox.delete(missing_ok=False)


SESSION = '''
import os


def test_one(soteams_server, soteams):
    assert soteams_server.process is not None, "this session started it"
    with open(os.environ["RECORDS"], "a") as f:
        f.write(soteams_server.url + "\\n")


def test_two(soteams_server, soteams):
    with open(os.environ["RECORDS"], "a") as f:
        f.write(soteams_server.url + "\\n")
'''


def test_without_xdist_the_session_starts_one_server_and_stops_it(pytester, monkeypatch, tmp_path):
    monkeypatch.delenv("SOTEAMS_MOCK_URL", raising=False)
    if os.environ.get("SOTEAMS_MOCK_BIN"):  # the inner run has a directory of its own
        monkeypatch.setenv("SOTEAMS_MOCK_BIN", os.path.abspath(os.environ["SOTEAMS_MOCK_BIN"]))
    records = tmp_path / "urls"
    monkeypatch.setenv("RECORDS", str(records))
    pytester.makepyfile(test_session=SESSION)
    pytester.runpytest_subprocess("-p", "no:xdist", "-p", "no:cacheprovider").assert_outcomes(
        passed=2
    )
    urls = records.read_text().split()
    assert len(urls) == 2 and urls[0] == urls[1], "one server for the session"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{urls[0]}/__admin/health", timeout=2)


def test_a_missing_binary_fails_only_the_tests_that_use_the_server(pytester, monkeypatch):
    monkeypatch.delenv("SOTEAMS_MOCK_URL", raising=False)
    monkeypatch.delenv("SOTEAMS_MOCK_BIN", raising=False)
    monkeypatch.setenv("PATH", str(pytester.path))
    pytester.makepyfile(
        test_missing="def test_uses(soteams):\n    pass\n\ndef test_does_not():\n    pass\n"
    )
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*BinaryNotFound*not on PATH*"])


def test_a_server_the_script_forgot_to_stop_does_not_outlive_it():
    script = (
        "from soteams_mock import start_soteams_mock\n"
        "server = start_soteams_mock()\n"
        "print(server.process.pid)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True
    )
    pid = int(done.stdout)
    deadline = time.monotonic() + 2
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(pid), "the server is killed when Python exits"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
