//! The request journal: list, count, clear (contract §5). Reading the journal is not itself
//! journaled, so counting twice gives the same number (mock choice).

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use serde::Serialize;
use utoipa::ToSchema;

use super::AdminResult;
use crate::instance::Instance;
use crate::journal::{Filter, Found};
use crate::problem::{ErrorBody, MockError};
use crate::routes;
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes<AppState> {
    Routes::new()
        .routes(routes!(requests_list, requests_clear))
        .routes(routes!(requests_count))
}

/// The path of the journal routes, which the traffic layer leaves out of the journal.
pub const JOURNAL_PATH: &str = "/__admin/requests";

fn filter(query: Result<Query<Filter>, QueryRejection>) -> AdminResult<Filter> {
    let Query(filter) = query.map_err(|e| MockError::bad_request(e.body_text()))?;
    filter.validate().map_err(MockError::bad_request)?;
    Ok(filter)
}

/// Journaled requests of this instance, oldest first.
#[utoipa::path(get, path = "/__admin/requests", tag = super::TAG, params(Filter),
    responses(
        (status = 200, description = "Matching requests", body = Found),
        (status = 400, description = "Bad filter", body = ErrorBody),
    ))]
pub async fn requests_list(
    inst: Instance,
    query: Result<Query<Filter>, QueryRejection>,
) -> AdminResult<Json<Found>> {
    Ok(Json(inst.journal.find(&filter(query)?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Count {
    pub count: usize,
}

/// How many journaled requests match.
#[utoipa::path(get, path = "/__admin/requests/count", tag = super::TAG, params(Filter),
    responses(
        (status = 200, description = "The count", body = Count),
        (status = 400, description = "Bad filter", body = ErrorBody),
    ))]
pub async fn requests_count(
    inst: Instance,
    query: Result<Query<Filter>, QueryRejection>,
) -> AdminResult<Json<Count>> {
    Ok(Json(Count {
        count: inst.journal.count(&filter(query)?),
    }))
}

/// Empties the journal and its drop count.
#[utoipa::path(delete, path = "/__admin/requests", tag = super::TAG,
    responses((status = 200, description = "Cleared", body = super::faults::Removed)))]
pub async fn requests_clear(inst: Instance) -> Json<super::faults::Removed> {
    Json(super::faults::Removed {
        removed: inst.journal.clear(),
    })
}
