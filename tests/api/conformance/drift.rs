//! Drift guard: the served OpenAPI document against the facts of the official excerpt
//! (`openapi/upstream-facts.json`, from `scripts/upstream-facts.py`), under every URL shape.
//!
//! An absence — an operation, parameter, status code, media type, field or enum value the
//! excerpt has and the document lacks — always fails. Any other difference (an addition, a
//! changed type, format, bound or nullability) fails unless [`ALLOWED`] lists it with the
//! reason; an entry of [`ALLOWED`] that allows nothing fails too.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use super::{DOC, FACTS, pending, served_op, shaped_paths, upstream_ops};

/// Deviations from the excerpt that the contract makes on purpose. Patterns match the key of
/// a deviation; `*` matches any run of characters.
const ALLOWED: &[(&str, &str)] = &[
    (
        "+status 404 * /api/v3/*",
        "contract §3 ◇: an unknown private team on /api/v3/teams/{team} (and, on /api/v3, fixtures \
         without an Enterprise main site) is a 404 ProblemDetails",
    ),
    (
        "+status 404 * */tags/{tagId}/subject-matter-experts*",
        "contract §3 ◇: an unknown tag on any SME route is a 404 (the excerpt declares none on the writes)",
    ),
    (
        "+status 404 PUT */user-groups/{userGroupId}",
        "mock addition (src/api/v3/user_groups.rs): a full replace of a group that does not exist \
         answers 404 /v3/errors/user-group/not-found, as GET does; the excerpt declares no 404 here \
         (api-notes §2 row 10) and no other code fits",
    ),
    (
        "+status 409 POST */user-groups",
        "mock addition (src/domain/ids.rs): a site whose user group ids reached int32's maximum \
         (2147483647) answers 409 /v3/errors/user-group/ids-exhausted rather than hand out an id \
         no client could send back",
    ),
    (
        "+media GET */images/{imageId} 200 image/*",
        "docs/communities-and-images.md: an image is served with its own media type (read from its \
         bytes at upload); the excerpt declares image/png for every image, so a jpeg comes back as \
         image/jpeg rather than mislabelled",
    ),
    (
        "+media GET */images/{imageId} 404 application/json",
        "contract §3: v3 errors are ProblemDetails (/v3/errors/image/not-found, as ASP.NET's \
         NotFound() gives one); the excerpt declares the 404 without content",
    ),
    (
        "+media POST */images/upload 415 application/json",
        "contract §3: v3 errors are ProblemDetails (ASP.NET's 415 shape, naming the supported \
         types); the excerpt declares the 415 without content",
    ),
    (
        "+status 409 POST */images/upload",
        "mock limit (src/domain/images.rs, README \"Limits\"): an instance keeps 1000 images and \
         64 MiB of them; an upload past that answers 409 /v3/errors/image/store-full",
    ),
    (
        "+status * GET /api/v3/stacky",
        "src/api/v3/stacky.rs: the excerpt declares no security on /stacky, so its top-level \
         security (a token) applies, with the 401/403 every v3 route answers and the 400 of a \
         query string that is not UTF-8; the excerpt lists only the 200",
    ),
    (
        "+status 404 PUT */articles/{articleId}",
        "mock addition (src/api/v3/articles.rs): a full replace of an article that does not exist \
         (or that the caller may not read) answers 404 /v3/errors/article/not-found, as GET does; \
         the document declares no 404 here and no other code fits",
    ),
    (
        "+status 404 PUT */collections/{collectionId}",
        "mock addition (src/api/v3/collections.rs): a full replace of a collection that does not \
         exist answers 404 /v3/errors/collection/not-found, as GET does; the document declares \
         no 404 here and no other code fits",
    ),
    (
        "+status 409 POST */articles",
        "mock addition (src/domain/posts/write/mod.rs Limits, src/domain/ids.rs): a site at its post, \
         tag or text limit, or out of post ids, answers 409 /v3/errors/limit-reached (or \
         …/ids-exhausted): the state, not the request, stops the write",
    ),
    (
        "+status 409 PUT */articles/{articleId}",
        "mock addition (src/domain/posts/write/mod.rs Limits): a site at its tag or text limit answers \
         409 /v3/errors/limit-reached",
    ),
    (
        "+status 409 POST */collections",
        "mock addition (src/domain/posts/write/mod.rs Limits, src/domain/ids.rs): a site at its \
         collection or text limit, a collection over its item limit, or a site out of collection \
         ids answers 409",
    ),
    (
        "+status 409 PUT */collections/{collectionId}",
        "mock addition (src/domain/posts/write/mod.rs Limits): a collection over its item limit or a \
         site at its text limit answers 409 /v3/errors/limit-reached",
    ),
    (
        "+status 404 POST */questions/{questionId}/answers",
        "mock addition (src/api/v3/answers): answering a question the caller cannot see (unknown, \
         or deleted and the caller is not a moderator or admin) is a 404 Question not found, as \
         every other answer route answers; the document declares no 404 on this POST",
    ),
    (
        "+status 404 PUT */questions/{questionId}/answers/{answerId}",
        "mock addition (src/api/v3/answers): editing an answer the caller cannot see is a 404 \
         Answer not found, as GET and DELETE answer; the document declares no 404 on this PUT",
    ),
    (
        "+status 409 * */questions/{questionId}/answers*",
        "mock addition (src/domain/posts/write/mod.rs Limits): an answer, an edit or a flag past a \
         site's content limits (posts, bytes of text, flags, int32 ids) is a 409 \
         /v3/errors/limit-reached naming the limit",
    ),
    (
        "nullable Question*ResponseModel.bounty",
        "the excerpt's $ref fields carry no nullability (OpenAPI 3.0 cannot say it beside a $ref); \
         the mock has no bounties and sends null, as the real service does for a question \
         without one (src/api/v3/models/questions.rs)",
    ),
    (
        "nullable Question*ResponseModel.lastEditor",
        "the excerpt's $ref fields carry no nullability; a question never edited has no last \
         editor, and the mock sends null rather than invent one (src/api/v3/models/questions.rs)",
    ),
    (
        "+status 404 PUT */questions/{questionId}",
        "mock addition (src/api/v3/questions/mod.rs): a full replace of a question that does not \
         exist answers 404 /v3/errors/question/not-found, as GET and DELETE do; the excerpt \
         declares no 404 on this PUT and no other code fits",
    ),
    (
        "+status 409 * */questions*",
        "mock addition (README \"Limits\", src/domain/posts/write/mod.rs Limits): a question, an \
         edit or a flag the site has no room for (posts, tags, text, flags, ids) answers 409 \
         /v3/errors/limit-reached: the state, not the request, stops it",
    ),
    (
        "+status 429 *",
        "contract §3: rate-limit enforcement (off by default) answers 429 with Retry-After; \
         api-notes §1.4 — the real service does, the excerpt does not declare it",
    ),
    (
        "+status 413 *",
        "contract §3: a request body over the size limit is a 413, never a 5xx",
    ),
    (
        "+status 415 *",
        "contract §3: a request body with a non-JSON content type is a 415, never a 5xx",
    ),
    (
        "+field ProblemDetails.errors",
        "contract §3 errors: ASP.NET's validation shape (`errors`); the excerpt's ProblemDetails \
         allows extra members (additionalProperties: {})",
    ),
    (
        "+field ProblemDetails.traceId",
        "contract §3 errors: ASP.NET's validation shape (`traceId`); the excerpt's ProblemDetails \
         allows extra members (additionalProperties: {})",
    ),
    (
        "type GET */users/{userId}/watched-tags 200 application/json",
        "the excerpt declares one TagSummaryResponseModel (api-notes §2 row 21, \"sic\"); the mock \
         returns the array of the user's watched tags (src/api/v3/users.rs users_watched_tags)",
    ),
];

