//! Every collection a caller can grow has a limit, and reaching it is a clear 4xx that names
//! it, with nothing changed (README "Limits").

use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn the_257th_fault_rule_is_a_409_and_the_256_keep_working() {
    let app = spawn_app().await;
    for i in 0..256 {
        app.post("/__admin/faults")
            .json(&json!({"match": {"path": format!("/api/v3/nowhere/{i}")}, "action": {"status": 503}}))
            .send()
            .await
            .expect(201);
    }
    let refused = app
        .post("/__admin/faults")
        .json(&json!({"match": {"path": "/api/v3/users/me"}, "action": {"status": 503}}))
        .send()
        .await
        .ok_json(409);
    let error = refused["error"].as_str().unwrap();
    assert!(error.contains("256 fault rules"), "{error}");
    let rules = app.get("/__admin/faults").send().await.ok_json(200);
    assert_eq!(rules["rules"].as_array().unwrap().len(), 256);
    // Matching 256 rules that do not fire leaves answers as they were.
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    app.delete("/__admin/faults/f256").send().await.expect(204);
    app.post("/__admin/faults")
        .json(&json!({"match": {"path": "/api/v3/users/me"}, "action": {"status": 503}}))
        .send()
        .await
        .expect(201);
}

#[tokio::test]
async fn a_fault_rule_over_64_kib_is_a_413_and_adds_nothing() {
    let app = spawn_app().await;
    let body = "x".repeat(65 << 10);
    let res = app
        .post("/__admin/faults")
        .json(&json!({"match": {"api": "v3"}, "action": {"status": 503, "body": body}}))
        .send()
        .await
        .ok_json(413);
    assert!(
        res["error"].as_str().unwrap().contains("65536 bytes"),
        "{res}"
    );
    let rules = app.get("/__admin/faults").send().await.ok_json(200);
    assert_eq!(rules["rules"], json!([]));
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn minted_tokens_are_bounded_in_length_description_and_number() {
    // A world one token short of the limit.
    let base = spawn_app().await;
    let mut fixture = base.get("/__admin/state").send().await.ok_json(200);
    let tokens = fixture["tokens"].as_array_mut().unwrap();
    let have = tokens.len();
    for i in have..9_999 {
        tokens.push(json!({"token": format!("bulk-{i}"), "accountId": 1001, "kind": "oauth"}));
    }
    let app = spawn_app_with(&fixture).await;
    let mint = |token: String, description: String| {
        app.post("/__admin/tokens").json(&json!({
            "accountId": 1001, "kind": "oauth", "token": token, "description": description
        }))
    };
    let long = mint("t".repeat(257), "d".into()).send().await.ok_json(400);
    assert!(
        long["error"].as_str().unwrap().contains("at most 256"),
        "{long}"
    );
    let wordy = mint("wordy".into(), "d".repeat(1025))
        .send()
        .await
        .ok_json(400);
    assert!(
        wordy["error"].as_str().unwrap().contains("at most 1024"),
        "{wordy}"
    );
    mint("t".repeat(256), "d".repeat(1024))
        .send()
        .await
        .expect(201);
    let full = mint("one-too-many".into(), "d".into())
        .send()
        .await
        .ok_json(409);
    assert!(
        full["error"].as_str().unwrap().contains("10000 tokens"),
        "{full}"
    );
    for refused in ["wordy", "one-too-many"] {
        app.get("/api/v3/users/me")
            .token(refused)
            .send()
            .await
            .expect_unauthorized();
    }
    // Revoking one makes room again.
    app.post("/__admin/tokens/revoke")
        .json(&json!({"token": "bulk-20"}))
        .send()
        .await
        .expect(204);
    mint("one-too-many".into(), "d".into())
        .send()
        .await
        .expect(201);
}

#[tokio::test]
async fn the_33rd_snapshot_is_a_409_and_a_reset_keeps_the_32() {
    let app = spawn_app().await;
    for i in 0..32 {
        app.post("/__admin/snapshots")
            .json(&json!({"name": format!("s{i}")}))
            .send()
            .await
            .expect(201);
    }
    let full = app
        .post("/__admin/snapshots")
        .json(&json!({"name": "s32"}))
        .send()
        .await
        .ok_json(409);
    assert!(
        full["error"].as_str().unwrap().contains("32 snapshots"),
        "{full}"
    );
    app.post("/__admin/reset").send().await.expect(204);
    let kept = app.get("/__admin/snapshots").send().await.ok_json(200);
    assert_eq!(kept["snapshots"].as_array().unwrap().len(), 32);
    app.delete("/__admin/snapshots/s0").send().await.expect(204);
    app.post("/__admin/snapshots")
        .json(&json!({"name": "s32"}))
        .send()
        .await
        .expect(201);
}

#[tokio::test]
async fn the_101st_sandbox_is_a_409() {
    let app = spawn_app().await;
    for _ in 0..100 {
        app.post("/__admin/sandboxes").send().await.expect(201);
    }
    let full = app.post("/__admin/sandboxes").send().await.ok_json(409);
    assert!(
        full["error"].as_str().unwrap().contains("100 sandboxes"),
        "{full}"
    );
}

#[tokio::test]
async fn big_headers_push_old_entries_out_of_the_journal_instead_of_growing_it() {
    let app = spawn_app().await;
    let filler = "v".repeat(1000);
    let sent = 800;
    for i in 0..sent {
        let mut call = app.get(&format!("/api/v3/users/me?i={i}")).token("ada-rw");
        for h in 0..40 {
            call = call.header(&format!("x-filler-{h}"), &filler);
        }
        call.send().await.expect(200);
    }
    let res = app.get("/__admin/requests?limit=1000").send().await;
    let journal = res.ok_json(200);
    let kept = journal["requests"].as_array().unwrap();
    // Each entry keeps 8 KiB of headers: 4 MiB hold about 480 of them, not 800.
    assert!(kept.len() < 600, "{} entries kept", kept.len());
    assert_eq!(journal["dropped"], json!(sent - kept.len()));
    assert!(kept.iter().all(|e| e["headersTruncated"] == json!(true)));
    assert!(res.text.len() < 6 << 20, "{} bytes", res.text.len());
    // The newest is kept.
    assert_eq!(
        kept.last().unwrap()["query"],
        json!(format!("i={}", sent - 1))
    );
}

#[tokio::test]
async fn under_enforcement_unknown_tokens_share_one_counter_and_known_ones_keep_theirs() {
    let app = spawn_app().await;
    app.put("/__admin/rate-limits")
        .json(&json!({"enforced": true}))
        .send()
        .await
        .expect(200);
    let mut statuses = Vec::new();
    for i in 0..51 {
        let res = app
            .get("/api/v3/users/me")
            .token(&format!("random-{i}-{}", "r".repeat(4000)))
            .unchecked()
            .send()
            .await;
        statuses.push(res.status);
    }
    assert_eq!(statuses[..50], [401; 50]);
    assert_eq!(statuses[50], 429, "the 51st unknown token shares the burst");
    let known = app.get("/api/v3/users/me").token("ada-rw").send().await;
    known.expect(200);
    assert_eq!(known.header("x-burst-throttle-calls-left"), Some("49"));
}

/// A usersync form with these fields.
fn sync_form(requests: &str) -> Vec<(&'static str, String)> {
    vec![
        ("access_token", "ada-rw".into()),
        ("key", "local-key".into()),
        ("dryRun", "true".into()),
        ("requestsJson", requests.into()),
    ]
}

#[tokio::test]
async fn usersync_takes_at_most_1000_teams_and_64_fields_per_call() {
    let app = spawn_app().await;
    let entries: Vec<Value> = (0..1001)
        .map(|_| json!({"Team": "productone", "Members": []}))
        .collect();
    let res = app
        .post("/api/2.3/enterprise/usersync")
        .form_owned(&sync_form(&Value::Array(entries).to_string()))
        .send()
        .await
        .ok_json(400);
    assert_eq!(res["error_name"], json!("bad_parameter"), "{res}");
    let message = res["error_message"].as_str().unwrap();
    assert!(
        message.contains("1001 team entries") && message.contains("at most 1000"),
        "{message}"
    );

    let mut fields = sync_form(r#"[{"Team":"productone","Members":[]}]"#);
    for _ in 0..61 {
        fields.push(("extra", "x".into()));
    }
    let res = app
        .post("/api/2.3/enterprise/usersync")
        .form_owned(&fields)
        .send()
        .await
        .ok_json(400);
    let message = res["error_message"].as_str().unwrap();
    assert!(message.contains("more than 64 fields"), "{message}");
    // The call with too many teams passed authorization and was counted (as any call with
    // a bad requestsJson); the one whose body could not be read was not.
    let res = app
        .post("/api/2.3/enterprise/usersync")
        .form_owned(&sync_form(r#"[{"Team":"productone","Members":[]}]"#))
        .send()
        .await
        .ok_json(200);
    assert_eq!(res["quota_remaining"], json!(9998));
}

#[tokio::test]
async fn a_huge_roster_logs_at_most_4_mib_and_the_journal_keeps_its_head() {
    let app = spawn_app().await;
    let members: Vec<Value> = (0..60_000)
        .map(|i| json!({"UserIdentifier": format!("nobody-{i}"), "Level": "Member"}))
        .collect();
    let requests = json!([{"Team": "productone", "Members": members}]).to_string();
    let res = app
        .post("/api/2.3/enterprise/usersync")
        .form_owned(&sync_form(&requests))
        .send()
        .await;
    let body = res.ok_json(200);
    let log = body["items"][0]["Results"][0]["SyncResult"]["Log"]
        .as_str()
        .unwrap();
    assert!(log.len() <= (4 << 20) + 1024, "{} bytes of log", log.len());
    assert!(
        log.contains("more lines not shown"),
        "the log says lines were left out"
    );
    assert!(log.ends_with("ErrorTryingToResolveUsers") || log.contains("[PushAsync] END"));
    let journal = app
        .get("/__admin/requests?api=usersync")
        .send()
        .await
        .ok_json(200);
    let entry = &journal["requests"][0];
    assert_eq!(entry["bodyTruncated"], json!(true));
    let shown = entry["body"].as_str().unwrap();
    assert!(shown.chars().count() <= 4096);
    assert!(shown.contains("\"access_token\":\"ada…\""), "{shown}");
    assert!(!shown.contains("ada-rw") && !shown.contains("local-key"));
}

#[tokio::test]
async fn concurrent_usersync_calls_beyond_four_wait_their_turn_and_all_answer() {
    let app = spawn_app().await;
    let calls = (0..12).map(|_| {
        app.post("/api/2.3/enterprise/usersync")
            .form_owned(&sync_form(
                r#"[{"Team":"productone","Members":[{"UserIdentifier":"ada","Level":"Admin"}]}]"#,
            ))
            .send()
    });
    let answers = futures_util::future::join_all(calls).await;
    for res in &answers {
        res.expect(200);
    }
}
