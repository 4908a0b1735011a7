//! Reading v3 input: path ids, query strings, JSON bodies. Bad input becomes a 400 in
//! ASP.NET's validation shape (every bad field at once), a wrong content type a 415, an
//! oversized body a 413, so a client never sees a 5xx for what it sent.

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::de::DeserializeOwned;

use super::error::{V3Error, V3Result};
use super::list::{DEFAULT_PAGE_SIZE, ListParams, PAGE_SIZES, SortOrder, SortParam};
use crate::body::{self, Unread};
use crate::domain::{GroupId, Site, UserId};

/// The path parameters of a request.
#[derive(Debug)]
pub struct V3Path(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for V3Path {
    type Rejection = V3Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| V3Error::invalid("path", e.body_text()))?;
        Ok(V3Path(
            raw.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ))
    }
}

impl V3Path {
    /// An int32 id with `minimum: 1`, as every v3 path id is declared.
    pub fn id(&self, name: &str) -> V3Result<u32> {
        let raw = self.0.get(name).map(String::as_str).unwrap_or_default();
        parse_id(raw)
            .ok_or_else(|| V3Error::invalid(name, format!("The value '{raw}' is not valid.")))
    }

    pub fn text(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or_default()
    }
}

fn parse_id(raw: &str) -> Option<u32> {
    raw.parse::<i32>()
        .ok()
        .filter(|id| *id >= 1)
        .map(|id| id as u32)
}

/// The query string, with names matched case-insensitively as ASP.NET does (`pagesize` works).
#[derive(Debug, Default)]
pub struct V3Query(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for V3Query {
    type Rejection = V3Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        // Mock choice: a query string that does not decode to UTF-8 is a 400, as a bad path
        // id is (the form decoder would silently replace the bytes).
        if !decodes_to_utf8(raw) {
            return Err(V3Error::invalid(
                "query",
                "The query string is not valid percent-encoded UTF-8.",
            ));
        }
        serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
            .map(V3Query)
            .map_err(|e| V3Error::invalid("query", format!("The query string is malformed: {e}")))
    }
}

impl V3Query {
    /// The first value of `name`, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name` (an array parameter sent as `name=1&name=2`), compared
    /// case-insensitively, in the order sent.
    pub fn all<'q>(&'q self, name: &'q str) -> impl Iterator<Item = &'q str> + 'q {
        self.0
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Starts reading values; every bad one is collected, then [`Checked::finish`] reports
    /// them together.
    pub fn check(&self) -> Checked<'_> {
        Checked {
            query: self,
            errors: BTreeMap::new(),
        }
    }
}

/// Whether a percent-encoded string decodes to valid UTF-8.
fn decodes_to_utf8(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap() * 16 + hex(l).unwrap()) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&out).is_ok()
}

pub struct Checked<'q> {
    query: &'q V3Query,
    errors: BTreeMap<String, Vec<String>>,
}

