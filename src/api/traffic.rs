//! What every request goes through before its route.
//!
//! - [`Front`] is the app's outermost service. It sends the docs (`/openapi.json`, Swagger UI)
//!   to their router, and picks the instance of everything else: a sandbox's under
//!   `/_sandbox/{id}` (touching its idle timer, 404 when it is unknown or expired, the prefix
//!   taken off the path), the root's otherwise.
//! - [`Traffic`] reads the request once (body included, up to the body limit), asks the
//!   instance's fault rules (or the `X-Mock-Fault` header) what to do, does it, and writes
//!   the request and its outcome to the instance's journal. A v3 call is counted against its
//!   token's rate limit here too, and its answer gets the rate-limit headers, so every v3
//!   answer carries them (even a 404 for an unknown v3 route).
//!
//! Both are hand-made, not router layers: every request crosses them, and a router (or a
//! router layer) costs route matching, request extensions and a boxed clone of everything below
//! it per request. A request without a body and without a delaying fault (nearly all of them)
//! is decided synchronously in [`Service::call`] and costs no boxed future.
//!
//! A v3 GET that an earlier identical one (same path, query and token) answered since the
//! world last changed is answered here from the instance's [`crate::cache::ReadCache`], without
//! the router: the same bytes and headers, journaled and counted like any other call. Its
//! token's expiry is checked against the mock clock; everything else auth depends on is the
//! world, which has not changed.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::uri::PathAndQuery;
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::future::RouteFuture;
use chrono::{DateTime, Utc};
use http_body::Frame;
use tower::util::Oneshot;
use tower::{Service, ServiceExt};

use super::injected::{self, Asked};
use super::v3::auth::bearer_token;
use super::v3::{add_rate_limit_headers, count_call, input::MAX_BODY_BYTES, too_many_requests};
use crate::admin::AdminError;
use crate::app::{AppState, Instance};
use crate::faults::{Decision, Facts, HEADER_FAULT, Outcome, parse_header};
use crate::journal;
use crate::ratelimit::Verdict;
use crate::sandbox::PREFIX;
use crate::traffic::{Api, sites_of};

/// Routes whose calls are not journaled: reading the journal (so a count does not change
/// what it counts) and reset (which empties it). Mock choice.
fn journaled(path: &str) -> bool {
    !path.starts_with(crate::admin::JOURNAL_PATH) && path != "/__admin/reset"
}

/// The document routes, served by the docs router in front of every instance (not journaled).
fn is_docs(path: &str) -> bool {
    path == "/openapi.json" || path == "/swagger-ui" || path.starts_with("/swagger-ui/")
}

/// The whole app as one service: the docs, the root instance's routes, and the sandboxes'
/// (the same, less sandbox management), each instance behind its [`Traffic`].
///
/// hyper clones the service of a connection for every request it serves on it. So that the
/// clone touches no memory the other worker threads touch too, everything is behind one `Arc`
/// per connection ([`Front::for_connection`]): a request costs one uncontended count on it,
/// not one shared count per router, state and instance.
pub struct Front<S> {
    conn: Arc<Conn<S>>,
}

impl<S> Clone for Front<S> {
    fn clone(&self) -> Self {
        Front {
            conn: self.conn.clone(),
        }
    }
}

#[derive(Clone)]
struct Conn<S> {
    root: Traffic<S>,
    sandboxed: Traffic<S>,
    docs: Router,
    state: AppState,
    /// The root instance, behind this connection's own pointer ([`InstRef::Root`]).
    root_inst: Arc<RootInst>,
}

/// The root instance as one connection holds it: cloning the connection's `Arc` of it touches
/// a count no other connection shares.
struct RootInst(Arc<Instance>);

impl<S: Clone> Front<S> {
    pub fn new(state: &AppState, root: S, sandboxed: S, docs: Router) -> Self {
        Front {
            conn: Arc::new(Conn {
                root: Traffic { inner: root },
                sandboxed: Traffic { inner: sandboxed },
                docs,
                state: state.clone(),
                root_inst: Arc::new(RootInst(state.0.root.clone())),
            }),
        }
    }

    /// A copy for one connection: the same routers and state, its own pointers to them.
    pub fn for_connection(&self) -> Self {
        let mut conn = Conn::clone(&self.conn);
        conn.root_inst = Arc::new(RootInst(self.conn.state.0.root.clone()));
        Front {
            conn: Arc::new(conn),
        }
    }
}

