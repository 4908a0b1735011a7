//! Control API: the request journal.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn every_request_is_journaled_with_credentials_masked() {
    let app = spawn_app().await;
    app.get("/api/v3/users/me?page=1")
        .token("ada-rw")
        .header("X-API-Key", "local-key")
        .send()
        .await
        .expect(200);
    app.post("/api/2.3/enterprise/usersync?access_token=ada-rw")
        .header("X-Mock-Fault", "status=503")
        .form(&[
            ("access_token", "ada-rw"),
            ("key", "local-key"),
            ("requestsJson", r#"[{"Team":"productone","Members":[]}]"#),
        ])
        .unchecked()
        .send()
        .await
        .expect(400);
    app.post("/__admin/tokens")
        .json(&json!({"accountId": 1001, "kind": "oauth", "token": "chosen-secret"}))
        .send()
        .await
        .expect(201);

    let found = app.get("/__admin/requests").send().await.ok_json(200);
    assert_eq!(found["total"], 3, "{found}");
    let [v3, sync, mint] = [
        &found["requests"][0],
        &found["requests"][1],
        &found["requests"][2],
    ];
    assert_eq!(
        (
            v3["method"].as_str(),
            v3["path"].as_str(),
            v3["query"].as_str()
        ),
        (Some("GET"), Some("/api/v3/users/me"), Some("page=1"))
    );
    assert_eq!(
        (v3["api"].as_str(), v3["status"].as_u64()),
        (Some("v3"), Some(200))
    );
    assert_eq!(v3["sites"], json!(["main"]));
    assert_eq!(v3["headers"]["authorization"], "Bearer ada…");
    assert_eq!(v3["headers"]["x-api-key"], "loc…");
    assert!(v3["durationMs"].as_f64().unwrap() >= 0.0);
    assert!(v3["time"].as_str().unwrap().ends_with('Z'));
    assert_eq!(v3["faults"], json!([]));

    assert_eq!(
        (sync["api"].as_str(), sync["status"].as_u64()),
        (Some("usersync"), Some(400))
    );
    assert_eq!(sync["faults"], json!(["X-Mock-Fault"]));
    assert_eq!(sync["sites"], json!(["productone"]));
    assert_eq!(sync["query"], "access_token=ada…");
    // A usersync body is journaled decoded: its fields as JSON (the query's too), requestsJson
    // parsed, credentials masked.
    let decoded: serde_json::Value = serde_json::from_str(sync["body"].as_str().unwrap())
        .unwrap_or_else(|e| panic!("the usersync body is JSON ({e}): {}", sync["body"]));
    assert_eq!(
        decoded,
        json!({"access_token": "ada…", "key": "loc…",
               "requestsJson": [{"Team": "productone", "Members": []}]})
    );
    assert!(
        mint["body"].as_str().unwrap().contains("cho…"),
        "{}",
        mint["body"]
    );

    let whole = found.to_string();
    for secret in ["ada-rw", "local-key", "chosen-secret"] {
        assert!(
            !whole.contains(secret),
            "the journal shows {secret} in full"
        );
    }
}

#[tokio::test]
async fn the_journal_filters_counts_and_clears() {
    let app = spawn_app().await;
    let rule = app.fault("", json!({"match": {"path": "/api/v3/users/1"}, "action": {"status": 503}, "trigger": {"nth": 2}})).await;
    for _ in 0..3 {
        app.get("/api/v3/users/1")
            .token("bob-ro")
            .unchecked()
            .send()
            .await;
    }
    app.get("/api/v3/teams/productone/users/me")
        .token("bob-ro")
        .send()
        .await
        .expect(200);
    app.get("/api/v3/users/me")
        .send()
        .await
        .expect_unauthorized();

    assert_eq!(
        app.journal_count("", "").await,
        6,
        "the rule creation, five API calls"
    );
    assert_eq!(app.journal_count("", "method=get&api=v3").await, 5);
    assert_eq!(app.journal_count("", "path=/api/v3/users/*").await, 4);
    assert_eq!(app.journal_count("", "status=5xx").await, 1);
    assert_eq!(app.journal_count("", "status=401").await, 1);
    assert_eq!(app.journal_count("", "site=productone").await, 1);
    let faulted = app
        .get("/__admin/requests?status=503")
        .send()
        .await
        .ok_json(200);
    assert_eq!(faulted["requests"][0]["faults"], json!([rule]));
    let last = app
        .get("/__admin/requests?path=/api/v3/users/1&limit=1")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (
            last["total"].as_u64(),
            last["requests"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );
    assert_eq!(last["requests"][0]["status"], 200);

    let body = app
        .get("/__admin/requests?status=teapot")
        .send()
        .await
        .ok_json(400);
    assert!(body["error"].as_str().unwrap().contains("status"));
    app.get("/__admin/requests/count?api=martian")
        .send()
        .await
        .expect(400);

    assert_eq!(
        app.delete("/__admin/requests").send().await.ok_json(200)["removed"],
        6
    );
    assert_eq!(app.journal_count("", "").await, 0);
}

#[tokio::test]
async fn the_journal_is_bounded_and_counts_what_it_dropped() {
    let app = spawn_app().await;
    for _ in 0..1005 {
        app.get("/").unchecked().send().await.expect(200);
    }
    let found = app
        .get("/__admin/requests?limit=2")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (
            found["total"].as_u64(),
            found["capacity"].as_u64(),
            found["dropped"].as_u64()
        ),
        (Some(1000), Some(1000), Some(5))
    );
    assert_eq!(found["requests"][1]["seq"], 1005);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_by_the_edge_after_auth_and_journaled_cut() {
    let app = spawn_app().await;
    let big = format!("{{\"apiKeys\": [], \"pad\": \"{}\"}}", "x".repeat(2 << 20));
    let body = app
        .put("/__admin/state")
        .body("application/json", big.clone())
        .send()
        .await
        .ok_json(413);
    assert!(body["error"].is_string(), "{body}");
    // Auth comes first on v3: no token is a 401 even with a body over the limit.
    app.call(reqwest::Method::GET, "/api/v3/users/me")
        .body("application/json", big)
        .send()
        .await
        .expect_unauthorized();
    let found = app
        .get("/__admin/requests?status=413")
        .send()
        .await
        .ok_json(200);
    assert_eq!(found["total"], 1);
    assert_eq!(found["requests"][0]["bodyTruncated"], true);
    assert_eq!(
        found["requests"][0]["body"]
            .as_str()
            .unwrap()
            .chars()
            .count(),
        4096
    );
}
