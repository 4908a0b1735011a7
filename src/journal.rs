//! The request journal (contract §5): what each instance was asked and how it answered, so a
//! test can assert on the calls its client made. Bounded: it keeps the last [`CAPACITY`]
//! entries (the oldest is dropped and the drop counted), and each entry keeps at most
//! [`HEADERS_BOUND`] bytes of headers, [`QUERY_BOUND`] of path and query and [`BODY_BOUND`]
//! characters of body, each marked when cut. Credentials never leave it in full: headers and
//! the query are masked when an entry is read, the body when it is recorded
//! ([`crate::credentials`]).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use axum::http::{HeaderMap, Method};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::credentials::{mask_header, mask_query, mask_text};
use crate::glob::glob_match;
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

/// Which entries a query selects. Every field is optional; all given ones must match.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// HTTP method, any case.
    pub method: Option<String>,
    /// Path pattern; `*` matches any run of characters.
    pub path: Option<String>,
    /// A status (`503`) or a class (`5xx`); `dropped` selects dropped connections.
    pub status: Option<String>,
    pub api: Option<Api>,
    /// A site or team slug among the entry's sites.
    pub site: Option<String>,
    /// Only the most recent N matching entries.
    pub limit: Option<usize>,
}

impl Filter {
    /// Checks the fields that can be malformed, so a typo is an error rather than no match.
    pub fn validate(&self) -> Result<(), String> {
        match self.status.as_deref() {
            None | Some("dropped") => Ok(()),
            Some(s)
                if s.len() == 3
                    && s.ends_with("xx")
                    && s.starts_with(['1', '2', '3', '4', '5']) =>
            {
                Ok(())
            }
            Some(s) if s.parse::<u16>().is_ok_and(|n| (100..=599).contains(&n)) => Ok(()),
            Some(s) => Err(format!(
                "status must be a status code (503), a class (5xx) or \"dropped\", not {s:?}"
            )),
        }
    }

    fn matches(&self, e: &Slot) -> bool {
        !e.pending
            && self
                .method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(e.method.as_str()))
            && self.path.as_ref().is_none_or(|p| glob_match(p, &e.path))
            && self.api.is_none_or(|a| a == e.api)
            && self
                .site
                .as_ref()
                .is_none_or(|s| e.sites.lines().any(|x| x.eq_ignore_ascii_case(s)))
            && self.status.as_deref().is_none_or(|s| match (s, e.status) {
                ("dropped", status) => status.is_none(),
                (_, None) => false,
                (s, Some(status)) if s.ends_with("xx") => {
                    s.as_bytes()[0] == b'0' + (status / 100) as u8
                }
                (s, Some(status)) => s.parse::<u16>() == Ok(status),
            })
    }
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

    /// Completes an entry with its answer (`None`: the connection was dropped). An entry pushed
    /// out meanwhile by a full journal, or cleared, stays out.
    pub fn end(&self, ticket: Ticket, status: Option<u16>, duration_ms: f64) {
        if let Some(slot) = self.ring().slot_mut(ticket) {
            slot.status = status;
            slot.duration_ms = duration_ms;
            slot.pending = false;
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

/// Headers as text, credentials masked (`Bearer ada…`); a repeated header's values are joined
/// with `, `.
pub fn mask_headers<'a>(
    headers: impl Iterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, value) in headers {
        let shown = mask_header(name, value);
        out.entry(name.to_string())
            .and_modify(|v: &mut String| *v = format!("{v}, {shown}"))
            .or_insert(shown);
    }
    out
}

