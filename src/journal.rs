//! The request journal (contract §5): what each instance was asked and how it answered, so a
//! test can assert on the calls its client made. Bounded: when full, the oldest entry is dropped
//! and the drop counted. Credentials never enter it in full: headers, query and body are
//! masked on the way in ([`mask_headers`], [`mask_body`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use axum::http::{HeaderMap, Method};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::logging::{mask, mask_query};
use crate::padded::Padded;
use crate::traffic::{Api, glob_match};

/// Entries kept per instance (the root and each sandbox).
pub const CAPACITY: usize = 1000;
/// Body characters kept per entry.
pub const BODY_BOUND: usize = 4096;

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
                .is_none_or(|s| e.sites.iter().any(|x| x.eq_ignore_ascii_case(s)))
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
/// into buffers it reuses (the oldest slot's, once the journal is full); masking happens when
/// an entry is read ([`Slot::entry`]).
#[derive(Debug)]
struct Slot {
    seq: u64,
    time: DateTime<Utc>,
    method: Method,
    path: String,
    /// The raw query string.
    query: String,
    api: Api,
    sites: Vec<String>,
    status: Option<u16>,
    duration_ms: f64,
    faults: Vec<String>,
    /// Raw headers, one `name:value` per line (names have no `:`, values no line break).
    headers: String,
    /// Masked when recorded (bodies are rare on the hot path, and masking needs the whole).
    body: String,
    body_truncated: bool,
    /// Begun and not yet answered: not shown.
    pending: bool,
}

/// What the traffic layer records of one request.
#[derive(Debug)]
pub struct Record<'a> {
    pub time: DateTime<Utc>,
    pub method: &'a Method,
    pub path: &'a str,
    pub query: &'a str,
    pub api: Api,
    pub sites: Vec<String>,
    pub faults: Vec<String>,
    pub headers: &'a HeaderMap,
    /// The body as [`mask_body`] gives it: masked text, and whether it was cut.
    pub body: (String, bool),
}

