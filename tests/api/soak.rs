//! The soak: the binary in its default configuration takes mixed traffic, normal and hostile,
//! for a bounded time (`SOAK_SECONDS`, default 10); then its state still loads as fixtures,
//! it answers normally, no answer was a 5xx it was not told to give, and its resident memory
//! stayed under a bound. BENCHMARKS.md records the memory before and after.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use soteams_mock::fixtures::from_documents;

use crate::helpers::*;

/// The resident memory the binary may reach during the soak (idle it holds about 9 MiB; each
/// bounded collection is filled by the hostile traffic: journal, read cache, fault rules,
/// sandboxes, snapshots).
const RSS_BOUND_MIB: u64 = 256;

fn rss_mib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

/// What the traffic saw.
#[derive(Default)]
struct Tally {
    calls: AtomicU64,
    /// 5xx answers to requests that asked for none.
    unasked_5xx: AtomicU64,
}

impl Tally {
    fn saw(&self, status: u16, asked_for_5xx: bool, what: &str) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if status >= 500 && !asked_for_5xx {
            eprintln!("soak: {what} answered {status}");
            self.unasked_5xx.fetch_add(1, Ordering::Relaxed);
        }
    }
}

struct Soak {
    client: reqwest::Client,
    url: String,
    tally: Tally,
    until: Instant,
}

impl Soak {
    async fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: Option<Value>,
    ) -> Option<(u16, String)> {
        let mut req = self
            .client
            .request(method.parse().unwrap(), format!("{}{path}", self.url));
        for (name, value) in headers {
            req = req.header(*name, value);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let asked = headers.iter().any(|(n, _)| *n == "x-mock-fault");
        match req.send().await {
            Ok(res) => {
                let status = res.status().as_u16();
                let text = res.text().await.unwrap_or_default();
                let injected = text.contains("injected");
                self.tally
                    .saw(status, asked || injected, &format!("{method} {path}"));
                Some((status, text))
            }
            // A dropped connection is what `drop` asks for.
            Err(_) if asked => None,
            Err(e) => panic!("{method} {path}: {e}"),
        }
    }

    fn running(&self) -> bool {
        Instant::now() < self.until
    }
}

fn bearer(token: &str) -> Vec<(&'static str, String)> {
    vec![("authorization", format!("Bearer {token}"))]
}

async fn reader(s: Arc<Soak>) {
    while s.running() {
        for path in [
            "/api/v3/users/me",
            "/api/v3/user-groups?pageSize=50",
            "/api/v3/tags?hasSmes=true",
            "/v3/teams/acme/users",
        ] {
            let token = if path.starts_with("/v3/teams/acme") {
                "acme-admin-rw"
            } else {
                "ada-rw"
            };
            s.call("GET", path, &bearer(token), None).await;
        }
    }
}

async fn writer(s: Arc<Soak>) {
    let mut n = 0;
    while s.running() {
        n += 1;
        let body = json!({"name": format!("soak {n}"), "description": "d", "userIds": [1, 2]});
        if let Some((201, text)) = s
            .call("POST", "/api/v3/user-groups", &bearer("ada-rw"), Some(body))
            .await
        {
            let id = serde_json::from_str::<Value>(&text).unwrap()["id"]
                .as_u64()
                .unwrap();
            s.call(
                "POST",
                &format!("/api/v3/user-groups/{id}/members"),
                &bearer("ada-rw"),
                Some(json!([4])),
            )
            .await;
            s.call(
                "DELETE",
                &format!("/api/v3/user-groups/{id}/members/2"),
                &bearer("ada-rw"),
                None,
            )
            .await;
        }
        s.call(
            "PUT",
            "/api/v3/tags/1/subject-matter-experts",
            &bearer("ada-rw"),
            Some(json!({"userIds": [1], "userGroupIds": [1]})),
        )
        .await;
    }
}

async fn syncer(s: Arc<Soak>) {
    let members: Vec<Value> = (0..2000)
        .map(|i| json!({"UserIdentifier": if i == 0 { "ada".to_string() } else { format!("nobody-{i}") }, "Level": "Admin"}))
        .collect();
    let requests = json!([{"Team": "productone", "Members": members}]).to_string();
    let mut dry = true;
    while s.running() {
        let res = s
            .client
            .post(format!("{}/api/2.3/enterprise/usersync", s.url))
            .form(&[
                ("access_token", "ada-rw"),
                ("key", "local-key"),
                ("dryRun", if dry { "true" } else { "false" }),
                ("requestsJson", &requests),
            ])
            .send()
            .await
            .unwrap();
        s.tally.saw(res.status().as_u16(), false, "usersync");
        dry = !dry;
    }
}

