//! `POST …/answers`, `PUT` and `DELETE …/answers/{answerId}`: who may, what they refuse, and
//! that a refused write changes nothing.

use super::*;

async fn post_answer(app: &TestApp, prefix: &str, q: u64, token: &str, body: Value) -> Resp {
    app.post(&answers_url(prefix, q))
        .token(token)
        .json(&body)
        .send()
        .await
}

#[tokio::test]
async fn answering_answers_201_under_every_shape_and_the_answer_is_readable_at_once() {
    let app = content_app().await;
    for p in &PLACES {
        let before = app
            .get(&answers_url(p.prefix, p.question))
            .token(p.token)
            .send()
            .await
            .ok_json(200)["totalCount"]
            .as_i64()
            .unwrap();
        let created = post_answer(
            &app,
            p.prefix,
            p.question,
            p.token,
            json!({ "body": "Use `Rc`." }),
        )
        .await
        .ok_json(201);
        assert_eq!(created["bodyMarkdown"], "Use `Rc`.", "{}", p.prefix);
        assert_eq!(created["body"], "<p>Use <code>Rc</code>.</p>\n");
        assert_eq!(created["questionId"], p.question);
        assert_eq!(created["score"], 0);
        assert_eq!(created["isAccepted"], false);
        assert_eq!(created["commentCount"], 0);
        let id = created["id"].as_u64().unwrap();
        let read = app
            .get(&answer_url(p.prefix, p.question, id))
            .token(p.token)
            .send()
            .await
            .ok_json(200);
        assert_eq!(read, created, "{}", p.prefix);
        let after = app
            .get(&answers_url(p.prefix, p.question))
            .token(p.token)
            .send()
            .await
            .ok_json(200);
        assert_eq!(
            after["totalCount"].as_i64().unwrap(),
            before + 1,
            "{}",
            p.prefix
        );
    }
}

#[tokio::test]
async fn a_new_answer_gets_the_next_post_id_and_the_mock_clock() {
    let app = content_app().await;
    app.put("/__admin/clock")
        .json(&json!({ "now": "2026-05-01T09:30:00Z" }))
        .send()
        .await
        .expect(200);
    let created = post_answer(&app, "/api/v3", Q, "bob-rw", json!({ "body": "Mine." }))
        .await
        .ok_json(201);
    assert!(
        created["id"].as_u64().unwrap() > A_OTHER,
        "one post id space: {created}"
    );
    assert_eq!(created["creationDate"], "2026-05-01T09:30:00Z");
    assert_eq!(created["owner"]["id"], 2);
    assert_eq!(created["isSubjectMatterExpert"], false);
}

#[tokio::test]
async fn a_bad_answer_body_is_400_and_adds_nothing() {
    let app = content_app().await;
    let too_long = "x".repeat(30_001);
    for (body, field) in [
        (json!({}), "Body"),
        (json!({ "body": null }), "Body"),
        (json!({ "body": "   " }), "Body"),
        (json!({ "body": 5 }), "$.body"),
        (json!({ "body": "ok", "title": "no such field" }), "$.title"),
        (json!(["body"]), "$"),
        (json!({ "body": too_long }), "body"),
    ] {
        post_answer(&app, "/api/v3", Q, "bob-rw", body.clone())
            .await
            .expect_validation(field);
    }
    // 30,000 characters is the limit, and fits.
    post_answer(
        &app,
        "/api/v3",
        Q,
        "bob-rw",
        json!({ "body": "é".repeat(30_000) }),
    )
    .await
    .expect(201);
    assert_eq!(listed(&app, Q).await["totalCount"], 5);
}

#[tokio::test]
async fn closed_and_deleted_questions_refuse_answers() {
    let app = content_app().await;
    post_answer(
        &app,
        "/api/v3",
        Q_CLOSED,
        "bob-rw",
        json!({ "body": "Late." }),
    )
    .await
    .expect_problem(400, "/v3/errors/post/not-writable");
    post_answer(
        &app,
        "/api/v3",
        Q_DELETED,
        "bob-rw",
        json!({ "body": "Late." }),
    )
    .await
    .expect_problem(404, "/v3/errors/question/not-found");
    post_answer(
        &app,
        "/api/v3",
        Q_DELETED,
        "ada-rw",
        json!({ "body": "Late." }),
    )
    .await
    .expect_problem(400, "/v3/errors/post/not-writable");
    post_answer(&app, "/api/v3", 999, "bob-rw", json!({ "body": "Late." }))
        .await
        .expect(404);
    let closed = app
        .get(&answers_url("/api/v3", Q_CLOSED))
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(closed["totalCount"], 0);
}

#[tokio::test]
async fn read_only_tokens_and_basic_teams_cannot_write_answers() {
    let app = content_app().await;
    let body = json!({ "body": "Nope." });
    for (prefix, q, a, token, reason) in [
        ("/api/v3", Q, A_PLAIN, "bob-ro", "token-read-only"),
        (
            "/v3/teams/startup",
            4001,
            4002,
            "startup-rw",
            "basic-team-read-only",
        ),
    ] {
        let base = answers_url(prefix, q);
        let one = answer_url(prefix, q, a);
        for (method, path, with_body) in [
            ("POST", base.clone(), true),
            ("PUT", one.clone(), true),
            ("DELETE", one.clone(), false),
            ("POST", format!("{one}/accept"), false),
            ("DELETE", format!("{one}/accept"), false),
            ("POST", format!("{one}/upvote"), false),
            ("DELETE", format!("{one}/upvote"), false),
            ("POST", format!("{one}/downvote"), false),
            ("DELETE", format!("{one}/downvote"), false),
            ("POST", format!("{one}/flags"), true),
        ] {
            let mut call = app.call(method.parse().unwrap(), &path).token(token);
            if with_body {
                call = call.json(&body);
            }
            let res = call.send().await;
            res.expect_forbidden();
            assert_eq!(res.header("x-mock-reason"), Some(reason), "{method} {path}");
        }
        // Reads still work.
        app.get(&one).token(token).send().await.expect(200);
    }
    assert_eq!(listed(&app, Q).await["totalCount"], 4);
}

