//! The Enterprise API 2.3 edge (contract §4): the one method the mock emulates, `usersync`.
//!
//! [`request`] reads a call once (its parameters from the form, the query and the headers, and
//! `requestsJson` into the engine's entries), [`credentials`] finds its one token and key; [`auth`] decides who may call; [`usersync`] counts
//! the call against its key's quota ([`crate::quota`]), runs the engine (`domain::usersync`) and
//! renders [`models`]; every failure is a [`error::V2Error`] in the v2 error wrapper.

pub mod auth;
pub mod credentials;
pub mod error;
pub mod models;
pub mod multipart;
pub mod request;
pub(crate) mod requests_json;
pub mod usersync;

use crate::routes;
use crate::routes::Routes;
use crate::state::AppState;

/// The OpenAPI tag of the usersync operation.
pub const TAG: &str = "Enterprise API 2.3";

pub fn router() -> Routes<AppState> {
    Routes::new().routes(routes!(usersync::usersync))
}
