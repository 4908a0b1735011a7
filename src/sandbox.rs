//! Sandboxes (contract §5): private instances that share one server. Each is created from the
//! loaded fixtures, lives under `/_sandbox/{id}`, and is forgotten when deleted or when it has
//! been idle longer than its timeout. Creating one is cheap: the world's parts are shared with
//! the loaded fixtures until the sandbox writes them (`benches/sandbox.rs` measures it).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::instance::Instance;

/// Idle time after which a sandbox is forgotten, unless its creator chose another.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// The longest idle timeout a sandbox may ask for.
pub const MAX_IDLE_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);
/// Live sandboxes at most, so a runaway suite cannot exhaust memory (mock choice).
pub const MAX_SANDBOXES: usize = 100;
/// Where a sandbox's routes live.
pub const PREFIX: &str = "/_sandbox";
/// The route its routes are nested under.
pub const ROUTE: &str = "/_sandbox/{sandbox}";

#[derive(Debug)]
pub struct Sandbox {
    pub id: String,
    pub instance: Instance,
    pub created_at: DateTime<Utc>,
    pub idle_timeout: Duration,
    last_used: Mutex<Instant>,
}

impl Sandbox {
    fn idle(&self, now: Instant) -> Duration {
        now.saturating_duration_since(
            *self
                .last_used
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    fn expired(&self, now: Instant) -> bool {
        self.idle(now) > self.idle_timeout
    }

    pub fn base_path(&self) -> String {
        format!("{PREFIX}/{}", self.id)
    }

    pub fn view(&self) -> SandboxView {
        SandboxView {
            id: self.id.clone(),
            base_url: self.base_path(),
            created_at: self.created_at,
            idle_timeout_seconds: self.idle_timeout.as_secs(),
            idle_seconds: self.idle(Instant::now()).as_secs(),
        }
    }
}

/// A sandbox as the control API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SandboxView {
    pub id: String,
    /// The path every route of the sandbox starts with: `/_sandbox/{id}`.
    #[schema(example = "/_sandbox/sb-4f9c2a7e1b3d5c60")]
    pub base_url: String,
    pub created_at: DateTime<Utc>,
    pub idle_timeout_seconds: u64,
    /// Seconds since its last request.
    pub idle_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SandboxError {
    #[error("{MAX_SANDBOXES} sandboxes are live already; delete some first")]
    TooMany,
}

/// Every live sandbox.
#[derive(Debug, Default)]
pub struct Sandboxes {
    live: Mutex<HashMap<String, Arc<Sandbox>>>,
}

impl Sandboxes {
    fn live(&self) -> MutexGuard<'_, HashMap<String, Arc<Sandbox>>> {
        self.live.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new sandbox: a fresh copy of `root`'s loaded fixtures.
    pub fn create(
        &self,
        root: &Instance,
        idle_timeout: Duration,
    ) -> Result<Arc<Sandbox>, SandboxError> {
        let mut live = self.live();
        let now = Instant::now();
        live.retain(|_, s| !s.expired(now));
        if live.len() >= MAX_SANDBOXES {
            return Err(SandboxError::TooMany);
        }
        let id = format!("sb-{:016x}", crate::random::fresh_u64());
        let sandbox = Arc::new(Sandbox {
            instance: root.sandbox_copy(id.clone()),
            id,
            created_at: Utc::now(),
            idle_timeout,
            last_used: Mutex::new(Instant::now()),
        });
        live.insert(sandbox.id.clone(), sandbox.clone());
        Ok(sandbox)
    }

    /// The sandbox's instance, marking it used; `None` when unknown or expired (an expired
    /// one is forgotten here).
    pub fn enter(&self, id: &str) -> Option<Instance> {
        let now = Instant::now();
        let mut live = self.live();
        let sandbox = live.get(id)?.clone();
        if sandbox.expired(now) {
            live.remove(id);
            return None;
        }
        drop(live);
        *sandbox
            .last_used
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = now;
        Some(sandbox.instance.clone())
    }

    /// Live sandboxes, oldest first.
    pub fn list(&self) -> Vec<SandboxView> {
        self.sweep();
        let mut all: Vec<SandboxView> = self.live().values().map(|s| s.view()).collect();
        all.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        all
    }

    pub fn remove(&self, id: &str) -> bool {
        self.live().remove(id).is_some()
    }

    /// Forgets every sandbox idle past its timeout.
    pub fn sweep(&self) {
        let now = Instant::now();
        self.live().retain(|_, s| !s.expired(now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::World;
    use crate::instance::Settings;

    #[test]
    fn an_idle_sandbox_expires_and_a_used_one_does_not() {
        let boxes = Sandboxes::default();
        let root = Instance::root(World::default(), Settings::default());
        let short = boxes.create(&root, Duration::from_millis(30)).unwrap();
        let long = boxes.create(&root, DEFAULT_IDLE_TIMEOUT).unwrap();
        assert!(boxes.enter(&short.id).is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(boxes.enter(&short.id).is_none(), "idle past its timeout");
        assert!(boxes.enter(&long.id).is_some());
        assert_eq!(boxes.list().len(), 1);
        assert!(boxes.remove(&long.id));
        assert!(!boxes.remove(&long.id));
    }
}
