//! Hardening, validation gaps (issue 13, item 7): what a fault rule, the `X-Mock-Fault`
//! header, a state document or a fixture file may hold, and what is refused up front with a
//! 400 (or exit code 2) naming the field, instead of failing later.

use serde_json::{Value, json};

use crate::helpers::*;

/// Asserts a 400 in the control API's shape with a problem at `path` whose reason contains
/// `reason_part`.
#[track_caller]
fn assert_problem(res: &Resp, path: &str, reason_part: &str) -> Value {
    let body = res.ok_json(400);
    assert!(body["error"].is_string(), "{body}");
    let problems = body["problems"].as_array().expect("a problem list");
    assert!(
        problems
            .iter()
            .any(|p| p["path"] == path && p["reason"].as_str().unwrap().contains(reason_part)),
        "expected a problem at {path} saying {reason_part:?}: {body}"
    );
    body
}

#[tokio::test]
async fn a_fault_rule_with_an_interim_or_unknown_status_is_refused_and_nothing_is_added() {
    let app = spawn_app().await;
    for status in [100, 101, 199, 600, 999] {
        let res = app
            .post("/__admin/faults")
            .json(&json!({"action": {"status": status}}))
            .send()
            .await;
        assert_problem(&res, "$.action.status", "200 to 599");
    }
    let rules = app.get("/__admin/faults").send().await.ok_json(200);
    assert_eq!(rules["rules"], json!([]), "no rule was added");
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn a_fault_rule_with_a_content_type_that_is_no_media_type_is_refused() {
    let app = spawn_app().await;
    for content_type in [
        "a\u{1}b",
        "text/plain\r\nx-evil: 1",
        "text/plain\u{7f}",
        "plain",
        "text/plain; charset",
        " text/plain",
        "",
    ] {
        let res = app
            .post("/__admin/faults")
            .json(&json!({"action": {"status": 503, "body": "down", "contentType": content_type}}))
            .send()
            .await;
        assert_problem(&res, "$.action.contentType", "is not a media type");
    }
    let rules = app.get("/__admin/faults").send().await.ok_json(200);
    assert_eq!(rules["rules"], json!([]), "no rule was added");
}

#[tokio::test]
async fn a_valid_status_and_media_type_are_injected_as_given() {
    let app = spawn_app().await;
    app.fault(
        "",
        json!({"match": {"path": "/api/v3/users/me"},
               "action": {"status": 200, "body": "a,b\n1,2\n",
                          "contentType": "text/csv; charset=\"utf-8\"; header=present"}}),
    )
    .await;
    let res = app
        .get("/api/v3/users/me")
        .token("ada-rw")
        .unchecked()
        .send()
        .await;
    res.expect(200);
    assert_eq!(
        res.header("content-type"),
        Some("text/csv; charset=\"utf-8\"; header=present")
    );
    assert_eq!(res.text, "a,b\n1,2\n");
}

#[tokio::test]
async fn the_fault_header_refuses_interim_statuses_and_bad_content_types_in_the_control_shape() {
    let app = spawn_app().await;
    let cases = [
        ("status=100", "X-Mock-Fault.status"),
        ("status=101", "X-Mock-Fault.status"),
        (r#"{"status": 101}"#, "X-Mock-Fault.status"),
        (
            r#"{"status": 503, "body": "x", "contentType": "a\u0001b"}"#,
            "X-Mock-Fault.contentType",
        ),
        (
            r#"{"status": 503, "body": "x", "contentType": "no media type"}"#,
            "X-Mock-Fault.contentType",
        ),
    ];
    for (header, path) in cases {
        for (method, url) in [
            (reqwest::Method::GET, "/api/v3/users/me"),
            (reqwest::Method::GET, "/__admin/health"),
            (reqwest::Method::POST, "/api/2.3/enterprise/usersync"),
        ] {
            let res = app
                .call(method, url)
                .token("ada-rw")
                .header("X-Mock-Fault", header)
                .unchecked()
                .send()
                .await;
            assert!(
                res.header("upgrade").is_none() && res.header("connection") != Some("upgrade"),
                "{header}: never a protocol switch"
            );
            let body = assert_problem(&res, path, "");
            assert!(
                body["error"]
                    .as_str()
                    .unwrap()
                    .contains("X-Mock-Fault header is not valid"),
                "{body}"
            );
        }
    }
    // The same header, valid, is injected.
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .header("X-Mock-Fault", "status=204")
        .unchecked()
        .send()
        .await
        .expect(204);
}

#[tokio::test]
async fn a_state_document_that_is_not_an_object_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let before = app.get("/__admin/state").send().await.ok_json(200);
    for doc in ["[]", "null", "\"x\"", "1", "[{}]", "true"] {
        let res = app
            .put("/__admin/state")
            .body("application/json", doc)
            .send()
            .await;
        assert_problem(
            &res,
            "request body: $",
            "a fixture document must be a JSON object",
        );
    }
    assert_eq!(
        app.get("/__admin/state").send().await.ok_json(200),
        before,
        "the world is as before"
    );
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
}

#[test]
fn a_fixture_file_that_is_not_an_object_exits_2_at_check_and_at_start_up() {
    let dir = std::env::temp_dir().join(format!("soteams-mock-test-notobj-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, doc) in ["[]", "null", "\"x\"", "1"].into_iter().enumerate() {
        let file = dir.join(format!("doc{i}.json"));
        std::fs::write(&file, doc).unwrap();
        for check in [true, false] {
            let mut cmd = std::process::Command::new(BIN);
            cmd.args(["--port", "0", "--fixtures"]).arg(&file);
            if check {
                cmd.arg("--check");
            }
            let out = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{doc} (check {check}): {stderr}"
            );
            assert!(
                stderr.contains("$: a fixture document must be a JSON object"),
                "{doc}: {stderr}"
            );
            assert!(
                !String::from_utf8_lossy(&out.stdout).contains("fixtures OK"),
                "{doc}: never reported as valid"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
