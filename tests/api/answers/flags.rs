//! `GET …/answers/{answerId}/flags/options` and `POST …/answers/{answerId}/flags`.

use super::*;

fn flags_url(answer: u64) -> String {
    format!("{}/flags", answer_url("/api/v3", Q, answer))
}

async fn options(app: &TestApp, token: &str, answer: u64) -> Value {
    app.get(&format!("{}/options", flags_url(answer)))
        .token(token)
        .send()
        .await
        .ok_json(200)
}

async fn flag(app: &TestApp, token: &str, answer: u64, body: Value) -> Resp {
    app.post(&flags_url(answer))
        .token(token)
        .json(&body)
        .send()
        .await
}

/// `isRetraction` of option `id` in an options body.
fn retraction(options: &Value, id: i64) -> bool {
    options
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["optionId"] == id)
        .unwrap_or_else(|| panic!("option {id}: {options}"))["isRetraction"]
        .as_bool()
        .unwrap()
}

#[tokio::test]
async fn an_answers_flag_options_are_the_answer_dialog() {
    let app = content_app().await;
    let all = options(&app, "bob-ro", A_PLAIN).await;
    let titles: Vec<&str> = texts(&all, "title");
    assert_eq!(
        titles,
        [
            "spam",
            "rude or abusive",
            "not an answer",
            "very low quality",
            "in need of moderator intervention"
        ]
    );
    let moderator = &all.as_array().unwrap()[4];
    assert_eq!(moderator["requiresComment"], true);
    assert_eq!(moderator["subOptions"], Value::Null);
    assert_eq!(
        moderator["dialogTitle"],
        "I am flagging to report this post as..."
    );
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|o| o["isRetraction"] == false)
    );
}

#[tokio::test]
async fn raising_a_flag_answers_200_without_body_and_marks_it_for_the_caller_only() {
    let app = content_app().await;
    let res = flag(&app, "bob-rw", A_PLAIN, json!({ "optionId": 1 })).await;
    res.expect(200);
    assert_eq!(res.text, "", "no body");
    assert!(
        retraction(&options(&app, "bob-rw", A_PLAIN).await, 1),
        "Bob raised spam"
    );
    assert!(!retraction(&options(&app, "bob-rw", A_PLAIN).await, 2));
    assert!(
        !retraction(&options(&app, "ada-rw", A_PLAIN).await, 1),
        "not Ada"
    );
    assert!(
        !retraction(&options(&app, "bob-rw", A_SME).await, 1),
        "not another answer"
    );
    flag(
        &app,
        "bob-rw",
        A_PLAIN,
        json!({ "optionId": 3, "comment": "Please look at this.", "relatedQuestionId": null, "targetSite": null }),
    )
    .await
    .expect(200);
    assert!(retraction(&options(&app, "bob-rw", A_PLAIN).await, 3));
}

#[tokio::test]
async fn a_flag_the_dialog_refuses_is_400_unable_to_add_flag_and_records_nothing() {
    let app = content_app().await;
    flag(&app, "bob-rw", A_PLAIN, json!({ "optionId": 2 }))
        .await
        .expect(200);
    for (body, why) in [
        (json!({ "optionId": 2 }), "raised before"),
        (json!({ "optionId": 11 }), "a question-only option"),
        (
            json!({ "optionId": 10 }),
            "a heading of the question dialog",
        ),
        (json!({ "optionId": 999 }), "no such option"),
        (json!({ "optionId": 3 }), "requires a comment"),
        (json!({ "optionId": 3, "comment": "  " }), "a blank comment"),
        (
            json!({ "optionId": 3, "comment": "x".repeat(2001) }),
            "a comment over 2000 characters",
        ),
    ] {
        let body = flag(&app, "bob-rw", A_PLAIN, body)
            .await
            .expect_problem(400, "/v3/errors/flag/unable-to-add");
        assert_eq!(body["title"], "Unable to add flag", "{why}");
        assert!(body["detail"].is_string(), "{why}: {body}");
    }
    let after = options(&app, "bob-rw", A_PLAIN).await;
    assert!(!retraction(&after, 3), "no moderator flag was recorded");
    for (body, field) in [
        (json!({}), "OptionId"),
        (json!({ "optionId": "spam" }), "$.optionId"),
        (json!({ "optionId": 1, "reason": "extra" }), "$.reason"),
    ] {
        flag(&app, "bob-rw", A_PLAIN, body)
            .await
            .expect_validation(field);
    }
}

#[tokio::test]
async fn flags_on_deleted_or_missing_answers_are_404_for_members_and_400_for_moderators() {
    let app = content_app().await;
    flag(&app, "bob-rw", A_DELETED, json!({ "optionId": 1 }))
        .await
        .expect_problem(404, "/v3/errors/answer/not-found");
    flag(&app, "bob-rw", 999, json!({ "optionId": 1 }))
        .await
        .expect(404);
    flag(&app, LIAM, A_DELETED, json!({ "optionId": 1 }))
        .await
        .expect_problem(400, "/v3/errors/flag/unable-to-add");
    // The 404 comes before the body is read.
    app.post(&flags_url(999))
        .token("bob-rw")
        .body("application/json", "{not json")
        .send()
        .await
        .expect(404);
}

#[tokio::test]
async fn one_may_flag_ones_own_answer() {
    // Mock choice: the real service's rule is not documented; flagging is not voting.
    let app = content_app().await;
    flag(
        &app,
        U7,
        A_PLAIN,
        json!({ "optionId": 3, "comment": "Please delete my answer." }),
    )
    .await
    .expect(200);
}
