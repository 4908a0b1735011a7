//! Rendered answers of v3 reads, kept while the world they were rendered from is unchanged.
//!
//! This module is the cache's one home: the key, the lookup, the fill, the invalidation and the
//! expiry rule are all here. The pipeline asks [`ReadCache::lookup`] before a v3 route runs and
//! hands the route's answer to [`ReadCache::keep`]. Handlers know nothing of it: they return
//! typed bodies, and the cache decides whether to keep what they rendered.
//!
//! The rules:
//! - **The key** is the request target (path and query, as sent: they name the shape, the site
//!   and the parameters) and the bearer token ([`ReadKey::of`]), so one caller's answer (with
//!   the emails an admin may see) is never given to another.
//! - **Invalidation**: a v3 read's answer is a function of the world, the key and the clock.
//!   The [`crate::store::Store`] version goes up on every change of the world (tokens
//!   included: a revoked token moves it), and an answer is kept and given only at the version
//!   it was rendered at. The layer reads the version before and after the handler and keeps
//!   the answer only when no change started in between, so a kept answer is exactly what the
//!   world at that version renders.
//! - **Expiry**: the clock enters only through the token's expiry. A kept answer carries it and
//!   is given only while the token has not expired on the mock clock ([`Kept::fresh_at`]);
//!   past it the request goes to the handler, which refuses it.
//! - **What is kept**: successful (200) answers of GETs that carry a bearer token, at most
//!   [`MAX_ENTRY_BYTES`] each; errors are cheap and some carry per-request details. An answer
//!   with a `Vary` header (`GET /stacky` negotiates by `Accept`) is not kept: the key does not
//!   hold the headers it varies by.
//! - **Bounds**: when the kept bytes (bodies, keys and [`ENTRY_OVERHEAD`] each) would pass
//!   [`MAX_BYTES`], the cache starts again empty. Each instance (the root, each sandbox) has
//!   its own.
//!
//! A kept answer leaves the layer like a rendered one, so the pipeline around it journals it,
//! counts it against the rate limit and lets fault rules act on it as on any other.
//! BENCHMARKS.md has its figure (a load test that reads one list thousands of times renders it
//! once).

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};

use crate::credentials::bearer_token;
use crate::store::Store;

/// The most bytes one instance keeps, keys included.
pub const MAX_BYTES: usize = 4 << 20;
/// What an entry costs besides its body and its key's text (the maps' slots, the body's
/// handle), counted so that many tiny answers stay within [`MAX_BYTES`] too.
pub const ENTRY_OVERHEAD: usize = 96;
/// The largest entry kept.
pub const MAX_ENTRY_BYTES: usize = 256 << 10;

/// What a v3 read's answer depends on besides the world and the clock, borrowed from the
/// request: a lookup builds nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadKey<'a> {
    /// Path and query, as sent.
    pub target: &'a str,
    pub token: &'a str,
}

impl<'a> ReadKey<'a> {
    /// The key of a request whose answer may be kept: a GET with a bearer token.
    pub fn of(req: &'a Request) -> Option<Self> {
        if req.method() != Method::GET {
            return None;
        }
        Some(ReadKey {
            token: bearer_token(req.headers())?,
            target: req.uri().path_and_query()?.as_str(),
        })
    }

    fn to_owned(self) -> OwnedKey {
        OwnedKey {
            target: self.target.to_string(),
            token: self.token.to_string(),
        }
    }

    /// What the entry counts against [`MAX_BYTES`], besides its body.
    fn size(&self) -> usize {
        self.target.len() + self.token.len() + ENTRY_OVERHEAD
    }
}

/// What the cache says of a request before its route runs.
pub enum Lookup {
    /// The kept answer.
    Kept(Response),
    /// None kept: run the route, and give its answer to [`ReadCache::keep`] with this (`None`:
    /// the request's answer is never kept).
    Miss(Option<Pending>),
}

/// A request whose answer may be kept once its route has run.
pub struct Pending {
    /// The world's version before the route ran.
    version: u64,
    key: OwnedKey,
}

