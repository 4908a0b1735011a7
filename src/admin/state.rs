//! Health, reset, the whole state in the fixture format, and named snapshots.

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AdminBody, AdminJson, AdminPath, AdminResult};
use crate::fixtures;
use crate::instance::Instance;
use crate::problem::{ErrorBody, MockError};
use crate::routes;
use crate::routes::Routes;
use crate::state::AppState;
use crate::store::Snapshot;

pub fn router() -> Routes<AppState> {
    Routes::new()
        .routes(routes!(health))
        .routes(routes!(reset))
        .routes(routes!(state_export, state_import))
        .routes(routes!(snapshots_list, snapshots_create))
        .routes(routes!(snapshots_delete))
        .routes(routes!(snapshots_restore))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
    /// `root`, or `sandbox` when called under `/_sandbox/{id}`.
    #[schema(example = "root")]
    pub instance: String,
    pub version: String,
    /// The instance's mock clock.
    pub now: DateTime<Utc>,
}

/// Whether the mock is up, and which instance answered.
#[utoipa::path(get, path = "/__admin/health", tag = super::TAG,
    responses((status = 200, description = "The mock is up", body = Health)))]
pub async fn health(inst: Instance) -> Json<Health> {
    let instance = if inst.sandbox.is_some() {
        "sandbox"
    } else {
        "root"
    };
    Json(Health {
        status: "ok".into(),
        instance: instance.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        now: inst.store.now(),
    })
}

/// Back to the loaded fixtures: world, clock, rate limits, journal, fault rules and usersync
/// quotas. Snapshots are kept (mock choice).
#[utoipa::path(post, path = "/__admin/reset", tag = super::TAG,
    responses((status = 204, description = "Reset")))]
pub async fn reset(inst: Instance) -> StatusCode {
    inst.reset();
    StatusCode::NO_CONTENT
}

/// What `PUT /__admin/state` loaded.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StateSummary {
    pub api_keys: usize,
    pub accounts: usize,
    pub sites: usize,
    pub tokens: usize,
}

/// The whole current state, in the fixture format: loading it back gives the same world.
#[utoipa::path(get, path = "/__admin/state", tag = super::TAG,
    responses((status = 200, description = "The state as one fixture document", body = Object)))]
pub async fn state_export(inst: Instance) -> Json<fixtures::model::FixtureDoc> {
    Json(inst.store.read(fixtures::export))
}

/// Replaces the whole current state with a fixture document, validated exactly like a fixture
/// file: on any problem nothing changes and every problem is listed with its JSON path.
/// `POST /__admin/reset` still returns to the fixtures the server loaded.
#[utoipa::path(put, path = "/__admin/state", tag = super::TAG,
    request_body(content = Object, description = "A fixture document (the format of `--fixtures`)"),
    responses(
        (status = 200, description = "Loaded", body = StateSummary),
        (status = 400, description = "The document has problems; nothing changed", body = ErrorBody),
        (status = 413, description = "Over 1 MiB", body = ErrorBody),
    ))]
pub async fn state_import(
    inst: Instance,
    AdminBody(body): AdminBody,
) -> AdminResult<Json<StateSummary>> {
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| MockError::bad_request("the body is not UTF-8 text"))?;
    let world = fixtures::from_documents(&[("request body".to_string(), text)]).map_err(|e| {
        MockError::with_problems(
            format!(
                "the state has {} problem(s); nothing changed",
                e.problems.len()
            ),
            e.problems,
        )
    })?;
    let summary = StateSummary {
        api_keys: world.api_keys.len(),
        accounts: world.accounts.len(),
        sites: world.sites.len(),
        tokens: world.tokens.len(),
    };
    inst.store.replace(world);
    Ok(Json(summary))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSnapshot {
    /// 1 to 64 letters, digits, `.`, `_` or `-`.
    #[schema(example = "before-sync")]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotView {
    pub name: String,
    /// On the instance's mock clock.
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SnapshotList {
    pub snapshots: Vec<SnapshotView>,
}

impl From<Snapshot> for SnapshotView {
    fn from(s: Snapshot) -> Self {
        SnapshotView {
            name: s.name,
            created_at: s.created_at,
        }
    }
}

fn check_name(name: &str) -> AdminResult<()> {
    let ok = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(MockError::bad_request(format!(
            "bad snapshot name {name:?}: use 1 to 64 letters, digits, '.', '_' or '-'"
        )))
    }
}

/// The `{name}` of a snapshot's path (by name: under `/_sandbox/{sandbox}` the path has two
/// parameters).
#[derive(Debug, Deserialize)]
pub struct SnapshotName {
    name: String,
}

fn no_snapshot(name: &str) -> MockError {
    MockError::not_found(format!("no snapshot named {name:?}"))
}

/// Named snapshots of this instance, by name.
#[utoipa::path(get, path = "/__admin/snapshots", tag = super::TAG,
    responses((status = 200, description = "Snapshots", body = SnapshotList)))]
pub async fn snapshots_list(inst: Instance) -> Json<SnapshotList> {
    Json(SnapshotList {
        snapshots: inst
            .store
            .snapshots_list()
            .into_iter()
            .map(Into::into)
            .collect(),
    })
}

/// Snapshots per instance (mock limit, README "Limits"). Each shares the parts of the world it
/// has not seen written, so together they hold at most this many worlds.
pub const MAX_SNAPSHOTS: usize = 32;

/// Saves the current world under a new name (cheap: parts are shared until written).
#[utoipa::path(post, path = "/__admin/snapshots", tag = super::TAG, request_body = NewSnapshot,
    responses(
        (status = 201, description = "Saved", body = SnapshotView),
        (status = 400, description = "Bad name", body = ErrorBody),
        (status = 409, description = "A snapshot of that name exists (delete it first), or the instance has 32 snapshots", body = ErrorBody),
    ))]
pub async fn snapshots_create(
    inst: Instance,
    AdminJson(new): AdminJson<NewSnapshot>,
) -> AdminResult<(StatusCode, Json<SnapshotView>)> {
    check_name(&new.name)?;
    if inst.store.has_snapshot(&new.name) {
        return Err(MockError::new(
            StatusCode::CONFLICT,
            format!("a snapshot named {:?} exists; delete it first", new.name),
        ));
    }
    if inst.store.snapshots_list().len() >= MAX_SNAPSHOTS {
        return Err(MockError::new(
            StatusCode::CONFLICT,
            format!(
                "this instance has {MAX_SNAPSHOTS} snapshots, the most it keeps (mock limit); delete some first"
            ),
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(inst.store.save_snapshot(&new.name).into()),
    ))
}

/// Makes a snapshot the current world again. The journal, fault rules and clock are left as
/// they are.
#[utoipa::path(post, path = "/__admin/snapshots/{name}/restore", tag = super::TAG,
    params(("name" = String, Path)),
    responses(
        (status = 204, description = "Restored"),
        (status = 404, description = "No such snapshot", body = ErrorBody),
    ))]
pub async fn snapshots_restore(
    inst: Instance,
    AdminPath(SnapshotName { name }): AdminPath<SnapshotName>,
) -> AdminResult<StatusCode> {
    if inst.store.restore_snapshot(&name) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(no_snapshot(&name))
    }
}

#[utoipa::path(delete, path = "/__admin/snapshots/{name}", tag = super::TAG,
    params(("name" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such snapshot", body = ErrorBody),
    ))]
pub async fn snapshots_delete(
    inst: Instance,
    AdminPath(SnapshotName { name }): AdminPath<SnapshotName>,
) -> AdminResult<StatusCode> {
    if inst.store.delete_snapshot(&name) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(no_snapshot(&name))
    }
}
