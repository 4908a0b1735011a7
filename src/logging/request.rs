//! The request-log layer: one `info` line per answer, formatted here in the shape the
//! subscriber gives every other event and written straight into the [`LogSink`] (module docs
//! of [`crate::logging`]: why, and what a line holds).

use std::convert::Infallible;
use std::fmt::{self, Write as _};
use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::Request;
use axum::http::{Method, Uri};
use axum::response::Response;
use tower::{Layer, Service};

use super::{LogFormat, LogSink, REQUEST_TARGET};
use crate::credentials::mask_query;
use crate::refusal::Refusal;

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
            let reason = Refusal::of(res.status(), res.headers());
            logs.write(&method, &uri, res.status().as_u16(), reason, started);
            Ok(res)
        })
    }
}

/// Where request lines go and how they look: the binary's sink and format ([`super::LogGuard`]), or
/// a sink of a test's own.
#[derive(Debug, Clone, Copy)]
pub struct RequestLogs {
    pub(super) sink: &'static LogSink,
    pub(super) format: LogFormat,
    pub(super) ansi: bool,
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