/// `*` globbing, enough for the keys above.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

#[derive(Default)]
struct Drift {
    /// Failures: absences, and deviations no entry of ALLOWED covers.
    problems: Vec<String>,
    /// The ALLOWED patterns that matched something.
    used: HashSet<&'static str>,
    /// Named schema pairs already compared (each pair is reported once).
    compared: HashSet<(String, String)>,
}

/// A schema of the served document with its nullability and `$ref` unwrapped.
struct Ours<'a> {
    schema: &'a Value,
    name: Option<String>,
    nullable: bool,
}

fn ours(schema: &Value) -> Ours<'_> {
    let mut nullable = false;
    let mut s = schema;
    // `oneOf`/`anyOf` of a null and one schema; a single-entry `allOf`.
    loop {
        if let Some(list) = s
            .get("oneOf")
            .or_else(|| s.get("anyOf"))
            .and_then(Value::as_array)
        {
            let non_null: Vec<&Value> = list.iter().filter(|v| v["type"] != "null").collect();
            if non_null.len() == 1 {
                nullable |= non_null.len() < list.len();
                s = non_null[0];
                continue;
            }
        }
        if let Some([one]) = s.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
            s = one;
            continue;
        }
        break;
    }
    let mut name = None;
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let n = r.trim_start_matches("#/components/schemas/");
        name = Some(n.to_string());
        s = &DOC["components"]["schemas"][n];
    }
    if let Some(types) = s.get("type").and_then(Value::as_array) {
        nullable |= types.iter().any(|t| t == "null");
    }
    Ours {
        schema: s,
        name,
        nullable,
    }
}

