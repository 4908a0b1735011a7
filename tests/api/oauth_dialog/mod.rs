//! Swagger UI's Authorize over HTTP (issue 15 items 4 to 6): the OAuth2 scheme of the document,
//! the consent page, the redirect with the token in its fragment, the PAT it mints, and the
//! 400 pages of bad requests. The whole flow in a real browser: tests/browser/.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::helpers::*;

mod refusals;

const DIALOG: &str = "/oauth/dialog";

/// A client that does not follow redirects, so a test reads the `Location`.
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn redirect_uri(app: &TestApp) -> String {
    format!("{}/swagger-ui/oauth2-redirect.html", app.base)
}

/// The form Swagger UI's consent page posts.
fn consent(
    app: &TestApp,
    scope: &str,
    account: &str,
    site: &str,
    decision: &str,
) -> Vec<(String, String)> {
    [
        ("response_type", "token"),
        ("client_id", "swagger-ui"),
        ("redirect_uri", redirect_uri(app).as_str()),
        ("scope", scope),
        ("state", "st-42"),
        ("account", account),
        ("site", site),
        ("decision", decision),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Posts the consent form; returns the status and the `Location`'s fragment fields.
async fn post_consent(
    app: &TestApp,
    form: &[(String, String)],
    origin: Option<&str>,
) -> (u16, HashMap<String, String>, String) {
    let mut req = no_redirects()
        .post(format!("{}{DIALOG}", app.base))
        .form(form);
    if let Some(origin) = origin {
        req = req.header("origin", origin);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let fragment = location.split_once('#').map(|(_, f)| f).unwrap_or_default();
    let fields = url_decoded(fragment);
    (status, fields, location)
}

fn url_decoded(text: &str) -> HashMap<String, String> {
    form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

async fn dialog(app: &TestApp, query: &[(&str, &str)]) -> Resp {
    let query = serde_urlencoded::to_string(query).unwrap();
    app.get(&format!("{DIALOG}?{query}"))
        .unchecked()
        .send()
        .await
}

#[tokio::test]
async fn the_document_declares_swagger_uis_implicit_flow_beside_the_bearer_scheme() {
    let app = spawn_app().await;
    let doc = app.get("/openapi.json").unchecked().send().await.json();
    let scheme = &doc["components"]["securitySchemes"]["swaggerUi"];
    assert_eq!(scheme["type"], "oauth2");
    let implicit = &scheme["flows"]["implicit"];
    assert_eq!(implicit["authorizationUrl"], DIALOG);
    let scopes: Vec<&String> = implicit["scopes"].as_object().unwrap().keys().collect();
    assert_eq!(scopes, ["access_team", "write_access"]);
    let write = &doc["paths"]["/api/v3/teams/{team}/user-groups"]["post"]["security"];
    assert_eq!(
        write,
        &json!([{"bearer": []}, {"swaggerUi": ["write_access", "access_team"]}])
    );
    let init = app
        .get("/swagger-ui/swagger-initializer.js")
        .unchecked()
        .send()
        .await;
    assert!(
        init.text.contains("initOAuth") && init.text.contains("\"clientId\": \"swagger-ui\""),
        "{}",
        init.text
    );
}

#[tokio::test]
async fn the_consent_page_asks_who_signs_in_then_lists_that_accounts_sites_and_write_access() {
    let app = spawn_app().await;
    let uri = redirect_uri(&app);
    let base = [
        ("response_type", "token"),
        ("client_id", "swagger-ui"),
        ("redirect_uri", uri.as_str()),
        ("scope", "write_access access_team"),
        ("state", "abc"),
    ];
    let step1 = dialog(&app, &base).await;
    step1.expect(200);
    assert!(
        step1.text.contains("Ada Admin") && step1.text.contains("name=\"account\""),
        "{}",
        step1.text
    );
    assert!(
        !step1.text.contains("Cy Gone"),
        "a deactivated account cannot sign in"
    );
    assert!(
        step1
            .header("content-security-policy")
            .is_some_and(|c| c.contains("default-src 'none'"))
    );
    assert_eq!(step1.header("x-frame-options"), Some("DENY"));
    assert!(
        !step1.text.contains("<script"),
        "no script on the consent page"
    );

    let ada = dialog(&app, &[&base[..], &[("account", "1001")]].concat()).await;
    ada.expect(200);
    for site in ["productone", "platform", "legal", "main"] {
        assert!(
            ada.text.contains(&format!("value=\"{site}\"")),
            "{site}: {}",
            ada.text
        );
    }
    assert!(!ada.text.contains("value=\"acme\""), "Ada is not on acme");
    assert!(ada.text.contains("read and write"));
    let kai = dialog(&app, &[&base[..], &[("account", "1035")]].concat()).await;
    assert!(
        kai.text.contains("read only: Basic teams are read-only"),
        "{}",
        kai.text
    );
}

#[tokio::test]
async fn approving_redirects_to_swagger_ui_with_a_24_hour_pat_for_the_chosen_team() {
    let app = spawn_app().await;
    let clock = app.get("/__admin/clock").send().await.json();
    let now: chrono::DateTime<chrono::Utc> = clock["now"].as_str().unwrap().parse().unwrap();
    let form = consent(
        &app,
        "write_access access_team",
        "1001",
        "productone",
        "approve",
    );
    let (status, fragment, location) = post_consent(&app, &form, None).await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with(&format!("{}#", redirect_uri(&app))),
        "{location}"
    );
    assert_eq!(fragment["token_type"], "bearer");
    assert_eq!(fragment["expires_in"], "86400");
    assert_eq!(fragment["state"], "st-42");
    let token = fragment["access_token"].clone();

    let group = json!({"name": "Authorized in Swagger UI", "userIds": [1]});
    app.post("/api/v3/teams/productone/user-groups")
        .token(&token)
        .json(&group)
        .send()
        .await
        .expect(201);
    app.get("/api/v3/users/me")
        .token(&token)
        .send()
        .await
        .expect_unauthorized();

    let list = app.get("/__admin/tokens").send().await.json();
    let swagger: Vec<&Value> = list["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["description"] == "Created by Swagger UI")
        .collect();
    assert_eq!(swagger.len(), 1);
    let pat = swagger[0];
    assert_eq!(
        (
            &pat["kind"],
            &pat["scope"],
            &pat["write"],
            &pat["accountId"]
        ),
        (
            &json!("pat"),
            &json!("productone"),
            &json!(true),
            &json!(1001)
        )
    );
    let expires: chrono::DateTime<chrono::Utc> =
        pat["expiresAt"].as_str().unwrap().parse().unwrap();
    let lifetime = expires - now;
    assert!(
        lifetime >= chrono::Duration::hours(24)
            && lifetime < chrono::Duration::hours(24) + chrono::Duration::seconds(30),
        "{lifetime}"
    );
    assert!(
        !list.to_string().contains(&token),
        "the list never shows the code"
    );

    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 86400}))
        .send()
        .await
        .expect(200);
    app.get("/api/v3/teams/productone/users/me")
        .token(&token)
        .send()
        .await
        .expect_unauthorized();
}

#[tokio::test]
async fn authorizing_again_renews_the_window_with_a_new_code_and_one_list_entry() {
    let app = spawn_app().await;
    let form = consent(&app, "access_team", "1002", "productone", "approve");
    let (_, first, _) = post_consent(&app, &form, None).await;
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 20 * 3600}))
        .send()
        .await
        .expect(200);
    let (_, second, _) = post_consent(&app, &form, None).await;
    assert_ne!(
        first["access_token"], second["access_token"],
        "a code is shown once: renewing hands out a new one"
    );
    app.get("/api/v3/teams/productone/users/me")
        .token(&first["access_token"])
        .send()
        .await
        .expect_unauthorized();
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 20 * 3600}))
        .send()
        .await
        .expect(200);
    let me = app
        .get("/api/v3/teams/productone/users/me")
        .token(&second["access_token"])
        .send()
        .await;
    me.expect(200);
    let list = app.get("/__admin/tokens").send().await.json();
    let swagger = list["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["description"] == "Created by Swagger UI")
        .count();
    assert_eq!(swagger, 1);
    // Read-only without write_access.
    let group = json!({"name": "x", "userIds": []});
    app.post("/api/v3/teams/productone/user-groups")
        .token(&second["access_token"])
        .json(&group)
        .send()
        .await
        .expect_forbidden();
}

