//! What the server waits for, and how long: the header-read, idle and body-read timeouts, and
//! the connection cap. The limits are set short here; the margins are generous, so that a slow
//! machine does not fail them.

use std::time::Duration;

use serde_json::json;
use soteams_mock::{Limits, ServerConfig};
use tokio::io::AsyncWriteExt;

use crate::helpers::*;
use crate::raw::{self, closed_within, read_response, still_open_after};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

async fn app_with(limits: Limits) -> TestApp {
    spawn_app_with_config(ServerConfig {
        limits,
        ..ServerConfig::default()
    })
    .await
}

#[tokio::test]
async fn a_client_that_sends_half_a_head_is_closed_after_the_header_timeout() {
    let app = app_with(Limits {
        header_read_timeout: ms(300),
        ..Limits::default()
    })
    .await;
    let mut slowloris = raw::send(&app.base, "GET /__admin/health HTTP/1.1\r\nHo").await;
    let took = closed_within(&mut slowloris, Duration::from_secs(5)).await;
    assert!(
        took >= ms(250),
        "closed after {took:?}, before the 300 ms timeout"
    );
    // One byte at a time does not buy more time: the deadline counts from the first byte.
    let mut trickle = raw::connect(&app.base).await;
    let started = std::time::Instant::now();
    let mut closed = false;
    for byte in b"GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n" {
        if trickle.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(ms(100)).await;
    }
    assert!(closed || read_response(&mut trickle).await.is_none());
    assert!(started.elapsed() < Duration::from_secs(4), "closed in time");
    app.get("/__admin/health").send().await.expect(200);
}

#[tokio::test]
async fn a_kept_alive_connection_may_wait_longer_than_the_header_timeout_for_its_next_request() {
    let app = app_with(Limits {
        header_read_timeout: ms(300),
        idle_timeout: Duration::from_secs(30),
        ..Limits::default()
    })
    .await;
    let mut conn = raw::connect(&app.base).await;
    // Silent on a new connection, for longer than the header timeout: still open.
    still_open_after(&mut conn, ms(900)).await;
    conn.write_all(raw::get("/__admin/health").as_bytes())
        .await
        .unwrap();
    let first = read_response(&mut conn).await.expect("an answer");
    assert_eq!(first.status, 200, "{first:?}");
    // The same between two requests on a kept-alive connection.
    still_open_after(&mut conn, ms(900)).await;
    conn.write_all(raw::get("/__admin/health").as_bytes())
        .await
        .unwrap();
    let second = read_response(&mut conn).await.expect("a second answer");
    assert_eq!(second.status, 200, "{second:?}");
}

