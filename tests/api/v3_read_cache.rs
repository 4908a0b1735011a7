//! Reads are answered from a cache of rendered bodies while the world is unchanged. These tests
//! warm the cache first, then change the world every way it can change (a v3 write, a state
//! import, a snapshot restore, a reset, a sandbox) and check that no read answers from before.

use serde_json::{Value, json};

use crate::helpers::*;

const GROUPS: &str = "/api/v3/user-groups?pageSize=50";

async fn group_names(app: &TestApp, base: &str) -> Vec<String> {
    let body = app
        .get(&format!("{base}{GROUPS}"))
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    texts(&body["items"], "name")
        .into_iter()
        .map(str::to_string)
        .collect()
}

async fn create_group(app: &TestApp, base: &str, name: &str) {
    app.post(&format!("{base}/api/v3/user-groups"))
        .token("ada-rw")
        .json(&json!({"name": name, "userIds": [1]}))
        .send()
        .await
        .expect(201);
}

#[tokio::test]
async fn a_warm_read_follows_every_change_of_the_world() {
    let app = spawn_app().await;
    let fixtures = group_names(&app, "").await;
    assert_eq!(group_names(&app, "").await, fixtures, "the same read twice");

    create_group(&app, "", "Cache Busters").await;
    let after_write = group_names(&app, "").await;
    assert!(after_write.contains(&"Cache Busters".to_string()));
    assert_eq!(after_write.len(), fixtures.len() + 1);

    app.post("/__admin/snapshots")
        .json(&json!({"name": "with-busters"}))
        .send()
        .await
        .expect(201);
    app.post("/__admin/reset").send().await.expect(204);
    assert_eq!(group_names(&app, "").await, fixtures, "reset");

    app.post("/__admin/snapshots/with-busters/restore")
        .send()
        .await
        .expect(204);
    assert_eq!(group_names(&app, "").await, after_write, "snapshot restore");

    let mut state = app.get("/__admin/state").send().await.ok_json(200);
    let groups = state["sites"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["kind"] == "enterprise")
        .expect("the main site")["userGroups"]
        .as_array_mut()
        .unwrap();
    groups.retain(|g| g["name"] != "Cache Busters");
    groups[0]["name"] = json!("Imported Name");
    app.put("/__admin/state")
        .json(&state)
        .send()
        .await
        .expect(200);
    let imported = group_names(&app, "").await;
    assert!(
        imported.contains(&"Imported Name".to_string()),
        "{imported:?}"
    );
    assert!(!imported.contains(&"Cache Busters".to_string()));
}

#[tokio::test]
async fn a_refused_write_leaves_the_warm_read_as_it_was() {
    let app = spawn_app().await;
    let before = group_names(&app, "").await;
    app.post("/api/v3/user-groups")
        .token("ada-rw")
        .json(&json!({"name": "Unknown Members", "userIds": [999999]}))
        .send()
        .await
        .expect(400);
    app.post("/api/v3/user-groups")
        .token("ada-ro")
        .json(&json!({"name": "Read Only"}))
        .send()
        .await
        .expect_forbidden();
    assert_eq!(group_names(&app, "").await, before);
}

#[tokio::test]
async fn one_callers_warm_read_is_never_served_to_another() {
    let app = spawn_app().await;
    let path = "/api/v3/users?pageSize=50";
    // The admin reads first: the body with every email is rendered then.
    let as_ada = app.get(path).token("ada-ro").send().await.ok_json(200);
    assert_eq!(email_of(&as_ada, 2), "bob@example.com");
    let as_bob = app.get(path).token("bob-ro").send().await.ok_json(200);
    assert_eq!(
        email_of(&as_bob, 1),
        Value::Null,
        "Bob does not see Ada's email"
    );
    assert_eq!(email_of(&as_bob, 2), "bob@example.com");
    // `/users/me` names the caller: the same path, a different answer per token.
    let me = |token: &'static str| {
        let app = &app;
        async move {
            app.get("/api/v3/users/me")
                .token(token)
                .send()
                .await
                .ok_json(200)["id"]
                .clone()
        }
    };
    assert_eq!(
        (me("ada-ro").await, me("bob-ro").await),
        (json!(1), json!(2))
    );
}

#[tokio::test]
async fn a_sandbox_and_the_root_never_share_a_warm_read() {
    let app = spawn_app().await;
    let sandbox = app.sandbox().await;
    let prefix = sandbox.trim_start_matches(&app.base);
    let root_before = group_names(&app, "").await;
    assert_eq!(group_names(&app, prefix).await, root_before);

    create_group(&app, prefix, "Sandboxed Only").await;
    assert!(
        group_names(&app, prefix)
            .await
            .contains(&"Sandboxed Only".to_string())
    );
    assert_eq!(
        group_names(&app, "").await,
        root_before,
        "the root is untouched"
    );
}

