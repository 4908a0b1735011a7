//! A site's content in fixtures and in the exported state (`GET`/`PUT /__admin/state`): the
//! default world's content round-trips, also after usersync removed the users who wrote it;
//! content problems are listed, every one with its path, and change nothing.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::usersync::{members, sync_ok};

fn site<'a>(state: &'a Value, slug: &str) -> &'a Value {
    state["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == slug)
        .unwrap_or_else(|| panic!("no site {slug}"))
}

fn len(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn the_default_world_exports_content_on_every_site() {
    let app = spawn_app().await;
    let state = app.get("/__admin/state").send().await.ok_json(200);
    for slug in ["main", "productone", "platform", "legal", "acme", "startup"] {
        let s = site(&state, slug);
        assert!(
            len(&s["questions"]) > 0 && len(&s["answers"]) > 0 && len(&s["articles"]) > 0,
            "{slug} has questions, answers and articles"
        );
        assert!(s.get("idHighWater").is_none(), "{slug} lost no one");
    }
    let main = site(&state, "main");
    let types: std::collections::BTreeSet<&str> = main["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types.into_iter().collect::<Vec<_>>(),
        ["announcement", "howToGuide", "knowledgeArticle", "policy"]
    );
    assert!(len(&main["comments"]) > 0 && len(&main["collections"]) > 0);
    assert!(len(&main["flags"]) > 0);
    let q1 = &main["questions"][0];
    assert_eq!(q1["acceptedAnswerId"], 2);
    assert_eq!(q1["votes"][0], json!({"userId": 1, "vote": "up"}));
    assert!(
        q1.get("body").is_none(),
        "the HTML body is derived, not exported"
    );
}

#[tokio::test]
async fn content_written_by_users_usersync_removed_exports_and_loads_back() {
    let app = spawn_app().await;
    // A full replace of platform's roster: users 3 to 6, who wrote most of its content, leave.
    let roster = members(&[("ada", "Admin"), ("bob", "Member")]);
    let item = sync_ok(
        &app,
        &json!([{"Team": "platform", "Members": roster}]),
        "false",
    )
    .await;
    assert_eq!(item["Results"][0]["StatusCode"], "Success", "{item}");
    let state = app.get("/__admin/state").send().await.ok_json(200);
    let platform = site(&state, "platform");
    assert_eq!(len(&platform["users"]), 2);
    assert_eq!(platform["questions"][0]["ownerId"], 4, "the content stays");
    assert_eq!(
        platform["idHighWater"]["users"], 6,
        "the users mark, under which the departed owners load back"
    );
    let summary = app
        .put("/__admin/state")
        .json(&state)
        .send()
        .await
        .ok_json(200);
    assert_eq!(summary["sites"], 6);
    let again = app.get("/__admin/state").send().await.ok_json(200);
    assert_eq!(again, state, "a round trip is lossless");
}

#[tokio::test]
async fn content_problems_are_listed_with_their_paths_and_change_nothing() {
    let app = spawn_app().await;
    let before = app.get("/__admin/state").send().await.ok_json(200);
    let mut bad = before.clone();
    let main = bad["sites"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["slug"] == "main")
        .unwrap();
    main["questions"][0]["votes"][0]["userId"] = json!(12);
    main["questions"][2]["ownerId"] = json!(99);
    main["answers"][1]["questionId"] = json!(23);
    main["comments"][0]["postId"] = json!(999);
    main["collections"][0]["contentIds"][0] = json!(2);
    main["tags"][15]["postCount"] = json!(0);
    main["questions"][1]["tags"] = json!([16]);
    main["articles"].as_array_mut().unwrap().push(
        json!({"id": 1, "type": "policy", "title": "Again", "bodyMarkdown": "x",
                     "tags": [1], "ownerId": 1, "creationDate": "2026-01-01T00:00:00Z"}),
    );
    main["flags"][0]["optionId"] = json!(10);
    let body = app
        .put("/__admin/state")
        .json(&bad)
        .send()
        .await
        .ok_json(400);
    let problems: Vec<String> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p["path"].as_str().unwrap(),
                p["reason"].as_str().unwrap()
            )
        })
        .collect();
    let at = "request body: $.sites[0]";
    assert_eq!(
        problems,
        [
            format!(
                "{at}.articles[4].id: duplicate post id 1 on site \"main\" (questions, answers \
                 and articles share one id space; first at {at}.questions[0])"
            ),
            format!(
                "{at}.questions[0].votes[0].userId: 12 owns this post: no one votes on their own post"
            ),
            format!("{at}.questions[2].ownerId: 99 is not a user of this site"),
            format!("{at}.answers[1].questionId: 23 is an article, not a question"),
            format!("{at}.comments[0].postId: post 999 does not exist on site \"main\""),
            format!(
                "{at}.collections[0].contentIds[0]: 2 is an answer: a collection holds questions \
                 and articles"
            ),
            format!(
                "{at}.flags[0].optionId: 10 is not a flag option of an answer (GET …/flags/options \
                 lists them)"
            ),
            format!(
                "{at}.tags[15].postCount: 0 is below the 1 live questions and articles listed \
                 with this tag (postCount counts those and any the fixture does not list)"
            ),
        ]
    );
    assert_eq!(
        app.get("/__admin/state").send().await.ok_json(200),
        before,
        "nothing changed"
    );
}

#[tokio::test]
async fn a_sandbox_holds_its_own_copy_of_the_content() {
    let app = spawn_app().await;
    let sb = app.sandbox().await;
    let mut state = app.get("/__admin/state").send().await.ok_json(200);
    let main = &mut state["sites"][0];
    for list in ["answers", "articles", "comments", "collections", "flags"] {
        main[list] = json!([]);
    }
    main["questions"].as_array_mut().unwrap().truncate(1);
    main["questions"][0]["acceptedAnswerId"] = Value::Null;
    main["questions"][0]["linkedIds"] = json!([]);
    app.put(&format!("{sb}/__admin/state"))
        .json(&state)
        .send()
        .await
        .expect(200);
    let inside = app
        .get(&format!("{sb}/__admin/state"))
        .send()
        .await
        .ok_json(200);
    let outside = app.get("/__admin/state").send().await.ok_json(200);
    assert_eq!(len(&inside["sites"][0]["questions"]), 1);
    assert!(len(&outside["sites"][0]["questions"]) > 1);
}
