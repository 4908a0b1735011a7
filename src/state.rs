//! The router's state: what every request can reach, whatever instance it addresses.

use std::convert::Infallible;
use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::Extensions;
use axum::http::request::Parts;
use tokio::sync::Semaphore;

use crate::domain::World;
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
