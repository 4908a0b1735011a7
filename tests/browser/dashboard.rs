//! The dashboard in Chromium: the default world, a usersync fault added in the page and seen
//! in the journal with its hit, a real run's roster diff, and the admin token prompt.

use serde_json::{Value, json};
use soteams_mock::{MockServer, ServerConfig};

use crate::harness::browser;

async fn usersync(base: &str, teams: Value, dry_run: bool) -> Value {
    let form = [
        ("access_token", "ada-rw".to_string()),
        ("key", "local-key".to_string()),
        ("dryRun", dry_run.to_string()),
        ("requestsJson", teams.to_string()),
    ];
    let res = reqwest::Client::new()
        .post(format!("{base}/api/2.3/enterprise/usersync"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn the_dashboard_shows_the_default_world_sites_rosters_groups_and_smes() {
    let Some(b) = browser().await else { return };
    let server = MockServer::start().await;
    b.goto(&format!("{}/__admin/", server.uri())).await;
    b.wait_text("#sites", &["Example Corp", "Product One", "Startup Inc"])
        .await;
    b.click("button.chip[data-site=productone]").await;
    b.wait_text("#site-detail h2", &["Product One"]).await;
    b.wait_text(
        "#users",
        &["Ada Admin", "Admin", "Bob Member", "Registered"],
    )
    .await;
    b.wait_text("#groups", &["Product Managers", "Mobile Squad"])
        .await;
    b.wait_text("#smes", &["roadmap", "Product Managers"]).await;
    b.screenshot("dashboard-world").await;
    // The search box filters the site and counts the hits of every site.
    b.fill("#world-search", "mobile").await;
    b.wait_text("#groups", &["Mobile Squad"]).await;
    let groups = b.wait_text("#site-detail", &["Groups (1)"]).await;
    assert!(!groups.contains("Product Managers\n"), "{groups}");
}

#[tokio::test]
async fn a_usersync_fault_added_in_the_page_answers_the_next_sync_and_counts_one_hit() {
    let Some(b) = browser().await else { return };
    let server = MockServer::start().await;
    b.goto(&format!("{}/__admin/#faults", server.uri())).await;
    b.select("#fault-template", "usersync").await;
    b.select("#fault-code", "OtherError").await;
    b.fill("#fault-team", "productone").await;
    b.fill("#fault-name", "productone fails").await;
    b.click("#fault-add").await;
    b.wait_text("#faults", &["f1", "productone fails", "OtherError"])
        .await;

    let teams =
        json!([{"Team": "productone", "Members": [{"UserIdentifier": "ada", "Level": "Admin"}]}]);
    let answer = usersync(&server.uri(), teams, true).await;
    assert_eq!(
        answer["items"][0]["Results"][0]["StatusCode"], "OtherError",
        "{answer}"
    );

    b.click("#tabs [data-view=journal]").await;
    b.wait_text(
        "#journal",
        &[
            "/api/2.3/enterprise/usersync",
            "productone: OtherError",
            "f1",
        ],
    )
    .await;
    b.click("#tabs [data-view=faults]").await;
    let hits = b.wait_text("#faults .hits", &["1"]).await;
    assert_eq!(hits, "1");
}

#[tokio::test]
async fn a_real_usersync_run_shows_its_roster_diff_in_the_journal() {
    let Some(b) = browser().await else { return };
    let server = MockServer::start().await;
    let teams = json!([{"Team": "productone", "Members": [
        {"UserIdentifier": "ada", "Level": "Admin"},
        {"UserIdentifier": "bob", "Level": "Moderator"},
        {"UserIdentifier": "new.hire", "Level": "Member"}]}]);
    usersync(&server.uri(), teams, false).await;
    b.goto(&format!("{}/__admin/#journal", server.uri())).await;
    b.select("#journal-api", "usersync").await;
    b.wait_text("#journal", &["productone: Success"]).await;
    b.click("#journal tr.entry").await;
    let diff = b
        .wait_text(
            ".diff",
            &[
                "Roster diff (applied)",
                "+ added",
                "− removed",
                "~ Bob Member: Registered → Moderator",
            ],
        )
        .await;
    assert!(
        diff.contains("as Registered"),
        "new.hire is added as Registered: {diff}"
    );
    b.wait_text(
        ".entry-detail",
        &["Usersync request (dryRun: false)", "new.hire (Member)"],
    )
    .await;
    b.screenshot("dashboard-journal").await;
}

#[tokio::test]
async fn with_an_admin_token_the_page_asks_for_it_once_and_works_once_given() {
    let Some(b) = browser().await else { return };
    let server = MockServer::start_with(ServerConfig {
        admin_token: Some("qa-s3cret".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    b.goto(&format!("{}/__admin/", server.uri())).await;
    b.wait_for("#token-form").await;
    b.fill("#admin-token", "wrong").await;
    b.click("#admin-token-save").await;
    b.wait_text("#token-error", &["refused"]).await;
    b.fill("#admin-token", "qa-s3cret").await;
    b.click("#admin-token-save").await;
    b.wait_text("#sites", &["Product One"]).await;
    // Kept for the tab: a reload does not ask again.
    b.client.refresh().await.unwrap();
    b.wait_text("#sites", &["Product One"]).await;
    let form = b
        .client
        .find(fantoccini::Locator::Css("#token-form"))
        .await
        .unwrap();
    assert!(!form.is_displayed().await.unwrap());
}
