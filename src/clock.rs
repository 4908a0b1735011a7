//! The mock clock: real time plus an offset that the control API can set or advance.
//! Token expiry and every timestamp the mock writes follow it.
//!
//! **Range** (mock choice): the clock reads only instants from 1970-01-01T00:00:00Z to
//! 9999-12-31T23:59:59.999999Z, years with four digits that every RFC 3339 reader takes, and
//! far enough from chrono's limits that the arithmetic done on the clock's time (a token's
//! default expiry) is always representable. [`Clock::set`] and [`Clock::advance`] refuse to
//! leave the range; [`Clock::now`] saturates at its ends (real time keeps ticking, so a clock
//! set to the very end would otherwise run past it), so reading the clock never panics.
//!
//! **Exactness:** the offset is kept in whole microseconds and rounded *up* when the clock is
//! set, and all arithmetic is done in integer nanoseconds: the clock never reads before the
//! instant it was set to, so setting it to a token's `expiresAt` expires that token at once.
//! An advance moves the offset by exactly the seconds asked.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const NANOS_PER_MICRO: i128 = 1_000;
/// 1970-01-01T00:00:00Z.
const MIN_NANOS: i128 = 0;
/// 9999-12-31T23:59:59.999999Z (253402300800 is 10000-01-01T00:00:00Z).
const MAX_NANOS: i128 = 253_402_300_799 * NANOS_PER_SECOND + 999_999_000;

/// The clock's range, as error messages and the docs state it.
pub const RANGE: &str = "1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z";

/// A set or an advance that would take the clock out of [`RANGE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OutOfRange {
    #[error("before 1970-01-01T00:00:00Z, the start of the clock's range")]
    TooEarly,
    #[error("after 9999-12-31T23:59:59.999999Z, the end of the clock's range")]
    TooLate,
}

#[derive(Debug, Default)]
pub struct Clock {
    /// How far the mock clock is ahead of real time (negative: behind), in microseconds.
    /// Microseconds, not nanoseconds: the range spans ~8000 years, more than an `i64` of
    /// nanoseconds holds (~292 years).
    offset_micros: AtomicI64,
}

impl Clock {
    /// The mock time: real time plus the offset, held inside [`RANGE`].
    pub fn now(&self) -> DateTime<Utc> {
        at_nanos(nanos_of(Utc::now()) + self.offset_nanos())
    }

    /// Makes `now()` read `at` from this moment on (the clock keeps ticking). Never reads
    /// before `at`: the offset is rounded up to the next microsecond.
    pub fn set(&self, at: DateTime<Utc>) -> Result<(), OutOfRange> {
        let target = nanos_of(at);
        check(target)?;
        let ahead = target - nanos_of(Utc::now());
        let micros =
            ahead.div_euclid(NANOS_PER_MICRO) + i128::from(ahead.rem_euclid(NANOS_PER_MICRO) > 0);
        // Both ends of the range are within ~10^17 µs of any real time: this always fits.
        let micros = i64::try_from(micros).map_err(|_| side(target))?;
        self.offset_micros.store(micros, Ordering::Relaxed);
        Ok(())
    }

    /// Moves the clock by exactly `seconds` (negative moves it back), unless that would take
    /// it out of [`RANGE`]; checked and applied in one atomic step, so concurrent advances
    /// cannot together pass the range.
    pub fn advance(&self, seconds: i64) -> Result<(), OutOfRange> {
        let by = i128::from(seconds) * 1_000_000;
        let real = nanos_of(Utc::now());
        let mut refused = None;
        let moved =
            self.offset_micros
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |current| {
                    let next = i128::from(current) + by;
                    match check(real + next * NANOS_PER_MICRO) {
                        Ok(()) => i64::try_from(next).ok(),
                        Err(e) => {
                            refused = Some(e);
                            None
                        }
                    }
                });
        match moved {
            Ok(_) => Ok(()),
            Err(_) => Err(refused.unwrap_or(if seconds < 0 {
                OutOfRange::TooEarly
            } else {
                OutOfRange::TooLate
            })),
        }
    }

    /// The offset from real time in whole seconds (truncated toward zero): exactly the sum of
    /// the advances since real time, whatever time it took to ask.
    pub fn offset_seconds(&self) -> i64 {
        self.offset_micros.load(Ordering::Relaxed) / 1_000_000
    }

    /// Back to real time.
    pub fn reset(&self) {
        self.offset_micros.store(0, Ordering::Relaxed);
    }

    fn offset_nanos(&self) -> i128 {
        i128::from(self.offset_micros.load(Ordering::Relaxed)) * NANOS_PER_MICRO
    }
}

/// Whether `at` is inside the clock's [`RANGE`].
pub fn in_range(at: DateTime<Utc>) -> bool {
    check(nanos_of(at)).is_ok()
}

/// `at + by`, held inside [`RANGE`] (for expiry times computed from the clock).
pub fn saturating_add(at: DateTime<Utc>, by: TimeDelta) -> DateTime<Utc> {
    let by = i128::from(by.num_seconds()) * NANOS_PER_SECOND + i128::from(by.subsec_nanos());
    at_nanos(nanos_of(at) + by)
}

fn check(nanos: i128) -> Result<(), OutOfRange> {
    if (MIN_NANOS..=MAX_NANOS).contains(&nanos) {
        Ok(())
    } else {
        Err(side(nanos))
    }
}

fn side(nanos: i128) -> OutOfRange {
    if nanos < MIN_NANOS {
        OutOfRange::TooEarly
    } else {
        OutOfRange::TooLate
    }
}

/// Nanoseconds since the Unix epoch; an `i128` holds every instant chrono can (an `i64` only
/// the years 1677 to 2262). A leap second's nanoseconds (≥ 10^9) simply add on.
fn nanos_of(at: DateTime<Utc>) -> i128 {
    i128::from(at.timestamp()) * NANOS_PER_SECOND + i128::from(at.timestamp_subsec_nanos())
}

/// The instant `nanos` after the epoch, clamped to [`RANGE`].
fn at_nanos(nanos: i128) -> DateTime<Utc> {
    let nanos = nanos.clamp(MIN_NANOS, MAX_NANOS);
    let (secs, sub) = (
        nanos.div_euclid(NANOS_PER_SECOND),
        nanos.rem_euclid(NANOS_PER_SECOND),
    );
    // Inside the range both parts fit and chrono accepts them; the epoch is never reached.
    DateTime::from_timestamp(secs as i64, sub as u32).unwrap_or(DateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests;