impl Slot {
    fn new() -> Slot {
        Slot {
            seq: 0,
            time: DateTime::<Utc>::MIN_UTC,
            method: Method::GET,
            path: String::new(),
            query: String::new(),
            api: Api::Other,
            sites: Vec::new(),
            status: None,
            duration_ms: 0.0,
            faults: Vec::new(),
            headers: String::new(),
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
        self.path.push_str(r.path);
        self.query.clear();
        self.query.push_str(r.query);
        self.api = r.api;
        self.sites = r.sites;
        self.status = None;
        self.duration_ms = 0.0;
        self.pending = true;
        self.faults = r.faults;
        self.headers.clear();
        for (name, value) in r.headers {
            self.headers.push_str(name.as_str());
            self.headers.push(':');
            match value.to_str() {
                Ok(text) => self.headers.push_str(text),
                Err(_) => self
                    .headers
                    .push_str(&String::from_utf8_lossy(value.as_bytes())),
            }
            self.headers.push('\n');
        }
        (self.body, self.body_truncated) = r.body;
    }

    /// The entry as the control API shows it, credentials masked.
    fn entry(&self) -> Entry {
        Entry {
            seq: self.seq,
            time: self.time,
            method: self.method.to_string(),
            path: self.path.clone(),
            query: if self.query.is_empty() {
                String::new()
            } else {
                mask_query(&self.query)
            },
            api: self.api,
            sites: self.sites.clone(),
            status: self.status,
            duration_ms: self.duration_ms,
            faults: self.faults.clone(),
            headers: mask_headers(
                self.headers
                    .lines()
                    .filter_map(|line| line.split_once(':'))
                    .map(|(name, value)| (name, value.as_bytes())),
            ),
            body: self.body.clone(),
            body_truncated: self.body_truncated,
        }
    }
}

/// One slot of the ring: empty until its first entry.
type SlotCell = Mutex<Option<Box<Slot>>>;

/// Slots in a cache line (64 bytes): consecutive entries are spread this far apart.
const SPREAD: usize = 64usize.div_ceil(std::mem::size_of::<SlotCell>());

/// The slot of entry `seq`. The two workers write consecutive entries at the same moment, so
/// consecutive entries never share a cache line: entry `i` of the ring goes to slot
/// `(i % (CAPACITY / SPREAD)) * SPREAD + i / (CAPACITY / SPREAD)`, each slot once. Padding every
/// slot to a line instead would cost 64 KiB or more per instance (a sandbox too).
fn slot_index(seq: u64) -> usize {
    let rows = CAPACITY / SPREAD;
    let i = usize::try_from(seq % CAPACITY as u64).unwrap_or_default();
    (i % rows) * SPREAD + i / rows
}

/// The journal of one instance: a ring of [`CAPACITY`] slots, entry `seq` in slot
/// [`slot_index`]`(seq)`. Every request writes one, so there is no journal-wide lock: a request takes
/// a sequence number from an atomic counter and locks only its own slot (twice: when it
/// arrives and when it is answered). Two requests meet on a slot only a thousand requests
/// apart.
#[derive(Debug)]
pub struct Journal {
    slots: Box<[SlotCell]>,
    /// The last sequence number given (padded: every request takes one).
    last_seq: Padded<AtomicU64>,
    /// Entries up to this sequence number were cleared.
    cleared_through: AtomicU64,
}

impl Default for Journal {
    fn default() -> Self {
        Journal {
            slots: (0..CAPACITY).map(|_| Mutex::new(None)).collect(),
            last_seq: Padded(AtomicU64::new(0)),
            cleared_through: AtomicU64::new(0),
        }
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
    fn slot(&self, seq: u64) -> std::sync::MutexGuard<'_, Option<Box<Slot>>> {
        self.slots[slot_index(seq)]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a request as it arrives, giving it the next sequence number (returned); it is
    /// shown once [`Journal::end`] gives its answer. Entries are therefore in arrival order.
    pub fn begin(&self, record: Record<'_>) -> u64 {
        let seq = self.last_seq.fetch_add(1, Ordering::AcqRel) + 1;
        let mut slot = self.slot(seq);
        match slot.as_deref_mut() {
            // A slot holding a newer entry (a thousand requests overtook this one) keeps it.
            Some(held) if held.seq > seq => {}
            Some(held) => held.fill(seq, record),
            None => {
                let mut fresh = Box::new(Slot::new());
                fresh.fill(seq, record);
                *slot = Some(fresh);
            }
        }
        seq
    }

    /// Completes entry `seq` with its answer (`None`: the connection was dropped). An entry
    /// pushed out meanwhile by a full journal stays out.
    pub fn end(&self, seq: u64, status: Option<u16>, duration_ms: f64) {
        if let Some(slot) = self.slot(seq).as_deref_mut().filter(|s| s.seq == seq) {
            slot.status = status;
            slot.duration_ms = duration_ms;
            slot.pending = false;
        }
    }

    /// Runs `f` on every shown entry that `filter` selects, oldest first.
    fn matching<T>(&self, filter: &Filter, f: impl Fn(&Slot) -> T) -> Vec<T> {
        let cleared = self.cleared_through.load(Ordering::Acquire);
        let mut found: Vec<(u64, T)> = self
            .slots
            .iter()
            .filter_map(|slot| {
                let slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
                let slot = slot.as_deref()?;
                (slot.seq > cleared && filter.matches(slot)).then(|| (slot.seq, f(slot)))
            })
            .collect();
        found.sort_unstable_by_key(|(seq, _)| *seq);
        found.into_iter().map(|(_, t)| t).collect()
    }

    pub fn find(&self, filter: &Filter) -> Found {
        let mut requests = self.matching(filter, Slot::entry);
        let total = requests.len();
        let skip = filter.limit.map_or(0, |n| total.saturating_sub(n));
        requests.drain(..skip);
        Found {
            total,
            dropped: self.dropped(),
            capacity: CAPACITY,
            requests,
        }
    }

    pub fn count(&self, filter: &Filter) -> usize {
        self.matching(filter, |_| ()).len()
    }

    /// Entries pushed out by newer ones since the journal was last cleared.
    fn dropped(&self) -> u64 {
        let last = self.last_seq.load(Ordering::Acquire);
        let cleared = self.cleared_through.load(Ordering::Acquire);
        (last - cleared.min(last)).saturating_sub(CAPACITY as u64)
    }

    /// Empties the journal and its drop count; returns how many entries it held.
    pub fn clear(&self) -> usize {
        let held = self.count(&Filter::default());
        let last = self.last_seq.load(Ordering::Acquire);
        self.cleared_through.fetch_max(last, Ordering::AcqRel);
        held
    }
}

/// Headers whose values are credentials.
const SECRET_HEADERS: [&str; 5] = [
    "authorization",
    "x-api-access-token",
    "x-api-key",
    "x-admin-token",
    "cookie",
];
/// JSON keys whose string values are credentials (fixture `token`s and API `key`s, minting).
const SECRET_JSON_KEYS: [&str; 5] = ["token", "key", "access_token", "accessToken", "adminToken"];

/// Headers as text, credentials masked (`Bearer ada…`).
pub fn mask_headers<'a>(
    headers: impl Iterator<Item = (&'a str, &'a [u8])>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value);
        let shown = if SECRET_HEADERS.contains(&name) {
            match value.split_once(' ') {
                Some((scheme, secret)) if name == "authorization" => {
                    format!("{scheme} {}", mask(secret.trim()))
                }
                _ => mask(&value),
            }
        } else {
            value.into_owned()
        };
        out.entry(name.to_string())
            .and_modify(|v: &mut String| *v = format!("{v}, {shown}"))
            .or_insert(shown);
    }
    out
}

