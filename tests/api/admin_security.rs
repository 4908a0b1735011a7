//! `--admin-token`: every control route requires it, at the root and in sandboxes; the other
//! APIs do not.

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
