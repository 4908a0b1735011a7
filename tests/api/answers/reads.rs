//! `GET …/answers`, `GET …/answers/{answerId}` and `GET …/answers/{answerId}/comments`.

use super::*;

#[tokio::test]
async fn an_answer_reads_under_every_shape_with_its_markdown_and_html() {
    let app = content_app().await;
    for p in &PLACES {
        let a = app
            .get(&answer_url(p.prefix, p.question, p.answer))
            .token(p.read_only)
            .send()
            .await
            .ok_json(200);
        assert_eq!(a["id"], p.answer, "{}", p.prefix);
        assert_eq!(a["questionId"], p.question);
        assert_eq!(a["bodyMarkdown"], format!("Answer **{}**.", p.answer));
        assert_eq!(
            a["body"],
            format!("<p>Answer <strong>{}</strong>.</p>\n", p.answer)
        );
        assert_eq!(a["isDeleted"], false);
        assert_eq!(a["lockedDate"], Value::Null);
        let list = app
            .get(&answers_url(p.prefix, p.question))
            .token(p.read_only)
            .send()
            .await
            .ok_json(200);
        assert!(ids(&list).contains(&p.answer), "{}: {list}", p.prefix);
        assert!(
            list["items"][0].get("bodyMarkdown").is_none(),
            "summaries have no Markdown"
        );
    }
}

#[tokio::test]
async fn an_answers_fields_say_who_wrote_it_and_where_it_lives() {
    let app = content_app().await;
    let a = get_answer(&app, "bob-rw", A_SME).await;
    assert_eq!(a["owner"]["id"], 12);
    assert_eq!(a["lastEditor"]["id"], 12, "never edited: the owner");
    assert_eq!(a["lastActivityUser"]["id"], 12);
    assert_eq!(a["lastEditDate"], Value::Null);
    assert_eq!(a["creationDate"], "2025-01-02T12:00:00Z");
    assert_eq!(a["lastActivityDate"], "2025-01-02T12:00:00Z");
    assert_eq!(a["score"], 1);
    assert_eq!(a["commentCount"], 2);
    assert_eq!(a["isAccepted"], false);
    assert_eq!(a["isBookmarked"], false);
    assert_eq!(a["isFollowed"], false);
    assert_eq!(a["webUrl"], "https://example.stackenterprise.co/a/1002");
    assert_eq!(
        a["shareLink"], "https://example.stackenterprise.co/a/1002/2",
        "Bob shares it"
    );
    assert_eq!(a["canBeFollowed"], true);
    assert_eq!(a["userCanFollow"], true);
    let cloud = app
        .get("/v3/teams/acme/questions/3001/answers/3002")
        .token("acme-admin-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        cloud["webUrl"],
        "https://stackoverflowteams.com/c/acme/a/3002"
    );
}

#[tokio::test]
async fn is_subject_matter_expert_follows_the_owners_sme_status_on_the_questions_tags() {
    let app = content_app().await;
    for (answer, sme, why) in [
        (A_SME, true, "user 12 is a named SME of rust"),
        (
            A_GROUP_SME,
            true,
            "user 6 is in Platform, an SME group of rust",
        ),
        (A_PLAIN, false, "user 7 is no SME of rust"),
    ] {
        let a = get_answer(&app, "bob-ro", answer).await;
        assert_eq!(a["isSubjectMatterExpert"], sme, "{why}");
    }
    let other = app
        .get(&answer_url("/api/v3", Q_OTHER, A_OTHER))
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        other["isSubjectMatterExpert"], false,
        "user 12 is an SME of rust, not of api-design"
    );
    // The SME routes change it at once: user 7 becomes a rust SME, user 6's group stops being one.
    app.post("/api/v3/tags/1/subject-matter-experts/users")
        .token("ada-rw")
        .json(&json!([7]))
        .send()
        .await
        .expect(200);
    app.delete("/api/v3/tags/1/subject-matter-experts/user-groups/1")
        .token("ada-rw")
        .send()
        .await
        .expect(204);
    assert_eq!(
        get_answer(&app, "bob-ro", A_PLAIN).await["isSubjectMatterExpert"],
        true
    );
    assert_eq!(
        get_answer(&app, "bob-ro", A_GROUP_SME).await["isSubjectMatterExpert"],
        false
    );
    assert_eq!(
        get_answer(&app, "bob-ro", A_SME).await["isSubjectMatterExpert"],
        true
    );
}

