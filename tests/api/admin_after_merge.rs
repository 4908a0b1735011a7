//! Control API tests that need the v3 writes (issue 3) and the usersync engine (issue 4).
//! NOT listed in `main.rs` yet: add `mod admin_after_merge;` there once both are merged.
//! Written against contract §3–§5 and `fixtures/default/README.md`.

use serde_json::{Value, json};

use crate::helpers::*;

const USERSYNC: &str = "/api/2.3/enterprise/usersync";

/// The usersync form for `requests` (a JSON array), as the one public client sends it.
fn form(requests: &Value, dry_run: bool) -> Vec<(&'static str, String)> {
    vec![
        ("access_token", "ada-rw".into()),
        ("key", "local-key".into()),
        ("requestsJson", requests.to_string()),
        ("dryRun", dry_run.to_string()),
    ]
}

/// Every current member of productone, as a usersync roster (a no-op sync).
fn productone_roster() -> Value {
    json!([{"Team": "productone", "Members": [
        {"UserIdentifier": "ada", "Level": "Admin"},
        {"UserIdentifier": "bob", "Level": "Member"},
        {"UserIdentifier": "priya.raman", "Level": "Moderator"},
        {"UserIdentifier": "1008", "Level": "Member"},
        {"UserIdentifier": "1013", "Level": "Member"},
        {"UserIdentifier": "1016", "Level": "Member"},
        {"UserIdentifier": "1019", "Level": "Member"},
        {"UserIdentifier": "1024", "Level": "Member"},
    ]}])
}

fn results(body: &Value) -> &Vec<Value> {
    body["items"][0]["Results"].as_array().expect("Results")
}

async fn team_user_ids(app: &TestApp, team: &str) -> Vec<u64> {
    let body = app
        .get(&format!("/api/v3/teams/{team}/users?pageSize=100"))
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    let mut ids = ids(&body);
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn sixteen_parallel_sandboxes_creating_the_same_group_each_see_only_their_own() {
    let app = std::sync::Arc::new(spawn_app().await);
    let before = app
        .get("/api/v3/user-groups?pageSize=100")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let sb = app.sandbox().await;
            // Same name everywhere: names are unique per site, so these would conflict in one world.
            let created = app
                .post(&format!("{sb}/api/v3/user-groups"))
                .token("ada-rw")
                .json(&json!({"name": "Release Crew", "description": format!("sandbox {i}"), "userIds": [1 + i as u64 % 5]}))
                .send()
                .await
                .ok_json(201);
            let id = created["id"].as_u64().unwrap();
            let mine = app.get(&format!("{sb}/api/v3/user-groups/{id}")).token("ada-rw").send().await.ok_json(200);
            assert_eq!(mine["description"], format!("sandbox {i}"));
            let all = app.get(&format!("{sb}/api/v3/user-groups?pageSize=100")).token("ada-rw").send().await.ok_json(200);
            let crews: Vec<&Value> = all["items"].as_array().unwrap().iter().filter(|g| g["name"] == "Release Crew").collect();
            assert_eq!(crews.len(), 1, "sandbox {i} sees exactly its own group");
            assert_eq!(crews[0]["description"], format!("sandbox {i}"));
        }));
    }
    for t in tasks {
        t.await.expect("a sandbox task failed");
    }
    let after = app
        .get("/api/v3/user-groups?pageSize=100")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(after, before, "the root never saw a sandbox's write");
}

#[tokio::test]
async fn every_injected_usersync_status_code_comes_from_a_rule_and_from_the_header() {
    let app = spawn_app().await;
    let codes = [
        "OtherError",
        "ErrorTryingToResolveUsers",
        "FailedToDetermineChanges",
        "ErrorApplyingChanges",
        "PartialSyncFailure",
    ];
    for code in codes {
        // By the header, one call. A real run (of a roster that changes nothing): the apply-stage
        // failures cannot strike a dry run, which has no apply stage.
        let body = app
            .post(USERSYNC)
            .header("X-Mock-Fault", &format!("usersync={code}; team=productone"))
            .form_owned(&form(&productone_roster(), false))
            .send()
            .await
            .ok_json(200);
        assert_eq!(results(&body)[0]["StatusCode"], code, "header: {body}");
        assert_eq!(body["items"][0]["HasErrors"], true);
        // By a rule.
        let id = app.fault("", json!({"match": {"api": "usersync", "site": "productone"}, "action": {"usersync": code}, "trigger": {"times": 1}})).await;
        let body = app
            .post(USERSYNC)
            .form_owned(&form(&productone_roster(), false))
            .send()
            .await
            .ok_json(200);
        assert_eq!(results(&body)[0]["StatusCode"], code, "rule: {body}");
        assert_eq!(
            app.get(&format!("/__admin/faults/{id}"))
                .send()
                .await
                .ok_json(200)["hits"],
            1
        );
        let body = app
            .post(USERSYNC)
            .form_owned(&form(&productone_roster(), true))
            .send()
            .await
            .ok_json(200);
        assert_eq!(
            results(&body)[0]["StatusCode"],
            "SuccessfulDryRun",
            "the rule fired once only"
        );
    }
}

