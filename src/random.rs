//! Random numbers: a seeded generator for what must be reproducible (probability fault rules,
//! generated fixtures), and fresh values for what must not be guessed from the last one (minted
//! tokens, sandbox ids, trace ids).
//!
//! The seeded generator is SplitMix64 (Steele, Lea and Flood, 2014): small, fast, and the same
//! sequence for the same seed on every platform and in every version of the mock. A mock needs
//! no more, and the `rand` family of crates cost the release build several seconds.

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

/// A seeded generator: the same seed gives the same sequence.
#[derive(Debug, Clone)]
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Self {
        Seeded(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in `lo..hi` (`hi > lo`).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        let span = hi - lo;
        lo + ((u128::from(self.next_u64()) * u128::from(span)) >> 64) as u64
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u32) -> u32 {
        self.range(0, u64::from(n)) as u32
    }

    /// A number in `1..=n` (`n > 0`): an id.
    pub fn id_up_to(&mut self, n: u32) -> u32 {
        self.range(1, u64::from(n) + 1) as u32
    }
}

/// A fresh, unpredictable number (from the operating system's randomness, through the
/// standard library's hasher keys).
pub fn fresh_u64() -> u64 {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    RandomState::new().hash_one(CALLS.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence_and_ranges_hold() {
        let mut a = Seeded::new(42);
        let mut b = Seeded::new(42);
        let first: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        assert_eq!(first, (0..8).map(|_| b.next_u64()).collect::<Vec<_>>());
        assert_ne!(
            first,
            (0..8)
                .map(|_| Seeded::new(43).next_u64())
                .collect::<Vec<_>>()
        );
        let mut r = Seeded::new(7);
        for _ in 0..10_000 {
            assert!((10..20).contains(&r.range(10, 20)));
            assert!((0.0..1.0).contains(&r.unit()));
        }
        let below_half = (0..10_000).filter(|_| r.unit() < 0.5).count();
        assert!((4_500..5_500).contains(&below_half), "{below_half}");
    }

    #[test]
    fn fresh_values_differ() {
        let values: std::collections::BTreeSet<u64> = (0..100).map(|_| fresh_u64()).collect();
        assert_eq!(values.len(), 100);
    }
}
