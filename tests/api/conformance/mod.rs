//! Conformance checks (docs/conformance.md): the served document against the official excerpt
//! (`drift`), and every status code the excerpt declares reached by a real input (`status`).
//! The third check, response validation, is in `crate::spec` (every test uses it); the
//! fourth, property-based testing with schemathesis, runs from `.ci/run`.

mod drift;
mod status;

use std::sync::LazyLock;

use serde_json::Value;

/// Facts derived from the official excerpt by `scripts/upstream-facts.py` (committed; the
/// tests never read `../shared`).
pub static FACTS: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../openapi/upstream-facts.json"))
        .expect("openapi/upstream-facts.json is JSON")
});

/// The document the server serves.
pub static DOC: LazyLock<Value> = LazyLock::new(|| {
    serde_json::to_value(soteams_mock::app::document()).expect("the document serialises")
});

/// The three URL shapes of the v3 API: a name and the prefix put before the excerpt's path.
pub const SHAPES: [(&str, &str); 3] = [
    ("main", "/api/v3"),
    ("private team", "/api/v3/teams/{team}"),
    ("cloud", "/v3/teams/{team}"),
];

/// Operations of the excerpt that are not on main yet, with the issue that brings them.
/// Each is skipped with a note by the checks; an entry whose operation exists fails, so the
/// list cannot outlive the work it waits for.
pub const PENDING: &[(&str, &str, &str)] = &[];

pub fn pending(method: &str, path: &str) -> Option<&'static str> {
    PENDING
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map(|(.., issue)| *issue)
}

/// The served operation `method` at the document path `path`, if documented.
pub fn served_op(path: &str, method: &str) -> Option<&'static Value> {
    DOC["paths"]
        .get(path)
        .and_then(|item| item.get(method.to_ascii_lowercase()))
}

/// The excerpt's operations as (method, main-form path, facts).
pub fn upstream_ops() -> impl Iterator<Item = (&'static str, &'static str, &'static Value)> {
    FACTS["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .map(|op| {
            (
                op["method"].as_str().unwrap(),
                op["path"].as_str().unwrap(),
                op,
            )
        })
}

/// The document paths of an excerpt operation under each shape it is served on.
pub fn shaped_paths(path: &str, team_twin: bool) -> Vec<(&'static str, String)> {
    SHAPES
        .iter()
        .filter(|(name, _)| team_twin || *name == "main")
        .map(|(name, prefix)| (*name, format!("{prefix}{path}")))
        .collect()
}

#[test]
fn pending_operations_are_really_missing_and_belong_to_the_excerpt() {
    for (method, path, issue) in PENDING {
        let op = upstream_ops().find(|(m, p, _)| m == method && p == path);
        assert!(
            op.is_some(),
            "PENDING lists {method} {path}, which the excerpt does not declare"
        );
        let team_twin = op.unwrap().2["teamTwin"].as_bool().unwrap();
        for (shape, served) in shaped_paths(path, team_twin) {
            assert!(
                served_op(&served, method).is_none(),
                "{method} {served} ({shape}) is served now: remove it from PENDING ({issue} has landed)"
            );
        }
        eprintln!("pending ({issue}): {method} {path}");
    }
}
