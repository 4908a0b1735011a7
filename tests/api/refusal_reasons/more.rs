//! Refusal reasons beside the table: fixtures without an Enterprise site, the memory of revoked
//! tokens, the order of the write checks, and injected refusals.

use serde_json::json;

use super::USERSYNC;
use super::table::ADMIN_DENIED;
use crate::helpers::*;

#[tokio::test]
async fn usersync_without_an_enterprise_main_site_says_no_main_site() {
    let fixture = json!({
        "apiKeys": [{"key": "local-key"}],
        "accounts": [{ "accountId": 1, "name": "A", "email": "a@example.com" }],
        "sites": [{ "slug": "acme", "kind": "business", "name": "Acme",
                    "users": [{ "id": 1, "accountId": 1, "role": "Admin" }] }],
        "tokens": [{ "token": "oauth", "accountId": 1, "kind": "oauth", "write": true, "expiresAt": null }]
    });
    let app = spawn_app_with(&fixture).await;
    let res = app
        .post(USERSYNC)
        .form(&[
            ("access_token", "oauth"),
            ("key", "local-key"),
            ("requestsJson", "[]"),
        ])
        .send()
        .await;
    assert_eq!(
        res.ok_json(400),
        json!({"error_id": 403, "error_name": "access_denied",
               "error_message": format!("{ADMIN_DENIED}the fixtures have no Enterprise main site")})
    );
    assert_eq!(res.header("x-mock-reason"), Some("no-main-site"));
    let journal = app
        .get("/__admin/requests?limit=1")
        .send()
        .await
        .ok_json(200);
    assert_eq!(journal["requests"][0]["reason"], "no-main-site");
}

#[tokio::test]
async fn a_revoked_token_is_told_apart_until_a_reset_or_until_it_is_minted_again() {
    let app = spawn_app().await;
    let reason = |path: &'static str, token: &'static str| {
        let call = app.get(path).token(token);
        async move {
            call.send()
                .await
                .header("x-mock-reason")
                .map(str::to_string)
        }
    };
    app.post("/__admin/tokens/revoke")
        .json(&json!({"token": "bob-ro"}))
        .send()
        .await
        .expect(204);
    assert_eq!(
        reason("/api/v3/users/me", "bob-ro").await.as_deref(),
        Some("token-revoked")
    );
    // Minted again: it works, and once revoked again it is revoked again.
    app.post("/__admin/tokens")
        .json(&json!({"accountId": 1002, "kind": "oauth", "token": "bob-ro"}))
        .send()
        .await
        .expect(201);
    assert_eq!(reason("/api/v3/users/me", "bob-ro").await, None);
    // A sandbox remembers its own revocations only.
    let sb = app.sandbox().await;
    app.post(&format!("{sb}/__admin/tokens/revoke"))
        .json(&json!({"token": "ada-ro"}))
        .send()
        .await
        .expect(204);
    let in_sandbox = app
        .get(&format!("{sb}/api/v3/users/me"))
        .token("ada-ro")
        .send()
        .await;
    assert_eq!(in_sandbox.header("x-mock-reason"), Some("token-revoked"));
    assert_eq!(
        reason("/api/v3/users/me", "ada-ro").await,
        None,
        "the root keeps it"
    );
    // A reset forgets every revocation: a minted token revoked before it is unknown after.
    app.post("/__admin/tokens")
        .json(&json!({"accountId": 1001, "kind": "oauth", "token": "short-lived"}))
        .send()
        .await
        .expect(201);
    app.post("/__admin/tokens/revoke")
        .json(&json!({"token": "short-lived"}))
        .send()
        .await
        .expect(204);
    assert_eq!(
        reason("/api/v3/users/me", "short-lived").await.as_deref(),
        Some("token-revoked")
    );
    app.post("/__admin/reset").send().await.expect(204);
    assert_eq!(
        reason("/api/v3/users/me", "short-lived").await.as_deref(),
        Some("token-unknown")
    );
}

#[tokio::test]
async fn a_write_on_a_basic_team_with_a_read_only_token_names_the_basic_team() {
    let app = spawn_app().await;
    let res = app
        .post("/v3/teams/startup/user-groups")
        .token("startup-ro")
        .json(&json!({"name": "Reasons"}))
        .send()
        .await;
    res.expect_forbidden();
    assert_eq!(res.header("x-mock-reason"), Some("basic-team-read-only"));
}

#[tokio::test]
async fn an_injected_refusal_with_a_body_of_its_own_still_names_injected_fault() {
    let app = spawn_app().await;
    app.fault(
        "",
        json!({"match": {"api": "v3"}, "action": {"status": 401, "body": "custom"}, "trigger": {"times": 1}}),
    )
    .await;
    let res = app.get("/api/v3/users/me").token("ada-rw").send().await;
    assert_eq!((res.status, res.text.as_str()), (401, "custom"));
    assert_eq!(res.header("x-mock-reason"), Some("injected-fault"));
    // Other injected statuses are no refusal.
    let res = app
        .get("/api/v3/users/me")
        .token("ada-rw")
        .header("X-Mock-Fault", "status=503")
        .unchecked()
        .send()
        .await;
    res.expect(503);
    assert_eq!(res.header("x-mock-reason"), None);
}
