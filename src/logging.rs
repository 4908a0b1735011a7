//! Logs: the subscriber the binary installs ([`init`]) and the request-log layer
//! ([`request_log`]).
//!
//! - **Never in the way of a request.** A line is appended to a buffer in memory ([`LogSink`]):
//!   no system call and no wake-up on the request path. One thread writes the buffer to standard
//!   output every [`FLUSH_EVERY`], or as soon as it holds [`FLUSH_AT`] bytes. When the reader of
//!   the output falls behind and the buffer holds [`MAX_BUFFERED`] bytes, new lines are dropped
//!   and counted, never waited for; the count is reported at shutdown, when the buffer is
//!   written out ([`LogGuard`]). (A channel with a line per message, `tracing-appender`'s
//!   design, wakes its thread for nearly every line under load: BENCHMARKS.md has both
//!   figures.)
//! - **Fit for files and log readers.** No ANSI colour unless standard output is a terminal and
//!   `NO_COLOR` is unset; `latency_ms` has at most 3 decimals; with `--log-format json` every
//!   line is one JSON object, the start-up banner included.
//! - **No credential.** A request line names the method, path, masked query, status, the
//!   reason of a refusal (`reason=token-expired`, from the answer's `X-Mock-Reason`;
//!   [`crate::refusal`]) and latency, never a request header ([`crate::credentials`]).
//! - **Cheap request lines.** The one line written for every answer is formatted here
//!   ([`RequestLogs`]), in the shape the subscriber gives every other event, straight into the
//!   sink: `tracing`'s general-purpose formatting cost about 2 µs per line under load
//!   (BENCHMARKS.md). Whether they are written is still the filter's call: they are on when
//!   `RUST_LOG` lets `info` events of [`REQUEST_TARGET`] through.
//! - `RUST_LOG` sets the levels (`warn`, `info`, `soteams_mock=debug,tower=warn`, …; default
//!   `info`).

use std::fmt::{self, Write as _};
use std::io::{self, IsTerminal, Write};
use std::str::FromStr;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::{Method, Uri};
use axum::response::Response;
use tower::{Layer, Service};
use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::credentials::mask_query;
use crate::refusal::Refusal;

/// The target of the request-log events (`RUST_LOG=soteams_mock::request=warn` silences them).
pub const REQUEST_TARGET: &str = "soteams_mock::request";
/// How often the writer thread writes what the buffer holds.
pub const FLUSH_EVERY: Duration = Duration::from_millis(20);
/// A buffer this full is written at once.
pub const FLUSH_AT: usize = 64 << 10;
/// A buffer this full drops new lines (and counts them) until it is written.
pub const MAX_BUFFERED: usize = 4 << 20;

/// How the binary writes its logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// Where log lines wait to be written; see the module docs.
#[derive(Debug, Default)]
pub struct LogSink {
    pending: Mutex<Pending>,
    /// Wakes the writer when the buffer is full enough, or when logging ends.
    wake: Condvar,
}

#[derive(Debug, Default)]
struct Pending {
    bytes: Vec<u8>,
    dropped: usize,
    closed: bool,
}

