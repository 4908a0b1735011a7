//! The instance a request works on: one isolated world with everything that belongs to it, its
//! store (world, clock, snapshots), read cache, rate-limit counters, usersync quotas, journal,
//! fault rules and the tokens it revoked.
//!
//! The server has a root instance; each sandbox ([`crate::sandbox`]) is another, started from
//! the loaded fixtures. Handlers take the instance a request addresses as an extractor,
//! `async fn handler(inst: Instance)` ([`crate::state`]).
//! An [`Instance`] is a handle: cloning it is one reference count.

use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cache::ReadCache;
use crate::domain::World;
use crate::faults::FaultBook;
use crate::journal::Journal;
use crate::quota::Quotas;
use crate::ratelimit::RateLimiter;
use crate::revoked::RevokedTokens;
use crate::roster_changes::RosterChanges;
use crate::store::Store;

/// What every instance starts with (from the command line).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settings {
    /// Whether spent rate limits answer 429 (`--rate-limit`).
    pub rate_limit: bool,
    /// The seed of probability fault rules that name none (`--seed`).
    pub seed: Option<u64>,
}

/// One isolated world: the root, or a sandbox. See the module docs.
#[derive(Debug, Clone)]
pub struct Instance(Arc<Holdings>);

/// What an instance holds.
#[derive(Debug)]
pub struct Holdings {
    pub store: Store,
    /// Rendered v3 reads, kept while the world is unchanged.
    pub reads: ReadCache,
    pub rate_limits: RateLimiter,
    /// Whether rate limits answer 429 when spent (off by default so CI suites are not throttled).
    enforce_rate_limits: AtomicBool,
    /// The usersync quotas per API key (v2.3 `quota_remaining`).
    pub quotas: Quotas,
    pub journal: Journal,
    pub faults: FaultBook,
    /// What each usersync call did to the rosters (the dashboard's roster diffs).
    pub roster_changes: RosterChanges,
    /// The tokens revoked through the control API, so a refusal can say so.
    pub revoked: RevokedTokens,
    /// The sandbox's id; `None` for the root.
    pub sandbox: Option<String>,
    settings: Settings,
}

impl Deref for Instance {
    type Target = Holdings;
    fn deref(&self) -> &Holdings {
        &self.0
    }
}

impl Instance {
    /// The root instance, holding `world`.
    pub fn root(world: World, settings: Settings) -> Self {
        Self::new(world, settings, None)
    }

    fn new(world: World, settings: Settings, sandbox: Option<String>) -> Self {
        Instance(Arc::new(Holdings {
            store: Store::new(world),
            reads: ReadCache::default(),
            rate_limits: RateLimiter::default(),
            enforce_rate_limits: AtomicBool::new(settings.rate_limit),
            quotas: Quotas::default(),
            journal: Journal::default(),
            faults: FaultBook::new(settings.seed),
            roster_changes: RosterChanges::default(),
            revoked: RevokedTokens::default(),
            sandbox,
            settings,
        }))
    }

    /// A fresh instance of the loaded fixtures with the same settings: sandbox `id`.
    pub fn sandbox_copy(&self, id: String) -> Instance {
        Self::new(self.store.initial().clone(), self.settings, Some(id))
    }

    /// Whether two handles are the same instance.
    pub fn same(&self, other: &Instance) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Holdings {
    pub fn rate_limits_enforced(&self) -> bool {
        self.enforce_rate_limits.load(Ordering::Relaxed)
    }

    pub fn enforce_rate_limits(&self, on: bool) {
        self.enforce_rate_limits.store(on, Ordering::Relaxed);
    }

    /// Back to how the instance started: the loaded fixtures, real time, fresh rate limits
    /// (enforced as the command line said), an empty journal numbered from 1 again, no
    /// fault rules (the next is `f1`) and no revoked tokens remembered. Snapshots are kept,
    /// so a suite can reset and then restore one (mock choice).
    pub fn reset(&self) {
        self.store.reset();
        self.store.clock.reset();
        self.rate_limits.clear();
        self.enforce_rate_limits(self.settings.rate_limit);
        self.journal.clear();
        self.faults.reset();
        self.quotas.clear();
        self.roster_changes.clear();
        self.revoked.clear();
    }
}
