//! The mock clock: real time plus an offset that the control API can set or advance.
//! Token expiry and every timestamp the mock writes follow it.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Makes `now()` read `at` from this moment on (the clock keeps ticking).
    pub fn set(&self, at: DateTime<Utc>) {
        self.offset_ms
            .store((at - Utc::now()).num_milliseconds(), Ordering::Relaxed);
    }

    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }

    /// Back to real time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_and_advance_move_now() {
        let c = Clock::default();
        let at = DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        c.set(at);
        assert!((c.now() - at).num_seconds().abs() < 2);
        c.advance(Duration::hours(25));
        assert!((c.now() - at - Duration::hours(25)).num_seconds().abs() < 2);
        c.reset();
        assert!((c.now() - Utc::now()).num_seconds().abs() < 2);
    }
}
