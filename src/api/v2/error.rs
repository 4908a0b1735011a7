//! The v2.3 edge's one error type: the common wrapper with `error_id`, `error_name` and
//! `error_message`, always with HTTP status 400, as the API v2 does for every error
//! (api-notes §6.2; the numbers are `error_id`s, not HTTP statuses).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The error wrapper of API v2.3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"error_id": 403, "error_name": "access_denied", "error_message": "usersync requires a write access token owned by an Admin of the Enterprise main site"}))]
pub struct V2ErrorWrapper {
    /// 400 `bad_parameter`, 401 `access_token_required`, 402 `invalid_access_token`,
    /// 403 `access_denied`, 405 `key_required`, 502 `throttle_violation`.
    #[schema(minimum = 400, maximum = 502)]
    pub error_id: u16,
    #[schema(
        pattern = "^(bad_parameter|access_token_required|invalid_access_token|access_denied|key_required|throttle_violation)$"
    )]
    pub error_name: String,
    pub error_message: String,
}

/// Every way a v2.3 request can fail, by `error_id`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum V2Error {
    /// 400: an invalid parameter; the message names it.
    #[error("{0}")]
    BadParameter(String),
    /// 401: no access token.
    #[error("{0}")]
    AccessTokenRequired(String),
    /// 402: unknown, expired or revoked token, or one not valid for the Enterprise main site.
    #[error("{0}")]
    InvalidAccessToken(String),
    /// 403: the token may not do this.
    #[error("{0}")]
    AccessDenied(String),
    /// 405: no application key.
    #[error("{0}")]
    KeyRequired(String),
    /// 502: the key's quota is spent.
    #[error("{0}")]
    ThrottleViolation(String),
}

impl V2Error {
    /// A bad parameter, named first in the message as the real API does.
    pub fn bad_parameter(name: &str, why: impl std::fmt::Display) -> Self {
        V2Error::BadParameter(format!("{name}: {why}"))
    }

    pub fn id(&self) -> u16 {
        match self {
            V2Error::BadParameter(_) => 400,
            V2Error::AccessTokenRequired(_) => 401,
            V2Error::InvalidAccessToken(_) => 402,
            V2Error::AccessDenied(_) => 403,
            V2Error::KeyRequired(_) => 405,
            V2Error::ThrottleViolation(_) => 502,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            V2Error::BadParameter(_) => "bad_parameter",
            V2Error::AccessTokenRequired(_) => "access_token_required",
            V2Error::InvalidAccessToken(_) => "invalid_access_token",
            V2Error::AccessDenied(_) => "access_denied",
            V2Error::KeyRequired(_) => "key_required",
            V2Error::ThrottleViolation(_) => "throttle_violation",
        }
    }
}

impl IntoResponse for V2Error {
    fn into_response(self) -> Response {
        V2ErrorWrapper {
            error_id: self.id(),
            error_name: self.name().to_string(),
            error_message: self.to_string(),
        }
        .into_response()
    }
}

/// Every v2 error goes out with HTTP 400; the `error_id` carries the code.
impl IntoResponse for V2ErrorWrapper {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, Json(self)).into_response()
    }
}
