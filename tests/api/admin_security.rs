//! The control API is nobody else's: `--admin-token` (every control route requires it, at the
//! root and in sandboxes; the other APIs do not), and no web page can drive it, cross-site
//! (`Origin`, 403) or with a body a page can send without asking (not JSON, 415). The `Host`
//! check (DNS rebinding) is in `hardening_host`.

use serde_json::json;
use soteams_mock::ServerConfig;

use crate::helpers::*;

const ADMIN: &str = "s3cret-admin-token";

async fn guarded_app() -> TestApp {
    spawn_app_with_config(ServerConfig {
        admin_token: Some(ADMIN.into()),
        ..ServerConfig::default()
    })
    .await
}

#[tokio::test]
async fn every_control_route_requires_the_admin_token() {
    let app = guarded_app().await;
    let routes = [
        ("GET", "/__admin/health"),
        ("POST", "/__admin/reset"),
        ("GET", "/__admin/state"),
        ("PUT", "/__admin/state"),
        ("GET", "/__admin/snapshots"),
        ("POST", "/__admin/snapshots"),
        ("POST", "/__admin/snapshots/x/restore"),
        ("DELETE", "/__admin/snapshots/x"),
        ("GET", "/__admin/faults"),
        ("POST", "/__admin/faults"),
        ("DELETE", "/__admin/faults"),
        ("GET", "/__admin/faults/f1"),
        ("DELETE", "/__admin/faults/f1"),
        ("GET", "/__admin/requests"),
        ("GET", "/__admin/requests/count"),
        ("DELETE", "/__admin/requests"),
        ("POST", "/__admin/tokens"),
        ("POST", "/__admin/tokens/revoke"),
        ("GET", "/__admin/clock"),
        ("PUT", "/__admin/clock"),
        ("DELETE", "/__admin/clock"),
        ("POST", "/__admin/clock/advance"),
        ("GET", "/__admin/rate-limits"),
        ("PUT", "/__admin/rate-limits"),
        ("GET", "/__admin/sandboxes"),
        ("POST", "/__admin/sandboxes"),
        ("DELETE", "/__admin/sandboxes/sb-x"),
    ];
    for (method, path) in routes {
        let method: reqwest::Method = method.parse().unwrap();
        for wrong in [None, Some("wrong"), Some("s3cret-admin-tokeN")] {
            let mut call = app.call(method.clone(), path).json(&json!({}));
            if let Some(token) = wrong {
                call = call.header("X-Admin-Token", token);
            }
            let body = call.send().await.ok_json(401);
            assert!(
                body["error"].as_str().unwrap().contains("X-Admin-Token"),
                "{method} {path}: {body}"
            );
        }
    }
    app.get("/__admin/health")
        .header("X-Admin-Token", ADMIN)
        .send()
        .await
        .expect(200);
    app.get("/__admin/state")
        .header("X-Admin-Token", ADMIN)
        .send()
        .await
        .expect(200);
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200); // the emulated APIs need no admin token
}

#[tokio::test]
async fn sandboxes_need_the_admin_token_for_their_control_api_only() {
    let app = guarded_app().await;
    let sb = app
        .post("/__admin/sandboxes")
        .header("X-Admin-Token", ADMIN)
        .send()
        .await
        .ok_json(201);
    let sb = sb["baseUrl"].as_str().unwrap();
    app.get(&format!("{sb}/__admin/health"))
        .send()
        .await
        .expect(401);
    app.get(&format!("{sb}/__admin/health"))
        .header("X-Admin-Token", ADMIN)
        .send()
        .await
        .expect(200);
    app.get(&format!("{sb}/api/v3/users/me"))
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    let journal = app
        .get(&format!("{sb}/__admin/requests"))
        .header("X-Admin-Token", ADMIN)
        .send()
        .await
        .ok_json(200);
    let text = journal.to_string();
    assert!(
        text.contains("s3c…"),
        "the admin token is journaled masked: {text}"
    );
    assert!(
        !text.contains(ADMIN) && !text.contains("ada-rw"),
        "no token in full: {text}"
    );
}

#[test]
fn the_server_binds_localhost_by_default() {
    assert_eq!(ServerConfig::default().host, "127.0.0.1");
    use clap::Parser;
    let cli = soteams_mock::config::Cli::parse_from([
        "soteams-mock",
        "--admin-token",
        "t",
        "--seed",
        "9",
    ]);
    assert_eq!(cli.host, "127.0.0.1");
    let config = cli.server_config(None);
    assert_eq!(
        (config.admin_token.as_deref(), config.seed),
        (Some("t"), Some(9))
    );
}

