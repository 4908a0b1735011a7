//! The pipeline: what every request crosses before the router sends it to its edge, as one
//! tower layer ([`PipelineLayer`]) around the app's router (the whole stack is in
//! [`crate::app`]).
//!
//! For each request it:
//! 0. refuses a **`Host`** that is not this server's when it listens on loopback (DNS
//!    rebinding; [`crate::host`]), on every route;
//! 1. picks the **instance** the request works on: the sandbox's under `/_sandbox/{id}`
//!    (touching its idle timer; 404 when it is unknown or expired), the root's otherwise, and
//!    puts a sandbox's in the request for the handlers ([`crate::state`]); the router's nested
//!    copy of the routes then serves the path inside the sandbox;
//! 2. **reads** the request once: its body up to its API's limit ([`crate::body`]) and within
//!    the body-read timeout ([`crate::state::Limits`]), and for usersync the call itself
//!    ([`UsersyncCall`]), handed on to the edge;
//! 3. asks the instance's **fault rules** (or the one-shot `X-Mock-Fault` header) what to do,
//!    and does it: a delay (cut short by a shutdown), an injected answer in the edge's wire
//!    format ([`injected`]), a usersync failure for the edge to produce, a dropped connection;
//! 4. **journals** the request and its answer (`finish.rs`: the status, the reason of a refusal,
//!    a usersync call's team outcomes), but not a read of the journal, a reset, or one of the
//!    dashboard's polling reads ([`crate::dashboard::is_quiet`], which no rule sees either);
//! 5. gives every v3 answer the **rate-limit headers** (counting the call against its token
//!    while enforcement is on, and answering 429 when it is spent), even a 404 for an unknown v3
//!    route or an injected fault;
//! 6. lets the instance's **read cache** ([`crate::cache`]) answer a repeated v3 read, or keep
//!    what the route answered.
//!
//! Why a layer around the router, with a synchronous path: a request without a body and
//! without a delaying fault (nearly all of them) is read, decided and journaled in
//! [`Service::call`] itself. When that decides the answer (a kept read, an injected answer, a
//! 429) it is ready at once: no routing, no boxed future, and no reference count shared by the
//! two workers is touched. An `axum::middleware::from_fn` layer after routing costs a boxed
//! future, clones of the state and the inner service, and the routing of every request;
//! BENCHMARKS.md has the same-run figures of both.

mod finish;
pub mod injected;

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use futures_util::future::Either;
use tower::{Layer, Service, ServiceExt};

use crate::api::v2::request::UsersyncCall;
use crate::api::v3::{add_rate_limit_headers, too_many_requests};
use crate::body::{self, Unread};
use crate::cache::Lookup;
use crate::credentials::bearer_token;
use crate::faults::{Decision, FAULT_HEADER, Facts, HEADER_FAULT, Outcome, parse_header};
use crate::instance::Instance;
use crate::journal::{self, Ticket};
use crate::problem::{MockError, Problem};
use crate::ratelimit::Verdict;
use crate::sandbox::PREFIX;
use crate::state::AppState;
use crate::surface::{Api, USERSYNC_PATH};
use finish::{Finish, end};
use injected::Asked;

/// Adds the pipeline in front of a service (the app's router).
#[derive(Debug, Clone)]
pub struct PipelineLayer {
    state: AppState,
}

impl PipelineLayer {
    pub fn new(state: AppState) -> Self {
        PipelineLayer { state }
    }
}

impl<S> Layer<S> for PipelineLayer {
    type Service = Pipeline<S>;

    fn layer(&self, inner: S) -> Pipeline<S> {
        Pipeline {
            state: self.state.clone(),
            inner,
        }
    }
}

/// The pipeline around `S`; see the module docs.
#[derive(Debug, Clone)]
pub struct Pipeline<S> {
    state: AppState,
    inner: S,
}

type Answer = Result<Response, Infallible>;
type Later = Pin<Box<dyn Future<Output = Answer> + Send>>;

