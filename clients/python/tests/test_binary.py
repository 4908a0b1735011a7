"""Finding the binary, and what a start that fails says."""

import os
import stat

import pytest

from soteams_mock import BinaryNotFound, StartError, find_binary, start_soteams_mock


def _executable(path, text="#!/bin/sh\nexit 0\n"):
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_soteams_mock_bin_wins_over_path(tmp_path):
    named = _executable(tmp_path / "my-mock")
    on_path = tmp_path / "bin"
    on_path.mkdir()
    _executable(on_path / "soteams-mock")
    env = {"SOTEAMS_MOCK_BIN": str(named), "PATH": str(on_path)}
    assert find_binary(env) == str(named)


def test_without_soteams_mock_bin_the_binary_is_looked_up_on_path(tmp_path):
    _executable(tmp_path / "soteams-mock")
    assert find_binary({"PATH": f"/nonexistent:{tmp_path}"}) == str(tmp_path / "soteams-mock")


def test_no_binary_fails_with_a_message_that_says_how_to_get_it(tmp_path):
    with pytest.raises(BinaryNotFound) as caught:
        find_binary({"PATH": str(tmp_path)})
    message = str(caught.value)
    assert "SOTEAMS_MOCK_BIN" in message
    assert "cargo install --locked --path ." in message
    assert "scripts/build-static.sh" in message


def test_a_soteams_mock_bin_that_is_not_executable_is_refused(tmp_path):
    text_file = tmp_path / "not-a-program"
    text_file.write_text("")
    with pytest.raises(BinaryNotFound, match="not an executable file"):
        find_binary({"SOTEAMS_MOCK_BIN": str(text_file), "PATH": os.defpath})


def test_a_binary_that_exits_at_start_fails_with_its_output(tmp_path):
    failing = _executable(tmp_path / "soteams-mock", "#!/bin/sh\necho 'bad flag' >&2\nexit 3\n")
    with pytest.raises(StartError) as caught:
        start_soteams_mock(binary=str(failing))
    assert "exited with code 3" in str(caught.value)
    assert "bad flag" in str(caught.value)


def test_a_bad_fixture_fails_the_start_with_the_binarys_reasons(tmp_path):
    world = tmp_path / "world.json"
    world.write_text("[]")
    with pytest.raises(StartError) as caught:
        start_soteams_mock(args=["--fixtures", str(world)])
    assert "exited with code 2" in str(caught.value)
    assert "refusing to start" in str(caught.value)
