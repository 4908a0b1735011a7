//! Swagger UI's **Authorize**, as on the real service (the help article "Stack Overflow for
//! Teams API v3", "Swagger UI authorization"): the OpenAPI document declares an OAuth2
//! implicit flow ([`crate::openapi`], scopes `write_access` and `access_team`) whose
//! authorization URL is this consent page, and Swagger UI's initializer names the client id
//! ([`CLIENT_ID`]), so the dialog works offline.
//!
//! 1. `GET /oauth/dialog?response_type=token&client_id=…&redirect_uri=…&scope=…&state=…`
//!    checks the request ([`Request::check`]): a bad one gets a 400 page that says what is
//!    wrong, never a redirect, so the page cannot hand a token to another site;
//! 2. without `account`, the page asks which account signs in (the mock has no passwords);
//!    with it, it lists that account's sites and whether write access is possible on each;
//! 3. `POST /oauth/dialog` (the consent form, form-encoded, refused from another `Origin`)
//!    approves, which mints Swagger UI's PAT ([`grant`]) and redirects to Swagger UI's
//!    `oauth2-redirect.html` with `#access_token=…&token_type=bearer&expires_in=86400&state=…`,
//!    or denies, which redirects with `#error=access_denied&state=…`.
//!
//! The pages are rendered on the server ([`page`]) with no script at all, under a strict
//! `Content-Security-Policy`. The routes work per instance, like every other: under
//! `/_sandbox/{id}` the PAT is minted in that sandbox.

pub mod grant;
mod page;

use axum::Form;
use axum::extract::Query;
use axum::http::header::{HOST, LOCATION, ORIGIN};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use crate::domain::AccountId;
use crate::instance::Instance;
use crate::state::AppState;
use grant::Choice;

/// The client id Swagger UI's initializer sends ("Leave Client ID unchanged").
pub const CLIENT_ID: &str = "swagger-ui";
/// The only redirect target accepted: this server's own Swagger UI.
pub const REDIRECT_PATH: &str = "/swagger-ui/oauth2-redirect.html";
/// The consent page.
pub const DIALOG_PATH: &str = "/oauth/dialog";
/// The scopes, as the OpenAPI document declares them.
pub const SCOPES: [(&str, &str); 2] = [
    (
        "write_access",
        "Read and write (Business and Enterprise; never on Basic teams)",
    ),
    ("access_team", "Access one team, chosen on the consent page"),
];

pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route(DIALOG_PATH, get(dialog).post(decide))
}

/// The parameters of an authorization request (query on `GET`, form fields on `POST`).
#[derive(Debug, Default, Deserialize)]
pub struct Request {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    /// Who signs in (step 2 on).
    account: Option<String>,
    /// The site chosen (the form's `POST`).
    site: Option<String>,
    /// `approve` or `deny` (the form's `POST`).
    decision: Option<String>,
}

/// A request that passed [`Request::check`].
#[derive(Debug)]
struct Checked {
    redirect_uri: String,
    write_access: bool,
}

impl Request {
    /// The checks of the module docs, in this order; `Err` is the 400 page's message.
    fn check(&self, headers: &HeaderMap) -> Result<Checked, String> {
        match self.client_id.as_deref() {
            None | Some("") => return Err("client_id is missing".into()),
            Some(CLIENT_ID) => {}
            Some(other) => {
                return Err(format!(
                    "client_id {other:?} is not a client of this server; Swagger UI's is {CLIENT_ID:?} (leave the Client ID unchanged)"
                ));
            }
        }
        let redirect_uri = match self.redirect_uri.as_deref() {
            None | Some("") => return Err("redirect_uri is missing".into()),
            Some(uri) if is_own_redirect(uri, headers) => uri.to_string(),
            Some(uri) => {
                return Err(format!(
                    "redirect_uri {uri:?} is not this server's Swagger UI ({REDIRECT_PATH} on this host and port): \
                     the token would go to another site"
                ));
            }
        };
        if self.response_type.as_deref() != Some("token") {
            return Err(format!(
                "response_type {:?} is not supported: Swagger UI's implicit flow asks for \"token\"",
                self.response_type.as_deref().unwrap_or("")
            ));
        }
        let scopes: Vec<&str> = self
            .scope
            .as_deref()
            .unwrap_or_default()
            .split([' ', ',', '+'])
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(unknown) = scopes
            .iter()
            .find(|s| !SCOPES.iter().any(|(name, _)| name == *s))
        {
            return Err(format!(
                "scope {unknown:?} is unknown: the scopes are write_access and access_team"
            ));
        }
        if !scopes.contains(&"access_team") {
            return Err(
                "the scope access_team is missing: tick it, a Swagger UI token is for one team"
                    .into(),
            );
        }
        Ok(Checked {
            redirect_uri,
            write_access: scopes.contains(&"write_access"),
        })
    }
}

