//! `POST /api/2.3/enterprise/usersync` (contract §4; the help article "Team Membership Sync").
//!
//! The handler authorizes, counts the call against the key's quota, reads `requestsJson` and
//! `dryRun`, then runs the engine on each team entry in request order: a dry run under the read
//! lock, a real run under one write lock per team, so each team is applied atomically and a
//! later entry sees what an earlier one did.

use std::borrow::Cow;

use axum::{Extension, Json};
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::auth::authorize;
use super::error::{V2Error, V2ErrorWrapper};
use super::models::UserSyncApiResponse;
use super::params::V2Params;
use crate::app::Inst;
use crate::domain::usersync::{self, SyncFault, SyncOptions};

/// The form fields (all also accepted in the query string; the credentials also as headers).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // documents the form; the fields are read by `V2Params`
pub struct UserSyncForm {
    /// The OAuth access token (or the `X-API-Access-Token` header).
    #[serde(rename = "access_token")]
    #[schema(example = "ada-rw")]
    access_token: Option<String>,
    /// The key from the API access keys page (or the `X-API-Key` header).
    #[schema(example = "local-key")]
    key: Option<String>,
    /// A JSON array of `{"Team": "slug", "Members": [{"UserIdentifier": "…", "Level":
    /// "Member" | "Moderator" | "Admin"}]}`, one entry per team. Percent-encoded by the form
    /// encoding; a second layer of percent-encoding is tolerated.
    #[schema(
        example = r#"[{"Team":"productone","Members":[{"UserIdentifier":"ada","Level":"Admin"}]}]"#
    )]
    requests_json: String,
    /// `true`/`false` in any case, or `1`/`0`. Absent means a real run (mock choice; always
    /// send it).
    #[schema(
        pattern = "^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0)\\s*$",
        example = "true"
    )]
    dry_run: Option<String>,
}

/// Emulates the Enterprise `usersync` method: a full replace of private teams' rosters.
#[utoipa::path(post, path = "/api/2.3/enterprise/usersync", tag = "Enterprise API 2.3",
    operation_id = "usersync",
    params(
        ("X-API-Access-Token" = Option<String>, Header, description = "The access token, instead of the `access_token` field"),
        ("X-API-Key" = Option<String>, Header, description = "The application key, instead of the `key` field"),
    ),
    request_body(description = "The sync request, as a form", content(
        (UserSyncForm = "application/x-www-form-urlencoded"),
        (UserSyncForm = "multipart/form-data"),
    )),
    responses(
        (status = 200, description = "One result per requested team; `HasErrors` tells whether any failed", body = UserSyncApiResponse),
        (status = 400, description = "A request-level error; `error_id` says which: 400 `bad_parameter`, 401 `access_token_required`, \
402 `invalid_access_token`, 403 `access_denied`, 405 `key_required`, 502 `throttle_violation` (HTTP status 400 for all, as API v2 does)",
            body = V2ErrorWrapper),
    ))]
pub async fn usersync(
    inst: Inst,
    fault: Option<Extension<SyncFault>>,
    params: V2Params,
) -> Result<Json<UserSyncApiResponse>, V2Error> {
    let key = inst
        .store
        .read(|w| authorize(w, &params, inst.store.now()))?;
    let remaining = inst.quotas.take(&key).ok_or_else(|| {
        V2Error::ThrottleViolation(format!(
            "the quota of key {key:?} is spent; it is restored when the mock's state is reset"
        ))
    })?;
    if let Some(problem) = params.body_problem() {
        return Err(V2Error::bad_parameter("body", problem));
    }
    let entries = requests_json(&params)?;
    let dry = dry_run(&params)?;
    let fault = fault.as_ref().map(|Extension(f)| f);
    let outcomes = entries
        .iter()
        .map(|entry| {
            let opts = SyncOptions {
                now: inst.store.now(),
                fault,
            };
            if dry {
                inst.store.read(|w| usersync::dry_run(w, entry, &opts))
            } else {
                inst.store.update(|w| usersync::run(w, entry, &opts))
            }
        })
        .collect();
    Ok(Json(UserSyncApiResponse::new(outcomes, remaining)))
}

/// `requestsJson`: a JSON array, form-decoded already; decoded once more if a client
/// percent-encoded it itself before form-encoding (the article says "Encode this field with
/// percent-encoding", so some do).
fn requests_json(params: &V2Params) -> Result<Vec<Value>, V2Error> {
    let bad = |why: String| V2Error::bad_parameter("requestsJson", why);
    let raw = params
        .get("requestsJson")
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let raw = raw.ok_or_else(|| {
        bad("missing: send a JSON array with one {\"Team\", \"Members\"} entry per team".into())
    })?;
    let text: Cow<str> = if raw.starts_with('[') || !raw.contains('%') {
        Cow::Borrowed(raw)
    } else {
        let plus_as_space = raw.replace('+', " ");
        let decoded = percent_decode_str(&plus_as_space)
            .decode_utf8()
            .map_err(|e| bad(format!("not valid UTF-8 once percent-decoded ({e})")))?;
        Cow::Owned(decoded.trim().to_string())
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(entries)) => Ok(entries),
        Ok(other) => Err(bad(format!(
            "must be a JSON array of team entries, not {}",
            json_kind(&other)
        ))),
        Err(e) => Err(bad(format!("not valid JSON ({e})"))),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `dryRun`: `true`/`false` in any case, or `1`/`0`; absent means a real run (contract §4).
fn dry_run(params: &V2Params) -> Result<bool, V2Error> {
    let Some(raw) = params.get("dryRun") else {
        return Ok(false);
    };
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(V2Error::bad_parameter(
            "dryRun",
            format!("{raw:?} is not a boolean: use true, false, 1 or 0"),
        )),
    }
}
