//! The request journal (contract §5): what each instance was asked and how it answered, so a
//! test can assert on the calls its client made. Bounded: it keeps the last [`CAPACITY`]
//! entries (the oldest is dropped and the drop counted), and each entry keeps at most
//! [`HEADERS_BOUND`] bytes of headers, [`QUERY_BOUND`] of path and query and [`BODY_BOUND`]
//! characters of body, each marked when cut. Credentials never leave it in full: headers and
//! the query are masked when an entry is read (`mask.rs`), the body when it is recorded
//! ([`crate::credentials`]).
//!
//! An entry is begun when a request arrives ([`Journal::begin`]) and completed with its
//! [`Answer`] ([`Journal::end`]): status, duration, the reason of a refusal and a usersync
//! call's team outcomes (`answer.rs`). [`Filter`] selects entries.

mod answer;
mod filter;
mod mask;
#[cfg(test)]
mod tests;

pub use answer::{Answer, OUTCOMES_BOUND, Outcomes, TEAM_BOUND, TeamStatus};
pub use filter::Filter;
pub use mask::{mask_body, mask_headers};

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use axum::http::{HeaderMap, Method};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::credentials::mask_query;
use crate::refusal::Refusal;
use crate::surface::Api;

/// Entries kept per instance (the root and each sandbox).
pub const CAPACITY: usize = 1000;
/// Body characters kept per entry.
pub const BODY_BOUND: usize = 4096;
/// Bytes one instance's journal holds at most, over all its entries (mock limit, README
/// "Limits"): entries of big requests push out the oldest sooner, counted as dropped.
pub const MAX_BYTES: usize = 4 << 20;
/// Header bytes kept per entry (names and values; whole headers only).
pub const HEADERS_BOUND: usize = 8192;
/// Bytes of the path, and of the query string, kept per entry.
pub const QUERY_BOUND: usize = 2048;

/// One request and its answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// Increases by one per request, from 1; gaps show dropped or cleared entries.
    pub seq: u64,
    /// When the request arrived, on the instance's mock clock.
    pub time: DateTime<Utc>,
    pub method: String,
    /// The path, without the `/_sandbox/{id}` prefix inside a sandbox.
    pub path: String,
    /// The query string, credentials masked; `""` when there is none.
    pub query: String,
    /// Whether the query was cut at 2048 bytes.
    pub query_truncated: bool,
    pub api: Api,
    /// The sites the request touched (the v3 site, the usersync teams).
    pub sites: Vec<String>,
    /// The status answered; `null` when the connection was dropped by a fault.
    pub status: Option<u16>,
    /// Why the caller was refused (the answer's mock-only `X-Mock-Reason` header, e.g.
    /// `token-expired`); `null` when it was not.
    #[schema(example = "token-expired")]
    pub reason: Option<String>,
    /// A usersync answer's `StatusCode` per team, in request order (the first 100); empty for
    /// other APIs and for refused calls.
    pub outcomes: Vec<TeamStatus>,
    /// Whether outcomes were left out past 100 teams, or a team name cut at 256 bytes.
    pub outcomes_truncated: bool,
    pub duration_ms: f64,
    /// The fault rules that fired (`X-Mock-Fault` for the header).
    pub faults: Vec<String>,
    /// Request headers, credentials masked.
    pub headers: BTreeMap<String, String>,
    /// Whether headers were left out past 8192 bytes.
    pub headers_truncated: bool,
    /// The request body as text (credentials masked), cut at 4096 characters.
    pub body: String,
    pub body_truncated: bool,
}

/// One request as recorded. Recording is on every request's path, so it copies raw text
/// into the buffers of the entry it replaces once the journal is full; headers and the query
/// are masked when an entry is read ([`Slot::entry`]), the body when it is recorded (masking
/// needs the whole of it, and bodies are rare on the hot path).
#[derive(Debug)]
struct Slot {
    seq: u64,
    time: DateTime<Utc>,
    method: Method,
    path: String,
    /// The raw query string, cut at [`QUERY_BOUND`] bytes.
    query: String,
    query_truncated: bool,
    api: Api,
    /// One site per line.
    sites: String,
    status: Option<u16>,
    reason: Option<Refusal>,
    outcomes: Outcomes,
    duration_ms: f64,
    faults: Vec<String>,
    /// Raw headers, one `name:value` per line (names have no `:`, values no line break), cut at
    /// [`HEADERS_BOUND`] bytes.
    headers: String,
    headers_truncated: bool,
    body: String,
    body_truncated: bool,
    /// Begun and not yet answered: not shown.
    pending: bool,
}