impl Checked<'_> {
    fn bad(&mut self, name: &str, raw: &str) {
        self.errors
            .entry(name.to_string())
            .or_default()
            .push(format!("The value '{raw}' is not valid."));
    }

    /// The first value of `name` read with `parse`; a value it refuses is collected as bad.
    pub fn parsed<T>(&mut self, name: &str, parse: impl FnOnce(&str) -> Option<T>) -> Option<T> {
        let raw = self.query.get(name)?;
        let value = parse(raw.trim());
        if value.is_none() {
            self.bad(name, raw);
        }
        value
    }

    pub fn list<S: SortParam>(&mut self) -> ListParams<S> {
        let mut p = self.list_unordered::<S>();
        p.order = self
            .parsed("order", SortOrder::parse)
            .unwrap_or(p.sort.default_order());
        p
    }

    /// `page`, `pageSize` and `sort` of a list route that takes no `order` (`GET /search`):
    /// the order is the sort's own, and an `order` in the query is ignored like any unknown
    /// parameter.
    pub fn list_unordered<S: SortParam>(&mut self) -> ListParams<S> {
        let page = self
            .parsed("page", |r| r.parse::<i32>().ok().filter(|p| *p >= 1))
            .unwrap_or(1) as u32;
        let page_size = match self.query.get("pageSize") {
            None => DEFAULT_PAGE_SIZE,
            Some(raw) => match raw.trim().parse::<u32>() {
                Ok(n) if PAGE_SIZES.contains(&n) => n,
                Ok(_) => {
                    self.errors
                        .entry("pageSize".into())
                        .or_default()
                        .push(format!(
                            "The field pageSize must be one of 15, 30, 50, 100 (got '{raw}')."
                        ));
                    DEFAULT_PAGE_SIZE
                }
                Err(_) => {
                    self.bad("pageSize", raw);
                    DEFAULT_PAGE_SIZE
                }
            },
        };
        let sort = self
            .parsed("sort", |r| {
                S::ALL
                    .iter()
                    .copied()
                    .find(|s| s.name().eq_ignore_ascii_case(r))
            })
            .unwrap_or(S::DEFAULT);
        ListParams {
            page,
            page_size,
            sort,
            order: sort.default_order(),
        }
    }

    /// Reports a value the route found wrong after reading it (`query` of `GET /search`).
    pub fn reject(&mut self, name: &str, message: impl Into<String>) {
        self.errors
            .entry(name.to_string())
            .or_default()
            .push(message.into());
    }

    /// An optional boolean (`true`/`false`, any case).
    pub fn bool(&mut self, name: &str) -> Option<bool> {
        self.parsed(name, |r| match r.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
    }

    /// An optional date-time: RFC 3339, or a bare date/date-time read as UTC.
    pub fn date(&mut self, name: &str) -> Option<DateTime<Utc>> {
        self.parsed(name, parse_date)
    }

    /// An optional int32.
    pub fn int(&mut self, name: &str) -> Option<i32> {
        self.parsed(name, |r| r.parse::<i32>().ok())
    }

    /// An int32 array parameter (`name=1&name=2`); each bad value is reported.
    pub fn ints(&mut self, name: &str) -> Vec<i32> {
        let query = self.query;
        let mut values = Vec::new();
        for raw in query.all(name) {
            match raw.trim().parse::<i32>() {
                Ok(v) => values.push(v),
                Err(_) => self.bad(name, raw),
            }
        }
        values
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.query.get(name).map(str::to_string)
    }

    /// Every value of a repeated int32 parameter (`tagId=1&tagId=2`, as ASP.NET binds an
    /// array), in the order sent; each bad one is collected.
    pub fn int_list(&mut self, name: &str) -> Vec<i32> {
        let raw: Vec<&str> = self
            .query
            .0
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        let mut ints = Vec::new();
        for r in raw {
            match r.trim().parse::<i32>() {
                Ok(n) => ints.push(n),
                Err(_) => self.bad(name, r),
            }
        }
        ints
    }

    pub fn finish(self) -> V3Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(V3Error::Validation(self.errors))
        }
    }
}

fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .map(|d| d.to_utc())
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|d| d.and_utc())
        })
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        })
}

/// A request body read as bytes. Reading it never rejects the request: a body the pipeline
/// could not read (over the limit: 413) is reported only when the handler asks for the body,
/// after auth, permissions and existence, so those answers win as the contract orders them.
#[derive(Debug)]
pub struct RawBody {
    headers: HeaderMap,
    bytes: Result<Bytes, V3Error>,
}

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = match parts.extensions.get::<Unread>() {
            Some(unread) => Err(unread.clone()),
            None => body::read(body, body::limit_of_path(parts.uri.path())).await,
        };
        let bytes = bytes.map_err(|unread| match unread {
            Unread::TooLarge { limit, .. } => V3Error::problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "/v3/errors/request/too-large",
                "Payload too large",
                Some(format!("The request body is larger than {limit} bytes")),
            ),
            Unread::Broken(why) => V3Error::invalid("$", why),
        });
        Ok(RawBody {
            headers: parts.headers,
            bytes,
        })
    }
}

impl RawBody {
    /// Parses the body as JSON of type `T`. A body over the limit is a 413, a non-JSON content
    /// type a 415; malformed JSON or a value of the wrong type a 400 naming the JSON path, as
    /// ASP.NET reports it.
    pub fn json<T: DeserializeOwned>(&self) -> V3Result<T> {
        let bytes = self.json_bytes()?;
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let value = serde_path_to_error::deserialize(&mut de);
        if value.is_ok()
            && let Err(e) = de.end()
        {
            return Err(V3Error::invalid(
                "$",
                format!("The JSON value could not be parsed: {e}."),
            ));
        }
        value.map_err(|e| {
            let path = match e.path().to_string().as_str() {
                "." => "$".to_string(),
                p if p.starts_with('[') => format!("${p}"),
                p => format!("$.{p}"),
            };
            let inner = e.into_inner();
            V3Error::invalid(&path, format!("The JSON value could not be converted: {inner}. Path: {path} | LineNumber: {} | BytePositionInLine: {}.", inner.line().saturating_sub(1), inner.column()))
        })
    }

    /// Like [`RawBody::json`], for a request model: the body must be a JSON object. (serde
    /// would also read a struct from an array of its fields; ASP.NET refuses that.)
    pub fn json_object<T: DeserializeOwned>(&self) -> V3Result<T> {
        let first = self.json_bytes()?.iter().find(|b| !b.is_ascii_whitespace());
        if first.is_some_and(|b| *b != b'{') {
            return Err(V3Error::invalid(
                "$",
                "The JSON value could not be converted: expected an object. Path: $.",
            ));
        }
        self.json()
    }

