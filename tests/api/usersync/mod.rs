//! `POST /api/2.3/enterprise/usersync` (contract §4), over HTTP: request-level errors and
//! parameters in [`requests`], two different values of a credential in [`conflicts`], the
//! quota in [`quota`], team outcomes and their effect through v3 in [`teams`], injected system
//! failures in [`faults`], the journal entry in [`journal`].

mod conflicts;
mod faults;
mod journal;
mod quota;
mod reading;
mod requests;
mod teams;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::helpers::{Resp, TestApp, spawn_app};

pub const USERSYNC: &str = "/api/2.3/enterprise/usersync";

/// A call with these form fields.
pub async fn sync(app: &TestApp, fields: &[(&str, &str)]) -> Resp {
    app.post(USERSYNC).form(fields).send().await
}

/// A call by Ada (`ada-rw`, `local-key`) that must succeed; returns the one item.
pub async fn sync_ok(app: &TestApp, requests: &Value, dry_run: &str) -> Value {
    let body = sync(
        app,
        &[
            ("access_token", "ada-rw"),
            ("key", "local-key"),
            ("requestsJson", &requests.to_string()),
            ("dryRun", dry_run),
        ],
    )
    .await
    .ok_json(200);
    assert_eq!(body["items"].as_array().map(Vec::len), Some(1), "{body}");
    body["items"][0].clone()
}

/// Asserts the v2 error wrapper (HTTP 400) with this `error_id` and `error_name`; returns the
/// message.
#[track_caller]
pub fn expect_v2_error(resp: &Resp, id: u64, name: &str) -> String {
    let body = resp.ok_json(400);
    assert_eq!(
        (body["error_id"].as_u64(), body["error_name"].as_str()),
        (Some(id), Some(name)),
        "{body}"
    );
    body["error_message"]
        .as_str()
        .expect("an error_message")
        .to_string()
}

/// A team's roster as v3 shows it (read with `ada-rw`): account id → (site user id, role).
pub async fn roster(app: &TestApp, team: &str) -> BTreeMap<u64, (u64, String)> {
    let body = app
        .get(&format!("/api/v3/teams/{team}/users?pageSize=100"))
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|u| {
            (
                u["accountId"].as_u64().unwrap(),
                (
                    u["id"].as_u64().unwrap(),
                    u["role"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect()
}

/// `{account: role}` of a roster, for comparisons.
pub fn roles(roster: &BTreeMap<u64, (u64, String)>) -> BTreeMap<u64, String> {
    roster.iter().map(|(a, (_, r))| (*a, r.clone())).collect()
}

/// The `Change` values of a change list, with their account ids.
pub fn changes(list: &Value) -> Vec<(String, u64)> {
    list.as_array()
        .expect("a change list")
        .iter()
        .map(|c| {
            (
                c["Change"].as_str().unwrap().to_string(),
                c["AccountId"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// One `{"UserIdentifier", "Level"}` list as JSON.
pub fn members(list: &[(&str, &str)]) -> Value {
    list.iter()
        .map(|(id, level)| serde_json::json!({"UserIdentifier": id, "Level": level}))
        .collect()
}

/// productone's current roster, as a source would send it.
pub const PRODUCTONE: [(&str, &str); 8] = [
    ("ada", "Admin"),
    ("bob", "Member"),
    ("priya.raman@example.com", "Moderator"),
    ("1008", "Member"),
    ("sofia.rossi@example.com", "Member"),
    ("rahul.mehta@example.com", "Member"),
    ("yuki.tanaka@example.com", "Member"),
    ("chloe.martin@example.com", "Member"),
];
