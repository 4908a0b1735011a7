//! The v2.3 request quota: `quota_max` 10,000 calls per application key, `quota_remaining`
//! counting down with every call that passes authorization (mock choice: per key and per
//! instance, never refilled except by a reset of the state; the real API refills daily).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// `quota_max` of every response.
pub const QUOTA_MAX: u32 = 10_000;

#[derive(Debug, Default)]
pub struct Quotas {
    used: Mutex<HashMap<String, u32>>,
}

impl Quotas {
    /// Counts one call by `key` and returns the `quota_remaining` to report; `None` when the
    /// key had no call left (the call is refused and not counted).
    fn used(&self) -> MutexGuard<'_, HashMap<String, u32>> {
        self.used.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn take(&self, key: &str) -> Option<u32> {
        let mut all = self.used();
        let used = all.entry(key.to_string()).or_insert(0);
        if *used >= QUOTA_MAX {
            return None;
        }
        *used += 1;
        Some(QUOTA_MAX - *used)
    }

    /// What `key` has left, without counting a call.
    pub fn remaining(&self, key: &str) -> u32 {
        QUOTA_MAX - self.used().get(key).copied().unwrap_or(0)
    }

    /// Sets what `key` has left (control API and tests: reach `throttle_violation` without
    /// 10,000 calls).
    pub fn set_remaining(&self, key: &str, remaining: u32) {
        self.used()
            .insert(key.to_string(), QUOTA_MAX - remaining.min(QUOTA_MAX));
    }

    /// Every key back to the full quota (with a reset of the state).
    pub fn clear(&self) {
        self.used().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quota_counts_down_per_key_until_spent_and_clears() {
        let q = Quotas::default();
        assert_eq!(q.take("a"), Some(9_999));
        assert_eq!(q.take("a"), Some(9_998));
        assert_eq!(q.take("b"), Some(9_999));
        q.set_remaining("a", 1);
        assert_eq!(q.take("a"), Some(0));
        assert_eq!(q.take("a"), None);
        assert_eq!(q.remaining("a"), 0);
        q.clear();
        assert_eq!(q.remaining("a"), QUOTA_MAX);
    }
}
