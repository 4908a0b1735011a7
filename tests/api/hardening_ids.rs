//! Hardening, ids (issue 13, item 7): the ids the mock hands out stop at int32's maximum, and
//! a removed id is never handed out again, not even after an export and an import of the
//! state, a snapshot restore, or in a sandbox.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::usersync::{PRODUCTONE, members, roster, sync_ok};

const LAST: u64 = 2_147_483_647;

/// A main site whose group ids and a private team whose site user ids are at int32's maximum.
fn world_at_the_limit() -> Value {
    json!({
      "apiKeys": [{"key": "local-key"}],
      "accounts": [
        {"accountId": 1, "name": "Ada", "email": "ada@x", "externalId": "ada"},
        {"accountId": 2, "name": "Newbie", "email": "new@x", "externalId": "newbie"}
      ],
      "sites": [
        {"slug": "main", "kind": "enterprise", "name": "Main",
         "users": [{"id": 1, "accountId": 1, "role": "Admin"}],
         "userGroups": [{"id": LAST, "name": "Last", "userIds": [1]}]},
        {"slug": "team", "kind": "privateTeam", "name": "Team", "userSyncEnabled": true,
         "users": [{"id": LAST, "accountId": 1, "role": "Admin"}]}
      ],
      "tokens": [{"token": "ada-rw", "accountId": 1, "kind": "oauth", "write": true}]
    })
}

#[tokio::test]
async fn creating_a_group_past_int32_is_a_409_and_creates_nothing() {
    let app = spawn_app_with(&world_at_the_limit()).await;
    let before = app.get("/__admin/state").send().await.ok_json(200);
    let res = app
        .post("/api/v3/user-groups")
        .token("ada-rw")
        .json(&json!({"name": "One too many", "userIds": [1]}))
        .send()
        .await;
    let body = res.expect_problem(409, "/v3/errors/user-group/ids-exhausted");
    assert!(
        body["detail"].as_str().unwrap().contains("2147483647"),
        "the detail names the limit: {body}"
    );
    assert_eq!(
        app.get("/__admin/state").send().await.ok_json(200),
        before,
        "nothing was created"
    );
    let groups = app
        .get("/api/v3/user-groups")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(ids(&groups), vec![LAST]);
}

#[tokio::test]
async fn a_usersync_addition_past_int32_fails_that_team_and_changes_nothing() {
    let app = spawn_app_with(&world_at_the_limit()).await;
    let request =
        json!([{"Team": "team", "Members": members(&[("ada", "Admin"), ("newbie", "Member")])}]);
    let dry = sync_ok(&app, &request, "true").await;
    assert_eq!(dry["Results"][0]["StatusCode"], "SuccessfulDryRun", "{dry}");

    let item = sync_ok(&app, &request, "false").await;
    let result = &item["Results"][0];
    assert_eq!(item["HasErrors"], true, "{item}");
    assert_eq!(result["StatusCode"], "ErrorApplyingChanges", "{item}");
    assert_eq!(result["SyncResult"]["ActualChanges"], json!([]), "{item}");
    assert_eq!(
        result["SyncResult"]["IntendedChanges"][1]["Change"], "AddToSite",
        "the plan is shown: {item}"
    );
    let log = result["SyncResult"]["Log"].as_str().unwrap();
    assert!(
        log.contains("no site user id is left") && log.contains("2147483647"),
        "{log}"
    );
    let team = roster(&app, "team").await;
    assert_eq!(
        team.keys().copied().collect::<Vec<_>>(),
        vec![1],
        "nobody was added"
    );
}

/// Adds Nia Newhire (`new.hire`) to productone (a real run); returns her new site user id.
async fn add_newhire(app: &TestApp) -> u64 {
    let mut list = PRODUCTONE.to_vec();
    list.push(("new.hire", "Member"));
    let request = json!([{"Team": "productone", "Members": members(&list)}]);
    let item = sync_ok(app, &request, "false").await;
    let actual = &item["Results"][0]["SyncResult"]["ActualChanges"];
    assert_eq!(actual[0]["Change"], "AddToSite", "{item}");
    actual[0]["SiteUserId"].as_u64().unwrap()
}

/// Syncs productone back to its roster without Nia.
async fn remove_newhire(app: &TestApp) {
    let request = json!([{"Team": "productone", "Members": members(&PRODUCTONE)}]);
    let item = sync_ok(app, &request, "false").await;
    assert_eq!(item["Results"][0]["StatusCode"], "Success", "{item}");
}

fn productone(state: &Value) -> &Value {
    state["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "productone")
        .unwrap()
}

#[tokio::test]
async fn a_removed_users_id_is_not_handed_out_again_after_an_export_and_an_import() {
    let app = spawn_app().await;
    let first = add_newhire(&app).await;
    remove_newhire(&app).await;
    let state = app.get("/__admin/state").send().await.ok_json(200);
    assert_eq!(
        productone(&state)["idHighWater"]["users"],
        first,
        "the export keeps the removed id's mark"
    );
    app.post("/__admin/reset").send().await.expect(204);
    app.put("/__admin/state")
        .json(&state)
        .send()
        .await
        .expect(200);
    assert_eq!(app.get("/__admin/state").send().await.ok_json(200), state);
    assert_eq!(add_newhire(&app).await, first + 1, "never {first} again");
}

#[tokio::test]
async fn a_snapshot_keeps_the_id_marks() {
    let app = spawn_app().await;
    let first = add_newhire(&app).await;
    remove_newhire(&app).await;
    app.post("/__admin/snapshots")
        .json(&json!({"name": "after"}))
        .send()
        .await
        .expect(201);
    app.post("/__admin/reset").send().await.expect(204);
    app.post("/__admin/snapshots/after/restore")
        .send()
        .await
        .expect(204);
    assert_eq!(add_newhire(&app).await, first + 1);
}

#[tokio::test]
async fn loaded_marks_hold_at_the_root_in_sandboxes_and_for_new_groups() {
    let mut state = spawn_app()
        .await
        .get("/__admin/state")
        .send()
        .await
        .ok_json(200);
    for site in state["sites"].as_array_mut().unwrap() {
        if site["slug"] == "productone" || site["slug"] == "main" {
            site["idHighWater"] = json!({"users": 500, "userGroups": 100});
        }
    }
    let app = spawn_app_with(&state).await;
    let sb = app.sandbox().await;
    let in_sandbox = TestApp::at(&format!("{}{sb}", app.base));
    assert_eq!(
        add_newhire(&in_sandbox).await,
        501,
        "a sandbox copies the marks"
    );
    assert_eq!(add_newhire(&app).await, 501);
    let created = app
        .post("/api/v3/user-groups")
        .token("ada-rw")
        .json(&json!({"name": "After the mark"}))
        .send()
        .await
        .ok_json(201);
    assert_eq!(created["id"], 101);
}

#[tokio::test]
async fn a_state_with_a_mark_past_int32_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let before = app.get("/__admin/state").send().await.ok_json(200);
    let mut bad = before.clone();
    bad["sites"][0]["idHighWater"] = json!({"userGroups": LAST + 1});
    let body = app
        .put("/__admin/state")
        .json(&bad)
        .send()
        .await
        .ok_json(400);
    assert!(
        body["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["path"] == "request body: $.sites[0].idHighWater.userGroups"),
        "{body}"
    );
    assert_eq!(app.get("/__admin/state").send().await.ok_json(200), before);
}
