//! Per-token rate limits as the v3 API reports them (contract §3): a burst throttle of 50 calls
//! per 2 s and a token bucket of 5000 calls refilled by 100 every 60 s. Every v3 response
//! carries the headers. Calls are counted, and a spent limit answers 429, only while
//! enforcement is on; while it is off every answer reports full limits ([`Verdict::FULL`],
//! mock choice): real clients sleep when they see low values, and nothing should slow them
//! then.

use std::time::{Duration, Instant};

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

pub const BURST_MAX: u32 = 50;
pub const BURST_WINDOW: Duration = Duration::from_secs(2);
pub const BUCKET_MAX: u32 = 5000;
pub const BUCKET_REFILL: u32 = 100;
pub const BUCKET_REFILL_EVERY: Duration = Duration::from_secs(60);
/// Tokens counted at once per instance (mock limit, README "Limits").
pub const MAX_COUNTERS: usize = 4096;

#[derive(Debug, Clone, Copy)]
struct Buckets {
    burst_started: Instant,
    burst_used: u32,
    bucket_left: u32,
    bucket_refilled: Instant,
}

/// What one call saw, for the response headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub burst_left: u32,
    pub burst_secs_until_full: u64,
    pub bucket_left: u32,
    pub bucket_secs_until_full: u64,
    pub bucket_secs_until_next_refill: u64,
    /// When refused: seconds until a call would be allowed.
    pub retry_after: u64,
}

impl Verdict {
    /// What every call sees while enforcement is off: full limits.
    pub const FULL: Verdict = Verdict {
        allowed: true,
        burst_left: BURST_MAX,
        burst_secs_until_full: 0,
        bucket_left: BUCKET_MAX,
        bucket_secs_until_full: 0,
        bucket_secs_until_next_refill: 0,
        retry_after: 0,
    };
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, Buckets>>,
}

impl RateLimiter {
    /// Counts one call by `key` (a token, or `""` for anonymous calls), made at `now` (the
    /// pipeline's one reading of the clock for the request); a call with no room left is not
    /// allowed (and not counted).
    pub fn check_at(&self, key: &str, now: Instant) -> Verdict {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        // A known key (every call but a token's first) needs no new String.
        if let Some(b) = buckets.get_mut(key) {
            return b.count(now);
        }
        if buckets.len() >= MAX_COUNTERS {
            // Only tokens of the world get counters, but tokens can be minted and revoked
            // without end: forget the counters that are full again, or else all of them.
            buckets.retain(|_, b| !b.is_full_at(now));
            if buckets.len() >= MAX_COUNTERS {
                buckets.clear();
            }
        }
        buckets
            .entry(key.to_string())
            .or_insert(Buckets {
                burst_started: now,
                burst_used: 0,
                bucket_left: BUCKET_MAX,
                bucket_refilled: now,
            })
            .count(now)
    }

    pub fn clear(&self) {
        self.buckets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl Buckets {
    /// Whether both limits would be full at `now`: such a counter can be forgotten.
    fn is_full_at(&self, now: Instant) -> bool {
        let refills =
            now.duration_since(self.bucket_refilled).as_secs() / BUCKET_REFILL_EVERY.as_secs();
        let refilled = u64::from(self.bucket_left) + refills * u64::from(BUCKET_REFILL);
        now.duration_since(self.burst_started) >= BURST_WINDOW && refilled >= u64::from(BUCKET_MAX)
    }

    /// Counts one call at `now`, refilling first.
    fn count(&mut self, now: Instant) -> Verdict {
        let b = self;
        if now.duration_since(b.burst_started) >= BURST_WINDOW {
            b.burst_started = now;
            b.burst_used = 0;
        }
        let refills = (now.duration_since(b.bucket_refilled).as_secs()
            / BUCKET_REFILL_EVERY.as_secs()) as u32;
        if refills > 0 {
            b.bucket_left = BUCKET_MAX.min(
                b.bucket_left
                    .saturating_add(refills.saturating_mul(BUCKET_REFILL)),
            );
            b.bucket_refilled += BUCKET_REFILL_EVERY * refills;
        }
        let allowed = b.burst_used < BURST_MAX && b.bucket_left > 0;
        if allowed {
            b.burst_used += 1;
            b.bucket_left -= 1;
        }
        let burst_reset = BURST_WINDOW.saturating_sub(now.duration_since(b.burst_started));
        let next_refill = BUCKET_REFILL_EVERY.saturating_sub(now.duration_since(b.bucket_refilled));
        let missing = BUCKET_MAX - b.bucket_left;
        let refills_needed = missing.div_ceil(BUCKET_REFILL) as u64;
        let bucket_full_in = if missing == 0 {
            0
        } else {
            next_refill.as_secs() + (refills_needed - 1) * BUCKET_REFILL_EVERY.as_secs()
        };
        let burst_full_in = if b.burst_used == 0 {
            0
        } else {
            burst_reset.as_secs_f64().ceil() as u64
        };
        let retry_after = if b.bucket_left == 0 {
            next_refill.as_secs().max(1)
        } else {
            burst_reset.as_secs_f64().ceil().max(1.0) as u64
        };
        Verdict {
            allowed,
            burst_left: BURST_MAX - b.burst_used,
            burst_secs_until_full: burst_full_in,
            bucket_left: b.bucket_left,
            bucket_secs_until_full: bucket_full_in,
            bucket_secs_until_next_refill: next_refill.as_secs(),
            retry_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_allows_fifty_calls_per_window_when_enforced() {
        let r = RateLimiter::default();
        let t = Instant::now();
        for i in 0..BURST_MAX {
            let v = r.check_at("t", t);
            assert!(v.allowed, "call {i}");
            assert_eq!(v.burst_left, BURST_MAX - i - 1);
        }
        let refused = r.check_at("t", t);
        assert!(!refused.allowed);
        assert!(refused.retry_after >= 1);
        assert!(r.check_at("other", t).allowed, "limits are per token");
        assert!(
            r.check_at("t", t + BURST_WINDOW).allowed,
            "the window resets"
        );
    }

    #[test]
    fn the_bucket_refills_a_hundred_a_minute() {
        let r = RateLimiter::default();
        let t = Instant::now();
        let first = r.check_at("t", t);
        assert_eq!(first.bucket_left, BUCKET_MAX - 1);
        assert_eq!(first.bucket_secs_until_full, 60);
        let later = r.check_at("t", t + Duration::from_secs(61));
        assert_eq!(
            later.bucket_left,
            BUCKET_MAX - 1,
            "refilled to the max, then one used"
        );
    }
}
