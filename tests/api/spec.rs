//! Response validation against the served OpenAPI document: the operation is found by method
//! and path template, the status must be one it declares, the content type one it declares
//! for that status, and a JSON body must match the declared schema (with `additionalProperties:
//! false`, so a stray field fails). Calls to paths the document does not describe are not
//! checked here (unknown routes have their own tests).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::{Value, json};

static SPEC: LazyLock<Value> = LazyLock::new(|| {
    serde_json::to_value(soteams_mock::openapi::document()).expect("the document serialises")
});
static VALIDATORS: LazyLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> =
    LazyLock::new(Default::default);

/// The template of `path` in the spec: the one matching with the most literal segments.
/// A sandbox's routes are the root's under `/_sandbox/{id}`, so that prefix is dropped first.
fn template_of(path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or_default();
    let path = match path.strip_prefix("/_sandbox/") {
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => path,
    };
    let segments: Vec<&str> = path.split('/').collect();
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

#[track_caller]
pub fn check(method: &str, path: &str, status: u16, content_type: Option<&str>, body: &str) {
    let Some(tpl) = template_of(path) else { return };
    let method_lc = method.to_ascii_lowercase();
    let Some(op) = SPEC["paths"][tpl].get(&method_lc) else {
        return;
    };
    let Some(response) = op["responses"].get(status.to_string()) else {
        panic!(
            "{method} {path} answered {status}, which the spec of {method} {tpl} does not declare; body: {body}"
        );
    };
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        assert!(
            body.is_empty(),
            "{method} {path} answered {status} with a body, but the spec declares none: {body}"
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
            panic!("{method} {path} answered {status} with invalid JSON ({e}): {body}")
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
        "{method} {path} answered {status} with a body that does not match {method} {tpl}'s schema:\n  {}\nbody: {body}",
        errors.join("\n  ")
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
        template_of("/_sandbox/sb-1/api/v3/users/7"),
        Some("/api/v3/users/{userId}")
    );
    assert_eq!(
        template_of("/_sandbox/sb-1/__admin/health"),
        Some("/__admin/health")
    );
}
