//! Linked and related questions, comments, and an article's linked questions.

use serde_json::json;

use super::*;

async fn near(app: &TestApp, place: &Place, id: u64, what: &str) -> Vec<u64> {
    let body = app
        .get(&place.url(&format!("/questions/{id}/{what}")))
        .token(place.admin)
        .send()
        .await
        .ok_json(200);
    ids(&body)
}

#[tokio::test]
async fn linked_questions_are_those_a_body_links_to_and_those_linking_to_it() {
    let app = app().await;
    for place in &PLACES {
        let a = ask_tagged(&app, place, place.member, &["rust"]).await;
        let b_body = format!(
            "Like [this one]({}/questions/{a}/slug) or /questions/999999, not `/questions/{a}`",
            "https://example.com"
        );
        let b = ask(&app, place, place.member, &question("B", &b_body, &["go"])).await;
        let b = b["id"].as_u64().unwrap();
        let c_body = format!("See https://example.com/q/{b}.");
        let c = ask(&app, place, place.admin, &question("C", &c_body, &["go"])).await;
        assert_eq!(c["owner"]["id"], place.admin_id);
        let c = c["id"].as_u64().unwrap();
        assert_eq!(
            near(&app, place, a, "linked").await,
            [b],
            "{}",
            place.prefix
        );
        assert_eq!(
            near(&app, place, b, "linked?sort=creation&order=asc").await,
            [a, c]
        );
        let page = app
            .get(&place.url(&format!("/questions/{b}/linked")))
            .token(place.admin)
            .send()
            .await
            .ok_json(200);
        assert_eq!(
            (page["sort"].clone(), page["order"].clone()),
            (json!("hot"), json!("desc"))
        );
        // An edit rereads the links; a deleted question is no longer listed.
        app.put(&place.url(&format!("/questions/{b}")))
            .token(place.member)
            .json(&question("B", "No links.", &["go"]))
            .send()
            .await
            .expect(200);
        assert_eq!(near(&app, place, a, "linked").await, Vec::<u64>::new());
        app.delete(&place.url(&format!("/questions/{c}")))
            .token(place.admin)
            .send()
            .await
            .expect(204);
        assert_eq!(near(&app, place, b, "linked").await, Vec::<u64>::new());
    }
}

#[tokio::test]
async fn related_questions_share_tags_and_the_most_shared_come_first() {
    let app = app().await;
    let place = &PLACES[0];
    let mut asked = Vec::new();
    for tags in [
        &["rust", "tokio", "axum"][..],
        &["rust"],
        &["tokio", "axum"],
        &["python"],
        &["axum"],
    ] {
        asked.push(ask_tagged(&app, place, "bob-rw", tags).await);
        app.post("/__admin/clock/advance")
            .json(&json!({"seconds": 1}))
            .send()
            .await
            .expect(200);
    }
    let [q, one, two, none, another_one] = asked[..] else {
        unreachable!()
    };
    app.post(&place.url(&format!("/questions/{another_one}/upvote")))
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    assert_eq!(
        near(&app, place, q, "related").await,
        [two, another_one, one]
    );
    assert_eq!(
        near(&app, place, q, "related?sort=hot&order=asc").await,
        [one, another_one, two]
    );
    assert_eq!(
        near(&app, place, q, "related?sort=creation").await,
        [another_one, two, one]
    );
    assert_eq!(
        near(&app, place, q, "related?sort=score").await,
        [another_one, one, two]
    );
    assert!(!near(&app, place, none, "related").await.contains(&q));
    let page = app
        .get(&place.url(&format!("/questions/{q}/related?pageSize=15&page=2")))
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (page["totalCount"].clone(), page["items"].clone()),
        (json!(3), json!([]))
    );
}

#[tokio::test]
async fn the_neighbours_and_comments_of_an_unknown_question_are_a_404_and_bad_input_a_400() {
    let app = app().await;
    for place in &PLACES {
        for what in ["linked", "related", "comments", "flags/options"] {
            app.get(&place.url(&format!("/questions/999999/{what}")))
                .token(place.admin)
                .send()
                .await
                .expect_problem(404, "/v3/errors/question/not-found");
            app.get(&place.url(&format!("/questions/abc/{what}")))
                .token(place.admin)
                .send()
                .await
                .expect_validation("questionId");
        }
        let id = ask_tagged(&app, place, place.admin, &["rust"]).await;
        app.get(&place.url(&format!("/questions/{id}/related?sort=activityy")))
            .token(place.admin)
            .send()
            .await
            .expect_validation("sort");
        let comments = app
            .get(&place.url(&format!("/questions/{id}/comments")))
            .token(place.admin)
            .send()
            .await
            .ok_json(200);
        assert_eq!(comments, json!([]), "an array, not a page");
    }
}

#[tokio::test]
async fn the_linked_questions_of_an_unknown_article_are_a_404() {
    let app = app().await;
    for place in &PLACES {
        app.get(&place.url("/articles/999999/linked-questions"))
            .token(place.admin)
            .send()
            .await
            .expect_problem(404, "/v3/errors/article/not-found");
        // A question's id is not an article's.
        let id = ask_tagged(&app, place, place.admin, &["rust"]).await;
        app.get(&place.url(&format!("/articles/{id}/linked-questions")))
            .token(place.admin)
            .send()
            .await
            .expect(404);
        app.get(&place.url("/articles/0/linked-questions"))
            .token(place.admin)
            .send()
            .await
            .expect_validation("articleId");
    }
}
