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

mod numbers;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::{Layer, Service};
use utoipa_axum::router::OpenApiRouter;

use crate::app::{AppState, Instance};
use crate::ratelimit::Verdict;
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
        routes.layer(V3Layer {
            shape,
            state: state.clone(),
        })
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

/// What every v3 route of one shape goes through: it tags the request with its [`Shape`], counts
/// the call against its token and adds the rate-limit headers to the answer, or answers 429
/// instead while enforcement is on and the token has no calls left. Synchronous, so it adds no
/// boxed future to the request's path.
#[derive(Clone)]
struct V3Layer {
    shape: Shape,
    state: AppState,
}

impl<S> Layer<S> for V3Layer {
    type Service = V3Service<S>;

    fn layer(&self, inner: S) -> V3Service<S> {
        V3Service {
            inner,
            shape: self.shape,
            state: self.state.clone(),
        }
    }
}

#[derive(Clone)]
struct V3Service<S> {
    inner: S,
    shape: Shape,
    state: AppState,
}

impl<S> Service<Request> for V3Service<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = WithRateLimit<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        req.extensions_mut().insert(self.shape);
        let verdict = {
            let inst = req
                .extensions()
                .get::<Arc<Instance>>()
                .unwrap_or(&self.state.0.root);
            let token = auth::bearer_token(req.headers()).unwrap_or_default();
            inst.rate_limits.check(token, inst.rate_limits_enforced())
        };
        let inner = verdict.allowed.then(|| self.inner.call(req));
        WithRateLimit { inner, verdict }
    }
}

pin_project_lite::pin_project! {
    /// The inner answer with the rate-limit headers, or the 429 when `inner` is `None`.
    struct WithRateLimit<F> {
        #[pin]
        inner: Option<F>,
        verdict: Verdict,
    }
}

impl<F> Future for WithRateLimit<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut res = match this.inner.as_pin_mut() {
            Some(inner) => match inner.poll(cx) {
                Poll::Ready(Ok(res)) => res,
                Poll::Ready(Err(never)) => match never {},
                Poll::Pending => return Poll::Pending,
            },
            None => V3Error::TooManyRequests {
                retry_after: this.verdict.retry_after,
            }
            .into_response(),
        };
        add_rate_limit_headers(res.headers_mut(), this.verdict);
        Poll::Ready(Ok(res))
    }
}

/// The five rate-limit headers every v3 response carries (also on injected faults).
pub fn add_rate_limit_headers(headers: &mut HeaderMap, v: &Verdict) {
    const NAMES: [HeaderName; 5] = [
        HeaderName::from_static("x-burst-throttle-calls-left"),
        HeaderName::from_static("x-burst-throttle-seconds-until-full"),
        HeaderName::from_static("x-token-bucket-calls-left"),
        HeaderName::from_static("x-token-bucket-seconds-until-full"),
        HeaderName::from_static("x-token-bucket-seconds-until-next-refill"),
    ];
    let values = [
        u64::from(v.burst_left),
        v.burst_secs_until_full,
        u64::from(v.bucket_left),
        v.bucket_secs_until_full,
        v.bucket_secs_until_next_refill,
    ];
    for (name, value) in NAMES.into_iter().zip(values) {
        headers.insert(name, numbers::header_value(value));
    }
}
