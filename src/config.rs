//! Command-line flags, each also read from an environment variable (contract §6).

use std::path::PathBuf;

use clap::Parser;

use crate::fixtures::FixtureSource;
use crate::logging::{LogFormat, RequestLogs};
use crate::server::ServerConfig;

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
        }
    }
}
