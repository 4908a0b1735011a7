//! Team outcomes, the full replace, and what v3 shows afterwards.

use serde_json::{Value, json};

use super::*;
use crate::helpers::{ids, spawn_app};

fn productone_plus(extra: &[(&str, &str)]) -> Value {
    let mut list: Vec<(&str, &str)> = PRODUCTONE.to_vec();
    list.extend_from_slice(extra);
    json!([{"Team": "productone", "Members": members(&list)}])
}

#[tokio::test]
async fn the_response_has_the_articles_shape() {
    let app = spawn_app().await;
    let requests = json!([{"Team": "notexisting", "Members": []}, {"Team": "productone", "Members": members(&PRODUCTONE)}]);
    let body = sync(
        &app,
        &[
            ("access_token", "ada-rw"),
            ("key", "local-key"),
            ("requestsJson", &requests.to_string()),
            ("dryRun", "false"),
        ],
    )
    .await
    .ok_json(200);
    for (field, value) in [
        ("has_more", json!(false)),
        ("quota_max", json!(10_000)),
        ("quota_remaining", json!(9_999)),
        ("page", json!(1)),
        ("page_size", json!(1)),
        ("total", json!(1)),
        ("type", json!("user_sync_api_response")),
    ] {
        assert_eq!(body[field], value, "{field}");
    }
    let item = &body["items"][0];
    assert_eq!(item["HasErrors"], true);
    assert_eq!(
        item["Results"][0],
        json!({"StatusCode": "TeamNotFound", "Team": "notexisting"})
    );
    let ok = &item["Results"][1];
    assert_eq!(
        (&ok["StatusCode"], &ok["Team"]),
        (&json!("Success"), &json!("productone"))
    );
    let result = &ok["SyncResult"];
    assert_eq!(
        (&result["Status"], &result["SiteName"]),
        (&json!("Success"), &json!("Product One"))
    );
    assert_eq!(result["ActualChanges"], json!([]));
    let first = &result["IntendedChanges"][0];
    assert_eq!(
        *first,
        json!({"IsDeactivated": false, "AccountId": 1001, "Change": "NoChange", "NewUserType": "Admin", "CurrentUserType": "Admin", "SiteUserId": 1})
    );
    let log = result["Log"].as_str().unwrap();
    let lines: Vec<&str> = log.split("\r\n").collect();
    let start = lines[0]
        .strip_prefix("[PushAsync] START User Sync from Push for Team productone (")
        .expect(log);
    let stamp = start.strip_suffix(")").expect(log);
    assert!(
        stamp.ends_with(" +00:00") && (stamp.contains(" AM ") || stamp.contains(" PM ")),
        "a .NET-style timestamp: {stamp}"
    );
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("[PushAsync] END User Sync from Push for Team productone"),
        "{log}"
    );
    assert!(
        !log.contains("\r\n\r\n") && !log.replace("\r\n", "").contains('\n'),
        "lines joined by CRLF: {log:?}"
    );
}

