//! The shared test client: `spawn_app()` starts a server; `app.get(path).token(t).send()`
//! makes a call and returns a [`Resp`] that has already been checked against the spec.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Lines};
use std::process::{Child, ChildStdout, Command, Stdio};

use reqwest::header::HeaderMap;
use serde_json::Value;
use soteams_mock::{MockServer, ServerConfig};

pub struct TestApp {
    /// The in-process server (`None` for a server of its own process, [`TestApp::at`]).
    pub server: Option<MockServer>,
    pub base: String,
    pub client: reqwest::Client,
}

/// A server with the embedded default fixtures.
pub async fn spawn_app() -> TestApp {
    TestApp::of(MockServer::start().await)
}

/// A server with the given fixture document.
pub async fn spawn_app_with(fixture: &Value) -> TestApp {
    let server = MockServer::start_with_fixtures(fixture.to_string())
        .await
        .unwrap_or_else(|e| panic!("fixture failed to load: {e}"));
    TestApp::of(server)
}

/// A server with the default fixtures but none of the default world's content
/// (`fixtures/default/50-content.json`): accounts, sites, users, groups, tags and tokens, for
/// tests that count every post or collection they create.
pub async fn spawn_app_without_content() -> TestApp {
    spawn_app_with(&default_fixtures_without_content()).await
}

/// The default fixtures without `fixtures/default/50-content.json`, as one document.
pub fn default_fixtures_without_content() -> Value {
    let mut merged = serde_json::Map::new();
    for doc in [
        include_str!("../../fixtures/default/00-accounts.json"),
        include_str!("../../fixtures/default/10-main.json"),
        include_str!("../../fixtures/default/20-private-teams.json"),
        include_str!("../../fixtures/default/30-cloud-teams.json"),
        include_str!("../../fixtures/default/40-tokens.json"),
    ] {
        let Value::Object(doc) = serde_json::from_str::<Value>(doc).unwrap() else {
            panic!("a default fixture document is an object");
        };
        for (key, value) in doc {
            match (merged.get_mut(&key), value) {
                (Some(Value::Array(into)), Value::Array(more)) => into.extend(more),
                (_, value) => {
                    merged.insert(key, value);
                }
            }
        }
    }
    Value::Object(merged)
}

/// A server started with the given configuration (admin token, seed, ...).
pub async fn spawn_app_with_config(config: ServerConfig) -> TestApp {
    let server = MockServer::start_with(config)
        .await
        .unwrap_or_else(|e| panic!("the server failed to start: {e}"));
    TestApp::of(server)
}

impl TestApp {
    fn of(server: MockServer) -> TestApp {
        TestApp {
            base: server.uri(),
            server: Some(server),
            client: reqwest::Client::new(),
        }
    }

    /// A client of the server at `base` (a binary started by the test).
    pub fn at(base: &str) -> TestApp {
        TestApp {
            base: base.to_string(),
            server: None,
            client: reqwest::Client::new(),
        }
    }

    /// Creates a sandbox and returns its base path (`/_sandbox/{id}`).
    pub async fn sandbox(&self) -> String {
        let body = self.post("/__admin/sandboxes").send().await.ok_json(201);
        body["baseUrl"].as_str().expect("a baseUrl").to_string()
    }

    /// Adds a fault rule and returns its id.
    pub async fn fault(&self, prefix: &str, rule: Value) -> String {
        let body = self
            .post(&format!("{prefix}/__admin/faults"))
            .json(&rule)
            .send()
            .await
            .ok_json(201);
        body["id"].as_str().expect("a rule id").to_string()
    }

    /// How many journaled requests match the query string `filter` (e.g. `method=GET`).
    pub async fn journal_count(&self, prefix: &str, filter: &str) -> u64 {
        let body = self
            .get(&format!("{prefix}/__admin/requests/count?{filter}"))
            .send()
            .await
            .ok_json(200);
        body["count"].as_u64().expect("a count")
    }

    pub fn call(&self, method: reqwest::Method, path: &str) -> Call {
        Call {
            builder: self
                .client
                .request(method.clone(), format!("{}{}", self.base, path)),
            method: method.to_string(),
            path: path.to_string(),
            checked: true,
        }
    }
    pub fn get(&self, path: &str) -> Call {
        self.call(reqwest::Method::GET, path)
    }
    pub fn post(&self, path: &str) -> Call {
        self.call(reqwest::Method::POST, path)
    }
    pub fn put(&self, path: &str) -> Call {
        self.call(reqwest::Method::PUT, path)
    }
    pub fn delete(&self, path: &str) -> Call {
        self.call(reqwest::Method::DELETE, path)
    }
}

pub struct Call {
    builder: reqwest::RequestBuilder,
    method: String,
    path: String,
    checked: bool,
}

