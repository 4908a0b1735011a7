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
//! `requestsJson` is read into the engine's [`TeamRequest`]s: a JSON array, percent-decoded
//! once more if a client encoded it itself before form-encoding; each entry is read on its own
//! with property names in any case, so one malformed entry fails only its team.
//!
//! Reading never fails: what cannot be read is remembered ([`UsersyncCall::body_problem`],
//! [`UsersyncCall::requests`]) and answered by the handler in the contract's order.

use std::borrow::Cow;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::body::{self, Unread};
use crate::credentials::mask_fields;
use crate::domain::Role;
use crate::domain::usersync::{Member, TeamRequest};

/// A usersync call as read; see the module docs.
#[derive(Debug, Clone)]
pub struct UsersyncCall {
    /// Body fields first, then query fields, names and values decoded.
    fields: Vec<(String, String)>,
    token_header: Option<String>,
    key_header: Option<String>,
    body_problem: Option<String>,
    /// `requestsJson` read, or why it could not be.
    requests: Result<Vec<TeamRequest>, String>,
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
        let mut body_problem = None;
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
        match serde_urlencoded::from_str::<Vec<(String, String)>>(query.unwrap_or_default()) {
            Ok(query) => fields.extend(query),
            Err(e) => {
                body_problem.get_or_insert(format!("the query string is malformed: {e}"));
            }
        }
        let mut call = UsersyncCall {
            fields,
            token_header: header("x-api-access-token"),
            key_header: header("x-api-key"),
            body_problem,
            requests: Ok(Vec::new()),
        };
        call.requests = requests_json(call.get("requestsJson"));
        call
    }

    /// The first value of `name`, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `access_token` from the form or query, else the `X-API-Access-Token` header.
    pub fn access_token(&self) -> Option<&str> {
        non_empty(self.get("access_token")).or(non_empty(self.token_header.as_deref()))
    }

    /// `key` from the form or query, else the `X-API-Key` header.
    pub fn key(&self) -> Option<&str> {
        non_empty(self.get("key")).or(non_empty(self.key_header.as_deref()))
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
    /// masked, `requestsJson` parsed when it is JSON).
    pub fn journal_body(&self) -> String {
        let mut shown = Map::new();
        for (name, value) in mask_fields(&self.fields) {
            let value = if name.eq_ignore_ascii_case("requestsJson") {
                serde_json::from_str(&value).unwrap_or(Value::String(value))
            } else {
                Value::String(value)
            };
            shown.entry(name).or_insert(value);
        }
        Value::Object(shown).to_string()
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

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The fields of a form body, by its content type.
fn read_form(content_type: &str, bytes: Bytes) -> Result<Vec<(String, String)>, String> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "multipart/form-data" {
        return super::multipart::fields(content_type, &bytes)
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
    serde_urlencoded::from_bytes(&bytes).map_err(|e| format!("the form body is malformed: {e}"))
}

/// `requestsJson` read into team entries; `Err` says why it is not a usable JSON array.
fn requests_json(raw: Option<&str>) -> Result<Vec<TeamRequest>, String> {
    let raw = raw
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            "missing: send a JSON array with one {\"Team\", \"Members\"} entry per team".to_string()
        })?;
    let text: Cow<str> = if raw.starts_with('[') || !raw.contains('%') {
        Cow::Borrowed(raw)
    } else {
        let plus_as_space = raw.replace('+', " ");
        let decoded = percent_decode_str(&plus_as_space)
            .decode_utf8()
            .map_err(|e| format!("not valid UTF-8 once percent-decoded ({e})"))?;
        Cow::Owned(decoded.trim().to_string())
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(entries)) => Ok(entries.iter().map(team_request).collect()),
        Ok(other) => Err(format!(
            "must be a JSON array of team entries, not {}",
            json_kind(&other)
        )),
        Err(e) => Err(format!("not valid JSON ({e})")),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One entry: `{"Team": "…", "Members": [{"UserIdentifier": "…", "Level": "…"}]}`.
fn team_request(entry: &Value) -> TeamRequest {
    TeamRequest {
        team: team_of(entry),
        members: members_of(entry),
    }
}

fn team_of(entry: &Value) -> Result<String, String> {
    let entry = object(entry, "the entry")?;
    match field(entry, "Team") {
        None | Some(Value::Null) => Err("the entry has no \"Team\"".into()),
        Some(Value::String(team)) if !team.trim().is_empty() => Ok(team.trim().to_string()),
        Some(other) => Err(format!(
            "\"Team\" must be a non-empty string, not {}",
            short(other)
        )),
    }
}

fn members_of(entry: &Value) -> Result<Vec<Member>, String> {
    let entry = object(entry, "the entry")?;
    let members = match field(entry, "Members") {
        None | Some(Value::Null) => return Err("the entry has no \"Members\" array".into()),
        Some(Value::Array(members)) => members,
        Some(other) => {
            return Err(format!(
                "\"Members\" must be an array, not {}",
                short(other)
            ));
        }
    };
    members
        .iter()
        .enumerate()
        .map(|(i, m)| member(i, m))
        .collect()
}

fn member(index: usize, value: &Value) -> Result<Member, String> {
    let which = format!("member #{} of \"Members\"", index + 1);
    let m = object(value, &which)?;
    // Mock choice: a number is taken as its text (an account id), as .NET would convert it.
    let identifier = match field(m, "UserIdentifier") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => return Err(format!("{which} has no \"UserIdentifier\"")),
        Some(other) => {
            return Err(format!(
                "{which} has an invalid \"UserIdentifier\": {}",
                short(other)
            ));
        }
    };
    let role = match field(m, "Level") {
        Some(Value::String(level)) => parse_level(level).ok_or_else(|| {
            format!("{which} ({identifier}) has an unknown \"Level\" {level:?}: use Member, Moderator or Admin")
        })?,
        None | Some(Value::Null) => return Err(format!("{which} ({identifier}) has no \"Level\"")),
        Some(other) => {
            return Err(format!(
                "{which} ({identifier}) has an invalid \"Level\": {}",
                short(other)
            ));
        }
    };
    Ok(Member { identifier, role })
}