/// A [`ReadKey`] kept past its request, while the route runs.
struct OwnedKey {
    target: String,
    token: String,
}

impl OwnedKey {
    fn as_ref(&self) -> ReadKey<'_> {
        ReadKey {
            target: &self.target,
            token: &self.token,
        }
    }
}

/// A kept answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub body: Bytes,
    pub content_type: Option<HeaderValue>,
    /// When the token it was rendered for expires (`None`: never).
    pub expires_at: Option<DateTime<Utc>>,
}

impl Kept {
    /// Whether the answer may be given at `now`: its token has not expired (a token expires at
    /// its expiry instant).
    pub fn fresh_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_none_or(|t| t > now)
    }

    fn response(self) -> Response {
        let mut res = Response::new(Body::from(self.body));
        // Room for the content type, the length and the pipeline's five rate-limit headers, so
        // the map is allocated once rather than grown twice (0.57 µs of CPU per kept read,
        // BENCHMARKS.md).
        *res.headers_mut() = HeaderMap::with_capacity(8);
        if let Some(content_type) = self.content_type {
            res.headers_mut().insert(CONTENT_TYPE, content_type);
        }
        res
    }
}

/// The kept answers of one instance.
#[derive(Debug, Default)]
pub struct ReadCache {
    inner: RwLock<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// The world version every kept answer was rendered at.
    version: u64,
    bytes: usize,
    /// By target, then by token: looked up with borrowed `str`s, no key built.
    answers: HashMap<String, HashMap<String, Kept>>,
}

impl ReadCache {
    /// A kept answer to `req`, or what [`ReadCache::keep`] needs to keep the route's answer
    /// (see the module docs).
    pub fn lookup(&self, store: &Store, req: &Request) -> Lookup {
        let Some(key) = ReadKey::of(req) else {
            return Lookup::Miss(None);
        };
        let version = store.version();
        match self.get(version, &key, store.now()) {
            Some(kept) => Lookup::Kept(kept.response()),
            None => Lookup::Miss(Some(Pending {
                version,
                key: key.to_owned(),
            })),
        }
    }

