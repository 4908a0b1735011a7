//! Control API: fault rules and the `X-Mock-Fault` header. Injected statuses that the spec
//! declares for the operation are checked against it; undeclared ones (503 on a GET) are
//! called `.unchecked()` on purpose: the spec documents the real service, not the faults.

use std::time::{Duration, Instant};

use serde_json::json;
use soteams_mock::ServerConfig;

use crate::helpers::*;

const USERSYNC: &str = "/api/2.3/enterprise/usersync";

fn sync_form(team: &str) -> Vec<(&'static str, String)> {
    let requests =
        json!([{"Team": team, "Members": [{"UserIdentifier": "ada", "Level": "Admin"}]}])
            .to_string();
    vec![
        ("access_token", "ada-rw".into()),
        ("key", "local-key".into()),
        ("requestsJson", requests),
        ("dryRun", "true".into()),
    ]
}

#[tokio::test]
async fn a_rule_answers_503_on_the_third_call_only() {
    let app = spawn_app().await;
    let id = app
        .fault("", json!({"match": {"api": "v3", "method": "GET", "path": "/api/v3/users/me"}, "action": {"status": 503}, "trigger": {"nth": 3}}))
        .await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let res = app
            .get("/api/v3/users/me")
            .token("bob-ro")
            .unchecked()
            .send()
            .await;
        if res.status == 503 {
            let body = res.expect_problem(503, "/v3/errors/injected-fault");
            assert_eq!(body["title"], "Service Unavailable");
            assert!(
                res.header("x-token-bucket-calls-left").is_some(),
                "an injected v3 answer still has the rate-limit headers"
            );
        }
        statuses.push(res.status);
    }
    assert_eq!(statuses, [200, 200, 503, 200]);
    app.get("/api/v3/users/1")
        .token("bob-ro")
        .send()
        .await
        .expect(200); // no match, not counted
    let rule = app
        .get(&format!("/__admin/faults/{id}"))
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (
            rule["calls"].as_u64(),
            rule["hits"].as_u64(),
            rule["active"].as_bool()
        ),
        (Some(4), Some(1), Some(false))
    );
}

#[tokio::test]
async fn times_fires_on_the_next_n_calls_and_site_matches_the_addressed_team() {
    let app = spawn_app().await;
    app.fault("", json!({"match": {"site": "productone"}, "action": {"status": 500}, "trigger": {"times": 2}})).await;
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200); // main: no match
    for _ in 0..2 {
        app.get("/api/v3/teams/productone/users/me")
            .token("ada-rw")
            .unchecked()
            .send()
            .await
            .expect(500);
    }
    app.get("/api/v3/teams/productone/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn declared_v3_statuses_come_in_the_wire_format_the_spec_declares() {
    let app = spawn_app().await;
    let fault =
        |path: &str, header: &str| app.get(path).token("ada-rw").header("X-Mock-Fault", header);
    fault("/api/v3/users/me", "status=401")
        .send()
        .await
        .expect_unauthorized();
    fault("/api/v3/users/me", "status=403")
        .send()
        .await
        .expect_forbidden();
    fault("/api/v3/user-groups/1", "status=404")
        .send()
        .await
        .expect_problem(404, "/v3/errors/not-found");
    fault("/api/v3/users", "status=400")
        .send()
        .await
        .expect_validation("request");
    fault("/api/v3/tags/1/subject-matter-experts", "status=422")
        .send()
        .await
        .expect_problem(422, "/v3/errors/subject-matter-experts/not-enabled");
    let throttled = fault("/api/v3/tags", "status=429").send().await;
    throttled.expect(429);
    assert_eq!(throttled.header("retry-after"), Some("1"));
    assert!(throttled.header("x-burst-throttle-calls-left").is_some());
    // POST /user-groups declares a 500 with no content.
    let res = app
        .post("/api/v3/user-groups")
        .token("ada-rw")
        .header("X-Mock-Fault", "status=500")
        .json(&json!({"name": "x"}))
        .send()
        .await;
    res.expect(500);
    assert_eq!(res.text, "");
    // A body of one's own, as is.
    let res = fault(
        "/api/v3/users/me",
        r#"{"status": 418, "body": "short and stout"}"#,
    )
    .unchecked()
    .send()
    .await;
    res.expect(418);
    assert_eq!(
        (res.text.as_str(), res.header("content-type")),
        ("short and stout", Some("text/plain; charset=utf-8"))
    );
}

