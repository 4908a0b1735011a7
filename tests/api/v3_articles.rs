//! Articles (issue 17): create, read, list, replace, delete, upvote and comments under every URL
//! shape, with each declared error, the cross effects on tags and reputation, and what a
//! refused write leaves unchanged. The default fixtures hold no articles: each test makes its
//! own through the API.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::site_state::{SHAPES, Shape};

/// A valid `ArticleRequestModel` with the given tags and permissions.
pub fn article_body(title: &str, tags: &[&str], permissions: Value) -> Value {
    json!({ "title": title, "body": "Use **rustfmt** before you push.", "tags": tags,
        "type": "policy", "permissions": permissions })
}

/// Creates an article under `shape` with `token` and answers it (201 asserted).
pub async fn create_article(app: &TestApp, shape: &Shape, token: &str, body: &Value) -> Value {
    app.post(&shape.url("/articles"))
        .token(token)
        .json(body)
        .send()
        .await
        .ok_json(201)
}

/// A read-write token minted for `account` on `scope` (e.g. Liam, the main site's moderator).
pub async fn mint(app: &TestApp, account: u32, scope: &str) -> String {
    let minted = app
        .post("/__admin/tokens")
        .json(&json!({"accountId": account, "scope": scope, "write": true}))
        .send()
        .await
        .ok_json(201);
    minted["token"].as_str().unwrap().to_string()
}

/// GET `rest` under `shape` with `token`, 200 asserted.
pub async fn read_as(app: &TestApp, shape: &Shape, token: &str, rest: &str) -> Value {
    app.get(&shape.url(rest))
        .token(token)
        .send()
        .await
        .ok_json(200)
}

/// Every tag of the site by name → postCount.
async fn post_counts(app: &TestApp, shape: &Shape) -> std::collections::BTreeMap<String, i64> {
    let mut counts = std::collections::BTreeMap::new();
    for page in 1.. {
        let tags = read_as(
            app,
            shape,
            shape.token,
            &format!("/tags?pageSize=100&sort=name&page={page}"),
        )
        .await;
        let items = tags["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for t in items {
            counts.insert(
                t["name"].as_str().unwrap().to_string(),
                t["postCount"].as_i64().unwrap(),
            );
        }
    }
    counts
}

/// Everything an article write can change, as the reads show it: the articles (with the
/// admin's view of each) and every tag's postCount.
async fn content_state(app: &TestApp, shape: &Shape) -> Value {
    let list = read_as(app, shape, shape.token, "/articles?pageSize=100").await;
    let mut details = Vec::new();
    for id in ids(&list) {
        details.push(read_as(app, shape, shape.token, &format!("/articles/{id}")).await);
    }
    json!({ "articles": details, "tags": post_counts(app, shape).await })
}

