use super::*;
use crate::domain::usersync::SyncStatus;

fn answered(status: Option<u16>, duration_ms: f64) -> Answer {
    Answer {
        status,
        duration_ms,
        ..Answer::default()
    }
}

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
    j.end(seq, answered(status, 0.0));
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
    j.end(slow, answered(Some(200), 1.0));
    let shown = j.find(&Filter::default());
    assert_eq!(shown.total, 1);
    assert_eq!(shown.requests[0].headers["authorization"], "Bearer ada…");
    assert_eq!(shown.requests[0].query, "access_token=sec…");
    let overtaken = begin("/overtaken");
    for _ in 0..CAPACITY {
        record(&j, "GET", "/", Some(200));
    }
    j.end(overtaken, answered(Some(200), 1.0));
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
    j.end(begun, answered(Some(500), 1.0));
    let found = j.find(&Filter::default());
    let seqs: Vec<(u64, Option<u16>)> = found.requests.iter().map(|e| (e.seq, e.status)).collect();
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
    j.end(ticket, answered(Some(200), 0.0));
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

#[test]
fn an_entry_shows_the_reason_of_a_refusal_and_a_usersync_calls_team_outcomes() {
    let j = Journal::default();
    let begin = |path: &str| {
        j.begin(Record {
            time: Utc::now(),
            method: &Method::POST,
            path,
            query: "",
            api: Api::of(path),
            sites: &[],
            faults: vec![],
            headers: &HeaderMap::new(),
            body: (String::new(), false),
        })
    };
    let refused = begin("/api/v3/users/me");
    j.end(
        refused,
        Answer {
            reason: Some(Refusal::TokenExpired),
            ..answered(Some(401), 1.0)
        },
    );
    let bytes_before = j.ring().bytes;
    let synced = begin("/api/2.3/enterprise/usersync");
    let outcomes = Outcomes::of(
        [
            (Some("productone"), SyncStatus::SuccessfulDryRun),
            (Some("legal"), SyncStatus::UserSyncNotEnabled),
        ]
        .into_iter(),
    );
    let outcome_bytes = outcomes.bytes();
    j.end(
        synced,
        Answer {
            outcomes: Some(outcomes),
            ..answered(Some(200), 1.0)
        },
    );
    let entries = j.find(&Filter::default()).requests;
    assert_eq!(entries[0].reason.as_deref(), Some("token-expired"));
    assert!(entries[0].outcomes.is_empty());
    assert_eq!(entries[1].reason, None);
    let teams: Vec<(Option<&str>, SyncStatus)> = entries[1]
        .outcomes
        .iter()
        .map(|t| (t.team.as_deref(), t.status))
        .collect();
    assert_eq!(
        teams,
        [
            (Some("productone"), SyncStatus::SuccessfulDryRun),
            (Some("legal"), SyncStatus::UserSyncNotEnabled)
        ]
    );
    assert!(
        j.ring().bytes >= bytes_before + outcome_bytes,
        "the outcomes count against the bound"
    );
}
