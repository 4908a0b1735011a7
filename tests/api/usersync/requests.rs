//! Request-level behaviour: credentials, their precedence, parameters, encodings, the quota.

use serde_json::json;

use super::*;
use crate::helpers::spawn_app;

/// The form fields of one call.
type Fields<'a> = &'a [(&'a str, &'a str)];

fn one_team() -> String {
    json!([{"Team": "productone", "Members": members(&PRODUCTONE)}]).to_string()
}

#[tokio::test]
async fn each_credential_problem_gets_its_v2_error() {
    let app = spawn_app().await;
    let rj = one_team();
    let cases: &[(Fields, u64, &str)] = &[
        (
            &[("key", "local-key"), ("requestsJson", &rj)],
            401,
            "access_token_required",
        ),
        (
            &[
                ("access_token", ""),
                ("key", "local-key"),
                ("requestsJson", &rj),
            ],
            401,
            "access_token_required",
        ),
        (
            &[
                ("access_token", "nope"),
                ("key", "local-key"),
                ("requestsJson", &rj),
            ],
            402,
            "invalid_access_token",
        ),
        (
            &[
                ("access_token", "expired-pat"),
                ("key", "local-key"),
                ("requestsJson", &rj),
            ],
            402,
            "invalid_access_token",
        ),
        // A cloud team's PAT is not valid on the Enterprise main site.
        (
            &[
                ("access_token", "acme-admin-rw"),
                ("key", "local-key"),
                ("requestsJson", &rj),
            ],
            402,
            "invalid_access_token",
        ),
        (
            &[("access_token", "ada-rw"), ("requestsJson", &rj)],
            405,
            "key_required",
        ),
        (
            &[
                ("access_token", "ada-rw"),
                ("key", "stolen-key"),
                ("requestsJson", &rj),
            ],
            400,
            "bad_parameter",
        ),
        (
            &[
                ("access_token", "ada-ro"),
                ("key", "local-key"),
                ("requestsJson", &rj),
            ],
            403,
            "access_denied",
        ),
        (
            &[
                ("access_token", "bob-rw"),
                ("key", "local-key"),
                ("requestsJson", &rj),
            ],
            403,
            "access_denied",
        ),
        (
            &[
                ("access_token", "service-main"),
                ("key", "local-key"),
                ("requestsJson", &rj),
            ],
            403,
            "access_denied",
        ),
        (
            &[
                ("access_token", "cy-rw"),
                ("key", "local-key"),
                ("requestsJson", &rj),
            ],
            403,
            "access_denied",
        ),
        (
            &[
                ("access_token", "outsider-rw"),
                ("key", "local-key"),
                ("requestsJson", &rj),
            ],
            403,
            "access_denied",
        ),
    ];
    let before = roster(&app, "productone").await;
    for (fields, id, name) in cases {
        let message = expect_v2_error(&sync(&app, fields).await, *id, name);
        assert!(!message.is_empty(), "{fields:?}: an error_message");
    }
    let message = expect_v2_error(
        &sync(&app, &[("access_token", "ada-ro"), ("key", "local-key")]).await,
        403,
        "access_denied",
    );
    assert!(message.contains("read-only"), "{message}");
    let message = expect_v2_error(
        &sync(&app, &[("access_token", "ada-rw"), ("key", "x")]).await,
        400,
        "bad_parameter",
    );
    assert!(
        message.starts_with("key"),
        "the message names the parameter: {message}"
    );
    assert_eq!(
        roster(&app, "productone").await,
        before,
        "a refused call changes nothing"
    );
}

#[tokio::test]
async fn the_first_failing_check_answers_in_the_documented_order() {
    let app = spawn_app().await;
    // Each case fails two checks; the earlier one in the documented order answers.
    let cases: &[(Fields, u64)] = &[
        (&[("requestsJson", "not json")], 401),
        (&[("access_token", "nope")], 402),
        (
            &[("access_token", "expired-pat"), ("key", "stolen-key")],
            402,
        ),
        (&[("access_token", "ada-ro")], 405),
        (&[("access_token", "ada-ro"), ("key", "stolen-key")], 400),
        (
            &[
                ("access_token", "bob-rw"),
                ("key", "local-key"),
                ("requestsJson", "not json"),
            ],
            403,
        ),
        (
            &[
                ("access_token", "ada-rw"),
                ("key", "local-key"),
                ("requestsJson", "[]"),
                ("dryRun", "maybe"),
            ],
            400,
        ),
    ];
    for (fields, id) in cases {
        let body = sync(&app, fields).await.ok_json(400);
        assert_eq!(body["error_id"].as_u64(), Some(*id), "{fields:?}: {body}");
    }
}

#[tokio::test]
async fn credentials_also_come_from_the_query_string_and_the_headers() {
    let app = spawn_app().await;
    let rj = one_team();
    let by_query = app
        .post(&format!("{USERSYNC}?access_token=ada-rw&key=local-key"))
        .form(&[("requestsJson", rj.as_str()), ("dryRun", "true")]);
    assert_eq!(
        by_query.send().await.ok_json(200)["items"][0]["HasErrors"],
        false
    );
    let by_header = app
        .post(USERSYNC)
        .header("X-API-Access-Token", "ada-rw")
        .header("X-API-Key", "ci-key")
        .form(&[("requestsJson", rj.as_str()), ("dryRun", "True")]);
    let body = by_header.send().await.ok_json(200);
    assert_eq!(
        body["items"][0]["Results"][0]["StatusCode"],
        "SuccessfulDryRun"
    );
    assert_eq!(body["quota_remaining"], 9_999, "ci-key has its own quota");
    // Two different tokens are no longer settled by precedence (mock choice; the pairs of
    // places are in refusal_reasons.rs).
    let resp = app
        .post(USERSYNC)
        .header("X-API-Access-Token", "ada-rw")
        .form(&[("access_token", "nope"), ("key", "local-key")])
        .send()
        .await;
    let message = expect_v2_error(&resp, 400, "bad_parameter");
    assert!(message.starts_with("access_token"), "{message}");
}

