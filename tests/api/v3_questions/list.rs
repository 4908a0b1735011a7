//! `GET /questions`: filters, sorts, pages, and bad parameters.

use serde_json::json;

use super::*;

/// GET `…/questions?{query}` as the place's admin; the ids of the page.
async fn listed(app: &TestApp, place: &Place, query: &str) -> Vec<u64> {
    let body = app
        .get(&place.url(&format!("/questions?{query}")))
        .token(place.admin)
        .send()
        .await
        .ok_json(200);
    ids(&body)
}

async fn advance(app: &TestApp, seconds: u64) {
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": seconds}))
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn the_list_filters_by_tag_author_id_and_creation_date() {
    let app = app().await;
    for place in &PLACES {
        let first = ask(&app, place, place.admin, &question("A", "a", &["rust"])).await;
        let a = first["id"].as_u64().unwrap();
        advance(&app, 86_400).await;
        let second = ask(
            &app,
            place,
            place.member,
            &question("B", "b", &["python", "rust"]),
        )
        .await;
        let b = second["id"].as_u64().unwrap();
        advance(&app, 86_400).await;
        let c = ask_tagged(&app, place, place.member, &["go"]).await;
        let tag_id = |name: &'static str| {
            let app = &app;
            async move {
                let tags = app
                    .get(&place.url(&format!("/tags?partialName={name}")))
                    .token(place.admin)
                    .send()
                    .await
                    .ok_json(200);
                tags["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["name"] == name)
                    .unwrap()["id"]
                    .as_u64()
                    .unwrap()
            }
        };
        let (rust, go) = (tag_id("rust").await, tag_id("go").await);
        let p = place.prefix;
        let sorted = "sort=creation&order=asc";
        assert_eq!(
            listed(&app, place, &format!("{sorted}&tagId={rust}")).await,
            [a, b],
            "{p}"
        );
        assert_eq!(
            listed(&app, place, &format!("{sorted}&tagId={go}&TAGID={rust}")).await,
            [a, b, c],
            "{p}: any of the tags"
        );
        assert_eq!(
            listed(
                &app,
                place,
                &format!("{sorted}&authorId={}", place.member_id)
            )
            .await,
            [b, c]
        );
        assert_eq!(
            listed(
                &app,
                place,
                &format!("{sorted}&questionId={c}&questionId={a}&questionId=0")
            )
            .await,
            [a, c]
        );
        let (from, to) = (&first["creationDate"], &second["creationDate"]);
        let dated = listed(
            &app,
            place,
            &format!("{sorted}&from={}", from.as_str().unwrap()),
        )
        .await;
        assert_eq!(dated, [a, b, c], "{p}: from is inclusive");
        let dated = listed(
            &app,
            place,
            &format!("{sorted}&to={}", to.as_str().unwrap()),
        )
        .await;
        assert_eq!(dated, [a, b], "{p}: to is inclusive");
        assert_eq!(
            listed(&app, place, &format!("{sorted}&authorId=999")).await,
            Vec::<u64>::new()
        );
        let all_answered = listed(&app, place, "isAnswered=true").await;
        assert!(all_answered.is_empty(), "no answers yet: {all_answered:?}");
        assert_eq!(
            listed(&app, place, &format!("{sorted}&hasAcceptedAnswer=false")).await,
            [a, b, c]
        );
    }
}

#[tokio::test]
async fn the_list_sorts_by_activity_creation_and_score_and_pages() {
    let app = app().await;
    let place = &PLACES[0];
    let mut asked = Vec::new();
    for _ in 0..4 {
        asked.push(ask_tagged(&app, place, "bob-rw", &["rust"]).await);
        advance(&app, 60).await;
    }
    let [q1, q2, q3, q4] = asked[..] else {
        unreachable!()
    };
    // Editing q1 makes it the most recently active.
    app.put(&place.url(&format!("/questions/{q1}")))
        .token("bob-rw")
        .json(&question("Edited", "b", &["rust"]))
        .send()
        .await
        .expect(200);
    app.post(&place.url(&format!("/questions/{q3}/upvote")))
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    app.post(&place.url(&format!("/questions/{q2}/downvote")))
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    let body = app
        .get("/api/v3/questions")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (body["sort"].clone(), body["order"].clone()),
        (json!("activity"), json!("desc"))
    );
    assert_eq!(ids(&body), [q1, q4, q3, q2]);
    assert_eq!(listed(&app, place, "sort=creation").await, [q4, q3, q2, q1]);
    assert_eq!(
        listed(&app, place, "sort=CREATION&order=asc").await,
        [q1, q2, q3, q4]
    );
    assert_eq!(
        listed(&app, place, "sort=score").await,
        [q3, q1, q4, q2],
        "ties by id"
    );
    let page = app
        .get("/api/v3/questions?sort=creation&order=asc&pageSize=15&page=1")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (page["totalCount"].clone(), page["totalPages"].clone()),
        (json!(4), json!(1))
    );
    assert_eq!(
        listed(&app, place, "page=2&pagesize=15").await,
        Vec::<u64>::new()
    );
    // A list item is the summary: no Markdown, nothing caller-relative.
    let item = &body["items"][0];
    assert!(
        item.get("bodyMarkdown").is_none() && item.get("userHasUpvoted").is_none(),
        "{item}"
    );
}

#[tokio::test]
async fn bad_list_parameters_are_a_400_naming_each() {
    let app = app().await;
    let res = app
        .get("/api/v3/questions?tagId=rust&authorId=x&questionId=1.5&from=yesterday&to=2024-13-01&isAnswered=yes&sort=hot&pageSize=20")
        .token("ada-rw")
        .send()
        .await;
    let body = res.expect_validation("tagId");
    for field in [
        "authorId",
        "questionId",
        "from",
        "to",
        "isAnswered",
        "sort",
        "pageSize",
    ] {
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }
}
