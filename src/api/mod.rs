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

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Router, routing::get};
use tower::{Layer, Service};
use tower_http::trace::TraceLayer;
use tracing::level_filters::LevelFilter;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::admin::{self, AdminError};
use crate::app::AppState;
use crate::logging;
use crate::traffic::Api;

/// The whole app, and the OpenAPI document of its routes.
pub fn build(state: AppState) -> (Router, OpenApi) {
    // The API routes, built once (building them also builds their OpenAPI paths) and served
    // twice: at the root with the whole control API, in sandboxes without sandbox management.
    let apis = v3::router().merge(v2::router());
    let (routes, api) = OpenApiRouter::with_openapi(crate::openapi::base())
        .merge(apis.clone())
        .merge(admin::router(&state))
        .split_for_parts();
    let api = crate::openapi::finish(api);
    let (sandbox_routes, _) = apis.merge(admin::sandbox_router(&state)).split_for_parts();
    let front = traffic::Front::new(
        &state,
        instance_app(routes, &state),
        instance_app(sandbox_routes, &state),
    );
    // Served as bytes serialised once: Swagger UI only gets the URL, so no second copy of the
    // document stays in memory.
    let doc = axum::body::Bytes::from(api.to_json().expect("the OpenAPI document serialises"));
    let docs = utoipa_swagger_ui::SwaggerUi::new("/swagger-ui")
        .config(utoipa_swagger_ui::Config::from("/openapi.json"));
    let router = Router::new()
        .route(
            "/openapi.json",
            get(move || async move { ([(CONTENT_TYPE, "application/json")], doc.clone()) }),
        )
        .merge(docs)
        // Everything else belongs to an instance (the root or a sandbox).
        .fallback_service(front);
    // The request logs are `info` events: with `info` off (`RUST_LOG=warn`, a load test), the
    // layer that would only time and drop them is left out.
    let router = if LevelFilter::current() >= LevelFilter::INFO {
        router.layer(
            TraceLayer::new_for_http()
                .make_span_with(logging::request_span)
                .on_response(logging::on_response),
        )
    } else {
        router
    };
    (router, api)
}

/// The routes of one instance (root or sandbox), as one service with its body limit.
fn instance_app(
    routes: Router<AppState>,
    state: &AppState,
) -> impl Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
+ Clone
+ Send
+ Sync
+ 'static {
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
