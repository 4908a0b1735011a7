//! Collections (issue 17): create, read, list, replace (with the hand-over) and delete under
//! every URL shape, with each declared error, who may do what, the limit on items, and what a
//! deleted article does to the collections holding it. `POST /questions` is not on main yet,
//! so the content here is articles only.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::site_state::{SHAPES, Shape};
use crate::v3_articles::{article_body, create_article, mint, read_as};

async fn create(app: &TestApp, shape: &Shape, token: &str, body: &Value) -> Resp {
    app.post(&shape.url("/collections"))
        .token(token)
        .json(body)
        .send()
        .await
}

/// Two articles under `shape` (tags `alpha` then `beta, alpha`), answered as ids.
async fn two_articles(app: &TestApp, shape: &Shape) -> (Value, Value) {
    let a = create_article(
        app,
        shape,
        shape.token,
        &article_body("First", &["alpha"], json!({})),
    )
    .await;
    let b = create_article(
        app,
        shape,
        shape.token,
        &article_body("Second", &["beta", "alpha"], json!({})),
    )
    .await;
    (a["id"].clone(), b["id"].clone())
}

fn tag_names(body: &Value) -> Vec<&str> {
    texts(&body["tags"], "name")
}

#[tokio::test]
async fn creating_a_collection_answers_201_with_its_content_in_order_under_every_shape() {
    let app = spawn_app_without_content().await;
    for shape in &SHAPES {
        let (a, b) = two_articles(&app, shape).await;
        let [editor, ..] = shape.outsiders;
        let body = json!({"title": "Onboarding", "description": "Read these *first*",
            "editorUserIds": [editor], "editorUserGroupIds": [shape.group], "contentIds": [b, a, b]});
        let created = create(&app, shape, shape.token, &body).await.ok_json(201);
        let at = shape.prefix;
        assert_eq!(
            created["content"],
            json!([{"id": b, "type": "article", "title": "Second"}, {"id": a, "type": "article", "title": "First"}]),
            "{at}: in the order sent, duplicates once"
        );
        assert_eq!(
            tag_names(&created),
            ["beta", "alpha"],
            "{at}: the union, in content order"
        );
        assert_eq!(ids(&created["editorUsers"]), [u64::from(editor)]);
        assert_eq!(ids(&created["editorUserGroups"]), [u64::from(shape.group)]);
        assert_eq!(created["description"], "Read these *first*");
        assert_eq!(created["isDeleted"], false);
        let id = created["id"].clone();
        assert_eq!(
            read_as(&app, shape, shape.read_only, &format!("/collections/{id}")).await,
            created
        );
        let list = read_as(&app, shape, shape.read_only, "/collections").await;
        assert_eq!(
            ids(&list).first(),
            Some(&id.as_u64().unwrap()),
            "{at}: the newest comes first (the default world has collections too)"
        );
        assert_eq!(list["items"][0]["tags"], created["tags"]);
        let bare = create(&app, shape, shape.token, &json!({"title": "Empty"}))
            .await
            .ok_json(201);
        assert_eq!(
            (
                bare["content"].clone(),
                bare["tags"].clone(),
                bare["description"].clone()
            ),
            (json!([]), json!([]), json!(""))
        );
    }
}