#[tokio::test]
async fn usersync_faults_use_the_v2_error_wrapper_with_http_400() {
    let app = spawn_app().await;
    for (status, name) in [
        (503u16, "temporarily_unavailable"),
        (502, "throttle_violation"),
        (402, "invalid_access_token"),
        (500, "internal_error"),
    ] {
        let res = app
            .post(USERSYNC)
            .header("X-Mock-Fault", &format!("status={status}"))
            .form_owned(&sync_form("productone"))
            .unchecked()
            .send()
            .await;
        let body = res.ok_json(400);
        assert_eq!(
            (body["error_id"].as_u64(), body["error_name"].as_str()),
            (Some(u64::from(status)), Some(name)),
            "{body}"
        );
        assert!(body["error_message"].is_string());
    }
    // Outside the v2 table: sent as is, like a proxy in front of the service.
    let res = app
        .post(USERSYNC)
        .header("X-Mock-Fault", "status=504")
        .form_owned(&sync_form("productone"))
        .unchecked()
        .send()
        .await;
    res.expect(504);
    assert_eq!(res.text, "");
    // A rule on one team fires only when the call names it.
    app.fault(
        "",
        json!({"match": {"api": "usersync", "site": "productone"}, "action": {"status": 503}}),
    )
    .await;
    let res = app
        .post(USERSYNC)
        .form_owned(&sync_form("legal"))
        .unchecked()
        .send()
        .await;
    assert_ne!(res.status, 400, "legal is not faulted: {}", res.text);
    let body = app
        .post(USERSYNC)
        .form_owned(&sync_form("productone"))
        .unchecked()
        .send()
        .await
        .ok_json(400);
    assert_eq!(body["error_id"], 503);
}

#[tokio::test]
async fn a_seeded_probability_rule_reproduces_the_same_hits() {
    let app = spawn_app().await;
    let rule = json!({"match": {"path": "/api/v3/tags"}, "action": {"status": 503}, "trigger": {"probability": 0.5, "seed": 2024}});
    let mut runs = Vec::new();
    for _ in 0..2 {
        app.post("/__admin/reset").send().await.expect(204);
        app.fault("", rule.clone()).await;
        let mut hits = Vec::new();
        for _ in 0..40 {
            hits.push(
                app.get("/api/v3/tags")
                    .token("bob-ro")
                    .unchecked()
                    .send()
                    .await
                    .status
                    == 503,
            );
        }
        runs.push(hits);
    }
    assert_eq!(runs[0], runs[1], "the same seed gives the same sequence");
    let n = runs[0].iter().filter(|h| **h).count();
    assert!((8..=32).contains(&n), "about half of 40 calls: {n}");
    let listed = app.get("/__admin/faults").send().await.ok_json(200);
    assert_eq!(listed["rules"][0]["hits"], n);
    assert_eq!(listed["rules"][0]["calls"], 40);
}

#[tokio::test]
async fn the_seed_flag_is_the_default_seed_and_is_listed() {
    let app = spawn_app_with_config(ServerConfig {
        seed: Some(77),
        ..ServerConfig::default()
    })
    .await;
    let rule = app
        .post("/__admin/faults")
        .json(&json!({"action": {"status": 500}, "trigger": {"probability": 0.1}}))
        .send()
        .await
        .ok_json(201);
    assert_eq!(rule["trigger"]["seed"], 77);
}

