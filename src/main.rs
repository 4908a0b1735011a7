//! The `soteams-mock` binary: flags, logs, startup lines, graceful shutdown. Everything else is
//! in the library.

use std::process::ExitCode;

use clap::Parser;
use soteams_mock::config::{Cli, LogFormat};
use soteams_mock::server::{self, StartError};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    match cli.log_format {
        LogFormat::Pretty => tracing_subscriber::fmt().with_env_filter(filter).init(),
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init(),
    }
    let config = cli.server_config();
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
    let base = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}"),
        Err(e) => {
            eprintln!("soteams-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("soteams-mock listening on {base}");
    println!("  Enterprise main site (v3)    {base}/api/v3");
    println!("  Enterprise private team (v3) {base}/api/v3/teams/{{team}}");
    println!("  Basic/Business team (v3)     {base}/v3/teams/{{team}}");
    println!("  Enterprise usersync (v2.3)   {base}/api/2.3/enterprise/usersync");
    println!("  OpenAPI                      {base}/openapi.json");
    println!("  Swagger UI                   {base}/swagger-ui/");
    println!("  Control API                  {base}/__admin  (sandboxes: {base}/_sandbox/{{id}})");
    if let Err(e) = server::serve(listener, state, shutdown_signal()).await {
        eprintln!("soteams-mock: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