impl<S> Service<Request> for Pipeline<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    /// Ready at once when the pipeline decided the answer; else the route's answer, later.
    type Future = Either<Ready<Answer>, Later>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        let started = Instant::now();
        // DNS rebinding: a `Host` that is not ours is refused before anything is decided (no
        // fault rule counts it), on every route, and journaled like any answer.
        let refused = self.state.options.hosts.refuse(req.headers(), req.uri());
        if is_document(req.uri().path()) {
            return match refused {
                Some(refused) => Either::Left(ready(Ok(refused.into_response()))),
                None => Either::Right(Box::pin(self.inner.call(req))),
            };
        }
        let sandboxed;
        let inst = match sandbox_of(req.uri().path()) {
            None => &self.state.root,
            Some(id) => match self.state.sandboxes.enter(id) {
                Some(inst) => {
                    req.extensions_mut().insert(inst.clone());
                    sandboxed = inst;
                    &sandboxed
                }
                None => {
                    let res = refused.map_or_else(|| no_sandbox(id), IntoResponse::into_response);
                    return Either::Left(ready(Ok(res)));
                }
            },
        };
        let api = Api::of(inner_path(req.uri().path()));
        // A refused request's body is not read.
        let quick = refused.is_some()
            || (http_body::Body::is_end_stream(req.body())
                && !req.headers().contains_key(FAULT_HEADER)
                && api != Api::Usersync);
        if !quick {
            let (state, inst, inner) = (self.state.clone(), inst.clone(), self.inner.clone());
            return Either::Right(Box::pin(async move {
                // A usersync call waits for its turn before its body is read (state.rs).
                let _turn = match api {
                    Api::Usersync => state.usersync_slots.clone().acquire_owned().await.ok(),
                    _ => None,
                };
                slow(state, inst, api, req, inner, started).await
            }));
        }
        let arrival = arrive(inst, api, &req, &Ok(Bytes::new()), refused);
        if arrival.decision.delay_ms > 0 {
            let (state, inst, inner) = (self.state.clone(), inst.clone(), self.inner.clone());
            return Either::Right(Box::pin(answer_late(
                state, inst, api, arrival, req, inner, started,
            )));
        }
        match decide(inst, api, arrival, req, started) {
            Decided::Now(res) => Either::Left(ready(Ok(res))),
            Decided::Route(route) => {
                let inst = inst.clone();
                let res = self.inner.call(route.req);
                Either::Right(Box::pin(async move {
                    let Ok(res) = res.await;
                    Ok(route.finish.answered(&inst, res, started).await)
                }))
            }
        }
    }
}

/// The document routes, answered by the router without the pipeline (not journaled).
fn is_document(path: &str) -> bool {
    path == "/openapi.json"
        || path == "/swagger-ui"
        || path.starts_with("/swagger-ui/")
        || path.starts_with(crate::dashboard::ASSETS_PREFIX)
}

/// The sandbox id of a path under `/_sandbox/{id}`.
fn sandbox_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(PREFIX)?.strip_prefix('/')?;
    Some(&rest[..rest.find('/').unwrap_or(rest.len())])
}

/// A path as its instance sees it: without the `/_sandbox/{id}` prefix (`/` for a sandbox's
/// root).
fn inner_path(path: &str) -> &str {
    match sandbox_of(path) {
        Some(id) => {
            let rest = &path[PREFIX.len() + 1 + id.len()..];
            if rest.is_empty() { "/" } else { rest }
        }
        None => path,
    }
}

fn no_sandbox(id: &str) -> Response {
    MockError::not_found(format!(
        "no sandbox {id:?}: it was deleted, it expired after its idle timeout, or it never existed"
    ))
    .into_response()
}

/// Routes whose calls are not journaled: reading the journal (so a count does not change what
/// it counts) and reset (which empties it). Mock choice.
fn journaled(path: &str) -> bool {
    !path.starts_with(crate::admin::JOURNAL_PATH) && path != "/__admin/reset"
}

/// A request with a body, the `X-Mock-Fault` header or a usersync call: the body is read (and
/// a usersync call with it, once, for its edge), then it goes on as any other. A body slower
/// than the body-read timeout is one that could not be read (each edge answers 400).
async fn slow<S>(
    state: AppState,
    inst: Instance,
    api: Api,
    req: Request,
    inner: S,
    started: Instant,
) -> Answer
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let (mut parts, body) = req.into_parts();
    let timeout = state.options.limits.body_read_timeout;
    let limit = body::limit_of_path(inner_path(parts.uri.path()));
    let mut read = match tokio::time::timeout(timeout, body::read(body, limit)).await {
        Ok(read) => read,
        Err(_) => Err(Unread::Broken(format!(
            "it did not arrive within {} ms (--body-read-timeout-ms)",
            timeout.as_millis()
        ))),
    };
    if api == Api::Usersync {
        // The call is all the edge needs: the body goes no further (a 32 MiB roster is not
        // kept twice).
        let body = std::mem::replace(&mut read, Ok(Bytes::new()));
        let call = UsersyncCall::read(&parts.headers, parts.uri.query(), body);
        parts.extensions.insert(call);
    }
    let req = Request::from_parts(parts, Body::empty());
    let arrival = arrive(&inst, api, &req, &read, None);
    let (mut parts, _) = req.into_parts();
    let body = match read {
        Ok(bytes) => Body::from(bytes),
        Err(unread) => {
            parts.extensions.insert(unread);
            Body::empty()
        }
    };
    let req = Request::from_parts(parts, body);
    answer_late(state, inst, api, arrival, req, inner, started).await
}

