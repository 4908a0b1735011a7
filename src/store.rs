//! The one place that holds a world and its lock.
//!
//! Handlers never lock anything themselves: they pass a closure to [`Store::read`] or
//! [`Store::update`]. The closures are synchronous, so no guard is ever held across an
//! `.await`, and every multi-step change (a usersync team, a group replace) runs under one
//! write lock: concurrent writers serialise, and readers never see half a change.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::domain::World;

#[derive(Debug)]
pub struct Store {
    world: RwLock<World>,
    /// Goes up by one on every [`Store::update`] (and so on every replace, reset and restore),
    /// under the write lock; never goes back. What a reader rendered at one version stays
    /// true until the next ([`crate::cache::ReadCache`]).
    version: AtomicU64,
    /// What `reset` returns to: the loaded fixtures.
    initial: World,
    pub clock: Clock,
    /// Named copies of the world (control API snapshots), by name.
    snapshots: Mutex<BTreeMap<String, Snapshot>>,
}

/// A named copy of the world. Cheap: it shares every part the live world has not written since.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub name: String,
    /// On the mock clock.
    pub created_at: DateTime<Utc>,
    world: World,
}

impl Store {
    pub fn new(world: World) -> Self {
        Store {
            world: RwLock::new(world.clone()),
            version: AtomicU64::new(0),
            initial: world,
            clock: Clock::default(),
            snapshots: Mutex::default(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn read<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        f(&self.world.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Reads the world and the version it is at: both are taken under the same read lock, so
    /// `f` saw exactly that version.
    pub fn read_versioned<R>(&self, f: impl FnOnce(&World) -> R) -> (u64, R) {
        let world = self.world.read().unwrap_or_else(PoisonError::into_inner);
        (self.version.load(Ordering::Acquire), f(&world))
    }

    /// The version as of now. A reader that takes it outside the lock and finds an answer
    /// kept for it gets the world as it was at that version: an answer for a version exists
    /// only once the change that made the version is complete.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// Runs one change under the write lock. Domain methods validate before they change
    /// anything, so an `Err` leaves the world as it was. The version goes up first, under the
    /// lock, whatever `f` does: an unneeded bump costs a cache miss, never a stale answer,
    /// and no reader can see the new version with the old world (readers of the version take
    /// the read lock, [`Store::read_versioned`]).
    pub fn update<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        let mut world = self.world.write().unwrap_or_else(PoisonError::into_inner);
        self.version.fetch_add(1, Ordering::Release);
        f(&mut world)
    }

    /// A copy of the current world (cheap: sites are shared until written).
    pub fn snapshot(&self) -> World {
        self.read(World::clone)
    }

    pub fn replace(&self, world: World) {
        self.update(|w| *w = world);
    }

    /// Back to the loaded fixtures.
    pub fn reset(&self) {
        self.replace(self.initial.clone());
    }

    pub fn initial(&self) -> &World {
        &self.initial
    }

    fn snapshots(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Snapshot>> {
        self.snapshots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Saves the current world under `name`, replacing a snapshot of that name.
    pub fn save_snapshot(&self, name: &str) -> Snapshot {
        let snapshot = Snapshot {
            name: name.to_string(),
            created_at: self.now(),
            world: self.snapshot(),
        };
        self.snapshots().insert(name.to_string(), snapshot.clone());
        snapshot
    }

    /// Makes the snapshot the current world; `false` when there is none of that name.
    pub fn restore_snapshot(&self, name: &str) -> bool {
        let Some(world) = self.snapshots().get(name).map(|s| s.world.clone()) else {
            return false;
        };
        self.replace(world);
        true
    }

    pub fn has_snapshot(&self, name: &str) -> bool {
        self.snapshots().contains_key(name)
    }

    /// Every snapshot, by name.
    pub fn snapshots_list(&self) -> Vec<Snapshot> {
        self.snapshots().values().cloned().collect()
    }

    pub fn delete_snapshot(&self, name: &str) -> bool {
        self.snapshots().remove(name).is_some()
    }
}
