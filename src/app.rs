//! The shared application state and the instance a request works on.
//!
//! An [`Instance`] is one isolated world with everything that belongs to it: its store (world,
//! clock, snapshots), its rate-limit counters, its journal and its fault rules. The server has
//! a root instance; sandboxes (control API) are more instances, each started from the loaded
//! fixtures. Handlers find theirs with [`Inst`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::domain::World;
use crate::faults::FaultBook;
use crate::journal::Journal;
use crate::ratelimit::RateLimiter;
use crate::sandbox::Sandboxes;
use crate::store::Store;

/// What every instance starts with (from the command line).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settings {
    /// Whether spent rate limits answer 429 (`--rate-limit`).
    pub rate_limit: bool,
    /// The seed of probability fault rules that name none (`--seed`).
    pub seed: Option<u64>,
}

/// One isolated world: the root, or a sandbox.
#[derive(Debug)]
pub struct Instance {
    pub store: Store,
    pub rate_limits: RateLimiter,
    /// Whether rate limits answer 429 when spent (off by default so CI suites are not throttled).
    enforce_rate_limits: AtomicBool,
    pub journal: Journal,
    pub faults: FaultBook,
    /// The usersync quotas per API key (v2.3 `quota_remaining`).
    pub quotas: crate::api::v2::Quotas,
    /// Rendered v3 reads, kept while the world is unchanged.
    pub reads: crate::cache::ReadCache,
    settings: Settings,
}

impl Instance {
    pub fn new(world: World, settings: Settings) -> Self {
        Instance {
            store: Store::new(world),
            rate_limits: RateLimiter::default(),
            enforce_rate_limits: AtomicBool::new(settings.rate_limit),
            journal: Journal::default(),
            faults: FaultBook::new(settings.seed),
            quotas: Default::default(),
            reads: Default::default(),
            settings,
        }
    }

    pub fn rate_limits_enforced(&self) -> bool {
        self.enforce_rate_limits.load(Ordering::Relaxed)
    }

    pub fn enforce_rate_limits(&self, on: bool) {
        self.enforce_rate_limits.store(on, Ordering::Relaxed);
    }

    /// Back to how the instance started: the loaded fixtures, real time, fresh rate limits
    /// (enforced as the command line said), an empty journal and no fault rules. Snapshots
    /// are kept, so a suite can reset and then restore one (mock choice).
    pub fn reset(&self) {
        self.store.reset();
        self.store.clock.reset();
        self.rate_limits.clear();
        self.enforce_rate_limits(self.settings.rate_limit);
        self.journal.clear();
        self.faults.clear();
        self.quotas.clear();
    }

    /// A fresh instance of the loaded fixtures, with the same settings (a sandbox).
    pub fn fresh_copy(&self) -> Instance {
        Instance::new(self.store.initial().clone(), self.settings)
    }
}

#[derive(Debug)]
pub struct Shared {
    pub root: Arc<Instance>,
    /// The token every control route requires (`--admin-token`); none means open.
    pub admin_token: Option<String>,
    pub sandboxes: Sandboxes,
}

/// The router state: cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState(pub Arc<Shared>);

impl AppState {
    pub fn new(world: World, enforce_rate_limits: bool) -> Self {
        Self::with(
            world,
            Settings {
                rate_limit: enforce_rate_limits,
                seed: None,
            },
            None,
        )
    }

    pub fn with(world: World, settings: Settings, admin_token: Option<String>) -> Self {
        AppState(Arc::new(Shared {
            root: Arc::new(Instance::new(world, settings)),
            admin_token: admin_token.filter(|t| !t.is_empty()),
            sandboxes: Sandboxes::default(),
        }))
    }
}

/// The instance this request addresses: a sandbox's when a sandbox layer put one in the
/// request extensions, the root's otherwise.
#[derive(Debug, Clone)]
pub struct Inst(pub Arc<Instance>);

impl Inst {
    pub fn of(parts: &Parts, state: &AppState) -> Self {
        Inst(
            parts
                .extensions
                .get::<Arc<Instance>>()
                .cloned()
                .unwrap_or_else(|| state.0.root.clone()),
        )
    }
}

impl FromRequestParts<AppState> for Inst {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Inst::of(parts, state))
    }
}

impl std::ops::Deref for Inst {
    type Target = Instance;
    fn deref(&self) -> &Instance {
        &self.0
    }
}
