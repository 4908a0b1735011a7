//! Request logs. They name the method, path, status and latency, never a header, and mask
//! credentials that arrive in the query string (`access_token`, `key`), so a token never
//! appears in full.

use std::time::Duration;

use axum::http::{Request, Response};
use tracing::Span;

/// The span of one request.
pub fn request_span<B>(req: &Request<B>) -> Span {
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        query = %mask_query(req.uri().query().unwrap_or_default()),
    )
}

pub fn on_response<B>(res: &Response<B>, latency: Duration, _span: &Span) {
    tracing::info!(
        status = res.status().as_u16(),
        latency_ms = latency.as_secs_f64() * 1000.0,
        "response"
    );
}

/// Parameter names whose values are credentials.
const SECRET_PARAMS: [&str; 4] = ["access_token", "key", "token", "admin_token"];

/// A query string with credential values masked.
pub fn mask_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if SECRET_PARAMS.iter().any(|s| s.eq_ignore_ascii_case(name)) => {
                format!("{name}={}", mask(value))
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A secret shown by its first three characters at most (`ada…`), never in full.
pub fn mask(secret: &str) -> String {
    let shown: String = secret
        .chars()
        .take(3.min(secret.chars().count() / 2))
        .collect();
    format!("{shown}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_the_query_are_masked() {
        let masked = mask_query("access_token=secret-token-123&key=local-key&page=2");
        assert_eq!(masked, "access_token=sec…&key=loc…&page=2");
        assert!(!masked.contains("secret-token-123"));
    }

    #[test]
    fn short_secrets_are_never_shown_in_full() {
        assert_eq!(mask("ab"), "a…");
        assert_eq!(mask(""), "…");
        assert_eq!(mask("x"), "…");
    }
}