#[tokio::test]
async fn the_owner_a_moderator_and_an_admin_edit_an_answer_others_get_403() {
    let app = content_app().await;
    let url = answer_url("/api/v3", Q, A_PLAIN);
    let before = get_answer(&app, "ada-rw", A_PLAIN).await;
    let refused = app
        .put(&url)
        .token("bob-rw")
        .json(&json!({ "body": "Hijacked." }))
        .send()
        .await;
    refused.expect(403);
    assert_eq!(refused.header("x-mock-reason"), Some("not-post-owner"));
    assert_eq!(
        get_answer(&app, "ada-rw", A_PLAIN).await,
        before,
        "nothing changed"
    );
    app.put("/__admin/clock")
        .json(&json!({ "now": "2026-06-01T00:00:00Z" }))
        .send()
        .await
        .expect(200);
    for (token, editor) in [(U7, 7), (LIAM, 5), ("ada-rw", 1)] {
        let text = format!("Edited by {editor}.");
        let edited = app
            .put(&url)
            .token(token)
            .json(&json!({ "body": text }))
            .send()
            .await
            .ok_json(200);
        assert_eq!(edited["bodyMarkdown"], text);
        assert_eq!(edited["lastEditor"]["id"], editor, "{token}");
        assert_eq!(edited["lastActivityUser"]["id"], editor);
        assert_eq!(edited["owner"]["id"], 7, "the owner stays");
        assert_eq!(edited["lastEditDate"], "2026-06-01T00:00:00Z");
        assert_eq!(edited["lastActivityDate"], "2026-06-01T00:00:00Z");
        assert_eq!(
            get_answer(&app, "bob-ro", A_PLAIN).await["bodyMarkdown"],
            text
        );
    }
    app.put(&answer_url("/api/v3", Q_OTHER, A_PLAIN))
        .token("ada-rw")
        .json(&json!({ "body": "x" }))
        .send()
        .await
        .expect_problem(404, "/v3/errors/answer/not-found");
    app.put(&answer_url("/api/v3", Q, A_PLAIN))
        .token(U7)
        .json(&json!({ "body": "" }))
        .send()
        .await
        .expect_validation("Body");
}

#[tokio::test]
async fn deleting_an_answer_is_soft_and_only_moderators_still_read_it() {
    let app = content_app().await;
    let url = answer_url("/api/v3", Q, A_PLAIN);
    let refused = app.delete(&url).token("bob-rw").send().await;
    refused.expect(403);
    assert_eq!(refused.header("x-mock-reason"), Some("not-post-owner"));
    assert_eq!(
        listed(&app, Q).await["totalCount"],
        4,
        "a refused delete changes nothing"
    );
    app.delete(&url).token(U7).send().await.expect(204);
    app.get(&url)
        .token("bob-rw")
        .send()
        .await
        .expect_problem(404, "/v3/errors/answer/not-found");
    assert_eq!(get_answer(&app, LIAM, A_PLAIN).await["isDeleted"], true);
    assert!(!ids(&listed(&app, Q).await).contains(&A_PLAIN));
    assert_eq!(listed(&app, Q).await["totalCount"], 3);
    // Deleted: the owner no longer finds it; a moderator reads it but cannot delete it again.
    app.delete(&url).token(U7).send().await.expect(404);
    app.delete(&url)
        .token(LIAM)
        .send()
        .await
        .expect_problem(400, "/v3/errors/post/not-writable");
    app.put(&url)
        .token(LIAM)
        .json(&json!({ "body": "Revive?" }))
        .send()
        .await
        .expect_problem(400, "/v3/errors/post/not-writable");
    // A moderator deletes someone else's answer.
    app.delete(&answer_url("/api/v3", Q, A_SME))
        .token(LIAM)
        .send()
        .await
        .expect(204);
    assert_eq!(listed(&app, Q).await["totalCount"], 2);
}

#[tokio::test]
async fn answer_writes_work_in_a_sandbox_and_leave_the_root_alone() {
    let app = content_app().await;
    let sandbox = app.sandbox().await;
    let created = post_answer(
        &app,
        &format!("{sandbox}/api/v3"),
        Q,
        "bob-rw",
        json!({ "body": "Boxed." }),
    )
    .await
    .ok_json(201);
    let id = created["id"].as_u64().unwrap();
    app.get(&format!("{sandbox}{}", answer_url("/api/v3", Q, id)))
        .token("bob-rw")
        .send()
        .await
        .expect(200);
    app.get(&answer_url("/api/v3", Q, id))
        .token("bob-rw")
        .send()
        .await
        .expect(404);
    assert_eq!(listed(&app, Q).await["totalCount"], 4);
}

#[tokio::test]
async fn an_injected_fault_answers_for_an_answer_route_and_changes_nothing() {
    let app = content_app().await;
    let res = post_answer(&app, "/api/v3", Q, "bob-rw", json!({ "body": "Faulty." })).await;
    res.expect(201);
    let res = app
        .post(&answers_url("/api/v3", Q))
        .token("bob-rw")
        .header("x-mock-fault", "status=503")
        .json(&json!({ "body": "Faulty." }))
        .unchecked()
        .send()
        .await;
    res.expect(503);
    assert_eq!(
        listed(&app, Q).await["totalCount"],
        5,
        "only the first was added"
    );
}