#[tokio::test]
async fn a_dry_run_changes_nothing_and_the_same_real_run_does_what_it_showed() {
    let app = spawn_app().await;
    // Bob up to Admin, Priya (3) and Mei (4) out, Nia and Otto in.
    let list = [
        ("ada", "Admin"),
        ("bob", "Admin"),
        ("sofia.rossi@example.com", "Member"),
        ("rahul.mehta@example.com", "Member"),
        ("yuki.tanaka@example.com", "Member"),
        ("chloe.martin@example.com", "Member"),
        ("New.Hire", "Member"),
        ("otto", "moderator"),
    ];
    let requests = json!([{"Team": "productone", "Members": members(&list)}]);
    let before = roster(&app, "productone").await;

    let dry = sync_ok(&app, &requests, "true").await;
    let dry = &dry["Results"][0];
    assert_eq!(
        (&dry["StatusCode"], &dry["SyncResult"]["Status"]),
        (&json!("SuccessfulDryRun"), &json!("SuccessfulDryRun"))
    );
    assert_eq!(dry["SyncResult"]["ActualChanges"], json!([]));
    let intended = dry["SyncResult"]["IntendedChanges"].clone();
    assert_eq!(
        changes(&intended),
        [
            ("NoChange", 1001),
            ("ChangeUserType", 1002),
            ("RemoveFromSite", 1006),
            ("RemoveFromSite", 1008),
            ("NoChange", 1013),
            ("NoChange", 1016),
            ("NoChange", 1019),
            ("NoChange", 1024),
            ("AddToSite", 1037),
            ("AddToSite", 1038)
        ]
        .map(|(c, a)| (c.to_string(), a))
    );
    let add = &intended[8];
    assert_eq!(
        (
            &add["CurrentUserType"],
            &add["NewUserType"],
            &add["SiteUserId"]
        ),
        (&Value::Null, &json!("Registered"), &Value::Null)
    );
    let remove = &intended[2];
    assert_eq!(
        (
            &remove["CurrentUserType"],
            &remove["NewUserType"],
            &remove["SiteUserId"]
        ),
        (&json!("Moderator"), &Value::Null, &json!(3))
    );
    assert_eq!(
        roster(&app, "productone").await,
        before,
        "the dry run changed nothing"
    );

    let real = sync_ok(&app, &requests, "false").await;
    assert_eq!(real["HasErrors"], false);
    let real = &real["Results"][0]["SyncResult"];
    assert_eq!(
        real["IntendedChanges"], intended,
        "the real run intends what the dry run showed"
    );
    let mut expected: Vec<Value> = intended
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["Change"] != "NoChange")
        .cloned()
        .collect();
    expected[3]["SiteUserId"] = json!(9);
    expected[4]["SiteUserId"] = json!(10);
    assert_eq!(
        real["ActualChanges"],
        Value::Array(expected),
        "actual = intended minus NoChange, with the new ids"
    );

    let after = roster(&app, "productone").await;
    assert_eq!(after[&1037], (9, "Registered".to_string()));
    assert_eq!(after[&1038], (10, "Moderator".to_string()));
    assert_eq!(after[&1002].1, "Admin");
    assert!(!after.contains_key(&1006) && !after.contains_key(&1008));
    app.get("/api/v3/teams/productone/users/3")
        .token("ada-rw")
        .send()
        .await
        .expect(404);
    let nia = app
        .get("/api/v3/teams/productone/users/9")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(nia["accountId"], 1037);

    let again = sync_ok(&app, &requests, "false").await;
    let again = &again["Results"][0]["SyncResult"];
    assert!(
        changes(&again["IntendedChanges"])
            .iter()
            .all(|(c, _)| c == "NoChange"),
        "a second identical run: {again}"
    );
    assert_eq!(again["IntendedChanges"].as_array().unwrap().len(), 8);
    assert_eq!(again["ActualChanges"], json!([]));
    assert_eq!(roster(&app, "productone").await, after);
}

#[tokio::test]
async fn a_full_replace_removes_the_missing_from_the_team_its_groups_and_its_smes() {
    let app = spawn_app().await;
    let requests =
        json!([{"Team": "platform", "Members": members(&[("ada", "Admin"), ("bob", "Member")])}]);
    let item = sync_ok(&app, &requests, "0").await;
    let removed: Vec<u64> = changes(&item["Results"][0]["SyncResult"]["ActualChanges"])
        .into_iter()
        .map(|(c, a)| {
            assert_eq!(c, "RemoveFromSite");
            a
        })
        .collect();
    assert_eq!(removed, [1009, 1012, 1015, 1029]);
    assert_eq!(
        roles(&roster(&app, "platform").await),
        [(1001, "Admin".into()), (1002, "Registered".into())].into()
    );
    let group = app
        .get("/api/v3/teams/platform/user-groups/1")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(ids(&group["users"]), [1], "users 3 and 4 left Maintainers");

    // productone: Bob (2) is an SME of tag 3; Mei (4) is in Mobile Squad, an SME group.
    let without_bob_and_mei: Vec<(&str, &str)> = PRODUCTONE
        .iter()
        .copied()
        .filter(|(id, _)| *id != "bob" && *id != "1008")
        .collect();
    sync_ok(
        &app,
        &json!([{"Team": "productone", "Members": members(&without_bob_and_mei)}]),
        "false",
    )
    .await;
    let smes = app
        .get("/api/v3/teams/productone/tags/3/subject-matter-experts")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(smes["users"], json!([]), "Bob left the SME list");
    assert_eq!(
        ids(&smes["userGroups"][0]["users"]),
        [6, 8],
        "Mei left Mobile Squad"
    );
}

