//! One stack: the binary in its default configuration (request logs on, written to a pipe),
//! the in-process server with request logs on, and the in-process server without them answer
//! the same sequence of calls with the same statuses, bodies, headers, rate-limit counts and
//! journal entries. If the binary or the logging layer ever served through other code, some
//! answer or entry would differ.

use serde_json::{Value, json};
use soteams_mock::ServerConfig;
use soteams_mock::logging::{LogFormat, LogSink, RequestLogs};

use crate::helpers::*;

/// What a call answered, without what differs from run to run (the date, a sandbox's id, a
/// latency, the wall-clock countdowns of the rate limits, the time stamps of a usersync log).
#[derive(Debug, PartialEq)]
struct Seen {
    call: String,
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

/// The sequence: renders and kept reads, a write, an unknown route, usersync, faults, the
/// rate limit under enforcement, a sandbox, and the journal it all left.
async fn run(app: &TestApp) -> Vec<Seen> {
    let mut seen = Vec::new();
    let calls: Vec<(&str, String, Option<&str>, Option<Value>)> = vec![
        (
            "GET",
            "/api/v3/user-groups?pageSize=15".into(),
            Some("ada-rw"),
            None,
        ),
        (
            "GET",
            "/api/v3/user-groups?pageSize=15".into(),
            Some("ada-rw"),
            None,
        ),
        (
            "GET",
            "/api/v3/teams/productone/users/me".into(),
            Some("bob-ro"),
            None,
        ),
        (
            "POST",
            "/api/v3/user-groups".into(),
            Some("ada-rw"),
            Some(json!({"name": "One stack", "userIds": [1, 2]})),
        ),
        (
            "GET",
            "/api/v3/user-groups?pageSize=15".into(),
            Some("ada-rw"),
            None,
        ),
        ("GET", "/api/v3/no-such-route".into(), Some("ada-rw"), None),
        ("GET", "/v3/teams/acme/tags".into(), Some("ada-rw"), None),
        (
            "PUT",
            "/__admin/rate-limits".into(),
            None,
            Some(json!({"enforced": true})),
        ),
        (
            "GET",
            "/api/v3/tags?pageSize=15".into(),
            Some("bob-ro"),
            None,
        ),
        (
            "GET",
            "/api/v3/tags?pageSize=15".into(),
            Some("bob-ro"),
            None,
        ),
        (
            "POST",
            "/__admin/faults".into(),
            None,
            Some(
                json!({"match": {"path": "/api/v3/tags/*"}, "action": {"status": 503}, "trigger": {"nth": 2}}),
            ),
        ),
        ("GET", "/api/v3/tags/1".into(), Some("bob-ro"), None),
        ("GET", "/api/v3/tags/1".into(), Some("bob-ro"), None),
    ];
    for (method, path, token, body) in calls {
        seen.push(call(app, method, &path, token, body, None).await);
    }
    let created = app.post("/__admin/sandboxes").send().await;
    let sandbox = created.ok_json(201)["baseUrl"]
        .as_str()
        .unwrap()
        .to_string();
    seen.push(seen_of("POST /__admin/sandboxes", &created, &sandbox));
    let form = [
        ("access_token", "ada-rw"),
        ("key", "local-key"),
        ("dryRun", "true"),
        (
            "requestsJson",
            r#"[{"Team":"productone","Members":[{"UserIdentifier":"ada","Level":"Admin"}]}]"#,
        ),
    ];
    let res = app
        .post("/api/2.3/enterprise/usersync")
        .form(&form)
        .send()
        .await;
    seen.push(seen_of("usersync", &res, &sandbox));
    for path in [
        format!("{sandbox}/api/v3/users/me"),
        format!("{sandbox}/api/v3/users/me"),
        format!("{sandbox}/__admin/health"),
    ] {
        seen.push(call(app, "GET", &path, Some("ada-rw"), None, Some(&sandbox)).await);
    }
    // The journal, without what differs from run to run.
    let mut journal = app.get("/__admin/requests").send().await.ok_json(200);
    for entry in journal["requests"].as_array_mut().unwrap() {
        let entry = entry.as_object_mut().unwrap();
        entry.remove("time");
        entry.remove("durationMs");
        if let Some(headers) = entry.get_mut("headers").and_then(Value::as_object_mut) {
            headers.remove("host");
        }
    }
    seen.push(Seen {
        call: "journal".into(),
        status: 200,
        headers: vec![],
        body: journal,
    });
    seen
}

/// A usersync log stamps its first and last line with the mock clock, to the second
/// (`(11/30/2026 10:05:30 PM +00:00)`); two runs may straddle a second.
fn undated(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest
        .find(" PM +00:00)")
        .or_else(|| rest.find(" AM +00:00)"))
    {
        let stamp = rest[..start].rfind('(').unwrap_or(start);
        out.push_str(&rest[..stamp]);
        out.push_str("(<time>)");
        rest = &rest[start + " PM +00:00)".len()..];
    }
    out.push_str(rest);
    out
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    sandbox: Option<&str>,
) -> Seen {
    let mut call = app.call(method.parse().unwrap(), path).unchecked();
    if let Some(token) = token {
        call = call.token(token);
    }
    if let Some(body) = &body {
        call = call.json(body);
    }
    let res = call.send().await;
    seen_of(
        &format!("{method} {path}"),
        &res,
        sandbox.unwrap_or_default(),
    )
}

fn seen_of(call: &str, res: &Resp, sandbox: &str) -> Seen {
    let mut headers: Vec<(String, String)> = res
        .headers
        .iter()
        .filter(|(name, _)| name.as_str() != "date")
        .map(|(name, value)| {
            let value = value.to_str().unwrap_or_default();
            // The rate limiter's countdowns follow the wall clock: on a loaded machine a
            // second may pass between two calls. Whether one is running is what must match.
            // The burst window is 2 s of wall clock too, so a slow run may start a new window
            // between two calls and count its burst from 50 again; the token bucket (refilled
            // once a minute) is the count that must match exactly.
            let value = if name.as_str().ends_with("-seconds-until-full")
                || name.as_str().ends_with("-seconds-until-next-refill")
            {
                if value == "0" { "0" } else { "running" }
            } else if name.as_str() == "x-burst-throttle-calls-left" {
                if value == "50" { "50" } else { "counting" }
            } else {
                value
            };
            (name.to_string(), value.to_string())
        })
        .collect();
    headers.sort();
    let unnamed = |text: &str| match sandbox {
        "" => text.to_string(),
        id => text.replace(id, "/_sandbox/<id>"),
    };
    let text = undated(&unnamed(&res.text));
    let mut body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    if let Some(object) = body.as_object_mut() {
        // A sandbox's id and creation time, a health check's clock.
        for volatile in ["id", "baseUrl", "createdAt", "now"] {
            object.remove(volatile);
        }
    }
    Seen {
        call: unnamed(call),
        status: res.status,
        headers,
        body,
    }
}

#[tokio::test]
async fn the_binary_the_logged_and_the_unlogged_server_answer_alike() {
    let unlogged = run(&spawn_app().await).await;
    let usersync = unlogged.iter().find(|s| s.call == "usersync").unwrap();
    assert!(
        usersync.body.to_string().contains("(<time>)"),
        "the log's time stamps are found: {:?}",
        usersync.body
    );
    let bucket_left: Vec<&str> = unlogged
        .iter()
        .filter(|s| s.call.starts_with("GET /api/v3/tags"))
        .filter_map(|s| {
            let found = s
                .headers
                .iter()
                .find(|(name, _)| name == "x-token-bucket-calls-left");
            found.map(|(_, value)| value.as_str())
        })
        .collect();
    assert_eq!(
        bucket_left,
        ["4999", "4998", "4997", "4996"],
        "the enforced calls are counted, so the runs compare counts"
    );

    let sink = LogSink::leaked();
    let logged_app = spawn_app_with_config(ServerConfig {
        request_logs: Some(RequestLogs::into_sink(sink, LogFormat::Json)),
        ..ServerConfig::default()
    })
    .await;
    let logged = run(&logged_app).await;
    same(
        &logged,
        &unlogged,
        "request logs changed an answer or the journal",
    );
    let lines = String::from_utf8(sink.take()).unwrap();
    let statuses: Vec<u64> = lines
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["status"]
                .as_u64()
                .unwrap()
        })
        .collect();
    let expected: Vec<u64> = logged.iter().map(|s| u64::from(s.status)).collect();
    assert_eq!(statuses, expected, "one request line per answer: {lines}");

    let (child, url, _logs) = start_binary(&[], &[]);
    let binary = run(&TestApp::at(&url)).await;
    stop_binary(child);
    same(&binary, &unlogged, "the binary answered otherwise");
}

/// Fails on the first answer that differs, showing only that one.
fn same(these: &[Seen], those: &[Seen], what: &str) {
    assert_eq!(these.len(), those.len(), "{what}: not as many answers");
    for (this, that) in these.iter().zip(those) {
        assert_eq!(this, that, "{what}: {}", that.call);
    }
}
