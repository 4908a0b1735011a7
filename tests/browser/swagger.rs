//! Swagger UI's Authorize in Chromium, as the help article tells it: Authorize, leave the
//! Client ID, tick write_access and access_team, choose the team, Continue, Approve; then
//! "Try it out" with Swagger UI's own PAT, the PAT in the dashboard's list, and the 401 once
//! the mock clock has moved 24 hours.

use chrono::{DateTime, Duration, Utc};
use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};
use soteams_mock::MockServer;

use crate::harness::{Browser, browser};

const OPERATION: &str =
    "//div[contains(@class,'opblock-post')][.//*[@data-path='/api/v3/teams/{team}/user-groups']]";

async fn control(base: &str, path: &str, body: Option<Value>) -> Value {
    let client = reqwest::Client::new();
    let res = match body {
        Some(body) => {
            client
                .post(format!("{base}{path}"))
                .json(&body)
                .send()
                .await
        }
        None => client.get(format!("{base}{path}")).send().await,
    }
    .unwrap();
    res.json().await.unwrap()
}

async fn xpath_click(b: &Browser, xpath: &str) {
    let started = std::time::Instant::now();
    loop {
        if let Ok(el) = b.client.find(Locator::XPath(xpath)).await
            && el.click().await.is_ok()
        {
            return;
        }
        assert!(started.elapsed().as_secs() < 15, "{xpath} never clickable");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Clicks Execute and returns the live response's status, once it is not `before`.
async fn execute(b: &Browser, before: &str) -> String {
    xpath_click(
        b,
        &format!("{OPERATION}//button[contains(@class,'execute')]"),
    )
    .await;
    let status = format!(
        "{OPERATION}//table[contains(@class,'live-responses-table')]/tbody/tr/td[contains(@class,'response-col_status')]"
    );
    let started = std::time::Instant::now();
    loop {
        if let Ok(el) = b.client.find(Locator::XPath(&status)).await
            && let Ok(text) = el.text().await
            && !text.trim().is_empty()
            && !text.trim().starts_with(before)
        {
            return text.trim().chars().take(3).collect();
        }
        assert!(started.elapsed().as_secs() < 15, "no live response");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn swagger_ui_authorizes_with_its_own_24_hour_pat_as_on_the_real_service() {
    let Some(b) = browser().await else { return };
    let server = MockServer::start().await;
    let base = server.uri();
    b.goto(&format!("{base}/swagger-ui/")).await;
    b.click("button.btn.authorize").await;
    let oauth = "//div[contains(@class,'auth-container')][.//h4[contains(., 'swaggerUi')]]";
    // The Client ID is filled in; leave it.
    b.wait_for("#client_id_implicit").await;
    let client_id = b
        .client
        .find(Locator::XPath(&format!(
            "{oauth}//input[@id='client_id_implicit']"
        )))
        .await
        .unwrap();
    assert_eq!(
        client_id.prop("value").await.unwrap().as_deref(),
        Some("swagger-ui")
    );
    xpath_click(
        &b,
        &format!("{oauth}//label[@for='write_access-implicit-checkbox-swaggerUi']"),
    )
    .await;
    let main = b.client.window().await.unwrap();
    xpath_click(
        &b,
        &format!("{oauth}//button[contains(@class,'authorize')]"),
    )
    .await;

    // The consent page opens in a window of its own.
    let started = std::time::Instant::now();
    let popup = loop {
        let windows = b.client.windows().await.unwrap();
        if let Some(w) = windows.into_iter().find(|w| *w != main) {
            break w;
        }
        assert!(started.elapsed().as_secs() < 15, "no consent window");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    b.client.switch_to_window(popup).await.unwrap();
    b.select("#account", "1001").await;
    b.click("#continue").await;
    b.wait_text(
        "main",
        &["Signed in as Ada Admin", "write_access", "Product One"],
    )
    .await;
    b.click("input[name=site][value=productone]").await;
    let authorized_at: DateTime<Utc> = control(&base, "/__admin/clock", None).await["now"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    b.click("#approve").await;
    // The redirect page hands the token to Swagger UI and closes its window.
    let started = std::time::Instant::now();
    while b.client.windows().await.unwrap().len() > 1 {
        assert!(
            started.elapsed().as_secs() < 15,
            "the consent window stays open"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    b.client.switch_to_window(main.clone()).await.unwrap();
    b.wait_text(".modal-ux", &["Logout"]).await;
    b.click(".modal-ux button.btn-done").await;

    // Try it out: a group on productone with Swagger UI's PAT.
    xpath_click(
        &b,
        &format!("{OPERATION}//button[contains(@class,'opblock-summary-control')]"),
    )
    .await;
    xpath_click(
        &b,
        &format!("{OPERATION}//button[contains(@class,'try-out__btn')]"),
    )
    .await;
    let team = b
        .client
        .find(Locator::XPath(&format!(
            "{OPERATION}//tr[@data-param-name='team']//input"
        )))
        .await
        .unwrap();
    team.send_keys("productone").await.unwrap();
    let body = b
        .client
        .find(Locator::XPath(&format!(
            "{OPERATION}//textarea[contains(@class,'body-param__text')]"
        )))
        .await
        .unwrap();
    let select_all = format!("{}a{}", char::from(Key::Control), char::from(Key::Null));
    body.send_keys(&select_all).await.unwrap();
    body.send_keys(&format!(
        "{}{}",
        char::from(Key::Delete),
        r#"{"name": "Made in Swagger UI", "userIds": [1]}"#
    ))
    .await
    .unwrap();
    assert_eq!(execute(&b, "none").await, "201");
    let curl = b
        .wait_text("pre.curl", &["Authorization: Bearer swagger-"])
        .await;
    assert!(
        curl.contains("/api/v3/teams/productone/user-groups"),
        "{curl}"
    );

    // The PAT list: "Created by Swagger UI", expiring 24 hours after the authorization.
    let list = control(&base, "/__admin/tokens", None).await;
    let pat = list["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["description"] == "Created by Swagger UI")
        .unwrap()
        .clone();
    assert_eq!(
        (&pat["scope"], &pat["write"]),
        (&json!("productone"), &json!(true))
    );
    let expires: DateTime<Utc> = pat["expiresAt"].as_str().unwrap().parse().unwrap();
    assert!(
        (expires - authorized_at - Duration::hours(24))
            .num_seconds()
            .abs()
            < 30,
        "{expires} vs {authorized_at}"
    );
    b.client.new_window(true).await.unwrap();
    let tab = b
        .client
        .windows()
        .await
        .unwrap()
        .into_iter()
        .find(|w| *w != main)
        .unwrap();
    b.client.switch_to_window(tab.clone()).await.unwrap();
    b.goto(&format!("{base}/__admin/#tokens")).await;
    let shown = expires.format("%Y-%m-%d %H:%M").to_string();
    let row = b
        .wait_text("#tokens", &["Created by Swagger UI", "productone", &shown])
        .await;
    assert!(
        !row.contains(&curl[curl.find("swagger-").unwrap()..][..20]),
        "the list masks the code"
    );
    b.screenshot("dashboard-tokens").await;

    // 24 hours later on the mock clock, the same call answers 401.
    control(
        &base,
        "/__admin/clock/advance",
        Some(json!({"seconds": 86400})),
    )
    .await;
    b.wait_text("#tokens", &["expired"]).await;
    b.client.close_window().await.unwrap();
    b.client.switch_to_window(main.clone()).await.unwrap();
    assert_eq!(execute(&b, "201").await, "401");
}
