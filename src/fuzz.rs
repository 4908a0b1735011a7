//! Property tests that feed every parser what a hostile or sloppy client might send: random
//! text, random JSON shaped like what the parser expects (known property names in any case,
//! wrong types, deep nesting), and random query strings through the whole app. Each must
//! answer (an error is fine) and never panic; the app must never answer a 5xx it was not told
//! to. `cargo test` runs 256 cases of each; run them longer with
//! `PROPTEST_CASES=20000 cargo test --lib fuzz`.

use axum::body::Body;
use axum::http::Request;
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::convert::Infallible;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;

use crate::api::v2::requests_json;
use crate::faults::{FaultBook, RuleSpec, parse_header};
use crate::fixtures::{self, FixtureSource};
use crate::state::AppState;

/// Property names the parsers look for, with some they do not.
const NAMES: &[&str] = &[
    "Team",
    "Members",
    "UserIdentifier",
    "Level",
    "accounts",
    "sites",
    "tokens",
    "apiKeys",
    "users",
    "userGroups",
    "tags",
    "slug",
    "kind",
    "id",
    "accountId",
    "name",
    "email",
    "externalId",
    "role",
    "token",
    "scope",
    "write",
    "expiresAt",
    "match",
    "action",
    "trigger",
    "status",
    "body",
    "contentType",
    "delayMs",
    "nth",
    "times",
    "probability",
    "seed",
    "api",
    "method",
    "path",
    "site",
    "usersync",
    "x",
];

/// A property name: a known one in a random casing, or any short text.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (prop::sample::select(NAMES), any::<u64>()).prop_map(|(n, bits)| {
            n.chars()
                .enumerate()
                .map(|(i, c)| if bits >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c })
                .collect()
        }),
        1 => ".{0,8}",
    ]
}

/// Any JSON value, nested a few levels, with names the parsers look for.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(
            &[
                "Member",
                "admin",
                "MODERATOR",
                "main",
                "v3",
                "usersync",
                "2030-01-01T00:00:00Z",
                "GET",
                "/api/v3/*"
            ][..]
        )
        .prop_map(Value::from),
        ".{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((name(), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The default fixtures as one JSON document.
fn default_document() -> Value {
    let mut doc = Map::new();
    for (_, text) in crate::fixtures::DEFAULT_SET {
        let Ok(Value::Object(part)) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        for (key, value) in part {
            match (doc.get_mut(&key), value) {
                (Some(Value::Array(have)), Value::Array(more)) => have.extend(more),
                (_, value) => {
                    doc.insert(key, value);
                }
            }
        }
    }
    Value::Object(doc)
}

/// `doc` with the value at a random place replaced by `with`.
fn replace_somewhere(doc: &mut Value, pick: u64, with: Value) {
    let len = match doc {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    };
    if len == 0 || pick.is_multiple_of(4) {
        *doc = with;
        return;
    }
    let i = (pick / 4) as usize % len;
    let next = match doc {
        Value::Object(map) => map.values_mut().nth(i),
        Value::Array(items) => items.get_mut(i),
        _ => None,
    };
    if let Some(next) = next {
        replace_somewhere(next, pick / 7, with);
    }
}

proptest! {
    #[test]
    fn requests_json_reads_any_text(text in ".{0,200}") {
        let _ = requests_json::read(&text);
    }

    #[test]
    fn requests_json_reads_any_json(value in json()) {
        if let Ok(entries) = requests_json::read(&value.to_string()) {
            prop_assert!(entries.len() <= requests_json::TEAMS_MAX);
            prop_assert!(value.is_array());
        }
    }

    #[test]
    fn a_fixture_document_of_any_shape_is_read_or_refused(value in json()) {
        let _ = fixtures::from_documents(&[("fuzz".into(), value.to_string())]);
    }

    #[test]
    fn the_default_fixtures_with_one_value_changed_are_read_or_refused(pick in any::<u64>(), with in json()) {
        let mut doc = default_document();
        replace_somewhere(&mut doc, pick, with);
        let _ = fixtures::load(&FixtureSource::Json(doc.to_string()));
    }

    #[test]
    fn an_x_mock_fault_header_of_any_text_is_read_or_refused(text in ".{0,60}", pairs in prop::collection::vec((name(), "[-0-9a-zA-Z.]{0,22}"), 0..5)) {
        let _ = parse_header(&text);
        let joined: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if let Ok(spec) = parse_header(&joined.join(";")) {
            let _ = spec.validate("$", None, &mut Vec::new());
        }
    }

    #[test]
    fn a_fault_rule_of_any_shape_is_added_or_refused(value in json()) {
        let book = FaultBook::new(Some(1));
        if let Ok(spec) = serde_json::from_value::<RuleSpec>(value) {
            let _ = book.add(spec);
        }
    }
}

type Service = BoxCloneSyncService<Request<Body>, axum::response::Response, Infallible>;

/// The app, built once for the query-string cases.
fn app() -> &'static (tokio::runtime::Runtime, Service) {
    static APP: std::sync::OnceLock<(tokio::runtime::Runtime, Service)> =
        std::sync::OnceLock::new();
    APP.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let world = fixtures::load(&FixtureSource::Default).expect("the default fixtures");
        let state = AppState::new(world, Default::default(), Default::default());
        (runtime, BoxCloneSyncService::new(crate::app::app(state)))
    })
}

/// Bytes a query string may hold, as a client could send them (already percent-encoded or not).
fn query() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(
                &[
                    "page",
                    "pageSize",
                    "sort",
                    "order",
                    "hasSmes",
                    "partialName",
                    "email",
                    "since",
                    "status",
                    "limit",
                    "api",
                    "isDeactivated",
                    "lastAccessDateFrom",
                    "x",
                ][..],
            ),
            prop_oneof![
                "-?[0-9]{0,24}",
                "[a-zA-Z%0-9.:+-]{0,24}",
                Just("2147483648".to_string()),
                Just("%FF%FE".to_string()),
            ],
        ),
        0..5,
    )
    .prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_query_string_is_answered_without_a_server_error(
        path in prop::sample::select(&["/api/v3/users", "/api/v3/users/manage", "/api/v3/tags", "/api/v3/user-groups", "/v3/teams/acme/users", "/__admin/requests", "/api/2.3/enterprise/usersync"][..]),
        query in query(),
    ) {
        let (runtime, app) = app();
        let Ok(req) = Request::get(format!("{path}?{query}"))
            .header("authorization", "Bearer ada-rw")
            .body(Body::empty())
        else {
            return Ok(());
        };
        let res = runtime.block_on(app.clone().oneshot(req)).expect("infallible");
        prop_assert!(res.status().as_u16() < 500, "{path}?{query}: {}", res.status());
    }
}
