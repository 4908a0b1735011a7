//! The `soteams-mock` binary: flags, logs, the start-up banner ([`Banner`]; and a warning when
//! the control API is open to the network), the shutdown signal. Everything else is in the
//! library.

use std::process::ExitCode;

use soteams_mock::banner::Banner;
use soteams_mock::config::Cli;
use soteams_mock::logging;
use soteams_mock::ready_file::ReadyFile;
use soteams_mock::server::{self, StartError};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse_or_exit();
    let filter = match logging::filter_from_env() {
        Ok(filter) => filter,
        Err(why) => {
            eprintln!("soteams-mock: {why}");
            return ExitCode::from(2);
        }
    };
    let logs = logging::init(cli.log_format, filter);
    let code = run(&cli, logs.request_logs()).await;
    let dropped = logs.dropped_lines();
    drop(logs);
    if dropped > 0 {
        eprintln!(
            "soteams-mock: {dropped} log line(s) were dropped: the log output could not keep up"
        );
    }
    code
}

async fn run(cli: &Cli, request_logs: Option<logging::RequestLogs>) -> ExitCode {
    let config = cli.server_config(request_logs);
    if cli.check {
        return match soteams_mock::fixtures::load(&config.fixtures) {
            Ok(_) => {
                println!("fixtures OK");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprint!("{e}");
                ExitCode::from(2)
            }
        };
    }
    let shutdown = shutdown_signal();
    let (listener, state) = match server::prepare(&config).await {
        Ok(ready) => ready,
        Err(StartError::Fixtures(e)) => {
            eprint!("soteams-mock: refusing to start: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("soteams-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("soteams-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    let base = format!("http://{addr}");
    let admin_token = config.admin_token.as_deref().is_some_and(|t| !t.is_empty());
    let now = state.root.store.now();
    let banner = state
        .root
        .store
        .read(|world| Banner::new(&base, &config.fixtures, world, now, admin_token));
    banner.print(cli.log_format);
    if !addr.ip().is_loopback() && !admin_token {
        // After the banner, whose first line tools read for the URL.
        tracing::warn!(
            target: "soteams_mock::start",
            "listening on {addr}, which is not a loopback address, without --admin-token: anyone \
             who can reach this port can read every token (GET /__admin/state), rewrite or reset \
             the mock; pass --admin-token (SOTEAMS_ADMIN_TOKEN), or listen on 127.0.0.1"
        );
    }
    // For harnesses (`--ready-file`); the guard removes the file when the server has stopped.
    let ready = cli
        .ready_file
        .as_deref()
        .map(|path| ReadyFile::write(path, &base));
    let _ready = match ready.transpose() {
        Ok(ready) => ready,
        Err(e) => {
            eprintln!("soteams-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = server::serve(listener, state, shutdown).await {
        eprintln!("soteams-mock: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Ctrl-C or SIGTERM; [`server::serve`] then shuts down within `--shutdown-timeout-ms`. The
/// handlers are installed at once, not when first polled: a SIGTERM that comes right after the
/// banner still shuts down gracefully.
fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        )
    };
    async move {
        #[cfg(unix)]
        match signals {
            (Ok(mut interrupt), Ok(mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {},
                    _ = terminate.recv() => {},
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    }
}