impl Call {
    pub fn token(mut self, token: &str) -> Self {
        self.builder = self.builder.bearer_auth(token);
        self
    }
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.builder = self.builder.header(name, value);
        self
    }
    pub fn json(mut self, body: &Value) -> Self {
        self.builder = self.builder.json(body);
        self
    }
    /// A raw body with an explicit content type.
    pub fn body(mut self, content_type: &str, body: impl Into<reqwest::Body>) -> Self {
        self.builder = self.builder.header("content-type", content_type).body(body);
        self
    }
    /// A raw body without a content type.
    pub fn raw_body(mut self, body: impl Into<reqwest::Body>) -> Self {
        self.builder = self.builder.body(body);
        self
    }
    pub fn form(mut self, fields: &[(&str, &str)]) -> Self {
        self.builder = self.builder.form(fields);
        self
    }
    pub fn form_owned(mut self, fields: &[(&str, String)]) -> Self {
        self.builder = self.builder.form(fields);
        self
    }
    /// Skips the spec check (for deliberately off-spec calls, e.g. unknown routes).
    pub fn unchecked(mut self) -> Self {
        self.checked = false;
        self
    }

    /// Sends and returns the transport result itself (for dropped connections).
    pub async fn try_send(self) -> Result<reqwest::Response, reqwest::Error> {
        self.builder.send().await
    }

    pub async fn send(self) -> Resp {
        let res = self
            .builder
            .send()
            .await
            .unwrap_or_else(|e| panic!("{} {} failed: {e}", self.method, self.path));
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.expect("a readable body");
        let resp = Resp {
            status,
            headers,
            text,
            what: format!("{} {}", self.method, self.path),
        };
        if self.checked {
            let content_type = resp.header("content-type");
            crate::spec::check(&self.method, &self.path, status, content_type, &resp.text);
            if let Some(reason) = resp.header("x-mock-reason") {
                crate::spec::check_reason(&self.method, &self.path, status, reason);
            }
        }
        resp
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    what: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("{}: body is not JSON ({e}): {}", self.what, self.text))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status, status,
            "{} answered {} (expected {status}): {}",
            self.what, self.status, self.text
        );
        self
    }
    /// Asserts the status and returns the JSON body.
    #[track_caller]
    pub fn ok_json(&self, status: u16) -> Value {
        self.expect(status);
        self.json()
    }
    /// Asserts a ProblemDetails with the given status and `type`.
    #[track_caller]
    pub fn expect_problem(&self, status: u16, type_: &str) -> Value {
        self.expect(status);
        let body = self.json();
        assert_eq!(body["type"], type_, "{}: {}", self.what, self.text);
        assert_eq!(body["status"], status, "{}: {}", self.what, self.text);
        body
    }
    /// Asserts ASP.NET's validation shape with an error for `field`.
    #[track_caller]
    pub fn expect_validation(&self, field: &str) -> Value {
        let body = self.expect_problem(400, "https://tools.ietf.org/html/rfc7231#section-6.5.1");
        assert_eq!(body["title"], "One or more validation errors occurred.");
        assert!(
            body["errors"][field].is_array(),
            "{}: expected an error for {field:?}: {}",
            self.what,
            self.text
        );
        assert!(
            body["traceId"]
                .as_str()
                .is_some_and(|t| t.starts_with("00-")),
            "traceId: {}",
            self.text
        );
        body
    }
    /// Asserts the 401 `text/plain` answer.
    #[track_caller]
    pub fn expect_unauthorized(&self) {
        self.expect(401);
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("text/plain")),
            "{}: content-type {:?}",
            self.what,
            self.header("content-type")
        );
        assert_eq!(self.text, "Invalid access token");
    }
    /// Asserts the exact 403 of a write with a read-only token or a non-admin on an admin route.
    #[track_caller]
    pub fn expect_forbidden(&self) {
        let body = self.expect_problem(403, "/v3/errors/forbidden");
        assert_eq!(body["title"], "Forbidden Action");
    }
}

/// The `items` (or the top-level array) of a JSON body.
fn items(body: &Value) -> &[Value] {
    body.get("items")
        .unwrap_or(body)
        .as_array()
        .expect("an array")
}

/// The ids of the `items` (or of a top-level array) of a JSON body.
pub fn ids(body: &Value) -> Vec<u64> {
    items(body)
        .iter()
        .map(|x| x["id"].as_u64().expect("an id"))
        .collect()
}

/// A string field of every item of the `items` (or of a top-level array) of a JSON body.
pub fn texts<'a>(body: &'a Value, field: &str) -> Vec<&'a str> {
    items(body)
        .iter()
        .map(|x| {
            x[field]
                .as_str()
                .unwrap_or_else(|| panic!("{field} is a string: {x}"))
        })
        .collect()
}

/// The `email` of user `id` in a paginated users body (`null` when the caller may not see it).
pub fn email_of(body: &Value, id: u64) -> Value {
    items(body)
        .iter()
        .find(|u| u["id"] == id)
        .map(|u| u["email"].clone())
        .unwrap_or_else(|| panic!("user {id} is in the page: {body}"))
}

/// An empty directory of this test run's own, for fixture files.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("soteams-mock-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_soteams-mock");

/// The binary on a free port of 127.0.0.1 with `args` and `env`, its standard output piped (as
/// CI captures it): the process, the URL from its banner, and the rest of its standard output.
pub fn start_binary(
    args: &[&str],
    env: &[(&str, &str)],
) -> (Child, String, Lines<BufReader<ChildStdout>>) {
    let (child, mut lines) = spawn_binary(args, env);
    let first = lines.next().unwrap().unwrap();
    // With `--log-format json` the banner is one JSON event with the URLs.
    let url = match serde_json::from_str::<Value>(&first) {
        Ok(event) => event["url"].as_str().map(str::to_string),
        Err(_) => first
            .strip_prefix("soteams-mock listening on ")
            .map(str::to_string),
    };
    let url = url.unwrap_or_else(|| panic!("first line: {first}"));
    (child, url, lines)
}

/// The binary as [`start_binary`] starts it, with the whole of its standard output to read
/// (the banner included).
pub fn spawn_binary(args: &[&str], env: &[(&str, &str)]) -> (Child, Lines<BufReader<ChildStdout>>) {
    let mut child = Command::new(BIN)
        .args(["--port", "0"])
        .args(args)
        .env("SOTEAMS_HOST", "127.0.0.1")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    (child, lines)
}

/// Sends SIGTERM and asserts the graceful exit (0); returns how long the exit took.
pub fn stop_binary(mut child: Child) -> std::time::Duration {
    let started = std::time::Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "a graceful shutdown exits 0");
    started.elapsed()
}
