//! Control API: minting and revoking tokens, the clock, rate-limit enforcement.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_minted_token_works_at_once_and_expires_after_24_hours_of_mock_time() {
    let app = spawn_app().await;
    let minted = app
        .post("/__admin/tokens")
        .json(&json!({"accountId": 1002, "scope": "main", "write": true, "description": "ci"}))
        .send()
        .await
        .ok_json(201);
    let token = minted["token"].as_str().unwrap().to_string();
    assert_eq!(
        (
            minted["kind"].as_str(),
            minted["scope"].as_str(),
            minted["write"].as_bool()
        ),
        (Some("pat"), Some("main"), Some(true))
    );
    let expires: DateTime<Utc> = minted["expiresAt"].as_str().unwrap().parse().unwrap();
    let lifetime = expires - Utc::now();
    assert!(
        lifetime > Duration::hours(23) && lifetime <= Duration::hours(24),
        "default lifetime 24 h, got {lifetime}"
    );

    let me = app
        .get("/api/v3/users/me")
        .token(&token)
        .send()
        .await
        .ok_json(200);
    assert_eq!(me["accountId"], 1002);
    app.get("/api/v3/teams/productone/users/me")
        .token(&token)
        .send()
        .await
        .expect_unauthorized(); // a PAT covers its one site

    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 25 * 3600}))
        .send()
        .await
        .expect(200);
    app.get("/api/v3/users/me")
        .token(&token)
        .send()
        .await
        .expect_unauthorized();
    app.delete("/__admin/clock").send().await.expect(200);
    app.get("/api/v3/users/me")
        .token(&token)
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn minting_checks_owner_scope_and_uniqueness() {
    let app = spawn_app().await;
    let oauth = app
        .post("/__admin/tokens")
        .json(&json!({"accountId": 1001, "kind": "oauth", "token": "my-oauth", "expiresAt": null}))
        .send()
        .await
        .ok_json(201);
    assert_eq!(
        oauth["expiresAt"],
        json!(null),
        "null means it never expires"
    );
    app.get("/api/v3/teams/productone/users/me")
        .token("my-oauth")
        .send()
        .await
        .expect(200);

    let cases = [
        (json!({"accountId": 424242, "scope": "main"}), 400, "owner"),
        (json!({"accountId": 1001}), 400, "scope"),
        (
            json!({"accountId": 1001, "scope": "nowhere"}),
            400,
            "nowhere",
        ),
        (
            json!({"accountId": 1001, "kind": "oauth", "token": "my-oauth"}),
            409,
            "exists",
        ),
        (
            json!({"accountId": 1001, "kind": "wizard", "scope": "main"}),
            400,
            "kind",
        ),
        (
            json!({"accountId": "ada", "scope": "main"}),
            400,
            "accountId",
        ),
    ];
    for (body, status, word) in cases {
        let res = app
            .post("/__admin/tokens")
            .json(&body)
            .send()
            .await
            .ok_json(status);
        assert!(
            res.to_string().contains(word),
            "{body} → {res} should mention {word:?}"
        );
    }
    let state = app.get("/__admin/state").send().await.ok_json(200);
    let tokens = state["tokens"].as_array().unwrap();
    assert_eq!(
        tokens.iter().filter(|t| t["token"] == "my-oauth").count(),
        1,
        "refused mints add nothing"
    );
}

