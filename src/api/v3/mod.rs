//! The Stack Overflow for Teams API v3 edge (contract §3).
//!
//! One set of routes, one module per resource, served under the three URL shapes
//! (`/v3/teams/{team}`, `/api/v3`, `/api/v3/teams/{team}`). [`auth::V3Ctx`] reads the
//! [`auth::Shape`] from the path and resolves the addressed site. Handlers parse with [`input`],
//! call the domain through the context, and render with [`render`].

pub mod answers;
pub mod articles;
pub mod auth;
pub mod collections;
pub mod communities;
pub mod error;
pub mod images;
pub mod input;
pub mod list;
pub mod models;
pub mod questions;
pub mod render;
pub mod search;
pub mod smes;
pub mod stacky;
pub mod tags;
pub mod user_groups;
pub mod users;

use crate::routes::{Route, Routes};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::ratelimit::Verdict;
use crate::state::AppState;
use error::V3Error;

/// The URL prefix of each shape.
pub const MAIN_PREFIX: &str = "/api/v3";
pub const PRIVATE_TEAM_PREFIX: &str = "/api/v3/teams/{team}";
pub const CLOUD_PREFIX: &str = "/v3/teams/{team}";

/// Every v3 route, relative to a shape's prefix.
fn routes() -> Vec<Route<AppState>> {
    [
        users::routes(),
        tags::routes(),
        smes::routes(),
        user_groups::routes(),
        images::routes(),
        articles::routes(),
        collections::routes(),
        answers::routes(),
        questions::routes(),
        search::routes(),
    ]
    .concat()
}

/// The routes the official document declares on the main site only (no team twins): under
/// a team prefix they are unknown routes (404).
fn main_only_routes() -> Vec<Route<AppState>> {
    [
        users::main_only_routes(),
        communities::routes(),
        stacky::routes(),
    ]
    .concat()
}

/// The v3 API under its three prefixes: the same routes registered under each prefix (the
/// shape is read from the path, [`auth::Shape::of`]). Rate limits, the journal and faults are
/// the pipeline's, in front of every edge.
pub fn router() -> Routes<AppState> {
    let shaped = |prefix: &str, routes: &[Route<AppState>]| {
        routes.iter().cloned().fold(Routes::new(), |router, route| {
            router.routes_under(prefix, route)
        })
    };
    let manage_not_on_teams = |prefix: &str| {
        Routes::new().route(
            &format!("{prefix}/users/manage"),
            get(users::users_manage_not_on_teams),
        )
    };
    let shared = routes();
    shaped(MAIN_PREFIX, &shared)
        .merge(shaped(MAIN_PREFIX, &main_only_routes()))
        .merge(shaped(PRIVATE_TEAM_PREFIX, &shared))
        .merge(manage_not_on_teams(PRIVATE_TEAM_PREFIX))
        .merge(shaped(CLOUD_PREFIX, &shared))
        .merge(manage_not_on_teams(CLOUD_PREFIX))
}

/// The answer to a call the rate limit refused: 429 with `Retry-After` and the headers.
pub fn too_many_requests(verdict: &Verdict) -> Response {
    let mut res = V3Error::TooManyRequests {
        retry_after: verdict.retry_after,
    }
    .into_response();
    add_rate_limit_headers(res.headers_mut(), verdict);
    res
}

/// The five rate-limit headers every v3 response carries (also on injected faults).
const RATE_LIMIT_HEADERS: [HeaderName; 5] = [
    HeaderName::from_static("x-burst-throttle-calls-left"),
    HeaderName::from_static("x-burst-throttle-seconds-until-full"),
    HeaderName::from_static("x-token-bucket-calls-left"),
    HeaderName::from_static("x-token-bucket-seconds-until-full"),
    HeaderName::from_static("x-token-bucket-seconds-until-next-refill"),
];

/// Sets the five rate-limit headers of `v`. Full limits (every answer while enforcement is
/// off) are written from static values.
pub fn add_rate_limit_headers(headers: &mut HeaderMap, v: &Verdict) {
    if *v == Verdict::FULL {
        const FULL: [&str; 5] = ["50", "0", "5000", "0", "0"];
        for (name, value) in RATE_LIMIT_HEADERS.into_iter().zip(FULL) {
            headers.insert(name, HeaderValue::from_static(value));
        }
        return;
    }
    let values = [
        u64::from(v.burst_left),
        v.burst_secs_until_full,
        u64::from(v.bucket_left),
        v.bucket_secs_until_full,
        v.bucket_secs_until_next_refill,
    ];
    for (name, value) in RATE_LIMIT_HEADERS.into_iter().zip(values) {
        headers.insert(name, value.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_limits_read_as_the_limits() {
        let mut written = HeaderMap::new();
        add_rate_limit_headers(&mut written, &Verdict::FULL);
        let mut counted = HeaderMap::new();
        add_rate_limit_headers(
            &mut counted,
            &Verdict {
                retry_after: 1,
                ..Verdict::FULL
            },
        );
        assert_eq!(written, counted);
        assert_eq!(written["x-burst-throttle-calls-left"], "50");
        assert_eq!(written["x-token-bucket-calls-left"], "5000");
    }
}