#[tokio::test]
async fn write_access_is_never_granted_on_a_basic_team() {
    let app = spawn_app().await;
    let form = consent(
        &app,
        "write_access access_team",
        "1035",
        "startup",
        "approve",
    );
    let (status, fragment, _) = post_consent(&app, &form, None).await;
    assert_eq!(status, 303);
    let list = app.get("/__admin/tokens").send().await.json();
    let pat = list["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["description"] == "Created by Swagger UI")
        .unwrap()
        .clone();
    assert_eq!(
        (&pat["scope"], &pat["write"]),
        (&json!("startup"), &json!(false))
    );
    app.get("/v3/teams/startup/users/me")
        .token(&fragment["access_token"])
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn denying_redirects_with_access_denied_and_mints_nothing() {
    let app = spawn_app().await;
    let before = app.get("/__admin/tokens").send().await.json()["tokens"]
        .as_array()
        .unwrap()
        .len();
    let form = consent(&app, "access_team", "1001", "productone", "deny");
    let (status, fragment, _) = post_consent(&app, &form, None).await;
    assert_eq!(status, 303);
    assert_eq!(
        (fragment["error"].as_str(), fragment["state"].as_str()),
        ("access_denied", "st-42")
    );
    assert!(!fragment.contains_key("access_token"));
    let after = app.get("/__admin/tokens").send().await.json()["tokens"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after);
}