async fn hostile(s: Arc<Soak>, seed: u64) {
    let mut n = seed;
    let filler = "h".repeat(1000);
    while s.running() {
        n = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        match n >> 60 {
            0 => {
                let token = format!("{n:x}{}", "r".repeat(4000));
                s.call("GET", "/api/v3/users/me", &bearer(&token), None)
                    .await;
            }
            1 => {
                let mut headers = bearer("ada-rw");
                for i in 0..40 {
                    headers.push((
                        ["x-a", "x-b", "x-c", "x-d", "x-e", "x-f", "x-g", "x-h"][i % 8],
                        filler.clone(),
                    ));
                }
                s.call(
                    "GET",
                    &format!("/api/v3/users/me?{}", "q".repeat(3000)),
                    &headers,
                    None,
                )
                .await;
            }
            2 => {
                s.call(
                    "GET",
                    "/api/v3/users/by-email/x@example.com",
                    &[
                        ("authorization", "Bearer ada-rw".into()),
                        ("x-mock-fault", "status=503".into()),
                    ],
                    None,
                )
                .await;
            }
            3 => {
                s.call(
                    "GET",
                    "/api/v3/users/me",
                    &[
                        ("authorization", "Bearer ada-rw".into()),
                        ("x-mock-fault", "drop".into()),
                    ],
                    None,
                )
                .await;
            }
            4 | 5 => {
                let rule = json!({"match": {"path": "/api/v3/users/by-email/*"}, "action": {"status": 502}, "trigger": {"probability": 0.5}});
                if let Some((409, _)) = s.call("POST", "/__admin/faults", &[], Some(rule)).await {
                    s.call("DELETE", "/__admin/faults", &[], None).await;
                }
            }
            6 => {
                if let Some((201, text)) = s.call("POST", "/__admin/sandboxes", &[], None).await {
                    let base = serde_json::from_str::<Value>(&text).unwrap()["baseUrl"]
                        .as_str()
                        .unwrap()
                        .to_string();
                    s.call(
                        "GET",
                        &format!("{base}/api/v3/users/me"),
                        &bearer("ada-rw"),
                        None,
                    )
                    .await;
                    s.call(
                        "POST",
                        &format!("{base}/api/v3/user-groups"),
                        &bearer("ada-rw"),
                        Some(json!({"name": "sandboxed"})),
                    )
                    .await;
                    if n & 1 == 0 {
                        s.call("DELETE", &base, &[], None).await;
                    }
                }
            }
            7 => {
                let name = format!("snap{}", n % 40);
                if let Some((409, _)) = s
                    .call(
                        "POST",
                        "/__admin/snapshots",
                        &[],
                        Some(json!({"name": name})),
                    )
                    .await
                {
                    s.call(
                        "POST",
                        &format!("/__admin/snapshots/{name}/restore"),
                        &[],
                        None,
                    )
                    .await;
                    s.call("DELETE", &format!("/__admin/snapshots/{name}"), &[], None)
                        .await;
                }
            }
            8 => {
                let res = s
                    .client
                    .post(format!("{}/api/v3/user-groups", s.url))
                    .header("authorization", "Bearer ada-rw")
                    .header("content-type", "application/json")
                    .body(format!("{}{{\"name\":", "[".repeat(5000)))
                    .send()
                    .await
                    .unwrap();
                s.tally.saw(res.status().as_u16(), false, "nested JSON");
            }
            9 => {
                s.call("GET", "/__admin/requests?limit=1000", &[], None)
                    .await;
            }
            10 => {
                s.call(
                    "POST",
                    "/__admin/tokens",
                    &[],
                    Some(json!({"accountId": 1001, "kind": "oauth", "description": "soak"})),
                )
                .await;
            }
            11 if n.is_multiple_of(16) => {
                s.call("POST", "/__admin/reset", &[], None).await;
            }
            _ => {
                s.call(
                    "GET",
                    "/api/v3/user-groups/99999999999",
                    &bearer("ada-rw"),
                    None,
                )
                .await;
            }
        }
    }
}

#[tokio::test]
async fn mixed_hostile_and_normal_traffic_leaves_the_binary_sound_and_bounded() {
    let seconds: u64 = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let (child, url, logs) = start_binary(&[], &[]);
    // The logs go to a pipe, read as CI reads them.
    let drain = std::thread::spawn(move || logs.map_while(Result::ok).count());
    let pid = child.id();
    let idle = rss_mib(pid, "VmRSS:");
    let soak = Arc::new(Soak {
        client: reqwest::Client::new(),
        url: url.clone(),
        tally: Tally::default(),
        until: Instant::now() + Duration::from_secs(seconds),
    });
    let mut tasks = Vec::new();
    for _ in 0..2 {
        tasks.push(tokio::spawn(reader(soak.clone())));
    }
    tasks.push(tokio::spawn(writer(soak.clone())));
    tasks.push(tokio::spawn(syncer(soak.clone())));
    for seed in 1..=3 {
        tasks.push(tokio::spawn(hostile(soak.clone(), seed)));
    }
    let mut peak = 0;
    while soak.running() {
        peak = peak.max(rss_mib(pid, "VmRSS:"));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for task in tasks {
        task.await.unwrap();
    }
    let after = rss_mib(pid, "VmRSS:");
    let hwm = rss_mib(pid, "VmHWM:");
    eprintln!(
        "soak: {} calls in {seconds} s; RSS idle {idle} MiB, peak sampled {peak} MiB, VmHWM {hwm} MiB, after {after} MiB",
        soak.tally.calls.load(Ordering::Relaxed)
    );
    assert!(soak.tally.calls.load(Ordering::Relaxed) > 100);
    assert_eq!(
        soak.tally.unasked_5xx.load(Ordering::Relaxed),
        0,
        "5xx nobody asked for"
    );
    assert!(hwm < RSS_BOUND_MIB, "VmHWM {hwm} MiB");

    // The state it was left in is a valid world.
    let app = TestApp::at(&url);
    let state = app.get("/__admin/state").send().await.ok_json(200);
    if let Err(e) = from_documents(&[("exported".into(), state.to_string())]) {
        panic!("the exported state does not load: {e}");
    }
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    app.get("/__admin/health").send().await.expect(200);
    stop_binary(child);
    assert!(drain.join().unwrap() > 0);
}
