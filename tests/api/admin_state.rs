//! Control API: health, reset, state export/import, snapshots.

use serde_json::{Value, json};

use crate::helpers::*;

/// The state with one more token, as a fixture document.
fn with_extra_token(state: &Value, token: &str) -> Value {
    let mut state = state.clone();
    state["tokens"].as_array_mut().unwrap().push(json!({
        "token": token, "accountId": 1002, "kind": "oauth", "write": false, "description": "added by a test"
    }));
    state
}

#[tokio::test]
async fn health_says_ok_and_which_instance_answered() {
    let app = spawn_app().await;
    let body = app.get("/__admin/health").send().await.ok_json(200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["instance"], "root");
    let sb = app.sandbox().await;
    let body = app
        .get(&format!("{sb}/__admin/health"))
        .send()
        .await
        .ok_json(200);
    assert_eq!(body["instance"], "sandbox");
}

#[tokio::test]
async fn exported_state_loads_back_unchanged() {
    let app = spawn_app().await;
    let exported = app.get("/__admin/state").send().await.ok_json(200);
    assert_eq!(
        exported["sites"].as_array().unwrap().len(),
        6,
        "the default fixtures have six sites"
    );
    let summary = app
        .put("/__admin/state")
        .json(&exported)
        .send()
        .await
        .ok_json(200);
    assert_eq!(summary["sites"], 6);
    assert_eq!(
        summary["tokens"],
        exported["tokens"].as_array().unwrap().len()
    );
    let again = app.get("/__admin/state").send().await.ok_json(200);
    assert_eq!(again, exported, "a round trip is lossless");
}

#[tokio::test]
async fn imported_state_is_served_at_once_and_reset_brings_the_fixtures_back() {
    let app = spawn_app().await;
    let state = app.get("/__admin/state").send().await.ok_json(200);
    app.get("/api/v3/users/me")
        .token("imported-token")
        .send()
        .await
        .expect_unauthorized();
    app.put("/__admin/state")
        .json(&with_extra_token(&state, "imported-token"))
        .send()
        .await
        .expect(200);
    let me = app
        .get("/api/v3/users/me")
        .token("imported-token")
        .send()
        .await
        .ok_json(200);
    assert_eq!(me["accountId"], 1002);

    app.fault(
        "",
        json!({"action": {"status": 503}, "match": {"path": "/nowhere"}}),
    )
    .await;
    app.post("/__admin/reset").send().await.expect(204);
    assert_eq!(
        app.journal_count("", "").await,
        0,
        "reset empties the journal (and is not journaled itself)"
    );
    app.get("/api/v3/users/me")
        .token("imported-token")
        .send()
        .await
        .expect_unauthorized();
    assert_eq!(
        app.get("/__admin/state").send().await.ok_json(200),
        state,
        "back to the loaded fixtures"
    );
    let rules = app.get("/__admin/faults").send().await.ok_json(200);
    assert_eq!(rules["rules"], json!([]), "reset removes fault rules");
}

#[tokio::test]
async fn an_invalid_state_lists_every_problem_and_changes_nothing() {
    let app = spawn_app().await;
    let before = app.get("/__admin/state").send().await.ok_json(200);
    let mut bad = with_extra_token(&before, "ada-rw"); // a duplicate
    bad["tokens"]
        .as_array_mut()
        .unwrap()
        .push(json!({"token": "orphan", "accountId": 999999, "kind": "oauth"}));
    bad["sites"][0]["kind"] = json!("galaxy");
    let body = app
        .put("/__admin/state")
        .json(&bad)
        .send()
        .await
        .ok_json(400);
    assert!(
        body["error"].as_str().unwrap().contains("problem"),
        "{body}"
    );
    let problems = body["problems"].as_array().unwrap();
    let paths: Vec<&str> = problems
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert!(problems.len() >= 3, "every problem is listed: {paths:?}");
    assert!(paths.iter().any(|p| p.contains("sites[0]")), "{paths:?}");
    assert!(paths.iter().any(|p| p.contains("tokens[")), "{paths:?}");
    assert!(
        problems
            .iter()
            .all(|p| !p["reason"].as_str().unwrap().is_empty())
    );
    assert_eq!(
        app.get("/__admin/state").send().await.ok_json(200),
        before,
        "nothing changed"
    );

    let body = app
        .put("/__admin/state")
        .body("application/json", "{not json")
        .send()
        .await
        .ok_json(400);
    assert!(!body["problems"].as_array().unwrap().is_empty(), "{body}");
    let body = app
        .put("/__admin/state")
        .json(&json!({"sites": [], "extra": 1}))
        .send()
        .await
        .ok_json(400);
    assert!(
        body["problems"].to_string().contains("extra"),
        "unknown keys are refused like in a fixture file: {body}"
    );
}

