//! Every row of the contract's auth table (§3 "Errors"), under the shapes it concerns, and the
//! precedence between them: 401 before 403 before 404 before 400.

use serde_json::json;

use crate::helpers::*;

#[derive(Debug, Clone, Copy)]
enum Expect {
    Unauthorized,
    /// 403 `/v3/errors/forbidden` with a `detail` (deactivated owner, non-member).
    ForbiddenBecause,
    /// The exact 403 body of the real service (admin-only routes, writes).
    Forbidden,
    NotFound(&'static str),
    Ok,
}

async fn check(app: &TestApp, path: &str, auth: Option<&str>, expect: Expect) {
    let mut call = app.get(path);
    // `/users/manage` exists on the main site only: under a team prefix the document has no
    // such operation (the path would pass for `/users/{userId}`), so the call is off-spec.
    if path.contains("/teams/") && path.ends_with("/users/manage") {
        call = call.unchecked();
    }
    if let Some(value) = auth {
        call = call.header("authorization", value);
    }
    let res = call.send().await;
    let why = format!("GET {path} with Authorization {auth:?}");
    match expect {
        Expect::Unauthorized => {
            assert_eq!(res.status, 401, "{why}: {}", res.text);
            res.expect_unauthorized();
        }
        Expect::ForbiddenBecause => {
            let body = res.expect_problem(403, "/v3/errors/forbidden");
            assert!(
                body["detail"].is_string(),
                "{why}: a reason is given: {}",
                res.text
            );
        }
        Expect::Forbidden => {
            assert_eq!(res.status, 403, "{why}: {}", res.text);
            res.expect_forbidden();
            assert_eq!(
                res.json(),
                json!({"type": "/v3/errors/forbidden", "title": "Forbidden Action", "status": 403}),
                "{why}"
            );
        }
        Expect::NotFound(type_) => {
            res.expect_problem(404, type_);
        }
        Expect::Ok => {
            assert_eq!(res.status, 200, "{why}: {}", res.text);
        }
    }
}

#[tokio::test]
async fn every_row_of_the_auth_table_answers_as_the_contract_says() {
    use Expect::*;
    let app = spawn_app().await;
    let rows: &[(&str, Option<&str>, Expect)] = &[
        // 401: no, malformed, unknown, expired token.
        ("/api/v3/users/me", None, Unauthorized),
        ("/api/v3/users/me", Some("Basic YWRhOnJ3"), Unauthorized),
        ("/api/v3/users/me", Some("Bearer"), Unauthorized),
        ("/api/v3/users/me", Some("Bearer   "), Unauthorized),
        ("/api/v3/users/me", Some("ada-rw"), Unauthorized),
        (
            "/api/v3/users/me",
            Some("Bearer no-such-token"),
            Unauthorized,
        ),
        ("/api/v3/users/me", Some("Bearer expired-pat"), Unauthorized),
        // 401: a token not valid for the addressed site.
        (
            "/api/v3/users/me",
            Some("Bearer acme-admin-rw"),
            Unauthorized,
        ),
        (
            "/v3/teams/startup/users/me",
            Some("Bearer acme-admin-rw"),
            Unauthorized,
        ),
        (
            "/v3/teams/acme/users/me",
            Some("Bearer ada-rw"),
            Unauthorized,
        ),
        (
            "/api/v3/teams/productone/users/me",
            Some("Bearer main-pat-rw"),
            Unauthorized,
        ),
        // 401: an unknown cloud team (the real service answers so), or a private team through
        // the cloud shape.
        (
            "/v3/teams/no-such-team/users/me",
            Some("Bearer acme-admin-rw"),
            Unauthorized,
        ),
        (
            "/v3/teams/productone/users/me",
            Some("Bearer ada-rw"),
            Unauthorized,
        ),
        // 403: the owner is deactivated, or not a user of the site.
        ("/api/v3/users/me", Some("Bearer cy-rw"), ForbiddenBecause),
        (
            "/api/v3/users/me",
            Some("Bearer outsider-rw"),
            ForbiddenBecause,
        ),
        (
            "/api/v3/teams/legal/users/me",
            Some("Bearer bob-rw"),
            ForbiddenBecause,
        ),
        // 403: admin-only routes for a non-admin.
        ("/api/v3/users/manage", Some("Bearer bob-rw"), Forbidden),
        (
            "/api/v3/users/by-email/ada@example.com",
            Some("Bearer bob-ro"),
            Forbidden,
        ),
        (
            "/api/v3/users/by-external-id/ada",
            Some("Bearer bob-ro"),
            Forbidden,
        ),
        (
            "/v3/teams/acme/users/by-email/bob@example.com",
            Some("Bearer acme-member-ro"),
            Forbidden,
        ),
        // 404: an unknown private team; /users/manage under a team prefix.
        (
            "/api/v3/teams/no-such-team/users/me",
            Some("Bearer ada-rw"),
            NotFound("/v3/errors/team/not-found"),
        ),
        (
            "/api/v3/teams/acme/users/me",
            Some("Bearer ada-rw"),
            NotFound("/v3/errors/team/not-found"),
        ),
        (
            "/api/v3/teams/productone/users/manage",
            Some("Bearer ada-rw"),
            NotFound("/v3/errors/not-found"),
        ),
        (
            "/v3/teams/acme/users/manage",
            Some("Bearer acme-admin-rw"),
            NotFound("/v3/errors/not-found"),
        ),
        // The happy paths of each token kind and shape.
        ("/api/v3/users/me", Some("Bearer ada-rw"), Ok),
        ("/api/v3/users/me", Some("bearer ada-rw"), Ok),
        ("/api/v3/users/me", Some("Bearer main-pat-rw"), Ok),
        ("/api/v3/users/me", Some("Bearer service-main"), Ok),
        (
            "/api/v3/teams/productone/users/me",
            Some("Bearer ada-rw"),
            Ok,
        ),
        ("/api/v3/teams/legal/users/me", Some("Bearer ada-ro"), Ok),
        ("/v3/teams/acme/users/me", Some("Bearer acme-admin-rw"), Ok),
        ("/v3/teams/startup/users/me", Some("Bearer startup-ro"), Ok),
        ("/api/v3/users/manage", Some("Bearer ada-ro"), Ok),
    ];
    for (path, auth, expect) in rows {
        check(&app, path, *auth, *expect).await;
    }
}

#[tokio::test]
async fn the_first_applicable_error_wins_401_then_403_then_404_then_400() {
    use Expect::*;
    let app = spawn_app().await;
    // 401 beats an unknown team, a bad id and a bad query.
    check(
        &app,
        "/api/v3/teams/no-such-team/users/abc",
        None,
        Unauthorized,
    )
    .await;
    check(
        &app,
        "/api/v3/users/abc?page=0",
        Some("Bearer expired-pat"),
        Unauthorized,
    )
    .await;
    // 403 beats a bad query and an unknown user.
    check(
        &app,
        "/api/v3/users/manage?pageSize=7",
        Some("Bearer bob-ro"),
        Forbidden,
    )
    .await;
    check(
        &app,
        "/api/v3/users/abc",
        Some("Bearer cy-rw"),
        ForbiddenBecause,
    )
    .await;
    // 404 (unknown private team) beats a bad id.
    check(
        &app,
        "/api/v3/teams/no-such-team/users/abc",
        Some("Bearer ada-rw"),
        NotFound("/v3/errors/team/not-found"),
    )
    .await;
    // Then 400.
    app.get("/api/v3/users/abc")
        .token("ada-rw")
        .send()
        .await
        .expect_validation("userId");
}

#[tokio::test]
async fn a_service_token_whose_owner_is_not_a_site_user_gets_404_from_users_me() {
    let mut fixture: serde_json::Value =
        serde_json::from_str(include_str!("../../fixtures/default/00-accounts.json")).unwrap();
    fixture["sites"] = json!([{ "slug": "main", "kind": "enterprise", "name": "Main",
        "users": [{ "id": 1, "accountId": 1001, "role": "Admin" }] }]);
    fixture["tokens"] = json!([
        { "token": "svc", "accountId": 1002, "kind": "service", "scope": "main", "write": false, "expiresAt": null },
        { "token": "pat", "accountId": 1002, "kind": "pat", "scope": "main", "write": false, "expiresAt": null }
    ]);
    let app = spawn_app_with(&fixture).await;
    let body = app
        .get("/api/v3/users/me")
        .token("svc")
        .send()
        .await
        .expect_problem(404, "/v3/errors/user/not-found");
    assert_eq!(body["title"], "User details not found");
    // The service token still reads the site; a PAT of the same non-member does not.
    app.get("/api/v3/users")
        .token("svc")
        .send()
        .await
        .expect(200);
    app.get("/api/v3/users")
        .token("pat")
        .send()
        .await
        .expect_problem(403, "/v3/errors/forbidden");
}

#[tokio::test]
async fn an_enterprise_shape_without_an_enterprise_site_answers_404() {
    let fixture = json!({
        "accounts": [{ "accountId": 1, "name": "A", "email": "a@example.com" }],
        "sites": [{ "slug": "acme", "kind": "business", "name": "Acme", "users": [{ "id": 1, "accountId": 1, "role": "Admin" }] }],
        "tokens": [{ "token": "oauth", "accountId": 1, "kind": "oauth", "write": true, "expiresAt": null }]
    });
    let app = spawn_app_with(&fixture).await;
    app.get("/api/v3/users/me")
        .token("oauth")
        .send()
        .await
        .expect_problem(404, "/v3/errors/site/not-found");
}

#[tokio::test]
async fn every_v3_response_carries_the_rate_limit_headers_even_a_401() {
    let app = spawn_app().await;
    for (path, token) in [
        ("/api/v3/users/me", Some("ada-rw")),
        ("/api/v3/users/me", None),
        ("/api/v3/tags/abc", Some("ada-rw")),
    ] {
        let mut call = app.get(path);
        if let Some(t) = token {
            call = call.token(t);
        }
        let res = call.send().await;
        for name in [
            "x-burst-throttle-calls-left",
            "x-burst-throttle-seconds-until-full",
            "x-token-bucket-calls-left",
            "x-token-bucket-seconds-until-full",
            "x-token-bucket-seconds-until-next-refill",
        ] {
            let value = res
                .header(name)
                .unwrap_or_else(|| panic!("{path} lacks {name}"));
            assert!(value.parse::<u64>().is_ok(), "{name}: {value}");
        }
    }
    // Under enforcement the counters are per token and count down.
    app.put("/__admin/rate-limits")
        .json(&serde_json::json!({"enforced": true}))
        .send()
        .await
        .expect(200);
    let first = app.get("/api/v3/tags").token("bob-ro").send().await;
    let second = app.get("/api/v3/tags").token("bob-ro").send().await;
    let left = |r: &Resp| {
        r.header("x-burst-throttle-calls-left")
            .unwrap()
            .parse::<u32>()
            .unwrap()
    };
    assert_eq!(left(&first), 49);
    assert_eq!(left(&second), 48);
    assert_eq!(second.header("x-token-bucket-calls-left"), Some("4998"));
}

#[tokio::test]
async fn unknown_v3_routes_and_wrong_methods_are_counted_and_carry_the_headers_too() {
    let app = spawn_app().await;
    app.put("/__admin/rate-limits")
        .json(&serde_json::json!({"enforced": true}))
        .send()
        .await
        .expect(200);
    let unknown = app
        .get("/api/v3/no-such-route")
        .token("bob-ro")
        .unchecked()
        .send()
        .await;
    unknown.expect(404);
    assert_eq!(unknown.header("x-burst-throttle-calls-left"), Some("49"));
    let wrong = app
        .call(reqwest::Method::PATCH, "/v3/teams/acme/tags")
        .token("bob-ro")
        .unchecked()
        .send()
        .await;
    wrong.expect(405);
    assert_eq!(wrong.header("x-burst-throttle-calls-left"), Some("48"));
    // Not v3: no rate-limit headers.
    let admin = app.get("/__admin/health").send().await;
    assert_eq!(admin.header("x-burst-throttle-calls-left"), None);
}

/// Real clients sleep when the headers run low (about 2 s below 5 burst calls, 60 s below 100
/// bucket calls); with enforcement off (the default) nothing should slow them: every answer
/// reports full limits.
#[tokio::test]
async fn with_enforcement_off_two_hundred_calls_all_report_full_limits() {
    let app = spawn_app().await;
    for i in 0..200 {
        let path = if i % 2 == 0 {
            "/api/v3/tags"
        } else {
            "/api/v3/no-such-route"
        };
        let res = app.get(path).token("bob-ro").unchecked().send().await;
        let value = |name: &str| -> u64 {
            res.header(name)
                .unwrap_or_else(|| panic!("call {i}: no {name}"))
                .parse()
                .unwrap()
        };
        assert_eq!(
            (
                value("x-burst-throttle-calls-left"),
                value("x-token-bucket-calls-left"),
                value("x-burst-throttle-seconds-until-full"),
                value("x-token-bucket-seconds-until-full"),
            ),
            (50, 5000, 0, 0),
            "call {i}"
        );
    }
}

#[tokio::test]
async fn with_rate_limits_enforced_the_51st_burst_call_gets_429_with_retry_after() {
    let app = spawn_app_with_config(soteams_mock::ServerConfig {
        rate_limit: true,
        ..Default::default()
    })
    .await;
    for i in 0..50 {
        app.get("/api/v3/tags")
            .token("bob-ro")
            .send()
            .await
            .expect(200);
        let _ = i;
    }
    let refused = app.get("/api/v3/tags").token("bob-ro").send().await;
    refused.expect_problem(429, "/v3/errors/throttle/too-many-requests");
    let retry: u64 = refused
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "retry after {retry}");
    assert_eq!(refused.header("x-burst-throttle-calls-left"), Some("0"));
    // Another token is not throttled.
    app.get("/api/v3/tags")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
}
