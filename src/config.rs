//! Command-line flags, each also read from an environment variable (contract §6).
//!
//! Two things clap does not do on its own: a switch's variable takes the spellings people use
//! in shells and compose files (`1`, `yes`, `on`, any case: [`switch`]), and a bad value in a
//! variable is reported under the variable's name ([`Cli::parse_or_exit`]), since the flag
//! clap would name is not what the user typed.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::time::Duration;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, CommandFactory, Parser};

use crate::fixtures::FixtureSource;
use crate::logging::{LogFormat, RequestLogs};
use crate::server::{Limits, ServerConfig};

/// A local, stateful mock of the Stack Overflow for Teams API v3 and the Enterprise usersync API.
#[derive(Debug, Parser)]
#[command(name = "soteams-mock", version, about, after_help = AFTER_HELP)]
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
    #[arg(long, env = "SOTEAMS_RATE_LIMIT", action = ArgAction::SetTrue, value_parser = switch)]
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

/// The end of `--help`: two examples, then where the documentation is.
const AFTER_HELP: &str = "\
Examples:
  soteams-mock
      Serves the embedded default fixtures on http://127.0.0.1:8080. In another shell:
      curl -s http://127.0.0.1:8080/api/v3/users/me -H 'Authorization: Bearer ada-rw'
  soteams-mock --port 0 --fixtures my.json
      Serves my.json on a free port; the banner prints the URL and a curl to try.

Documentation: README.md (the fixture tokens are in its \"Tokens\" table) and docs/ in the
repository. On a running mock: Swagger UI at /swagger-ui/, the OpenAPI document at
/openapi.json, and the control API's index at /__admin.";

/// A switch's value, as a flag's environment variable gives it: `1`, `true`, `yes`, `on` or
/// `0`, `false`, `no`, `off`, in any case (clap alone takes only `true` and `false`).
pub fn switch(value: &str) -> Result<bool, String> {
    const ON: [&str; 4] = ["1", "true", "yes", "on"];
    const OFF: [&str; 4] = ["0", "false", "no", "off"];
    let is = |words: [&str; 4]| words.iter().any(|w| w.eq_ignore_ascii_case(value.trim()));
    if is(ON) {
        Ok(true)
    } else if is(OFF) {
        Ok(false)
    } else {
        Err("expected 1, 0, true, false, yes, no, on or off (in any case)".into())
    }
}

impl Cli {
    /// The flags, or an exit with clap's message, where a bad value that came from an
    /// environment variable names that variable.
    pub fn parse_or_exit() -> Cli {
        match Cli::try_parse() {
            Ok(cli) => cli,
            Err(e) => {
                let args: Vec<OsString> = std::env::args_os().collect();
                match from_environment(&e, &args, |name| std::env::var_os(name)) {
                    Some(message) => {
                        eprintln!("error: {message}\n\nFor more information, try '--help'.");
                        std::process::exit(2);
                    }
                    None => e.exit(),
                }
            }
        }
    }

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

/// When `error` is a bad value of a flag that is not on the command line `args` but set in its
/// environment variable, the message that names the variable; `None` otherwise.
fn from_environment(
    error: &clap::Error,
    args: &[OsString],
    env: impl Fn(&OsStr) -> Option<OsString>,
) -> Option<String> {
    if !matches!(
        error.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    ) {
        return None;
    }
    let Some(ContextValue::String(named)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let mut cmd = Cli::command();
    // An argument shows as in clap's messages (`--port <PORT>`) once the command is built.
    cmd.build();
    let arg = cmd.get_arguments().find(|a| a.to_string() == *named)?;
    let (long, variable) = (arg.get_long()?, arg.get_env()?);
    let on_command_line = args.iter().skip(1).any(|a| {
        let a = a.to_string_lossy();
        a == format!("--{long}") || a.starts_with(&format!("--{long}="))
    });
    if on_command_line {
        return None;
    }
    let value = env(variable)?;
    let why = match (
        error.get(ContextKind::ValidValue),
        std::error::Error::source(error),
    ) {
        _ if value.is_empty() => "it is empty; unset it, or give it a value".to_string(),
        (_, Some(source)) => source.to_string(),
        (Some(ContextValue::Strings(valid)), None) if !valid.is_empty() => {
            format!("possible values: {}", valid.join(", "))
        }
        _ => "not a valid value".to_string(),
    };
    Some(format!(
        "invalid value {:?} in the environment variable {} (--{long}): {why}",
        value.to_string_lossy(),
        variable.to_string_lossy()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_switch_takes_the_usual_spellings_in_any_case() {
        for on in ["1", "true", "TRUE", "yes", "Yes", "on", "ON"] {
            assert_eq!(switch(on), Ok(true), "{on}");
        }
        for off in ["0", "false", "False", "no", "NO", "off", "Off"] {
            assert_eq!(switch(off), Ok(false), "{off}");
        }
        for bad in ["", "2", "y", "enabled", "truee"] {
            assert!(switch(bad).is_err(), "{bad}");
        }
    }

    /// The error clap gives for `args`, explained as if the bad value came from `variable`.
    fn explained(args: &[&str], typed: &[&str], variable: (&str, &str)) -> Option<String> {
        let error = Cli::try_parse_from(args).unwrap_err();
        let typed: Vec<OsString> = typed.iter().map(OsString::from).collect();
        from_environment(&error, &typed, |name| {
            (name == variable.0).then(|| variable.1.into())
        })
    }

    #[test]
    fn a_bad_value_from_a_variable_names_the_variable_not_the_flag() {
        assert_eq!(
            explained(
                &["m", "--port", "eighty"],
                &["m"],
                ("SOTEAMS_PORT", "eighty")
            )
            .as_deref(),
            Some(
                "invalid value \"eighty\" in the environment variable SOTEAMS_PORT (--port): \
                 invalid digit found in string"
            )
        );
        assert_eq!(
            explained(
                &["m", "--log-format", "xml"],
                &["m"],
                ("SOTEAMS_LOG_FORMAT", "xml")
            )
            .as_deref(),
            Some(
                "invalid value \"xml\" in the environment variable SOTEAMS_LOG_FORMAT \
                 (--log-format): possible values: pretty, json"
            )
        );
        // Typed on the command line, the value is clap's to report, with the flag.
        let typed = ["m", "--port", "eighty"];
        assert_eq!(explained(&typed, &typed, ("SOTEAMS_PORT", "1")), None);
        let typed = ["m", "--port=eighty"];
        assert_eq!(explained(&typed, &typed, ("SOTEAMS_PORT", "1")), None);
    }

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
