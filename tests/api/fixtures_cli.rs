//! The binary: a bad fixture prints every problem and exits 2; a directory of fixtures is
//! merged; `--port 0` prints the chosen URL; SIGTERM shuts down gracefully.

use std::process::Command;

use crate::helpers::{BIN, start_binary, stop_binary, temp_dir};

#[test]
fn a_bad_fixture_prints_every_problem_and_exits_2() {
    let dir = temp_dir("bad");
    let file = dir.join("bad.json");
    std::fs::write(
        &file,
        r#"{
          "accounts": [{ "accountId": 1, "name": "A", "email": "a@x" }, { "accountId": 1, "name": "B", "email": "b@x" }],
          "sites": [{ "slug": "main", "kind": "enterprise", "name": "M",
                      "users": [{ "id": 1, "accountId": 1, "role": "Owner" }],
                      "userGroups": [{ "id": 1, "name": "G", "userIds": [7] }],
                      "subjectMatterExperts": [{ "tagId": 3 }] }],
          "tokens": [{ "token": "t", "accountId": 9, "kind": "oauth" }]
        }"#,
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["--port", "0", "--fixtures"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit code; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "$.accounts[1].accountId: duplicate accountId 1",
        "$.sites[0].users[0].role: unknown variant `Owner`",
        "$.sites[0].userGroups[0].userIds[0]: 7 is not a user of this site",
        "$.sites[0].subjectMatterExperts[0].tagId: tag 3 does not exist",
        "$.tokens[0].accountId: token owner 9 is not an account",
    ] {
        assert!(
            stderr.contains(expected),
            "stderr lacks {expected:?}:\n{stderr}"
        );
    }
    assert!(
        out.stdout.is_empty(),
        "nothing is served: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_directory_of_fixtures_is_merged_and_checked() {
    let dir = temp_dir("dir");
    std::fs::write(
        dir.join("a.json"),
        r#"{ "accounts": [{ "accountId": 1, "name": "A", "email": "a@x" }] }"#,
    )
    .unwrap();
    std::fs::write(dir.join("b.json"), r#"{ "sites": [{ "slug": "acme", "kind": "business", "name": "Acme", "users": [{ "id": 1, "accountId": 1, "role": "Admin" }] }] }"#).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a fixture").unwrap();
    let out = Command::new(BIN)
        .arg("--check")
        .arg("--fixtures")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(dir.join("c.json"), r#"{ "sites": [{ "slug": "acme", "kind": "business", "name": "Acme", "users": [{ "id": 1, "accountId": 2, "role": "Admin" }] }] }"#).unwrap();
    let out = Command::new(BIN)
        .arg("--check")
        .arg("--fixtures")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("c.json: $.sites[0].users[0].id: duplicate user id 1"),
        "{stderr}"
    );
}

#[test]
fn the_embedded_default_fixtures_pass_the_check() {
    let out = Command::new(BIN).arg("--check").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn port_zero_prints_the_url_and_sigterm_stops_the_server_gracefully() {
    let (child, url, mut lines) = start_binary(&[], &[]);
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );
    let rest: Vec<String> = lines.by_ref().take(6).map(Result::unwrap).collect();
    for shape in [
        "/api/v3",
        "/api/v3/teams/{team}",
        "/v3/teams/{team}",
        "/api/2.3/enterprise/usersync",
        "/openapi.json",
        "/swagger-ui/",
    ] {
        assert!(
            rest.iter().any(|l| l.ends_with(&format!("{url}{shape}"))),
            "no startup line for {shape}: {rest:#?}"
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/api/v3/users/me"))
            .bearer_auth("ada-rw")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    assert_eq!(status, 200);
    stop_binary(child);
}

/// With request logs on (`info`, the default), the app runs inside the logging router: every
/// route still answers as it does without logs, and each answer is logged (on standard output,
/// after the startup lines) without its token.
#[test]
fn with_request_logs_on_every_route_answers_and_is_logged_without_its_token() {
    let (child, url, lines) = start_binary(&["--log-format", "json"], &[("RUST_LOG", "info")]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = reqwest::Client::new();
    let get = |path: String| {
        let req = client.get(format!("{url}{path}")).bearer_auth("ada-rw");
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    rt.block_on(async {
        let groups = "/api/v3/user-groups?pageSize=30".to_string();
        let rendered = get(groups.clone()).await;
        assert_eq!(rendered.0, 200);
        assert_eq!(get(groups).await, rendered, "kept: the same answer");
        let doc = get("/openapi.json".into()).await;
        assert_eq!(doc.0, 200);
        assert!(doc.1.contains("\"openapi\""));
        assert_eq!(get("/api/v3/no-such-route".into()).await.0, 404);
        let created = client
            .post(format!("{url}/__admin/sandboxes"))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status().as_u16(), 201);
        let base: serde_json::Value = created.json().await.unwrap();
        let base = base["baseUrl"].as_str().unwrap().to_string();
        assert_eq!(get(format!("{base}/api/v3/users/me")).await.0, 200);
    });
    stop_binary(child);
    let logged: Vec<String> = lines.map(Result::unwrap).collect();
    let events: Vec<serde_json::Value> = logged
        .iter()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line)
                .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"))
        })
        .collect();
    let statuses: Vec<u64> = events
        .iter()
        .filter(|event| event["message"] == "response")
        .map(|event| event["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 200, 200, 404, 201, 200], "{logged:#?}");
    assert!(
        !logged.iter().any(|line| line.contains("ada-rw")),
        "a token in the logs: {logged:#?}"
    );
}

/// Logs written to a pipe or a file are plain text: no colour escape codes, whatever the level.
#[test]
fn logs_to_a_pipe_carry_no_colour_codes() {
    let (child, url, lines) = start_binary(&[], &[("RUST_LOG", "debug")]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = reqwest::Client::new();
        for path in ["/api/v3/users/me", "/api/v3/nope?access_token=secret-token"] {
            client
                .get(format!("{url}{path}"))
                .bearer_auth("ada-rw")
                .send()
                .await
                .unwrap();
        }
    });
    stop_binary(child);
    let logged: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(
        logged
            .iter()
            .any(|l| l.contains("path=/api/v3/nope query=access_token=sec… status=404")),
        "{logged:#?}"
    );
    assert!(
        !logged.iter().any(|l| l.contains('\u{1b}')),
        "colour codes in piped logs: {logged:#?}"
    );
}

/// The README points at `fixtures/example.json` as a fixture that loads as is; it does, and its
/// banner's token reads.
#[test]
fn the_example_fixture_loads_as_is() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example.json");
    let out = Command::new(BIN)
        .args(["--check", "--fixtures", example])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "fixtures OK\n");
    let (child, url, _lines) = start_binary(&["--fixtures", example], &[]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/api/v3/users/me"))
            .bearer_auth("ada-rw")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    assert_eq!(status, 200);
    stop_binary(child);
}