#[tokio::test]
async fn the_status_codes_that_real_input_produces_each_take_one_call() {
    let app = spawn_app().await;
    let cases = [
        (
            json!([{"Team": "nosuchteam", "Members": []}]),
            true,
            "TeamNotFound",
        ),
        (
            json!([{"Team": "legal", "Members": []}]),
            true,
            "UserSyncNotEnabled",
        ),
        (
            json!([{"Team": "productone", "Members": "nope"}]),
            true,
            "FailedToGetMembersFromSource",
        ),
        (productone_roster(), true, "SuccessfulDryRun"),
        (productone_roster(), false, "Success"),
    ];
    for (requests, dry_run, code) in cases {
        let body = app
            .post(USERSYNC)
            .form_owned(&form(&requests, dry_run))
            .send()
            .await
            .ok_json(200);
        assert_eq!(results(&body)[0]["StatusCode"], code, "{requests} → {body}");
    }
}

#[tokio::test]
async fn error_applying_changes_on_one_team_leaves_the_other_team_synced() {
    let app = spawn_app().await;
    app.fault("", json!({"match": {"api": "usersync"}, "action": {"usersync": "ErrorApplyingChanges", "team": "productone"}})).await;
    let before = team_user_ids(&app, "productone").await;
    let requests = json!([
        {"Team": "productone", "Members": [{"UserIdentifier": "ada", "Level": "Admin"}]},
        {"Team": "platform", "Members": [{"UserIdentifier": "ada", "Level": "Admin"}, {"UserIdentifier": "bob", "Level": "Member"}]},
    ]);
    let body = app
        .post(USERSYNC)
        .form_owned(&form(&requests, false))
        .send()
        .await
        .ok_json(200);
    let results = results(&body);
    assert_eq!(results[0]["StatusCode"], "ErrorApplyingChanges");
    assert_eq!(results[0]["SyncResult"]["ActualChanges"], json!([]));
    assert!(
        !results[0]["SyncResult"]["IntendedChanges"]
            .as_array()
            .unwrap()
            .is_empty(),
        "the plan is shown"
    );
    assert_eq!(results[1]["StatusCode"], "Success");
    assert_eq!(
        team_user_ids(&app, "productone").await,
        before,
        "nothing applied on productone"
    );
    assert_eq!(
        team_user_ids(&app, "platform").await,
        [1, 2],
        "platform synced"
    );
}

#[tokio::test]
async fn a_partial_sync_failure_keeps_the_first_k_changes_visible_through_v3() {
    let app = spawn_app().await;
    assert_eq!(
        team_user_ids(&app, "productone").await,
        [1, 2, 3, 4, 5, 6, 7, 8]
    );
    // Only Ada stays: seven RemoveFromSite changes (users 2..8, in site-user-id order), then
    // one AddToSite (Nia). The first two changes are applied, then the sync "fails".
    let requests = json!([{"Team": "productone", "Members": [
        {"UserIdentifier": "ada", "Level": "Admin"},
        {"UserIdentifier": "new.hire", "Level": "Member"},
    ]}]);
    let body = app
        .post(USERSYNC)
        .header(
            "X-Mock-Fault",
            "usersync=PartialSyncFailure; team=productone; applied=2",
        )
        .form_owned(&form(&requests, false))
        .send()
        .await
        .ok_json(200);
    let result = &results(&body)[0];
    assert_eq!(result["StatusCode"], "PartialSyncFailure");
    assert_eq!(result["SyncResult"]["Status"], "PartialSyncFailure");
    let actual = result["SyncResult"]["ActualChanges"].as_array().unwrap();
    assert_eq!(actual.len(), 2, "{result}");
    assert!(
        actual.iter().all(|c| c["Change"] == "RemoveFromSite"),
        "{actual:?}"
    );
    assert_eq!(
        result["SyncResult"]["IntendedChanges"]
            .as_array()
            .unwrap()
            .len(),
        9,
        "1 NoChange + 7 removals + 1 addition"
    );
    assert_eq!(
        team_user_ids(&app, "productone").await,
        [1, 4, 5, 6, 7, 8],
        "users 2 and 3 are gone, nobody added"
    );
}
