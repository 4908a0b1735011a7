//! The dashboard over HTTP (issue 15 items 1 and 5): the page for browsers under a strict CSP,
//! its embedded assets, polling that leaves no trace, the masked PAT list and the roster
//! changes of usersync calls. The page in a real browser: tests/browser/.

use serde_json::json;
use soteams_mock::ServerConfig;

use crate::helpers::*;

const HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";

#[tokio::test]
async fn the_dashboard_is_html_for_browsers_at_the_control_apis_root_under_a_strict_csp() {
    let app = spawn_app().await;
    let sb = app.sandbox().await;
    for prefix in ["", sb.as_str()] {
        let res = app
            .get(&format!("{prefix}/__admin/"))
            .header("accept", HTML)
            .unchecked()
            .send()
            .await;
        res.expect(200);
        assert_eq!(res.header("content-type"), Some("text/html; charset=utf-8"));
        let csp = res.header("content-security-policy").unwrap_or_default();
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(
                csp.contains(directive),
                "{prefix}: CSP {csp:?} lacks {directive}"
            );
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(res.text.contains("/dashboard/main.js"), "{}", res.text);
        assert!(
            !res.text.contains("<script>")
                && !res.text.contains("http://")
                && !res.text.contains("https://"),
            "no inline script, nothing from elsewhere: {}",
            res.text
        );
    }
}

