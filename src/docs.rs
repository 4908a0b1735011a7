//! The documents: the OpenAPI document at `/openapi.json` ([`crate::openapi`]) and Swagger UI at
//! `/swagger-ui/`, whose files (Swagger UI 5.32.6, `assets/swagger-ui/`) are embedded in the
//! binary: it works offline, and the build downloads and extracts nothing.

use std::sync::OnceLock;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The Swagger UI files: name, content type, bytes.
const SWAGGER_UI: [(&str, &str, &[u8]); 10] = [
    (
        "index.html",
        "text/html; charset=utf-8",
        include_bytes!("../assets/swagger-ui/index.html"),
    ),
    (
        "swagger-initializer.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/swagger-ui/swagger-initializer.js"),
    ),
    (
        "swagger-ui-bundle.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/swagger-ui/swagger-ui-bundle.js"),
    ),
    (
        "swagger-ui-standalone-preset.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/swagger-ui/swagger-ui-standalone-preset.js"),
    ),
    (
        "swagger-ui.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/swagger-ui/swagger-ui.css"),
    ),
    (
        "index.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/swagger-ui/index.css"),
    ),
    (
        "oauth2-redirect.html",
        "text/html; charset=utf-8",
        include_bytes!("../assets/swagger-ui/oauth2-redirect.html"),
    ),
    (
        "oauth2-redirect.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/swagger-ui/oauth2-redirect.js"),
    ),
    (
        "favicon-32x32.png",
        "image/png",
        include_bytes!("../assets/swagger-ui/favicon-32x32.png"),
    ),
    (
        "favicon-16x16.png",
        "image/png",
        include_bytes!("../assets/swagger-ui/favicon-16x16.png"),
    ),
];

/// The document routes: `document` holds the serialised OpenAPI document once `make` has
/// made it.
pub fn router<S: Clone + Send + Sync + 'static>(
    document: &'static OnceLock<Bytes>,
    make: fn() -> Bytes,
) -> Router<S> {
    Router::new()
        .route("/openapi.json", get(move || serve_document(document, make)))
        .route("/swagger-ui", get(to_swagger_ui))
        .route("/swagger-ui/", get(|| swagger_ui_file("index.html")))
        .route(
            "/swagger-ui/{file}",
            get(|Path(file): Path<String>| swagger_ui_file(file)),
        )
}

/// The document. The first request makes it off the async workers (tens of milliseconds), and
/// a request that comes meanwhile waits for that one; later ones take it as it is.
async fn serve_document(document: &'static OnceLock<Bytes>, make: fn() -> Bytes) -> Response {
    let made = match document.get() {
        Some(json) => Ok(json.clone()),
        None => tokio::task::spawn_blocking(move || document.get_or_init(make).clone()).await,
    };
    match made {
        Ok(json) => ([(CONTENT_TYPE, "application/json")], json).into_response(),
        Err(failed) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the OpenAPI document could not be made: {failed}"),
        )
            .into_response(),
    }
}

async fn to_swagger_ui() -> Response {
    (
        StatusCode::MOVED_PERMANENTLY,
        [(LOCATION, HeaderValue::from_static("/swagger-ui/"))],
    )
        .into_response()
}

async fn swagger_ui_file(name: impl AsRef<str>) -> Response {
    let name = name.as_ref();
    match SWAGGER_UI.iter().find(|(file, ..)| *file == name) {
        Some((_, content_type, bytes)) => (
            [
                (CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            Bytes::from_static(bytes),
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            format!("no Swagger UI file {name:?}"),
        )
            .into_response(),
    }
}
