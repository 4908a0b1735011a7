//! A usersync call's journal entry reads like the exchange (issue 14 item 9): its form decoded,
//! its status, each team's `StatusCode` in `outcomes`, and the reason of a refusal.

use serde_json::{Value, json};

use super::*;

async fn last_entry(app: &TestApp) -> Value {
    let found = app
        .get("/__admin/requests?api=usersync&limit=1")
        .send()
        .await
        .ok_json(200);
    found["requests"][0].clone()
}

#[tokio::test]
async fn a_dry_run_of_two_teams_is_journaled_with_each_teams_status_code() {
    let app = spawn_app().await;
    let requests = json!([
        {"Team": "productone", "Members": members(&PRODUCTONE)},
        {"Team": "legal", "Members": []},
    ]);
    let item = sync_ok(&app, &requests, "true").await;
    assert_eq!(item["HasErrors"], true, "legal has usersync disabled");
    let entry = last_entry(&app).await;
    assert_eq!(
        (&entry["status"], &entry["reason"]),
        (&json!(200), &Value::Null)
    );
    assert_eq!(
        entry["outcomes"],
        json!([
            {"team": "productone", "status": "SuccessfulDryRun"},
            {"team": "legal", "status": "UserSyncNotEnabled"},
        ])
    );
    assert_eq!(entry["outcomesTruncated"], false);
    let body: Value = serde_json::from_str(entry["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["requestsJson"], requests, "the form is shown decoded");
    assert_eq!(body["access_token"], "ada…", "credentials masked");
}

#[tokio::test]
async fn an_entry_without_a_team_and_an_injected_failure_show_as_answered() {
    let app = spawn_app().await;
    let requests = json!([
        {"Members": []},
        {"Team": "platform", "Members": members(&[("ada", "Admin")])},
    ]);
    let res = app
        .post(USERSYNC)
        .header(
            "X-Mock-Fault",
            "usersync=ErrorApplyingChanges; team=platform",
        )
        .form(&[
            ("access_token", "ada-rw"),
            ("key", "local-key"),
            ("requestsJson", &requests.to_string()),
            ("dryRun", "false"),
        ])
        .send()
        .await;
    res.expect(200);
    assert_eq!(
        last_entry(&app).await["outcomes"],
        json!([
            {"team": null, "status": "FailedToGetMembersFromSource"},
            {"team": "platform", "status": "ErrorApplyingChanges"},
        ])
    );
}

#[tokio::test]
async fn a_refused_call_has_a_reason_and_no_outcomes() {
    let app = spawn_app().await;
    let res = sync(
        &app,
        &[
            ("access_token", "ada-ro"),
            ("key", "local-key"),
            ("requestsJson", r#"[{"Team": "productone", "Members": []}]"#),
        ],
    )
    .await;
    expect_v2_error(&res, 403, "access_denied");
    let entry = last_entry(&app).await;
    assert_eq!(
        (&entry["status"], &entry["reason"], &entry["outcomes"]),
        (&json!(400), &json!("token-read-only"), &json!([]))
    );
}

#[tokio::test]
async fn a_call_of_many_teams_keeps_the_first_hundred_outcomes_and_says_so() {
    let app = spawn_app().await;
    let requests: Vec<Value> = (0..150)
        .map(|i| json!({"Team": format!("nosuchteam-{i}"), "Members": []}))
        .collect();
    let item = sync_ok(&app, &Value::from(requests), "true").await;
    assert_eq!(item["Results"].as_array().map(Vec::len), Some(150));
    let entry = last_entry(&app).await;
    let outcomes = entry["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 100);
    assert_eq!(
        outcomes[99],
        json!({"team": "nosuchteam-99", "status": "TeamNotFound"})
    );
    assert_eq!(entry["outcomesTruncated"], true);
}
