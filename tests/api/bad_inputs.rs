//! The bad-input corpus: what a hostile or sloppy client sends to each surface (malformed,
//! huge, deeply nested, invalid UTF-8, overflowing), each with the answer it must get. None
//! may be a 5xx, and the server answers normally afterwards.

use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Value, json};

use crate::helpers::*;

const US: &str = "/api/2.3/enterprise/usersync";

struct Input {
    what: &'static str,
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, Vec<u8>)>,
    body: Option<(&'static str, Vec<u8>)>,
    status: u16,
}

fn input(what: &'static str, method: &'static str, path: impl Into<String>, status: u16) -> Input {
    Input {
        what,
        method,
        path: path.into(),
        headers: vec![("authorization", b"Bearer ada-rw".to_vec())],
        body: None,
        status,
    }
}

impl Input {
    fn header(mut self, name: &'static str, value: impl Into<Vec<u8>>) -> Input {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.into()));
        self
    }
    fn json(self, body: impl Into<Vec<u8>>) -> Input {
        self.body("application/json", body)
    }
    fn body(mut self, content_type: &'static str, body: impl Into<Vec<u8>>) -> Input {
        self.body = Some((content_type, body.into()));
        self
    }
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn sync_form(requests: &str) -> Vec<u8> {
    serde_urlencoded::to_string([
        ("access_token", "ada-rw"),
        ("key", "local-key"),
        ("dryRun", "true"),
        ("requestsJson", requests),
    ])
    .unwrap()
    .into_bytes()
}

fn corpus() -> Vec<Input> {
    let form = "application/x-www-form-urlencoded";
    let many_fields = (0..70)
        .map(|i| format!("f{i}=x"))
        .collect::<Vec<_>>()
        .join("&");
    let many_teams =
        Value::Array(vec![json!({"Team": "productone", "Members": []}); 1001]).to_string();
    vec![
        // v3
        input(
            "a path id past u64",
            "GET",
            "/api/v3/user-groups/99999999999999999999",
            400,
        ),
        input("a negative path id", "GET", "/api/v3/user-groups/-1", 400),
        input(
            "a page size past int32",
            "GET",
            "/api/v3/users?pageSize=2147483648",
            400,
        ),
        input("page zero", "GET", "/api/v3/users?page=0", 400),
        input(
            "a query value that is not UTF-8",
            "GET",
            "/api/v3/users?pageSize=%FF",
            400,
        ),
        input(
            "NUL bytes in a filter",
            "GET",
            "/api/v3/tags?partialName=%00%00",
            200,
        ),
        input(
            "a path of 8000 bytes",
            "GET",
            format!("/api/v3/{}", "a".repeat(8000)),
            404,
        ),
        input("a 7000-byte bearer token", "GET", "/api/v3/users/me", 401)
            .header("authorization", format!("Bearer {}", "t".repeat(7000))),
        input(
            "a bearer token that is not UTF-8",
            "GET",
            "/api/v3/users/me",
            401,
        )
        .header("authorization", b"Bearer \xff\xfe".to_vec()),
        input(
            "a body that is not UTF-8",
            "POST",
            "/api/v3/user-groups",
            400,
        )
        .json(b"{\"name\":\"\xff\"}".to_vec()),
        input(
            "JSON nested 10,000 deep",
            "POST",
            "/api/v3/user-groups",
            400,
        )
        .json(nested(10_000)),
        input("a user id past int32", "POST", "/api/v3/user-groups", 400)
            .json(r#"{"name":"x","userIds":[99999999999]}"#),
        input("a number past f64", "POST", "/api/v3/user-groups", 400)
            .json(r#"{"name":"x","description":1e400}"#),
        input("null for a group", "PUT", "/api/v3/user-groups/1", 400).json("null"),
        input("a body over 1 MiB", "POST", "/api/v3/user-groups", 413)
            .json(format!(r#"{{"name":"{}"}}"#, "x".repeat(1 << 20))),
        // usersync (v2.3 answers every request-level error with HTTP 400)
        // One malformed entry fails only its team.
        input("requestsJson nested 10,000 deep", "POST", US, 200)
            .body(form, sync_form(&nested(10_000))),
        input("an identifier past f64", "POST", US, 400).body(
            form,
            sync_form(
                r#"[{"Team":"productone","Members":[{"UserIdentifier":1e400,"Level":"Member"}]}]"#,
            ),
        ),
        input("requestsJson not UTF-8 once decoded", "POST", US, 400)
            .body(form, sync_form("%5B%FF%5D")),
        input("a form body that is not UTF-8", "POST", US, 400)
            .body(form, b"access_token=\xff&key=\xfe".to_vec()),
        input("a body over 32 MiB", "POST", US, 400).body(form, vec![b'a'; (32 << 20) + 1]),
        input("multipart without a boundary", "POST", US, 400)
            .body("multipart/form-data", "--x\r\n"),
        input("unterminated multipart", "POST", US, 400).body(
            "multipart/form-data; boundary=x",
            "--x\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nlocal",
        ),
        input("70 form fields", "POST", US, 400).body(form, many_fields),
        input("1001 team entries", "POST", US, 400).body(form, sync_form(&many_teams)),
        input(
            "dryRun that is not a boolean",
            "POST",
            &*format!("{US}?dryRun=maybe"),
            400,
        )
        .body(
            form,
            serde_urlencoded::to_string([
                ("access_token", "ada-rw"),
                ("key", "local-key"),
                ("requestsJson", "[]"),
            ])
            .unwrap(),
        ),
        // control API
        input("a fault rule cut short", "POST", "/__admin/faults", 400).json(r#"{"match":"#),
        input(
            "a fault rule nested 10,000 deep",
            "POST",
            "/__admin/faults",
            400,
        )
        .json(nested(10_000)),
        input("a delay past u64", "POST", "/__admin/faults", 400)
            .json(r#"{"match":{},"action":{"delayMs":1e20}}"#),
        input(
            "X-Mock-Fault: a delay past u64",
            "GET",
            "/api/v3/users/me",
            400,
        )
        .header("x-mock-fault", "delayMs=99999999999999999999"),
        input(
            "X-Mock-Fault: a status that is no number",
            "GET",
            "/api/v3/users/me",
            400,
        )
        .header("x-mock-fault", "status=abc"),
        input(
            "X-Mock-Fault: separators only",
            "GET",
            "/api/v3/users/me",
            400,
        )
        .header("x-mock-fault", ";;;==="),
        input(
            "a negative journal limit",
            "GET",
            "/__admin/requests?limit=-1",
            400,
        ),
        input(
            "a journal status that is no status",
            "GET",
            "/__admin/requests?status=abc",
            400,
        ),
        input(
            "a sandbox idle timeout past u64",
            "POST",
            "/__admin/sandboxes",
            400,
        )
        .json(r#"{"idleTimeoutSeconds":1e30}"#),
        input(
            "a clock at the end of chrono's range",
            "PUT",
            "/__admin/clock",
            400,
        )
        .json(r#"{"now":"+262142-12-31T23:59:59.999Z"}"#),
        input(
            "a clock advance past the range",
            "POST",
            "/__admin/clock/advance",
            400,
        )
        .json(r#"{"seconds":1e300}"#),
        input("a state that is an array", "PUT", "/__admin/state", 400).json("[]"),
        input(
            "a fault rule with status 101",
            "POST",
            "/__admin/faults",
            400,
        )
        .json(r#"{"match":{},"action":{"status":101}}"#),
        input(
            "a fault rule with a control character in its content type",
            "POST",
            "/__admin/faults",
            400,
        )
        .json(r#"{"match":{},"action":{"status":503,"body":"x","contentType":"a\u0001b"}}"#),
        input("X-Mock-Fault: status 100", "GET", "/api/v3/users/me", 400)
            .header("x-mock-fault", "status=100"),
        input(
            "a snapshot name with a slash",
            "POST",
            "/__admin/snapshots",
            400,
        )
        .json(r#"{"name":"a/b"}"#),
        input(
            "a sandbox id of 5000 bytes",
            "GET",
            format!("/_sandbox/{}/api/v3/users/me", "s".repeat(5000)),
            404,
        ),
        input(
            "a rule id that is not UTF-8",
            "GET",
            "/__admin/faults/%FF",
            400,
        ),
    ]
}

#[tokio::test]
async fn every_bad_input_gets_its_answer_and_none_a_server_error() {
    let app = spawn_app().await;
    let mut wrong = Vec::new();
    for input in corpus() {
        let mut req = app.client.request(
            input.method.parse().unwrap(),
            format!("{}{}", app.base, input.path),
        );
        for (name, value) in &input.headers {
            req = req.header(
                HeaderName::from_static(name),
                HeaderValue::from_bytes(value).unwrap(),
            );
        }
        if let Some((content_type, body)) = input.body {
            req = req.header("content-type", content_type).body(body);
        }
        let res = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", input.what));
        let status = res.status().as_u16();
        if status != input.status {
            let text = res.text().await.unwrap_or_default();
            wrong.push(format!(
                "{}: {status} (expected {}): {}",
                input.what,
                input.status,
                text.chars().take(300).collect::<String>()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    let journal = app
        .get("/__admin/requests?status=5xx")
        .send()
        .await
        .ok_json(200);
    assert_eq!(journal["total"], json!(0), "{journal}");
}
