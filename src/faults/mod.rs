//! Fault injection (contract §5): rules that make matching requests fail, slow down or lose
//! their connection, and the one-shot `X-Mock-Fault` header that does the same for one request.
//!
//! This module is plain Rust. A rule is written as JSON ([`RuleSpec`], the format users send),
//! validated into an [`Action`] and a [`Trigger`], and kept with its counters in a
//! [`FaultBook`] per instance. The traffic layer (`api::traffic`) asks the book for a
//! [`Decision`] before a request reaches its edge and renders it in that edge's wire format.

mod book;
mod media_type;
mod spec;

pub use book::{Decision, Facts, FaultBook, MAX_RULES, Refused, RuleView};
pub use spec::{ActionSpec, MatchSpec, RuleSpec, TriggerSpec, parse_header};

use axum::http::HeaderName;
use serde_json::Value;

use crate::domain::usersync::SyncFault;

/// The name journal entries give a fault that came from the header rather than a rule.
pub const HEADER_FAULT: &str = "X-Mock-Fault";
/// [`HEADER_FAULT`] as a header name, which a lookup does not parse.
pub const FAULT_HEADER: HeaderName = HeaderName::from_static("x-mock-fault");
/// The longest delay a fault may add (5 minutes), so a typo cannot hang a suite for ever.
pub const MAX_DELAY_MS: u64 = 300_000;

/// What a fault does to a request: wait `delay_ms`, then the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub delay_ms: u64,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Only the delay: the request then goes on to its edge.
    Pass,
    /// Answer this status instead of the edge, with this body (or the edge's default one).
    Respond {
        status: u16,
        body: Option<Value>,
        content_type: Option<String>,
    },
    /// Let usersync run, failing one team (or all) with an injected system failure.
    Sync(SyncFault),
    /// Close the connection without an answer.
    Drop,
}

impl Outcome {
    /// Whether it decides the answer (at most one such outcome applies per request).
    pub fn is_terminal(&self) -> bool {
        !matches!(self, Outcome::Pass)
    }
}

/// When a matching rule fires.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    Always,
    /// The next N matching calls.
    Times(u64),
    /// Only the Nth matching call (counted from the rule's creation).
    Nth(u64),
    /// Each matching call with probability `p`, drawn from a generator seeded with `seed`.
    Probability {
        p: f64,
        seed: u64,
    },
}