/// A body as text with credentials masked (form fields, JSON keys, or anything that looks like
/// either), cut at [`BODY_BOUND`] characters. Returns the text and whether it was cut.
pub fn mask_body(content_type: &str, body: &[u8]) -> (String, bool) {
    // Cut first: only what is kept is masked, so a 1 MiB body costs no more than a short
    // one. A secret cut in two is still masked (a value running to the end of the text is a
    // value), and a name cut in two has no value after it.
    let head = &body[..body.len().min(BODY_BOUND * 4)];
    let text = String::from_utf8_lossy(head);
    let mut cut = head.len() < body.len();
    let text = match text.char_indices().nth(BODY_BOUND) {
        Some((at, _)) => {
            cut = true;
            &text[..at]
        }
        None => &text[..],
    };
    let masked = if content_type
        .to_ascii_lowercase()
        .contains("x-www-form-urlencoded")
    {
        mask_query(text)
    } else {
        mask_text(text)
    };
    match masked.char_indices().nth(BODY_BOUND) {
        Some((at, _)) => (masked[..at].to_string(), true),
        None => (masked, cut),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(j: &Journal, method: &str, path: &str, status: Option<u16>) {
        let seq = j.begin(Record {
            time: Utc::now(),
            method: &method.parse().unwrap(),
            path,
            query: "",
            api: Api::of(path),
            sites: &["main"],
            faults: vec![],
            headers: &HeaderMap::new(),
            body: (String::new(), false),
        });
        j.end(seq, status, 0.0);
    }

    #[test]
    fn the_oldest_entries_are_dropped_and_counted() {
        let j = Journal::default();
        for _ in 0..CAPACITY + 3 {
            record(&j, "GET", "/api/v3/users", Some(200));
        }
        let found = j.find(&Filter::default());
        assert_eq!(found.total, CAPACITY);
        assert_eq!(found.dropped, 3);
        assert_eq!(found.requests[0].seq, 4, "the first three went");
        assert_eq!(j.clear(), CAPACITY);
        assert_eq!(j.find(&Filter::default()).dropped, 0);
    }

    #[test]
    fn an_entry_shows_once_answered_and_an_overtaken_one_stays_out() {
        let j = Journal::default();
        let begin = |path: &str| {
            j.begin(Record {
                time: Utc::now(),
                method: &Method::GET,
                path,
                query: "access_token=secret-token",
                api: Api::of(path),
                sites: &[],
                faults: vec![],
                headers: &HeaderMap::from_iter([(
                    axum::http::header::AUTHORIZATION,
                    "Bearer ada-rw-secret".parse().unwrap(),
                )]),
                body: (String::new(), false),
            })
        };
        let slow = begin("/slow");
        assert_eq!(j.count(&Filter::default()), 0, "in flight: not shown");
        j.end(slow, Some(200), 1.0);
        let shown = j.find(&Filter::default());
        assert_eq!(shown.total, 1);
        assert_eq!(shown.requests[0].headers["authorization"], "Bearer ada…");
        assert_eq!(shown.requests[0].query, "access_token=sec…");
        let overtaken = begin("/overtaken");
        for _ in 0..CAPACITY {
            record(&j, "GET", "/", Some(200));
        }
        j.end(overtaken, Some(200), 1.0);
        let found = j.find(&Filter::default());
        assert_eq!((found.total, found.dropped), (CAPACITY, 2));
        assert!(found.requests.iter().all(|e| e.path == "/"));
        assert_eq!(j.clear(), CAPACITY);
        assert_eq!(
            (
                j.count(&Filter::default()),
                j.find(&Filter::default()).dropped
            ),
            (0, 0)
        );
    }

    #[test]
    fn filters_combine_method_path_status_and_limit() {
        let j = Journal::default();
        record(&j, "GET", "/api/v3/users", Some(200));
        record(&j, "POST", "/api/v3/user-groups", Some(503));
        record(&j, "POST", "/api/v3/user-groups", Some(201));
        record(&j, "GET", "/api/v3/tags", None);
        let f = |m: Option<&str>, p: Option<&str>, s: Option<&str>| Filter {
            method: m.map(Into::into),
            path: p.map(Into::into),
            status: s.map(Into::into),
            ..Filter::default()
        };
        assert_eq!(j.count(&f(Some("post"), None, None)), 2);
        assert_eq!(j.count(&f(None, Some("/api/v3/user*"), None)), 3);
        assert_eq!(j.count(&f(None, None, Some("5xx"))), 1);
        assert_eq!(j.count(&f(None, None, Some("201"))), 1);
        assert_eq!(j.count(&f(None, None, Some("dropped"))), 1);
        let last = j.find(&Filter {
            limit: Some(1),
            ..f(Some("POST"), None, None)
        });
        assert_eq!(
            (last.total, last.requests.len(), last.requests[0].status),
            (2, 1, Some(201))
        );
        assert!(f(None, None, Some("teapot")).validate().is_err());
        assert!(f(None, None, Some("6xx")).validate().is_err());
    }

    #[test]
    fn a_clear_starts_the_numbering_again_and_an_answer_begun_before_it_is_lost() {
        let j = Journal::default();
        record(&j, "GET", "/one", Some(200));
        let begun = j.begin(Record {
            time: Utc::now(),
            method: &Method::GET,
            path: "/in-flight",
            query: "",
            api: Api::Other,
            sites: &[],
            faults: vec![],
            headers: &HeaderMap::new(),
            body: (String::new(), false),
        });
        assert_eq!(j.clear(), 1, "the in-flight entry is not counted");
        record(&j, "GET", "/two", Some(201));
        record(&j, "GET", "/three", Some(202));
        j.end(begun, Some(500), 1.0);
        let found = j.find(&Filter::default());
        let seqs: Vec<(u64, Option<u16>)> =
            found.requests.iter().map(|e| (e.seq, e.status)).collect();
        assert_eq!(seqs, [(1, Some(201)), (2, Some(202))]);
    }

    #[test]
    fn each_part_of_an_entry_is_bounded_and_marked_when_cut() {
        let j = Journal::default();
        let mut headers = HeaderMap::new();
        for i in 0..100 {
            headers.insert(
                axum::http::HeaderName::from_bytes(format!("x-big-{i}").as_bytes()).unwrap(),
                "v".repeat(200).parse().unwrap(),
            );
        }
        let long_query = "q=".to_string() + &"é".repeat(QUERY_BOUND);
        let ticket = j.begin(Record {
            time: Utc::now(),
            method: &Method::GET,
            path: "/api/v3/users",
            query: &long_query,
            api: Api::V3,
            sites: &[],
            faults: vec![],
            headers: &headers,
            body: mask_body("text/plain", "b".repeat(BODY_BOUND * 2).as_bytes()),
        });
        j.end(ticket, Some(200), 0.0);
        let entry = &j.find(&Filter::default()).requests[0];
        assert!(entry.headers_truncated && entry.query_truncated && entry.body_truncated);
        let header_bytes: usize = entry
            .headers
            .iter()
            .map(|(k, v)| k.len() + v.len() + 2)
            .sum();
        assert!(header_bytes <= HEADERS_BOUND, "{header_bytes}");
        assert!(
            entry.query.len() <= QUERY_BOUND + 3,
            "{}",
            entry.query.len()
        );
        assert_eq!(entry.body.chars().count(), BODY_BOUND);
    }

    #[test]
    fn credentials_are_masked_in_headers_and_bodies() {
        let headers = mask_headers(
            [
                ("authorization", "Bearer ada-rw-secret"),
                ("x-api-key", "local-key"),
                ("accept", "*/*"),
            ]
            .into_iter(),
        );
        assert_eq!(headers["authorization"], "Bearer ada…");
        assert_eq!(headers["x-api-key"], "loc…");
        assert_eq!(headers["accept"], "*/*");
        let (form, _) = mask_body(
            "application/x-www-form-urlencoded",
            b"access_token=ada-rw-secret&key=local-key&dryRun=true",
        );
        assert_eq!(form, "access_token=ada…&key=loc…&dryRun=true");
        let (json, _) = mask_body(
            "application/json",
            br#"{"tokens":[{"token":"ada-rw-secret","write":true}]}"#,
        );
        assert!(
            !json.contains("ada-rw-secret") && json.contains("ada…"),
            "{json}"
        );
        let (long, cut) = mask_body("text/plain", "é".repeat(BODY_BOUND + 1).as_bytes());
        assert!(cut && long.chars().count() == BODY_BOUND);
    }
}
