//! What the consent page refuses: bad authorization requests (a 400 page, never a redirect)
//! and a consent form posted from another origin (403).

use super::*;

#[tokio::test]
async fn bad_authorization_requests_get_a_400_page_that_says_what_is_wrong() {
    let app = spawn_app().await;
    let own = redirect_uri(&app);
    let port = app.base.rsplit(':').next().unwrap().to_string();
    let foreign = "https://attacker.example/swagger-ui/oauth2-redirect.html".to_string();
    let other_port = format!("http://127.0.0.1:1{port}/swagger-ui/oauth2-redirect.html");
    let other_path = format!("{}/elsewhere.html", app.base);
    // What is wrong, the changed query fields, what the page says.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: [Case; 8] = [
        (
            "unknown client id",
            vec![("client_id", "someone-else")],
            "is not a client of this server",
        ),
        (
            "no client id",
            vec![("client_id", "")],
            "client_id is missing",
        ),
        (
            "no redirect_uri",
            vec![("redirect_uri", "")],
            "redirect_uri is missing",
        ),
        (
            "another site",
            vec![("redirect_uri", &foreign)],
            "is not this server's Swagger UI",
        ),
        (
            "another port",
            vec![("redirect_uri", &other_port)],
            "is not this server's Swagger UI",
        ),
        (
            "another page",
            vec![("redirect_uri", &other_path)],
            "is not this server's Swagger UI",
        ),
        (
            "unknown scope",
            vec![("scope", "access_team admin")],
            "scope \"admin\" is unknown",
        ),
        (
            "no access_team",
            vec![("scope", "write_access")],
            "access_team is missing",
        ),
    ];
    for (what, changes, says) in cases {
        let mut query: Vec<(&str, &str)> = vec![
            ("response_type", "token"),
            ("client_id", "swagger-ui"),
            ("redirect_uri", own.as_str()),
            ("scope", "access_team"),
            ("state", "s"),
        ];
        for (k, v) in &changes {
            query.retain(|(name, _)| name != k);
            if !v.is_empty() {
                query.push((k, v));
            }
        }
        let res = dialog(&app, &query).await;
        assert_eq!(res.status, 400, "{what}: {}", res.text);
        assert!(res.header("location").is_none(), "{what}: never a redirect");
        assert!(
            res.text
                .contains(&says.replace('"', "&quot;").replace('\'', "&#39;")),
            "{what}: expected {says:?} in {}",
            res.text
        );
        // The form's POST checks the same.
        let form: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .chain([
                ("account".into(), "1001".into()),
                ("site".into(), "productone".into()),
                ("decision".into(), "approve".into()),
            ])
            .collect();
        let (status, fragment, _) = post_consent(&app, &form, None).await;
        assert_eq!(status, 400, "{what} (POST)");
        assert!(fragment.is_empty(), "{what}: no token");
    }
    let unknown_account = dialog(
        &app,
        &[
            ("response_type", "token"),
            ("client_id", "swagger-ui"),
            ("redirect_uri", &own),
            ("scope", "access_team"),
            ("account", "999"),
        ],
    )
    .await;
    assert_eq!(unknown_account.status, 400);
    let not_a_member = consent(&app, "access_team", "1002", "legal", "approve");
    assert_eq!(
        post_consent(&app, &not_a_member, None).await.0,
        400,
        "Bob is not on legal"
    );
}

#[tokio::test]
async fn the_consent_form_refuses_another_origin_and_takes_its_own() {
    let app = spawn_app().await;
    let form = consent(&app, "access_team", "1001", "productone", "approve");
    let (status, fragment, _) = post_consent(&app, &form, Some("https://attacker.example")).await;
    assert_eq!(status, 403);
    assert!(fragment.is_empty());
    let (status, fragment, _) = post_consent(&app, &form, Some(&app.base)).await;
    assert_eq!(status, 303);
    assert!(fragment.contains_key("access_token"));
}