#[tokio::test]
async fn a_refused_collection_write_names_the_problem_and_changes_nothing() {
    let app = spawn_app_without_content().await;
    let shape = &SHAPES[0];
    let (a, _) = two_articles(&app, shape).await;
    let kept = create(
        &app,
        shape,
        "ada-rw",
        &json!({"title": "Kept", "contentIds": [a]}),
    )
    .await
    .ok_json(201);
    let state = || async {
        let list = read_as(&app, shape, "ada-rw", "/collections?pageSize=100").await;
        let one = read_as(
            &app,
            shape,
            "ada-rw",
            &format!("/collections/{}", kept["id"]),
        )
        .await;
        json!([list, one])
    };
    let before = state().await;
    create(&app, shape, "ada-rw", &json!({"description": "no title"}))
        .await
        .expect_validation("Title");
    create(&app, shape, "ada-rw", &json!({"title": "  "}))
        .await
        .expect_validation("title");
    create(&app, shape, "ada-rw", &json!({"title": "x".repeat(151)}))
        .await
        .expect_validation("title");
    create(
        &app,
        shape,
        "ada-rw",
        &json!({"title": "T", "description": "d".repeat(30_001)}),
    )
    .await
    .expect_validation("description");
    let unknown = create(
        &app,
        shape,
        "ada-rw",
        &json!({"title": "T", "contentIds": [a, 999999, 0]}),
    )
    .await;
    unknown.expect_validation("ContentIds");
    create(
        &app,
        shape,
        "ada-rw",
        &json!({"title": "T", "contentIds": [999999]}),
    )
    .await
    .expect_validation("ContentIds");
    create(
        &app,
        shape,
        "ada-rw",
        &json!({"title": "T", "editorUserIds": [999]}),
    )
    .await
    .expect_problem(400, "/v3/errors/users/not-found");
    create(
        &app,
        shape,
        "ada-rw",
        &json!({"title": "T", "editorUserGroupIds": [999]}),
    )
    .await
    .expect_problem(400, "/v3/errors/user-groups/not-found");
    create(&app, shape, "ada-rw", &json!({"title": "T", "owner": 1}))
        .await
        .expect_validation("$.owner");
    create(&app, shape, "ada-ro", &json!({"title": "T"}))
        .await
        .expect_forbidden();
    // The item limit (500 distinct ids) is checked before the ids are.
    let too_many: Vec<u32> = (1..=501).collect();
    create(
        &app,
        shape,
        "ada-rw",
        &json!({"title": "T", "contentIds": too_many}),
    )
    .await
    .expect_problem(409, "/v3/errors/limit-reached");
    assert_eq!(state().await, before, "nothing changed");
    app.post("/v3/teams/startup/collections")
        .token("startup-rw")
        .json(&json!({"title": "T"}))
        .send()
        .await
        .expect_forbidden();
}

#[tokio::test]
async fn replacing_a_collection_is_a_full_replace_by_owner_editors_or_moderators() {
    let app = spawn_app_without_content().await;
    let shape = &SHAPES[0];
    let (a, b) = two_articles(&app, shape).await;
    // Bob (2) edits as a listed user; Mei (8) as a member of group 3; Liam (5) is a moderator.
    let mei = mint(&app, 1008, "main").await;
    let liam = mint(&app, 1005, "main").await;
    let zoe = mint(&app, 1009, "main").await;
    let created = create(
        &app,
        shape,
        "ada-rw",
        &json!({"title": "Mine", "description": "d",
        "editorUserIds": [2], "editorUserGroupIds": [3], "contentIds": [a, b]}),
    )
    .await
    .ok_json(201);
    let path = shape.url(&format!("/collections/{}", created["id"]));
    let put = |token: &str, body: Value| app.put(&path).token(token).json(&body);
    let edited = put(
        "bob-rw",
        json!({"title": "Bob's", "editorUserIds": [2], "editorUserGroupIds": [3]}),
    )
    .send()
    .await
    .ok_json(200);
    assert_eq!(
        (
            edited["title"].clone(),
            edited["description"].clone(),
            edited["content"].clone(),
            edited["owner"]["id"].clone()
        ),
        (json!("Bob's"), json!(""), json!([]), json!(1)),
        "absent fields are emptied (full replace), the owner stays"
    );
    put(&mei, json!({"title": "Mei's", "contentIds": [b], "editorUserIds": [2], "editorUserGroupIds": [3]})).send().await.expect(200);
    let refused = put(&zoe, json!({"title": "Zoe's"})).send().await;
    refused.expect_problem(403, "/v3/errors/forbidden");
    assert_eq!(refused.header("x-mock-reason"), Some("not-post-owner"));
    let handover = put(
        "bob-rw",
        json!({"title": "Mine", "ownerId": 2, "editorUserIds": [2]}),
    )
    .send()
    .await;
    assert_eq!(
        handover.header("x-mock-reason"),
        Some("not-post-owner"),
        "editors do not hand it over"
    );
    put("ada-rw", json!({"title": "T", "ownerId": 999}))
        .send()
        .await
        .expect_problem(400, "/v3/errors/users/not-found");
    put("ada-rw", json!({"title": "T", "ownerId": -1}))
        .send()
        .await
        .expect_problem(400, "/v3/errors/users/not-found");
    let now = read_as(
        &app,
        shape,
        "ada-rw",
        &format!("/collections/{}", created["id"]),
    )
    .await;
    assert_eq!(
        (now["title"].clone(), now["content"][0]["id"].clone()),
        (json!("Mei's"), b.clone()),
        "refusals changed nothing"
    );
    let moved = put(&liam, json!({"title": "Liam moved it", "ownerId": 4}))
        .send()
        .await
        .ok_json(200);
    assert_eq!(moved["owner"]["id"], 4, "a moderator hands it over");
    put("ada-rw", json!({"title": "Admins may", "ownerId": 1}))
        .send()
        .await
        .expect(200);
    app.put(&shape.url("/collections/999999"))
        .token("ada-rw")
        .json(&json!({"title": "T"}))
        .send()
        .await
        .expect_problem(404, "/v3/errors/collection/not-found");
}

