//! The system-failure status codes, produced through the engine's fault hook: a fault rule of
//! the control API that fails one team (or every team) of every usersync call, on the real
//! server.

use serde_json::{Value, json};

use super::*;

/// Which failure, as a fault rule's action names it.
#[derive(Debug, Clone, Copy)]
enum InjectedFailure {
    OtherError,
    ErrorTryingToResolveUsers,
    FailedToDetermineChanges,
    ErrorApplyingChanges,
    PartialSyncFailure { applied: usize },
}

/// The server on the default fixtures, with a rule failing `team` (every team when `None`).
async fn spawn_app_with_fault(team: Option<&str>, failure: InjectedFailure) -> TestApp {
    let app = spawn_app().await;
    let mut action = match failure {
        InjectedFailure::PartialSyncFailure { applied } => {
            json!({"usersync": "PartialSyncFailure", "applied": applied})
        }
        other => json!({"usersync": format!("{other:?}")}),
    };
    if let Some(team) = team {
        action["team"] = json!(team);
    }
    app.fault("", json!({"match": {"api": "usersync"}, "action": action}))
        .await;
    app
}

/// productone without Bob (2), Priya (3) and Mei (4), plus Nia: 3 removals and 1 addition.
fn requests() -> Value {
    let list: Vec<(&str, &str)> = PRODUCTONE
        .iter()
        .copied()
        .filter(|(id, _)| !["bob", "priya.raman@example.com", "1008"].contains(id))
        .collect();
    let mut m = members(&list);
    m.as_array_mut()
        .unwrap()
        .push(json!({"UserIdentifier": "new.hire", "Level": "Member"}));
    json!([{"Team": "productone", "Members": m}, {"Team": "platform", "Members": members(&[("ada", "Admin"), ("bob", "Member")])}])
}

#[tokio::test]
async fn each_injected_failure_answers_with_its_status_and_changes_only_what_it_says() {
    let cases = [
        (InjectedFailure::OtherError, "OtherError", 0, 0),
        (
            InjectedFailure::ErrorTryingToResolveUsers,
            "ErrorTryingToResolveUsers",
            0,
            0,
        ),
        (
            InjectedFailure::FailedToDetermineChanges,
            "FailedToDetermineChanges",
            0,
            0,
        ),
        (
            InjectedFailure::ErrorApplyingChanges,
            "ErrorApplyingChanges",
            9,
            0,
        ),
        (
            InjectedFailure::PartialSyncFailure { applied: 2 },
            "PartialSyncFailure",
            9,
            2,
        ),
        (
            InjectedFailure::PartialSyncFailure { applied: 99 },
            "PartialSyncFailure",
            9,
            4,
        ),
    ];
    for (failure, status, intended, applied) in cases {
        let app = spawn_app_with_fault(Some("productone"), failure).await;
        let before = roster(&app, "productone").await;
        let item = sync_ok(&app, &requests(), "false").await;
        assert_eq!(item["HasErrors"], true, "{failure:?}");
        let result = &item["Results"][0];
        assert_eq!(
            (&result["StatusCode"], &result["SyncResult"]["Status"]),
            (&json!(status), &json!(status)),
            "{failure:?}"
        );
        let sync = &result["SyncResult"];
        assert_eq!(
            sync["IntendedChanges"].as_array().unwrap().len(),
            intended,
            "{failure:?}: {sync}"
        );
        let actual = changes(&sync["ActualChanges"]);
        assert_eq!(actual.len(), applied, "{failure:?}: {sync}");
        assert!(
            sync["Log"].as_str().unwrap().contains("injected fault"),
            "{failure:?}: the log says why"
        );
        // The state holds exactly the applied changes: removals of 1002, 1006, 1008, then Nia.
        let after = roster(&app, "productone").await;
        let mut expected = before.clone();
        for (change, account) in &actual {
            match change.as_str() {
                "RemoveFromSite" => assert!(expected.remove(account).is_some()),
                "AddToSite" => assert!(after.contains_key(account)),
                other => panic!("unexpected {other}"),
            }
        }
        let kept: Vec<u64> = after.keys().copied().filter(|a| *a != 1037).collect();
        assert_eq!(
            kept,
            expected.keys().copied().collect::<Vec<_>>(),
            "{failure:?}"
        );
        // The fault names productone only; platform, in the same call, syncs.
        assert_eq!(item["Results"][1]["StatusCode"], "Success", "{failure:?}");
    }
}

#[tokio::test]
async fn a_fault_without_a_team_strikes_every_team_but_not_the_team_level_answers() {
    let app = spawn_app_with_fault(None, InjectedFailure::OtherError).await;
    let requests = json!([{"Team": "platform", "Members": []}, {"Team": "legal", "Members": []}, {"Team": "nope", "Members": []}]);
    let item = sync_ok(&app, &requests, "false").await;
    let codes: Vec<&Value> = item["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["StatusCode"])
        .collect();
    assert_eq!(
        codes,
        [
            &json!("OtherError"),
            &json!("UserSyncNotEnabled"),
            &json!("TeamNotFound")
        ]
    );
    assert_eq!(roster(&app, "platform").await.len(), 6, "nothing changed");
}

#[tokio::test]
async fn apply_stage_failures_cannot_strike_a_dry_run() {
    let app = spawn_app_with_fault(Some("productone"), InjectedFailure::ErrorApplyingChanges).await;
    let item = sync_ok(&app, &requests(), "true").await;
    assert_eq!(item["HasErrors"], false);
    assert_eq!(item["Results"][0]["StatusCode"], "SuccessfulDryRun");
}
