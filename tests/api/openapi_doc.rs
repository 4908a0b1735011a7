//! The committed `openapi/openapi.json` is the served document, byte for byte.
//! Regenerate it with `UPDATE_OPENAPI=1 cargo test --test api openapi`.

use crate::helpers::*;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");

fn generated() -> String {
    let mut doc = soteams_mock::app::document()
        .to_pretty_json()
        .expect("the document serialises");
    doc.push('\n');
    doc
}

#[test]
fn openapi_json_is_committed_and_up_to_date() {
    let now = generated();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi")).unwrap();
        std::fs::write(COMMITTED, &now).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed == now,
        "openapi/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test --test api openapi` and commit it"
    );
}

#[tokio::test]
async fn the_served_document_is_the_committed_one_and_swagger_ui_works_offline() {
    let app = spawn_app().await;
    // The document and Swagger UI are not API operations: off-spec by design.
    let served = app
        .get("/openapi.json")
        .unchecked()
        .send()
        .await
        .ok_json(200);
    let generated: serde_json::Value = serde_json::from_str(&generated()).unwrap();
    assert_eq!(served, generated);
    let ui = app.get("/swagger-ui/").unchecked().send().await;
    ui.expect(200);
    assert!(
        ui.text.contains("swagger"),
        "Swagger UI page: {}",
        &ui.text[..ui.text.len().min(200)]
    );
    let js = app
        .get("/swagger-ui/swagger-ui-bundle.js")
        .unchecked()
        .send()
        .await;
    js.expect(200);
    let init = app
        .get("/swagger-ui/swagger-initializer.js")
        .unchecked()
        .send()
        .await;
    init.expect(200);
    assert!(
        init.text.contains(r#""url": "/openapi.json""#),
        "Swagger UI must load the served document: {}",
        init.text
    );
}

#[test]
fn every_v3_operation_exists_under_each_shape_it_belongs_to() {
    let doc = serde_json::to_value(soteams_mock::app::document()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let main_ops: Vec<(&String, &String)> = paths
        .iter()
        .filter(|(p, _)| p.starts_with("/api/v3/") && !p.starts_with("/api/v3/teams/"))
        .flat_map(|(p, item)| item.as_object().unwrap().keys().map(move |m| (p, m)))
        .collect();
    for (path, method) in &main_ops {
        let rest = path.trim_start_matches("/api/v3");
        for prefix in ["/api/v3/teams/{team}", "/v3/teams/{team}"] {
            let twin = format!("{prefix}{rest}");
            let exists = paths
                .get(&twin)
                .and_then(|i| i.get(method.as_str()))
                .is_some();
            // Main-site-only operations of the official document (no team twins).
            if rest == "/users/manage" || rest.starts_with("/communities") || rest == "/stacky" {
                assert!(
                    !exists,
                    "{method} {twin} must not be documented: main site only"
                );
            } else {
                assert!(exists, "{method} {path} has no twin {method} {twin}");
            }
        }
    }
}

#[test]
fn every_v3_write_is_documented_under_each_shape_with_the_excerpts_responses_and_media_types() {
    let doc = serde_json::to_value(soteams_mock::app::document()).unwrap();
    // (method, path, the excerpt's statuses plus the mock's additions (404 on SME writes and on
    // PUT group, 422 on SME routes, 413/415 for bodies)).
    let writes: [(&str, &str, &[&str]); 9] = [
        (
            "post",
            "/user-groups",
            &["201", "400", "401", "403", "413", "415", "500"],
        ),
        (
            "put",
            "/user-groups/{userGroupId}",
            &["200", "400", "401", "403", "404", "413", "415"],
        ),
        (
            "post",
            "/user-groups/{userGroupId}/members",
            &["200", "400", "401", "403", "404", "413", "415"],
        ),
        (
            "delete",
            "/user-groups/{userGroupId}/members/{userId}",
            &["200", "400", "401", "403", "404"],
        ),
        (
            "put",
            "/tags/{tagId}/subject-matter-experts",
            &["200", "400", "401", "403", "404", "413", "415", "422"],
        ),
        (
            "post",
            "/tags/{tagId}/subject-matter-experts/users",
            &["200", "400", "401", "403", "404", "413", "415", "422"],
        ),
        (
            "post",
            "/tags/{tagId}/subject-matter-experts/user-groups",
            &["200", "400", "401", "403", "404", "413", "415", "422"],
        ),
        (
            "delete",
            "/tags/{tagId}/subject-matter-experts/users/{userId}",
            &["204", "400", "401", "403", "404", "422"],
        ),
        (
            "delete",
            "/tags/{tagId}/subject-matter-experts/user-groups/{userGroupId}",
            &["204", "400", "401", "403", "404", "422"],
        ),
    ];
    for (method, rest, statuses) in writes {
        for prefix in ["/api/v3", "/api/v3/teams/{team}", "/v3/teams/{team}"] {
            let path = format!("{prefix}{rest}");
            let op = &doc["paths"][&path][method];
            assert!(op.is_object(), "{method} {path} is documented");
            for status in statuses {
                assert!(
                    op["responses"][*status].is_object(),
                    "{method} {path} declares {status}"
                );
            }
            if op.get("requestBody").is_some() {
                for media in [
                    "application/json",
                    "text/json",
                    "application/json-patch+json",
                    "application/*+json",
                ] {
                    assert!(
                        op["requestBody"]["content"][media].is_object(),
                        "{method} {path} accepts {media}"
                    );
                }
            }
        }
    }
    let model = &doc["components"]["schemas"]["UserGroupRequestModel"];
    assert_eq!(
        model["required"],
        serde_json::json!(["name"]),
        "name is required: {model}"
    );
    assert_eq!(model["properties"]["name"]["minLength"], 1);
}

/// Swagger UI lists tags in the order of the document's `tags`: the v3 main site, private
/// teams, cloud teams, usersync, then the mock's own control API; each tag says in one line
/// what it holds, and every tag an operation uses is among them.
#[tokio::test]
async fn the_served_tags_read_in_order_each_with_one_line() {
    let app = spawn_app().await;
    let doc = app
        .get("/openapi.json")
        .unchecked()
        .send()
        .await
        .ok_json(200);
    let tags: Vec<(&str, &str)> = doc["tags"]
        .as_array()
        .expect("a tags array")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap(),
                t["description"].as_str().unwrap(),
            )
        })
        .collect();
    let shapes = [
        ("Main", "the Enterprise main site (`/api/v3/…`)"),
        (
            "Teams (Enterprise private team)",
            "an Enterprise private team (`/api/v3/teams/{team}/…`)",
        ),
        (
            "Teams (Basic/Business)",
            "a Basic or Business cloud team (`/v3/teams/{team}/…`)",
        ),
    ];
    let mut expected: Vec<(String, String)> = Vec::new();
    for (shape, place) in shapes {
        for (resource, what) in [
            (
                "Users",
                "Users, their watched tags, and lookups by email or external id",
            ),
            ("UserGroups", "User groups and their members"),
            (
                "Tags",
                "Tags, their watchers and their subject matter experts (SMEs)",
            ),
            ("Images", "Uploading images and reading them back"),
            ("Articles", "Articles, their upvotes and their comments"),
            ("Collections", "Collections of questions and articles"),
            (
                "Questions",
                "Questions, their votes, bookmarks and flags, and the questions linked and \
                 related to them (and to articles)",
            ),
            ("Answers", "Answers to questions: accept, votes, flags"),
            ("Comments", "Comments on posts"),
            ("Search", "Search over questions, answers and articles"),
        ] {
            expected.push((
                format!("{resource} - {shape}"),
                format!("{what} on {place}"),
            ));
        }
        if shape == "Main" {
            for (resource, what) in [
                (
                    "Communities",
                    "Communities, their members and tags; joining and leaving",
                ),
                ("Stacky", "Stacky's ASCII art, for testing"),
            ] {
                expected.push((
                    format!("{resource} - {shape}"),
                    format!("{what} on {place}"),
                ));
            }
        }
    }
    expected.push((
        "Enterprise API 2.3".into(),
        "Usersync: the Enterprise team membership sync, a full replace of each named private \
         team's roster (`POST /api/2.3/enterprise/usersync`)"
            .into(),
    ));
    expected.push((
        "Control API".into(),
        "The mock's own control routes (`/__admin/…`, not part of the real service): reset, \
         state, snapshots, faults, journal, tokens, clock, rate limits and sandboxes"
            .into(),
    ));
    let expected: Vec<(&str, &str)> = expected
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_str()))
        .collect();
    assert_eq!(tags, expected);
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for tag in op["tags"].as_array().expect("every operation has a tag") {
                assert!(
                    tags.iter().any(|(name, _)| tag == name),
                    "{method} {path}: tag {tag} is not declared in `tags`"
                );
            }
        }
    }
}