#[tokio::test]
async fn the_collection_list_filters_by_author_title_permissions_and_date_and_sorts() {
    let app = spawn_app_without_content().await;
    let shape = &SHAPES[0];
    app.put("/__admin/clock")
        .json(&json!({"now": "2030-01-01T00:00:00Z"}))
        .send()
        .await
        .expect(200);
    let one = create(
        &app,
        shape,
        "ada-rw",
        &json!({"title": "Rust Reading", "editorUserIds": [2]}),
    )
    .await
    .ok_json(201)["id"]
        .as_u64()
        .unwrap();
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 3600}))
        .send()
        .await
        .expect(200);
    let two = create(&app, shape, "bob-rw", &json!({"title": "Python notes"}))
        .await
        .ok_json(201)["id"]
        .as_u64()
        .unwrap();
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 3600}))
        .send()
        .await
        .expect(200);
    let three = create(&app, shape, "ada-rw", &json!({"title": "Ops"}))
        .await
        .ok_json(201)["id"]
        .as_u64()
        .unwrap();
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 3600}))
        .send()
        .await
        .expect(200);
    app.put(&shape.url(&format!("/collections/{one}")))
        .token("ada-rw")
        .json(&json!({"title": "Rust Reading", "editorUserIds": [2]}))
        .send()
        .await
        .expect(200);
    let app = &app;
    let list = |token: &'static str, q: &'static str| async move {
        ids(&read_as(app, shape, token, q).await)
    };
    let all = read_as(app, shape, "bob-ro", "/collections").await;
    assert_eq!(
        (all["sort"].clone(), all["order"].clone()),
        (json!("creation"), json!("desc"))
    );
    assert_eq!(ids(&all), [three, two, one]);
    assert_eq!(
        list("bob-ro", "/collections?sort=lastEdit").await,
        [one, three, two]
    );
    assert_eq!(
        list("bob-ro", "/collections?sort=creation&order=asc").await,
        [one, two, three]
    );
    assert_eq!(
        list("bob-ro", "/collections?authorIds=1&authorIds=99").await,
        [three, one]
    );
    assert_eq!(
        list("bob-ro", "/collections?partialTitle=RUST").await,
        [one]
    );
    assert_eq!(
        list("bob-ro", "/collections?permissions=owned").await,
        [two]
    );
    assert_eq!(
        list("bob-ro", "/collections?permissions=editable").await,
        [two, one],
        "Bob edits one"
    );
    assert_eq!(
        list("ada-rw", "/collections?permissions=editable").await,
        [three, two, one],
        "admins edit all"
    );
    assert_eq!(
        list(
            "bob-ro",
            "/collections?from=2030-01-01T01:00:00Z&to=2030-01-01T01:00:00Z"
        )
        .await,
        [two]
    );
    for bad in ["permissions=mine", "authorIds=x", "to=later", "sort=title"] {
        app.get(&shape.url(&format!("/collections?{bad}")))
            .token("bob-ro")
            .send()
            .await
            .expect(400);
    }
}