#[tokio::test]
async fn a_control_body_that_is_not_json_is_refused_415_and_changes_nothing() {
    let app = spawn_app().await;
    let sb = app.sandbox().await;
    let mint = json!({"accountId": 1002, "scope": "main", "token": "minted-by-a-page"}).to_string();
    for prefix in ["", sb.as_str()] {
        let path = format!("{prefix}/__admin/tokens");
        for content_type in [
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("application/problem+json"),
            None,
        ] {
            let call = app.post(&path);
            let call = match content_type {
                Some(content_type) => call.body(content_type, mint.clone()),
                None => call.raw_body(mint.clone()),
            };
            let body = call.send().await.ok_json(415);
            let error = body["error"].as_str().unwrap();
            assert!(
                error.contains("Content-Type: application/json") && error.contains("cross-site"),
                "{content_type:?}: the answer names the rule: {body}"
            );
            assert!(body.get("problems").is_none(), "{body}");
        }
        app.get(&format!("{prefix}/api/v3/users/me"))
            .token("minted-by-a-page")
            .send()
            .await
            .expect_unauthorized(); // no token was minted
        assert_eq!(
            app.journal_count(prefix, "path=/__admin/tokens&status=415")
                .await,
            5,
            "every refusal is journaled"
        );
    }
    let clock = json!({"now": "2030-01-01T00:00:00Z"}).to_string();
    app.put("/__admin/clock")
        .body("text/plain;charset=UTF-8", clock.clone())
        .send()
        .await
        .expect(415);
    let now = app.get("/__admin/clock").send().await.ok_json(200);
    assert_eq!(now["offsetSeconds"], 0, "the clock did not move: {now}");
    // JSON with parameters passes, and so does a request without a body, whatever it says.
    app.put("/__admin/clock")
        .body("Application/JSON; charset=utf-8", clock)
        .send()
        .await
        .expect(200);
    app.post("/__admin/reset")
        .header("content-type", "text/plain")
        .send()
        .await
        .expect(204);
    app.post(&format!("{sb}/__admin/tokens"))
        .body("application/json; charset=utf-8", mint)
        .send()
        .await
        .expect(201);
}

#[tokio::test]
async fn a_cross_site_request_to_the_control_api_is_refused_403_and_changes_nothing() {
    let app = spawn_app().await;
    let group = app
        .post("/api/v3/user-groups")
        .token("ada-rw")
        .json(&json!({"name": "Survivors", "userIds": [1]}))
        .send()
        .await
        .ok_json(201);
    let group = format!("/api/v3/user-groups/{}", group["id"]);
    let port = app.base.rsplit(':').next().unwrap().to_string();
    let foreign = [
        "http://attacker.example".to_string(),
        "null".to_string(),
        format!("http://localhost:{port}"), // the same server under another name
        format!("https://127.0.0.1:{port}.attacker.example"),
        "http://127.0.0.1:1".to_string(),
    ];
    for origin in &foreign {
        // What a page's form posts: text/plain or a form, with the page's Origin.
        let refused = app
            .post("/__admin/reset")
            .header("Origin", origin)
            .body("text/plain", "{}")
            .send()
            .await;
        let body = refused.ok_json(403);
        assert!(
            body["error"].as_str().unwrap().contains("origin"),
            "{origin}: {body}"
        );
        let state = app
            .get("/__admin/state")
            .header("Origin", origin)
            .send()
            .await;
        state.expect(403);
        assert!(!state.text.contains("ada-rw"), "no token: {}", state.text);
    }
    app.get(&group).token("ada-rw").send().await.expect(200); // not reset
    assert_eq!(
        app.journal_count("", "path=/__admin/state&status=403")
            .await,
        foreign.len() as u64,
        "every refusal is journaled"
    );
    // The server's own origin (Swagger UI, served by the mock) passes; so does no Origin.
    app.post("/__admin/snapshots")
        .header("Origin", &app.base)
        .json(&json!({"name": "mine"}))
        .send()
        .await
        .expect(201);
    // Under a sandbox too; the emulated APIs do not check Origin.
    let sb = app.sandbox().await;
    app.post(&format!("{sb}/__admin/reset"))
        .header("Origin", "http://attacker.example")
        .send()
        .await
        .expect(403);
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .header("Origin", "http://attacker.example")
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn a_cross_site_request_is_refused_before_the_admin_token_is_asked_for() {
    let app = guarded_app().await;
    let body = app
        .post("/__admin/reset")
        .header("Origin", "http://attacker.example")
        .send()
        .await
        .ok_json(403);
    assert!(body["error"].as_str().unwrap().contains("origin"), "{body}");
    app.post("/__admin/faults")
        .header("X-Admin-Token", ADMIN)
        .body("text/plain", json!({"action": {"status": 503}}).to_string())
        .send()
        .await
        .expect(415);
    let rules = app
        .get("/__admin/faults")
        .header("X-Admin-Token", ADMIN)
        .send()
        .await
        .ok_json(200);
    assert_eq!(rules["rules"], json!([]), "no rule added");
}
