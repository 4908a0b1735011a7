//! The router's state: what every request can reach, whatever instance it addresses.

use std::convert::Infallible;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::Extensions;
use axum::http::request::Parts;
use tokio::sync::Semaphore;
use tokio::sync::watch;

use crate::domain::World;
use crate::host::HostPolicy;
use crate::instance::{Instance, Settings};
use crate::logging::RequestLogs;
use crate::sandbox::Sandboxes;

/// Cheap to clone (one reference count).
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
pub struct Shared {
    /// The instance served at the root (not under `/_sandbox/{id}`).
    pub root: Instance,
    pub sandboxes: Sandboxes,
    pub options: Options,
    /// Room for [`USERSYNC_AT_ONCE`] usersync calls read and applied at once, server-wide.
    pub usersync_slots: Arc<Semaphore>,
    /// Set when the server begins to shut down ([`crate::server::serve`]).
    pub shutdown: Shutdown,
}

/// Usersync calls read and applied at once, over all instances (mock limit, README "Limits"):
/// each may take up to three times its 32 MiB body. More wait their turn, their bodies unread.
pub const USERSYNC_AT_ONCE: usize = 4;

/// How the server serves, whatever the instance (from the command line).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The token every control route requires (`--admin-token`); `None` leaves them open.
    pub admin_token: Option<String>,
    /// Where each answer is logged, if it is ([`crate::logging::RequestLogs`]).
    pub request_logs: Option<RequestLogs>,
    /// How long the server waits for clients, and how many it serves at once.
    pub limits: Limits,
    /// Which `Host` headers are answered (DNS rebinding protection).
    pub hosts: HostPolicy,
}

/// How long the server waits for clients, and how many it serves at once. The defaults are
/// the binary's (README, "Running").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From a request's first byte to the end of its head (request line and headers); a
    /// client slower than that (slowloris) has its connection closed.
    pub header_read_timeout: Duration,
    /// From a new connection, or the end of an answer, to the next request's first byte; an
    /// idle kept-alive connection is then closed.
    pub idle_timeout: Duration,
    /// From the end of a request's head to the end of its body; a slower body is answered 400
    /// (the API's own "body could not be read" answer) and the connection closed.
    pub body_read_timeout: Duration,
    /// Connections served at once; the next ones wait in the listen queue until one closes.
    pub max_connections: u32,
    /// Once a shutdown begins, how long in-flight requests may take before the connections
    /// still open are closed and the server returns.
    pub shutdown_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
            shutdown_timeout: Duration::from_secs(5),
        }
    }
}

/// Whether the server is shutting down, for what waits on purpose: an injected delay ends
/// when a shutdown begins, so that it does not hold the shutdown up.
#[derive(Debug)]
pub struct Shutdown(watch::Sender<bool>);

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown(watch::Sender::new(false))
    }
}

impl Shutdown {
    pub fn begin(&self) {
        self.0.send_replace(true);
    }

    /// Resolves once the shutdown has begun (at once if it has).
    pub async fn begun(&self) {
        let _ = self.0.subscribe().wait_for(|begun| *begun).await;
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(world: World, settings: Settings, mut options: Options) -> Self {
        options.admin_token = options.admin_token.filter(|t| !t.is_empty());
        AppState(Arc::new(Shared {
            root: Instance::root(world, settings),
            sandboxes: Sandboxes::default(),
            options,
            usersync_slots: Arc::new(Semaphore::new(USERSYNC_AT_ONCE)),
            shutdown: Shutdown::default(),
        }))
    }
}

/// The instance a request addresses: the sandbox's, when the router nested under
/// `/_sandbox/{sandbox}` put one in the request ([`crate::pipeline::enter_sandbox`]), else the
/// root.
impl FromRequestParts<AppState> for Instance {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(Instance::of(&parts.extensions, state))
    }
}

impl Instance {
    /// The instance a request with these extensions addresses (see the extractor).
    pub fn of(extensions: &Extensions, state: &AppState) -> Instance {
        extensions.get::<Instance>().unwrap_or(&state.root).clone()
    }
}