#[tokio::test]
async fn a_deleted_article_leaves_the_collections_that_hold_it() {
    let app = spawn_app_without_content().await;
    for shape in &SHAPES {
        let (a, b) = two_articles(&app, shape).await;
        let c = create(
            &app,
            shape,
            shape.token,
            &json!({"title": "Both", "contentIds": [a, b]}),
        )
        .await
        .ok_json(201);
        app.delete(&shape.url(&format!("/articles/{b}")))
            .token(shape.token)
            .send()
            .await
            .expect(204);
        let after = read_as(
            &app,
            shape,
            shape.token,
            &format!("/collections/{}", c["id"]),
        )
        .await;
        assert_eq!(
            after["content"],
            json!([{"id": a, "type": "article", "title": "First"}]),
            "{}",
            shape.prefix
        );
        assert_eq!(tag_names(&after), ["alpha"], "beta went with it");
        // A deleted article cannot be put into a collection.
        app.put(&shape.url(&format!("/collections/{}", c["id"])))
            .token(shape.token)
            .json(&json!({"title": "Both", "contentIds": [a, b]}))
            .send()
            .await
            .expect_validation("ContentIds");
    }
}

#[tokio::test]
async fn deleting_a_collection_is_soft_and_the_owners_moderators_or_admins() {
    let app = spawn_app_without_content().await;
    for shape in &SHAPES {
        let [editor, ..] = shape.outsiders;
        let editor_token = match shape.prefix {
            "/api/v3" => "bob-rw".to_string(),
            "/api/v3/teams/productone" => "bob-rw".to_string(),
            _ => mint(&app, 1002, "acme").await,
        };
        let c = create(
            &app,
            shape,
            shape.token,
            &json!({"title": "Doomed", "editorUserIds": [editor]}),
        )
        .await
        .ok_json(201);
        let path = shape.url(&format!("/collections/{}", c["id"]));
        let refused = app.delete(&path).token(&editor_token).send().await;
        refused.expect_problem(403, "/v3/errors/forbidden");
        assert_eq!(
            refused.header("x-mock-reason"),
            Some("not-post-owner"),
            "{}: editors may not delete",
            shape.prefix
        );
        app.delete(&path)
            .token(shape.read_only)
            .send()
            .await
            .expect_forbidden();
        app.delete(&path)
            .token(shape.token)
            .send()
            .await
            .expect(204);
        app.get(&path)
            .token(&editor_token)
            .send()
            .await
            .expect_problem(404, "/v3/errors/collection/not-found");
        let seen = read_as(
            &app,
            shape,
            shape.token,
            &format!("/collections/{}", c["id"]),
        )
        .await;
        assert_eq!(
            seen["isDeleted"], true,
            "{}: admins still read it",
            shape.prefix
        );
        let list = read_as(&app, shape, shape.token, "/collections").await;
        assert_eq!(
            list["totalCount"], 0,
            "{}: lists leave it out",
            shape.prefix
        );
        app.delete(&path)
            .token(shape.token)
            .send()
            .await
            .expect(404);
        app.put(&path)
            .token(shape.token)
            .json(&json!({"title": "Back?"}))
            .send()
            .await
            .expect(404);
    }
}