#[tokio::test]
async fn a_role_change_shows_through_v3_and_removing_ada_locks_her_out_of_that_team() {
    let app = spawn_app().await;
    let item = sync_ok(
        &app,
        &json!([{"Team": "platform", "Members": members(&[("bob", "ADMIN")])}]),
        "false",
    )
    .await;
    let actual = changes(&item["Results"][0]["SyncResult"]["ActualChanges"]);
    assert_eq!(actual[0], ("RemoveFromSite".to_string(), 1001));
    assert_eq!(actual[1], ("ChangeUserType".to_string(), 1002));
    let bob = app
        .get("/api/v3/teams/platform/users/2")
        .token("bob-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(bob["role"], "Admin");
    app.get("/api/v3/teams/platform/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(403);
    // Usersync itself still works for Ada: it is a main-site permission.
    sync_ok(
        &app,
        &json!([{"Team": "platform", "Members": members(&[("ada", "Admin")])}]),
        "false",
    )
    .await;
    let ada = app
        .get("/api/v3/teams/platform/users/me")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(ada["id"], 7, "back with a new site user id");
}

#[tokio::test]
async fn one_call_mixes_outcomes_in_request_order_and_later_entries_see_earlier_ones() {
    let app = spawn_app().await;
    let requests = json!([
        {"Team": "productone", "Members": members(&[("ada", "Admin"), ("new.hire", "Member")])},
        {"Team": "legal", "Members": members(&[("ada", "Admin")])},
        {"Team": "main", "Members": []},
        {"Team": "acme", "Members": []},
        {"Members": []},
        {"Team": "platform", "Members": [{"UserIdentifier": "ada", "Level": "Owner"}]},
        {"team": "PRODUCTONE", "members": [{"userIdentifier": "nia.newhire@example.com", "level": "admin"}, {"UserIdentifier": "ada", "Level": "Admin"}]},
    ]);
    let platform_before = roster(&app, "platform").await;
    let legal_before = roster(&app, "legal").await;
    let item = sync_ok(&app, &requests, "false").await;
    assert_eq!(item["HasErrors"], true);
    let results = item["Results"].as_array().unwrap();
    let summary: Vec<(Value, Value, bool)> = results
        .iter()
        .map(|r| {
            (
                r["StatusCode"].clone(),
                r["Team"].clone(),
                r.get("SyncResult").is_some(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (json!("Success"), json!("productone"), true),
            (json!("UserSyncNotEnabled"), json!("legal"), false),
            (json!("TeamNotFound"), json!("main"), false),
            (json!("TeamNotFound"), json!("acme"), false),
            (json!("FailedToGetMembersFromSource"), Value::Null, true),
            (
                json!("FailedToGetMembersFromSource"),
                json!("platform"),
                true
            ),
            (json!("Success"), json!("PRODUCTONE"), true),
        ]
    );
    assert!(
        results[4].get("Team").is_none(),
        "no Team when the entry had none"
    );
    assert_eq!(results[4]["SyncResult"]["SiteName"], Value::Null);
    let bad_level = &results[5]["SyncResult"];
    assert_eq!(bad_level["SiteName"], "Platform Guild");
    assert!(
        bad_level["Log"]
            .as_str()
            .unwrap()
            .contains("unknown \"Level\" \"Owner\""),
        "{bad_level}"
    );
    // The last entry sees Nia, added by the first, and makes her an Admin.
    let last = changes(&results[6]["SyncResult"]["ActualChanges"]);
    assert_eq!(last, [("ChangeUserType".to_string(), 1037)]);
    assert_eq!(
        roles(&roster(&app, "productone").await),
        [(1001, "Admin".into()), (1037, "Admin".into())].into()
    );
    assert_eq!(
        roster(&app, "platform").await,
        platform_before,
        "a malformed entry changes nothing"
    );
    assert_eq!(roster(&app, "legal").await, legal_before);
}

#[tokio::test]
async fn identifiers_resolve_by_external_id_email_or_account_id_and_the_rest_is_logged() {
    let app = spawn_app().await;
    let requests = productone_plus(&[
        ("NEW.HIRE", "Member"),
        ("OTTO@EXAMPLE.COM", "Member"),
        ("1007", "Member"),
        ("cy", "Member"),
        ("nobody@example.com", "Admin"),
        ("new.hire", "Admin"),
    ]);
    let item = sync_ok(&app, &requests, "true").await;
    assert_eq!(
        item["HasErrors"], false,
        "unresolved identifiers are not an error"
    );
    let result = &item["Results"][0]["SyncResult"];
    let adds: Vec<(u64, bool)> = result["IntendedChanges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["Change"] == "AddToSite")
        .map(|c| {
            (
                c["AccountId"].as_u64().unwrap(),
                c["IsDeactivated"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        adds,
        [(1037, false), (1038, false), (1007, false), (1003, true)]
    );
    let log = result["Log"].as_str().unwrap();
    assert!(
        log.contains("Could not resolve 'nobody@example.com'"),
        "{log}"
    );
    assert!(
        log.contains("Duplicate: 'new.hire' is account 1037"),
        "{log}"
    );
}

#[tokio::test]
async fn an_empty_request_list_and_all_successful_teams_have_no_errors() {
    let app = spawn_app().await;
    let item = sync_ok(&app, &json!([]), "true").await;
    assert_eq!(item, json!({"HasErrors": false, "Results": []}));
    let item = sync_ok(&app, &json!([{"Team": "productone", "Members": members(&PRODUCTONE)}, {"Team": "platform", "Members": members(&[("ada", "Admin")])}]), "true").await;
    assert_eq!(item["HasErrors"], false);
}