#[tokio::test]
async fn creating_an_article_answers_201_creates_its_new_tags_and_counts_them_under_every_shape() {
    let app = spawn_app_without_content().await;
    for shape in &SHAPES {
        let before = post_counts(&app, shape).await;
        let existing = before.keys().next().unwrap().clone();
        let body = json!({ "title": "  Release checklist ", "body": "1. *Tag* it\n2. Ship it",
            "tags": [existing.to_uppercase(), "Release-Train", existing], "type": "howToGuide",
            "permissions": {"editableBy": "everyone"} });
        let created = create_article(&app, shape, shape.token, &body).await;
        let at = shape.prefix;
        assert_eq!(created["title"], "Release checklist", "{at}: title trimmed");
        assert_eq!(created["type"], "howToGuide");
        assert_eq!(created["bodyMarkdown"], "1. *Tag* it\n2. Ship it");
        assert!(
            created["body"].as_str().unwrap().contains("<em>Tag</em>"),
            "{at}: rendered body: {created}"
        );
        assert_eq!(
            texts(&json!(created["tags"]), "name"),
            [existing.as_str(), "release-train"]
        );
        assert_eq!(created["score"], 0);
        assert_eq!(created["isDeleted"], false);
        assert_eq!(created["userCanEdit"], true);
        assert_eq!(created["communities"], json!([]));
        assert_eq!(
            created["owner"], created["lastEditor"],
            "{at}: never edited"
        );
        assert_eq!(created["permissions"]["editableBy"], "everyone");
        let id = created["id"].as_u64().unwrap();
        assert!(
            created["webUrl"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/articles/{id}"))
        );
        assert_eq!(
            read_as(&app, shape, shape.token, &format!("/articles/{id}")).await,
            created,
            "{at}: readable at once"
        );
        let list = read_as(&app, shape, shape.token, "/articles").await;
        assert_eq!(
            ids(&list).first(),
            Some(&id),
            "{at}: the newest activity comes first (the default world has articles too)"
        );
        let after = post_counts(&app, shape).await;
        assert_eq!(after[&existing], before[&existing] + 1, "{at}: {existing}");
        assert_eq!(after["release-train"], 1, "{at}: a new tag, counted once");
    }
}

#[tokio::test]
async fn a_refused_article_write_names_the_problem_and_changes_nothing() {
    let app = spawn_app_without_content().await;
    let shape = &SHAPES[0];
    create_article(
        &app,
        shape,
        "ada-rw",
        &article_body("Kept", &["rust"], json!({})),
    )
    .await;
    let before = content_state(&app, shape).await;
    let post = |body: Value, token: &'static str| {
        app.post(&shape.url("/articles")).token(token).json(&body)
    };
    let missing = post(json!({"title": "T"}), "ada-rw").send().await;
    let errors = missing.expect_validation("Body")["errors"].clone();
    for field in ["Tags", "Type", "Permissions"] {
        assert!(errors[field].is_array(), "{field} named: {errors}");
    }
    let long = "x".repeat(151);
    let too_long_body = "y".repeat(100_001);
    for (body, field) in [
        (article_body("", &["rust"], json!({})), "title"),
        (article_body(&long, &["rust"], json!({})), "title"),
        (article_body("T", &[], json!({})), "tags"),
        (
            article_body("T", &["a", "b", "c", "d", "e", "f"], json!({})),
            "tags",
        ),
        (article_body("T", &["not a tag"], json!({})), "tags"),
        (article_body("T", &[&"t".repeat(36)], json!({})), "tags"),
        (
            json!({"title": "T", "body": too_long_body, "tags": ["rust"], "type": "policy", "permissions": {}}),
            "body",
        ),
        (
            json!({"title": "T", "body": "B", "tags": ["rust"], "type": "memo", "permissions": {}}),
            "$.type",
        ),
    ] {
        post(body, "ada-rw").send().await.expect_validation(field);
    }
    let unknown = post(
        article_body(
            "T",
            &["fresh"],
            json!({"editableBy": "specificEditors", "editorUserIds": [2, 999, 0]}),
        ),
        "ada-rw",
    )
    .send()
    .await
    .expect_problem(400, "/v3/errors/users/not-found");
    assert!(
        unknown["detail"].as_str().unwrap().ends_with("999, 0"),
        "{unknown}"
    );
    post(
        article_body("T", &["fresh"], json!({"editorUserGroupIds": [77]})),
        "ada-rw",
    )
    .send()
    .await
    .expect_problem(400, "/v3/errors/user-groups/not-found");
    let refused = post(article_body("T", &["fresh"], json!({})), "ada-ro")
        .send()
        .await;
    refused.expect_forbidden();
    assert_eq!(refused.header("x-mock-reason"), Some("token-read-only"));
    app.post(&shape.url("/articles"))
        .token("ada-rw")
        .body("text/plain", "title=T")
        .send()
        .await
        .expect(415);
    assert_eq!(content_state(&app, shape).await, before, "nothing changed");
    // A Basic team is read-only whatever the token.
    app.post("/v3/teams/startup/articles")
        .token("startup-rw")
        .json(&article_body("T", &["nextjs"], json!({})))
        .send()
        .await
        .expect_forbidden();
    let startup = app
        .get("/v3/teams/startup/articles")
        .token("startup-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(startup["totalCount"], 0);
}

#[tokio::test]
async fn replacing_an_article_replaces_every_field_and_moves_the_tag_counts() {
    let app = spawn_app_without_content().await;
    for shape in &SHAPES {
        let body = article_body(
            "Old",
            &["old-tag", "kept-tag"],
            json!({"editableBy": "specificEditors", "editorUserIds": [shape.outsiders[0]]}),
        );
        let id = create_article(&app, shape, shape.token, &body).await["id"].clone();
        let replaced = app
            .put(&shape.url(&format!("/articles/{id}")))
            .token(shape.token)
            .json(
                &json!({"title": "New", "body": "New *body*", "tags": ["kept-tag", "new-tag"],
                "type": "announcement", "permissions": {}}),
            )
            .send()
            .await
            .ok_json(200);
        let at = shape.prefix;
        assert_eq!(replaced["title"], "New", "{at}");
        assert_eq!(replaced["type"], "announcement");
        assert_eq!(replaced["bodyMarkdown"], "New *body*");
        assert_eq!(
            texts(&json!(replaced["tags"]), "name"),
            ["kept-tag", "new-tag"]
        );
        assert_eq!(
            replaced["permissions"],
            json!({"editableBy": "ownerOnly", "editorUsers": [], "editorUserGroups": []}),
            "{at}: absent permission fields reset (full replace)"
        );
        let counts = post_counts(&app, shape).await;
        assert_eq!(
            (counts["old-tag"], counts["kept-tag"], counts["new-tag"]),
            (0, 1, 1),
            "{at}"
        );
        assert_eq!(
            read_as(&app, shape, shape.token, &format!("/articles/{id}")).await,
            replaced
        );
    }
}

#[tokio::test]
async fn who_may_edit_an_article_follows_its_permissions_and_others_get_403_not_post_owner() {
    let app = spawn_app_without_content().await;
    let shape = &SHAPES[0];
    // Bob (main user 2) is in group 3, Frontend Guild; Liam (5) is the moderator.
    let liam = mint(&app, 1005, "main").await;
    let cases = [
        (json!({"editableBy": "ownerOnly"}), false),
        (
            json!({"editableBy": "specificEditors", "editorUserIds": [4]}),
            false,
        ),
        (
            json!({"editableBy": "specificEditors", "editorUserIds": [2]}),
            true,
        ),
        (
            json!({"editableBy": "specificEditors", "editorUserGroupIds": [3]}),
            true,
        ),
        (json!({"editableBy": "everyone"}), true),
    ];
    for (permissions, bob_may) in cases {
        let created = create_article(
            &app,
            shape,
            "ada-rw",
            &article_body("P", &["rust"], permissions.clone()),
        )
        .await;
        let id = created["id"].clone();
        let path = shape.url(&format!("/articles/{id}"));
        let as_bob = read_as(&app, shape, "bob-rw", &format!("/articles/{id}")).await;
        assert_eq!(as_bob["userCanEdit"], bob_may, "{permissions}");
        let as_liam = read_as(&app, shape, &liam, &format!("/articles/{id}")).await;
        assert_eq!(
            as_liam["userCanEdit"], true,
            "moderators edit: {permissions}"
        );
        let edit = article_body("Bob's", &["rust"], permissions.clone());
        let res = app.put(&path).token("bob-rw").json(&edit).send().await;
        if bob_may {
            assert_eq!(res.ok_json(200)["lastEditor"]["id"], 2, "{permissions}");
        } else {
            res.expect_problem(403, "/v3/errors/forbidden");
            assert_eq!(res.header("x-mock-reason"), Some("not-post-owner"));
            assert_eq!(
                read_as(&app, shape, "ada-rw", &format!("/articles/{id}")).await["title"],
                "P",
                "refused: unchanged"
            );
        }
    }
    app.put(&shape.url("/articles/999999"))
        .token("ada-rw")
        .json(&article_body("T", &["rust"], json!({})))
        .send()
        .await
        .expect_problem(404, "/v3/errors/article/not-found");
}

#[tokio::test]
async fn deleting_an_article_is_soft_owner_moderator_or_admin_and_uncounts_its_tags() {
    let app = spawn_app_without_content().await;
    let shape = &SHAPES[0];
    let liam = mint(&app, 1005, "main").await;
    let bobs = create_article(
        &app,
        shape,
        "bob-rw",
        &article_body("Bob's", &["doomed"], json!({"editableBy": "everyone"})),
    )
    .await;
    let id = bobs["id"].clone();
    let path = shape.url(&format!("/articles/{id}"));
    let other = mint(&app, 1006, "main").await;
    let refused = app.delete(&path).token(&other).send().await;
    refused.expect_problem(403, "/v3/errors/forbidden");
    assert_eq!(
        refused.header("x-mock-reason"),
        Some("not-post-owner"),
        "editing rights are not deleting rights"
    );
    assert_eq!(post_counts(&app, shape).await["doomed"], 1);
    app.delete(&path).token(&liam).send().await.expect(204);
    assert_eq!(post_counts(&app, shape).await["doomed"], 0);
    app.get(&path)
        .token("bob-rw")
        .send()
        .await
        .expect_problem(404, "/v3/errors/article/not-found");
    let seen = read_as(&app, shape, "ada-rw", &format!("/articles/{id}")).await;
    assert_eq!(seen["isDeleted"], true, "admins still read it");
    assert_eq!(
        read_as(&app, shape, &liam, &format!("/articles/{id}")).await["isDeleted"],
        true
    );
    for token in ["ada-rw", "bob-rw"] {
        let list = read_as(&app, shape, token, "/articles").await;
        assert_eq!(list["totalCount"], 0, "lists leave it out for {token}");
    }
    app.delete(&path).token("bob-rw").send().await.expect(404);
    app.delete(&path)
        .token("ada-rw")
        .send()
        .await
        .expect_problem(400, "/v3/errors/post/not-writable");
    app.get(&shape.url(&format!("/articles/{id}/comments")))
        .token("bob-rw")
        .send()
        .await
        .expect(404);
    // The owner may delete their own.
    let mine = create_article(
        &app,
        shape,
        "bob-rw",
        &article_body("Mine", &["rust"], json!({})),
    )
    .await;
    app.delete(&shape.url(&format!("/articles/{}", mine["id"])))
        .token("bob-rw")
        .send()
        .await
        .expect(204);
}

#[tokio::test]
async fn upvotes_count_once_move_the_owners_reputation_and_are_refused_on_ones_own_article() {
    let app = spawn_app_without_content().await;
    for shape in &SHAPES {
        let voter = match shape.prefix {
            "/v3/teams/acme" => mint(&app, 1002, "acme").await,
            _ => "bob-rw".to_string(),
        };
        let created = create_article(
            &app,
            shape,
            shape.token,
            &article_body("Vote", &["rust"], json!({})),
        )
        .await;
        let owner = created["owner"]["id"].clone();
        let rep = |app: &TestApp| {
            let url = shape.url(&format!("/users/{owner}"));
            let token = shape.token;
            let app_get = app.get(&url).token(token);
            async move {
                app_get.send().await.ok_json(200)["reputation"]
                    .as_i64()
                    .unwrap()
            }
        };
        let before = rep(&app).await;
        let up = shape.url(&format!("/articles/{}/upvote", created["id"]));
        for _ in 0..2 {
            let voted = app.post(&up).token(&voter).send().await.ok_json(200);
            assert_eq!(
                (voted["score"].clone(), voted["userHasUpvoted"].clone()),
                (json!(1), json!(true)),
                "{}",
                shape.prefix
            );
        }
        assert_eq!(rep(&app).await, before + 10, "{}: +10 once", shape.prefix);
        let as_owner = read_as(
            &app,
            shape,
            shape.token,
            &format!("/articles/{}", created["id"]),
        )
        .await;
        assert_eq!(
            (
                as_owner["score"].clone(),
                as_owner["userHasUpvoted"].clone()
            ),
            (json!(1), json!(false)),
            "caller-relative"
        );
        let own = app.post(&up).token(shape.token).send().await;
        own.expect_problem(403, "/v3/errors/forbidden");
        assert_eq!(own.header("x-mock-reason"), Some("own-post"));
        app.delete(&up)
            .token(shape.read_only)
            .send()
            .await
            .expect_forbidden();
        assert_eq!(rep(&app).await, before + 10, "refused votes change nothing");
        for _ in 0..2 {
            let unvoted = app.delete(&up).token(&voter).send().await.ok_json(200);
            assert_eq!(
                (unvoted["score"].clone(), unvoted["userHasUpvoted"].clone()),
                (json!(0), json!(false))
            );
        }
        assert_eq!(rep(&app).await, before, "{}: taken back", shape.prefix);
    }
}

#[tokio::test]
async fn the_article_list_filters_by_tag_author_and_date_and_sorts() {
    let app = spawn_app_without_content().await;
    let shape = &SHAPES[0];
    app.put("/__admin/clock")
        .json(&json!({"now": "2030-01-01T00:00:00Z"}))
        .send()
        .await
        .expect(200);
    let a = create_article(
        &app,
        shape,
        "ada-rw",
        &article_body("A", &["rust"], json!({})),
    )
    .await["id"]
        .clone();
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 86400}))
        .send()
        .await
        .expect(200);
    let b = create_article(
        &app,
        shape,
        "bob-rw",
        &article_body("B", &["python", "docs"], json!({})),
    )
    .await["id"]
        .clone();
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 86400}))
        .send()
        .await
        .expect(200);
    let c = create_article(
        &app,
        shape,
        "ada-rw",
        &article_body("C", &["docs"], json!({})),
    )
    .await["id"]
        .clone();
    app.post(&shape.url(&format!("/articles/{a}/upvote")))
        .token("bob-rw")
        .send()
        .await
        .expect(200);
    let list = |q: &'static str| read_as(&app, shape, "bob-ro", q);
    let (a, b, c) = (
        a.as_u64().unwrap(),
        b.as_u64().unwrap(),
        c.as_u64().unwrap(),
    );
    let page = list("/articles").await;
    assert_eq!(
        (page["sort"].clone(), page["order"].clone()),
        (json!("activity"), json!("desc"))
    );
    assert_eq!(ids(&page), [c, b, a]);
    assert_eq!(
        ids(&list("/articles?sort=creation&order=asc").await),
        [a, b, c]
    );
    assert_eq!(ids(&list("/articles?sort=score").await)[0], a);
    assert_eq!(ids(&list("/articles?tagId=1").await), [a], "tag 1 is rust");
    let docs =
        read_as(&app, shape, "bob-ro", "/tags?partialName=docs").await["items"][0]["id"].clone();
    let python =
        read_as(&app, shape, "bob-ro", "/tags?partialName=python").await["items"][0]["id"].clone();
    let both = read_as(
        &app,
        shape,
        "bob-ro",
        &format!("/articles?tagId={docs}&TAGID={python}&sort=creation&order=asc"),
    )
    .await;
    assert_eq!(ids(&both), [b, c], "any of the tags");
    assert_eq!(ids(&list("/articles?authorId=2").await), [b]);
    assert_eq!(
        ids(&list("/articles?authorId=1&sort=creation&order=asc").await),
        [a, c]
    );
    let shown = read_as(&app, shape, "bob-ro", &format!("/articles/{b}")).await["creationDate"]
        .as_str()
        .unwrap()
        .to_string();
    let exactly = format!("/articles?from={shown}&to={shown}");
    assert_eq!(
        ids(&read_as(&app, shape, "bob-ro", &exactly).await),
        [b],
        "from and to are inclusive, to the second shown"
    );
    assert_eq!(
        ids(&list("/articles?from=2031-01-01").await),
        Vec::<u64>::new()
    );
    let paged = list("/articles?pageSize=15&page=2").await;
    assert_eq!(
        (paged["totalCount"].clone(), paged["items"].clone()),
        (json!(3), json!([]))
    );
    for bad in [
        "tagId=x",
        "authorId=me",
        "from=yesterday",
        "sort=views",
        "pageSize=7",
    ] {
        app.get(&shape.url(&format!("/articles?{bad}")))
            .token("bob-ro")
            .send()
            .await
            .expect(400);
    }
}

