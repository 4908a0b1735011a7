//! Sandboxes: create, list, delete (contract §5). Served at the root only; under
//! `/_sandbox/{id}` every other route works on the sandbox's own instance.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AdminJson, AdminPath, AdminResult};
use crate::problem::{ErrorBody, MockError};
use crate::routes;
use crate::routes::Routes;
use crate::sandbox::{DEFAULT_IDLE_TIMEOUT, MAX_IDLE_TIMEOUT, SandboxView};
use crate::state::AppState;

pub fn router() -> Routes<AppState> {
    Routes::new()
        .routes(routes!(sandboxes_list, sandboxes_create))
        .routes(routes!(sandboxes_delete))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewSandbox {
    /// Forget the sandbox after this many seconds without a request (default 1800, at most 86400).
    #[schema(example = 600)]
    pub idle_timeout_seconds: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SandboxList {
    pub sandboxes: Vec<SandboxView>,
}

/// Creates a sandbox: a private copy of the loaded fixtures with its own clock, journal, fault
/// rules, snapshots and rate limits, served under the returned `baseUrl`.
#[utoipa::path(post, path = "/__admin/sandboxes", tag = super::TAG,
    request_body(content = Option<NewSandbox>, description = "Optional"),
    responses(
        (status = 201, description = "Created", body = SandboxView),
        (status = 400, description = "Bad timeout", body = ErrorBody),
        (status = 409, description = "Too many live sandboxes", body = ErrorBody),
    ))]
pub async fn sandboxes_create(
    State(state): State<AppState>,
    AdminJson(req): AdminJson<Option<NewSandbox>>,
) -> AdminResult<(StatusCode, Json<SandboxView>)> {
    let idle = match req.unwrap_or_default().idle_timeout_seconds {
        None => DEFAULT_IDLE_TIMEOUT,
        Some(s) if (1..=MAX_IDLE_TIMEOUT.as_secs()).contains(&s) => Duration::from_secs(s),
        Some(s) => {
            return Err(MockError::bad_request(format!(
                "idleTimeoutSeconds must be 1 to {}, not {s}",
                MAX_IDLE_TIMEOUT.as_secs()
            )));
        }
    };
    let sandbox = state
        .sandboxes
        .create(&state.root, idle)
        .map_err(|e| MockError::new(StatusCode::CONFLICT, e.to_string()))?;
    Ok((StatusCode::CREATED, Json(sandbox.view())))
}

/// Live sandboxes, oldest first (expired ones are forgotten first).
#[utoipa::path(get, path = "/__admin/sandboxes", tag = super::TAG,
    responses((status = 200, description = "Sandboxes", body = SandboxList)))]
pub async fn sandboxes_list(State(state): State<AppState>) -> Json<SandboxList> {
    Json(SandboxList {
        sandboxes: state.sandboxes.list(),
    })
}

#[utoipa::path(delete, path = "/__admin/sandboxes/{id}", tag = super::TAG, params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such sandbox", body = ErrorBody),
    ))]
pub async fn sandboxes_delete(
    State(state): State<AppState>,
    AdminPath(id): AdminPath<String>,
) -> AdminResult<StatusCode> {
    if state.sandboxes.remove(&id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(MockError::not_found(format!("no sandbox {id:?}")))
    }
}
