//! The dashboard's files (`assets/dashboard/`), embedded in the binary and served at
//! `/dashboard/{file}`.

use axum::Router;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The page's shell.
pub const PAGE: &str = include_str!("../../assets/dashboard/index.html");

const JS: &str = "text/javascript; charset=utf-8";

/// Name, content type, text.
const FILES: [(&str, &str, &str); 9] = [
    (
        "dashboard.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/dashboard/dashboard.css"),
    ),
    (
        "main.js",
        JS,
        include_str!("../../assets/dashboard/main.js"),
    ),
    ("api.js", JS, include_str!("../../assets/dashboard/api.js")),
    ("ui.js", JS, include_str!("../../assets/dashboard/ui.js")),
    (
        "world.js",
        JS,
        include_str!("../../assets/dashboard/world.js"),
    ),
    (
        "tokens.js",
        JS,
        include_str!("../../assets/dashboard/tokens.js"),
    ),
    (
        "journal.js",
        JS,
        include_str!("../../assets/dashboard/journal.js"),
    ),
    (
        "faults.js",
        JS,
        include_str!("../../assets/dashboard/faults.js"),
    ),
    (
        "controls.js",
        JS,
        include_str!("../../assets/dashboard/controls.js"),
    ),
];

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route(
        "/dashboard/{file}",
        get(|Path(file): Path<String>| async move { file_answer(&file) }),
    )
}

fn file_answer(name: &str) -> Response {
    match FILES.iter().find(|(file, ..)| *file == name) {
        Some((_, content_type, text)) => (
            [
                (CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                (
                    axum::http::header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
            ],
            *text,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, format!("no dashboard file {name:?}")).into_response(),
    }
}
