//! The tokens an instance revoked through the control API, remembered so that a refusal can
//! say `token-revoked` rather than `token-unknown` ([`crate::refusal`]): a revoked token is
//! gone from the world, and nothing else tells it from a typo.
//!
//! Bounded (mock limit): the last [`CAPACITY`] revocations per instance; an older one answers
//! `token-unknown` again. A reset forgets them all, and minting the same string again forgets
//! it. Only a 64-bit hash of each token is kept, so the memory is 8 KiB at most per instance
//! (the token strings would take up to 256 KiB) and no revoked secret stays in memory; two
//! tokens sharing a hash would cost nothing but a wrong reason on a refusal.

use std::collections::VecDeque;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Revocations remembered per instance.
pub const CAPACITY: usize = 1000;

/// See the module docs.
#[derive(Debug, Default)]
pub struct RevokedTokens {
    /// Hashes of the revoked tokens, oldest first.
    recent: Mutex<VecDeque<u64>>,
}

/// The same hash in every process and instance (`DefaultHasher::new` has fixed keys).
fn hash(token: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(token)
}

impl RevokedTokens {
    fn recent(&self) -> MutexGuard<'_, VecDeque<u64>> {
        self.recent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Remembers that `token` was revoked (the newest of the [`CAPACITY`] kept).
    pub fn remember(&self, token: &str) {
        let hash = hash(token);
        let mut recent = self.recent();
        recent.retain(|h| *h != hash);
        if recent.len() == CAPACITY {
            recent.pop_front();
        }
        recent.push_back(hash);
    }

    /// Forgets `token` (minted again: it is no longer revoked).
    pub fn forget(&self, token: &str) {
        let hash = hash(token);
        self.recent().retain(|h| *h != hash);
    }

    /// Whether `token` is among the remembered revocations. Asked only for a token the world
    /// does not hold, so only on a refusal.
    pub fn contains(&self, token: &str) -> bool {
        self.recent().contains(&hash(token))
    }

    /// Forgets every revocation (a reset).
    pub fn clear(&self) {
        self.recent().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_thousand_revocations_are_remembered_until_cleared() {
        let revoked = RevokedTokens::default();
        revoked.remember("bob-ro");
        assert!(revoked.contains("bob-ro"));
        assert!(!revoked.contains("bob-rw"));
        for i in 0..CAPACITY - 1 {
            revoked.remember(&format!("minted-{i}"));
        }
        revoked.remember("bob-ro");
        assert!(
            revoked.contains("minted-0"),
            "revoking again does not take a second place"
        );
        revoked.remember("one-more");
        assert!(!revoked.contains("minted-0"), "the oldest is forgotten");
        assert!(revoked.contains("bob-ro") && revoked.contains("one-more"));
        revoked.forget("bob-ro");
        assert!(!revoked.contains("bob-ro"), "minted again");
        revoked.clear();
        assert!(!revoked.contains("one-more"));
    }
}
