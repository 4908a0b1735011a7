//! A usersync call as the edge reads it, once (contract §4). The pipeline reads every usersync
//! request with [`UsersyncCall::read`] before it decides on faults, so the journal, the fault
//! rules (which match on the teams a call names) and the handler all use this one reading.
//!
//! Where the parameters come from: the form body (`application/x-www-form-urlencoded`, or
//! `multipart/form-data`; a body without a content type is read as a form, as `curl --data`
//! sends it), then the query string; the credentials also from the headers
//! `X-API-Access-Token` / `X-API-Key`, which the one public usersync client uses (api-notes
//! §7.2). Parameter names match in any case (mock choice, as ASP.NET binds).
//!
//! A credential (`access_token`, `key`) sent twice with two different values, in one place or
//! two, is a [`Conflict`] the handler refuses (mock choice), rather than a value picked by
//! precedence: a call that sends one token in a header and another in the form has a bug the
//! caller wants to hear about. Identical duplicates and empty values are no conflict.
//!
//! `requestsJson` is read into the engine's [`TeamRequest`]s: a JSON array, percent-decoded
//! once more if a client encoded it itself before form-encoding; each entry is read on its own
//! with property names in any case, so one malformed entry fails only its team.
//!
//! Reading never fails: what cannot be read is remembered ([`UsersyncCall::body_problem`],
//! [`UsersyncCall::requests`]) and answered by the handler in the contract's order.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use super::credentials::{Conflict, KEY_HEADER, TOKEN_HEADER, one_value};
use crate::body::{self, Unread};
use crate::credentials::mask_fields;
use crate::domain::usersync::TeamRequest;
use crate::journal::BODY_BOUND;

/// The most fields a usersync body and query string may carry together (mock limit, README
/// "Limits"): each is kept for the call, and a body of tiny fields would cost far more memory
/// than its size.
pub const FIELDS_MAX: usize = 64;

/// A body from this size on is large: once answered, the memory its reading took is handed
/// back to the system ([`UsersyncCall::is_large`]).
const LARGE: usize = 1 << 20;

/// A usersync call as read; see the module docs.
#[derive(Debug, Clone)]
pub struct UsersyncCall {
    /// Body fields first, then query fields, names and values decoded.
    fields: Vec<(String, String)>,
    /// How many of [`UsersyncCall::fields`] came from the body.
    body_fields: usize,
    /// Every `X-API-Access-Token` header's value (a header may be sent twice).
    token_headers: Vec<String>,
    /// Every `X-API-Key` header's value.
    key_headers: Vec<String>,
    body_problem: Option<String>,
    /// `requestsJson` read, or why it could not be.
    requests: Result<Vec<TeamRequest>, String>,
    /// Whether [`UsersyncCall::shorten`] cut a field.
    shortened: bool,
    /// Whether the body was [`LARGE`].
    large: bool,
}

impl UsersyncCall {
    /// Reads a call from its headers, query string and body (or why the body was not read).
    pub fn read(
        headers: &HeaderMap,
        query: Option<&str>,
        body: Result<Bytes, Unread>,
    ) -> UsersyncCall {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let every = |name: &str| -> Vec<String> {
            headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(str::to_string)
                .collect()
        };
        let mut body_problem = None;
        let large = body.as_ref().is_ok_and(|b| b.len() >= LARGE);
        let mut fields = match body {
            Ok(bytes) => {
                let content_type = header(CONTENT_TYPE.as_str()).unwrap_or_default();
                read_form(&content_type, bytes).unwrap_or_else(|problem| {
                    body_problem = Some(problem);
                    Vec::new()
                })
            }
            Err(unread) => {
                body_problem = Some(unread.to_string());
                Vec::new()
            }
        };
        // The body is dropped by now: only what was decoded from it is kept.
        let body_fields = fields.len();
        let query = query.unwrap_or_default().as_bytes();
        if let Err(problem) = url_encoded(query, &mut fields) {
            body_problem.get_or_insert(format!("the query string {problem}"));
        }
        let mut call = UsersyncCall {
            fields,
            body_fields,
            token_headers: every(TOKEN_HEADER),
            key_headers: every(KEY_HEADER),
            body_problem,
            requests: Ok(Vec::new()),
            shortened: false,
            large,
        };
        call.requests = requests_json(call.get("requestsJson"));
        call.shortened = call.shorten();
        call
    }

