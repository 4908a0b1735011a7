//! Serving: binding, graceful shutdown, and [`MockServer`] for starting the mock inside a Rust
//! test, the way `wiremock::MockServer` does.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::fixtures::{self, FixtureError, FixtureSource};
use crate::instance::Settings;
use crate::logging::RequestLogs;
use crate::state::{AppState, Options};

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
    let listener = TcpListener::bind(&addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })?;
    let settings = Settings {
        rate_limit: config.rate_limit,
        seed: config.seed,
    };
    let options = Options {
        admin_token: config.admin_token.clone(),
        request_logs: config.request_logs,
    };
    Ok((listener, AppState::new(world, settings, options)))
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = crate::app::app(state);
    crate::memory::return_freed_memory();
    axum::serve(listener, tower::make::Shared::new(app))
        .with_graceful_shutdown(shutdown)
        .await
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
