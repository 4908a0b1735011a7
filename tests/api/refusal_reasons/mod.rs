//! Every refusal says why (issue 14 item 3): each 401, 402 and 403 of v3, usersync (its
//! `error_id`s in an HTTP 400) and the control API names a reason in the mock-only
//! `X-Mock-Reason` header, with the body it had before; the journal entry and the request log
//! line name the same reason. The table runs against the binary, whose standard output holds
//! the log lines.

mod more;
mod table;

use serde_json::{Value, json};

use crate::helpers::*;
use table::{Body, Row, rows};

const ADMIN: &str = "reasons-admin-token";
const USERSYNC: &str = "/api/2.3/enterprise/usersync";

/// Sends a row's request through the spec-checking client.
async fn send(app: &TestApp, row: &Row) -> Resp {
    let mut call = app.call(row.method.parse().unwrap(), row.path);
    for (name, value) in &row.headers {
        call = call.header(name, value);
    }
    if !row.form.is_empty() {
        call = call.form(&row.form);
    }
    if let Some(body) = &row.json {
        call = call.json(body);
    }
    if row.unchecked {
        call = call.unchecked();
    }
    call.send().await
}

/// The binary's control API, with its admin token.
fn admin(app: &TestApp, method: reqwest::Method, path: &str) -> Call {
    app.call(method, path).header("X-Admin-Token", ADMIN)
}

#[tokio::test]
async fn every_refusal_names_its_reason_in_the_header_the_journal_and_the_log_line() {
    let (child, url, lines) = start_binary(&["--admin-token", ADMIN], &[]);
    let app = TestApp::at(&url);
    admin(&app, reqwest::Method::POST, "/__admin/tokens")
        .json(&json!({"accountId": 1001, "kind": "oauth", "write": true, "token": "doomed-token"}))
        .send()
        .await
        .expect(201);
    admin(&app, reqwest::Method::POST, "/__admin/tokens/revoke")
        .json(&json!({"token": "doomed-token"}))
        .send()
        .await
        .expect(204);
    let rows = rows();
    for row in &rows {
        let what = row.what;
        let res = send(&app, row).await;
        assert_eq!(res.status, row.status, "{what}: {}", res.text);
        assert_eq!(res.header("x-mock-reason"), Some(row.reason), "{what}");
        match &row.body {
            Body::Text(text) => assert_eq!(res.text, *text, "{what}"),
            Body::Json(body) => assert_eq!(res.json(), *body, "{what}"),
            Body::MockError(start) => {
                let body = res.json();
                let error = body["error"].as_str().unwrap_or_default();
                assert!(error.starts_with(start), "{what}: {body}");
                assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{what}: {body}");
            }
        }
        let journal = admin(&app, reqwest::Method::GET, "/__admin/requests?limit=1")
            .send()
            .await
            .ok_json(200);
        let entry = &journal["requests"][0];
        assert_eq!(
            (&entry["path"], &entry["status"], &entry["reason"]),
            (
                &json!(row.path.split('?').next().unwrap()),
                &json!(row.status),
                &json!(row.reason)
            ),
            "{what}: the journal entry {entry}"
        );
        assert_eq!(entry["outcomes"], json!([]), "{what}: no outcomes");
    }
    // An answer that refuses nothing names no reason, anywhere.
    let fine = app.get("/api/v3/users/me").token("ada-rw").send().await;
    fine.expect(200);
    assert_eq!(fine.header("x-mock-reason"), None);
    let journal = admin(&app, reqwest::Method::GET, "/__admin/requests?limit=1")
        .send()
        .await
        .ok_json(200);
    assert_eq!(journal["requests"][0]["reason"], Value::Null);
    std::thread::sleep(std::time::Duration::from_millis(100));
    stop_binary(child);

    // One request line per call, in order; the journal's reads and the setup are left out.
    let logged: Vec<String> = lines
        .map_while(Result::ok)
        .filter(|l| l.contains(" response method="))
        .filter(|l| !l.contains("path=/__admin/requests") && !l.contains("path=/__admin/tokens"))
        .collect();
    assert_eq!(logged.len(), rows.len() + 1, "{logged:#?}");
    for (row, line) in rows.iter().zip(&logged) {
        let path = row.path.split('?').next().unwrap();
        let expected = format!(" status={} reason={} latency_ms=", row.status, row.reason);
        assert!(
            line.contains(&format!("path={path} ")) && line.contains(&expected),
            "{}: the log line should name {expected:?}: {line}",
            row.what
        );
    }
    assert!(
        !logged[rows.len()].contains("reason="),
        "{}",
        logged[rows.len()]
    );
}
