//! The layers in front of every edge.
//!
//! - [`enter_sandbox`] (only under `/_sandbox/{id}`) finds the sandbox, touches its idle
//!   timer and puts its instance in the request, so every route below works on it.
//! - [`traffic`] reads the request once (body included, up to the body limit), asks the
//!   instance's fault rules (or the `X-Mock-Fault` header) what to do, does it, and writes
//!   the request and its outcome to the instance's journal.

use std::sync::Arc;
use std::time::{Duration, Instant};

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{OriginalUri, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Frame;

use super::injected::{self, Asked};
use super::v3::{
    add_rate_limit_headers, auth::bearer_token, error::V3Error, input::MAX_BODY_BYTES,
};
use crate::admin::AdminError;
use crate::app::{AppState, Inst, Instance};
use crate::faults::{Decision, Facts, HEADER_FAULT, Outcome, parse_header};
use crate::journal::{self, Entry};
use crate::logging::mask_query;
use crate::sandbox::PREFIX;
use crate::traffic::{Api, sites_of};

/// Puts the addressed sandbox's instance in the request; 404 when it is unknown or expired.
pub async fn enter_sandbox(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let original = req
        .extensions()
        .get::<OriginalUri>()
        .map(|u| u.path().to_string());
    let path = original.unwrap_or_else(|| req.uri().path().to_string());
    let id = path
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.trim_start_matches('/').split('/').next())
        .unwrap_or_default();
    match state.0.sandboxes.enter(id) {
        Some(instance) => {
            req.extensions_mut().insert(instance);
            next.run(req).await
        }
        None => AdminError::not_found(format!(
            "no sandbox {id:?}: it was deleted, it expired after its idle timeout, or it never existed"
        ))
        .into_response(),
    }
}

/// Routes whose calls are not journaled: reading the journal (so a count does not change
/// what it counts) and reset (which empties it). Mock choice.
fn journaled(path: &str) -> bool {
    !path.starts_with(crate::admin::JOURNAL_PATH) && path != "/__admin/reset"
}

/// Faults and journal; see the module docs.
pub async fn traffic(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let (mut parts, body) = req.into_parts();
    let inst = Inst::of(&parts, &state).0;
    let path = parts.uri.path().to_string();
    let api = Api::of(&path);
    let mut entry = Entry {
        seq: 0,
        time: inst.store.now(),
        method: parts.method.to_string(),
        path: path.clone(),
        query: mask_query(parts.uri.query().unwrap_or_default()),
        api,
        sites: Vec::new(),
        status: None,
        duration_ms: 0.0,
        faults: Vec::new(),
        headers: journal::mask_headers(
            parts
                .headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_bytes())),
        ),
        body: String::new(),
        body_truncated: false,
    };
    let record = |mut entry: Entry, res: &Response, dropped: bool| {
        entry.status = (!dropped).then(|| res.status().as_u16());
        entry.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        if journaled(&entry.path) {
            inst.journal.record(entry);
        }
    };
    let (bytes, body) = read_body(body).await;
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    (entry.body, entry.body_truncated) = journal::mask_body(content_type, &bytes);
    // Only a v3 call on the main shape is journaled with the main site's slug.
    let main_site = (api == Api::V3)
        .then(|| inst.store.read(|w| w.main_site().map(|s| s.slug.clone())))
        .flatten();
    entry.sites = sites_of(api, &path, &bytes, main_site.as_deref());

    let decision = match parts.headers.get(HEADER_FAULT) {
        Some(value) => match header_decision(value.to_str().unwrap_or_default(), api) {
            Ok(decision) => decision,
            Err(error) => {
                let res = error.into_response();
                record(entry, &res, false);
                return res;
            }
        },
        None => inst.faults.decide(&Facts {
            api,
            method: parts.method.as_str(),
            path: &path,
            sites: &entry.sites,
        }),
    };
    entry.faults.clone_from(&decision.fired);
    if decision.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(decision.delay_ms)).await;
    }
    let (res, dropped) = match decision.outcome {
        Outcome::Pass => (next.run(Request::from_parts(parts, body)).await, false),
        Outcome::Sync(fault) => {
            // Read by the usersync edge, which fails the named team as told.
            parts.extensions.insert(fault);
            (next.run(Request::from_parts(parts, body)).await, false)
        }
        Outcome::Respond {
            status,
            body,
            content_type,
        } => {
            let asked = Asked {
                api,
                method: &parts.method,
                path: &path,
                rules: &decision.fired.join(", "),
            };
            let mut res = injected::respond(&asked, status, body, content_type);
            if api == Api::V3 {
                res = count_v3_call(&inst, bearer_token(&parts.headers).unwrap_or_default(), res);
            }
            (res, false)
        }
        Outcome::Drop => (injected::severed(), true),
    };
    record(entry, &res, dropped);
    res
}

/// Reads the body up to the body limit, for the journal and the fault matchers, and gives
/// back what to pass on. A body over the limit is passed on whole (what was read, then the
/// rest of the stream), so the edge refuses it itself, after its auth checks: 401 and 403
/// come before 413.
async fn read_body(mut body: Body) -> (Bytes, Body) {
    let mut read = Vec::new();
    loop {
        match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    read.extend_from_slice(&data);
                }
                if read.len() > MAX_BODY_BYTES {
                    let head = Bytes::from(read);
                    return (
                        head.clone(),
                        Body::new(Prefixed {
                            head: Some(head),
                            rest: body,
                        }),
                    );
                }
            }
            // A stream that broke is passed on as far as it came.
            Some(Err(_)) | None => {
                let whole = Bytes::from(read);
                return (whole.clone(), Body::from(whole));
            }
        }
    }
}

/// Bytes already read, then the rest of the original body.
struct Prefixed {
    head: Option<Bytes>,
    rest: Body,
}

impl HttpBody for Prefixed {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match self.head.take() {
            Some(head) => Poll::Ready(Some(Ok(Frame::data(head)))),
            None => Pin::new(&mut self.rest).poll_frame(cx),
        }
    }
}

/// An injected v3 answer still counts against the token's rate limit and carries the
/// headers, as every v3 answer does; a spent limit under enforcement answers 429 first.
fn count_v3_call(inst: &Arc<Instance>, token: &str, res: Response) -> Response {
    let verdict = inst.rate_limits.check(token, inst.rate_limits_enforced());
    let mut res = if verdict.allowed {
        res
    } else {
        V3Error::TooManyRequests {
            retry_after: verdict.retry_after,
        }
        .into_response()
    };
    add_rate_limit_headers(res.headers_mut(), &verdict);
    res
}

/// The one-shot decision of an `X-Mock-Fault` header; a bad header is a 400 naming the problem.
fn header_decision(value: &str, api: Api) -> Result<Decision, AdminError> {
    let bad = |problems| {
        AdminError::with_problems(format!("the {HEADER_FAULT} header is not valid"), problems)
    };
    let spec = parse_header(value)
        .map_err(|reason| bad(vec![crate::fixtures::Problem::new(HEADER_FAULT, reason)]))?;
    let mut problems = Vec::new();
    let action = spec
        .validate(HEADER_FAULT, None, &mut problems)
        .ok_or_else(|| bad(problems))?;
    if matches!(action.outcome, Outcome::Sync(_)) && api != Api::Usersync {
        let reason = format!(
            "a usersync failure only applies to POST {}",
            crate::traffic::USERSYNC_PATH
        );
        return Err(bad(vec![crate::fixtures::Problem::new(
            HEADER_FAULT,
            reason,
        )]));
    }
    Ok(Decision::from_header(action))
}
