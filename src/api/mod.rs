//! The emulated APIs' edges. Each is a thin layer: parse, authorize, call the domain, render in
//! the emulated API's own wire format.
//!
//! - [`v3`]: Stack Overflow for Teams API v3 (JSON, ProblemDetails), under its three URL shapes.
//! - [`v2`]: Enterprise API 2.3 `usersync` (form in, v2 wrapper out).
//!
//! The control API (`/__admin/…`) is [`crate::admin`]; the layers in front of every edge are
//! [`crate::pipeline`]; [`crate::app`] puts them together.

pub mod v2;
pub mod v3;

use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::problem::MockError;
use crate::surface::Api;

/// `GET /`: where everything is.
pub async fn index() -> Response {
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

/// A path with no route: 404 in the shape of the API the path belongs to.
pub async fn no_route(method: Method, uri: Uri) -> Response {
    if Api::of(uri.path()) == Api::Admin {
        return MockError::not_found(format!("no control route {method} {}", uri.path()))
            .into_response();
    }
    v3::error::V3Error::no_route(method.as_str(), uri.path()).into_response()
}

/// A path whose route takes other methods: 405 in the shape of its API.
pub async fn wrong_method(method: Method, uri: Uri) -> Response {
    if Api::of(uri.path()) == Api::Admin {
        return MockError::new(
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