impl<S> Service<Request> for Front<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = TrafficFuture<S>;

    /// Always ready: each request readies the inner service it goes to.
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        let conn = &self.conn;
        let path = req.uri().path();
        if is_docs(path) {
            return TrafficFuture::Routed {
                fut: conn.docs.clone().call(req),
            };
        }
        let Some((id, rest)) = sandbox_path(path) else {
            return conn.root.call(req, InstRef::Root(conn.root_inst.clone()));
        };
        let Some(instance) = conn.state.0.sandboxes.enter(id) else {
            let res = AdminError::not_found(format!(
                "no sandbox {id:?}: it was deleted, it expired after its idle timeout, or it never existed"
            ))
            .into_response();
            return TrafficFuture::Ready { res: Some(res) };
        };
        let target = match req.uri().query() {
            Some(query) => format!("{rest}?{query}"),
            None => rest.to_string(),
        };
        let mut uri = std::mem::take(req.uri_mut()).into_parts();
        uri.path_and_query = PathAndQuery::try_from(target).ok();
        *req.uri_mut() = Uri::from_parts(uri).unwrap_or_default();
        // For the handlers ([`Inst`]).
        req.extensions_mut().insert(instance.clone());
        conn.sandboxed.call(req, InstRef::Sandbox(instance))
    }
}

/// A sandbox's id and the path inside it (`/` for the sandbox's root), when `path` is under
/// `/_sandbox/{id}`.
fn sandbox_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix(PREFIX)?.strip_prefix('/')?;
    let (id, inside) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let inside = if inside.is_empty() { "/" } else { inside };
    (!id.is_empty()).then_some((id, inside))
}

/// The instance a request works on, held without touching a count shared between workers
/// for the root (see [`Front`]).
enum InstRef {
    Root(Arc<RootInst>),
    Sandbox(Arc<Instance>),
}

impl std::ops::Deref for InstRef {
    type Target = Instance;
    fn deref(&self) -> &Instance {
        match self {
            InstRef::Root(root) => &root.0,
            InstRef::Sandbox(instance) => instance,
        }
    }
}

/// Faults, journal and v3 rate limits in front of one instance router; see the module docs.
#[derive(Clone)]
struct Traffic<S> {
    inner: S,
}

impl<S> Traffic<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    fn call(&self, req: Request, inst: InstRef) -> TrafficFuture<S> {
        let started = Instant::now();
        let (parts, body) = req.into_parts();
        if body.is_end_stream() {
            let (arrival, decision) = arrive(inst, &parts, &Bytes::new(), started);
            if decision.delay_ms == 0 {
                return match act(arrival, decision, parts, body) {
                    Step::Forward(req, arrival) => TrafficFuture::Inner {
                        fut: self.inner.clone().oneshot(req),
                        arrival: Some(arrival),
                    },
                    Step::Answer(res) => TrafficFuture::Ready { res: Some(res) },
                };
            }
            return TrafficFuture::Boxed {
                fut: Box::pin(delayed(arrival, decision, parts, body, self.inner.clone())),
            };
        }
        let next = self.inner.clone();
        TrafficFuture::Boxed {
            fut: Box::pin(async move {
                let (bytes, body) = read_body(body).await;
                let (arrival, decision) = arrive(inst, &parts, &bytes, started);
                delayed(arrival, decision, parts, body, next).await
            }),
        }
    }
}

pin_project_lite::pin_project! {
    /// The answer of [`Front`]: the instance router's, an answer decided at once (an injected
    /// fault, a 429, a kept read), the async path's, or the docs router's.
    #[project = TrafficProj]
    pub enum TrafficFuture<S: Service<Request>> {
        Inner { #[pin] fut: Oneshot<S, Request>, arrival: Option<Arrival> },
        Ready { res: Option<Response> },
        Boxed { fut: Pin<Box<dyn Future<Output = Response> + Send>> },
        Routed { #[pin] fut: RouteFuture<Infallible> },
    }
}

impl<S> Future for TrafficFuture<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            TrafficProj::Inner { fut, arrival } => {
                let Poll::Ready(Ok(mut res)) = fut.poll(cx) else {
                    return Poll::Pending;
                };
                if let Some(arrival) = arrival.take() {
                    arrival.answered(&mut res);
                }
                Poll::Ready(Ok(res))
            }
            TrafficProj::Ready { res } => Poll::Ready(Ok(res
                .take()
                .expect("a traffic future is not polled after Ready"))),
            TrafficProj::Boxed { fut } => fut.as_mut().poll(cx).map(Ok),
            TrafficProj::Routed { fut } => fut.poll(cx),
        }
    }
}

/// A request that has been journaled and is waiting for its answer.
pub struct Arrival {
    inst: InstRef,
    api: Api,
    /// The journal entry, when the route is journaled.
    seq: Option<u64>,
    started: Instant,
    /// The mock clock when it arrived.
    now: DateTime<Utc>,
    /// Set when the `X-Mock-Fault` header could not be read: the answer is this 400.
    refused: Option<Response>,
    /// A v3 call's rate-limit verdict, once counted.
    verdict: Option<Verdict>,
}

impl Arrival {
    /// Completes the journal entry with the answer (`dropped`: the connection was severed).
    fn end(&self, res: &Response, dropped: bool) {
        if let Some(seq) = self.seq {
            let status = (!dropped).then(|| res.status().as_u16());
            let ms = self.started.elapsed().as_secs_f64() * 1000.0;
            self.inst.journal.end(seq, status, ms);
        }
    }