/// What the pipeline records of one request.
#[derive(Debug)]
pub struct Record<'a> {
    pub time: DateTime<Utc>,
    pub method: &'a Method,
    pub path: &'a str,
    pub query: &'a str,
    pub api: Api,
    pub sites: &'a [&'a str],
    pub faults: Vec<String>,
    pub headers: &'a HeaderMap,
    /// The body as [`mask_body`] gives it: masked text, and whether it was cut.
    pub body: (String, bool),
}

/// `text` cut to at most `bound` bytes at a character boundary; whether it was cut.
fn push_bounded(out: &mut String, text: &str, bound: usize) -> bool {
    let room = bound.saturating_sub(out.len());
    if text.len() <= room {
        out.push_str(text);
        return false;
    }
    let mut cut = room;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    out.push_str(&text[..cut]);
    true
}

impl Slot {
    fn new() -> Slot {
        Slot {
            seq: 0,
            time: DateTime::<Utc>::MIN_UTC,
            method: Method::GET,
            path: String::new(),
            query: String::new(),
            query_truncated: false,
            api: Api::Other,
            sites: String::new(),
            status: None,
            reason: None,
            outcomes: Outcomes::default(),
            duration_ms: 0.0,
            faults: Vec::new(),
            headers: String::new(),
            headers_truncated: false,
            body: String::new(),
            body_truncated: false,
            pending: true,
        }
    }

    fn fill(&mut self, seq: u64, r: Record<'_>) {
        self.seq = seq;
        self.time = r.time;
        self.method.clone_from(r.method);
        self.path.clear();
        push_bounded(&mut self.path, r.path, QUERY_BOUND);
        self.query.clear();
        self.query_truncated = push_bounded(&mut self.query, r.query, QUERY_BOUND);
        self.api = r.api;
        self.sites.clear();
        for site in r.sites {
            // Whole names, within the bound of a path (a call may name 1000 teams).
            if self.sites.len() + site.len() + 1 > QUERY_BOUND {
                break;
            }
            self.sites.push_str(site);
            self.sites.push('\n');
        }
        self.status = None;
        self.reason = None;
        self.outcomes = Outcomes::default();
        self.duration_ms = 0.0;
        self.pending = true;
        self.faults = r.faults;
        self.headers.clear();
        self.headers_truncated = false;
        for (name, value) in r.headers {
            let value = String::from_utf8_lossy(value.as_bytes());
            let line_len = name.as_str().len() + value.len() + 2;
            if self.headers.len() + line_len > HEADERS_BOUND {
                self.headers_truncated = true;
                break;
            }
            self.headers.push_str(name.as_str());
            self.headers.push(':');
            self.headers.push_str(&value);
            self.headers.push('\n');
        }
        (self.body, self.body_truncated) = r.body;
        // A body cut from a larger text may keep that text's capacity.
        self.body.shrink_to_fit();
    }

    /// The memory the entry holds, as counted against [`MAX_BYTES`].
    fn bytes(&self) -> usize {
        std::mem::size_of::<Slot>()
            + self.path.capacity()
            + self.query.capacity()
            + self.sites.capacity()
            + self.headers.capacity()
            + self.body.capacity()
            + self.faults.iter().map(|f| f.capacity() + 24).sum::<usize>()
            + self.outcomes.bytes()
    }

    /// The entry as the control API shows it, credentials masked.
    fn entry(&self) -> Entry {
        Entry {
            seq: self.seq,
            time: self.time,
            method: self.method.to_string(),
            path: self.path.clone(),
            query: mask_query(&self.query),
            query_truncated: self.query_truncated,
            api: self.api,
            sites: self.sites.lines().map(str::to_string).collect(),
            status: self.status,
            reason: self.reason.map(|r| r.reason().to_string()),
            outcomes: self.outcomes.teams.clone(),
            outcomes_truncated: self.outcomes.truncated,
            duration_ms: self.duration_ms,
            faults: self.faults.clone(),
            headers: mask_headers(self.headers.lines().filter_map(|line| line.split_once(':'))),
            headers_truncated: self.headers_truncated,
            body: self.body.clone(),
            body_truncated: self.body_truncated,
        }
    }
}

