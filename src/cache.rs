//! Rendered answers of reads, kept while the world they were rendered from is unchanged.
//!
//! A v3 read's body is a function of the world, the addressed site, the request (path and
//! query) and who asks. The [`crate::store::Store`] version goes up on every change of the
//! world, so an answer rendered at one version is still exact at that version: a load test that
//! reads the same list thousands of times renders and serialises it once. Any write, reset,
//! import or snapshot restore moves the version, and the next read renders afresh; readers
//! never see an answer older than the last write they could have observed.
//!
//! Only successful answers are kept (errors are cheap and some carry per-request details). The
//! cache is bounded: bodies over [`MAX_ENTRY_BYTES`] are not kept, and when the kept bytes would
//! pass [`MAX_BYTES`] it starts again empty. Each instance (the root, each sandbox) has its own.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use axum::body::Bytes;

/// The most body bytes one instance keeps.
pub const MAX_BYTES: usize = 4 << 20;
/// The largest body kept.
pub const MAX_ENTRY_BYTES: usize = 256 << 10;

#[derive(Debug, Default)]
pub struct ReadCache {
    inner: RwLock<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// The world version every kept body was rendered at.
    version: u64,
    bytes: usize,
    bodies: HashMap<Box<str>, Bytes>,
}

impl ReadCache {
    /// The body kept for `key` at `version`, if any.
    pub fn get(&self, version: u64, key: &str) -> Option<Bytes> {
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        if inner.version != version {
            return None;
        }
        inner.bodies.get(key).cloned()
    }

    /// Keeps `body` as the answer to `key` at `version`. A newer version empties the cache
    /// first; a body rendered at an older version than the cache holds is not kept.
    pub fn put(&self, version: u64, key: &str, body: &Bytes) {
        if body.len() > MAX_ENTRY_BYTES {
            return;
        }
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        if version < inner.version {
            return;
        }
        if version > inner.version || inner.bytes + body.len() > MAX_BYTES {
            inner.bodies = HashMap::new();
            inner.bytes = 0;
            inner.version = version;
        }
        if let Some(old) = inner.bodies.insert(key.into(), body.clone()) {
            inner.bytes -= old.len();
        }
        inner.bytes += body.len();
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

    #[test]
    fn a_body_is_served_only_at_the_version_it_was_rendered_at() {
        let c = ReadCache::default();
        let body = Bytes::from_static(b"[1]");
        c.put(3, "k", &body);
        assert_eq!(c.get(3, "k"), Some(body.clone()));
        assert_eq!(c.get(4, "k"), None, "the world moved on");
        assert_eq!(c.get(3, "other"), None);
        c.put(2, "old", &body);
        assert_eq!(c.get(3, "old"), None, "rendered before the kept version");
        c.put(5, "new", &body);
        assert_eq!(c.get(3, "k"), None, "a newer version empties the cache");
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn the_cache_stays_within_its_bounds() {
        let c = ReadCache::default();
        let big = Bytes::from(vec![b'x'; MAX_ENTRY_BYTES + 1]);
        c.put(1, "big", &big);
        assert!(c.is_empty(), "bodies over the entry bound are not kept");
        let body = Bytes::from(vec![b'x'; MAX_ENTRY_BYTES]);
        let fit = MAX_BYTES / MAX_ENTRY_BYTES;
        for i in 0..fit {
            c.put(1, &i.to_string(), &body);
        }
        assert_eq!(c.len(), fit);
        c.put(1, "one more", &body);
        assert_eq!(c.len(), 1, "full: started again with the new body");
        c.put(1, "one more", &body);
        assert_eq!(c.len(), 1, "replacing a key does not count it twice");
    }
}
