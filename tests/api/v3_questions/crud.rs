//! Asking, reading, replacing and deleting a question, with every refusal and what it must not
//! change.

use serde_json::{Value, json};

use super::*;

#[tokio::test]
async fn an_asked_question_answers_201_and_reads_back_the_same_under_every_shape() {
    let app = app().await;
    for place in &PLACES {
        let asked = ask(
            &app,
            place,
            place.member,
            &question(
                "How do I undo a commit?",
                "I ran *git commit*.",
                &["Git", "git"],
            ),
        )
        .await;
        let id = asked["id"].as_u64().unwrap();
        assert_eq!(
            asked["title"], "How do I undo a commit?",
            "{}",
            place.prefix
        );
        assert_eq!(asked["bodyMarkdown"], "I ran *git commit*.");
        assert_eq!(asked["body"], "<p>I ran <em>git commit</em>.</p>\n");
        assert_eq!(texts(&asked["tags"], "name"), ["git"], "names collapse");
        assert_eq!(asked["owner"]["id"], place.member_id);
        assert_eq!(asked["lastEditor"], Value::Null);
        assert_eq!(asked["bounty"], Value::Null);
        assert_eq!(asked["communities"], json!([]));
        assert_eq!(
            (asked["score"].clone(), asked["answerCount"].clone()),
            (json!(0), json!(0))
        );
        assert_eq!(asked["isAnswered"], false);
        assert_eq!(asked["isDeleted"], false);
        assert_eq!(asked["userIsFollowing"], true, "the asker follows");
        assert_eq!(asked["creationDate"], asked["lastActivityDate"]);
        let web = asked["webUrl"].as_str().unwrap();
        assert!(web.ends_with(&format!("/questions/{id}")), "{web}");
        assert!(
            asked["shareUrl"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/q/{id}"))
        );

        let read = read_question(&app, place, place.member, id)
            .await
            .ok_json(200);
        assert_eq!(read, asked, "{}", place.prefix);
        let as_admin = read_question(&app, place, place.admin, id)
            .await
            .ok_json(200);
        assert_eq!(as_admin["userIsFollowing"], false, "caller-relative");
        let list = app
            .get(&place.url("/questions"))
            .token(place.admin)
            .send()
            .await
            .ok_json(200);
        assert!(ids(&list).contains(&id), "{list}");
    }
}

#[tokio::test]
async fn a_new_tag_is_created_on_first_use_and_post_counts_follow_create_retag_and_delete() {
    let app = app().await;
    let place = &PLACES[0];
    let rust_before = post_count(&app, place, "rust").await.unwrap();
    assert_eq!(post_count(&app, place, "brand-new").await, None);
    let id = ask_tagged(&app, place, place.member, &["rust", "Brand-New"]).await;
    assert_eq!(post_count(&app, place, "rust").await, Some(rust_before + 1));
    assert_eq!(
        post_count(&app, place, "brand-new").await,
        Some(1),
        "listed in GET /tags"
    );

    let retag = question("How?", "Like this.", &["brand-new", "python"]);
    let python_before = post_count(&app, place, "python").await.unwrap();
    app.put(&place.url(&format!("/questions/{id}")))
        .token(place.member)
        .json(&retag)
        .send()
        .await
        .expect(200);
    assert_eq!(post_count(&app, place, "rust").await, Some(rust_before));
    assert_eq!(
        post_count(&app, place, "python").await,
        Some(python_before + 1)
    );

    app.delete(&place.url(&format!("/questions/{id}")))
        .token(place.member)
        .send()
        .await
        .expect(204);
    assert_eq!(post_count(&app, place, "python").await, Some(python_before));
    assert_eq!(
        post_count(&app, place, "brand-new").await,
        Some(0),
        "the tag stays"
    );
}

/// Every question the site can show: the list (admin's view) and each question in it.
async fn questions_state(app: &TestApp, place: &Place) -> Value {
    let list = app
        .get(&place.url("/questions?pageSize=100"))
        .token(place.admin)
        .send()
        .await
        .ok_json(200);
    let tags = app
        .get(&place.url("/tags?pageSize=100&sort=name"))
        .token(place.admin)
        .send()
        .await
        .ok_json(200);
    json!({"questions": list["items"], "tags": tags["items"]})
}

#[tokio::test]
async fn a_question_the_rules_refuse_is_a_400_naming_the_field_and_changes_nothing() {
    let app = app().await;
    let long = |n: usize| "x".repeat(n);
    for place in &PLACES {
        ask_tagged(&app, place, place.member, &["rust"]).await;
        let before = questions_state(&app, place).await;
        let cases: Vec<(Value, &str)> = vec![
            (json!({"body": "b", "tags": ["rust"]}), "title"),
            (json!({"title": "t", "tags": ["rust"]}), "body"),
            (json!({"title": "t", "body": "b"}), "tags"),
            (
                json!({"title": null, "body": "b", "tags": ["rust"]}),
                "title",
            ),
            (question("  ", "b", &["rust"]), "title"),
            (question("t", "", &["rust"]), "body"),
            (question("t", "b", &[]), "tags"),
            (question(&long(151), "b", &["rust"]), "title"),
            (question("t", &long(30_001), &["rust"]), "body"),
            (question("t", "b", &["a", "b", "c", "d", "e", "f"]), "tags"),
            (question("t", "b", &[long(36).as_str()]), "tags"),
            (question("t", "b", &["no spaces"]), "tags"),
            (
                json!({"title": 5, "body": "b", "tags": ["rust"]}),
                "$.title",
            ),
        ];
        for (body, field) in cases {
            app.post(&place.url("/questions"))
                .token(place.member)
                .json(&body)
                .send()
                .await
                .expect_validation(field);
        }
        let unknown = json!({"title": "t", "body": "b", "tags": ["rust"], "extra": 1});
        app.post(&place.url("/questions"))
            .token(place.member)
            .json(&unknown)
            .send()
            .await
            .expect(400);
        app.post(&place.url("/questions"))
            .token(place.member)
            .body("text/plain", "title=t")
            .send()
            .await
            .expect(415);
        assert_eq!(
            questions_state(&app, place).await,
            before,
            "{}",
            place.prefix
        );
    }
}

#[tokio::test]
async fn every_missing_field_is_named_at_once() {
    let app = app().await;
    let res = app
        .post("/api/v3/questions")
        .token("ada-rw")
        .json(&json!({}))
        .send()
        .await;
    let body = res.expect_validation("title");
    assert_eq!(body["errors"]["body"][0], "The body field is required.");
    assert_eq!(body["errors"]["tags"][0], "The tags field is required.");
}

#[tokio::test]
async fn the_longest_title_and_body_and_five_tags_are_accepted() {
    let app = app().await;
    let place = &PLACES[0];
    let q = question(
        &"t".repeat(150),
        &"é".repeat(30_000),
        &["a1", "a2", "a3", "a4", &"n".repeat(35)],
    );
    let asked = ask(&app, place, place.member, &q).await;
    assert_eq!(asked["tags"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn the_owner_replaces_a_question_and_the_editor_and_activity_follow() {
    let app = app().await;
    for place in &PLACES {
        let asked = ask(
            &app,
            place,
            place.member,
            &question("Old", "old", &["rust"]),
        )
        .await;
        let id = asked["id"].as_u64().unwrap();
        app.post("/__admin/clock/advance")
            .json(&json!({"seconds": 3600}))
            .send()
            .await
            .expect(200);
        let body = question("New title", "New [link](https://example.com)", &["python"]);
        let edited = app
            .put(&place.url(&format!("/questions/{id}")))
            .token(place.member)
            .json(&body)
            .send()
            .await
            .ok_json(200);
        assert_eq!(edited["title"], "New title");
        assert_eq!(texts(&edited["tags"], "name"), ["python"]);
        assert_eq!(edited["lastEditor"]["id"], place.member_id);
        assert_eq!(edited["creationDate"], asked["creationDate"]);
        assert_ne!(edited["lastActivityDate"], asked["lastActivityDate"]);
        assert_eq!(
            read_question(&app, place, place.member, id)
                .await
                .ok_json(200),
            edited
        );
    }
}

#[tokio::test]
async fn a_member_may_not_replace_or_delete_anothers_question_but_a_moderator_may() {
    let app = app().await;
    let place = &PLACES[0];
    let id = ask_tagged(&app, place, "ada-rw", &["rust"]).await;
    let before = read_question(&app, place, "ada-rw", id).await.ok_json(200);
    let edit = question("Mine now", "b", &["rust"]);
    let url = place.url(&format!("/questions/{id}"));
    let refused = app.put(&url).token("bob-rw").json(&edit).send().await;
    refused.expect_problem(403, "/v3/errors/forbidden");
    assert_eq!(refused.header("x-mock-reason"), Some("not-post-owner"));
    // The 403 wins over a bad body: the caller's right is checked first.
    app.put(&url)
        .token("bob-rw")
        .json(&json!({}))
        .send()
        .await
        .expect(403);
    let refused = app.delete(&url).token("bob-rw").send().await;
    assert_eq!(refused.header("x-mock-reason"), Some("not-post-owner"));
    refused.expect(403);
    assert_eq!(
        read_question(&app, place, "ada-rw", id).await.ok_json(200),
        before
    );

    let edited = app
        .put(&url)
        .token(MODERATOR)
        .json(&edit)
        .send()
        .await
        .ok_json(200);
    assert_eq!(edited["lastEditor"]["id"], 5, "Liam");
    assert_eq!(edited["owner"]["id"], 1, "the owner stays");
    app.delete(&url).token(MODERATOR).send().await.expect(204);
}

#[tokio::test]
async fn an_unknown_question_is_a_404_for_every_route_and_a_bad_id_a_400() {
    let app = app().await;
    for place in &PLACES {
        let edit = question("t", "b", &["rust"]);
        let url = place.url("/questions/999999");
        app.get(&url)
            .token(place.admin)
            .send()
            .await
            .expect_problem(404, "/v3/errors/question/not-found");
        app.put(&url)
            .token(place.admin)
            .json(&edit)
            .send()
            .await
            .expect(404);
        app.delete(&url).token(place.admin).send().await.expect(404);
        for bad in ["abc", "0", "-1", "2147483648"] {
            app.get(&place.url(&format!("/questions/{bad}")))
                .token(place.admin)
                .send()
                .await
                .expect_validation("questionId");
        }
    }
}

#[tokio::test]
async fn deletion_is_soft_admins_and_moderators_still_read_it_and_lists_leave_it_out() {
    let app = app().await;
    let mut deleted = Vec::new();
    for place in &PLACES {
        let id = ask_tagged(&app, place, place.member, &["rust"]).await;
        deleted.push(id);
        let url = place.url(&format!("/questions/{id}"));
        app.delete(&url)
            .token(place.member)
            .send()
            .await
            .expect(204);
        read_question(&app, place, place.member, id)
            .await
            .expect_problem(404, "/v3/errors/question/not-found");
        let seen = read_question(&app, place, place.admin, id)
            .await
            .ok_json(200);
        assert_eq!(seen["isDeleted"], true, "{}", place.prefix);
        let list = app
            .get(&place.url(&format!("/questions?questionId={id}")))
            .token(place.admin)
            .send()
            .await
            .ok_json(200);
        assert_eq!(list["totalCount"], 0, "lists leave it out, for admins too");
        // Writing on it: 404 for the member, 400 for the admin who still reads it.
        app.delete(&url)
            .token(place.member)
            .send()
            .await
            .expect(404);
        app.delete(&url)
            .token(place.admin)
            .send()
            .await
            .expect_problem(400, "/v3/errors/post/not-writable");
    }
    let seen = read_question(&app, &PLACES[0], MODERATOR, deleted[0])
        .await
        .ok_json(200);
    assert_eq!(seen["isDeleted"], true, "a moderator reads it too");
}

#[tokio::test]
async fn read_only_tokens_and_basic_teams_cannot_write_and_nothing_changes() {
    let app = app().await;
    let body = question("t", "b", &["rust"]);
    for place in &PLACES {
        let res = app
            .post(&place.url("/questions"))
            .token(place.read_only)
            .json(&body)
            .send()
            .await;
        res.expect_forbidden();
        assert_eq!(res.header("x-mock-reason"), Some("token-read-only"));
    }
    let res = app
        .post("/v3/teams/startup/questions")
        .token("startup-rw")
        .json(&body)
        .send()
        .await;
    res.expect_forbidden();
    assert_eq!(res.header("x-mock-reason"), Some("basic-team-read-only"));
    let list = app
        .get("/v3/teams/startup/questions")
        .token("startup-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(list["totalCount"], 0);
    for place in &PLACES {
        let list = app
            .get(&place.url("/questions"))
            .token(place.admin)
            .send()
            .await
            .ok_json(200);
        assert_eq!(list["totalCount"], 0, "{}", place.prefix);
    }
}

#[tokio::test]
async fn a_question_of_a_user_removed_by_usersync_renders_with_the_removed_owner() {
    let app = app().await;
    let place = &PLACES[1];
    let id = ask_tagged(&app, place, "bob-rw", &["roadmap"]).await;
    // productone's roster without Bob (user 2): a full replace removes him.
    let members: Vec<Value> = [
        "ada",
        "priya.raman",
        "mei.chen",
        "sofia.rossi",
        "rahul.mehta",
        "yuki.tanaka",
        "chloe.martin",
    ]
    .iter()
    .map(|m| json!({"UserIdentifier": m, "Level": if *m == "ada" { "Admin" } else { "Member" }}))
    .collect();
    let requests = json!([{"Team": "productone", "Members": members}]);
    let res = app
        .post("/api/2.3/enterprise/usersync")
        .form(&[
            ("access_token", "ada-rw"),
            ("key", "local-key"),
            ("requestsJson", &requests.to_string()),
            ("dryRun", "false"),
        ])
        .send()
        .await
        .ok_json(200);
    assert!(
        res.to_string().contains(r#""SiteUserId":2"#),
        "Bob is removed: {res}"
    );
    let q = read_question(&app, place, "ada-rw", id).await.ok_json(200);
    assert_eq!(q["owner"]["id"], 2);
    assert_eq!(q["owner"]["accountId"], Value::Null);
    assert_eq!(q["owner"]["name"], "user2");
    assert_eq!(q["owner"]["reputation"], 1);
}

#[tokio::test]
async fn markdown_is_rendered_and_sanitised_and_mentions_name_users_and_groups() {
    let app = app().await;
    let place = &PLACES[0];
    let body = "Hi @AdaAdmin and @platform, not ada@example.com or `@GraceOkafor`.\n\n\
                <script>alert(1)</script>\n\n[x](javascript:alert(1)) @Nobody";
    let q = ask(
        &app,
        place,
        "bob-rw",
        &question("Mentions", body, &["rust"]),
    )
    .await;
    assert_eq!(q["mentionedUsers"], json!([{"id": 1, "name": "Ada Admin"}]));
    assert_eq!(
        q["mentionedUserGroups"],
        json!([{"id": 1, "name": "Platform", "memberCount": 6}])
    );
    let html = q["body"].as_str().unwrap();
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
}

#[tokio::test]
async fn a_fault_and_a_sandbox_reach_the_question_routes_too() {
    let app = app().await;
    let res = app
        .get("/api/v3/questions")
        .token("ada-rw")
        .header("X-Mock-Fault", "status=503")
        .unchecked()
        .send()
        .await;
    res.expect(503);
    let sandbox = app.sandbox().await;
    let prefix = sandbox.trim_start_matches(&app.base).to_string();
    let asked = app
        .post(&format!("{prefix}/api/v3/questions"))
        .token("ada-rw")
        .json(&question("Sandboxed", "b", &["rust"]))
        .send()
        .await
        .ok_json(201);
    let id = asked["id"].as_u64().unwrap();
    app.get(&format!("{prefix}/api/v3/questions/{id}"))
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    read_question(&app, &PLACES[0], "ada-rw", id)
        .await
        .expect(404);
}
