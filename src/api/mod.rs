//! The protocol edges. Each is a thin layer: parse, authorize, call the domain, render.
//!
//! - [`v3`]: Stack Overflow for Teams API v3 (JSON, ProblemDetails).
//! - [`v2`]: Enterprise API 2.3 `usersync` (form in, v2 wrapper out).

pub mod v2;
pub mod v3;

use axum::extract::DefaultBodyLimit;
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Router, routing::get};
use tower_http::trace::TraceLayer;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;
use crate::logging;

/// The whole app, and the OpenAPI document of its routes.
pub fn build(state: AppState) -> (Router, OpenApi) {
    let (router, api) = OpenApiRouter::with_openapi(crate::openapi::base())
        .merge(v3::router(&state))
        .merge(v2::router())
        .split_for_parts();
    let api = crate::openapi::finish(api);
    // Served as bytes serialised once: Swagger UI only gets the URL, so no second copy of the
    // document stays in memory (it is most of the idle heap).
    let doc = axum::body::Bytes::from(api.to_json().expect("the OpenAPI document serialises"));
    let docs = utoipa_swagger_ui::SwaggerUi::new("/swagger-ui")
        .config(utoipa_swagger_ui::Config::from("/openapi.json"));
    let router = router
        .route("/", get(index))
        .route(
            "/openapi.json",
            get(move || async move { ([(CONTENT_TYPE, "application/json")], doc.clone()) }),
        )
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(v3::input::MAX_BODY_BYTES))
        .with_state(state)
        .merge(docs)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(logging::request_span)
                .on_response(logging::on_response),
        );
    (router, api)
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
        }
    }))
    .into_response()
}

async fn no_route(method: Method, uri: Uri) -> Response {
    v3::error::V3Error::no_route(method.as_str(), uri.path()).into_response()
}

async fn wrong_method(method: Method, uri: Uri) -> Response {
    v3::error::V3Error::problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "/v3/errors/method-not-allowed",
        "Method Not Allowed",
        Some(format!("{method} is not allowed on {}", uri.path())),
    )
    .into_response()
}
