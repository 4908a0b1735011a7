//! Response validation against the served OpenAPI document: the operation is found by method
//! and path template, the status must be one it declares, the content type one it declares
//! for that status, and a JSON body must match the declared schema (with `additionalProperties:
//! false`, so a stray field fails). A call to a path or method the document does not describe
//! fails too, unless the test marks it `.unchecked()` (unknown routes, wrong methods, Swagger
//! UI): an undocumented answer is either a missing operation or a deliberate off-spec probe,
//! and the test has to say which. Paths under a sandbox (`/_sandbox/{id}/…`) are checked as
//! the path beneath it.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::{Value, json};

static SPEC: LazyLock<Value> = LazyLock::new(|| {
    serde_json::to_value(soteams_mock::app::document()).expect("the document serialises")
});
static VALIDATORS: LazyLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> =
    LazyLock::new(Default::default);

/// `path` without its query and without a sandbox prefix (`/_sandbox/{id}`), whose routes
/// are the documented ones served on a copy of the state.
fn documented_path(path: &str) -> &str {
    let path = path.split('?').next().unwrap_or_default();
    match path.strip_prefix("/_sandbox/") {
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => path,
    }
}

/// The template of `path` in the spec: the one matching with the most literal segments.
/// A sandbox's routes are the root's under `/_sandbox/{id}`, so that prefix is dropped first.
fn template_of(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = documented_path(path).split('/').collect();
    SPEC["paths"]
        .as_object()?
        .keys()
        .filter_map(|tpl| {
            let parts: Vec<&str> = tpl.split('/').collect();
            if parts.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (p, s) in parts.iter().zip(&segments) {
                if p.starts_with('{') {
                    if s.is_empty() {
                        return None;
                    }
                } else if p == s {
                    literal += 1;
                } else {
                    return None;
                }
            }
            Some((literal, tpl.as_str()))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, tpl)| tpl)
}

fn validator(key: &str, schema: &Value) -> Arc<jsonschema::Validator> {
    let mut cache = VALIDATORS.lock().unwrap();
    cache
        .entry(key.to_string())
        .or_insert_with(|| {
            let mut root = schema.clone();
            if let Some(obj) = root.as_object_mut() {
                obj.insert("components".into(), SPEC["components"].clone());
            } else {
                root = json!({ "allOf": [schema], "components": SPEC["components"] });
            }
            Arc::new(
                jsonschema::validator_for(&root)
                    .unwrap_or_else(|e| panic!("schema for {key} does not compile: {e}")),
            )
        })
        .clone()
}

/// A body cut to a readable length for failure messages.
fn short(body: &str) -> String {
    if body.len() <= 800 {
        body.to_string()
    } else {
        format!(
            "{}… ({} bytes)",
            &body[..body.floor_char_boundary(800)],
            body.len()
        )
    }
}

#[track_caller]
pub fn check(method: &str, path: &str, status: u16, content_type: Option<&str>, body: &str) {
    let Some(tpl) = template_of(path) else {
        panic!(
            "{method} {path} answered {status}, but the served document describes no such path; \
             if the call is a deliberate off-spec probe, mark it `.unchecked()`; body: {}",
            short(body)
        );
    };
    let method_lc = method.to_ascii_lowercase();
    let Some(op) = SPEC["paths"][tpl].get(&method_lc) else {
        panic!(
            "{method} {path} answered {status}, but the served document has no {method} {tpl}; \
             if the call is a deliberate off-spec probe, mark it `.unchecked()`; body: {}",
            short(body)
        );
    };
    let Some(response) = op["responses"].get(status.to_string()) else {
        panic!(
            "{method} {path} answered {status}, which the spec of {method} {tpl} does not declare; body: {}",
            short(body)
        );
    };
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        assert!(
            body.is_empty(),
            "{method} {path} answered {status} with a body, but the spec declares none: {}",
            short(body)
        );
        return;
    };
    let essence = content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let Some(media) = content.get(&essence) else {
        panic!(
            "{method} {path} answered {status} as {essence:?}; the spec declares {:?}",
            content.keys().collect::<Vec<_>>()
        );
    };
    let Some(schema) = media.get("schema") else {
        return;
    };
    let instance: Value = if essence == "application/json" {
        serde_json::from_str(body).unwrap_or_else(|e| {
            panic!(
                "{method} {path} answered {status} with invalid JSON ({e}): {}",
                short(body)
            )
        })
    } else {
        Value::String(body.to_string())
    };
    let v = validator(&format!("{method_lc} {tpl} {status} {essence}"), schema);
    let errors: Vec<String> = v
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} answered {status} with a body that does not match {method} {tpl}'s schema:\n  {}\nbody: {}",
        errors.join("\n  "),
        short(body)
    );
}

/// An answer that names a refusal's reason (`X-Mock-Reason`, a mock-only header): the
/// operation must declare the header on that status, and the reason must be a declared value.
#[track_caller]
pub fn check_reason(method: &str, path: &str, status: u16, reason: &str) {
    let tpl = template_of(path).expect("a documented path (checked before)");
    let response =
        &SPEC["paths"][tpl][method.to_ascii_lowercase()]["responses"][status.to_string()];
    assert!(
        response["headers"].get("X-Mock-Reason").is_some(),
        "{method} {path} answered {status} with X-Mock-Reason: {reason}, which {method} {tpl} does \
         not declare on {status}"
    );
    let declared = SPEC["components"]["headers"]["X-Mock-Reason"]["schema"]["enum"]
        .as_array()
        .expect("the reasons are an enum");
    assert!(
        declared.iter().any(|r| r == reason),
        "{method} {path}: X-Mock-Reason {reason:?} is not among the declared reasons"
    );
}

#[test]
fn templates_prefer_literal_segments() {
    assert_eq!(
        template_of("/api/v3/users/manage"),
        Some("/api/v3/users/manage")
    );
    assert_eq!(
        template_of("/api/v3/users/7"),
        Some("/api/v3/users/{userId}")
    );
    assert_eq!(
        template_of("/api/v3/teams/x/users/7"),
        Some("/api/v3/teams/{team}/users/{userId}")
    );
    assert_eq!(template_of("/nowhere"), None);
    assert_eq!(
        template_of("/_sandbox/sb-1/api/v3/users/7?page=2"),
        Some("/api/v3/users/{userId}")
    );
}

#[test]
#[should_panic(expected = "describes no such path")]
fn an_undocumented_path_fails_the_check() {
    check(
        "GET",
        "/api/v3/no-such-thing",
        404,
        Some("application/json"),
        "{}",
    );
}

#[test]
#[should_panic(expected = "has no PATCH /api/v3/tags/{tagId}")]
fn an_undocumented_method_fails_the_check() {
    check(
        "PATCH",
        "/api/v3/tags/1",
        405,
        Some("application/json"),
        "{}",
    );
}

#[test]
#[should_panic(expected = "does not declare")]
fn an_undeclared_status_fails_the_check() {
    check("GET", "/api/v3/users", 422, Some("application/json"), "{}");
}

#[test]
#[should_panic(expected = "does not match")]
fn a_mistyped_field_fails_the_check() {
    check(
        "GET",
        "/api/v3/users/me",
        404,
        Some("application/json"),
        r#"{"type": "/v3/errors/user/not-found", "status": "404"}"#,
    );
}

#[test]
#[should_panic(expected = "answered 401 as \"application/json\"")]
fn a_401_must_be_text_plain() {
    check("GET", "/api/v3/users", 401, Some("application/json"), "{}");
}