#[tokio::test]
async fn other_clients_at_the_control_apis_root_get_the_control_apis_answer_not_the_page() {
    let app = spawn_app().await;
    // Sent on to the JSON index (reqwest follows the redirect).
    let res = app.get("/__admin/").unchecked().send().await;
    assert_ne!(res.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(res.json()["areas"].is_array(), "{}", res.text);
    // And a browser at the index is sent to the page.
    let res = app
        .get("/__admin")
        .header("accept", HTML)
        .unchecked()
        .send()
        .await;
    assert_eq!(res.header("content-type"), Some("text/html; charset=utf-8"));
}

#[tokio::test]
async fn the_page_needs_no_admin_token_and_its_reads_do() {
    let app = spawn_app_with_config(ServerConfig {
        admin_token: Some("s3cret".into()),
        ..Default::default()
    })
    .await;
    app.get("/__admin/")
        .header("accept", HTML)
        .unchecked()
        .send()
        .await
        .expect(200);
    app.get("/dashboard/main.js")
        .unchecked()
        .send()
        .await
        .expect(200);
    app.get("/__admin/tokens").send().await.expect(401);
    app.get("/__admin/tokens")
        .header("x-admin-token", "s3cret")
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn the_assets_are_embedded_and_belong_to_no_instance() {
    let app = spawn_app().await;
    for (file, kind) in [
        ("main.js", "text/javascript"),
        ("journal.js", "text/javascript"),
        ("dashboard.css", "text/css"),
    ] {
        let res = app
            .get(&format!("/dashboard/{file}"))
            .unchecked()
            .send()
            .await;
        res.expect(200);
        assert!(
            res.header("content-type")
                .is_some_and(|t| t.starts_with(kind)),
            "{file}: {:?}",
            res.header("content-type")
        );
        assert!(
            !res.text.contains("https://"),
            "{file} loads nothing from elsewhere"
        );
    }
    app.get("/dashboard/nope.js")
        .unchecked()
        .send()
        .await
        .expect(404);
    assert_eq!(app.journal_count("", "path=/dashboard/*").await, 0);
}

#[tokio::test]
async fn the_dashboards_polling_reads_are_neither_journaled_nor_counted_by_rules() {
    let app = spawn_app().await;
    let rule =
        json!({"match": {"api": "admin", "path": "/__admin/clock*"}, "action": {"status": 503}});
    app.fault("", rule).await;
    for _ in 0..3 {
        app.get("/__admin/clock")
            .header("x-mock-dashboard", "1")
            .send()
            .await
            .expect(200);
    }
    app.get("/__admin/state")
        .header("x-mock-dashboard", "1")
        .send()
        .await
        .expect(200);
    assert_eq!(
        app.journal_count("", "api=admin").await,
        1,
        "only the rule's creation is journaled"
    );
    let rules = app.get("/__admin/faults").send().await.json();
    assert_eq!(rules["rules"][0]["calls"], 0, "{rules}");
    // Its writes, and reads without the header, are seen like any other.
    let res = app
        .post("/__admin/clock/advance")
        .header("x-mock-dashboard", "1")
        .json(&json!({"seconds": 1}))
        .unchecked()
        .send()
        .await;
    res.expect(503);
    app.get("/__admin/clock")
        .unchecked()
        .send()
        .await
        .expect(503);
    let rules = app.get("/__admin/faults").send().await.json();
    assert_eq!(rules["rules"][0]["hits"], 2, "{rules}");
}

#[tokio::test]
async fn the_token_list_masks_every_code_and_tells_the_expired_ones() {
    let app = spawn_app().await;
    app.post("/__admin/tokens")
        .json(&json!({"accountId": 1002, "scope": "main", "token": "bob-main-secret", "description": "ci"}))
        .send()
        .await
        .expect(201);
    let list = app.get("/__admin/tokens").send().await.ok_json(200);
    let tokens = list["tokens"].as_array().unwrap();
    let state = app.get("/__admin/state").send().await.json();
    assert_eq!(tokens.len(), state["tokens"].as_array().unwrap().len());
    for t in tokens {
        let masked = t["masked"].as_str().unwrap();
        assert!(masked.ends_with('…') && masked.chars().count() <= 4, "{t}");
    }
    assert!(!list.to_string().contains("bob-main-secret"), "{list}");
    let mine = tokens.iter().find(|t| t["description"] == "ci").unwrap();
    assert_eq!(
        (
            &mine["owner"],
            &mine["kind"],
            &mine["scope"],
            &mine["write"]
        ),
        (
            &json!("Bob Member"),
            &json!("pat"),
            &json!("main"),
            &json!(false)
        )
    );
    let expired = tokens
        .iter()
        .find(|t| t["expiresAt"] == "2020-01-01T00:00:00Z")
        .unwrap();
    assert_eq!(expired["expired"], true);
}

#[tokio::test]
async fn usersync_runs_show_each_teams_status_code_and_the_roster_diff_of_a_real_run() {
    let app = spawn_app().await;
    let teams = json!([{"Team": "productone", "Members": [
        {"UserIdentifier": "ada", "Level": "Member"},
        {"UserIdentifier": "new.hire", "Level": "Member"}]},
        {"Team": "nosuchteam", "Members": []}]);
    app.post("/api/2.3/enterprise/usersync")
        .form_owned(&[
            ("access_token", "ada-rw".into()),
            ("key", "local-key".into()),
            ("dryRun", "false".into()),
            ("requestsJson", teams.to_string()),
        ])
        .send()
        .await
        .expect(200);
    let runs = app.get("/__admin/usersync-runs").send().await.ok_json(200);
    let run = &runs["runs"][0];
    assert_eq!(run["dryRun"], false);
    let productone = &run["teams"][0];
    assert_eq!(productone["statusCode"], "Success");
    let changes = productone["changes"].as_array().unwrap();
    let of = |kind: &str| changes.iter().filter(|c| c["change"] == kind).count();
    assert_eq!(
        of("ChangeUserType"),
        1,
        "Ada: Admin → Registered (Level Member): {changes:?}"
    );
    assert!(
        of("RemoveFromSite") >= 5,
        "the rest of the roster leaves: {changes:?}"
    );
    let ada = changes
        .iter()
        .find(|c| c["change"] == "ChangeUserType")
        .unwrap();
    assert_eq!(
        (&ada["name"], &ada["from"], &ada["to"]),
        (&json!("Ada Admin"), &json!("Admin"), &json!("Registered"))
    );
    assert_eq!(run["teams"][1]["statusCode"], "TeamNotFound");
    app.post("/__admin/reset").send().await.expect(204);
    let runs = app.get("/__admin/usersync-runs").send().await.ok_json(200);
    assert_eq!(runs["runs"], json!([]));
}
