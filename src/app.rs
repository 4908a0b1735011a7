//! The app: one service, which the binary, [`crate::MockServer`] and every test serve the same
//! way ([`crate::server::serve`]). Request logs are a layer switched on or off by
//! configuration, not another kind of app.
//!
//! What a request crosses, outermost first:
//!
//! 1. **request logs** ([`crate::logging::RequestLogLayer`]), when [`Options::request_logs`]
//!    names where they go;
//! 2. the **pipeline** ([`pipeline::PipelineLayer`]): the `Host` check (DNS rebinding), the
//!    instance (root or sandbox), the body read once, fault rules, journal, v3 rate limits and
//!    the v3 read cache; the documents (`/openapi.json`, Swagger UI) pass through it after the
//!    `Host` check only;
//! 3. the **router**: the documents, the root instance's routes, and under
//!    `/_sandbox/{sandbox}` a nested copy of an instance's routes (without sandbox
//!    management), which serves the path inside the sandbox; an instance's routes include
//!    the dashboard's page ([`dashboard`]) and Swagger UI's consent page ([`oauth`]), outside
//!    the control routes' guard (the page holds nothing; the consent form checks `Origin`);
//! 4. the control routes behind their **guard** ([`admin::guard`]: same origin, admin token,
//!    JSON bodies);
//! 5. a **panic guard** around every route: a handler that panics answers a 500 that says so
//!    (journaled like any answer) and the instance goes on serving.
//!
//! [`Options::request_logs`]: crate::state::Options::request_logs

use std::any::Any;
use std::convert::Infallible;
use std::sync::OnceLock;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{Response, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use tower::util::option_layer;
use tower::{Layer, Service};
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::openapi::OpenApi;

use crate::logging::RequestLogLayer;
use crate::pipeline::PipelineLayer;
use crate::routes::Docs;
use crate::state::AppState;
use crate::{admin, api, dashboard, docs, oauth, openapi};

/// The app as a service: what [`app`] returns.
pub trait App:
    Service<
        Request,
        Response = axum::response::Response,
        Error = Infallible,
        Future: Send + 'static,
    > + Clone
    + Send
    + Sync
    + 'static
{
}

impl<S> App for S where
    S: Service<
            Request,
            Response = axum::response::Response,
            Error = Infallible,
            Future: Send + 'static,
        > + Clone
        + Send
        + Sync
        + 'static
{
}

/// The whole app; see the module docs.
pub fn app(state: AppState) -> impl App {
    let parts = Parts::new(&state);
    let router = Router::new()
        .nest(crate::sandbox::ROUTE, parts.instance.clone())
        .merge(parts.instance.merge(parts.root_only))
        .with_state(state.clone())
        .merge(docs::router(&SERVED_DOCUMENT, served_document))
        .merge(dashboard::assets_router());
    let logs = state.options.request_logs.map(RequestLogLayer::new);
    option_layer(logs).layer(PipelineLayer::new(state).layer(router))
}

/// The OpenAPI document of the app, as served at `/openapi.json`.
pub fn document() -> OpenApi {
    let state = AppState::new(Default::default(), Default::default(), Default::default());
    let mut doc = openapi::base();
    Parts::new(&state).docs.document(&mut doc);
    openapi::finish(doc)
}

/// The document as served: generated and serialised on its first request, once per process
/// (it is the same for every instance; [`crate::routes`] says why it is not generated at
/// start-up).
static SERVED_DOCUMENT: OnceLock<Bytes> = OnceLock::new();

/// Makes the served document: [`document`], serialised.
fn served_document() -> Bytes {
    let json = document()
        .to_json()
        .expect("the OpenAPI document serialises");
    Bytes::from(json)
}

/// The routes, and their documentation to generate when asked for.
struct Parts {
    /// An instance's routes (root or sandbox).
    instance: Router<AppState>,
    /// What only the root serves: sandbox management.
    root_only: Router<AppState>,
    /// The documentation of the root's routes.
    docs: Docs,
}

impl Parts {
    fn new(state: &AppState) -> Parts {
        let guard = from_fn_with_state(state.clone(), admin::guard);
        let (v3, mut docs) = api::v3::router().split_for_parts();
        let (v2, v2_docs) = api::v2::router().split_for_parts();
        let (control, control_docs) = admin::instance_router().split_for_parts();
        let (sandboxes, sandboxes_docs) = admin::sandbox_router().split_for_parts();
        for part in [v2_docs, control_docs, sandboxes_docs] {
            docs.merge(part);
        }
        let instance = v3
            .merge(v2)
            .merge(control.route_layer(guard.clone()))
            .merge(dashboard::page_router())
            .merge(oauth::router())
            .route("/", get(api::index))
            .fallback(api::no_route)
            .method_not_allowed_fallback(api::wrong_method)
            .layer(CatchPanicLayer::custom(panicked));
        let root_only = sandboxes
            .route_layer(guard)
            .layer(CatchPanicLayer::custom(panicked));
        Parts {
            instance,
            root_only,
            docs,
        }
    }
}

/// The answer of a route that panicked: a 500 ProblemDetails that says so. The instance goes
/// on serving (every lock the mock takes survives a panic: they are taken poison-tolerant).
fn panicked(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    tracing::error!(panic = what, "a route panicked");
    let body = serde_json::json!({
        "type": "/v3/errors/internal",
        "title": "Internal Server Error",
        "status": 500,
        "detail": format!("soteams-mock panicked while answering this request ({what}); the mock goes on serving. Please report it."),
    });
    let mut res = Response::new(Body::from(body.to_string()));
    *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    res.headers_mut().insert(
        CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/problem+json"),
    );
    res
}

#[cfg(test)]
mod tests {
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;
    use crate::journal::Filter;

    async fn boom() -> &'static str {
        panic!("the handler broke")
    }

    /// A route that panics answers the guard's 500, the pipeline journals that answer, and the
    /// same service answers the next request.
    #[tokio::test]
    async fn a_panicking_route_answers_a_500_that_says_so_and_is_journaled() {
        let state = AppState::new(Default::default(), Default::default(), Default::default());
        let routes = Router::new()
            .route("/api/v3/boom", get(boom))
            .route("/api/v3/fine", get(|| async { "fine" }))
            .layer(CatchPanicLayer::custom(panicked));
        let app = PipelineLayer::new(state.clone()).layer(routes);
        let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();

        let res = app.clone().oneshot(get("/api/v3/boom")).await.unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(res.headers()[CONTENT_TYPE], "application/problem+json");
        let body = axum::body::to_bytes(res.into_body(), 1 << 16)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["status"], 500);
        let detail = body["detail"].as_str().unwrap();
        assert!(
            detail.contains("panicked") && detail.contains("the handler broke"),
            "{detail}"
        );

        let res = app.oneshot(get("/api/v3/fine")).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let found = state.root.journal.find(&Filter::default());
        let statuses: Vec<Option<u16>> = found.requests.iter().map(|e| e.status).collect();
        assert_eq!(statuses, [Some(500), Some(200)]);
    }
}
