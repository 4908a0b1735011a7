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
use std::convert::Infallible;
use std::future::Future;

use axum::extract::{OriginalUri, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use tower::{Layer, Service};

use super::injected::{self, Asked};
use super::v3::{
    add_rate_limit_headers, auth::bearer_token, error::V3Error, input::MAX_BODY_BYTES,
};
use crate::admin::AdminError;
use crate::app::{AppState, Inst, Instance};
use crate::faults::{Decision, Facts, HEADER_FAULT, Outcome, parse_header};
use crate::journal;
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

/// The traffic layer of an instance app: faults and journal (see the module docs). A hand-made
/// service rather than `from_fn`: it is on every request's path, and this way it costs one
/// boxed future.
#[derive(Clone)]
pub struct TrafficLayer(pub AppState);

impl<S> Layer<S> for TrafficLayer {
    type Service = Traffic<S>;

    fn layer(&self, inner: S) -> Traffic<S> {
        Traffic {
            inner,
            state: self.0.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Traffic<S> {
    inner: S,
    state: AppState,
}

impl<S> Service<Request> for Traffic<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        // The service that was polled ready goes with the request; a clone stays for the next.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let state = self.state.clone();
        Box::pin(async move { Ok(traffic(state, req, inner).await) })
    }
}

async fn traffic<S>(state: AppState, req: Request, mut next: S) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let started = Instant::now();
    let (mut parts, body) = req.into_parts();
    let inst = Inst::of(&parts, &state).0;
    let path = parts.uri.path().to_string();
    let api = Api::of(&path);
    let (bytes, body) = if body.is_end_stream() {
        (Bytes::new(), body)
    } else {
        read_body(body).await
    };
    let masked_body = if bytes.is_empty() {
        (String::new(), false)
    } else {
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        journal::mask_body(content_type, &bytes)
    };
    // Only a v3 call on the main shape is journaled with the main site's slug.
    let sites = sites_of(api, &path, &bytes, || {
        inst.store.read(|w| w.main_site().map(|s| s.slug.clone()))
    });
    let header = parts
        .headers
        .get(HEADER_FAULT)
        .map(|value| header_decision(value.to_str().unwrap_or_default(), api));
    let (decision, refused) = match header {
        Some(Ok(decision)) => (decision, None),
        Some(Err(error)) => (Decision::none(), Some(error.into_response())),
        None => (
            inst.faults.decide(&Facts {
                api,
                method: parts.method.as_str(),
                path: &path,
                sites: &sites,
            }),
            None,
        ),
    };
    let seq = journaled(&path).then(|| {
        inst.journal.begin(journal::Record {
            time: inst.store.now(),
            method: &parts.method,
            path: &path,
            query: parts.uri.query().unwrap_or_default(),
            api,
            sites,
            faults: decision.fired.clone(),
            headers: &parts.headers,
            body: masked_body,
        })
    });
    let end = |res: &Response, dropped: bool| {
        if let Some(seq) = seq {
            let status = (!dropped).then(|| res.status().as_u16());
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            inst.journal.end(seq, status, ms);
        }
    };
    if let Some(res) = refused {
        end(&res, false);
        return res;
    }
    if decision.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(decision.delay_ms)).await;
    }
    let (res, dropped) = match decision.outcome {
        Outcome::Pass => (
            call(&mut next, Request::from_parts(parts, body)).await,
            false,
        ),
        Outcome::Sync(fault) => {
            // Read by the usersync edge, which fails the named team as told.
            parts.extensions.insert(fault);
            (
                call(&mut next, Request::from_parts(parts, body)).await,
                false,
            )
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
    end(&res, dropped);
    res
}

/// Calls the (ready) inner service.
async fn call<S>(next: &mut S, req: Request) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    match next.call(req).await {
        Ok(res) => res,
        Err(never) => match never {},
    }
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