/// Sleeps the decision's delay, then answers. A delay ends early when the server begins to shut
/// down: the request then gets the answer it would have got (mock choice), at once, so that
/// no delay holds the shutdown up.
async fn answer_late<S>(
    state: AppState,
    inst: Instance,
    api: Api,
    arrival: Arrival,
    req: Request,
    inner: S,
    started: Instant,
) -> Answer
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    if arrival.decision.delay_ms > 0 && arrival.refused.is_none() {
        let delay = tokio::time::sleep(Duration::from_millis(arrival.decision.delay_ms));
        tokio::select! {
            () = delay => {}
            () = state.shutdown.begun() => {}
        }
    }
    Ok(match decide(&inst, api, arrival, req, started) {
        Decided::Now(res) => res,
        Decided::Route(route) => {
            let Ok(res) = inner.oneshot(route.req).await;
            route.finish.answered(&inst, res, started).await
        }
    })
}

/// A request once read: what the fault rules decided, and its journal entry.
struct Arrival {
    decision: Decision,
    /// The answer is this refusal: of the `Host`, or of an `X-Mock-Fault` header that could not
    /// be read (a 400).
    refused: Option<MockError>,
    ticket: Option<Ticket>,
}

/// Reads what the journal and the fault rules need, asks the rules (or the header) and begins
/// the journal entry. A usersync call was read already ([`slow`]). A request `refused` already
/// (its `Host`) is journaled, and asks no rule.
fn arrive(
    inst: &Instance,
    api: Api,
    req: &Request,
    read: &Result<Bytes, Unread>,
    refused: Option<MockError>,
) -> Arrival {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let path = inner_path(req.uri().path());
    // The sites the request touches, borrowed where they can be: a team from the path, the
    // main site's slug, the teams of a usersync call.
    let main_slug: Option<String>;
    let one: [&str; 1];
    let teams: Vec<String>;
    let team_refs: Vec<&str>;
    let (sites, journal_body): (&[&str], (String, bool)) = match api {
        Api::Usersync => match req.extensions().get::<UsersyncCall>() {
            Some(call) => {
                teams = call.teams();
                team_refs = teams.iter().map(String::as_str).collect();
                (&team_refs, call.journal_body())
            }
            None => (&[], masked_body(content_type, read)),
        },
        Api::V3 => {
            one = [match v3_team(path) {
                Some(team) => team,
                None => {
                    main_slug = inst.store.read(|w| w.main_site().map(|s| s.slug.clone()));
                    main_slug.as_deref().unwrap_or_default()
                }
            }];
            (&one, masked_body(content_type, read))
        }
        Api::Admin | Api::Other => (&[], masked_body(content_type, read)),
    };
    // The dashboard's polling reads are neither journaled nor seen by rules (crate::dashboard).
    let quiet = api == Api::Admin && crate::dashboard::is_quiet(req.method(), req.headers());
    let (decision, refused) = match (refused, req.headers().get(FAULT_HEADER)) {
        (Some(refused), _) => (Decision::none(), Some(refused)),
        (None, _) if quiet => (Decision::none(), None),
        (None, Some(value)) => match header_decision(value.to_str().unwrap_or_default(), api) {
            Ok(decision) => (decision, None),
            Err(error) => (Decision::none(), Some(error)),
        },
        (None, None) => {
            let facts = Facts {
                api,
                method: req.method().as_str(),
                path,
                sites,
            };
            (inst.faults.decide(&facts), None)
        }
    };
    let ticket = (journaled(path) && !quiet).then(|| {
        inst.journal.begin(journal::Record {
            time: inst.store.now(),
            method: req.method(),
            path,
            query: req.uri().query().unwrap_or_default(),
            api,
            sites,
            faults: decision.fired.clone(),
            headers: req.headers(),
            body: journal_body,
        })
    });
    Arrival {
        decision,
        refused,
        ticket,
    }
}

/// The team of a team-shaped v3 path.
fn v3_team(path: &str) -> Option<&str> {
    let rest = path
        .strip_prefix("/api/v3/teams/")
        .or_else(|| path.strip_prefix("/v3/teams/"))?;
    Some(rest.split('/').next().unwrap_or_default())
}

fn masked_body(content_type: &str, read: &Result<Bytes, Unread>) -> (String, bool) {
    match read {
        Ok(bytes) if bytes.is_empty() => (String::new(), false),
        Ok(bytes) => journal::mask_body(content_type, bytes),
        Err(Unread::TooLarge { head, .. }) => {
            let (text, _) = journal::mask_body(content_type, head);
            (text, true)
        }
        Err(unread) => (format!("({unread})"), false),
    }
}

