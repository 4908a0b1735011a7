//! The mock's surfaces, and which one a path addresses: the v3 API, usersync, the control API,
//! or anything else. The pipeline, the journal and the fault rules classify a request with
//! [`Api::of`], so they agree on one reading.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The API a request addresses, by its path (inside its instance: no sandbox prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Api {
    /// `/api/v3/…` and `/v3/teams/{team}/…`.
    V3,
    /// `/api/2.3/enterprise/usersync`.
    Usersync,
    /// `/__admin/…`.
    Admin,
    /// Anything else (the index page, unknown routes).
    Other,
}

pub const USERSYNC_PATH: &str = "/api/2.3/enterprise/usersync";
pub const ADMIN_PREFIX: &str = "/__admin";

impl Api {
    pub fn of(path: &str) -> Api {
        if path == ADMIN_PREFIX || path.starts_with("/__admin/") {
            Api::Admin
        } else if path.trim_end_matches('/') == USERSYNC_PATH {
            Api::Usersync
        } else if path.starts_with("/api/v3/") || path == "/api/v3" || path.starts_with("/v3/") {
            Api::V3
        } else {
            Api::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_prefix() {
        assert_eq!(Api::of("/api/v3/users"), Api::V3);
        assert_eq!(Api::of("/v3/teams/acme/tags"), Api::V3);
        assert_eq!(Api::of("/api/2.3/enterprise/usersync"), Api::Usersync);
        assert_eq!(Api::of("/__admin/health"), Api::Admin);
        assert_eq!(Api::of("/__adminx"), Api::Other);
        assert_eq!(Api::of("/"), Api::Other);
    }
}