#[tokio::test]
async fn snapshots_save_restore_and_delete_the_world() {
    let app = spawn_app().await;
    let original = app.get("/__admin/state").send().await.ok_json(200);
    let created = app
        .post("/__admin/snapshots")
        .json(&json!({"name": "clean"}))
        .send()
        .await
        .ok_json(201);
    assert_eq!(created["name"], "clean");
    app.post("/__admin/snapshots")
        .json(&json!({"name": "clean"}))
        .send()
        .await
        .expect(409);
    app.post("/__admin/snapshots")
        .json(&json!({"name": "no spaces"}))
        .send()
        .await
        .expect(400);
    app.post("/__admin/snapshots")
        .json(&json!({}))
        .send()
        .await
        .expect(400);

    app.put("/__admin/state")
        .json(&with_extra_token(&original, "later"))
        .send()
        .await
        .expect(200);
    app.post("/__admin/snapshots")
        .json(&json!({"name": "with-later"}))
        .send()
        .await
        .expect(201);
    let list = app.get("/__admin/snapshots").send().await.ok_json(200);
    let names: Vec<&str> = list["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["clean", "with-later"]);

    app.post("/__admin/snapshots/clean/restore")
        .send()
        .await
        .expect(204);
    assert_eq!(
        app.get("/__admin/state").send().await.ok_json(200),
        original
    );
    app.get("/api/v3/users/me")
        .token("later")
        .send()
        .await
        .expect_unauthorized();
    app.post("/__admin/snapshots/with-later/restore")
        .send()
        .await
        .expect(204);
    app.get("/api/v3/users/me")
        .token("later")
        .send()
        .await
        .expect(200);

    app.delete("/__admin/snapshots/clean")
        .send()
        .await
        .expect(204);
    app.delete("/__admin/snapshots/clean")
        .send()
        .await
        .expect(404);
    let body = app
        .post("/__admin/snapshots/clean/restore")
        .send()
        .await
        .ok_json(404);
    assert!(body["error"].as_str().unwrap().contains("clean"));
}

#[tokio::test]
async fn unknown_control_routes_and_methods_answer_in_the_control_shape() {
    let app = spawn_app().await;
    let body = app
        .get("/__admin/nothing-here")
        .unchecked()
        .send()
        .await
        .ok_json(404);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("/__admin/nothing-here")
    );
    let res = app
        .call(reqwest::Method::PATCH, "/__admin/health")
        .unchecked()
        .send()
        .await;
    res.expect(405);
    assert!(res.json()["error"].is_string());
}

#[tokio::test]
async fn after_a_reset_the_next_fault_rule_is_f1_and_the_journal_counts_from_1() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.fault(
            "",
            serde_json::json!({"match": {"path": "/nowhere"}, "action": {"status": 503}}),
        )
        .await;
    }
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    app.post("/__admin/reset").send().await.expect(204);
    let id = app
        .fault(
            "",
            serde_json::json!({"match": {"path": "/nowhere"}, "action": {"status": 503}}),
        )
        .await;
    assert_eq!(id, "f1", "rule ids start again");
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    let journal = app.get("/__admin/requests").send().await.ok_json(200);
    let seqs: Vec<u64> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 2], "the rule's POST, then the read: {journal}");
}