#[tokio::test]
async fn a_kept_alive_connection_that_sends_half_its_next_head_is_closed_after_the_header_timeout()
{
    let app = app_with(Limits {
        header_read_timeout: ms(300),
        idle_timeout: Duration::from_secs(30),
        ..Limits::default()
    })
    .await;
    let mut conn = raw::send(&app.base, &raw::get("/__admin/health")).await;
    let answer = read_response(&mut conn).await.expect("an answer");
    assert_eq!(answer.status, 200);
    // The next request's head begins, and never ends: its deadline is the header timeout's,
    // not the idle timeout's.
    conn.write_all(b"GET /__admin/health HTTP/1.1\r\nHo")
        .await
        .unwrap();
    let took = closed_within(&mut conn, Duration::from_secs(5)).await;
    assert!(
        took >= ms(250),
        "closed after {took:?}, before the 300 ms timeout"
    );
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_after_the_idle_timeout() {
    let app = app_with(Limits {
        idle_timeout: ms(400),
        ..Limits::default()
    })
    .await;
    let mut conn = raw::send(&app.base, &raw::get("/__admin/health")).await;
    let answer = read_response(&mut conn).await.expect("an answer");
    assert_eq!(answer.status, 200);
    assert_ne!(answer.header("connection"), Some("close"), "kept alive");
    let took = closed_within(&mut conn, Duration::from_secs(5)).await;
    assert!(took >= ms(300), "closed after {took:?}, before the timeout");
    // A new connection that never sends anything is closed too.
    let mut silent = raw::connect(&app.base).await;
    closed_within(&mut silent, Duration::from_secs(5)).await;
}

#[tokio::test]
async fn a_body_slower_than_the_body_timeout_is_answered_400_and_changes_nothing() {
    let app = app_with(Limits {
        body_read_timeout: ms(300),
        ..Limits::default()
    })
    .await;
    let body = json!({"name": "Never", "userIds": [1]}).to_string();
    let head = format!(
        "POST /api/v3/user-groups HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ada-rw\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut conn = raw::send(&app.base, &format!("{head}{}", &body[..5])).await;
    let answer = read_response(&mut conn).await.expect("an answer");
    assert_eq!(answer.status, 400, "{answer:?}");
    let problem = answer.json();
    assert_eq!(
        problem["type"],
        "https://tools.ietf.org/html/rfc7231#section-6.5.1"
    );
    assert!(
        problem["errors"]
            .to_string()
            .contains("--body-read-timeout-ms"),
        "the answer names the timeout: {problem}"
    );
    closed_within(&mut conn, Duration::from_secs(5)).await;
    let groups = app
        .get("/api/v3/user-groups?pageSize=100")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert!(
        !groups.to_string().contains("Never"),
        "no group created: {groups}"
    );
    assert_eq!(
        app.journal_count("", "path=/api/v3/user-groups&status=400")
            .await,
        1
    );

    // The control API answers its own 400.
    let head = "PUT /__admin/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                Content-Length: 40\r\n\r\n{\"now\":";
    let mut conn = raw::send(&app.base, head).await;
    let answer = read_response(&mut conn).await.expect("an answer");
    assert_eq!(answer.status, 400, "{answer:?}");
    assert!(
        answer.json()["error"]
            .as_str()
            .unwrap()
            .contains("did not arrive within 300 ms"),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_request_head_over_64_kib_is_answered_431() {
    let app = spawn_app().await;
    let big = "x".repeat(70 << 10);
    let request =
        format!("GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {big}\r\n\r\n");
    let mut conn = raw::send(&app.base, &request).await;
    let answer = read_response(&mut conn).await.expect("an answer");
    assert_eq!(answer.status, 431, "{answer:?}");
    let fits = "x".repeat(60 << 10);
    app.get("/__admin/health")
        .header("X-Big", &fits)
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn past_the_connection_cap_a_client_waits_until_a_connection_closes() {
    let app = app_with(Limits {
        max_connections: 2,
        ..Limits::default()
    })
    .await;
    // Two connections, answered once each (so accepted) and held open.
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut conn = raw::send(&app.base, &raw::get("/__admin/health")).await;
        assert_eq!(
            read_response(&mut conn).await.expect("an answer").status,
            200
        );
        held.push(conn);
    }
    let client = |timeout| {
        reqwest::Client::builder()
            .timeout(timeout)
            .pool_max_idle_per_host(0)
            .build()
            .unwrap()
    };
    let url = format!("{}/__admin/health", app.base);
    let waiting = client(ms(800)).get(&url).send().await;
    assert!(
        waiting.as_ref().is_err_and(reqwest::Error::is_timeout),
        "the third connection waits: {waiting:?}"
    );
    drop(held.pop());
    let served = client(Duration::from_secs(10)).get(&url).send().await;
    assert_eq!(
        served.expect("served once a connection closed").status(),
        200
    );
}

#[test]
fn the_flags_default_to_the_documented_limits() {
    use clap::Parser;
    let cli = soteams_mock::config::Cli::parse_from(["soteams-mock"]);
    let config = cli.server_config(None);
    assert_eq!(config.limits, Limits::default());
    assert_eq!(
        Limits::default(),
        Limits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
            shutdown_timeout: Duration::from_secs(5),
        },
        "the README's Running table"
    );
    let cli = soteams_mock::config::Cli::parse_from([
        "soteams-mock",
        "--header-read-timeout-ms",
        "1",
        "--idle-timeout-ms",
        "2",
        "--body-read-timeout-ms",
        "3",
        "--max-connections",
        "4",
        "--shutdown-timeout-ms",
        "5",
    ]);
    assert_eq!(
        cli.server_config(None).limits,
        Limits {
            header_read_timeout: ms(1),
            idle_timeout: ms(2),
            body_read_timeout: ms(3),
            max_connections: 4,
            shutdown_timeout: ms(5),
        }
    );
    assert!(
        soteams_mock::config::Cli::try_parse_from(["soteams-mock", "--max-connections", "0"])
            .is_err()
    );
}

/// The CPU time (user and system, in clock ticks) process `pid` has used.
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name (which may hold spaces): state is the 3rd field,
    // utime the 14th and stime the 15th.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_file_descriptors_the_server_backs_off_logs_once_and_recovers() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    // Few file descriptors, and a connection cap above them: accept fails with EMFILE.
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -n 24 && exec \"$0\" \"$@\"", BIN])
        .args(["--port", "0", "--max-connections", "1000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let banner = lines.next().unwrap().unwrap();
    let base = banner
        .strip_prefix("soteams-mock listening on ")
        .unwrap_or_else(|| panic!("a banner: {banner}"))
        .to_string();
    let mut held = Vec::new();
    for _ in 0..40 {
        held.push(raw::connect(&base).await);
    }
    tokio::time::sleep(ms(300)).await;
    let before = cpu_ticks(child.id());
    tokio::time::sleep(Duration::from_secs(1)).await;
    let spent = cpu_ticks(child.id()) - before;
    assert!(
        spent < 30,
        "{spent} ticks of CPU in 1 s while out of file descriptors: a busy loop"
    );
    drop(held);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let health = || client.get(format!("{base}/__admin/health")).send();
    let served = health()
        .await
        .expect("served again once descriptors are free");
    assert_eq!(served.status(), 200);
    // A run of failures is over once accepts have succeeded for a second.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(health().await.unwrap().status(), 200);
    stop_binary(child);
    let logs: Vec<String> = lines.map(Result::unwrap).collect();
    let count = |what: &str| logs.iter().filter(|l| l.contains(what)).count();
    assert_eq!(
        count("cannot accept connections"),
        1,
        "one line per run of failures: {logs:#?}"
    );
    assert_eq!(count("accepting connections again"), 1, "{logs:#?}");
}