    /// Keeps `res`, the route's answer to the request [`ReadCache::lookup`] missed, if the
    /// rules allow; gives it back either way.
    pub async fn keep(&self, store: &Store, pending: Pending, res: Response) -> Response {
        let Pending { version, key } = pending;
        let small = res
            .body()
            .size_hint()
            .exact()
            .is_some_and(|n| n as usize <= MAX_ENTRY_BYTES);
        if res.status() != StatusCode::OK || !small || res.headers().contains_key(VARY) {
            return res;
        }
        let (parts, body) = res.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, MAX_ENTRY_BYTES).await else {
            return Response::from_parts(parts, Body::empty());
        };
        // Kept only if the world did not change while the route ran: then it rendered
        // `version`.
        let (now_at, expires_at) =
            store.read_versioned(|w| w.token(&key.token).map(|t| t.expires_at));
        if let (true, Some(expires_at)) = (now_at == version, expires_at) {
            let kept = Kept {
                body: bytes.clone(),
                content_type: parts.headers.get(CONTENT_TYPE).cloned(),
                expires_at,
            };
            self.put(version, key.as_ref(), kept);
        }
        Response::from_parts(parts, Body::from(bytes))
    }

    /// The answer kept for `key` at `version`, if its token is still valid at `now`.
    pub fn get(&self, version: u64, key: &ReadKey, now: DateTime<Utc>) -> Option<Kept> {
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        if inner.version != version {
            return None;
        }
        let kept = inner.answers.get(key.target)?.get(key.token)?;
        kept.fresh_at(now).then(|| kept.clone())
    }

    /// Keeps `kept` as the answer to `key` at `version`. A newer version empties the cache
    /// first; an answer rendered at an older version than the cache holds is not kept.
    pub fn put(&self, version: u64, key: ReadKey, kept: Kept) {
        let size = key.size() + kept.body.len();
        if size > MAX_ENTRY_BYTES {
            return;
        }
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        if version < inner.version {
            return;
        }
        if version > inner.version || inner.bytes + size > MAX_BYTES {
            *inner = Inner {
                version,
                ..Inner::default()
            };
        }
        let tokens = inner.answers.entry(key.target.to_string()).or_default();
        let replaced = tokens.insert(key.token.to_string(), kept);
        if let Some(old) = replaced {
            inner.bytes -= key.size() + old.body.len();
        }
        inner.bytes += size;
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        inner.answers.values().map(HashMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(target: &str) -> ReadKey<'_> {
        ReadKey { target, token: "t" }
    }

    fn kept(body: Bytes) -> Kept {
        Kept {
            body,
            content_type: None,
            expires_at: None,
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn an_answer_is_given_only_at_the_version_it_was_rendered_at() {
        let c = ReadCache::default();
        let now = Utc::now();
        let body = kept(Bytes::from_static(b"[1]"));
        c.put(3, key("/k"), body.clone());
        assert_eq!(c.get(3, &key("/k"), now), Some(body.clone()));
        assert_eq!(c.get(4, &key("/k"), now), None, "the world moved on");
        assert_eq!(c.get(3, &key("/other"), now), None);
        let other_caller = ReadKey {
            target: "/k",
            token: "other",
        };
        assert_eq!(
            c.get(3, &other_caller, now),
            None,
            "never another caller's answer"
        );
        c.put(2, key("/old"), body.clone());
        assert_eq!(
            c.get(3, &key("/old"), now),
            None,
            "rendered before the kept version"
        );
        c.put(5, key("/new"), body);
        assert_eq!(
            c.get(3, &key("/k"), now),
            None,
            "a newer version empties the cache"
        );
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn an_answer_is_fresh_until_its_token_expires() {
        let expiring = Kept {
            expires_at: Some(at("2026-01-01T00:00:00Z")),
            ..kept(Bytes::new())
        };
        assert!(expiring.fresh_at(at("2025-12-31T23:59:59Z")));
        assert!(
            !expiring.fresh_at(at("2026-01-01T00:00:00Z")),
            "expired at its expiry"
        );
        assert!(kept(Bytes::new()).fresh_at(at("2999-01-01T00:00:00Z")));
        let c = ReadCache::default();
        c.put(1, key("/k"), expiring);
        assert!(c.get(1, &key("/k"), at("2025-12-31T23:59:59Z")).is_some());
        assert!(c.get(1, &key("/k"), at("2026-01-01T00:00:00Z")).is_none());
    }

    #[test]
    fn the_cache_stays_within_its_bounds() {
        let c = ReadCache::default();
        c.put(
            1,
            key("big"),
            kept(Bytes::from(vec![b'x'; MAX_ENTRY_BYTES])),
        );
        assert!(c.is_empty(), "entries over the entry bound are not kept");
        let body = kept(Bytes::from(vec![b'x'; MAX_ENTRY_BYTES / 2]));
        let fit = MAX_BYTES / (key("00").size() + body.body.len());
        for i in 0..fit {
            c.put(1, key(&format!("{i:02}")), body.clone());
        }
        assert_eq!(c.len(), fit);
        c.put(1, key("one more"), body.clone());
        assert_eq!(c.len(), 1, "full: started again with the new answer");
        c.put(1, key("one more"), body);
        assert_eq!(c.len(), 1, "replacing a key does not count it twice");
    }

    #[test]
    fn many_tiny_answers_with_long_keys_stay_within_the_bound() {
        let c = ReadCache::default();
        let long = "/api/v3/tags?".to_string() + &"x".repeat(1000);
        for i in 0..10_000 {
            c.put(1, key(&format!("{long}{i}")), kept(Bytes::new()));
        }
        let each = key(&format!("{long}0000")).size();
        assert!(c.len() <= MAX_BYTES / each, "{} entries", c.len());
        assert!(!c.is_empty());
    }
}
