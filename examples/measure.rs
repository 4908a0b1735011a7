//! Startup time, idle memory and fixture load time of the release binary, as medians over
//! repeated runs (used by `scripts/load.sh`; figures recorded in BENCHMARKS.md).
//!
//! `cargo run --release --example measure -- BINARY [RUNS] [--fixtures FILE]`
//!
//! - startup: from `spawn` to the first successful `GET /api/v3/users/me` (a fresh process each
//!   run, polled over raw TCP so the client adds next to nothing);
//! - idle RSS: `VmRSS` of the process 1 s after its first response;
//! - with `--fixtures`: the same, where startup includes loading and validating that file.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get_ok(port: u16, token: &str) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let req = format!(
        "GET /api/v3/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut buf = [0u8; 16];
    matches!(s.read(&mut buf), Ok(n) if n >= 12 && &buf[9..12] == b"200")
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let binary = args.first().expect("BINARY").clone();
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(15);
    let fixtures = args
        .iter()
        .position(|a| a == "--fixtures")
        .map(|i| args[i + 1].clone());
    let token = if fixtures.is_some() {
        "admin-rw"
    } else {
        "ada-rw"
    };
    let (mut startup, mut rss) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let port = free_port();
        let mut cmd = Command::new(&binary);
        cmd.args(["--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(f) = &fixtures {
            cmd.args(["--fixtures", f]);
        }
        let start = Instant::now();
        let mut child = cmd.spawn().expect("binary starts");
        while !get_ok(port, token) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no answer within 30 s"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        startup.push(start.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_secs(1));
        rss.push(rss_kib(child.id()) as f64 / 1024.0);
        let _ = child.kill();
        let _ = child.wait();
    }
    let what = fixtures.as_deref().unwrap_or("default fixtures");
    println!("runs: {runs} ({what})");
    println!(
        "start to first 200: median {:.1} ms (min {:.1}, max {:.1})",
        median(startup.clone()),
        startup.iter().cloned().fold(f64::MAX, f64::min),
        startup.iter().cloned().fold(0.0, f64::max)
    );
    println!(
        "resident memory 1 s after the first response: median {:.1} MiB (max {:.1})",
        median(rss.clone()),
        rss.iter().cloned().fold(0.0, f64::max)
    );
}
