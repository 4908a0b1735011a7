//! Stacky (main site only): `GET /stacky`, the ASCII art the real service offers "for
//! testing". The operation declares no security of its own, so the document's top-level
//! security (a token) applies: 401 without one, as on every v3 route.
//!
//! The art is the mock's own drawing. It is `text/plain` unless the `Accept` header asks for
//! `application/json` or `text/json` (the document declares all three), then a JSON string
//! with that media type. The answer varies by `Accept` (`Vary: Accept`), so the read cache
//! does not keep it.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT, CONTENT_TYPE, VARY};
use axum::response::{IntoResponse, Response};

use super::auth::V3Ctx;
use super::error::V3Result;
use super::input::V3Query;
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![routes!(stacky_get)]
}

/// The mock's Stacky.
pub const STACKY: &str = r"
      _________
     |  _____  |
     | |     | |
     | | o o | |    Hi, I'm Stacky!
     | |  ^  | |    (soteams-mock's own drawing)
     | | \_/ | |
     | |_____| |
     |_________|
      |_|   |_|
";

/// Emulates `GET /stacky`.
#[utoipa::path(get, path = "/stacky", tag = "Stacky",
    responses(
        (status = 200, description = "Success: `text/plain` by default, a JSON string when `Accept` asks for `application/json` or `text/json`",
            content((String = "text/plain"), (String = "application/json"), (String = "text/json"))),
    ))]
pub async fn stacky_get(ctx: V3Ctx, headers: HeaderMap, query: V3Query) -> V3Result<Response> {
    let _ = ctx;
    query.check().finish()?;
    let media = negotiated(&headers);
    let body = if media == "text/plain" {
        STACKY.to_string()
    } else {
        serde_json::Value::from(STACKY).to_string()
    };
    let content_type = if media == "text/plain" {
        "text/plain; charset=utf-8"
    } else {
        media
    };
    Ok(([(CONTENT_TYPE, content_type), (VARY, "Accept")], body).into_response())
}

/// The first of the three declared media types the `Accept` header names (not with `q=0`);
/// `text/plain` when it names none of them.
fn negotiated(headers: &HeaderMap) -> &'static str {
    headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter(|range| {
            !range
                .split(';')
                .skip(1)
                .any(|p| p.trim().replace(' ', "") == "q=0")
        })
        .find_map(|range| {
            let essence = crate::body::essence(range);
            ["text/plain", "application/json", "text/json"]
                .into_iter()
                .find(|m| *m == essence)
        })
        .unwrap_or("text/plain")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT, value.parse().unwrap());
        h
    }

    #[test]
    fn accept_picks_the_first_declared_media_type() {
        assert_eq!(negotiated(&HeaderMap::new()), "text/plain");
        assert_eq!(negotiated(&accept("*/*")), "text/plain");
        assert_eq!(negotiated(&accept("application/json")), "application/json");
        assert_eq!(
            negotiated(&accept("text/html, text/json;q=0.9, application/json")),
            "text/json"
        );
        assert_eq!(
            negotiated(&accept("application/json;q=0, text/plain")),
            "text/plain"
        );
    }
}
