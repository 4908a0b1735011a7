//! The Stack Overflow for Teams API v3 edge (contract §3).
//!
//! One set of routes, one module per resource, served under the three URL shapes
//! (`/v3/teams/{team}`, `/api/v3`, `/api/v3/teams/{team}`). Each nested copy carries its
//! [`auth::Shape`], from which [`auth::V3Ctx`] resolves the addressed site. Handlers parse
//! with [`input`], call the domain through the context, and render with [`render`].

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

use axum::Extension;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;

use crate::app::{AppState, Inst};
use auth::Shape;
use error::V3Error;

/// The URL prefix of each shape, as nested in the app router.
pub const MAIN_PREFIX: &str = "/api/v3";
pub const PRIVATE_TEAM_PREFIX: &str = "/api/v3/teams/{team}";
pub const CLOUD_PREFIX: &str = "/v3/teams/{team}";

/// Every v3 route of one shape, relative to its prefix.
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(users::router())
        .merge(tags::router())
        .merge(smes::router())
        .merge(user_groups::router())
}

/// The v3 API under its three prefixes.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let shaped = |routes: OpenApiRouter<AppState>, shape: Shape| {
        routes
            .layer(Extension(shape))
            .layer(middleware::from_fn_with_state(state.clone(), rate_limit))
    };
    // Built once and cloned per shape: building the routes also builds their OpenAPI paths.
    let all = routes();
    let teams = all
        .clone()
        .route("/users/manage", get(users::users_manage_not_on_teams));
    OpenApiRouter::new()
        .nest(
            MAIN_PREFIX,
            shaped(all.merge(users::main_only_router()), Shape::Main),
        )
        .nest(
            PRIVATE_TEAM_PREFIX,
            shaped(teams.clone(), Shape::PrivateTeam),
        )
        .nest(CLOUD_PREFIX, shaped(teams, Shape::Cloud))
}

/// Counts the call against its token and adds the rate-limit headers to every v3 response;
/// answers 429 instead while enforcement is on and the token has no calls left.
async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let inst = Inst::of(&parts, &state);
    let key = auth::bearer_token(&parts.headers)
        .unwrap_or_default()
        .to_string();
    let v = inst.rate_limits.check(&key, inst.rate_limits_enforced());
    let mut res = if v.allowed {
        next.run(Request::from_parts(parts, body)).await
    } else {
        V3Error::TooManyRequests {
            retry_after: v.retry_after,
        }
        .into_response()
    };
    add_rate_limit_headers(res.headers_mut(), &v);
    res
}

/// The five rate-limit headers every v3 response carries (also on injected faults).
pub fn add_rate_limit_headers(headers: &mut axum::http::HeaderMap, v: &crate::ratelimit::Verdict) {
    for (name, value) in [
        ("x-burst-throttle-calls-left", u64::from(v.burst_left)),
        (
            "x-burst-throttle-seconds-until-full",
            v.burst_secs_until_full,
        ),
        ("x-token-bucket-calls-left", u64::from(v.bucket_left)),
        (
            "x-token-bucket-seconds-until-full",
            v.bucket_secs_until_full,
        ),
        (
            "x-token-bucket-seconds-until-next-refill",
            v.bucket_secs_until_next_refill,
        ),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
}