    /// Cuts every field but the credentials and `dryRun` to [`BODY_BOUND`] bytes, once
    /// `requestsJson` is read: the journal shows no more, and a 32 MiB roster should not stay
    /// in memory twice. Whether anything was cut.
    fn shorten(&mut self) -> bool {
        let mut cut = false;
        for (name, value) in &mut self.fields {
            let kept = ["access_token", "key", "dryRun"]
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name));
            if !kept && value.len() > BODY_BOUND {
                let mut at = BODY_BOUND;
                while !value.is_char_boundary(at) {
                    at -= 1;
                }
                value.truncate(at);
                value.shrink_to_fit();
                cut = true;
            }
        }
        cut
    }

    /// Whether the body was large (1 MiB or more): its memory is worth returning to the
    /// system once the call is done ([`crate::memory::return_freed_memory`]).
    pub fn is_large(&self) -> bool {
        self.large
    }

    /// The first value of `name`, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `access_token` from the form, the query or the `X-API-Access-Token` header; a
    /// [`Conflict`] when two of its values differ.
    pub fn access_token(&self) -> Result<Option<&str>, Conflict> {
        let fields = (self.fields.as_slice(), self.body_fields);
        one_value(fields, ("access_token", TOKEN_HEADER), &self.token_headers)
    }

    /// `key` from the form, the query or the `X-API-Key` header; a [`Conflict`] when two of
    /// its values differ.
    pub fn key(&self) -> Result<Option<&str>, Conflict> {
        let fields = (self.fields.as_slice(), self.body_fields);
        one_value(fields, ("key", KEY_HEADER), &self.key_headers)
    }

    /// Why the body or the query string could not be read, if it could not.
    pub fn body_problem(&self) -> Option<&str> {
        self.body_problem.as_deref()
    }

    /// The team entries of `requestsJson`, or why it is not a usable array.
    pub fn requests(&self) -> Result<&[TeamRequest], &str> {
        self.requests.as_deref().map_err(String::as_str)
    }

    /// The teams the call names, in order (entries without a usable `Team` name none).
    pub fn teams(&self) -> Vec<String> {
        self.requests
            .iter()
            .flatten()
            .filter_map(|r| r.team_name().map(str::to_string))
            .collect()
    }

    /// The call as the journal shows it: the decoded fields as a JSON object (credentials
    /// masked, `requestsJson` parsed when it is JSON and whole), cut at [`BODY_BOUND`]
    /// characters; and whether anything was cut.
    pub fn journal_body(&self) -> (String, bool) {
        let mut shown = Map::new();
        for (name, value) in mask_fields(&self.fields) {
            let value = if name.eq_ignore_ascii_case("requestsJson") && !self.shortened {
                serde_json::from_str(&value).unwrap_or(Value::String(value))
            } else {
                Value::String(value)
            };
            shown.entry(name).or_insert(value);
        }
        let mut text = Value::Object(shown).to_string();
        let mut cut = self.shortened;
        if let Some((at, _)) = text.char_indices().nth(BODY_BOUND) {
            text.truncate(at);
            cut = true;
        }
        (text, cut)
    }
}

/// The handler's reading: the one the pipeline made, or (outside the pipeline) its own.
impl<S: Send + Sync> FromRequest<S> for UsersyncCall {
    type Rejection = std::convert::Infallible;

    async fn from_request(mut req: Request, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(call) = req.extensions_mut().remove::<UsersyncCall>() {
            return Ok(call);
        }
        let (parts, body) = req.into_parts();
        let body = body::read(body, body::USERSYNC_LIMIT).await;
        Ok(UsersyncCall::read(&parts.headers, parts.uri.query(), body))
    }
}

/// The fields of a form body, by its content type.
fn read_form(content_type: &str, bytes: Bytes) -> Result<Vec<(String, String)>, String> {
    let essence = body::essence(content_type);
    if essence == "multipart/form-data" {
        return super::multipart::fields(content_type, &bytes, FIELDS_MAX)
            .map_err(|e| format!("the multipart body is malformed: {e}"));
    }
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    if !essence.is_empty() && essence != "application/x-www-form-urlencoded" {
        return Err(format!(
            "unsupported content type {essence:?}: send application/x-www-form-urlencoded or multipart/form-data"
        ));
    }
    let mut fields = Vec::new();
    url_encoded(&bytes, &mut fields).map_err(|problem| format!("the form body {problem}"))?;
    Ok(fields)
}

/// Appends the fields of a url-encoded form or query string, at most [`FIELDS_MAX`] in all.
fn url_encoded(text: &[u8], fields: &mut Vec<(String, String)>) -> Result<(), String> {
    for (name, value) in form_urlencoded::parse(text) {
        if fields.len() == FIELDS_MAX {
            return Err(format!(
                "has more than {FIELDS_MAX} fields (mock limit; usersync takes four)"
            ));
        }
        fields.push((name.into_owned(), value.into_owned()));
    }
    Ok(())
}

/// `requestsJson` read into team entries ([`requests_json`]); `Err` says why it is not a
/// usable JSON array.
fn requests_json(raw: Option<&str>) -> Result<Vec<TeamRequest>, String> {
    let raw = raw
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            "missing: send a JSON array with one {\"Team\", \"Members\"} entry per team".to_string()
        })?;
    if raw.starts_with('[') || !raw.contains('%') {
        return super::requests_json::read(raw);
    }
    let decoded = String::from_utf8(form_decode(raw))
        .map_err(|e| format!("not valid UTF-8 once percent-decoded ({e})"))?;
    super::requests_json::read(decoded.trim())
}

/// Form decoding (`+` is a space, `%XX` a byte) in one pass into one buffer.
fn form_decode(raw: &str) -> Vec<u8> {
    let hex = |c: u8| char::from(c).to_digit(16);
    let raw = raw.as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i..] {
            [b'+', ..] => out.push(b' '),
            [b'%', h, l, ..] if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.extend(u8::try_from(value));
                i += 2;
            }
            [b, ..] => out.push(b),
            [] => break,
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests;