#[tokio::test]
async fn an_articles_comments_are_an_array_and_a_missing_article_is_a_404() {
    let app = spawn_app_without_content().await;
    for shape in &SHAPES {
        let id = create_article(
            &app,
            shape,
            shape.token,
            &article_body("C", &["rust"], json!({})),
        )
        .await["id"]
            .clone();
        let comments = app
            .get(&shape.url(&format!("/articles/{id}/comments")))
            .token(shape.read_only)
            .send()
            .await
            .ok_json(200);
        assert_eq!(comments, json!([]), "{}", shape.prefix);
        app.get(&shape.url("/articles/999999/comments"))
            .token(shape.read_only)
            .send()
            .await
            .expect_problem(404, "/v3/errors/article/not-found");
    }
}

#[tokio::test]
async fn articles_live_in_their_sandbox_and_faults_reach_their_routes() {
    let app = spawn_app_without_content().await;
    let sb = app.sandbox().await;
    app.post(&format!("{sb}/api/v3/articles"))
        .token("ada-rw")
        .json(&article_body("Sandboxed", &["rust"], json!({})))
        .send()
        .await
        .expect(201);
    let inside = app
        .get(&format!("{sb}/api/v3/articles"))
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(inside["totalCount"], 1);
    let root = app
        .get("/api/v3/articles")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(root["totalCount"], 0, "the root never saw it");
    app.post("/api/v3/articles")
        .token("ada-rw")
        .header("x-mock-fault", "status=503")
        .json(&article_body("Faulted", &["rust"], json!({})))
        .unchecked()
        .send()
        .await
        .expect(503);
    let root = app
        .get("/api/v3/articles")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(root["totalCount"], 0, "a faulted write changes nothing");
}
