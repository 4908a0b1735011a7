//! `POST /api/2.3/enterprise/usersync` (contract §4; the help article "Team Membership Sync").
//!
//! The handler authorizes, counts the call against the key's quota, takes `requestsJson` (read
//! by [`super::request`]) and `dryRun`, then runs the engine on each team entry in request order: a dry run under the read
//! lock, a real run under one write lock per team, so each team is applied atomically and a
//! later entry sees what an earlier one did. The answer carries each team's `StatusCode` for
//! the journal as an extension ([`Outcomes`]), which the pipeline takes out.

use axum::{Extension, Json};
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::authorize;
use super::error::{V2Error, V2ErrorKind, V2ErrorWrapper};
use super::models::UserSyncApiResponse;
use super::request::UsersyncCall;
use crate::credentials::mask;
use crate::domain::usersync::{self, SyncFault, SyncOptions};
use crate::instance::Instance;
use crate::journal::Outcomes;

/// The form fields (all also accepted in the query string; the credentials also as headers).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // documents the form; the fields are read by `UsersyncCall`
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
#[utoipa::path(post, path = "/api/2.3/enterprise/usersync", tag = super::TAG,
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
    inst: Instance,
    fault: Option<Extension<SyncFault>>,
    call: UsersyncCall,
) -> Result<(Extension<Outcomes>, Json<UserSyncApiResponse>), V2Error> {
    // A body that could not be read may hold the credentials: say so, rather than that they
    // are missing (mock choice).
    if let Some(problem) = call.body_problem() {
        return Err(V2Error::bad_parameter("body", problem));
    }
    let now = inst.store.now();
    let key = inst
        .store
        .read(|w| authorize(w, &inst.revoked, &call, now))?;
    let remaining = inst.quotas.take(&key).ok_or_else(|| {
        V2Error::new(
            V2ErrorKind::ThrottleViolation,
            format!(
                "the quota of key {} is spent; it is restored when the mock's state is reset",
                mask(&key)
            ),
        )
    })?;
    let entries = call
        .requests()
        .map_err(|why| V2Error::bad_parameter("requestsJson", why))?;
    let dry = dry_run(&call)?;
    let fault = fault.as_ref().map(|Extension(f)| f);
    let mut log_room = usersync::LOG_ROOM;
    let outcomes: Vec<_> = entries
        .iter()
        .map(|entry| {
            let opts = SyncOptions {
                now: inst.store.now(),
                fault,
                log_room,
            };
            let outcome = if dry {
                inst.store.read(|w| usersync::dry_run(w, entry, &opts))
            } else {
                inst.store.update(|w| usersync::run(w, entry, &opts))
            };
            log_room = log_room.saturating_sub(outcome.log_len());
            outcome
        })
        .collect::<Vec<_>>();
    let accounts = inst.store.read(|w| w.accounts.clone());
    inst.roster_changes
        .record(inst.store.now(), dry, &outcomes, &accounts);
    if call.is_large() {
        // Without this, glibc keeps the pages of a 32 MiB roster resident (BENCHMARKS.md,
        // "usersync memory").
        drop(call);
        crate::memory::return_freed_memory();
    }
    // For the journal entry: the pipeline takes them out of the answer (journal::answer).
    let journaled = Outcomes::of(outcomes.iter().map(|o| (o.team.as_deref(), o.status)));
    Ok((
        Extension(journaled),
        Json(UserSyncApiResponse::new(outcomes, remaining)),
    ))
}

/// `dryRun`: `true`/`false` in any case, or `1`/`0`; absent means a real run (contract §4).
fn dry_run(call: &UsersyncCall) -> Result<bool, V2Error> {
    let Some(raw) = call.get("dryRun") else {
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
