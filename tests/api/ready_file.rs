//! `--ready-file` (`SOTEAMS_READY_FILE`): a harness that starts the binary with `--port 0` reads
//! the URL from a file instead of the banner. These tests never read the binary's output.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{BIN, TestApp, stop_binary};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "soteams-mock-test-ready-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary on a free port, its output thrown away, as a harness that reads no banner runs it.
fn start_quiet(args: &[&str], env: &[(&str, &Path)]) -> Child {
    Command::new(BIN)
        .args(["--port", "0", "--host", "127.0.0.1"])
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits for the ready file the way a harness does: until it exists, while the process lives.
fn wait_for_ready_file(child: &mut Child, path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            return text;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the binary exited ({status}) before writing {path:?}");
        }
        assert!(
            Instant::now() < deadline,
            "no ready file {path:?} after 20 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The URL of a ready file's one line.
fn url_of(text: &str) -> &str {
    let url = text
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("the ready file ends with a newline: {text:?}"));
    let port = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("the ready file holds the base URL: {text:?}"));
    assert!(
        port.parse::<u16>().is_ok_and(|p| p != 0),
        "the chosen port, not 0: {text:?}"
    );
    url
}

async fn assert_healthy(url: &str) {
    let health = TestApp::at(url)
        .get("/__admin/health")
        .send()
        .await
        .ok_json(200);
    assert_eq!(health["status"], "ok", "{health}");
}

#[tokio::test]
async fn the_ready_file_holds_the_url_that_answers_health_and_goes_at_shutdown() {
    let dir = temp_dir("flag");
    let path = dir.join("ready");
    let mut child = start_quiet(&["--ready-file", path.to_str().unwrap()], &[]);
    let text = wait_for_ready_file(&mut child, &path);
    assert_healthy(url_of(&text)).await;
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["ready"], "no temporary file is left beside it");
    stop_binary(child);
    assert!(
        !path.exists(),
        "the file is removed when the server stops, so no harness reads a dead URL"
    );
}

#[tokio::test]
async fn the_ready_file_can_be_named_by_soteams_ready_file() {
    let dir = temp_dir("env");
    let path = dir.join("url.txt");
    let mut child = start_quiet(&[], &[("SOTEAMS_READY_FILE", &path)]);
    let text = wait_for_ready_file(&mut child, &path);
    assert_healthy(url_of(&text)).await;
    stop_binary(child);
}

#[test]
fn a_ready_file_that_cannot_be_written_stops_the_binary_with_a_message() {
    let dir = temp_dir("unwritable");
    let path = dir.join("no-such-dir").join("ready");
    let out = Command::new(BIN)
        .args(["--port", "0", "--ready-file"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a harness would wait forever");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot write the ready file") && stderr.contains("no-such-dir"),
        "stderr names the file: {stderr}"
    );
}