#[tokio::test]
async fn delays_slow_the_answer_down_and_then_let_it_through() {
    let app = spawn_app().await;
    app.fault("", json!({"match": {"path": "/api/v3/users/me"}, "action": {"delayMs": 2000}, "trigger": {"times": 1}})).await;
    let started = Instant::now();
    app.get("/api/v3/users/me")
        .token("bob-ro")
        .send()
        .await
        .expect(200);
    assert!(
        started.elapsed() >= Duration::from_millis(2000),
        "took {:?}",
        started.elapsed()
    );
    let started = Instant::now();
    app.get("/api/v3/users/me")
        .token("bob-ro")
        .send()
        .await
        .expect(200);
    // The injected delay is 2 s: under it, the rule did not fire again (the bound is the delay
    // itself, so a busy machine cannot make this flaky).
    assert!(started.elapsed() < Duration::from_millis(2000), "only once");
    let started = Instant::now();
    app.get("/api/v3/users/me")
        .token("bob-ro")
        .header("X-Mock-Fault", "delayMs=300")
        .send()
        .await
        .expect(200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_for_the_client() {
    let app = spawn_app().await;
    app.fault("", json!({"match": {"path": "/api/v3/users/me"}, "action": {"drop": true}, "trigger": {"times": 1}})).await;
    let outcome = match app.get("/api/v3/users/me").token("bob-ro").try_send().await {
        Err(e) => Err(e),
        Ok(res) => res.bytes().await.map(|_| ()),
    };
    assert!(
        outcome.is_err(),
        "the client must not get a complete answer"
    );
    app.get("/api/v3/users/me")
        .token("bob-ro")
        .send()
        .await
        .expect(200); // the server lives on
    let header = app
        .get("/api/v3/tags")
        .token("bob-ro")
        .header("X-Mock-Fault", "drop")
        .try_send()
        .await;
    let header = match header {
        Err(e) => Err(e),
        Ok(res) => res.bytes().await.map(|_| ()),
    };
    assert!(header.is_err());
    let journal = app
        .get("/__admin/requests?status=dropped")
        .send()
        .await
        .ok_json(200);
    assert_eq!(journal["total"], 2, "{journal}");
    assert_eq!(journal["requests"][0]["status"], json!(null));
}

#[tokio::test]
async fn control_routes_can_be_faulted_but_never_the_fault_routes_or_reset() {
    let app = spawn_app().await;
    let id = app
        .fault(
            "",
            json!({"match": {"api": "admin"}, "action": {"status": 503}}),
        )
        .await;
    let body = app
        .get("/__admin/health")
        .unchecked()
        .send()
        .await
        .ok_json(503);
    assert!(body["error"].as_str().unwrap().contains(&id), "{body}");
    app.get("/__admin/faults").send().await.expect(200);
    app.delete(&format!("/__admin/faults/{id}"))
        .send()
        .await
        .expect(204);
    app.delete(&format!("/__admin/faults/{id}"))
        .send()
        .await
        .expect(404);
    app.get("/__admin/faults/nope").send().await.expect(404);
    app.get("/__admin/health").send().await.expect(200);
    app.fault("", json!({"action": {"status": 500}})).await;
    app.fault("", json!({"action": {"status": 501}})).await;
    assert_eq!(
        app.delete("/__admin/faults").send().await.ok_json(200)["removed"],
        2
    );
    app.get("/api/v3/users/me")
        .token("bob-ro")
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn bad_rules_and_bad_headers_are_refused_with_every_problem_named() {
    let app = spawn_app().await;
    let cases = [
        (json!({"action": {}}), vec!["$.action.status"]),
        (
            json!({"action": {"status": 99, "drop": true}}),
            vec!["$.action.status", "$.action.status"],
        ),
        (
            json!({"action": {"usersync": "TeamNotFound"}}),
            vec!["$.action.usersync"],
        ),
        (
            json!({"match": {"api": "v3"}, "action": {"usersync": "OtherError"}}),
            vec!["$.action.usersync"],
        ),
        (
            json!({"action": {"status": 500}, "trigger": {"nth": 0, "seed": 3}}),
            vec!["$.trigger.nth", "$.trigger.seed"],
        ),
        (
            json!({"match": {"path": "no-slash"}, "action": {"delayMs": 999999}}),
            vec!["$.match.path", "$.action.delayMs"],
        ),
        (
            json!({"action": {"status": 500}, "colour": "red"}),
            vec!["$.colour"],
        ),
        (
            json!({"action": {"status": "503"}}),
            vec!["$.action.status"],
        ),
    ];
    for (rule, paths) in cases {
        let body = app
            .post("/__admin/faults")
            .json(&rule)
            .send()
            .await
            .ok_json(400);
        let got: Vec<&str> = body["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["path"].as_str().unwrap())
            .collect();
        assert_eq!(got, paths, "{rule} → {body}");
    }
    let teamnotfound = app
        .post("/__admin/faults")
        .json(&json!({"action": {"usersync": "TeamNotFound"}}))
        .send()
        .await
        .ok_json(400);
    assert!(
        teamnotfound.to_string().contains("real input produces it"),
        "{teamnotfound}"
    );
    assert_eq!(
        app.get("/__admin/faults").send().await.ok_json(200)["rules"],
        json!([])
    );

    for header in ["status=abc", "boom=1", "usersync=OtherError", "{not json"] {
        let body = app
            .get("/api/v3/users/me")
            .token("bob-ro")
            .header("X-Mock-Fault", header)
            .unchecked()
            .send()
            .await
            .ok_json(400);
        assert!(
            body["error"].as_str().unwrap().contains("X-Mock-Fault"),
            "{header} → {body}"
        );
    }
}