/// `/swagger-ui/oauth2-redirect.html`, as a path or on this server's own origin (the same
/// host and port as `Host`).
fn is_own_redirect(uri: &str, headers: &HeaderMap) -> bool {
    let path = match uri.split_once("://") {
        None => uri,
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let Ok(origin) = HeaderValue::from_str(&format!("{scheme}://{authority}")) else {
                return false;
            };
            if !crate::host::same_origin(&origin, headers.get(HOST)) {
                return false;
            }
            path
        }
    };
    path == REDIRECT_PATH
}

/// `GET /oauth/dialog`: step 1 (who signs in) or step 2 (which team, approve or deny).
async fn dialog(inst: Instance, headers: HeaderMap, Query(req): Query<Request>) -> Response {
    let checked = match req.check(&headers) {
        Ok(checked) => checked,
        Err(why) => return page::refused(StatusCode::BAD_REQUEST, &why),
    };
    let Some(account) = req.account.as_deref() else {
        let accounts = inst.store.read(|w| {
            w.accounts
                .iter()
                .filter(|a| !a.is_deactivated && !grant::choices(w, a.account_id).is_empty())
                .map(|a| (a.account_id, a.name.clone()))
                .collect::<Vec<_>>()
        });
        return page::sign_in(&req, &accounts);
    };
    match signed_in(&inst, account) {
        Ok((id, name, choices)) => page::consent(&req, id, &name, &choices, checked.write_access),
        Err(why) => page::refused(StatusCode::BAD_REQUEST, &why),
    }
}

/// The account signing in, its name and its sites; `Err` when it cannot sign in.
fn signed_in(inst: &Instance, account: &str) -> Result<(AccountId, String, Vec<Choice>), String> {
    let id: AccountId = account
        .parse()
        .map_err(|_| format!("account {account:?} is not an account id"))?;
    inst.store.read(|w| {
        let found = w
            .accounts
            .get(id)
            .ok_or_else(|| format!("there is no account {id}"))?;
        if found.is_deactivated {
            return Err(format!("{} is deactivated and cannot sign in", found.name));
        }
        let choices = grant::choices(w, id);
        if choices.is_empty() {
            return Err(format!("{} is a user of no site", found.name));
        }
        Ok((id, found.name.clone(), choices))
    })
}

/// `POST /oauth/dialog`: the consent form's Approve or Deny.
async fn decide(inst: Instance, headers: HeaderMap, Form(req): Form<Request>) -> Response {
    if let Some(origin) = headers.get(ORIGIN)
        && !crate::host::same_origin(origin, headers.get(HOST))
    {
        return page::refused(
            StatusCode::FORBIDDEN,
            "the consent form answers only its own origin: another web page cannot approve for you",
        );
    }
    let checked = match req.check(&headers) {
        Ok(checked) => checked,
        Err(why) => return page::refused(StatusCode::BAD_REQUEST, &why),
    };
    let state = req.state.as_deref().unwrap_or_default();
    match req.decision.as_deref() {
        Some("deny") => {
            return redirect(
                &checked.redirect_uri,
                &[("error", "access_denied"), ("state", state)],
            );
        }
        Some("approve") => {}
        _ => return page::refused(StatusCode::BAD_REQUEST, "decision must be approve or deny"),
    }
    let (id, _, choices) = match signed_in(&inst, req.account.as_deref().unwrap_or_default()) {
        Ok(found) => found,
        Err(why) => return page::refused(StatusCode::BAD_REQUEST, &why),
    };
    let site = req.site.as_deref().unwrap_or_default();
    let Some(choice) = choices.iter().find(|c| c.slug == site) else {
        return page::refused(
            StatusCode::BAD_REQUEST,
            &format!("choose a team this account belongs to (not {site:?})"),
        );
    };
    let now = inst.store.now();
    let minted = inst
        .store
        .update(|w| grant::authorize(w, id, choice, checked.write_access, now));
    match minted {
        Ok(token) => {
            let scope = req.scope.as_deref().unwrap_or_default();
            let expires_in = grant::LIFETIME_SECONDS.to_string();
            redirect(
                &checked.redirect_uri,
                &[
                    ("access_token", token.token.as_str()),
                    ("token_type", "bearer"),
                    ("expires_in", expires_in.as_str()),
                    ("scope", scope),
                    ("state", state),
                ],
            )
        }
        Err(e) => page::refused(StatusCode::CONFLICT, &e.to_string()),
    }
}

/// What a fragment value escapes: all but RFC 3986's unreserved characters.
const FRAGMENT_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// 303 to `uri` with `fields` in the fragment, as an implicit grant answers.
fn redirect(uri: &str, fields: &[(&str, &str)]) -> Response {
    let fragment: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, FRAGMENT_VALUE)))
        .collect();
    let location = format!("{uri}#{}", fragment.join("&"));
    match HeaderValue::from_str(&location) {
        Ok(location) => (
            StatusCode::SEE_OTHER,
            [(LOCATION, location)],
            page::security_headers(),
        )
            .into_response(),
        Err(_) => page::refused(
            StatusCode::BAD_REQUEST,
            "the redirect_uri cannot be a header",
        ),
    }
}
