//! Answers that faults inject, in the wire format of the API they hit, so a client's error
//! handling sees what the real service would send (contract §5):
//! - v3: the bodies the edge itself uses (`text/plain` 401, `Forbidden Action` 403, ASP.NET
//!   400, 429 with `Retry-After`, an empty 500 on `POST /user-groups` as the excerpt declares),
//!   ProblemDetails for any other status (mock choice: `type` `/v3/errors/injected-fault`);
//! - usersync: the v2 error wrapper with HTTP 400 and the status as `error_id`, the v2
//!   convention; a status outside the v2 error table is sent as is, with no body, as a proxy
//!   in front of the service would (mock choice);
//! - control API and anything else: its JSON error.
//!
//! An injected 401, 402 or 403 names its reason, `X-Mock-Reason: injected-fault`, whatever its
//! body, so a test can tell it from a real refusal.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::api::v3::error::V3Error;
use crate::domain::DomainError;
use crate::problem::MockError;
use crate::refusal::Refusal;
use crate::surface::Api;

/// The v2.x error table (`error_id`, `error_name`, a message), as the API documents it.
const V2_ERRORS: [(u16, &str, &str); 12] = [
    (400, "bad_parameter", "An invalid parameter was passed"),
    (
        401,
        "access_token_required",
        "This method requires an access token",
    ),
    (402, "invalid_access_token", "Invalid access token"),
    (403, "access_denied", "Access denied"),
    (404, "no_method", "No method found with this name"),
    (405, "key_required", "This method requires an app key"),
    (
        406,
        "access_token_compromised",
        "The access token is compromised",
    ),
    (407, "write_failed", "The write operation failed"),
    (409, "duplicate_request", "Duplicate request"),
    (500, "internal_error", "An internal error occurred"),
    (
        502,
        "throttle_violation",
        "Too many requests from this IP, more requests available later",
    ),
    (
        503,
        "temporarily_unavailable",
        "The service is temporarily unavailable",
    ),
];

/// What was asked, as the default bodies need it.
pub struct Asked<'a> {
    pub api: Api,
    pub method: &'a Method,
    pub path: &'a str,
    /// The rule ids that fired, named in the default bodies' detail.
    pub rules: &'a str,
}

/// The answer for an injected status: `body` when given (a string as is, anything else as
/// JSON), else the API's own shape for that status; a refusal (401, 402, 403) names its reason.
pub fn respond(
    asked: &Asked,
    status: u16,
    body: Option<Value>,
    content_type: Option<String>,
) -> Response {
    let mut res = answer(asked, status, body, content_type);
    if matches!(status, 401..=403) {
        Refusal::InjectedFault.set(res.headers_mut());
    }
    res
}

fn answer(
    asked: &Asked,
    status: u16,
    body: Option<Value>,
    content_type: Option<String>,
) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(body) = body {
        let (text, default_type) = match body {
            Value::String(s) => (s, "text/plain; charset=utf-8"),
            other => (other.to_string(), "application/json"),
        };
        let content_type = content_type.unwrap_or_else(|| default_type.to_string());
        return (code, [(header::CONTENT_TYPE, content_type)], text).into_response();
    }
    if !code.is_client_error() && !code.is_server_error() {
        return code.into_response();
    }
    let detail = format!("Injected by soteams-mock ({})", asked.rules);
    match asked.api {
        Api::V3 => v3(code, asked, detail).into_response(),
        Api::Usersync => match V2_ERRORS.iter().find(|(id, ..)| *id == status) {
            Some((id, name, message)) => v2_error(*id, name, message),
            None => code.into_response(),
        },
        Api::Admin | Api::Other => {
            MockError::new(code, format!("injected fault ({}): {code}", asked.rules))
                .into_response()
        }
    }
}

fn v3(code: StatusCode, asked: &Asked, detail: String) -> Response {
    let error = match code.as_u16() {
        400 => V3Error::invalid("request", detail),
        401 => V3Error::Unauthorized(Refusal::InjectedFault),
        403 => V3Error::forbidden(Refusal::InjectedFault),
        404 => V3Error::problem(code, "/v3/errors/not-found", "Not Found", Some(detail)),
        422 => V3Error::from(DomainError::SmesDisabled),
        429 => V3Error::TooManyRequests { retry_after: 1 },
        500 if asked.method == Method::POST && asked.path.ends_with("/user-groups") => {
            return code.into_response(); // the excerpt declares "Server Error" with no content
        }
        // The image routes declare "Internal server error." with no content too.
        500 if asked.path.contains("/images/") => return code.into_response(),
        _ => V3Error::problem(
            code,
            "/v3/errors/injected-fault",
            code.canonical_reason().unwrap_or("Error"),
            Some(detail),
        ),
    };
    error.into_response()
}

/// The v2 error wrapper (HTTP 400, the code in `error_id`), for any id of the v2 table.
pub fn v2_error(id: u16, name: &str, message: &str) -> Response {
    crate::api::v2::error::V2ErrorWrapper {
        error_id: id,
        error_name: name.to_string(),
        error_message: message.to_string(),
    }
    .into_response()
}

/// A response whose body fails before its first byte: hyper then closes the connection, so
/// the client sees a transport error instead of an answer (axum gives no socket to close).
pub fn severed() -> Response {
    Response::new(Body::new(Severed))
}

struct Severed;

impl HttpBody for Severed {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, io::Error>>> {
        Poll::Ready(Some(Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "connection dropped by a fault",
        ))))
    }
}
