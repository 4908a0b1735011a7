//! The v2.3 edge's one error type: the common wrapper with `error_id`, `error_name` and
//! `error_message`, always with HTTP status 400, as the API v2 does for every error
//! (api-notes §6.2; the numbers are `error_id`s, not HTTP statuses). A refusal of the caller's
//! credentials names its reason in the mock-only `X-Mock-Reason` header ([`Refusal`]).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::refusal::Refusal;

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

/// The v2.3 errors the mock answers, by `error_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V2ErrorKind {
    /// 400: an invalid parameter; the message names it.
    BadParameter,
    /// 401: no access token.
    AccessTokenRequired,
    /// 402: unknown, expired or revoked token, or one not valid for the Enterprise main site.
    InvalidAccessToken,
    /// 403: the token may not do this.
    AccessDenied,
    /// 405: no application key.
    KeyRequired,
    /// 502: the key's quota is spent.
    ThrottleViolation,
}

impl V2ErrorKind {
    pub fn id(self) -> u16 {
        match self {
            V2ErrorKind::BadParameter => 400,
            V2ErrorKind::AccessTokenRequired => 401,
            V2ErrorKind::InvalidAccessToken => 402,
            V2ErrorKind::AccessDenied => 403,
            V2ErrorKind::KeyRequired => 405,
            V2ErrorKind::ThrottleViolation => 502,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            V2ErrorKind::BadParameter => "bad_parameter",
            V2ErrorKind::AccessTokenRequired => "access_token_required",
            V2ErrorKind::InvalidAccessToken => "invalid_access_token",
            V2ErrorKind::AccessDenied => "access_denied",
            V2ErrorKind::KeyRequired => "key_required",
            V2ErrorKind::ThrottleViolation => "throttle_violation",
        }
    }
}

/// Every way a v2.3 request can fail: its kind (`error_id`), its message, and, for a refusal
/// of the caller's credentials, its reason (the mock-only `X-Mock-Reason` header).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct V2Error {
    pub kind: V2ErrorKind,
    pub message: String,
    pub reason: Option<Refusal>,
}

impl V2Error {
    pub fn new(kind: V2ErrorKind, message: impl Into<String>) -> Self {
        V2Error {
            kind,
            message: message.into(),
            reason: None,
        }
    }

    /// A refusal of the caller's credentials, naming its reason.
    pub fn refused(kind: V2ErrorKind, reason: Refusal, message: impl Into<String>) -> Self {
        V2Error {
            reason: Some(reason),
            ..Self::new(kind, message)
        }
    }

    /// A bad parameter, named first in the message as the real API does.
    pub fn bad_parameter(name: &str, why: impl std::fmt::Display) -> Self {
        Self::new(V2ErrorKind::BadParameter, format!("{name}: {why}"))
    }

    /// The same error, naming `reason`.
    pub fn because(self, reason: Refusal) -> Self {
        V2Error {
            reason: Some(reason),
            ..self
        }
    }

    pub fn id(&self) -> u16 {
        self.kind.id()
    }

    pub fn name(&self) -> &'static str {
        self.kind.name()
    }
}

impl IntoResponse for V2Error {
    fn into_response(self) -> Response {
        let mut res = V2ErrorWrapper {
            error_id: self.id(),
            error_name: self.name().to_string(),
            error_message: self.message,
        }
        .into_response();
        if let Some(reason) = self.reason {
            reason.set(res.headers_mut());
        }
        res
    }
}

/// Every v2 error goes out with HTTP 400; the `error_id` carries the code.
impl IntoResponse for V2ErrorWrapper {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, Json(self)).into_response()
    }
}
