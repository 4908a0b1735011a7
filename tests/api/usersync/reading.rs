//! A usersync call is read once, at the edge's rules, and the fault rules and the journal use
//! that reading: whatever way a client sends the call (multipart, lower-case names, no content
//! type, a double-encoded `requestsJson`, a body over the v3 body limit), a rule on one of its
//! teams fires, and the journal's team filter finds it.

use serde_json::{Value, json};

use super::*;
use crate::helpers::spawn_app;

/// A call naming `productone` and `platform`, sent in one of the ways clients send it.
struct Way {
    name: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

fn requests(members: usize) -> Value {
    let many: Vec<Value> = (0..members)
        .map(|i| json!({"UserIdentifier": format!("nobody-{i:07}@example.com"), "Level": "Member"}))
        .collect();
    json!([
        {"Team": "productone", "Members": many},
        {"Team": "platform", "Members": [{"UserIdentifier": "ada", "Level": "Admin"}]}
    ])
}

fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    serde_urlencoded::to_string(pairs).unwrap().into_bytes()
}

fn ways() -> Vec<Way> {
    let small = requests(1).to_string();
    let lower = small
        .replace("\"Team\"", "\"team\"")
        .replace("\"Members\"", "\"members\"");
    let twice = percent_encoding::utf8_percent_encode(&small, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    // Over the v3 body limit (1 MiB), well within usersync's.
    let large = requests(40_000).to_string();
    assert!(large.len() > 1 << 20, "{} bytes", large.len());
    let credentials = [
        ("access_token", "ada-rw"),
        ("key", "local-key"),
        ("dryRun", "true"),
    ];
    let with = |requests: &str, name: &'static str| {
        let mut pairs = credentials.to_vec();
        pairs.push((name, requests));
        form(&pairs)
    };
    let mut multipart = String::new();
    for (name, value) in credentials
        .iter()
        .chain([&("requestsJson", small.as_str())])
    {
        multipart.push_str(&format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    multipart.push_str("--XyZ--\r\n");
    vec![
        Way {
            name: "a url-encoded form",
            content_type: "application/x-www-form-urlencoded",
            body: with(&small, "requestsJson"),
        },
        Way {
            name: "multipart",
            content_type: "multipart/form-data; boundary=XyZ",
            body: multipart.into_bytes(),
        },
        Way {
            name: "lower-case names, and a content type in odd case",
            content_type: "Application/X-WWW-Form-URLEncoded",
            body: with(&lower, "requestsjson"),
        },
        Way {
            name: "no content type",
            content_type: "",
            body: with(&small, "requestsJson"),
        },
        Way {
            name: "requestsJson percent-encoded twice",
            content_type: "application/x-www-form-urlencoded",
            body: with(&twice, "requestsJson"),
        },
        Way {
            name: "a body over 1 MiB",
            content_type: "application/x-www-form-urlencoded",
            body: with(&large, "requestsJson"),
        },
    ]
}

async fn send(app: &TestApp, way: &Way) -> Resp {
    let mut call = app.post(USERSYNC).unchecked();
    call = if way.content_type.is_empty() {
        call.raw_body(way.body.clone())
    } else {
        call.body(way.content_type, way.body.clone())
    };
    call.send().await
}

#[tokio::test]
async fn every_way_of_sending_a_call_names_its_teams_to_the_fault_rules_and_the_journal() {
    for way in ways() {
        let app = spawn_app().await;
        // Sent as is, the call syncs both teams (a dry run).
        let body = send(&app, &way).await.ok_json(200);
        let teams: Vec<&str> = body["items"][0]["Results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["Team"].as_str().unwrap())
            .collect();
        assert_eq!(teams, ["productone", "platform"], "{}", way.name);
        // A rule on the second team fires on it.
        app.fault(
            "",
            json!({"match": {"api": "usersync", "site": "PLATFORM"}, "action": {"status": 503}}),
        )
        .await;
        let faulted = send(&app, &way).await;
        expect_v2_error(&faulted, 503, "temporarily_unavailable");
        // The journal's team filter finds both calls, under either team.
        for team in ["productone", "platform"] {
            assert_eq!(
                app.journal_count("", &format!("api=usersync&site={team}"))
                    .await,
                2,
                "{}: the journal's {team} filter",
                way.name
            );
        }
    }
}