/// A journal entry's place: the entry's number, and the journal's epoch when it was begun (a
/// clear starts a new epoch, so an answer to a request begun before it never completes an
/// entry begun after).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    epoch: u64,
    seq: u64,
}

/// The journal of one instance: the last [`CAPACITY`] requests, oldest first, behind one lock.
#[derive(Debug, Default)]
pub struct Journal {
    ring: Mutex<Ring>,
}

#[derive(Debug, Default)]
struct Ring {
    /// In sequence order: entry `seq` is at `seq - first seq`.
    slots: VecDeque<Slot>,
    /// The last sequence number given.
    last_seq: u64,
    /// Entries pushed out by newer ones since the last clear.
    dropped: u64,
    epoch: u64,
    /// What the slots hold ([`Slot::bytes`]).
    bytes: usize,
}

impl Ring {
    /// Pushes out the oldest entry, counted as dropped.
    fn pop_oldest(&mut self) -> Option<Slot> {
        let slot = self.slots.pop_front()?;
        self.dropped += 1;
        self.bytes -= slot.bytes();
        Some(slot)
    }

    fn slot_mut(&mut self, ticket: Ticket) -> Option<&mut Slot> {
        if ticket.epoch != self.epoch {
            return None;
        }
        let first = self.slots.front()?.seq;
        let index = usize::try_from(ticket.seq.checked_sub(first)?).ok()?;
        self.slots.get_mut(index).filter(|s| s.seq == ticket.seq)
    }
}

/// A query's answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Found {
    /// How many entries match (before `limit`).
    pub total: usize,
    /// Entries dropped because the journal was full, since it was last cleared.
    pub dropped: u64,
    pub capacity: usize,
    /// Matching entries, oldest first.
    pub requests: Vec<Entry>,
}

impl Journal {
    fn ring(&self) -> std::sync::MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a request as it arrives, giving it the next sequence number; it is shown once
    /// [`Journal::end`] gives its answer. Entries are therefore in arrival order.
    pub fn begin(&self, record: Record<'_>) -> Ticket {
        let mut ring = self.ring();
        ring.last_seq += 1;
        let seq = ring.last_seq;
        let mut slot = match ring.slots.len() >= CAPACITY {
            true => ring.pop_oldest().unwrap_or_else(Slot::new),
            false => Slot::new(),
        };
        slot.fill(seq, record);
        ring.bytes += slot.bytes();
        ring.slots.push_back(slot);
        while ring.bytes > MAX_BYTES && ring.slots.len() > 1 {
            ring.pop_oldest();
        }
        Ticket {
            epoch: ring.epoch,
            seq,
        }
    }

    /// Completes an entry with its answer. An entry pushed out meanwhile by a full journal, or
    /// cleared, stays out. Outcomes count against [`MAX_BYTES`] as the rest does.
    pub fn end(&self, ticket: Ticket, answer: Answer) {
        let mut ring = self.ring();
        let Some(slot) = ring.slot_mut(ticket) else {
            return;
        };
        let before = slot.bytes();
        slot.status = answer.status;
        slot.duration_ms = answer.duration_ms;
        slot.reason = answer.reason;
        if let Some(outcomes) = answer.outcomes {
            slot.outcomes = outcomes;
        }
        slot.pending = false;
        let after = slot.bytes();
        ring.bytes = ring.bytes - before + after;
        while ring.bytes > MAX_BYTES && ring.slots.len() > 1 {
            ring.pop_oldest();
        }
    }

    pub fn find(&self, filter: &Filter) -> Found {
        let ring = self.ring();
        let matching: Vec<&Slot> = ring.slots.iter().filter(|s| filter.matches(s)).collect();
        let total = matching.len();
        let skip = filter.limit.map_or(0, |n| total.saturating_sub(n));
        Found {
            total,
            dropped: ring.dropped,
            capacity: CAPACITY,
            requests: matching[skip..].iter().map(|s| s.entry()).collect(),
        }
    }

    pub fn count(&self, filter: &Filter) -> usize {
        self.ring()
            .slots
            .iter()
            .filter(|s| filter.matches(s))
            .count()
    }

    /// Empties the journal and its drop count and starts the numbering again from 1; returns
    /// how many entries it held.
    pub fn clear(&self) -> usize {
        let mut ring = self.ring();
        let held = ring.slots.iter().filter(|s| !s.pending).count();
        let epoch = ring.epoch + 1;
        *ring = Ring {
            epoch,
            ..Ring::default()
        };
        held
    }
}
