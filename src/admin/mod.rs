//! The control API (contract §5): everything a test suite or a QA engineer needs to drive the
//! mock, under `/__admin/…`, JSON in and out, documented under the OpenAPI tag "Control API".
//!
//! Every route works on the instance the request addresses ([`crate::app::Inst`]): the root,
//! or a sandbox when called under `/_sandbox/{id}`. Only the sandbox routes themselves are
//! served at the root alone. Errors have one shape, [`AdminError`]:
//! `{"error": "...", "problems": [{"path": "$.x", "reason": "..."}]}` (`problems` only when
//! there is something to list). With `--admin-token`, every route requires the header
//! `X-Admin-Token`.

mod faults;
mod journal;
mod sandboxes;
mod state;
mod tokens;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;
use crate::fixtures::Problem;

pub use journal::JOURNAL_PATH;

/// The OpenAPI tag of every control route.
pub const TAG: &str = "Control API";
/// The header that carries the admin token.
pub const ADMIN_TOKEN_HEADER: &str = "x-admin-token";

/// The routes that work on one instance (root or sandbox).
fn instance_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(state::router())
        .merge(faults::router())
        .merge(journal::router())
        .merge(tokens::router())
}

/// The control API, generated once: the root's routes (every route, sandboxes included), a
/// sandbox's (everything but the sandbox routes), and the document of the root's.
pub struct Routes {
    pub root: Router<AppState>,
    pub sandbox: Router<AppState>,
    pub doc: OpenApi,
}

pub fn routes(state: &AppState) -> Routes {
    let (instance, mut doc) = instance_routes().split_for_parts();
    let (sandboxes, sandboxes_doc) = sandboxes::router().split_for_parts();
    doc.merge(sandboxes_doc);
    let guard = middleware::from_fn_with_state(state.clone(), require_admin_token);
    Routes {
        root: instance.clone().merge(sandboxes).layer(guard.clone()),
        sandbox: instance.layer(guard),
        doc,
    }
}

/// 401 unless the request carries the admin token (when the server has one).
async fn require_admin_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(expected) = &state.0.admin_token {
        let given = req
            .headers()
            .get(ADMIN_TOKEN_HEADER)
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        if !same_secret(given, expected.as_bytes()) {
            return AdminError::new(
                StatusCode::UNAUTHORIZED,
                "this control API requires the admin token in the X-Admin-Token header",
            )
            .into_response();
        }
    }
    next.run(req).await
}

/// Compares without stopping at the first difference, so timing does not leak the token.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The control API's one error type.
#[derive(Debug, Clone)]
pub struct AdminError {
    pub status: StatusCode,
    pub error: String,
    pub problems: Vec<Problem>,
}

/// The control API's error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in one sentence.
    pub error: String,
    /// Each problem with its JSON path (bad rules, bad state documents).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ProblemBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemBody {
    #[schema(example = "$.sites[0].users[3].accountId")]
    pub path: String,
    pub reason: String,
}

impl AdminError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> Self {
        AdminError {
            status,
            error: error.into(),
            problems: Vec::new(),
        }
    }

    pub fn bad_request(error: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error)
    }

    pub fn not_found(error: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, error)
    }

    pub fn with_problems(error: impl Into<String>, problems: Vec<Problem>) -> Self {
        AdminError {
            status: StatusCode::BAD_REQUEST,
            error: error.into(),
            problems,
        }
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let problems = self
            .problems
            .into_iter()
            .map(|p| ProblemBody {
                path: p.path,
                reason: p.reason,
            })
            .collect();
        (
            self.status,
            axum::Json(ErrorBody {
                error: self.error,
                problems,
            }),
        )
            .into_response()
    }
}

pub type AdminResult<T> = Result<T, AdminError>;

/// A JSON body of the control API. Read whatever the `Content-Type` (so `curl -d '{…}'`
/// works without `-H`, mock choice); an empty body reads as `null`, so `Option<T>` bodies
/// may be left out. Bad JSON is a 400 naming the JSON path.
#[derive(Debug)]
pub struct AdminJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AdminJson<T> {
    type Rejection = AdminError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let AdminBody(bytes) = AdminBody::from_request(req, state).await?;
        parse_json(&bytes).map(AdminJson)
    }
}

/// A raw body of the control API, with the body limit answered in the control API's shape.
#[derive(Debug)]
pub struct AdminBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for AdminBody {
    type Rejection = AdminError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state)
            .await
            .map(AdminBody)
            .map_err(|e| AdminError::new(e.status(), e.body_text()))
    }
}

pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> AdminResult<T> {
    let text = if bytes.iter().all(u8::is_ascii_whitespace) {
        &b"null"[..]
    } else {
        bytes
    };
    let invalid = |at: String, reason: String| {
        AdminError::with_problems(
            format!("the request body is not valid: {reason}"),
            vec![Problem::new(at, reason)],
        )
    };
    let mut de = serde_json::Deserializer::from_slice(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." {
            "$".to_string()
        } else {
            format!("$.{path}")
        };
        invalid(at, e.into_inner().to_string())
    })?;
    de.end().map_err(|e| invalid("$".into(), e.to_string()))?;
    Ok(value)
}