#[tokio::test]
async fn a_revoked_token_answers_like_an_unknown_one() {
    let app = spawn_app().await;
    app.get("/api/v3/users/me")
        .token("bob-ro")
        .send()
        .await
        .expect(200);
    app.post("/__admin/tokens/revoke")
        .json(&json!({"token": "bob-ro"}))
        .send()
        .await
        .expect(204);
    app.get("/api/v3/users/me")
        .token("bob-ro")
        .send()
        .await
        .expect_unauthorized();
    let body = app
        .post("/__admin/tokens/revoke")
        .json(&json!({"token": "bob-ro"}))
        .send()
        .await
        .ok_json(404);
    assert!(
        !body["error"].as_str().unwrap().contains("bob-ro"),
        "the error masks the token: {body}"
    );
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn the_clock_can_be_read_set_and_advanced_and_token_expiry_follows_it() {
    let app = spawn_app().await;
    app.get("/api/v3/users/me")
        .token("expired-pat")
        .send()
        .await
        .expect_unauthorized();
    let set = app
        .put("/__admin/clock")
        .json(&json!({"now": "2019-06-01T12:00:00Z"}))
        .send()
        .await
        .ok_json(200);
    assert!(
        set["now"].as_str().unwrap().starts_with("2019-06-01T12:00"),
        "{set}"
    );
    assert!(set["offsetSeconds"].as_i64().unwrap() < 0);
    app.get("/api/v3/users/me")
        .token("expired-pat")
        .send()
        .await
        .expect(200);
    let read = app.get("/__admin/clock").send().await.ok_json(200);
    assert!(
        read["now"].as_str().unwrap().starts_with("2019-06-01T12:0"),
        "{read}"
    );
    let advanced = app
        .post("/__admin/clock/advance")
        .json(&json!({"seconds": 366 * 86400}))
        .send()
        .await
        .ok_json(200);
    assert!(
        advanced["now"].as_str().unwrap().starts_with("2020-06-01"),
        "{advanced}"
    );
    app.get("/api/v3/users/me")
        .token("expired-pat")
        .send()
        .await
        .expect_unauthorized();

    app.put("/__admin/clock")
        .json(&json!({"now": "yesterday"}))
        .send()
        .await
        .expect(400);
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": i64::MAX}))
        .send()
        .await
        .expect(400);
    let real = app.delete("/__admin/clock").send().await.ok_json(200);
    assert_eq!(real["offsetSeconds"], 0);
}

#[tokio::test]
async fn rate_limit_enforcement_switches_at_run_time_per_token() {
    let app = spawn_app().await;
    assert_eq!(
        app.get("/__admin/rate-limits").send().await.ok_json(200)["enforced"],
        false
    );
    // Off: nothing is counted, every answer reports full limits.
    for _ in 0..55 {
        let res = app.get("/api/v3/users/me").token("bob-ro").send().await;
        res.expect(200);
        assert_eq!(res.header("x-burst-throttle-calls-left"), Some("50"));
    }
    let on = app
        .put("/__admin/rate-limits")
        .json(&json!({"enforced": true}))
        .send()
        .await
        .ok_json(200);
    assert_eq!(on["enforced"], true);
    // On: counted from full, the 51st call in the burst window is refused.
    for i in 0..50u32 {
        let res = app.get("/api/v3/users/me").token("bob-ro").send().await;
        res.expect(200);
        assert_eq!(
            res.header("x-burst-throttle-calls-left"),
            Some((49 - i).to_string().as_str())
        );
    }
    let throttled = app.get("/api/v3/users/me").token("bob-ro").send().await;
    throttled.expect_problem(429, "/v3/errors/throttle/too-many-requests");
    assert!(
        throttled
            .header("retry-after")
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|s| s >= 1)
    );
    assert_eq!(throttled.header("x-burst-throttle-calls-left"), Some("0"));
    assert!(throttled.header("x-token-bucket-calls-left").is_some());
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200); // per token

    app.put("/__admin/rate-limits")
        .json(&json!({"enforced": false}))
        .send()
        .await
        .expect(200);
    let off = app.get("/api/v3/users/me").token("bob-ro").send().await;
    off.expect(200);
    assert_eq!(off.header("x-burst-throttle-calls-left"), Some("50"));
    app.put("/__admin/rate-limits")
        .json(&json!({"enforced": "yes"}))
        .send()
        .await
        .expect(400);
}

#[tokio::test]
async fn a_revoke_without_a_valid_body_is_a_documented_400_and_revokes_nothing() {
    let app = spawn_app().await;
    for body in ["null", "{}", "[1]", "not json"] {
        let res = app
            .post("/__admin/tokens/revoke")
            .body("application/json", body)
            .send()
            .await;
        res.expect(400);
        assert!(res.json()["error"].is_string(), "{body}: {}", res.text);
    }
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn a_minted_admin_token_works_at_once_on_usersync_and_a_revoked_one_is_refused() {
    let app = spawn_app().await;
    let minted = app
        .post("/__admin/tokens")
        .json(&json!({"accountId": 1001, "kind": "oauth", "write": true}))
        .send()
        .await
        .ok_json(201);
    let token = minted["token"].as_str().unwrap().to_string();
    let sync = |token: String| {
        app.post("/api/2.3/enterprise/usersync")
            .form(&[
                ("access_token", token.as_str()),
                ("key", "local-key"),
                ("dryRun", "true"),
                ("requestsJson", r#"[{"Team":"productone","Members":[{"UserIdentifier":"ada","Level":"Admin"}]}]"#),
            ])
            .send()
    };
    let ok = sync(token.clone()).await.ok_json(200);
    assert_eq!(
        ok["items"][0]["Results"][0]["StatusCode"],
        "SuccessfulDryRun"
    );
    app.post("/__admin/tokens/revoke")
        .json(&json!({"token": token}))
        .send()
        .await
        .expect(204);
    let refused = sync(token.clone()).await.ok_json(400);
    assert_eq!(refused["error_id"], 402);
    assert_eq!(refused["error_name"], "invalid_access_token");
    app.get("/api/v3/users/me")
        .token(&token)
        .send()
        .await
        .expect_unauthorized();
}
