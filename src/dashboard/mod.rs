//! The QA dashboard: a page for browsers at the control API's root, `GET /__admin/` with
//! `Accept: text/html` (and `/_sandbox/{id}/__admin/` for a sandbox), that shows the instance
//! live and drives it. How the parts fit:
//!
//! - **the page** ([`page`]) is a static shell; everything it shows it reads, and everything
//!   it changes it changes, through the control API itself (`fetch`, JSON, same origin), so
//!   the dashboard can do nothing a test cannot. It polls every 2 seconds. With
//!   `--admin-token` the page asks for the token once, keeps it in `sessionStorage` and sends
//!   it as `X-Admin-Token`, never in a URL. The page itself needs no token: it holds nothing.
//! - **the assets** (`assets/dashboard/`: a few ES modules and one style sheet) are embedded in
//!   the binary and served at `/dashboard/…` like Swagger UI's files: documents that belong
//!   to no instance, not journaled.
//! - **watching without being seen**: the page's polling reads carry [`QUIET_HEADER`]; such a
//!   `GET` of a control route is neither journaled nor counted by fault rules (mock choice,
//!   like reading the journal), so that an open dashboard neither floods the journal nor
//!   moves a rule's `nth`. Its writes (a rule added, a token minted) are journaled as any.
//! - the roster diff of a usersync entry comes from [`crate::roster_changes`], the PAT list
//!   from `GET /__admin/tokens`.
//!
//! **Why vanilla JS, no framework and no template crate:** the page is five tables and a few
//! forms over a JSON API that exists already; plain ES modules (about a thousand lines) need
//! no build step, so `cargo build` needs no Node toolchain, nothing is vendored but our own
//! code, and the strict `Content-Security-Policy` (no inline script, `default-src 'self'`)
//! holds without exceptions.

mod assets;

use axum::extract::OriginalUri;
use axum::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

pub use assets::router as assets_router;

/// The header the page's polling reads carry; see the module docs.
pub const QUIET_HEADER: &str = "x-mock-dashboard";
/// Where the assets are served.
pub const ASSETS_PREFIX: &str = "/dashboard/";

/// The policy of the page: its own scripts, styles and connections only, no inline script,
/// no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The page's route, on every instance (nested under `/_sandbox/{id}` for a sandbox).
pub fn page_router() -> axum::Router<AppState> {
    axum::Router::new().route("/__admin/", get(page))
}

/// Whether a request is one of the page's polling reads ([`QUIET_HEADER`] on a `GET`).
pub fn is_quiet(method: &Method, headers: &HeaderMap) -> bool {
    *method == Method::GET && headers.contains_key(QUIET_HEADER)
}

/// Whether the request is a browser's (its `Accept` names `text/html`).
pub fn wants_page(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("text/html"))
}

/// `GET /__admin/`: the page for a browser. Any other client is sent to the control API's
/// index at `/__admin` (which asks for the admin token when the server has one); the page
/// itself needs none, it asks for it.
async fn page(OriginalUri(uri): OriginalUri, headers: HeaderMap) -> Response {
    if !wants_page(&headers) {
        let index = uri.path().trim_end_matches('/');
        return axum::response::Redirect::permanent(index).into_response();
    }
    (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-cache"),
        ],
        [
            ("content-security-policy", CSP),
            ("x-frame-options", "DENY"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "same-origin"),
        ],
        assets::PAGE,
    )
        .into_response()
}
