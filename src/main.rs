//! The `soteams-mock` binary: flags, logs, the start-up banner, graceful shutdown. Everything
//! else is in the library.

use std::process::ExitCode;

use clap::Parser;
use soteams_mock::config::Cli;
use soteams_mock::logging::{self, LogFormat};
use soteams_mock::server::{self, StartError};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
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
    banner(cli.log_format, &base);
    if let Err(e) = server::serve(listener, state, shutdown_signal()).await {
        eprintln!("soteams-mock: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Where everything is: lines for a person, or one JSON event with the same URLs.
fn banner(format: LogFormat, base: &str) {
    let urls = [
        ("Enterprise main site (v3)", format!("{base}/api/v3")),
        (
            "Enterprise private team (v3)",
            format!("{base}/api/v3/teams/{{team}}"),
        ),
        (
            "Basic/Business team (v3)",
            format!("{base}/v3/teams/{{team}}"),
        ),
        (
            "Enterprise usersync (v2.3)",
            format!("{base}/api/2.3/enterprise/usersync"),
        ),
        ("OpenAPI", format!("{base}/openapi.json")),
        ("Swagger UI", format!("{base}/swagger-ui/")),
        ("Control API", format!("{base}/__admin")),
        ("Sandboxes", format!("{base}/_sandbox/{{id}}")),
    ];
    match format {
        LogFormat::Pretty => {
            println!("soteams-mock listening on {base}");
            for (label, url) in &urls {
                println!("  {label:<29}{url}");
            }
        }
        LogFormat::Json => {
            let [
                main,
                team,
                cloud,
                usersync,
                openapi,
                swagger,
                control,
                sandboxes,
            ] = urls.map(|(_, url)| url);
            tracing::info!(
                target: "soteams_mock::start",
                url = base,
                enterprise_main = main,
                enterprise_private_team = team,
                cloud_team = cloud,
                usersync,
                openapi,
                swagger_ui = swagger,
                control_api = control,
                sandboxes,
                "soteams-mock listening on {base}"
            );
        }
    }
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
