//! The Enterprise API 2.3 edge (contract §4): the one method the mock emulates, `usersync`.
//!
//! [`params`] gathers the parameters from the form, the query and the headers; [`auth`] decides
//! who may call; [`quota`] counts calls per key; [`usersync`] runs the engine
//! (`domain::usersync`) and renders [`models`]; every failure is a [`error::V2Error`] in the
//! v2 error wrapper.

pub mod auth;
pub mod error;
pub mod models;
pub mod params;
pub mod quota;
pub mod usersync;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
pub use quota::Quotas;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(usersync::usersync))
        // A large roster is a large form; the v3 limit would cut it.
        .layer(DefaultBodyLimit::max(params::MAX_BODY_BYTES))
}