/// The non-null JSON type of a served schema.
fn ours_type(s: &Value) -> Option<&str> {
    match &s["type"] {
        Value::String(t) => Some(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ if s.get("properties").is_some() => Some("object"),
        _ => None,
    }
}

impl Drift {
    fn absent(&mut self, msg: String) {
        self.problems.push(format!("missing: {msg}"));
    }

    fn deviate(&mut self, key: String, msg: String) {
        match ALLOWED.iter().find(|(p, _)| glob(p, &key)) {
            Some((p, _)) => {
                self.used.insert(p);
            }
            None => self.problems.push(format!(
                "{msg}\n    (deviation key {key:?}: fix the document or the server, or add it to ALLOWED with the contract's reason)"
            )),
        }
    }

    /// Compares an excerpt type expression with a served schema. `ctx` names the place for
    /// messages and keys; `request` says whether `required` matters (it does for bodies sent).
    fn compare(&mut self, ctx: &str, up: &Value, served: &Value, request: bool) {
        let o = ours(served);
        let (up_schema, up_name) = match up.get("ref").and_then(Value::as_str) {
            Some(n) => (&FACTS["schemas"][n], Some(n.to_string())),
            None => (up, None),
        };
        let up_nullable = up["nullable"].as_bool().unwrap_or(false);
        if up_nullable != o.nullable {
            self.deviate(
                format!("nullable {ctx}"),
                format!(
                    "{ctx}: nullable {up_nullable} in the excerpt, {} here",
                    o.nullable
                ),
            );
        }
        if let (Some(u), Some(n)) = (&up_name, &o.name)
            && !self.compared.insert((u.clone(), n.clone()))
        {
            return;
        }
        let ctx = match (&up_name, &o.name) {
            (Some(u), Some(_)) => u.clone(),
            _ => ctx.to_string(),
        };
        self.compare_resolved(&ctx, up_schema, o.schema, request);
    }

    fn compare_resolved(&mut self, ctx: &str, up: &Value, s: &Value, request: bool) {
        let up_type = up["type"].as_str();
        let s_type = ours_type(s);
        if let Some(t) = up_type
            && Some(t) != s_type
        {
            self.deviate(
                format!("type {ctx}"),
                format!(
                    "{ctx}: type {t} in the excerpt, {} here",
                    s_type.unwrap_or("none")
                ),
            );
            return;
        }
        if let Some(f) = up["format"].as_str()
            && s["format"].as_str() != Some(f)
        {
            self.deviate(
                format!("format {ctx}"),
                format!("{ctx}: format {f} in the excerpt, {} here", s["format"]),
            );
        }
        for bound in ["minimum", "maximum", "minLength"] {
            if let Some(b) = up.get(bound)
                && s.get(bound).and_then(Value::as_f64) != b.as_f64()
            {
                self.deviate(
                    format!("{bound} {ctx}"),
                    format!(
                        "{ctx}: {bound} {b} in the excerpt, {} here",
                        s.get(bound).unwrap_or(&Value::Null)
                    ),
                );
            }
        }
        if let Some(values) = up["enum"].as_array() {
            let served: Vec<&Value> = s["enum"]
                .as_array()
                .map(|v| v.iter().collect())
                .unwrap_or_default();
            for v in values {
                if !served.contains(&v) {
                    self.absent(format!("{ctx}: enum value {v}"));
                }
            }
            for v in served {
                if !values.contains(v) {
                    self.deviate(
                        format!("+enum {ctx} {v}"),
                        format!("{ctx}: enum value {v} is not in the excerpt"),
                    );
                }
            }
        }
        if let Some(items) = up.get("items") {
            self.compare(&format!("{ctx}[]"), items, &s["items"], request);
        }
        if let Some(fields) = up["fields"].as_object() {
            let props = s["properties"].as_object();
            for (name, ty) in fields {
                match props.and_then(|p| p.get(name)) {
                    Some(prop) => self.compare(&format!("{ctx}.{name}"), ty, prop, request),
                    None => self.absent(format!("{ctx}: field {name}")),
                }
            }
            for name in props.into_iter().flat_map(|p| p.keys()) {
                if !fields.contains_key(name) {
                    self.deviate(
                        format!("+field {ctx}.{name}"),
                        format!("{ctx}: field {name} is not in the excerpt"),
                    );
                }
            }
            if up["closed"] == true && s["additionalProperties"] != false {
                self.deviate(
                    format!("open {ctx}"),
                    format!(
                        "{ctx}: the excerpt allows no additional properties, the document does"
                    ),
                );
            }
            if request {
                let names = |v: &Value| -> BTreeSet<String> {
                    v.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                };
                let (up_req, s_req) = (names(&up["required"]), names(&s["required"]));
                if up_req != s_req {
                    self.deviate(
                        format!("required {ctx}"),
                        format!("{ctx}: required {up_req:?} in the excerpt, {s_req:?} here"),
                    );
                }
            }
        }
    }

    /// One excerpt operation under one shape.
    fn operation(&mut self, method: &str, up: &Value, shape: &str, served_path: &str) {
        let at = format!("{method} {served_path} ({shape})");
        let Some(op) = served_op(served_path, method) else {
            self.absent(format!("operation {at}"));
            return;
        };
        // Parameters, the team parameter of the team shapes included.
        let mut expected: Vec<Value> = up["parameters"].as_array().unwrap().clone();
        if served_path.contains("{team}") {
            expected.push(
                serde_json::json!({"name": "team", "in": "path", "required": true,
                "schema": {"type": "string", "nullable": false}}),
            );
        }
        let params: Vec<&Value> = op["parameters"]
            .as_array()
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        for p in &expected {
            let (name, place) = (p["name"].as_str().unwrap(), p["in"].as_str().unwrap());
            let Some(sp) = params
                .iter()
                .find(|sp| sp["name"] == name && sp["in"] == place)
            else {
                self.absent(format!("{at}: {place} parameter {name}"));
                continue;
            };
            if sp["required"].as_bool().unwrap_or(false) != p["required"].as_bool().unwrap() {
                self.deviate(
                    format!("required {method} {served_path} parameter {name}"),
                    format!(
                        "{at}: parameter {name} required {} in the excerpt, {} here",
                        p["required"], sp["required"]
                    ),
                );
            }
            self.compare(
                &format!("{method} {served_path} parameter {name}"),
                &p["schema"],
                &sp["schema"],
                true,
            );
        }
        for sp in &params {
            if !expected
                .iter()
                .any(|p| p["name"] == sp["name"] && p["in"] == sp["in"])
            {
                self.deviate(
                    format!("+param {method} {served_path} {}", sp["name"]),
                    format!("{at}: parameter {} is not in the excerpt", sp["name"]),
                );
            }
        }
        // Request body.
        match (&up["requestBody"], op.get("requestBody")) {
            (Value::Null, None) => {}
            (Value::Null, Some(_)) => self.deviate(
                format!("+body {method} {served_path}"),
                format!("{at}: a request body the excerpt does not declare"),
            ),
            (_, None) => self.absent(format!("{at}: request body")),
            (body, Some(served)) => {
                for (media, ty) in body["content"].as_object().unwrap() {
                    match served["content"].get(media) {
                        Some(m) => self.compare(
                            &format!("{method} {served_path} body {media}"),
                            ty,
                            &m["schema"],
                            true,
                        ),
                        None => self.absent(format!("{at}: request body media type {media}")),
                    }
                }
            }
        }
        // Responses.
        let responses = op["responses"].as_object().unwrap();
        let declared = up["responses"].as_object().unwrap();
        for (status, content) in declared {
            let Some(r) = responses.get(status) else {
                self.absent(format!("{at}: status {status}"));
                continue;
            };
            let content = content.as_object().unwrap();
            for (media, ty) in content {
                match r["content"].get(media) {
                    Some(m) if ty.as_object().is_some_and(|o| o.is_empty()) => {
                        let _ = m;
                    }
                    Some(m) => self.compare(
                        &format!("{method} {served_path} {status} {media}"),
                        ty,
                        &m["schema"],
                        false,
                    ),
                    None => self.absent(format!("{at}: status {status} as {media}")),
                }
            }
            for media in r["content"].as_object().into_iter().flat_map(|c| c.keys()) {
                if !content.contains_key(media) {
                    self.deviate(
                        format!("+media {method} {served_path} {status} {media}"),
                        format!(
                            "{at}: status {status} as {media}, which the excerpt does not declare"
                        ),
                    );
                }
            }
        }
        for status in responses.keys() {
            if !declared.contains_key(status) {
                self.deviate(
                    format!("+status {status} {method} {served_path}"),
                    format!("{at}: status {status}, which the excerpt does not declare"),
                );
            }
        }
    }
}

fn report(d: &Drift, pending_notes: &[String]) -> Vec<String> {
    let mut problems = d.problems.clone();
    for (pattern, _) in ALLOWED {
        if d.used.contains(pattern) {
            continue;
        }
        // While operations are pending, an entry may wait for them (e.g. 413/415 on bodies).
        let msg = format!("ALLOWED entry {pattern:?} allows nothing any more: remove it");
        if super::PENDING.is_empty() {
            problems.push(msg);
        } else {
            eprintln!("drift: {msg} (not failing while operations are pending)");
        }
    }
    for note in pending_notes {
        eprintln!("{note}");
    }
    problems
}

#[test]
fn the_served_document_matches_the_official_excerpt_under_every_shape() {
    let mut d = Drift::default();
    let mut notes = Vec::new();
    let mut upstream_paths = HashSet::new();
    for (method, path, up) in upstream_ops() {
        let team_twin = up["teamTwin"].as_bool().unwrap();
        let shapes = shaped_paths(path, team_twin);
        for (_, served) in &shapes {
            upstream_paths.insert((method.to_string(), served.clone()));
        }
        if let Some(issue) = pending(method, path) {
            notes.push(format!("drift: {method} {path} skipped, pending ({issue})"));
            continue;
        }
        for (shape, served) in shapes {
            d.operation(method, up, shape, &served);
        }
    }
    // Operations the document adds under the v3 prefixes.
    for (path, item) in DOC["paths"].as_object().unwrap() {
        if !(path.starts_with("/api/v3/") || path.starts_with("/v3/")) {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            let method = method.to_ascii_uppercase();
            if !upstream_paths.contains(&(method.clone(), path.clone())) {
                d.deviate(
                    format!("+operation {method} {path}"),
                    format!("{method} {path}: an operation the excerpt does not declare"),
                );
            }
        }
    }
    let problems = report(&d, &notes);
    assert!(
        problems.is_empty(),
        "the served document drifts from the official excerpt (openapi/upstream-facts.json):\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_drift_guard_names_what_is_missing_renamed_or_retyped() {
    // Feed the comparer a doctored excerpt fact and check that it speaks up.
    let tags = upstream_ops()
        .find(|(m, p, _)| *m == "GET" && *p == "/tags")
        .unwrap()
        .2;
    let mut doctored = tags.clone();
    doctored["responses"]["418"] =
        serde_json::json!({"application/json": {"ref": "ProblemDetails"}});
    doctored["parameters"].as_array_mut().unwrap().push(
        serde_json::json!({"name": "tagged", "in": "query", "required": false, "schema": {"type": "string", "nullable": false}}),
    );
    let mut d = Drift::default();
    d.operation("GET", &doctored, "main", "/api/v3/tags");
    let all = d.problems.join("\n");
    assert!(
        all.contains("missing: GET /api/v3/tags (main): status 418"),
        "{all}"
    );
    assert!(
        all.contains("missing: GET /api/v3/tags (main): query parameter tagged"),
        "{all}"
    );

    // A retyped field and a renamed one (the served name is not the excerpt's).
    let up = serde_json::json!({"type": "object", "nullable": false, "closed": true, "required": [],
        "fields": {"id": {"type": "string", "nullable": false}, "displayName": {"type": "string", "nullable": false}}});
    let served = serde_json::json!({"type": "object", "additionalProperties": false,
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}});
    let mut d = Drift::default();
    d.compare("X", &up, &served, false);
    let all = d.problems.join("\n");
    assert!(
        all.contains("X.id: type string in the excerpt, integer here"),
        "{all}"
    );
    assert!(all.contains("missing: X: field displayName"), "{all}");
    assert!(all.contains("X: field name is not in the excerpt"), "{all}");

    // Nullability, in both of the forms OpenAPI 3.1 allows.
    for served in [
        serde_json::json!({"type": ["integer", "null"]}),
        serde_json::json!({"oneOf": [{"type": "null"}, {"type": "integer"}]}),
    ] {
        let mut d = Drift::default();
        d.compare(
            "Y",
            &serde_json::json!({"type": "integer", "nullable": false}),
            &served,
            false,
        );
        assert!(
            d.problems
                .join("\n")
                .contains("Y: nullable false in the excerpt, true here"),
            "{:?}",
            d.problems
        );
    }
    assert!(glob(
        "+status 404 * /api/v3/*",
        "+status 404 GET /api/v3/teams/{team}/tags"
    ));
    assert!(!glob(
        "+status 404 * /api/v3/*",
        "+status 404 GET /v3/teams/{team}/tags"
    ));
}
