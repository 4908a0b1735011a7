//! Raw HTTP/1.1 over a socket, for what a client library will not do: half a request head, a
//! body that never ends, a connection held open and idle, no `Host` at all.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A connection to the server at `base` (`http://127.0.0.1:PORT`).
pub async fn connect(base: &str) -> TcpStream {
    let addr = base.strip_prefix("http://").expect("an http:// base URL");
    TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("connect to {addr}: {e}"))
}

/// A connection on which `request` was sent.
pub async fn send(base: &str, request: &str) -> TcpStream {
    let mut stream = connect(base).await;
    stream.write_all(request.as_bytes()).await.unwrap();
    stream
}

/// An answer read off a socket.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    /// The status line and headers, header names in lower case.
    pub head: String,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Reads one answer (its body by `content-length`); `None` when the server closed the
/// connection (or reset it) before the first byte.
pub async fn read_response(stream: &mut TcpStream) -> Option<RawResponse> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = find(&buf, b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) if buf.is_empty() => return None,
            Ok(0) | Err(_) => panic!("the connection closed mid-head: {buf:?}"),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {head}"));
    let mut response = RawResponse {
        status,
        head,
        body: String::new(),
    };
    let length: usize = response
        .header("content-length")
        .map_or(0, |v| v.parse().expect("a numeric content-length"));
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => panic!("the connection closed mid-body"),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    response.body = String::from_utf8_lossy(&buf[head_end..head_end + length]).to_string();
    Some(response)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Waits for the server to close the connection (the end of the stream, or a reset), with
/// nothing more to read; panics after `limit`. Returns how long it took.
pub async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Duration {
    let started = Instant::now();
    let mut chunk = [0u8; 1024];
    match tokio::time::timeout(limit, stream.read(&mut chunk)).await {
        Err(_) => panic!("the connection is still open after {limit:?}"),
        Ok(Ok(0) | Err(_)) => started.elapsed(),
        Ok(Ok(n)) => panic!(
            "expected the connection to close, got {:?}",
            String::from_utf8_lossy(&chunk[..n])
        ),
    }
}

/// Asserts the connection stays open (nothing to read, not closed) for `time`.
pub async fn still_open_after(stream: &mut TcpStream, time: Duration) {
    let mut chunk = [0u8; 1024];
    match tokio::time::timeout(time, stream.read(&mut chunk)).await {
        Err(_) => {}
        Ok(read) => panic!("the connection did not stay open: {read:?}"),
    }
}

/// A `GET` that keeps the connection alive.
pub fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
}
