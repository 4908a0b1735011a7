//! Shutdown: SIGTERM ends injected delays (each delayed request gets the answer it would have
//! got), closes idle and half-sent connections at once, and exits within the shutdown timeout
//! whatever clients do. `MockServer::stop` shuts down the same way.

use std::time::{Duration, Instant};

use serde_json::json;
use soteams_mock::MockServer;

use crate::helpers::*;
use crate::raw::{self, read_response};

/// Waits until fault rule `id` has counted `calls` calls: the delayed requests are in flight.
async fn wait_for_calls(app: &TestApp, id: &str, calls: u64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rule = app
            .get(&format!("/__admin/faults/{id}"))
            .send()
            .await
            .ok_json(200);
        if rule["calls"] == calls {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the delayed call never arrived: {rule}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A v3 GET of `path` by Ada, sent from a task of its own.
fn get_later(
    base: &str,
    path: &str,
) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
    let url = format!("{base}{path}");
    tokio::spawn(async move {
        reqwest::Client::new()
            .get(url)
            .bearer_auth("ada-rw")
            .send()
            .await
    })
}

/// Two delayed requests (60 s; one then answers 503) in flight on `app`.
async fn delayed_requests(
    app: &TestApp,
) -> [tokio::task::JoinHandle<reqwest::Result<reqwest::Response>>; 2] {
    let slow = json!({"match": {"path": "/api/v3/users/me"}, "action": {"delayMs": 60000}});
    let slow = app.fault("", slow).await;
    let failing =
        json!({"match": {"path": "/api/v3/tags"}, "action": {"delayMs": 60000, "status": 503}});
    let failing = app.fault("", failing).await;
    let requests = [
        get_later(&app.base, "/api/v3/users/me"),
        get_later(&app.base, "/api/v3/tags"),
    ];
    wait_for_calls(app, &slow, 1).await;
    wait_for_calls(app, &failing, 1).await;
    requests
}

/// Each delayed request got the answer it would have got after its delay.
async fn assert_answered(
    requests: [tokio::task::JoinHandle<reqwest::Result<reqwest::Response>>; 2],
) {
    let [me, tags] = requests;
    let me = me.await.unwrap().expect("the delayed request is answered");
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["accountId"], 1001, "Ada, as without the shutdown: {me}");
    let tags = tags
        .await
        .unwrap()
        .expect("the delayed request is answered");
    assert_eq!(tags.status(), 503, "the rule's status");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_delays_closes_idle_and_half_sent_connections_and_exits_at_once() {
    let (child, base, lines) = start_binary(&[], &[]);
    let app = TestApp::at(&base);
    let requests = delayed_requests(&app).await;
    let mut slowloris = raw::send(&base, "GET /api/v3/users/me HTTP/1.1\r\nAuthoriz").await;
    let mut idle = raw::send(&base, &raw::get("/__admin/health")).await;
    assert_eq!(read_response(&mut idle).await.unwrap().status, 200);

    let took = tokio::task::spawn_blocking(move || stop_binary(child))
        .await
        .unwrap();
    eprintln!("shutdown: SIGTERM to exit in {took:?} (slowloris, idle, two delayed requests)");
    // Nothing held the shutdown up: it did not wait for its 5 s timeout.
    assert!(
        took < Duration::from_secs(4),
        "SIGTERM took {took:?} to exit"
    );
    assert_answered(requests).await;
    assert!(read_response(&mut slowloris).await.is_none(), "closed");
    assert!(read_response(&mut idle).await.is_none(), "closed");
    let logs: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(
        !logs.iter().any(|l| l.contains("still busy")),
        "no connection outlived the shutdown timeout: {logs:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_closes_a_connection_still_busy_after_the_shutdown_timeout() {
    let (child, base, lines) = start_binary(&["--shutdown-timeout-ms", "1000"], &[]);
    // A body that never ends: busy until the body-read timeout (30 s).
    let mut stuck = raw::send(
        &base,
        "PUT /__admin/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n\r\n{\"now\"",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let took = tokio::task::spawn_blocking(move || stop_binary(child))
        .await
        .unwrap();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(10),
        "SIGTERM took {took:?}: the 1 s timeout, then the busy connection is closed"
    );
    assert!(
        read_response(&mut stuck).await.is_none(),
        "closed unanswered"
    );
    let logs: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(
        logs.iter()
            .any(|l| l.contains("still busy after the shutdown timeout")),
        "the forced close is logged: {logs:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mock_server_stop_ends_delays_and_returns_at_once() {
    let server = MockServer::start().await;
    let app = TestApp::at(&server.uri());
    let requests = delayed_requests(&app).await;
    let started = Instant::now();
    server.stop().await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "stop took {:?}",
        started.elapsed()
    );
    assert_answered(requests).await;
}
