//! The shared application state and the instance a request works on.
//!
//! An [`Instance`] is one isolated world with everything that belongs to it (its store, its
//! rate-limit counters). The server has a root instance; sandboxes (control API) are more
//! instances, each started from the loaded fixtures. Handlers find theirs with [`Inst`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::domain::World;
use crate::ratelimit::RateLimiter;
use crate::store::Store;

/// One isolated world: the root, or a sandbox.
#[derive(Debug)]
pub struct Instance {
    pub store: Store,
    pub rate_limits: RateLimiter,
    /// The usersync quotas per API key (v2.3 `quota_remaining`).
    pub quotas: crate::api::v2::Quotas,
}

impl Instance {
    pub fn new(world: World) -> Self {
        Instance {
            store: Store::new(world),
            rate_limits: RateLimiter::default(),
            quotas: Default::default(),
        }
    }
}

#[derive(Debug)]
pub struct Shared {
    pub root: Arc<Instance>,
    /// Whether rate limits answer 429 when spent (off by default so CI suites are not throttled).
    pub enforce_rate_limits: AtomicBool,
}

/// The router state: cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState(pub Arc<Shared>);

impl AppState {
    pub fn new(world: World, enforce_rate_limits: bool) -> Self {
        AppState(Arc::new(Shared {
            root: Arc::new(Instance::new(world)),
            enforce_rate_limits: AtomicBool::new(enforce_rate_limits),
        }))
    }

    pub fn rate_limits_enforced(&self) -> bool {
        self.0.enforce_rate_limits.load(Ordering::Relaxed)
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
