//! Fault rules: add, list with hit counts, remove one or all (contract §5).

use axum::Json;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AdminBody, AdminPath, AdminResult};
use crate::faults::{MAX_RULES, Refused, RuleSpec, RuleView};
use crate::instance::Instance;
use crate::problem::{ErrorBody, MockError};
use crate::routes;
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes<AppState> {
    Routes::new()
        .routes(routes!(faults_list, faults_add, faults_clear))
        .routes(routes!(faults_get, faults_delete))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleList {
    /// In creation order, which is the order they are tried in.
    pub rules: Vec<RuleView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Removed {
    pub removed: usize,
}

/// The fault rules of this instance with their counters.
#[utoipa::path(get, path = "/__admin/faults", tag = super::TAG,
    responses((status = 200, description = "Rules", body = RuleList)))]
pub async fn faults_list(inst: Instance) -> Json<RuleList> {
    Json(RuleList {
        rules: inst.faults.list(),
    })
}

/// Adds a rule. Rules are tried in creation order on every request but `/__admin/faults…`
/// and `/__admin/reset`: each matching rule counts the call; delays of the rules that fire add
/// up, and the first that fires with a status, a usersync failure or a drop decides the answer.
#[utoipa::path(post, path = "/__admin/faults", tag = super::TAG, request_body = RuleSpec,
    responses(
        (status = 201, description = "Added", body = RuleView),
        (status = 400, description = "The rule has problems, each with its JSON path", body = ErrorBody),
        (status = 409, description = "The instance has 256 rules, the most it keeps", body = ErrorBody),
        (status = 413, description = "The rule is over 64 KiB of JSON", body = ErrorBody),
    ))]
pub async fn faults_add(
    inst: Instance,
    AdminBody(body): AdminBody,
) -> AdminResult<(StatusCode, Json<RuleView>)> {
    if body.len() > MAX_RULE_BYTES {
        return Err(MockError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "a fault rule is at most {MAX_RULE_BYTES} bytes of JSON (mock limit); this one is {}",
                body.len()
            ),
        ));
    }
    let spec: RuleSpec = super::parse_json(&body)?;
    let view = inst.faults.add(spec).map_err(|refused| match refused {
        Refused::Invalid(problems) => MockError::with_problems(
            format!("the rule has {} problem(s)", problems.len()),
            problems,
        ),
        Refused::Full => MockError::new(
            StatusCode::CONFLICT,
            format!(
                "this instance has {MAX_RULES} fault rules, the most it keeps (mock limit): remove some first (DELETE /__admin/faults/{{id}} or DELETE /__admin/faults)"
            ),
        ),
    })?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The largest fault rule accepted, as JSON (mock limit, README "Limits"): with
/// [`MAX_RULES`], what the rules of one instance can hold.
pub const MAX_RULE_BYTES: usize = 64 << 10;

/// Removes every rule.
#[utoipa::path(delete, path = "/__admin/faults", tag = super::TAG,
    responses((status = 200, description = "Removed", body = Removed)))]
pub async fn faults_clear(inst: Instance) -> Json<Removed> {
    Json(Removed {
        removed: inst.faults.clear(),
    })
}

/// The `{id}` of a rule's path (by name: under `/_sandbox/{sandbox}` the path has two parameters).
#[derive(Debug, Deserialize)]
pub struct RuleId {
    id: String,
}

fn no_rule(id: &str) -> MockError {
    MockError::not_found(format!("no fault rule {id:?}"))
}

#[utoipa::path(get, path = "/__admin/faults/{id}", tag = super::TAG, params(("id" = String, Path, example = "f1")),
    responses(
        (status = 200, description = "The rule", body = RuleView),
        (status = 404, description = "No such rule", body = ErrorBody),
    ))]
pub async fn faults_get(
    inst: Instance,
    AdminPath(RuleId { id }): AdminPath<RuleId>,
) -> AdminResult<Json<RuleView>> {
    inst.faults.get(&id).map(Json).ok_or_else(|| no_rule(&id))
}

#[utoipa::path(delete, path = "/__admin/faults/{id}", tag = super::TAG, params(("id" = String, Path, example = "f1")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such rule", body = ErrorBody),
    ))]
pub async fn faults_delete(
    inst: Instance,
    AdminPath(RuleId { id }): AdminPath<RuleId>,
) -> AdminResult<StatusCode> {
    if inst.faults.remove(&id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(no_rule(&id))
    }
}
