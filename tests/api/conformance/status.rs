//! Every status code the official excerpt declares is reachable (contract §3): for each
//! operation and each declared code, a row gives the input or state that produces it, without
//! fault injection (except the 500 of `POST /user-groups` and the 500 and 503 of `GET /search`,
//! which only a fault produces; the 429s come from rate-limit enforcement switched on), and the
//! test asserts it on a fresh
//! server. The rows run on the main shape (`/api/v3`), the 422s on a private team whose SMEs
//! are disabled; the extra codes of the team shapes are covered by `v3_auth`. Every response
//! also passes the shared spec check.

use serde_json::json;

use super::{DOC, pending, upstream_ops};
use crate::helpers::*;

/// The state a row needs besides the default fixtures.
#[derive(Clone, Copy)]
enum State {
    Default,
    /// A `service` token (`svc`) whose owner is not a user of the main site.
    ServiceTokenOfNonUser,
    /// A one-shot fault injected with the `X-Mock-Fault` header (control API, issue 5).
    Fault(&'static str),
    /// Rate-limit enforcement on, and the row's token has spent its burst (50 calls) on the
    /// row's path.
    BurstSpent,
}

struct Row {
    /// The excerpt operation: method and main-form path template.
    op: (&'static str, &'static str),
    status: u16,
    path: &'static str,
    token: Option<&'static str>,
    body: Option<&'static str>,
    state: State,
    how: &'static str,
}

const fn row(
    op: (&'static str, &'static str),
    status: u16,
    path: &'static str,
    token: Option<&'static str>,
    body: Option<&'static str>,
    how: &'static str,
) -> Row {
    Row {
        op,
        status,
        path,
        token,
        body,
        state: State::Default,
        how,
    }
}

const ADMIN: Option<&str> = Some("ada-rw");
const READ_ONLY: Option<&str> = Some("ada-ro");
const DEACTIVATED: Option<&str> = Some("cy-rw");
const NONE: Option<&str> = None;

/// The header of issue 5's one-shot fault that makes the next request answer 500.
const FAULT_500: &str = "status=500";

/// A read route's 401 (no token) and 403 (owner deactivated).
macro_rules! auth_rows {
    ($op:expr, $path:expr) => {
        [
            row($op, 401, $path, NONE, None, "no Authorization header"),
            row(
                $op,
                403,
                $path,
                DEACTIVATED,
                None,
                "the token owner is deactivated",
            ),
        ]
    };
}

/// A write route's 401 (no token) and 403 (read-only token).
macro_rules! write_auth_rows {
    ($op:expr, $path:expr, $body:expr) => {
        [
            row($op, 401, $path, NONE, $body, "no Authorization header"),
            row(
                $op,
                403,
                $path,
                READ_ONLY,
                $body,
                "a read-only token writes",
            ),
        ]
    };
}

fn rows() -> Vec<Row> {
    let tags = ("GET", "/tags");
    let tag = ("GET", "/tags/{tagId}");
    let watchers = ("GET", "/tags/{tagId}/tag-watchers");
    let smes = ("GET", "/tags/{tagId}/subject-matter-experts");
    let smes_put = ("PUT", "/tags/{tagId}/subject-matter-experts");
    let sme_users = ("POST", "/tags/{tagId}/subject-matter-experts/users");
    let sme_groups = ("POST", "/tags/{tagId}/subject-matter-experts/user-groups");
    let sme_user_del = (
        "DELETE",
        "/tags/{tagId}/subject-matter-experts/users/{userId}",
    );
    let sme_group_del = (
        "DELETE",
        "/tags/{tagId}/subject-matter-experts/user-groups/{userGroupId}",
    );
    let groups = ("GET", "/user-groups");
    let group_new = ("POST", "/user-groups");
    let group = ("GET", "/user-groups/{userGroupId}");
    let group_put = ("PUT", "/user-groups/{userGroupId}");
    let members = ("POST", "/user-groups/{userGroupId}/members");
    let member_del = ("DELETE", "/user-groups/{userGroupId}/members/{userId}");
    let users = ("GET", "/users");
    let user = ("GET", "/users/{userId}");
    let me = ("GET", "/users/me");
    let by_email = ("GET", "/users/by-email/{email}");
    let by_ext = ("GET", "/users/by-external-id/{externalId}");
    let watched = ("GET", "/users/{userId}/watched-tags");
    let manage = ("GET", "/users/manage");
    let group_body = Some(r#"{"name": "Conformance", "description": "d", "userIds": [1]}"#);

    let mut rows = vec![
        row(tags, 200, "/api/v3/tags", ADMIN, None, "a valid token"),
        row(
            tags,
            400,
            "/api/v3/tags?pageSize=7",
            ADMIN,
            None,
            "pageSize outside 15/30/50/100",
        ),
        row(tag, 200, "/api/v3/tags/1", ADMIN, None, "an existing tag"),
        row(tag, 404, "/api/v3/tags/999", ADMIN, None, "an unknown tag"),
        row(
            tag,
            400,
            "/api/v3/tags/abc",
            ADMIN,
            None,
            "a non-numeric tag id",
        ),
        row(
            watchers,
            200,
            "/api/v3/tags/1/tag-watchers",
            ADMIN,
            None,
            "an existing tag",
        ),
        row(
            watchers,
            404,
            "/api/v3/tags/999/tag-watchers",
            ADMIN,
            None,
            "an unknown tag",
        ),
        row(
            watchers,
            400,
            "/api/v3/tags/0/tag-watchers",
            ADMIN,
            None,
            "a tag id below 1",
        ),
        row(
            smes,
            200,
            "/api/v3/tags/1/subject-matter-experts",
            ADMIN,
            None,
            "a tag with SMEs",
        ),
        row(
            smes,
            404,
            "/api/v3/tags/999/subject-matter-experts",
            ADMIN,
            None,
            "an unknown tag",
        ),
        row(
            smes,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts",
            ADMIN,
            None,
            "a site with SMEs disabled",
        ),
        row(
            smes,
            400,
            "/api/v3/tags/abc/subject-matter-experts",
            ADMIN,
            None,
            "a non-numeric tag id",
        ),
        row(
            smes_put,
            200,
            "/api/v3/tags/1/subject-matter-experts",
            ADMIN,
            Some(r#"{"userIds": [1], "userGroupIds": [2]}"#),
            "a replacement set",
        ),
        row(
            smes_put,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts",
            ADMIN,
            Some(r#"{"userIds": [1]}"#),
            "a site with SMEs disabled",
        ),
        row(
            smes_put,
            400,
            "/api/v3/tags/1/subject-matter-experts",
            ADMIN,
            Some(r#"{"userIds": "one"}"#),
            "userIds is not an array",
        ),
        row(
            sme_users,
            200,
            "/api/v3/tags/2/subject-matter-experts/users",
            ADMIN,
            Some("[1]"),
            "a user id",
        ),
        row(
            sme_users,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts/users",
            ADMIN,
            Some("[1]"),
            "a site with SMEs disabled",
        ),
        row(
            sme_users,
            400,
            "/api/v3/tags/2/subject-matter-experts/users",
            ADMIN,
            Some("[1,"),
            "malformed JSON",
        ),
        row(
            sme_groups,
            200,
            "/api/v3/tags/2/subject-matter-experts/user-groups",
            ADMIN,
            Some("[1]"),
            "a group id",
        ),
        row(
            sme_groups,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts/user-groups",
            ADMIN,
            Some("[1]"),
            "a site with SMEs disabled",
        ),
        row(
            sme_groups,
            400,
            "/api/v3/tags/2/subject-matter-experts/user-groups",
            ADMIN,
            Some(r#"{"not": "an array"}"#),
            "a body that is not an array",
        ),
        row(
            sme_user_del,
            204,
            "/api/v3/tags/1/subject-matter-experts/users/12",
            ADMIN,
            None,
            "an SME of the tag",
        ),
        row(
            sme_user_del,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts/users/1",
            ADMIN,
            None,
            "a site with SMEs disabled",
        ),
        row(
            sme_user_del,
            400,
            "/api/v3/tags/1/subject-matter-experts/users/abc",
            ADMIN,
            None,
            "a non-numeric user id",
        ),
        row(
            sme_group_del,
            204,
            "/api/v3/tags/1/subject-matter-experts/user-groups/1",
            ADMIN,
            None,
            "an SME group of the tag",
        ),
        row(
            sme_group_del,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts/user-groups/1",
            ADMIN,
            None,
            "a site with SMEs disabled",
        ),
        row(
            sme_group_del,
            400,
            "/api/v3/tags/1/subject-matter-experts/user-groups/0",
            ADMIN,
            None,
            "a group id below 1",
        ),
        row(
            groups,
            200,
            "/api/v3/user-groups",
            ADMIN,
            None,
            "a valid token",
        ),
        row(
            groups,
            400,
            "/api/v3/user-groups?sort=bogus",
            ADMIN,
            None,
            "an unknown sort",
        ),
        row(
            group_new,
            201,
            "/api/v3/user-groups",
            ADMIN,
            group_body,
            "a new group",
        ),
        row(
            group_new,
            400,
            "/api/v3/user-groups",
            ADMIN,
            Some(r#"{"description": "no name"}"#),
            "the required name is missing",
        ),
        Row {
            state: State::Fault(FAULT_500),
            ..row(
                group_new,
                500,
                "/api/v3/user-groups",
                ADMIN,
                group_body,
                "fault injection: X-Mock-Fault",
            )
        },
        row(
            group,
            200,
            "/api/v3/user-groups/1",
            ADMIN,
            None,
            "an existing group",
        ),
        row(
            group,
            404,
            "/api/v3/user-groups/999",
            ADMIN,
            None,
            "an unknown group",
        ),
        row(
            group,
            400,
            "/api/v3/user-groups/abc",
            ADMIN,
            None,
            "a non-numeric group id",
        ),
        row(
            group_put,
            200,
            "/api/v3/user-groups/1",
            ADMIN,
            Some(r#"{"name": "Renamed", "description": "", "userIds": [1]}"#),
            "a full replacement",
        ),
        row(
            group_put,
            400,
            "/api/v3/user-groups/1",
            ADMIN,
            Some("{}"),
            "the required name is missing",
        ),
        row(
            members,
            200,
            "/api/v3/user-groups/6/members",
            ADMIN,
            Some("[1, 2]"),
            "user ids to add",
        ),
        row(
            members,
            404,
            "/api/v3/user-groups/999/members",
            ADMIN,
            Some("[1]"),
            "an unknown group",
        ),
        row(
            members,
            400,
            "/api/v3/user-groups/6/members",
            ADMIN,
            Some(r#""1""#),
            "a body that is not an array",
        ),
        row(
            member_del,
            200,
            "/api/v3/user-groups/1/members/1",
            ADMIN,
            None,
            "a member of the group",
        ),
        row(
            member_del,
            404,
            "/api/v3/user-groups/1/members/2",
            ADMIN,
            None,
            "a user who is not a member",
        ),
        row(
            member_del,
            400,
            "/api/v3/user-groups/abc/members/1",
            ADMIN,
            None,
            "a non-numeric group id",
        ),
        row(users, 200, "/api/v3/users", ADMIN, None, "a valid token"),
        row(
            users,
            400,
            "/api/v3/users?page=0",
            ADMIN,
            None,
            "page below 1",
        ),
        row(
            user,
            200,
            "/api/v3/users/1",
            ADMIN,
            None,
            "an existing user",
        ),
        row(
            user,
            404,
            "/api/v3/users/9999",
            ADMIN,
            None,
            "an unknown user",
        ),
        row(
            user,
            400,
            "/api/v3/users/abc",
            ADMIN,
            None,
            "a non-numeric user id",
        ),
        row(me, 200, "/api/v3/users/me", ADMIN, None, "a user's token"),
        Row {
            state: State::ServiceTokenOfNonUser,
            ..row(
                me,
                404,
                "/api/v3/users/me",
                Some("svc"),
                None,
                "a service token whose owner is not a user of the site",
            )
        },
        row(
            me,
            400,
            "/api/v3/users/me?x=%FF",
            ADMIN,
            None,
            "a query string that is not UTF-8 (mock choice)",
        ),
        row(
            by_email,
            200,
            "/api/v3/users/by-email/ada@example.com",
            ADMIN,
            None,
            "a known email",
        ),
        row(
            by_email,
            404,
            "/api/v3/users/by-email/nobody@example.com",
            ADMIN,
            None,
            "an unknown email",
        ),
        row(
            by_email,
            400,
            "/api/v3/users/by-email/%FF",
            ADMIN,
            None,
            "a path segment that is not UTF-8",
        ),
        row(
            by_email,
            403,
            "/api/v3/users/by-email/ada@example.com",
            Some("bob-ro"),
            None,
            "a non-admin (admin-only route)",
        ),
        row(
            by_ext,
            200,
            "/api/v3/users/by-external-id/ada",
            ADMIN,
            None,
            "a known external id",
        ),
        row(
            by_ext,
            400,
            "/api/v3/users/by-external-id/%FF",
            ADMIN,
            None,
            "a path segment that is not UTF-8",
        ),
        row(
            by_ext,
            403,
            "/api/v3/users/by-external-id/ada",
            Some("bob-ro"),
            None,
            "a non-admin (admin-only route)",
        ),
        row(
            watched,
            200,
            "/api/v3/users/1/watched-tags",
            ADMIN,
            None,
            "an existing user",
        ),
        row(
            watched,
            404,
            "/api/v3/users/9999/watched-tags",
            ADMIN,
            None,
            "an unknown user",
        ),
        row(
            watched,
            400,
            "/api/v3/users/0/watched-tags",
            ADMIN,
            None,
            "a user id below 1",
        ),
        row(
            manage,
            200,
            "/api/v3/users/manage",
            READ_ONLY,
            None,
            "an admin's read-only token",
        ),
        row(
            manage,
            400,
            "/api/v3/users/manage?isDeactivated=yes",
            ADMIN,
            None,
            "a non-boolean isDeactivated",
        ),
        row(
            manage,
            403,
            "/api/v3/users/manage",
            Some("bob-rw"),
            None,
            "a non-admin (admin-only route)",
        ),
        row(
            by_email,
            401,
            "/api/v3/users/by-email/ada@example.com",
            NONE,
            None,
            "no Authorization header",
        ),
        row(
            by_ext,
            401,
            "/api/v3/users/by-external-id/ada",
            NONE,
            None,
            "no Authorization header",
        ),
        row(
            manage,
            401,
            "/api/v3/users/manage",
            NONE,
            None,
            "no Authorization header",
        ),
    ];
    rows.extend(auth_rows!(tags, "/api/v3/tags"));
    rows.extend(auth_rows!(tag, "/api/v3/tags/1"));
    rows.extend(auth_rows!(watchers, "/api/v3/tags/1/tag-watchers"));
    rows.extend(auth_rows!(smes, "/api/v3/tags/1/subject-matter-experts"));
    rows.extend(auth_rows!(groups, "/api/v3/user-groups"));
    rows.extend(auth_rows!(group, "/api/v3/user-groups/1"));
    rows.extend(auth_rows!(users, "/api/v3/users"));
    rows.extend(auth_rows!(user, "/api/v3/users/1"));
    rows.extend(auth_rows!(me, "/api/v3/users/me"));
    rows.extend(auth_rows!(watched, "/api/v3/users/1/watched-tags"));
    let smes_body = Some(r#"{"userIds": [], "userGroupIds": []}"#);
    rows.extend(write_auth_rows!(
        smes_put,
        "/api/v3/tags/1/subject-matter-experts",
        smes_body
    ));
    rows.extend(write_auth_rows!(
        sme_users,
        "/api/v3/tags/1/subject-matter-experts/users",
        Some("[1]")
    ));
    rows.extend(write_auth_rows!(
        sme_groups,
        "/api/v3/tags/1/subject-matter-experts/user-groups",
        Some("[1]")
    ));
    rows.extend(write_auth_rows!(
        sme_user_del,
        "/api/v3/tags/1/subject-matter-experts/users/12",
        None
    ));
    rows.extend(write_auth_rows!(
        sme_group_del,
        "/api/v3/tags/1/subject-matter-experts/user-groups/1",
        None
    ));
    rows.extend(write_auth_rows!(
        group_new,
        "/api/v3/user-groups",
        group_body
    ));
    rows.extend(write_auth_rows!(
        group_put,
        "/api/v3/user-groups/1",
        Some(r#"{"name": "x"}"#)
    ));
    rows.extend(write_auth_rows!(
        members,
        "/api/v3/user-groups/1/members",
        Some("[1]")
    ));
    rows.extend(write_auth_rows!(
        member_del,
        "/api/v3/user-groups/1/members/1",
        None
    ));
    rows.extend(search_rows());
    rows
}

/// `GET /search`: every declared status, 500 and 503 by fault injection only.
fn search_rows() -> Vec<Row> {
    let search = ("GET", "/search");
    let mut rows = vec![
        row(
            search,
            200,
            "/api/v3/search?query=is:question",
            READ_ONLY,
            None,
            "a read-only token searches",
        ),
        row(
            search,
            400,
            "/api/v3/search?query=score:high",
            ADMIN,
            None,
            "an operator with a value it does not take",
        ),
        Row {
            state: State::BurstSpent,
            ..row(
                search,
                429,
                "/api/v3/search?query=x",
                ADMIN,
                None,
                "rate limits enforced, the burst spent",
            )
        },
    ];
    for (status, spec) in [(500, FAULT_500), (503, "status=503")] {
        rows.push(Row {
            state: State::Fault(spec),
            ..row(
                search,
                status,
                "/api/v3/search?query=x",
                ADMIN,
                None,
                "fault injection: X-Mock-Fault",
            )
        });
    }
    rows.extend(auth_rows!(search, "/api/v3/search"));
    rows
}

/// Whether a concrete path is an instance of `/api/v3` or `/api/v3/teams/{team}` + `template`.
fn instance_of(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let rest = match path.strip_prefix("/api/v3/teams/") {
        Some(r) => &r[r.find('/').unwrap_or(r.len())..],
        None => path.strip_prefix("/api/v3").unwrap_or_default(),
    };
    let (a, b): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), rest.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
}

async fn app_for(state: State) -> TestApp {
    match state {
        State::Default | State::Fault(_) | State::BurstSpent => spawn_app().await,
        State::ServiceTokenOfNonUser => {
            let mut fixture: serde_json::Value =
                serde_json::from_str(include_str!("../../../fixtures/default/00-accounts.json"))
                    .unwrap();
            fixture["sites"] = json!([{ "slug": "main", "kind": "enterprise", "name": "Main",
                "users": [{ "id": 1, "accountId": 1001, "role": "Admin" }] }]);
            fixture["tokens"] = json!([{ "token": "svc", "accountId": 1002, "kind": "service",
                "scope": "main", "write": false, "expiresAt": null }]);
            spawn_app_with(&fixture).await
        }
    }
}

/// Whether the control API of issue 5 (fault injection) is served.
fn fault_injection_landed() -> bool {
    DOC["paths"]
        .as_object()
        .unwrap()
        .keys()
        .any(|p| p.starts_with("/__admin"))
}

#[test]
fn the_table_covers_every_status_of_every_operation_of_the_excerpt() {
    let rows = rows();
    let mut missing = Vec::new();
    for (method, path, up) in upstream_ops() {
        if pending(method, path).is_some() {
            continue;
        }
        for status in up["responses"].as_object().unwrap().keys() {
            let status: u16 = status.parse().unwrap();
            if !rows
                .iter()
                .any(|r| r.op == (method, path) && r.status == status)
            {
                missing.push(format!("{method} {path} → {status}"));
            }
        }
    }
    assert!(missing.is_empty(), "no row reaches: {missing:#?}");
    for r in &rows {
        let (method, path) = r.op;
        let up = upstream_ops().find(|(m, p, _)| (*m, *p) == (method, path));
        let up = up.unwrap_or_else(|| panic!("row for {method} {path}: not an excerpt operation"));
        assert!(
            up.2["responses"].get(r.status.to_string()).is_some(),
            "row {method} {path} → {}: the excerpt does not declare it",
            r.status
        );
        assert!(
            instance_of(path, r.path),
            "row {method} {path}: {} is not an instance of it",
            r.path
        );
    }
}

#[tokio::test]
async fn every_status_the_excerpt_declares_is_reachable() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for r in rows() {
        let (method, template) = r.op;
        if let Some(issue) = pending(method, template) {
            eprintln!(
                "status: {method} {template} → {} skipped, pending ({issue})",
                r.status
            );
            continue;
        }
        if let State::Fault(_) = r.state
            && !fault_injection_landed()
        {
            eprintln!(
                "status: {method} {template} → {} skipped, fault injection pending (issue 5)",
                r.status
            );
            continue;
        }
        let app = app_for(r.state).await;
        if let State::BurstSpent = r.state {
            app.put("/__admin/rate-limits")
                .json(&json!({"enforced": true}))
                .send()
                .await
                .expect(200);
            for _ in 0..50 {
                let mut spend = app.call(method.parse().unwrap(), r.path);
                if let Some(t) = r.token {
                    spend = spend.token(t);
                }
                spend.send().await;
            }
        }
        let mut call = app.call(method.parse().unwrap(), r.path);
        if let Some(t) = r.token {
            call = call.token(t);
        }
        if let Some(b) = r.body {
            call = call.body("application/json", b.to_string());
        }
        if let State::Fault(spec) = r.state {
            call = call.header("x-mock-fault", spec);
        }
        let res = call.send().await;
        ran += 1;
        if res.status != r.status {
            failures.push(format!(
                "{method} {} ({}): expected {}, got {}: {}",
                r.path, r.how, r.status, res.status, res.text
            ));
        }
    }
    eprintln!("status: {ran} rows ran");
    assert!(ran > 0, "no row ran");
    assert!(
        failures.is_empty(),
        "unreachable as described:\n  {}",
        failures.join("\n  ")
    );
}
