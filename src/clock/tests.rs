//! The clock's range, its saturation and its exactness.

use chrono::{DateTime, Duration, TimeDelta, Utc};

use super::*;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn first() -> DateTime<Utc> {
    at("1970-01-01T00:00:00Z")
}

fn last() -> DateTime<Utc> {
    at("9999-12-31T23:59:59.999999Z")
}

#[test]
fn set_and_advance_move_now() {
    let c = Clock::default();
    let when = at("2020-01-01T00:00:00Z");
    c.set(when).unwrap();
    assert!((c.now() - when).num_seconds().abs() < 2);
    c.advance(25 * 3600).unwrap();
    assert!((c.now() - when - Duration::hours(25)).num_seconds().abs() < 2);
    c.reset();
    assert!((c.now() - Utc::now()).num_seconds().abs() < 2);
}

#[test]
fn both_ends_of_the_range_can_be_set_and_nothing_beyond() {
    let c = Clock::default();
    c.set(first()).unwrap();
    assert!(c.now() >= first() && c.now() < at("1970-01-01T00:01:00Z"));
    c.set(last()).unwrap();
    assert_eq!(c.now(), last(), "the clock stops at the end of its range");
    let before = c.offset_seconds();
    let too_early = first() - TimeDelta::nanoseconds(1);
    assert_eq!(c.set(too_early), Err(OutOfRange::TooEarly));
    let too_late = last() + TimeDelta::nanoseconds(1);
    assert_eq!(c.set(too_late), Err(OutOfRange::TooLate));
    assert_eq!(c.set(DateTime::<Utc>::MAX_UTC), Err(OutOfRange::TooLate));
    assert_eq!(c.set(DateTime::<Utc>::MIN_UTC), Err(OutOfRange::TooEarly));
    assert_eq!(c.offset_seconds(), before, "a refused set changes nothing");
    assert!(in_range(first()) && in_range(last()));
    assert!(!in_range(too_early) && !in_range(too_late));
}

#[test]
fn an_advance_that_would_leave_the_range_is_refused_and_changes_nothing() {
    let c = Clock::default();
    c.set(at("9999-12-31T00:00:00Z")).unwrap();
    let before = c.offset_seconds();
    assert_eq!(c.advance(86_400), Err(OutOfRange::TooLate));
    assert_eq!(c.advance(i64::MAX), Err(OutOfRange::TooLate));
    assert_eq!(c.advance(i64::MIN), Err(OutOfRange::TooEarly));
    assert_eq!(c.offset_seconds(), before);
    c.advance(3_600).unwrap();
    assert_eq!(c.offset_seconds(), before + 3_600);

    c.set(at("1970-01-02T00:00:00Z")).unwrap();
    assert_eq!(c.advance(-2 * 86_400), Err(OutOfRange::TooEarly));
    c.advance(-3_600).unwrap();
    assert!(c.now() < at("1970-01-02T00:00:00Z"));
}

#[test]
fn now_never_panics_and_saturates_at_the_ends() {
    let c = Clock::default();
    c.offset_micros
        .store(i64::MAX, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(c.now(), last());
    c.offset_micros
        .store(i64::MIN, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(c.now(), first());
    assert_eq!(saturating_add(last(), TimeDelta::hours(24)), last());
    assert_eq!(
        saturating_add(DateTime::<Utc>::MAX_UTC, TimeDelta::MAX),
        last()
    );
    assert_eq!(saturating_add(first(), TimeDelta::seconds(-1)), first());
    assert_eq!(
        saturating_add(at("2030-01-01T00:00:00Z"), TimeDelta::hours(24)),
        at("2030-01-02T00:00:00Z")
    );
}

#[test]
fn the_clock_never_reads_before_the_instant_it_was_set_to() {
    let c = Clock::default();
    // Instants with every kind of fraction: whole seconds, milliseconds, sub-microseconds.
    for text in [
        "2030-01-01T00:00:00Z",
        "2030-01-01T00:00:00.000001Z",
        "2030-01-01T00:00:00.999999999Z",
        "2019-12-31T23:59:59.9995Z",
        "2000-06-15T12:00:00.123456789Z",
    ] {
        for _ in 0..200 {
            c.set(at(text)).unwrap();
            let read = c.now();
            assert!(read >= at(text), "set {text}, read {read}");
            assert!(
                read - at(text) < TimeDelta::seconds(1),
                "set {text}, read {read}"
            );
        }
    }
}

#[test]
fn an_advance_moves_the_offset_by_exactly_the_seconds_asked() {
    let c = Clock::default();
    c.advance(86_400).unwrap();
    assert_eq!(c.offset_seconds(), 86_400);
    c.advance(-86_400 * 2).unwrap();
    assert_eq!(c.offset_seconds(), -86_400);
    c.reset();
    assert_eq!(c.offset_seconds(), 0);
}
