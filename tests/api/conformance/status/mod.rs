//! Every status code the official excerpt declares is reachable (contract §3): for each
//! operation and each declared code, a row gives the input or state that produces it, without
//! fault injection (except the 500 of `POST /user-groups` and the 500 and 503 of `GET /search`,
//! which only a fault produces; the 429s come from rate-limit enforcement switched on), and the
//! test asserts it on a fresh
//! server. The rows run on the main shape (`/api/v3`), the 422s on a private team whose SMEs
//! are disabled; the extra codes of the team shapes are covered by `v3_auth`. Every response
//! also passes the shared spec check.
//!
//! The table is built from one file per API area, each contributing its rows: `tags` (tags,
//! tag watchers, SMEs), `users` (users, user groups), `communities` (communities, images,
//! Stacky), `questions`, `answers`, `search`, `articles` and `collections`. This module holds
//! the row type, the states a row may need, the runner and the check that the table covers
//! every declared status.

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
    /// An image uploaded to the main site first; `{image}` in the row's path is its id.
    Image,
    /// An article by Ada (tag `rust`, editable by its owner only) and a collection of Ada's
    /// holding it, created through the API: a row's path names them `{article}` and
    /// `{collection}` ([`seed_content`]).
    Content,
    /// The default fixtures with the answers tests' content (`crate::answers::content_fixture`).
    Answers,
    /// The same, with answer 1002 accepted on question 1001.
    AcceptedAnswer,
    /// Calls made first on the default fixtures (a question to read, vote on, …). The `id` of
    /// the last one's answer replaces `{new}` in the row's path. A row whose setup calls an
    /// operation still PENDING is skipped until it lands.
    Setup(&'static [SetupCall]),
    /// Rate-limit enforcement on, and the row's token has spent its burst (50 calls) on the
    /// row's path.
    BurstSpent,
}

/// A setup call: method, path, token and JSON body.
type SetupCall = (&'static str, &'static str, &'static str, &'static str);

struct Row {
    /// The excerpt operation: method and main-form path template.
    op: (&'static str, &'static str),
    status: u16,
    path: &'static str,
    token: Option<&'static str>,
    body: Option<&'static str>,
    /// The body's content type (`application/json` unless a row says otherwise).
    content_type: &'static str,
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
        content_type: "application/json",
        state: State::Default,
        how,
    }
}

/// A GIF as far as its signature goes: the upload reads the format from the first bytes.
const GIF: &str = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";

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

mod answers;
mod articles;
mod collections;
mod communities;
mod questions;
mod search;
mod tags;
mod users;

/// Every row, area by area.
fn rows() -> Vec<Row> {
    let mut rows = tags::rows();
    rows.extend(users::rows());
    rows.extend(communities::rows());
    rows.extend(questions::rows());
    rows.extend(search::rows());
    rows.extend(answers::rows());
    rows.extend(articles::rows());
    rows.extend(collections::rows());
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
        State::Default
        | State::Fault(_)
        | State::Image
        | State::Content
        | State::Setup(_)
        | State::BurstSpent => spawn_app().await,
        State::Answers => crate::answers::content_app().await,
        State::AcceptedAnswer => {
            let mut fixture = crate::answers::content_fixture();
            let main = fixture["sites"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|s| s["slug"] == "main")
                .unwrap();
            main["questions"][0]["acceptedAnswerId"] = json!(1002);
            spawn_app_with(&fixture).await
        }
        State::ServiceTokenOfNonUser => {
            let mut fixture: serde_json::Value = serde_json::from_str(include_str!(
                "../../../../fixtures/default/00-accounts.json"
            ))
            .unwrap();
            fixture["sites"] = json!([{ "slug": "main", "kind": "enterprise", "name": "Main",
                "users": [{ "id": 1, "accountId": 1001, "role": "Admin" }] }]);
            fixture["tokens"] = json!([{ "token": "svc", "accountId": 1002, "kind": "service",
                "scope": "main", "write": false, "expiresAt": null }]);
            spawn_app_with(&fixture).await
        }
    }
}

/// Creates [`State::Content`]'s article and collection and answers `path` with their ids.
async fn seed_content(app: &TestApp, path: &str) -> String {
    let article = app
        .post("/api/v3/articles")
        .token("ada-rw")
        .json(
            &json!({"title": "Conformance", "body": "Body", "tags": ["rust"],
            "type": "knowledgeArticle", "permissions": {"editableBy": "ownerOnly"}}),
        )
        .send()
        .await
        .ok_json(201)["id"]
        .clone();
    let collection = app
        .post("/api/v3/collections")
        .token("ada-rw")
        .json(&json!({"title": "Conformance", "contentIds": [article]}))
        .send()
        .await
        .ok_json(201)["id"]
        .clone();
    path.replace("{article}", &article.to_string())
        .replace("{collection}", &collection.to_string())
}

/// A row that runs on [`State::Content`].
const fn content_row(
    op: (&'static str, &'static str),
    status: u16,
    path: &'static str,
    token: Option<&'static str>,
    body: Option<&'static str>,
    how: &'static str,
) -> Row {
    Row {
        state: State::Content,
        ..row(op, status, path, token, body, how)
    }
}

/// Makes a row's setup calls, each of which must succeed, and answers the `id` of the last
/// one's answer.
async fn set_up(app: &TestApp, calls: &[SetupCall]) -> String {
    let mut id = String::new();
    for (method, path, token, body) in calls {
        let res = app
            .call(method.parse().unwrap(), path)
            .token(token)
            .body("application/json", body.to_string())
            .send()
            .await;
        assert!(
            (200..300).contains(&res.status),
            "setup {method} {path}: {} {}",
            res.status,
            res.text
        );
        id = res.json()["id"].to_string();
    }
    id
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
        if let State::Setup(calls) = r.state
            && let Some((m, p, ..)) = calls
                .iter()
                .find(|(m, p, ..)| pending(m, p.trim_start_matches("/api/v3")).is_some())
        {
            eprintln!(
                "status: {method} {template} → {} skipped: its setup calls {m} {p}, pending",
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
        let path = match r.state {
            State::Image => {
                let uploaded = app
                    .post("/api/v3/images/upload")
                    .token("ada-rw")
                    .body("img/gif", GIF)
                    .send()
                    .await
                    .ok_json(200);
                r.path.replace("{image}", uploaded["id"].as_str().unwrap())
            }
            State::Content => seed_content(&app, r.path).await,
            State::Setup(calls) => r.path.replace("{new}", &set_up(&app, calls).await),
            _ => r.path.to_string(),
        };
        let mut call = app.call(method.parse().unwrap(), &path);
        if let Some(t) = r.token {
            call = call.token(t);
        }
        if let Some(b) = r.body {
            call = call.body(r.content_type, b.to_string());
        }
        if let State::Fault(spec) = r.state {
            call = call.header("x-mock-fault", spec);
        }
        let res = call.send().await;
        ran += 1;
        if res.status != r.status {
            failures.push(format!(
                "{method} {path} ({}): expected {}, got {}: {}",
                r.how, r.status, res.status, res.text
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
