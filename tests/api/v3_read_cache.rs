//! Reads are answered from a cache of rendered bodies while the world is unchanged. These tests
//! warm the cache first, then change the world every way it can change (a v3 write, a state
//! import, a snapshot restore, a reset, a sandbox) and check that no read answers from before.

use serde_json::{Value, json};

use crate::helpers::*;

const GROUPS: &str = "/api/v3/user-groups?pageSize=50";

async fn group_names(app: &TestApp, base: &str) -> Vec<String> {
    let body = app
        .get(&format!("{base}{GROUPS}"))
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    texts(&body["items"], "name")
        .into_iter()
        .map(str::to_string)
        .collect()
}

async fn create_group(app: &TestApp, base: &str, name: &str) {
    app.post(&format!("{base}/api/v3/user-groups"))
        .token("ada-rw")
        .json(&json!({"name": name, "userIds": [1]}))
        .send()
        .await
        .expect(201);
}

#[tokio::test]
async fn a_warm_read_follows_every_change_of_the_world() {
    let app = spawn_app().await;
    let fixtures = group_names(&app, "").await;
    assert_eq!(group_names(&app, "").await, fixtures, "the same read twice");

    create_group(&app, "", "Cache Busters").await;
    let after_write = group_names(&app, "").await;
    assert!(after_write.contains(&"Cache Busters".to_string()));
    assert_eq!(after_write.len(), fixtures.len() + 1);

    app.post("/__admin/snapshots")
        .json(&json!({"name": "with-busters"}))
        .send()
        .await
        .expect(201);
    app.post("/__admin/reset").send().await.expect(204);
    assert_eq!(group_names(&app, "").await, fixtures, "reset");

    app.post("/__admin/snapshots/with-busters/restore")
        .send()
        .await
        .expect(204);
    assert_eq!(group_names(&app, "").await, after_write, "snapshot restore");

    let mut state = app.get("/__admin/state").send().await.ok_json(200);
    let groups = state["sites"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["kind"] == "enterprise")
        .expect("the main site")["userGroups"]
        .as_array_mut()
        .unwrap();
    groups.retain(|g| g["name"] != "Cache Busters");
    groups[0]["name"] = json!("Imported Name");
    app.put("/__admin/state")
        .json(&state)
        .send()
        .await
        .expect(200);
    let imported = group_names(&app, "").await;
    assert!(
        imported.contains(&"Imported Name".to_string()),
        "{imported:?}"
    );
    assert!(!imported.contains(&"Cache Busters".to_string()));
}

#[tokio::test]
async fn a_refused_write_leaves_the_warm_read_as_it_was() {
    let app = spawn_app().await;
    let before = group_names(&app, "").await;
    app.post("/api/v3/user-groups")
        .token("ada-rw")
        .json(&json!({"name": "Unknown Members", "userIds": [999999]}))
        .send()
        .await
        .expect(400);
    app.post("/api/v3/user-groups")
        .token("ada-ro")
        .json(&json!({"name": "Read Only"}))
        .send()
        .await
        .expect_forbidden();
    assert_eq!(group_names(&app, "").await, before);
}

#[tokio::test]
async fn one_callers_warm_read_is_never_served_to_another() {
    let app = spawn_app().await;
    let path = "/api/v3/users?pageSize=50";
    // The admin reads first: the body with every email is rendered then.
    let as_ada = app.get(path).token("ada-ro").send().await.ok_json(200);
    assert_eq!(email_of(&as_ada, 2), "bob@example.com");
    let as_bob = app.get(path).token("bob-ro").send().await.ok_json(200);
    assert_eq!(
        email_of(&as_bob, 1),
        Value::Null,
        "Bob does not see Ada's email"
    );
    assert_eq!(email_of(&as_bob, 2), "bob@example.com");
    // `/users/me` names the caller: the same path, a different answer per token.
    let me = |token: &'static str| {
        let app = &app;
        async move {
            app.get("/api/v3/users/me")
                .token(token)
                .send()
                .await
                .ok_json(200)["id"]
                .clone()
        }
    };
    assert_eq!(
        (me("ada-ro").await, me("bob-ro").await),
        (json!(1), json!(2))
    );
}

#[tokio::test]
async fn a_sandbox_and_the_root_never_share_a_warm_read() {
    let app = spawn_app().await;
    let sandbox = app.sandbox().await;
    let prefix = sandbox.trim_start_matches(&app.base);
    let root_before = group_names(&app, "").await;
    assert_eq!(group_names(&app, prefix).await, root_before);

    create_group(&app, prefix, "Sandboxed Only").await;
    assert!(
        group_names(&app, prefix)
            .await
            .contains(&"Sandboxed Only".to_string())
    );
    assert_eq!(
        group_names(&app, "").await,
        root_before,
        "the root is untouched"
    );
}
