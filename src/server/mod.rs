//! Serving: binding, the accept loop, the bounded shutdown, and [`MockServer`] for starting the
//! mock inside a Rust test, the way `wiremock::MockServer` does. The binary and every test
//! serve through [`serve`]; one connection is `conn`'s.
//!
//! - At most [`Limits::max_connections`] connections are served at once: past that the accept
//!   loop waits for one to close, and new clients wait in the listen queue.
//! - An accept that fails for want of resources (too many open files, say) is retried every
//!   [`ACCEPT_RETRY`], not in a busy loop, and logged once per run of failures.
//! - Shutdown: no new connection; idle connections and those part-way through a request head
//!   close at once; injected delays end ([`crate::state::Shutdown`]); in-flight requests have
//!   [`Limits::shutdown_timeout`] to finish, then the connections still open are closed.

mod conn;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot, watch};
use tokio::task::JoinHandle;

use crate::fixtures::{self, FixtureError, FixtureSource};
use crate::host::HostPolicy;
use crate::instance::Settings;
use crate::logging::RequestLogs;
use crate::state::{AppState, Options};
use conn::Stop;

pub use crate::state::Limits;

/// How long the accept loop waits after an accept failed for want of resources.
pub const ACCEPT_RETRY: Duration = Duration::from_millis(50);
/// The largest request head (request line and headers); a larger one is answered 431.
pub const MAX_HEAD: usize = 64 << 10;

/// How to run the mock.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    pub fixtures: FixtureSource,
    /// Whether spent rate limits answer 429 from the start.
    pub rate_limit: bool,
    /// The token every control route requires (header `X-Admin-Token`); `None` leaves it open.
    pub admin_token: Option<String>,
    /// The seed of probability fault rules that name none.
    pub seed: Option<u64>,
    /// Where each answer is logged, if it is (the binary: its log output, when `info` logs
    /// are on).
    pub request_logs: Option<RequestLogs>,
    /// Timeouts and the connection cap.
    pub limits: Limits,
    /// Host names answered besides the loopback ones, when listening on a loopback address
    /// (`--allowed-host`; `*` answers any).
    pub allowed_hosts: Vec<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            host: "127.0.0.1".into(),
            port: 0,
            fixtures: FixtureSource::Default,
            rate_limit: false,
            admin_token: None,
            seed: None,
            request_logs: None,
            limits: Limits::default(),
            allowed_hosts: Vec::new(),
        }
    }
}

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Fixtures(#[from] FixtureError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// Loads the fixtures and binds the listener; nothing is served until [`serve`].
pub async fn prepare(config: &ServerConfig) -> Result<(TcpListener, AppState), StartError> {
    let world = fixtures::load(&config.fixtures)?;
    let addr = format!("{}:{}", config.host, config.port);
    let bind_error = |source| StartError::Bind {
        addr: addr.clone(),
        source,
    };
    let listener = TcpListener::bind(&addr).await.map_err(bind_error)?;
    let local = listener.local_addr().map_err(bind_error)?;
    let settings = Settings {
        rate_limit: config.rate_limit,
        seed: config.seed,
    };
    let options = Options {
        admin_token: config.admin_token.clone(),
        request_logs: config.request_logs,
        limits: config.limits,
        hosts: HostPolicy::new(local.ip().is_loopback(), &config.allowed_hosts),
    };
    Ok((listener, AppState::new(world, settings, options)))
}

/// Serves until `shutdown` resolves, then shuts down within the shutdown timeout (module docs).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = state.options.limits;
    let app = crate::app::app(state.clone());
    let mut http = http1::Builder::new();
    http.max_header_size(MAX_HEAD);
    let slots = Arc::new(Semaphore::new(limits.max_connections as usize));
    let (stop, stopped) = watch::channel(Stop::Serving);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut failures = AcceptFailures::default();
    loop {
        let slot = tokio::select! {
            biased;
            () = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        let socket = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((socket, _)) => socket,
                Err(error) => {
                    failures.failed(&error).await;
                    continue;
                }
            },
        };
        failures.succeeded();
        let (app, http, stopped) = (app.clone(), http.clone(), stopped.clone());
        tokio::spawn(conn::serve(socket, app, http, limits, stopped, slot));
    }
    drop(listener);
    state.shutdown.begin();
    stop.send_replace(Stop::Draining);
    let all = limits.max_connections;
    if tokio::time::timeout(limits.shutdown_timeout, slots.acquire_many(all))
        .await
        .is_err()
    {
        let open = all as usize - slots.available_permits();
        tracing::warn!(
            open,
            "connection(s) still busy after the shutdown timeout: closing them"
        );
        stop.send_replace(Stop::Now);
        // Each closes at its next poll; a handler stuck on a thread could hold one longer.
        let _ = tokio::time::timeout(Duration::from_secs(1), slots.acquire_many(all)).await;
    }
    Ok(())
}

/// A run of failed accepts: logged when it begins, and when accepts have succeeded again for
/// [`QUIET`] (freeing descriptors takes a few accepts that fail in between).
#[derive(Debug, Default)]
struct AcceptFailures {
    count: u64,
    last: Option<std::time::Instant>,
}

/// How long accepts succeed before a run of failures counts as over.
const QUIET: Duration = Duration::from_secs(1);

impl AcceptFailures {
    /// Waits before the next accept, unless the failure was one client's (its connection was
    /// reset or aborted before it was accepted), which the next accept does not repeat.
    async fn failed(&mut self, error: &std::io::Error) {
        use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
        if matches!(
            error.kind(),
            ConnectionAborted | ConnectionRefused | ConnectionReset
        ) {
            return;
        }
        if self.count == 0 {
            tracing::warn!(
                %error,
                "cannot accept connections (out of file descriptors? see --max-connections and \
                 `ulimit -n`); retrying every {} ms",
                ACCEPT_RETRY.as_millis()
            );
        }
        self.count += 1;
        self.last = Some(std::time::Instant::now());
        tokio::time::sleep(ACCEPT_RETRY).await;
    }

    fn succeeded(&mut self) {
        if self.count > 0 && self.last.is_some_and(|last| last.elapsed() >= QUIET) {
            tracing::warn!(failed = self.count, "accepting connections again");
            self.count = 0;
        }
    }
}

/// A mock server running inside the current process, on a free port of 127.0.0.1.
/// It stops when dropped.
///
/// ```no_run
/// # async fn demo() {
/// let server = soteams_mock::MockServer::start().await;
/// let url = format!("{}/api/v3/users/me", server.uri());
/// # }
/// ```
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl MockServer {
    /// Starts the mock with the embedded default fixtures.
    pub async fn start() -> MockServer {
        Self::start_with(ServerConfig::default())
            .await
            .expect("the embedded fixtures load and a free port exists")
    }

    /// Starts the mock with the given fixture document (JSON text, the fixture format).
    pub async fn start_with_fixtures(json: impl Into<String>) -> Result<MockServer, StartError> {
        Self::start_with(ServerConfig {
            fixtures: FixtureSource::Json(json.into()),
            ..ServerConfig::default()
        })
        .await
    }

    pub async fn start_with(config: ServerConfig) -> Result<MockServer, StartError> {
        let (listener, state) = prepare(&config).await?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.host.clone(),
            source,
        })?;
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, state, async move {
            let _ = rx.await;
        }));
        Ok(MockServer {
            addr,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections and waits for in-flight requests.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