    /// The inner service answered: the rate-limit headers of a v3 call, then the journal.
    fn answered(&self, res: &mut Response) {
        if let Some(verdict) = &self.verdict {
            add_rate_limit_headers(res.headers_mut(), verdict);
        }
        self.end(res, false);
    }
}

/// Reads what the journal and the fault matchers need from a request (`body` is what was
/// read of it), asks the fault rules or the `X-Mock-Fault` header, and begins its journal
/// entry.
fn arrive(inst: InstRef, parts: &Parts, body: &Bytes, started: Instant) -> (Arrival, Decision) {
    let path = parts.uri.path();
    let api = Api::of(path);
    let masked_body = if body.is_empty() {
        (String::new(), false)
    } else {
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        journal::mask_body(content_type, body)
    };
    // Only a v3 call on the main shape is journaled with the main site's slug.
    let sites = sites_of(api, path, body, || {
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
                path,
                sites: &sites,
            }),
            None,
        ),
    };
    let now = inst.store.now();
    let seq = journaled(path).then(|| {
        inst.journal.begin(journal::Record {
            time: now,
            method: &parts.method,
            path,
            query: parts.uri.query().unwrap_or_default(),
            api,
            sites,
            faults: decision.fired.clone(),
            headers: &parts.headers,
            body: masked_body,
        })
    });
    let arrival = Arrival {
        inst,
        api,
        seq,
        started,
        now,
        refused,
        verdict: None,
    };
    (arrival, decision)
}

/// What to do with a request once its fault decision is made (and its delay slept).
#[expect(
    clippy::large_enum_variant,
    reason = "lives on the stack for one call; boxing the request would cost an allocation per request"
)]
enum Step {
    /// Pass it on; the journal entry is completed with the inner answer.
    Forward(Request, Arrival),
    /// Answered here (an injected answer, a severed connection, a bad header, a 429);
    /// journaled.
    Answer(Response),
}

fn act(mut arrival: Arrival, decision: Decision, mut parts: Parts, body: Body) -> Step {
    if let Some(res) = arrival.refused.take() {
        arrival.end(&res, false);
        return Step::Answer(res);
    }
    // Every v3 answer counts against the token and carries the headers, injected ones too; a
    // spent limit under enforcement answers 429 before anything else.
    if arrival.api == Api::V3 && !matches!(decision.outcome, Outcome::Drop) {
        let verdict = count_call(&arrival.inst, &parts.headers, arrival.started);
        if !verdict.allowed {
            let res = too_many_requests(&verdict);
            arrival.end(&res, false);
            return Step::Answer(res);
        }
        arrival.verdict = Some(verdict);
    }
    let (mut res, dropped) = match decision.outcome {
        Outcome::Pass => match kept_read(&mut arrival, &parts) {
            Some(res) => (res, false),
            None => return Step::Forward(Request::from_parts(parts, body), arrival),
        },
        Outcome::Sync(fault) => {
            // Read by the usersync edge, which fails the named team as told.
            parts.extensions.insert(fault);
            return Step::Forward(Request::from_parts(parts, body), arrival);
        }
        Outcome::Respond {
            status,
            body,
            content_type,
        } => {
            let asked = Asked {
                api: arrival.api,
                method: &parts.method,
                path: parts.uri.path(),
                rules: &decision.fired.join(", "),
            };
            (injected::respond(&asked, status, body, content_type), false)
        }
        Outcome::Drop => (injected::severed(), true),
    };
    if dropped {
        arrival.end(&res, true);
    } else {
        arrival.answered(&mut res);
    }
    Step::Answer(res)
}

/// The kept answer to a v3 GET, when the same request with the same token was answered since
/// the world last changed and the token is still valid (see the module docs). It carries the
/// call's rate-limit headers already.
fn kept_read(arrival: &mut Arrival, parts: &Parts) -> Option<Response> {
    if arrival.api != Api::V3 || parts.method != Method::GET {
        return None;
    }
    let token = bearer_token(&parts.headers)?;
    let target = parts.uri.path_and_query()?.as_str();
    let inst = &arrival.inst;
    let kept = inst.reads.get(inst.store.version(), target, token)?;
    if !kept.fresh_at(arrival.now) {
        return None;
    }
    let verdict = arrival.verdict.take()?;
    Some(super::v3::kept_response(kept.body, &verdict))
}

/// The async path: sleeps the decision's delay, then acts on it.
async fn delayed<S>(
    arrival: Arrival,
    decision: Decision,
    parts: Parts,
    body: Body,
    next: S,
) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    if decision.delay_ms > 0 && arrival.refused.is_none() {
        tokio::time::sleep(Duration::from_millis(decision.delay_ms)).await;
    }
    match act(arrival, decision, parts, body) {
        Step::Forward(req, arrival) => {
            let Ok(mut res) = next.oneshot(req).await;
            arrival.answered(&mut res);
            res
        }
        Step::Answer(res) => res,
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