/// The rate-limit headers' values change from call to call; everything else must not.
const RATE_LIMIT_HEADERS: [&str; 5] = [
    "x-burst-throttle-calls-left",
    "x-burst-throttle-seconds-until-full",
    "x-token-bucket-calls-left",
    "x-token-bucket-seconds-until-full",
    "x-token-bucket-seconds-until-next-refill",
];

fn steady_headers(resp: &Resp) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = resp
        .headers
        .iter()
        .filter(|(name, _)| name.as_str() != "date")
        .filter(|(name, _)| !RATE_LIMIT_HEADERS.contains(&name.as_str()))
        .map(|(name, value)| {
            (
                name.to_string(),
                value.to_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    headers.sort();
    headers
}

#[tokio::test]
async fn a_kept_answer_is_the_rendered_one_and_is_counted_and_journaled() {
    let app = spawn_app().await;
    app.put("/__admin/rate-limits")
        .json(&serde_json::json!({"enforced": true}))
        .send()
        .await
        .expect(200);
    let path = "/api/v3/user-groups?pageSize=30";
    let rendered = app.get(path).token("ada-rw").send().await;
    let kept = app.get(path).token("ada-rw").send().await;
    kept.expect(200);
    assert_eq!(kept.text, rendered.text, "the same bytes");
    assert_eq!(steady_headers(&kept), steady_headers(&rendered));
    assert!(
        steady_headers(&kept).contains(&("content-type".into(), "application/json".into())),
        "{:?}",
        kept.headers
    );
    // Both calls count against the token: every header is there, one call fewer is left.
    for name in RATE_LIMIT_HEADERS {
        assert!(kept.header(name).is_some(), "{name} on the kept answer");
    }
    let left = |r: &Resp| -> u64 {
        r.header("x-token-bucket-calls-left")
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(left(&kept), left(&rendered) - 1);
    // Both are journaled with their status.
    assert_eq!(
        app.journal_count("", "path=/api/v3/user-groups&status=200")
            .await,
        2
    );
}

#[tokio::test]
async fn a_kept_answer_is_not_given_to_an_expired_or_revoked_token() {
    let app = spawn_app().await;
    let now = app.get("/__admin/clock").send().await.ok_json(200)["now"]
        .as_str()
        .unwrap()
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    for (token, expires) in [
        ("hour-token", now + chrono::Duration::hours(1)),
        ("revoked-token", now + chrono::Duration::days(1)),
    ] {
        app.post("/__admin/tokens")
            .json(
                &json!({"accountId": 1001, "kind": "oauth", "token": token, "expiresAt": expires}),
            )
            .send()
            .await
            .expect(201);
    }
    let me = |token: &'static str| {
        let app = &app;
        async move { app.get("/api/v3/users/me").token(token).send().await }
    };
    for token in ["hour-token", "revoked-token"] {
        assert_eq!(me(token).await.ok_json(200)["id"], 1);
        assert_eq!(me(token).await.ok_json(200)["id"], 1, "kept");
    }

    // Two hours on: the world has not changed, the token has expired.
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 7200}))
        .send()
        .await
        .expect(200);
    me("hour-token").await.expect_unauthorized();
    me("hour-token").await.expect_unauthorized();
    // Back again: valid again, as a rendered answer would be.
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": -7200}))
        .send()
        .await
        .expect(200);
    assert_eq!(me("hour-token").await.ok_json(200)["id"], 1);

    app.post("/__admin/tokens/revoke")
        .json(&json!({"token": "revoked-token"}))
        .send()
        .await
        .expect(204);
    me("revoked-token").await.expect_unauthorized();
    assert_eq!(me("hour-token").await.ok_json(200)["id"], 1);
}

#[tokio::test]
async fn the_docs_are_served_in_front_of_the_instances_and_not_journaled() {
    let app = spawn_app().await;
    let doc = app.get("/openapi.json").unchecked().send().await;
    doc.expect(200);
    assert_eq!(doc.header("content-type"), Some("application/json"));
    assert!(doc.json()["paths"]["/api/v3/user-groups"].is_object());
    let ui = app.get("/swagger-ui/").unchecked().send().await;
    ui.expect(200);
    assert!(ui.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(
        app.journal_count("", "").await,
        0,
        "the docs are not journaled"
    );
    // A sandbox serves the API, not the docs.
    let sandbox = app.sandbox().await;
    let prefix = sandbox.trim_start_matches(&app.base);
    app.get(&format!("{prefix}/openapi.json"))
        .unchecked()
        .send()
        .await
        .expect(404);
}