impl LogSink {
    /// A sink that lives as long as the process (the subscriber and the request-log layer share
    /// it).
    pub fn leaked() -> &'static LogSink {
        Box::leak(Box::default())
    }

    /// What is buffered and not written yet, taken out (tests read request lines so).
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.pending().bytes)
    }

    fn pending(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes out what is buffered every [`FLUSH_EVERY`] until closed, then the rest.
    fn write_out(&self, mut out: impl Write) {
        let mut spare = Vec::new();
        loop {
            let mut pending = self.pending();
            if !pending.closed && pending.bytes.len() < FLUSH_AT {
                pending = self
                    .wake
                    .wait_timeout(pending, FLUSH_EVERY)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            let closed = pending.closed;
            std::mem::swap(&mut pending.bytes, &mut spare);
            drop(pending);
            if !spare.is_empty() {
                // A reader that went away loses the logs, not the server.
                let _ = out.write_all(&spare).and_then(|()| out.flush());
                spare.clear();
            }
            if closed {
                return;
            }
        }
    }
}

/// One event's line into the buffer (the fmt layer writes each event whole).
impl Write for &LogSink {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        let mut pending = self.pending();
        if pending.bytes.len() + line.len() > MAX_BUFFERED {
            pending.dropped += 1;
        } else {
            pending.bytes.extend_from_slice(line);
            if pending.bytes.len() >= FLUSH_AT {
                self.wake.notify_one();
            }
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Keeps the log writer running; dropping it writes out what is buffered.
pub struct LogGuard {
    sink: &'static LogSink,
    writer: Option<std::thread::JoinHandle<()>>,
    format: LogFormat,
    ansi: bool,
}

impl LogGuard {
    /// The request logs, when the filter lets `info` events of [`REQUEST_TARGET`] through.
    pub fn request_logs(&self) -> Option<RequestLogs> {
        tracing::enabled!(target: REQUEST_TARGET, tracing::Level::INFO).then_some(RequestLogs {
            sink: self.sink,
            format: self.format,
            ansi: self.ansi,
        })
    }

    /// Lines dropped because the output could not keep up.
    pub fn dropped_lines(&self) -> usize {
        self.sink.pending().dropped
    }
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.sink.pending().closed = true;
        self.sink.wake.notify_one();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

/// The level filter of `RUST_LOG` (default `info`); `Err` says why the variable is not valid.
pub fn filter_from_env() -> Result<Targets, String> {
    match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => Targets::from_str(spec.trim())
            .map_err(|e| format!("RUST_LOG={spec:?} is not a valid log filter: {e}")),
        _ => Ok(Targets::new().with_default(LevelFilter::INFO)),
    }
}

/// Whether log lines are coloured: only on a terminal, and not when `NO_COLOR` is set to
/// anything but the empty string (<https://no-color.org>).
fn colour(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Installs the subscriber of the binary: `format` to standard output through a [`LogSink`],
/// filtered by `filter`.
pub fn init(format: LogFormat, filter: Targets) -> LogGuard {
    let stdout = std::io::stdout();
    let ansi = colour(
        stdout.is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    // Lives as long as the process: the subscriber is global.
    let sink = LogSink::leaked();
    let writer = std::thread::Builder::new()
        .name("soteams-mock-log".into())
        .spawn(move || sink.write_out(stdout))
        .ok();
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(move || sink)
        .with_ansi(ansi);
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        LogFormat::Pretty => registry.with(layer).init(),
        LogFormat::Json => registry.with(layer.json().flatten_event(true)).init(),
    }
    LogGuard {
        sink,
        writer,
        format,
        ansi,
    }
}

/// The request-log layer: one `info` line per answer, outside everything else (so it times the
/// whole answer and names the path as sent).
#[derive(Debug, Clone, Copy)]
pub struct RequestLogLayer {
    logs: RequestLogs,
}

impl RequestLogLayer {
    pub fn new(logs: RequestLogs) -> Self {
        RequestLogLayer { logs }
    }
}

impl<S> Layer<S> for RequestLogLayer {
    type Service = RequestLog<S>;

    fn layer(&self, inner: S) -> RequestLog<S> {
        RequestLog {
            logs: self.logs,
            inner,
        }
    }
}

/// See [`RequestLogLayer`].
#[derive(Debug, Clone)]
pub struct RequestLog<S> {
    logs: RequestLogs,
    inner: S,
}

impl<S> Service<Request> for RequestLog<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let started = Instant::now();
        let method = req.method().clone();
        let uri = req.uri().clone();
        let answer = self.inner.call(req);
        let logs = self.logs;
        Box::pin(async move {
            let Ok(res) = answer.await;
            let reason = Refusal::of(res.headers());
            logs.write(&method, &uri, res.status().as_u16(), reason, started);
            Ok(res)
        })
    }
}

/// Where request lines go and how they look: the binary's sink and format ([`LogGuard`]), or
/// a sink of a test's own.
#[derive(Debug, Clone, Copy)]
pub struct RequestLogs {
    sink: &'static LogSink,
    format: LogFormat,
    ansi: bool,
}

impl RequestLogs {
    /// Request lines in `format`, without colour, into `sink`.
    pub fn into_sink(sink: &'static LogSink, format: LogFormat) -> Self {
        RequestLogs {
            sink,
            format,
            ansi: false,
        }
    }

    /// Writes the line of one answer, in the shape the subscriber gives every event: for
    /// `pretty`, `<time>  INFO soteams_mock::request: response method=… path=… query=… status=…
    /// reason=… latency_ms=…` (`query` and `reason` only when there is one); for `json`, one
    /// object with `timestamp`, `level`, the fields and `target`.
    fn write(
        &self,
        method: &Method,
        uri: &Uri,
        status: u16,
        reason: Option<Refusal>,
        started: Instant,
    ) {
        // Whole microseconds, so at most 3 decimals; a number in JSON.
        let latency_ms = started.elapsed().as_micros() as f64 / 1000.0;
        let time = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let query = uri.query().map(MaskedQuery);
        let mut line = String::with_capacity(160);
        match self.format {
            LogFormat::Pretty => {
                let (level, target) = if self.ansi {
                    (
                        "\x1b[32m INFO\x1b[0m",
                        "\x1b[2msoteams_mock::request:\x1b[0m",
                    )
                } else {
                    (" INFO", "soteams_mock::request:")
                };
                let _ = write!(
                    line,
                    "{time} {level} {target} response method={method} path={}",
                    uri.path()
                );
                if let Some(query) = query {
                    let _ = write!(line, " query={query}");
                }
                let _ = write!(line, " status={status}");
                if let Some(reason) = reason {
                    let _ = write!(line, " reason={}", reason.reason());
                }
                let _ = writeln!(line, " latency_ms={latency_ms}");
            }
            LogFormat::Json => {
                let text = |s: &str| serde_json::to_string(s).unwrap_or_default();
                let _ = write!(
                    line,
                    "{{\"timestamp\":\"{time}\",\"level\":\"INFO\",\"message\":\"response\",\"method\":{},\"path\":{}",
                    text(method.as_str()),
                    text(uri.path())
                );
                if let Some(query) = query {
                    let _ = write!(line, ",\"query\":{}", text(&query.to_string()));
                }
                let _ = write!(line, ",\"status\":{status}");
                if let Some(reason) = reason {
                    // Reasons are kebab-case ASCII: nothing to escape.
                    let _ = write!(line, ",\"reason\":\"{}\"", reason.reason());
                }
                let _ = writeln!(
                    line,
                    ",\"latency_ms\":{latency_ms},\"target\":\"{REQUEST_TARGET}\"}}"
                );
            }
        }
        let _ = (&*self.sink).write_all(line.as_bytes());
    }
}

/// A query string with credentials masked ([`mask_query`]), written without building it.
struct MaskedQuery<'a>(&'a str);

impl fmt::Display for MaskedQuery<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.split('&').any(|pair| {
            pair.split_once('=').is_some_and(|(name, _)| {
                crate::credentials::is_secret_name(&crate::credentials::decoded_name(name))
            })
        }) {
            f.write_str(&mask_query(self.0))
        } else {
            f.write_str(self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        assert!(colour(true, None));
        assert!(colour(true, Some(OsStr::new(""))));
        assert!(!colour(true, Some(OsStr::new("1"))));
        assert!(
            !colour(false, None),
            "a pipe or a file gets no escape codes"
        );
    }

    #[test]
    fn lines_are_written_out_whole_and_a_full_buffer_drops_and_counts() {
        let sink = LogSink::default();
        (&sink).write_all(b"one\n").unwrap();
        (&sink).write_all(b"two\n").unwrap();
        let big = vec![b'x'; MAX_BUFFERED];
        (&sink).write_all(&big).unwrap();
        assert_eq!(
            sink.pending().dropped,
            1,
            "over the bound: dropped, not waited for"
        );
        sink.pending().closed = true;
        let mut out = Vec::new();
        sink.write_out(&mut out);
        assert_eq!(out, b"one\ntwo\n");
    }

    #[test]
    fn latency_in_whole_microseconds_has_at_most_three_decimals() {
        for micros in [0u128, 1, 80, 81, 100, 123_456, 999_999_999] {
            let text = (micros as f64 / 1000.0).to_string();
            let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 3, "{micros} µs prints as {text}");
        }
    }

    fn logged(format: LogFormat, target: &str) -> String {
        logged_refusal(format, target, 200, None)
    }

    fn logged_refusal(
        format: LogFormat,
        target: &str,
        status: u16,
        reason: Option<Refusal>,
    ) -> String {
        let sink = LogSink::leaked();
        let logs = RequestLogs::into_sink(sink, format);
        let uri: Uri = target.parse().unwrap();
        logs.write(&Method::GET, &uri, status, reason, Instant::now());
        String::from_utf8(sink.take()).unwrap()
    }

    #[test]
    fn a_refusal_line_names_its_reason_and_others_name_none() {
        let pretty = logged_refusal(
            LogFormat::Pretty,
            "/api/v3/users/me",
            401,
            Some(Refusal::TokenExpired),
        );
        assert!(
            pretty.contains(" status=401 reason=token-expired latency_ms="),
            "{pretty}"
        );
        assert!(!logged(LogFormat::Pretty, "/api/v3/tags").contains("reason="));
        let json: serde_json::Value = serde_json::from_str(&logged_refusal(
            LogFormat::Json,
            "/api/v3/users/me",
            403,
            Some(Refusal::AdminOnly),
        ))
        .unwrap();
        assert_eq!(
            (&json["status"], &json["reason"]),
            (&403.into(), &"admin-only".into())
        );
        let plain: serde_json::Value =
            serde_json::from_str(&logged(LogFormat::Json, "/api/v3/tags")).unwrap();
        assert!(plain.get("reason").is_none(), "{plain}");
    }

    #[test]
    fn a_request_line_has_the_shape_of_every_other_event() {
        let pretty = logged(
            LogFormat::Pretty,
            "/api/v3/users?page=2&access_token=ada-rw-secret",
        );
        let (time, rest) = pretty.split_once(' ').unwrap();
        assert!(
            time.parse::<chrono::DateTime<chrono::Utc>>().is_ok(),
            "{pretty}"
        );
        assert!(
            rest.starts_with(" INFO soteams_mock::request: response method=GET path=/api/v3/users query=page=2&access_token=ada… status=200 latency_ms="),
            "{pretty}"
        );
        assert!(pretty.ends_with('\n') && !pretty.contains("ada-rw-secret"));
        let json: serde_json::Value =
            serde_json::from_str(&logged(LogFormat::Json, "/api/v3/tags")).unwrap();
        assert_eq!(
            (
                &json["level"],
                &json["message"],
                &json["method"],
                &json["path"],
                &json["status"],
                &json["target"]
            ),
            (
                &"INFO".into(),
                &"response".into(),
                &"GET".into(),
                &"/api/v3/tags".into(),
                &200.into(),
                &REQUEST_TARGET.into()
            )
        );
        assert!(
            json["latency_ms"].is_f64() || json["latency_ms"].is_u64(),
            "{json}"
        );
        assert!(json.get("query").is_none());
    }

    #[test]
    fn a_logged_query_is_masked_only_when_it_holds_a_secret() {
        assert_eq!(
            MaskedQuery("page=2&pageSize=30").to_string(),
            "page=2&pageSize=30"
        );
        assert_eq!(
            MaskedQuery("page=2&access%5Ftoken=ada-rw-secret").to_string(),
            "page=2&access%5Ftoken=ada…"
        );
    }
}
