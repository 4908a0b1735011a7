//! Two different values of one credential are an error (mock choice, issue 14 item 4): every
//! pair of places `access_token` and `key` can come from answers 400 `bad_parameter` naming
//! the credential and both places, each value masked; identical duplicates are accepted.

use super::*;

/// Where a test puts a credential.
#[derive(Debug, Clone, Copy)]
enum At {
    Header,
    Form,
    Query,
}

/// A dry run of `requestsJson=[]` with `access_token` and `key` where `sent` says (Ada's token
/// and the local key unless `sent` names them).
async fn call(app: &TestApp, sent: &[(At, &str, &str)]) -> Resp {
    let mut sent = sent.to_vec();
    for (name, value) in [("access_token", "ada-rw"), ("key", "local-key")] {
        if !sent.iter().any(|(_, n, _)| *n == name) {
            sent.push((At::Form, name, value));
        }
    }
    let query: Vec<String> = sent
        .iter()
        .filter(|(at, ..)| matches!(at, At::Query))
        .map(|(_, name, value)| format!("{name}={value}"))
        .collect();
    let mut form = vec![("requestsJson", "[]"), ("dryRun", "true")];
    form.extend(
        sent.iter()
            .filter(|(at, ..)| matches!(at, At::Form))
            .map(|(_, name, value)| (*name, *value)),
    );
    let mut req = app.post(&format!("{USERSYNC}?{}", query.join("&")));
    for (_, name, value) in sent.iter().filter(|(at, ..)| matches!(at, At::Header)) {
        let header = if *name == "key" {
            "X-API-Key"
        } else {
            "X-API-Access-Token"
        };
        req = req.header(header, value);
    }
    req.form(&form).send().await
}

fn place(at: At, name: &str) -> &'static str {
    match (at, name) {
        (At::Header, "key") => "the X-API-Key header",
        (At::Header, _) => "the X-API-Access-Token header",
        (At::Form, _) => "the form body",
        (At::Query, _) => "the query string",
    }
}

#[tokio::test]
async fn two_different_values_of_a_credential_in_any_two_places_are_a_bad_parameter() {
    use At::*;
    let app = spawn_app().await;
    let pairs = [
        (Header, Header),
        (Form, Header),
        (Query, Header),
        (Form, Query),
        (Form, Form),
        (Query, Query),
    ];
    let values = [
        ("access_token", "ada-rw", "bob-rw"),
        ("key", "local-key", "ci-key"),
    ];
    for (name, first, second) in values {
        for (a, b) in pairs {
            let res = call(&app, &[(a, name, first), (b, name, second)]).await;
            let what = format!("{name} in {a:?} and {b:?}");
            let message = expect_v2_error(&res, 400, "bad_parameter");
            assert_eq!(
                res.header("x-mock-reason"),
                Some("credentials-conflict"),
                "{what}"
            );
            assert!(
                message.starts_with(&format!("{name}: two different values")),
                "{what}: {message}"
            );
            assert!(
                message.contains(place(a, name)) && message.contains(place(b, name)),
                "{what}: both places are named: {message}"
            );
            assert!(
                !message.contains(first) && !message.contains(second),
                "{what}: no value in full: {message}"
            );
        }
    }
}

#[tokio::test]
async fn identical_duplicates_and_empty_values_are_no_conflict() {
    use At::*;
    let app = spawn_app().await;
    let cases: &[&[(At, &str, &str)]] = &[
        &[
            (Header, "access_token", "ada-rw"),
            (Form, "access_token", "ada-rw"),
        ],
        &[
            (Form, "access_token", "ada-rw"),
            (Form, "access_token", " ada-rw "),
        ],
        &[
            (Query, "access_token", "ada-rw"),
            (Header, "access_token", "ada-rw"),
        ],
        &[
            (Header, "access_token", "ada-rw"),
            (Header, "access_token", "ada-rw"),
        ],
        &[
            (Form, "access_token", ""),
            (Header, "access_token", "ada-rw"),
        ],
        &[(Header, "key", "local-key"), (Query, "key", "local-key")],
    ];
    for sent in cases {
        let res = call(&app, sent).await;
        assert_eq!(res.status, 200, "{sent:?}: {}", res.text);
        assert_eq!(res.header("x-mock-reason"), None, "{sent:?}");
    }
}

#[tokio::test]
async fn an_unreadable_body_comes_first_then_a_conflict_then_the_other_credential_checks() {
    let app = spawn_app().await;
    // The body first: it may hold the credentials.
    let res = app
        .post(&format!("{USERSYNC}?access_token=ada-rw&key=local-key"))
        .header("X-API-Access-Token", "bob-rw")
        .body("application/json", "[]")
        .send()
        .await;
    let message = expect_v2_error(&res, 400, "bad_parameter");
    assert!(message.starts_with("body:"), "{message}");
    // A conflict of the key before a missing token (401) or an unknown one (402).
    for token in [None, Some("nope")] {
        let mut form = vec![("requestsJson", "[]"), ("key", "local-key")];
        form.extend(token.map(|t| ("access_token", t)));
        let res = app
            .post(&format!("{USERSYNC}?key=ci-key"))
            .form(&form)
            .send()
            .await;
        let message = expect_v2_error(&res, 400, "bad_parameter");
        assert!(
            message.starts_with("key: two different values"),
            "{token:?}: {message}"
        );
    }
    // A token conflict is named before a key conflict.
    let res = call(
        &app,
        &[
            (At::Form, "access_token", "ada-rw"),
            (At::Query, "access_token", "bob-rw"),
            (At::Form, "key", "local-key"),
            (At::Query, "key", "ci-key"),
        ],
    )
    .await;
    let message = expect_v2_error(&res, 400, "bad_parameter");
    assert!(message.starts_with("access_token:"), "{message}");
}
