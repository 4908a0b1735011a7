//! The control API (contract §5): everything a test suite or a QA engineer needs to drive the
//! mock, under `/__admin/…`, JSON in and out, documented under the OpenAPI tag "Control API".
//!
//! Every route works on the instance the request addresses ([`crate::instance::Instance`]): the root,
//! or a sandbox when called under `/_sandbox/{id}`. Only the sandbox routes themselves are
//! served at the root alone. Errors have one shape, [`MockError`]:
//! `{"error": "...", "problems": [{"path": "$.x", "reason": "..."}]}` (`problems` only when
//! there is something to list). Every route is behind [`guard`]: its own origin only, the
//! header `X-Admin-Token` with `--admin-token`, and JSON bodies only. `GET /__admin` is the
//! index of every route ([`index`]).

mod faults;
mod guard;
mod index;
mod journal;
mod sandboxes;
mod state;
mod token_list;
mod tokens;
mod usersync_runs;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::body::{self, Unread};
use crate::problem::{MockError, Problem};
use crate::routes;
use crate::routes::Routes;
use crate::state::AppState;

pub use guard::guard;
pub use journal::JOURNAL_PATH;

/// The OpenAPI tag of every control route.
pub const TAG: &str = "Control API";
/// The header that carries the admin token.
pub const ADMIN_TOKEN_HEADER: &str = "x-admin-token";

/// The control routes of one instance (root or sandbox).
pub fn instance_router() -> Routes<AppState> {
    Routes::new()
        // `/__admin/` is the dashboard's, which sends other clients here.
        .routes(routes!(index::control_index))
        .merge(state::router())
        .merge(faults::router())
        .merge(journal::router())
        .merge(tokens::router())
        .merge(token_list::router())
        .merge(usersync_runs::router())
}

/// Sandbox management, served at the root only.
pub fn sandbox_router() -> Routes<AppState> {
    sandboxes::router()
}

pub type AdminResult<T> = Result<T, MockError>;

/// Path parameters of a control route, with a bad one (not UTF-8 once decoded) answered in the
/// control API's shape rather than axum's plain text.
#[derive(Debug)]
pub struct AdminPath<T>(pub T);

impl<T, S> FromRequestParts<S> for AdminPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = MockError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, MockError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(AdminPath(value)),
            Err(rejection) => Err(MockError::bad_request(format!(
                "the path is not valid: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// A JSON body of the control API ([`guard`] let only `application/json` through); an empty
/// body reads as `null`, so `Option<T>` bodies may be left out. Bad JSON is a 400 naming the
/// JSON path.
#[derive(Debug)]
pub struct AdminJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AdminJson<T> {
    type Rejection = MockError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let AdminBody(bytes) = AdminBody::from_request(req, state).await?;
        parse_json(&bytes).map(AdminJson)
    }
}

/// A raw body of the control API, with the body limit answered in the control API's shape.
#[derive(Debug)]
pub struct AdminBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for AdminBody {
    type Rejection = MockError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = match parts.extensions.get::<Unread>() {
            Some(unread) => Err(unread.clone()),
            None => body::read(body, body::ADMIN_LIMIT).await,
        };
        bytes.map(AdminBody).map_err(|unread| {
            let status = match unread {
                Unread::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                Unread::Broken(_) => StatusCode::BAD_REQUEST,
            };
            MockError::new(status, unread.to_string())
        })
    }
}

pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> AdminResult<T> {
    let text = if bytes.iter().all(u8::is_ascii_whitespace) {
        &b"null"[..]
    } else {
        bytes
    };
    let invalid = |at: String, reason: String| {
        MockError::with_problems(
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