    /// The body as sent, once it is known to be within the limit (413), whatever its content
    /// type (an image upload reads it so).
    pub fn bytes(&self) -> V3Result<&Bytes> {
        self.bytes.as_ref().map_err(Clone::clone)
    }

    /// The body's `Content-Type` header (`""` when there is none or it is not text).
    pub fn content_type(&self) -> &str {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The body, once it is known to be within the limit (413) and JSON by content type (415).
    fn json_bytes(&self) -> V3Result<&Bytes> {
        let bytes = self.bytes.as_ref().map_err(Clone::clone)?;
        let content_type = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !is_json(content_type) {
            return Err(V3Error::problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "https://tools.ietf.org/html/rfc7231#section-6.5.13",
                "Unsupported Media Type",
                Some(format!(
                    "Expected a JSON body (application/json), got {content_type:?}"
                )),
            ));
        }
        Ok(bytes)
    }
}

/// Ids from a request body (int32 on the wire) as the site's ids. `known` says whether a
/// positive id names a user (or group) of the site. `Err` lists every id that names nothing,
/// ids below 1 included, each once, in the order sent, so one 400 can name them all.
pub fn body_ids(raw: &[i32], known: impl Fn(u32) -> bool) -> Result<Vec<u32>, Vec<i32>> {
    let mut seen = std::collections::BTreeSet::new();
    let bad: Vec<i32> = raw
        .iter()
        .copied()
        .filter(|&id| (id < 1 || !known(id as u32)) && seen.insert(id))
        .collect();
    if bad.is_empty() {
        Ok(raw.iter().map(|&id| id as u32).collect())
    } else {
        Err(bad)
    }
}

/// User ids from a request body, checked against the site: every id that is not a user of it
/// (ids below 1 included) is named in one 400 (mock choice).
pub fn user_ids(site: &Site, raw: &[i32]) -> V3Result<Vec<UserId>> {
    body_ids(raw, |id| site.users.contains_key(&id)).map_err(|bad| V3Error::unknown_users(&bad))
}

/// User group ids from a request body, checked against the site like [`user_ids`].
pub fn group_ids(site: &Site, raw: &[i32]) -> V3Result<Vec<GroupId>> {
    body_ids(raw, |id| site.groups.contains_key(&id)).map_err(|bad| V3Error::unknown_groups(&bad))
}

/// The content types the excerpt declares for request bodies.
fn is_json(content_type: &str) -> bool {
    let essence = crate::body::essence(content_type);
    essence == "application/json"
        || essence == "text/json"
        || essence == "application/json-patch+json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_be_positive_int32() {
        assert_eq!(parse_id("1"), Some(1));
        assert_eq!(parse_id("2147483647"), Some(2147483647));
        for bad in ["0", "-1", "abc", "2147483648", "", "1.5"] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn query_strings_must_decode_to_utf8() {
        for ok in ["", "page=2", "partialName=caf%C3%A9", "a=%", "a=%zz", "a=+"] {
            assert!(decodes_to_utf8(ok), "{ok}");
        }
        for bad in ["a=%FF", "a=%C3%28", "%80"] {
            assert!(!decodes_to_utf8(bad), "{bad}");
        }
    }

    #[test]
    fn json_content_types_are_recognised() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "text/json",
            "application/problem+json",
            "application/json-patch+json",
        ] {
            assert!(is_json(ok), "{ok}");
        }
        for bad in ["", "text/plain", "application/x-www-form-urlencoded"] {
            assert!(!is_json(bad), "{bad}");
        }
    }

    #[test]
    fn body_ids_name_every_id_that_names_nothing_once() {
        let known = |id: u32| id <= 10;
        assert_eq!(body_ids(&[1, 2, 2], known), Ok(vec![1, 2, 2]));
        assert_eq!(body_ids(&[], known), Ok(vec![]));
        assert_eq!(
            body_ids(&[3, 0, 11, -4, 0, 11, 5], known),
            Err(vec![0, 11, -4])
        );
        assert_eq!(
            body_ids(&[i32::MIN, i32::MAX], known),
            Err(vec![i32::MIN, i32::MAX])
        );
    }

    #[test]
    fn dates_parse_in_three_forms() {
        assert!(parse_date("2024-01-02T03:04:05Z").is_some());
        assert!(parse_date("2024-01-02T03:04:05.123").is_some());
        assert!(parse_date("2024-01-02").is_some());
        assert!(parse_date("yesterday").is_none());
    }
}