#[tokio::test]
async fn the_list_leaves_deleted_answers_out_sorts_and_pages() {
    let app = content_app().await;
    let list = listed(&app, Q).await;
    assert_eq!(
        list["totalCount"], 4,
        "the deleted answer is not listed: {list}"
    );
    assert_eq!(list["sort"], "score");
    assert_eq!(list["order"], "desc");
    assert_eq!(list["pageSize"], 100);
    assert_eq!(
        ids(&list),
        [A_SME, A_PLAIN, A_ADA, A_GROUP_SME],
        "score desc, ties by id"
    );
    let url = answers_url("/api/v3", Q);
    for (query, expected) in [
        (
            "sort=score&order=asc",
            vec![A_GROUP_SME, A_PLAIN, A_ADA, A_SME],
        ),
        ("sort=creation", vec![A_ADA, A_PLAIN, A_GROUP_SME, A_SME]),
        (
            "sort=creation&order=asc",
            vec![A_SME, A_GROUP_SME, A_PLAIN, A_ADA],
        ),
        (
            "sort=modified&order=asc",
            vec![A_SME, A_GROUP_SME, A_PLAIN, A_ADA],
        ),
        (
            "SORT=Creation&pagesize=15&page=1",
            vec![A_ADA, A_PLAIN, A_GROUP_SME, A_SME],
        ),
        ("pageSize=15&page=2", vec![]),
    ] {
        let body = app
            .get(&format!("{url}?{query}"))
            .token("bob-ro")
            .send()
            .await
            .ok_json(200);
        assert_eq!(ids(&body), expected, "{query}");
    }
    let past = app
        .get(&format!("{url}?pageSize=15&page=2"))
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(past["totalPages"], 1);
    for bad in ["sort=votes", "order=up", "page=0", "pageSize=20"] {
        app.get(&format!("{url}?{bad}"))
            .token("bob-ro")
            .send()
            .await
            .expect(400);
    }
}

#[tokio::test]
async fn unknown_foreign_and_deleted_answers_are_404_for_members() {
    let app = content_app().await;
    for (path, type_, why) in [
        (
            answer_url("/api/v3", 999, A_SME),
            "question",
            "an unknown question",
        ),
        (answer_url("/api/v3", Q, 999), "answer", "an unknown answer"),
        (
            answer_url("/api/v3", Q, Q),
            "answer",
            "a question id as answer id",
        ),
        (
            answer_url("/api/v3", Q_OTHER, A_SME),
            "answer",
            "an answer of another question",
        ),
        (
            answer_url("/api/v3", Q, A_DELETED),
            "answer",
            "a deleted answer",
        ),
        (
            answer_url("/api/v3", Q_DELETED, A_OF_DELETED_Q),
            "question",
            "an answer of a deleted question",
        ),
        (
            answers_url("/api/v3", Q_DELETED),
            "question",
            "the answers of a deleted question",
        ),
        (
            answers_url("/api/v3", 999),
            "question",
            "the answers of an unknown question",
        ),
        (
            format!("{}/comments", answer_url("/api/v3", Q, A_DELETED)),
            "answer",
            "the comments of a deleted answer",
        ),
        (
            format!("{}/flags/options", answer_url("/api/v3", Q_OTHER, A_SME)),
            "answer",
            "the flag options of another question's answer",
        ),
    ] {
        app.get(&path)
            .token("bob-rw")
            .send()
            .await
            .expect_problem(404, &format!("/v3/errors/{type_}/not-found"));
        let _ = why;
    }
    // An answer of another site is unknown here.
    app.get(&answer_url("/api/v3/teams/productone", 2001, A_SME))
        .token("ada-rw")
        .send()
        .await
        .expect(404);
}

#[tokio::test]
async fn moderators_and_admins_read_deleted_answers_with_is_deleted() {
    let app = content_app().await;
    for token in ["ada-ro", LIAM] {
        let a = get_answer(&app, token, A_DELETED).await;
        assert_eq!(a["isDeleted"], true, "{token}");
        assert_eq!(a["deletionDate"], "2025-02-01T00:00:00Z");
        assert_eq!(a["canBeFollowed"], false);
        assert_eq!(a["userCanFollow"], false);
        app.get(&answer_url("/api/v3", Q_DELETED, A_OF_DELETED_Q))
            .token(token)
            .send()
            .await
            .expect(200);
    }
    let list = listed(&app, Q).await;
    assert!(
        !ids(&list).contains(&A_DELETED),
        "lists leave it out for admins too"
    );
}

#[tokio::test]
async fn bad_path_ids_are_400() {
    let app = content_app().await;
    for path in [
        "/api/v3/questions/abc/answers",
        "/api/v3/questions/0/answers/1002",
        "/api/v3/questions/1001/answers/-1",
        "/api/v3/questions/1001/answers/2147483648/comments",
    ] {
        app.get(path).token("bob-ro").send().await.expect(400);
    }
}

#[tokio::test]
async fn an_answers_comments_are_an_array_oldest_first() {
    let app = content_app().await;
    let comments = app
        .get(&format!("{}/comments", answer_url("/api/v3", Q, A_SME)))
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        ids(&comments),
        [1, 2],
        "only the answer's, not the question's"
    );
    assert_eq!(comments[0]["body"], "Thanks, that works.");
    assert_eq!(comments[0]["ownerUserId"], 2);
    assert_eq!(comments[0]["ownerDisplayName"], "Bob Member");
    assert_eq!(comments[0]["score"], 2);
    assert_eq!(comments[0]["creationDate"], "2025-01-03T08:00:00Z");
    let none = app
        .get(&format!("{}/comments", answer_url("/api/v3", Q, A_PLAIN)))
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(none, json!([]));
}
