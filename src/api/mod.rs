//! The protocol edges. Each is a thin layer: parse, authorize, call the domain, render.
//!
//! - [`v3`]: Stack Overflow for Teams API v3 (JSON, ProblemDetails).
//! - [`v2`]: Enterprise API 2.3 `usersync` (form in, v2 wrapper out).
//! - [`crate::admin`]: the control API (`/__admin/…`).
//! - [`traffic`]: what is in front of them all (sandboxes, journal, faults, v3 rate limits),
//!   with [`injected`] rendering injected answers in each edge's wire format.
//!
//! The same routes are served twice: at the root, on the root instance, and under
//! `/_sandbox/{id}`, where [`traffic::Front`] swaps in the sandbox's instance.

pub mod injected;
pub mod traffic;
pub mod v2;
pub mod v3;

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use axum::{Router, routing::get};
use tower::{Layer, Service};
use tower_http::trace::TraceLayer;
use tracing::level_filters::LevelFilter;
use utoipa::openapi::OpenApi;

use crate::admin::{self, AdminError};
use crate::app::AppState;
use crate::logging;
use crate::traffic::Api;

/// The whole app, and the OpenAPI document of its routes.
pub fn build(state: AppState) -> (App<impl InstanceApp>, OpenApi) {
    // The API routes, generated once (which generates their OpenAPI paths, most of the start-up
    // time) and served twice: at the root with the whole control API, in sandboxes without
    // sandbox management. Only the routers are copied (cheap), never the documents.
    let (apis, apis_doc) = v3::router().merge(v2::router()).split_for_parts();
    let control = admin::routes(&state);
    let routes = apis.clone().merge(control.root);
    let sandbox_routes = apis.merge(control.sandbox);
    let mut api = crate::openapi::base();
    api.merge(apis_doc);
    api.merge(control.doc);
    let api = crate::openapi::finish(api);
    // Served as bytes serialised once: Swagger UI only gets the URL, so no second copy of the
    // document stays in memory.
    let doc = axum::body::Bytes::from(api.to_json().expect("the OpenAPI document serialises"));
    let docs = utoipa_swagger_ui::SwaggerUi::new("/swagger-ui")
        .config(utoipa_swagger_ui::Config::from("/openapi.json"));
    let docs = Router::new()
        .route(
            "/openapi.json",
            get(move || async move { ([(CONTENT_TYPE, "application/json")], doc.clone()) }),
        )
        .merge(docs);
    let front = traffic::Front::new(
        &state,
        instance_app(routes, &state),
        instance_app(sandbox_routes, &state),
        docs,
    );
    // The request logs are `info` events: with `info` off (`RUST_LOG=warn`, a load test), the
    // layer that would only time and drop them is left out.
    let app = if LevelFilter::current() >= LevelFilter::INFO {
        App::Logged(
            Router::new().fallback_service(front).layer(
                TraceLayer::new_for_http()
                    .make_span_with(logging::request_span)
                    .on_response(logging::on_response),
            ),
        )
    } else {
        App::Direct(front)
    };
    (app, api)
}

/// What an instance's routes are, as one service: [`instance_app`].
pub trait InstanceApp:
    Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<S> InstanceApp for S where
    S: Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
        + Clone
        + Send
        + Sync
        + 'static
{
}

/// The app: [`traffic::Front`], inside a router with the request-log layer when `info` logs
/// are on. Served with `axum::serve(listener, app)`, as a `Router` is; each connection gets
/// its own copy ([`traffic::Front::for_connection`]).
#[derive(Clone)]
pub enum App<S> {
    Direct(traffic::Front<S>),
    Logged(Router),
}

impl<S: InstanceApp> Service<Request> for App<S> {
    type Response = Response;
    type Error = Infallible;
    type Future = traffic::TrafficFuture<S>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        match self {
            App::Direct(front) => front.call(req),
            App::Logged(router) => traffic::TrafficFuture::Routed {
                fut: router.call(req),
            },
        }
    }
}

/// The make-service of `axum::serve`: a copy of the app per connection.
impl<'a, L: Listener, S: InstanceApp> Service<IncomingStream<'a, L>> for App<S> {
    type Response = App<S>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<App<S>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: IncomingStream<'a, L>) -> Self::Future {
        std::future::ready(Ok(match self {
            App::Direct(front) => App::Direct(front.for_connection()),
            App::Logged(router) => App::Logged(router.clone()),
        }))
    }
}

/// The routes of one instance (root or sandbox), as one service with its body limit.
fn instance_app(routes: Router<AppState>, state: &AppState) -> impl InstanceApp + use<> {
    let router = routes
        .route("/", get(index))
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(state.clone());
    DefaultBodyLimit::max(v3::input::MAX_BODY_BYTES).layer(router)
}

async fn index() -> Response {
    axum::Json(serde_json::json!({
        "name": "soteams-mock",
        "openapi": "/openapi.json",
        "swaggerUi": "/swagger-ui/",
        "shapes": {
            "enterpriseMain": "/api/v3",
            "enterprisePrivateTeam": "/api/v3/teams/{team}",
            "cloudTeam": "/v3/teams/{team}",
            "usersync": "/api/2.3/enterprise/usersync",
        },
        "controlApi": "/__admin",
        "sandboxes": "/_sandbox/{id} (create one with POST /__admin/sandboxes)",
    }))
    .into_response()
}

async fn no_route(method: Method, uri: Uri) -> Response {
    if Api::of(uri.path()) == Api::Admin {
        return AdminError::not_found(format!("no control route {method} {}", uri.path()))
            .into_response();
    }
    v3::error::V3Error::no_route(method.as_str(), uri.path()).into_response()
}

async fn wrong_method(method: Method, uri: Uri) -> Response {
    if Api::of(uri.path()) == Api::Admin {
        return AdminError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{method} is not allowed on {}", uri.path()),
        )
        .into_response();
    }
    v3::error::V3Error::problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "/v3/errors/method-not-allowed",
        "Method Not Allowed",
        Some(format!("{method} is not allowed on {}", uri.path())),
    )
    .into_response()
}
