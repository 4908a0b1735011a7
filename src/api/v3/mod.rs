//! The Stack Overflow for Teams API v3 edge (contract §3).
//!
//! One set of routes, one module per resource, served under the three URL shapes
//! (`/v3/teams/{team}`, `/api/v3`, `/api/v3/teams/{team}`). [`auth::V3Ctx`] reads the
//! [`auth::Shape`] from the path and resolves the addressed site. Handlers parse with [`input`],
//! call the domain through the context, and render with [`render`].

pub mod auth;
pub mod error;
pub mod input;
pub mod list;
pub mod models;
pub mod render;
pub mod smes;
pub mod tags;
pub mod user_groups;
pub mod users;

mod numbers;

use std::sync::LazyLock;

use axum::body::{Body, Bytes};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use crate::app::{AppState, Instance};
use crate::ratelimit::Verdict;
use error::V3Error;

/// The URL prefix of each shape.
pub const MAIN_PREFIX: &str = "/api/v3";
pub const PRIVATE_TEAM_PREFIX: &str = "/api/v3/teams/{team}";
pub const CLOUD_PREFIX: &str = "/v3/teams/{team}";

/// Every v3 route, relative to a shape's prefix.
fn routes() -> Vec<UtoipaMethodRouter<AppState>> {
    [
        users::routes(),
        tags::routes(),
        smes::routes(),
        user_groups::routes(),
    ]
    .concat()
}

/// The v3 API under its three prefixes. The routes are registered with their whole paths
/// rather than nested: a nested router rewrites every request's URI and adds a boxed layer,
/// and the v3 routes are the hot ones. The shape and the rate limit are handled in front of
/// the router ([`auth::Shape::of`], the traffic layer).
///
/// Generating the routes (their OpenAPI paths and the schemas these name) is most of the
/// start-up time, so it is done once: the three shapes register copies of the same paths and
/// handlers, and the schemas once.
pub fn router() -> OpenApiRouter<AppState> {
    let shaped = |prefix: &str, routes: &[UtoipaMethodRouter<AppState>], with_schemas: bool| {
        routes.iter().fold(
            OpenApiRouter::new(),
            |router, (schemas, paths, handlers)| {
                let mut prefixed = paths.clone();
                prefixed.paths = std::mem::take(&mut prefixed.paths)
                    .into_iter()
                    .map(|(path, item)| (format!("{prefix}{path}"), item))
                    .collect();
                let schemas = if with_schemas {
                    schemas.clone()
                } else {
                    Vec::new()
                };
                router.routes((schemas, prefixed, handlers.clone()))
            },
        )
    };
    let manage_not_on_teams = |prefix: &str| {
        OpenApiRouter::new().route(
            &format!("{prefix}/users/manage"),
            get(users::users_manage_not_on_teams),
        )
    };
    let shared = routes();
    shaped(MAIN_PREFIX, &shared, true)
        .merge(shaped(MAIN_PREFIX, &users::main_only_routes(), true))
        .merge(shaped(PRIVATE_TEAM_PREFIX, &shared, false))
        .merge(manage_not_on_teams(PRIVATE_TEAM_PREFIX))
        .merge(shaped(CLOUD_PREFIX, &shared, false))
        .merge(manage_not_on_teams(CLOUD_PREFIX))
}

/// Counts a v3 call against its token (`""` without one): the verdict gives the headers, and
/// refuses the call while enforcement is on and the token has no calls left.
pub fn count_call(inst: &Instance, headers: &HeaderMap, at: std::time::Instant) -> Verdict {
    let token = auth::bearer_token(headers).unwrap_or_default();
    inst.rate_limits
        .check_at(token, inst.rate_limits_enforced(), at)
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

/// A 200 with a JSON body already serialised (a read's answer, as the read cache keeps it). Its
/// header map has room for what follows (the rate-limit headers) without growing.
pub fn json_response(body: Bytes) -> Response {
    let mut res = Response::new(Body::from(body));
    let headers = res.headers_mut();
    headers.reserve(8);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
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

/// The values of [`RATE_LIMIT_HEADERS`], in their order.
fn rate_limit_values(v: &Verdict) -> [u64; 5] {
    [
        u64::from(v.burst_left),
        v.burst_secs_until_full,
        u64::from(v.bucket_left),
        v.bucket_secs_until_full,
        v.bucket_secs_until_next_refill,
    ]
}

pub fn add_rate_limit_headers(headers: &mut HeaderMap, v: &Verdict) {
    headers.reserve(RATE_LIMIT_HEADERS.len());
    for (name, value) in RATE_LIMIT_HEADERS.into_iter().zip(rate_limit_values(v)) {
        headers.insert(name, numbers::header_value(value));
    }
}

/// The headers of a kept answer, inserted once: every kept answer starts from a copy, which
/// costs no hashing, and gets its rate-limit values set in place.
static KEPT_HEADERS: LazyLock<HeaderMap> = LazyLock::new(|| {
    let mut headers = HeaderMap::with_capacity(8);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for name in RATE_LIMIT_HEADERS {
        headers.insert(name, numbers::header_value(0));
    }
    headers
});

/// A kept read's answer ([`json_response`] with the rate-limit headers of `v`), as the traffic
/// layer gives it.
pub fn kept_response(body: Bytes, v: &Verdict) -> Response {
    let mut headers = KEPT_HEADERS.clone();
    let values = rate_limit_values(v);
    for (name, value) in headers.iter_mut() {
        if let Some(i) = RATE_LIMIT_HEADERS.iter().position(|n| n == name) {
            *value = numbers::header_value(values[i]);
        }
    }
    let mut res = Response::new(Body::from(body));
    *res.headers_mut() = headers;
    res
}