/// What becomes of a request once decided.
#[expect(
    clippy::large_enum_variant,
    reason = "returned once per request and matched at once; boxing the request would cost an allocation per request"
)]
enum Decided {
    /// Answered by the pipeline (journaled already).
    Now(Response),
    /// Goes on to its route.
    Route(Route),
}

/// A request on its way to its route, and what to do with the route's answer.
struct Route {
    req: Request,
    finish: Finish,
}

/// Decides the answer: the pipeline's own (a refused header, a dropped connection, a 429, an
/// injected answer, a kept read), or the route's.
fn decide(
    inst: &Instance,
    api: Api,
    arrival: Arrival,
    mut req: Request,
    started: Instant,
) -> Decided {
    let Arrival {
        decision,
        refused,
        ticket,
    } = arrival;
    let now = |mut res: Response, dropped: bool| {
        end(inst, ticket, &mut res, dropped, started);
        Decided::Now(res)
    };
    if let Some(refused) = refused {
        return now(refused.into_response(), false);
    }
    if matches!(decision.outcome, Outcome::Drop) {
        return now(injected::severed(), true);
    }
    // Every v3 answer carries the rate-limit headers, injected ones too. Under enforcement it
    // counts against its token, and a spent limit answers 429 before anything else; without,
    // the headers report full limits.
    let verdict = (api == Api::V3).then(|| {
        if !inst.rate_limits_enforced() {
            return Verdict::FULL;
        }
        // Counters are kept for the tokens the instance knows; every other caller (no token,
        // an unknown or revoked one) shares one, so random tokens cannot grow the state.
        let token = bearer_token(req.headers()).unwrap_or_default();
        let known = !token.is_empty() && inst.store.read(|w| w.token(token).is_some());
        inst.rate_limits
            .check_at(if known { token } else { "" }, started)
    });
    if let Some(spent) = verdict.filter(|v| !v.allowed) {
        return now(too_many_requests(&spent), false);
    }
    let with_headers = |mut res: Response| {
        if let Some(verdict) = &verdict {
            add_rate_limit_headers(res.headers_mut(), verdict);
        }
        res
    };
    let mut keep = None;
    match decision.outcome {
        Outcome::Respond {
            status,
            body,
            content_type,
        } => {
            let asked = Asked {
                api,
                method: req.method(),
                path: inner_path(req.uri().path()),
                rules: &decision.fired.join(", "),
            };
            let res = injected::respond(&asked, status, body, content_type);
            return now(with_headers(res), false);
        }
        // Read by the usersync edge, which fails the named team as told.
        Outcome::Sync(fault) => {
            req.extensions_mut().insert(fault);
        }
        Outcome::Pass if api == Api::V3 => match inst.reads.lookup(&inst.store, &req) {
            Lookup::Kept(res) => return now(with_headers(res), false),
            Lookup::Miss(pending) => keep = pending,
        },
        Outcome::Pass | Outcome::Drop => {}
    }
    Decided::Route(Route {
        req,
        finish: Finish {
            keep,
            verdict,
            ticket,
        },
    })
}

/// The one-shot decision of an `X-Mock-Fault` header; a bad header is a 400 naming the problem.
fn header_decision(value: &str, api: Api) -> Result<Decision, MockError> {
    let bad = |problems| {
        MockError::with_problems(format!("the {HEADER_FAULT} header is not valid"), problems)
    };
    let spec =
        parse_header(value).map_err(|reason| bad(vec![Problem::new(HEADER_FAULT, reason)]))?;
    let mut problems = Vec::new();
    let action = spec
        .validate(HEADER_FAULT, None, &mut problems)
        .ok_or_else(|| bad(problems))?;
    if matches!(action.outcome, Outcome::Sync(_)) && api != Api::Usersync {
        let reason = format!("a usersync failure only applies to POST {USERSYNC_PATH}");
        return Err(bad(vec![Problem::new(HEADER_FAULT, reason)]));
    }
    Ok(Decision::from_header(action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sandbox_path_names_its_sandbox_and_its_inner_path() {
        assert_eq!(sandbox_of("/_sandbox/sb-1/api/v3/users"), Some("sb-1"));
        assert_eq!(inner_path("/_sandbox/sb-1/api/v3/users"), "/api/v3/users");
        assert_eq!(sandbox_of("/_sandbox/sb-1"), Some("sb-1"));
        assert_eq!(inner_path("/_sandbox/sb-1"), "/");
        assert_eq!(sandbox_of("/_sandboxes/x"), None);
        assert_eq!(inner_path("/api/v3/users"), "/api/v3/users");
        assert_eq!(sandbox_of("/_sandbox/"), Some(""));
    }
}
