//! Rendered answers of reads, kept while the world they were rendered from is unchanged.
//!
//! A v3 read's answer is a function of the world, the request (path and query, which name the
//! shape and the site), the caller's token and the clock. The [`crate::store::Store`] version
//! goes up on every change of the world (tokens included), so an answer rendered at one version
//! is still exact at that version for the same path, query and token, as long as the token has
//! not expired on the mock clock: each kept answer carries its token's expiry, and a reader
//! checks it ([`Kept::fresh_at`]). A load test that reads the same list thousands of times
//! renders and serialises it once, and a repeat is answered in front of the router
//! ([`crate::api::traffic`]). Any write, reset, import or snapshot restore moves the version,
//! and the next read renders afresh; readers never see an answer older than the last write they
//! could have observed.
//!
//! Only successful answers are kept (errors are cheap and some carry per-request details). The
//! cache is bounded: an entry (its body, its key and [`ENTRY_OVERHEAD`]) over
//! [`MAX_ENTRY_BYTES`] is not kept, and when the kept bytes would pass [`MAX_BYTES`] it starts
//! again empty. Each instance (the root, each sandbox) has its own.

use std::sync::{PoisonError, RwLock};

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use hashbrown::{Equivalent, HashMap};

use crate::padded::Padded;

/// The most bytes one instance keeps, keys included.
pub const MAX_BYTES: usize = 4 << 20;
/// What an entry costs besides its body and its key's text (the map's slot, the boxes, the
/// body's handle), counted so that many tiny answers stay within [`MAX_BYTES`] too.
pub const ENTRY_OVERHEAD: usize = 96;
/// The largest entry kept.
pub const MAX_ENTRY_BYTES: usize = 256 << 10;

#[derive(Debug, Default)]
pub struct ReadCache {
    /// Padded: every read takes the lock, which writes its state.
    inner: Padded<RwLock<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    /// The world version every kept body was rendered at.
    version: u64,
    bytes: usize,
    bodies: HashMap<ReadKey, Kept>,
}

/// A kept answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub body: Bytes,
    /// When the token it was rendered for expires (`None`: never).
    pub expires_at: Option<DateTime<Utc>>,
}

impl Kept {
    /// Whether the answer may be given at `now`: its token has not expired. (Past its expiry
    /// the request is authenticated afresh, and refused.)
    pub fn fresh_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_none_or(|t| t > now)
    }
}

/// The key of a read: the request target (path and query, raw) and the bearer token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadKey {
    target: Box<str>,
    token: Box<str>,
}

impl ReadKey {
    pub fn new(target: &str, token: &str) -> Self {
        ReadKey {
            target: target.into(),
            token: token.into(),
        }
    }
}

/// What an entry counts against [`MAX_BYTES`].
fn entry_size(key: &ReadKey, body_len: usize) -> usize {
    body_len + key.target.len() + key.token.len() + ENTRY_OVERHEAD
}

/// A [`ReadKey`] borrowed from a request, to look one up without building it. It hashes as
/// the key does: the same fields, in the same order, as `str`s.
#[derive(Hash)]
struct ReadKeyRef<'a> {
    target: &'a str,
    token: &'a str,
}

impl Equivalent<ReadKey> for ReadKeyRef<'_> {
    fn equivalent(&self, key: &ReadKey) -> bool {
        self.target == &*key.target && self.token == &*key.token
    }
}

impl ReadCache {
    /// The answer kept for `target` with `token` at `version`, if any.
    pub fn get(&self, version: u64, target: &str, token: &str) -> Option<Kept> {
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        if inner.version != version {
            return None;
        }
        inner.bodies.get(&ReadKeyRef { target, token }).cloned()
    }

    /// Keeps `body` as the answer to `key` at `version`. A newer version empties the cache
    /// first; a body rendered at an older version than the cache holds is not kept.
    pub fn put(&self, version: u64, key: ReadKey, kept: Kept) {
        let size = entry_size(&key, kept.body.len());
        if size > MAX_ENTRY_BYTES {
            return;
        }
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        if version < inner.version {
            return;
        }
        if version > inner.version || inner.bytes + size > MAX_BYTES {
            inner.bodies = HashMap::new();
            inner.bytes = 0;
            inner.version = version;
        }
        let key_size = size - kept.body.len();
        if let Some(old) = inner.bodies.insert(key, kept) {
            inner.bytes -= key_size + old.body.len();
        }
        inner.bytes += size;
    }

    /// How many bodies are kept.
    pub fn len(&self) -> usize {
        self.inner
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .bodies
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(target: &str) -> ReadKey {
        ReadKey::new(target, "t")
    }

    fn kept(body: Bytes) -> Kept {
        Kept {
            body,
            expires_at: None,
        }
    }

    #[test]
    fn a_body_is_served_only_at_the_version_it_was_rendered_at() {
        let c = ReadCache::default();
        let body = kept(Bytes::from_static(b"[1]"));
        c.put(3, key("/k"), body.clone());
        assert_eq!(c.get(3, "/k", "t"), Some(body.clone()));
        assert_eq!(c.get(4, "/k", "t"), None, "the world moved on");
        assert_eq!(c.get(3, "/other", "t"), None);
        assert_eq!(c.get(3, "/k", "other token"), None);
        assert_eq!(
            c.get(3, "/k t", ""),
            None,
            "the parts never run into each other"
        );
        c.put(2, key("/old"), body.clone());
        assert_eq!(
            c.get(3, "/old", "t"),
            None,
            "rendered before the kept version"
        );
        c.put(5, key("/new"), body);
        assert_eq!(
            c.get(3, "/k", "t"),
            None,
            "a newer version empties the cache"
        );
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn an_answer_is_fresh_until_its_token_expires() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let expiring = Kept {
            body: Bytes::new(),
            expires_at: Some(at("2026-01-01T00:00:00Z")),
        };
        assert!(expiring.fresh_at(at("2025-12-31T23:59:59Z")));
        assert!(
            !expiring.fresh_at(at("2026-01-01T00:00:00Z")),
            "expired at its expiry"
        );
        assert!(kept(Bytes::new()).fresh_at(at("2999-01-01T00:00:00Z")));
    }

    #[test]
    fn the_cache_stays_within_its_bounds() {
        let c = ReadCache::default();
        let big = kept(Bytes::from(vec![b'x'; MAX_ENTRY_BYTES]));
        c.put(1, key("big"), big);
        assert!(c.is_empty(), "entries over the entry bound are not kept");
        let body = kept(Bytes::from(vec![b'x'; MAX_ENTRY_BYTES / 2]));
        let fit = MAX_BYTES / entry_size(&key("00"), body.body.len());
        for i in 0..fit {
            c.put(1, key(&format!("{i:02}")), body.clone());
        }
        assert_eq!(c.len(), fit);
        c.put(1, key("one more"), body.clone());
        assert_eq!(c.len(), 1, "full: started again with the new body");
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
        let each = entry_size(&key(&format!("{long}0000")), 0);
        assert!(c.len() <= MAX_BYTES / each, "{} entries", c.len());
        assert!(!c.is_empty());
    }
}
