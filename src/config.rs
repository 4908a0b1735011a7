//! Command-line flags, each also read from an environment variable (contract §6).

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::fixtures::FixtureSource;
use crate::logging::{LogFormat, RequestLogs};
use crate::server::{Limits, ServerConfig};

/// A local, stateful mock of the Stack Overflow for Teams API v3 and the Enterprise usersync API.
#[derive(Debug, Parser)]
#[command(name = "soteams-mock", version, about)]
pub struct Cli {
    /// Address to listen on (127.0.0.1 keeps the mock private to this machine).
    #[arg(long, env = "SOTEAMS_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on; 0 picks a free port and prints it.
    #[arg(long, env = "SOTEAMS_PORT", default_value_t = 8080)]
    pub port: u16,
    /// A fixture file, or a directory whose *.json files are merged. Default: the embedded set.
    #[arg(long, env = "SOTEAMS_FIXTURES")]
    pub fixtures: Option<PathBuf>,
    /// Answer 429 when a token's rate limit is spent (off by default).
    #[arg(long, env = "SOTEAMS_RATE_LIMIT", default_value_t = false)]
    pub rate_limit: bool,
    /// Require this token (header `X-Admin-Token`) on every control route (`/__admin/…`).
    #[arg(long, env = "SOTEAMS_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Seed of probability fault rules that name none (default: a random seed per rule,
    /// shown in the rule listing).
    #[arg(long, env = "SOTEAMS_SEED")]
    pub seed: Option<u64>,
    /// Host names answered besides localhost, *.localhost, 127.0.0.0/8 and `[::1]` when the mock
    /// listens on a loopback address (DNS rebinding protection): a proxy's or container's name
    /// for the mock. Repeat the flag, or separate names by commas; `*` answers any name.
    #[arg(
        long = "allowed-host",
        value_name = "NAME",
        env = "SOTEAMS_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,
    /// Milliseconds a client has, from a request's first byte, to send its whole head (request
    /// line and headers); a slower connection is closed.
    #[arg(long, env = "SOTEAMS_HEADER_READ_TIMEOUT_MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_ms: u64,
    /// Milliseconds a client has to send a request's body; a slower body is answered 400 and
    /// its connection closed.
    #[arg(long, env = "SOTEAMS_BODY_READ_TIMEOUT_MS", default_value_t = 30_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub body_read_timeout_ms: u64,
    /// Milliseconds a kept-alive connection may wait for its next request before it is closed.
    #[arg(long, env = "SOTEAMS_IDLE_TIMEOUT_MS", default_value_t = 60_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_ms: u64,
    /// Connections served at once; more wait in the listen queue until one closes.
    #[arg(long, env = "SOTEAMS_MAX_CONNECTIONS", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Milliseconds in-flight requests have to finish after Ctrl-C or SIGTERM; the connections
    /// still open are then closed.
    #[arg(long, env = "SOTEAMS_SHUTDOWN_TIMEOUT_MS", default_value_t = 5_000)]
    pub shutdown_timeout_ms: u64,
    /// Once listening, write the base URL (`http://127.0.0.1:41234`) and a newline to this file,
    /// atomically, for harnesses that start the binary with `--port 0`; removed at shutdown.
    #[arg(long, env = "SOTEAMS_READY_FILE", value_name = "PATH")]
    pub ready_file: Option<PathBuf>,
    /// Log format of the request logs.
    #[arg(long, env = "SOTEAMS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,
    /// Only validate the fixtures, print the result and exit (0 valid, 2 invalid).
    #[arg(long)]
    pub check: bool,
}

impl Cli {
    /// The server's configuration, with the request logs of the installed subscriber.
    pub fn server_config(&self, request_logs: Option<RequestLogs>) -> ServerConfig {
        ServerConfig {
            host: self.host.clone(),
            port: self.port,
            fixtures: self
                .fixtures
                .clone()
                .map_or(FixtureSource::Default, FixtureSource::Path),
            rate_limit: self.rate_limit,
            admin_token: self.admin_token.clone(),
            seed: self.seed,
            request_logs,
            limits: Limits {
                header_read_timeout: Duration::from_millis(self.header_read_timeout_ms),
                idle_timeout: Duration::from_millis(self.idle_timeout_ms),
                body_read_timeout: Duration::from_millis(self.body_read_timeout_ms),
                max_connections: self.max_connections,
                shutdown_timeout: Duration::from_millis(self.shutdown_timeout_ms),
            },
            allowed_hosts: self.allowed_hosts.clone(),
        }
    }
}