/// A body as text with credentials masked (JSON keys, form fields), cut at [`BODY_BOUND`]
/// characters. Returns the text and whether it was cut.
pub fn mask_body(content_type: &str, body: &[u8]) -> (String, bool) {
    let text = String::from_utf8_lossy(body);
    let masked = if content_type.contains("x-www-form-urlencoded") {
        mask_query(&text)
    } else if let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(body) {
        mask_json(&mut json);
        json.to_string()
    } else {
        text.into_owned()
    };
    match masked.char_indices().nth(BODY_BOUND) {
        Some((cut, _)) => (masked[..cut].to_string(), true),
        None => (masked, false),
    }
}

fn mask_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    serde_json::Value::String(s) if SECRET_JSON_KEYS.contains(&k.as_str()) => {
                        *s = mask(s)
                    }
                    _ => mask_json(v),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_entries_are_a_cache_line_apart_and_every_slot_is_used_once() {
        assert_eq!(CAPACITY % SPREAD, 0, "the spread divides the ring");
        let mut used = vec![false; CAPACITY];
        for seq in 1..=CAPACITY as u64 {
            let i = slot_index(seq);
            assert!(!used[i], "slot {i} twice");
            used[i] = true;
            let next = slot_index(seq + 1);
            let apart = i.abs_diff(next) * std::mem::size_of::<SlotCell>();
            assert!(
                apart >= 64,
                "entries {seq} and {} are {apart} bytes apart",
                seq + 1
            );
        }
        assert_eq!(slot_index(7), slot_index(7 + CAPACITY as u64), "a ring");
    }

    fn record(j: &Journal, method: &str, path: &str, status: Option<u16>) {
        let seq = j.begin(Record {
            time: Utc::now(),
            method: &method.parse().unwrap(),
            path,
            query: "",
            api: Api::of(path),
            sites: vec!["main".into()],
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
                sites: vec![],
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
    fn credentials_are_masked_in_headers_and_bodies() {
        let headers = mask_headers(
            [
                ("authorization", &b"Bearer ada-rw-secret"[..]),
                ("x-api-key", b"local-key"),
                ("accept", b"*/*"),
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
