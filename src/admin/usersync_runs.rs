//! `GET /__admin/usersync-runs`: what each usersync call did to the rosters
//! ([`crate::roster_changes`]), for the dashboard's roster diffs and for tests.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::instance::Instance;
use crate::roster_changes::SyncRun;
use crate::routes;
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes<AppState> {
    Routes::new().routes(routes!(usersync_runs))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SyncRuns {
    /// The last 100 calls, oldest first.
    pub runs: Vec<SyncRun>,
}

/// The roster changes of the last usersync calls: per team its `StatusCode` and who was
/// added, removed or changed (a dry run: who would be). Emptied by a reset.
#[utoipa::path(get, path = "/__admin/usersync-runs", tag = super::TAG,
    responses((status = 200, description = "The last usersync calls, oldest first", body = SyncRuns)))]
pub async fn usersync_runs(inst: Instance) -> Json<SyncRuns> {
    Json(SyncRuns {
        runs: inst.roster_changes.list(),
    })
}