#[tokio::test]
async fn a_multipart_form_works_like_a_urlencoded_one() {
    let app = spawn_app().await;
    let form = reqwest::multipart::Form::new()
        .text("access_token", "ada-rw")
        .text("key", "local-key")
        .text("requestsJson", one_team())
        .text("dryRun", "1");
    let res = app
        .client
        .post(format!("{}{USERSYNC}", app.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["items"][0]["Results"][0]["StatusCode"], "SuccessfulDryRun",
        "{body}"
    );
}

#[tokio::test]
async fn bad_requests_json_or_dry_run_is_a_bad_parameter_that_changes_nothing() {
    let app = spawn_app().await;
    let empty_team = json!([{"Team": "productone", "Members": []}]).to_string();
    let cases: &[(Fields, &str)] = &[
        (&[], "requestsJson"),
        (&[("requestsJson", "  ")], "requestsJson"),
        (&[("requestsJson", "[{\"Team\": ")], "requestsJson"),
        (
            &[(
                "requestsJson",
                "{\"Team\": \"productone\", \"Members\": []}",
            )],
            "requestsJson",
        ),
        (&[("requestsJson", "\"productone\"")], "requestsJson"),
        (
            &[("requestsJson", &empty_team), ("dryRun", "maybe")],
            "dryRun",
        ),
        (&[("requestsJson", &empty_team), ("dryRun", "")], "dryRun"),
        (
            &[("requestsJson", &empty_team), ("dryRun", "yes")],
            "dryRun",
        ),
    ];
    let before = roster(&app, "productone").await;
    for (extra, param) in cases {
        let mut fields = vec![("access_token", "ada-rw"), ("key", "local-key")];
        fields.extend_from_slice(extra);
        let message = expect_v2_error(&sync(&app, &fields).await, 400, "bad_parameter");
        assert!(
            message.starts_with(param),
            "{extra:?}: the message names {param}: {message}"
        );
    }
    assert_eq!(
        roster(&app, "productone").await,
        before,
        "no rejected call emptied the team"
    );
}

#[tokio::test]
async fn a_body_that_is_not_a_form_is_refused_with_a_clear_message() {
    let app = spawn_app().await;
    let resp = app
        .post(&format!("{USERSYNC}?access_token=ada-rw&key=local-key"))
        .body("application/json", one_team())
        .send()
        .await;
    let message = expect_v2_error(&resp, 400, "bad_parameter");
    assert!(
        message.contains("application/x-www-form-urlencoded"),
        "{message}"
    );
}

#[tokio::test]
async fn dry_run_accepts_any_case_and_one_or_zero_and_defaults_to_a_real_run() {
    let app = spawn_app().await;
    let rj = one_team();
    for (value, status) in [
        ("true", "SuccessfulDryRun"),
        ("TRUE", "SuccessfulDryRun"),
        ("1", "SuccessfulDryRun"),
        ("False", "Success"),
        ("0", "Success"),
    ] {
        let body = sync(
            &app,
            &[
                ("access_token", "ada-rw"),
                ("key", "local-key"),
                ("requestsJson", &rj),
                ("dryRun", value),
            ],
        )
        .await
        .ok_json(200);
        assert_eq!(
            body["items"][0]["Results"][0]["StatusCode"], status,
            "dryRun={value}"
        );
    }
    let bob_admin =
        json!([{"Team": "productone", "Members": members(&[("ada", "Admin"), ("bob", "Admin")])}])
            .to_string();
    let body = sync(
        &app,
        &[
            ("access_token", "ada-rw"),
            ("key", "local-key"),
            ("requestsJson", &bob_admin),
        ],
    )
    .await
    .ok_json(200);
    assert_eq!(
        body["items"][0]["Results"][0]["StatusCode"], "Success",
        "absent dryRun is a real run"
    );
    assert_eq!(
        roles(&roster(&app, "productone").await),
        [(1001, "Admin".to_string()), (1002, "Admin".to_string())].into()
    );
}

#[tokio::test]
async fn a_requests_json_percent_encoded_twice_is_decoded() {
    let app = spawn_app().await;
    let json = json!([{"Team": "productone", "Members": members(&[("ada", "Admin"), ("a+b@example.com", "Member")])}]).to_string();
    let encoded: String =
        percent_encoding::utf8_percent_encode(&json, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let body = sync(
        &app,
        &[
            ("access_token", "ada-rw"),
            ("key", "local-key"),
            ("requestsJson", &encoded),
            ("dryRun", "true"),
        ],
    )
    .await
    .ok_json(200);
    let result = &body["items"][0]["Results"][0];
    assert_eq!(result["StatusCode"], "SuccessfulDryRun", "{body}");
    let log = result["SyncResult"]["Log"].as_str().unwrap();
    assert!(
        log.contains("Could not resolve 'a+b@example.com'"),
        "the plus survives the decoding: {log}"
    );
}

#[tokio::test]
async fn other_methods_and_paths_are_refused_without_a_server_error() {
    let app = spawn_app().await;
    let get = app.get(USERSYNC).unchecked().send().await;
    get.expect(405);
    let other = app
        .post("/api/2.3/enterprise/nosuchmethod")
        .unchecked()
        .send()
        .await;
    other.expect(404);
}
