//! Header values of the numbers the rate-limit headers carry, without an allocation each: every
//! v3 answer has five of them, and `HeaderValue::from(u64)` allocates a buffer per value.
//! The decimal forms of 0–9999 sit in one static table, built at compile time.

use axum::body::Bytes;
use axum::http::HeaderValue;

/// Numbers below this come from the table (the headers' values stay far below it: 5000 calls,
/// 3000 seconds).
const LIMIT: usize = 10_000;
const TABLE_LEN: usize = 10 + 90 * 2 + 900 * 3 + 9000 * 4;
static TABLE: [u8; TABLE_LEN] = table();

const fn width(n: usize) -> usize {
    if n < 10 {
        1
    } else if n < 100 {
        2
    } else if n < 1000 {
        3
    } else {
        4
    }
}

/// Where `n`'s digits start in [`TABLE`].
const fn offset(n: usize) -> usize {
    if n < 10 {
        n
    } else if n < 100 {
        10 + (n - 10) * 2
    } else if n < 1000 {
        190 + (n - 100) * 3
    } else {
        2890 + (n - 1000) * 4
    }
}

const fn table() -> [u8; TABLE_LEN] {
    let mut out = [0u8; TABLE_LEN];
    let mut n = 0;
    while n < LIMIT {
        let (start, mut k, mut rest) = (offset(n), width(n), n);
        while k > 0 {
            k -= 1;
            out[start + k] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        n += 1;
    }
    out
}

/// `n` in decimal, as a header value.
pub fn header_value(n: u64) -> HeaderValue {
    match usize::try_from(n) {
        Ok(n) if n < LIMIT => {
            let digits = &TABLE[offset(n)..offset(n) + width(n)];
            HeaderValue::from_maybe_shared(Bytes::from_static(digits))
                .unwrap_or_else(|_| HeaderValue::from(n))
        }
        _ => HeaderValue::from(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_reads_as_itself() {
        for n in (0..12_000).chain([u64::MAX]) {
            assert_eq!(header_value(n), n.to_string().as_str(), "{n}");
        }
    }
}
