//! What the pipeline does once an answer is decided: keeps a v3 read in the cache, adds the
//! rate-limit headers, and completes the request's journal entry with what the answer says
//! (its status, the reason of a refusal from its `X-Mock-Reason` header, and the usersync team
//! outcomes the edge left in its extensions, taken out here so they never reach the wire).
//! An answer without a refusal or outcomes costs an empty extensions check (and a header
//! lookup for an error): nothing is allocated for a 200.

use std::time::Instant;

use axum::response::Response;

use crate::api::v3::add_rate_limit_headers;
use crate::cache::Pending;
use crate::instance::Instance;
use crate::journal::{Answer, Outcomes, Ticket};
use crate::ratelimit::Verdict;
use crate::refusal::Refusal;

/// What the pipeline does with a route's answer.
pub(super) struct Finish {
    /// Keep the answer in the read cache ([`crate::cache::ReadCache::keep`]).
    pub keep: Option<Pending>,
    pub verdict: Option<Verdict>,
    pub ticket: Option<Ticket>,
}

impl Finish {
    pub async fn answered(self, inst: &Instance, res: Response, started: Instant) -> Response {
        let mut res = match self.keep {
            Some(pending) => inst.reads.keep(&inst.store, pending, res).await,
            None => res,
        };
        if let Some(verdict) = &self.verdict {
            add_rate_limit_headers(res.headers_mut(), verdict);
        }
        end(inst, self.ticket, &mut res, false, started);
        res
    }
}

/// Completes a journal entry with its answer (`dropped`: the connection was severed).
pub(super) fn end(
    inst: &Instance,
    ticket: Option<Ticket>,
    res: &mut Response,
    dropped: bool,
    started: Instant,
) {
    let outcomes = res.extensions_mut().remove::<Outcomes>();
    if let Some(ticket) = ticket {
        let answer = Answer {
            status: (!dropped).then(|| res.status().as_u16()),
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
            reason: Refusal::of(res.status(), res.headers()),
            outcomes,
        };
        inst.journal.end(ticket, answer);
    }
}