/// `Level`, in any case: `Member` → `Registered`, `Moderator`, `Admin`.
pub fn parse_level(level: &str) -> Option<Role> {
    match level.trim().to_ascii_lowercase().as_str() {
        "member" => Some(Role::Registered),
        "moderator" => Some(Role::Moderator),
        "admin" => Some(Role::Admin),
        _ => None,
    }
}

fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("{what} must be a JSON object, not {}", short(value)))
}

/// A property by name, the exact spelling first, then ignoring case (mock choice: the real
/// service's .NET JSON reader matches names without case by default).
fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// A JSON value for a message, cut to a readable length.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(entry: Value) -> TeamRequest {
        team_request(&entry)
    }

    #[test]
    fn malformed_entries_say_what_is_wrong_and_keep_their_team() {
        let cases = [
            (json!("productone"), None, "must be a JSON object"),
            (json!({"Members": []}), None, "no \"Team\""),
            (
                json!({"Team": "productone"}),
                Some("productone"),
                "no \"Members\"",
            ),
            (
                json!({"Team": "productone", "Members": {}}),
                Some("productone"),
                "must be an array",
            ),
            (
                json!({"Team": "productone", "Members": [{"Level": "Admin"}]}),
                Some("productone"),
                "no \"UserIdentifier\"",
            ),
            (
                json!({"Team": "productone", "Members": [{"UserIdentifier": "ada", "Level": "Owner"}]}),
                Some("productone"),
                "unknown \"Level\"",
            ),
            (
                json!({"Team": "productone", "Members": [{"UserIdentifier": "ada"}]}),
                Some("productone"),
                "no \"Level\"",
            ),
        ];
        for (value, team, why) in cases {
            let request = read(value.clone());
            assert_eq!(request.team_name(), team, "{value}");
            let problem = match (&request.team, &request.members) {
                (Err(p), _) | (_, Err(p)) => p.clone(),
                _ => panic!("{value} read as well-formed"),
            };
            assert!(
                problem.contains(why),
                "{value}: {problem:?} should contain {why:?}"
            );
        }
    }

    #[test]
    fn names_and_levels_match_in_any_case_and_numbers_are_identifiers() {
        let request = read(json!({"team": " productone ", "MEMBERS": [
            {"userIdentifier": 1008, "level": "moderator"},
            {"UserIdentifier": "ada", "Level": "ADMIN"},
        ]}));
        assert_eq!(request.team_name(), Some("productone"));
        assert_eq!(
            request.members.unwrap(),
            [
                Member {
                    identifier: "1008".into(),
                    role: Role::Moderator
                },
                Member {
                    identifier: "ada".into(),
                    role: Role::Admin
                },
            ]
        );
    }

    #[test]
    fn a_call_reads_the_same_from_a_form_multipart_lower_case_or_double_encoding() {
        let json = r#"[{"Team":"productone","Members":[]},{"Team":"platform","Members":[]}]"#;
        let form =
            |pairs: &[(&str, &str)]| Bytes::from(serde_urlencoded::to_string(pairs).unwrap());
        let headers = |content_type: &str| {
            let mut h = HeaderMap::new();
            if !content_type.is_empty() {
                h.insert(CONTENT_TYPE, content_type.parse().unwrap());
            }
            h
        };
        let twice = percent_encoding::utf8_percent_encode(json, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
        let multipart = format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"requestsJson\"\r\n\r\n{json}\r\n--XyZ--\r\n"
        );
        let cases = [
            (
                "form",
                headers("application/x-www-form-urlencoded"),
                form(&[("requestsJson", json)]),
            ),
            (
                "no content type",
                headers(""),
                form(&[("requestsJson", json)]),
            ),
            (
                "odd casing",
                headers("Application/X-WWW-Form-URLEncoded"),
                form(&[("REQUESTSJSON", json)]),
            ),
            (
                "double encoding",
                headers(""),
                form(&[("requestsJson", &twice)]),
            ),
            (
                "multipart",
                headers("multipart/form-data; boundary=XyZ"),
                Bytes::from(multipart),
            ),
        ];
        for (what, headers, body) in cases {
            let call = UsersyncCall::read(&headers, None, Ok(body));
            assert_eq!(call.body_problem(), None, "{what}");
            assert_eq!(call.teams(), ["productone", "platform"], "{what}");
        }
        let query = UsersyncCall::read(
            &HeaderMap::new(),
            Some("requests%4Ason=%5B%7B%22Team%22%3A%22legal%22%7D%5D&access%5Ftoken=ada-rw"),
            Ok(Bytes::new()),
        );
        assert_eq!(
            query.teams(),
            ["legal"],
            "percent-encoded names in the query"
        );
        assert_eq!(query.access_token(), Some("ada-rw"));
    }

    #[test]
    fn the_journal_body_is_decoded_and_masked() {
        let body = Bytes::from(
            serde_urlencoded::to_string([
                ("access_token", "ada-rw-secret"),
                ("key", "local-key"),
                ("requestsJson", r#"[{"Team":"productone","Members":[]}]"#),
            ])
            .unwrap(),
        );
        let call = UsersyncCall::read(&HeaderMap::new(), Some("dryRun=true"), Ok(body));
        let shown: Value = serde_json::from_str(&call.journal_body()).unwrap();
        assert_eq!(
            shown,
            json!({"access_token": "ada…", "key": "loc…", "dryRun": "true",
                   "requestsJson": [{"Team": "productone", "Members": []}]})
        );
    }

    #[test]
    fn an_unreadable_body_is_a_problem_not_a_failure() {
        let too_large = UsersyncCall::read(
            &HeaderMap::new(),
            None,
            Err(Unread::TooLarge {
                limit: body::USERSYNC_LIMIT,
                head: Bytes::new(),
            }),
        );
        assert!(too_large.body_problem().unwrap().contains("larger than"));
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            "multipart/form-data; boundary=XyZ".parse().unwrap(),
        );
        let unterminated = UsersyncCall::read(
            &headers,
            None,
            Ok(Bytes::from_static(
                b"--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nlocal",
            )),
        );
        assert!(
            unterminated.body_problem().unwrap().contains("multipart"),
            "{:?}",
            unterminated.body_problem()
        );
    }
}
