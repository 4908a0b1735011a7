//! No credential leaves the mock in full: each one is sent in each way a client (or a sloppy
//! one) can send it, to the binary in its default configuration, and then neither the journal
//! nor the request logs hold it, raw or encoded. Only the first three characters of a
//! secret are ever shown (`ada…`).

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

/// Secrets with characters that percent-encoding changes, so an encoded copy is caught too.
const TOKEN: &str = "Tok_Sek+rit/7781";
const MINTED: &str = "Mint_Sek+rit/5523";
const IMPORTED: &str = "Imp_Sek+rit/9934";
const KEY: &str = "local-key";
const ADMIN: &str = "Adm_Sek+rit/3321";

/// Every form in which a secret could show.
fn forms_of(secret: &str) -> Vec<String> {
    let encoded: String = url_encode(secret);
    let base64 = base64(secret);
    vec![
        secret.to_string(),
        encoded.clone(),
        encoded.replace("%2B", "+"),
        serde_json::to_string(secret)
            .unwrap()
            .trim_matches('"')
            .to_string(),
        base64,
    ]
}

fn url_encode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_string()
}

fn base64(text: &str) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// One way of sending credentials: method, path, headers, content type and body.
struct Way {
    what: &'static str,
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Option<(&'static str, Vec<u8>)>,
}

fn way(what: &'static str, method: &'static str, path: &str) -> Way {
    Way {
        what,
        method,
        path: path.to_string(),
        headers: vec![],
        body: None,
    }
}

impl Way {
    fn header(mut self, name: &'static str, value: &str) -> Way {
        self.headers.push((name, value.to_string()));
        self
    }
    fn body(mut self, content_type: &'static str, body: impl Into<Vec<u8>>) -> Way {
        self.body = Some((content_type, body.into()));
        self
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

fn ways() -> Vec<Way> {
    const US: &str = "/api/2.3/enterprise/usersync";
    let requests = r#"[{"Team":"productone","Members":[]}]"#;
    let multipart = format!(
        "--B\r\nContent-Disposition: form-data; name=\"access_token\"\r\n\r\n{TOKEN}\r\n--B\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n{KEY}\r\n--B\r\nContent-Disposition: form-data; name=\"requestsJson\"\r\n\r\n{requests}\r\n--B--\r\n"
    );
    let mut state =
        json!({"tokens": [{"token": IMPORTED, "accountId": 1001, "kind": "oauth", "write": true}]});
    // The rest of the world follows the tokens, so the journal's head holds them.
    for part in ["accounts", "sites", "apiKeys"] {
        state[part] = Value::Null;
    }
    vec![
        way("v3 bearer", "GET", "/api/v3/users/me")
            .header("authorization", &format!("Bearer {TOKEN}")),
        way("v3 basic", "GET", "/api/v3/users/me").header(
            "authorization",
            &format!("Basic {}", base64(&format!("user:{TOKEN}"))),
        ),
        way(
            "v3 query",
            "GET",
            &format!("/api/v3/users/me?access_token={}", url_encode(TOKEN)),
        ),
        way(
            "v3 query, encoded name",
            "GET",
            &format!("/api/v3/users/me?access%5Ftoken={}", url_encode(TOKEN)),
        ),
        way("v3 X-API-Access-Token", "GET", "/api/v3/users/me").header("x-api-access-token", TOKEN),
        way("v3 cookie", "GET", "/api/v3/users/me").header("cookie", &format!("session={TOKEN}")),
        way("v3 JSON body", "POST", "/api/v3/user-groups")
            .header("authorization", &format!("Bearer {TOKEN}"))
            .body(
                "application/json",
                format!(r#"{{"name":"leak","accessToken":"{TOKEN}"}}"#),
            ),
        way("v3 malformed JSON", "POST", "/api/v3/user-groups")
            .header("authorization", &format!("Bearer {TOKEN}"))
            .body(
                "application/json",
                format!(r#"{{"name":"leak","apiKey":"{KEY}","token":"{TOKEN}"#),
            ),
        way("usersync form", "POST", US).body(
            "application/x-www-form-urlencoded",
            form(&[
                ("access_token", TOKEN),
                ("key", KEY),
                ("requestsJson", requests),
            ]),
        ),
        way("usersync form, odd casing", "POST", US).body(
            "Application/X-WWW-Form-URLEncoded",
            form(&[
                ("ACCESS_TOKEN", TOKEN),
                ("Key", KEY),
                ("requestsJson", requests),
            ]),
        ),
        way("usersync form, no content type", "POST", US).body(
            "",
            form(&[
                ("access_token", TOKEN),
                ("key", KEY),
                ("requestsJson", requests),
            ]),
        ),
        way("usersync multipart", "POST", US).body("multipart/form-data; boundary=B", multipart),
        way(
            "usersync query, encoded names",
            "POST",
            &format!("{US}?access%5Ftoken={}&k%65y={KEY}", url_encode(TOKEN)),
        ),
        way("usersync headers", "POST", US)
            .header("x-api-access-token", TOKEN)
            .header("x-api-key", KEY),
        way("usersync JSON body", "POST", US).body(
            "application/json",
            json!({"access_token": TOKEN, "key": KEY}).to_string(),
        ),
        way("usersync text body", "POST", US)
            .body("text/plain", format!("access_token={TOKEN}&key={KEY}")),
        way("mint", "POST", "/__admin/tokens").body(
            "application/json",
            json!({"accountId": 1001, "kind": "oauth", "write": true, "token": MINTED}).to_string(),
        ),
        way("revoke", "POST", "/__admin/tokens/revoke")
            .body("application/json", json!({"token": MINTED}).to_string()),
        way("state import", "PUT", "/__admin/state").body("application/json", state.to_string()),
        way("admin malformed JSON", "POST", "/__admin/tokens/revoke")
            .body("application/json", format!(r#"{{"token": "{TOKEN}"#)),
    ]
}

#[tokio::test]
async fn no_credential_sent_in_any_way_is_kept_in_the_journal_or_the_logs() {
    let (child, url, logs) = start_binary(&["--admin-token", ADMIN], &[]);
    let client = reqwest::Client::new();
    let mint = client
        .post(format!("{url}/__admin/tokens"))
        .header("x-admin-token", ADMIN)
        .json(&json!({"accountId": 1001, "kind": "oauth", "write": true, "token": TOKEN}))
        .send()
        .await
        .unwrap();
    assert_eq!(mint.status(), 201);
    let ways = ways();
    for way in &ways {
        let mut req = client.request(way.method.parse().unwrap(), format!("{url}{}", way.path));
        if way.path.starts_with("/__admin") {
            req = req.header("x-admin-token", ADMIN);
        }
        for (name, value) in &way.headers {
            req = req.header(*name, value);
        }
        if let Some((content_type, body)) = &way.body {
            if !content_type.is_empty() {
                req = req.header("content-type", *content_type);
            }
            req = req.body(body.clone());
        }
        let res = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", way.what));
        assert!(
            res.status().as_u16() < 500,
            "{}: {}",
            way.what,
            res.status()
        );
    }
    let journal = client
        .get(format!("{url}/__admin/requests?limit=1000"))
        .header("x-admin-token", ADMIN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let entries = serde_json::from_str::<Value>(&journal).unwrap()["requests"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        entries,
        ways.len() + 1,
        "every call was journaled: {journal}"
    );
    std::thread::sleep(Duration::from_millis(100));
    stop_binary(child);
    let logs: Vec<String> = logs.map_while(Result::ok).collect();
    assert!(logs.len() > ways.len(), "a log line per call: {logs:?}");
    let logs = logs.join("\n");
    for secret in [TOKEN, MINTED, IMPORTED, KEY, ADMIN] {
        for form in forms_of(secret) {
            assert!(
                !journal.contains(&form),
                "the journal holds {form:?} ({secret}): {journal}"
            );
            assert!(
                !logs.contains(&form),
                "the logs hold {form:?} ({secret}): {logs}"
            );
        }
    }
    let basic = base64(&format!("user:{TOKEN}"));
    assert!(!journal.contains(&basic) && !logs.contains(&basic));
    // The masked forms are there: the test looked at the right places.
    assert!(journal.contains("Tok…"), "{journal}");
}
