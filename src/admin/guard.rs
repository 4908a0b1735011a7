//! What every control route checks before its handler, in this order:
//!
//! 1. **same origin** (403): a request with an `Origin` header that is not the server's own.
//!    Browsers send `Origin` with every cross-site `POST`, `PUT` and `DELETE`, so a web page
//!    the developer visits cannot reset the mock or read its tokens; curl, SDKs and test
//!    suites send no `Origin`, and Swagger UI served by the mock sends its own;
//! 2. the **admin token** (401), when the server has one (`--admin-token`);
//! 3. **JSON bodies** (415): a request that may change state (any method but `GET`, `HEAD`,
//!    `OPTIONS`) with a body that is not `application/json`. `text/plain`, forms and multipart
//!    are what a page can send cross-site without asking the browser first (a CORS
//!    preflight), so the control API takes none of them.
//!
//! A refusal goes back through the pipeline, which journals it like any answer.

use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Body as _;

use crate::body::Unread;
use crate::host::same_origin;
use crate::problem::MockError;
use crate::refusal::Refusal;
use crate::state::AppState;

use super::ADMIN_TOKEN_HEADER;

/// The checks of the module docs, as a route layer of the control routes.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let refused = cross_origin(req.headers())
        .or_else(|| missing_token(&state, req.headers()))
        .or_else(|| not_json(&req));
    match refused {
        Some(refused) => refused.into_response(),
        None => next.run(req).await,
    }
}

fn cross_origin(headers: &HeaderMap) -> Option<MockError> {
    let origin = headers.get(ORIGIN)?;
    if same_origin(origin, headers.get(HOST)) {
        return None;
    }
    let origin = origin.to_str().unwrap_or("(not text)");
    Some(MockError::refused(
        StatusCode::FORBIDDEN,
        Refusal::OriginNotAllowed,
        format!(
            "the control API answers only its own origin, and this request comes from {origin:?}: \
             a web page must not drive the mock (send no Origin header, as curl and test clients do)"
        ),
    ))
}

fn missing_token(state: &AppState, headers: &HeaderMap) -> Option<MockError> {
    let expected = state.options.admin_token.as_ref()?;
    let given = headers.get(ADMIN_TOKEN_HEADER).map(|v| v.as_bytes());
    let reason = match given {
        None => Refusal::AdminTokenMissing,
        Some(given) if !same_secret(given, expected.as_bytes()) => Refusal::AdminTokenWrong,
        Some(_) => return None,
    };
    Some(MockError::refused(
        StatusCode::UNAUTHORIZED,
        reason,
        "this control API requires the admin token in the X-Admin-Token header",
    ))
}

/// Compares without stopping at the first difference, so timing does not leak the token.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn not_json(req: &Request) -> Option<MockError> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    // The pipeline read the body: what is left is its bytes, or nothing and why.
    let has_body = !req.body().is_end_stream() || req.extensions().get::<Unread>().is_some();
    let content_type = req.headers().get(CONTENT_TYPE);
    if !has_body || content_type.is_some_and(|v| is_json(v.as_bytes())) {
        return None;
    }
    let given = match content_type {
        Some(v) => format!("Content-Type {:?}", v.to_str().unwrap_or("(not text)")),
        None => "no Content-Type".to_string(),
    };
    Some(MockError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        format!(
            "the control API takes JSON bodies sent as Content-Type: application/json, and this \
             one has {given} (curl: --json '{{…}}'); other types are refused because a web page \
             can send them to the mock cross-site"
        ),
    ))
}

/// `application/json`, in any case, with any parameters (`; charset=utf-8`).
fn is_json(value: &[u8]) -> bool {
    crate::body::essence(&String::from_utf8_lossy(value)) == "application/json"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_application_json_with_any_parameters() {
        for yes in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            " application/json ;x=y",
        ] {
            assert!(is_json(yes.as_bytes()), "{yes}");
        }
        for no in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonx",
            "application/problem+json",
            "text/json",
            "",
        ] {
            assert!(!is_json(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
    }
}
