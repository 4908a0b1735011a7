//! DNS rebinding: a server listening on loopback answers loopback names (and `--allowed-host`
//! ones) only, on every route; a server on another address answers any name, and the binary
//! warns when its control API is open to the network without an admin token.

use serde_json::json;
use soteams_mock::ServerConfig;

use crate::helpers::*;
use crate::raw::{self, read_response};

fn port_of(app: &TestApp) -> String {
    app.base.rsplit(':').next().unwrap().to_string()
}

#[tokio::test]
async fn a_foreign_host_is_refused_403_on_every_route_and_changes_nothing() {
    let app = spawn_app().await;
    let sb = app.sandbox().await;
    let rule = json!({"match": {"api": "v3"}, "action": {"status": 503}, "trigger": {"times": 1}});
    let rule = app.fault("", rule).await;
    let port = port_of(&app);
    let hosts = [
        "attacker.example".to_string(),
        format!("attacker.example:{port}"),
        format!("localhost.attacker.example:{port}"),
        "127.0.0.1.nip.io".to_string(),
        "10.0.0.1".to_string(),
    ];
    let routes = [
        ("GET", "/__admin/state".to_string()),
        ("POST", "/__admin/reset".to_string()),
        ("GET", "/api/v3/users/me".to_string()),
        ("GET", "/v3/teams/acme/users/me".to_string()),
        ("POST", "/api/2.3/enterprise/usersync".to_string()),
        ("GET", "/openapi.json".to_string()),
        ("GET", "/swagger-ui/".to_string()),
        ("GET", "/no-such-route".to_string()),
        ("GET", format!("{sb}/api/v3/users/me")),
        ("GET", format!("{sb}/__admin/state")),
        ("GET", "/_sandbox/sb-unknown/api/v3/users/me".to_string()),
    ];
    for host in &hosts {
        for (method, path) in &routes {
            let res = app
                .call(method.parse().unwrap(), path)
                .header("Host", host)
                .token("ada-rw")
                .unchecked() // a refusal of the server's, not an answer of the API
                .send()
                .await;
            let body = res.ok_json(403);
            let error = body["error"].as_str().unwrap();
            assert!(
                error.contains("not a loopback name") && error.contains("--allowed-host"),
                "{method} {path} with Host {host}: {body}"
            );
            assert!(!res.text.contains("ada-rw"), "no token: {}", res.text);
        }
    }
    // Nothing changed: no rule counted a call, nothing was reset, every refusal journaled.
    let rule = app
        .get(&format!("/__admin/faults/{rule}"))
        .send()
        .await
        .ok_json(200);
    assert_eq!(rule["calls"], 0, "{rule}");
    assert_eq!(
        app.journal_count("", "status=403&api=v3").await,
        2 * hosts.len() as u64
    );
    assert_eq!(
        app.journal_count(&sb, "status=403").await,
        2 * hosts.len() as u64
    );
}

#[tokio::test]
async fn loopback_names_and_requests_without_host_are_answered() {
    let app = spawn_app().await;
    let port = port_of(&app);
    for host in [
        format!("localhost:{port}"),
        "LOCALHOST".to_string(),
        format!("app.localhost:{port}"),
        "127.0.0.1".to_string(),
        format!("127.1.2.3:{port}"),
        format!("[::1]:{port}"),
    ] {
        app.get("/api/v3/users/me")
            .header("Host", &host)
            .token("ada-rw")
            .send()
            .await
            .expect(200);
        app.get("/__admin/state")
            .header("Host", &host)
            .send()
            .await
            .expect(200);
    }
    // HTTP/1.0 needs no Host; no browser sends a request without one.
    let mut conn = raw::send(&app.base, "GET /__admin/health HTTP/1.0\r\n\r\n").await;
    let answer = read_response(&mut conn).await.expect("an answer");
    assert_eq!(answer.status, 200, "{answer:?}");
}

#[tokio::test]
async fn allowed_hosts_are_answered_as_well() {
    let app = spawn_app_with_config(ServerConfig {
        allowed_hosts: vec!["mock".into(), "Proxy.Internal:9000".into()],
        ..ServerConfig::default()
    })
    .await;
    for host in ["mock", "MOCK:8080", "proxy.internal:9000"] {
        app.get("/api/v3/users/me")
            .header("Host", host)
            .token("ada-rw")
            .send()
            .await
            .expect(200);
    }
    for host in [
        "attacker.example",
        "proxy.internal:9001",
        "mock.attacker.example",
    ] {
        app.get("/__admin/state")
            .header("Host", host)
            .unchecked()
            .send()
            .await
            .expect(403);
    }
}

#[test]
fn allowed_hosts_come_from_a_repeated_flag_or_a_comma_separated_variable() {
    use clap::Parser;
    let cli = soteams_mock::config::Cli::parse_from([
        "soteams-mock",
        "--allowed-host",
        "mock",
        "--allowed-host",
        "proxy.internal",
    ]);
    assert_eq!(cli.allowed_hosts, ["mock", "proxy.internal"]);
    let (child, base, _lines) =
        start_binary(&[], &[("SOTEAMS_ALLOWED_HOSTS", "mock,proxy.internal")]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let statuses = rt.block_on(async {
        let client = reqwest::Client::new();
        let mut statuses = Vec::new();
        for host in ["mock", "proxy.internal:80", "attacker.example"] {
            let res = client
                .get(format!("{base}/__admin/health"))
                .header("Host", host)
                .send()
                .await
                .unwrap();
            statuses.push(res.status().as_u16());
        }
        statuses
    });
    assert_eq!(statuses, [200, 200, 403]);
    stop_binary(child);
}

#[tokio::test]
async fn a_server_on_another_address_answers_any_host() {
    let app = spawn_app_with_config(ServerConfig {
        host: "0.0.0.0".into(),
        ..ServerConfig::default()
    })
    .await;
    app.get("/api/v3/users/me")
        .header("Host", "mock.internal:8080")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
}

#[test]
fn the_binary_warns_when_its_control_api_is_open_to_the_network() {
    let (child, _, mut lines) = start_binary(&["--host", "0.0.0.0"], &[]);
    let warning = lines
        .by_ref()
        .take(12)
        .map(Result::unwrap)
        .find(|line| line.contains("WARN"))
        .expect("a warning after the banner");
    for expected in [
        "0.0.0.0",
        "not a loopback address",
        "--admin-token",
        "every token",
    ] {
        assert!(warning.contains(expected), "{expected:?} in {warning}");
    }
    stop_binary(child);

    // With an admin token, or on loopback, no warning: the next line is the first request's.
    for args in [&["--host", "0.0.0.0", "--admin-token", "t"][..], &[]] {
        let (child, base, lines) = start_binary(args, &[]);
        let base = base.replace("0.0.0.0", "127.0.0.1");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(
            reqwest::Client::new()
                .get(format!("{base}/no-such-route"))
                .send(),
        )
        .unwrap();
        let after_banner: Vec<String> = lines
            .map(Result::unwrap)
            .skip_while(|line| line.starts_with("  "))
            .take(1)
            .collect();
        assert!(
            after_banner[0].contains("/no-such-route"),
            "{args:?}: no warning before the first request line: {after_banner:?}"
        );
        stop_binary(child);
    }
}
