//! Logs: the subscriber the binary installs ([`init`]), its sink ([`LogSink`]), and the
//! request-log layer ([`RequestLogLayer`], in `request.rs`).
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

mod request;

pub use request::{RequestLog, RequestLogLayer, RequestLogs};

use std::io::{self, IsTerminal, Write};
use std::str::FromStr;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

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
}
