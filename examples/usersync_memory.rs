//! What one usersync call at the largest accepted body costs the server in memory: the peak
//! (`VmHWM`) over the idle resident memory before the call, as a multiple of the body, and
//! the resident memory 1 s after the answer (figures recorded in BENCHMARKS.md).
//!
//! `cargo run --release --example usersync_memory -- BINARY`
//!
//! Each body shape runs in a fresh process of BINARY in its default configuration (request
//! logs on, to a pipe that this program drains), since a peak only grows.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The server's body limit for usersync (`src/body.rs`), less room for the form around it.
const BODY_TARGET: usize = (32 << 20) - (64 << 10);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Sends one request and reads the whole answer; returns the status line and the answer's size.
fn send(port: u16, head: &str, body: &[u8]) -> (String, usize) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).unwrap();
    let status = String::from_utf8_lossy(&answer[..answer.len().min(15)]).to_string();
    (status, answer.len())
}

/// A `requestsJson` array of about `target` bytes: `teams` entries sharing the members.
fn requests_json(target: usize, teams: usize, member: impl Fn(usize) -> String) -> String {
    let mut json = String::with_capacity(target + 1024);
    json.push('[');
    for t in 0..teams {
        if t > 0 {
            json.push(',');
        }
        json.push_str(r#"{"Team":"productone","Members":["#);
        let budget = (t + 1) * target / teams;
        let mut i = 0;
        while json.len() < budget {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&member(i));
            i += 1;
        }
        json.push_str("]}");
    }
    json.push(']');
    json
}

struct Shape {
    name: &'static str,
    content_type: String,
    body: Vec<u8>,
}

fn multipart(json: &str) -> Shape {
    let boundary = "soteamsmockboundary";
    let mut body = Vec::new();
    for (name, value) in [
        ("access_token", "ada-rw"),
        ("key", "local-key"),
        ("dryRun", "true"),
        ("requestsJson", json),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Shape {
        name: "",
        content_type: format!("multipart/form-data; boundary={boundary}"),
        body,
    }
}

fn urlencoded(json: &str) -> Shape {
    let body = serde_urlencoded::to_string([
        ("access_token", "ada-rw"),
        ("key", "local-key"),
        ("dryRun", "true"),
        ("requestsJson", json),
    ])
    .unwrap();
    Shape {
        name: "",
        content_type: "application/x-www-form-urlencoded".into(),
        body: body.into_bytes(),
    }
}

fn shapes() -> Vec<Shape> {
    let unknown = |i: usize| format!(r#"{{"UserIdentifier":"u{i}","Level":"Member"}}"#);
    let known = |_: usize| r#"{"UserIdentifier":"ada","Level":"Admin"}"#.to_string();
    let empty_teams = {
        let mut json = String::from("[");
        while json.len() < BODY_TARGET {
            json.push_str(r#"{"Team":"productone","Members":[]},"#);
        }
        json.pop();
        json.push(']');
        json
    };
    let encoded_target = BODY_TARGET * 10 / 17;
    vec![
        Shape {
            name: "multipart, 1 team, unknown identifiers",
            ..multipart(&requests_json(BODY_TARGET, 1, unknown))
        },
        Shape {
            name: "multipart, 1 team, one known identifier repeated",
            ..multipart(&requests_json(BODY_TARGET, 1, known))
        },
        Shape {
            name: "multipart, 10 teams, unknown identifiers",
            ..multipart(&requests_json(BODY_TARGET, 10, unknown))
        },
        Shape {
            name: "multipart, team entries without members",
            ..multipart(&empty_teams)
        },
        Shape {
            name: "url-encoded, 1 team, unknown identifiers",
            ..urlencoded(&requests_json(encoded_target, 1, unknown))
        },
    ]
}

fn main() {
    let binary = std::env::args().nth(1).expect("BINARY");
    println!(
        "| body | size | answer | idle RSS before | peak (VmHWM) | peak - idle, × body | RSS 1 s after |"
    );
    println!("|---|---|---|---|---|---|---|");
    for shape in shapes() {
        let port = free_port();
        let mut child = Command::new(&binary)
            .args(["--port", &port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the binary");
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if line.is_err() {
                    break;
                }
            }
        });
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "no start");
            std::thread::sleep(Duration::from_millis(10));
        }
        let (first, _) = send(
            port,
            "GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            b"",
        );
        assert!(first.contains("200"), "{first}");
        std::thread::sleep(Duration::from_secs(1));
        let pid = child.id();
        let idle = status_kib(pid, "VmRSS:");
        let head = format!(
            "POST /api/2.3/enterprise/usersync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            shape.content_type,
            shape.body.len()
        );
        let (status, answer) = send(port, &head, &shape.body);
        let peak = status_kib(pid, "VmHWM:");
        std::thread::sleep(Duration::from_secs(1));
        let after = status_kib(pid, "VmRSS:");
        let body_kib = shape.body.len() as f64 / 1024.0;
        println!(
            "| {} | {:.1} MiB | {} , {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.2} × | {:.1} MiB |",
            shape.name,
            body_kib / 1024.0,
            status.trim(),
            answer as f64 / 1048576.0,
            idle as f64 / 1024.0,
            peak as f64 / 1024.0,
            (peak.saturating_sub(idle)) as f64 / body_kib,
            after as f64 / 1024.0
        );
        let _ = child.kill();
        let _ = child.wait();
    }
}
