//! The v3 subject-matter-expert writes (contract §3): `PUT …/subject-matter-experts` replaces
//! both lists, the `POST`s add and answer the whole set, the `DELETE`s answer 204; under every
//! URL shape, with every error row, each checked afterwards through the read routes.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::site_state::*;

fn smes(shape: &Shape, tag: u32) -> String {
    shape.url(&format!("/tags/{tag}/subject-matter-experts"))
}

/// The tag's SME set and count as `GET /tags/{id}` shows them, checked against each other and
/// against `GET …/subject-matter-experts`.
async fn tag_smes(app: &TestApp, shape: &Shape, tag: u32) -> (Value, u64) {
    let detail = read(app, shape, &format!("/tags/{tag}")).await;
    let set = detail["subjectMatterExperts"].clone();
    let count = detail["subjectMatterExpertCount"]
        .as_u64()
        .expect("SMEs are enabled");
    assert_eq!(
        count as usize,
        distinct_smes(&set),
        "{}: count and set of tag {tag} agree: {detail}",
        shape.prefix
    );
    assert_eq!(
        read(app, shape, &format!("/tags/{tag}/subject-matter-experts")).await,
        set
    );
    (set, count)
}

fn sorted(ids: &[u32]) -> Vec<u64> {
    let mut ids: Vec<u64> = ids.iter().map(|&id| u64::from(id)).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[tokio::test]
async fn put_replaces_both_lists_and_answers_the_new_set() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let [a, b, _] = shape.outsiders;
        assert!(
            tags_with_smes(&app, shape, false)
                .await
                .contains(&u64::from(shape.free_tag))
        );
        let body = json!({ "userIds": [b, a, b], "userGroupIds": [shape.other_group] });
        let set = app
            .put(&smes(shape, shape.free_tag))
            .token(shape.token)
            .json(&body)
            .send()
            .await
            .ok_json(200);
        assert_eq!(user_ids(&set), sorted(&[a, b]), "{}", shape.prefix);
        assert_eq!(group_ids(&set), vec![u64::from(shape.other_group)]);
        let (now, count) = tag_smes(&app, shape, shape.free_tag).await;
        assert_eq!(now, set, "{}: the answer is the stored set", shape.prefix);
        assert!(count >= 2);
        assert!(
            tags_with_smes(&app, shape, true)
                .await
                .contains(&u64::from(shape.free_tag)),
            "{}: hasSmes=true lists it",
            shape.prefix
        );
    }
}

#[tokio::test]
async fn put_replaces_rather_than_merges() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let a = shape.outsiders[0];
        let set = app
            .put(&smes(shape, shape.sme_tag))
            .token(shape.token)
            .json(&json!({ "userIds": [a] }))
            .send()
            .await
            .ok_json(200);
        assert_eq!(user_ids(&set), vec![u64::from(a)], "{}", shape.prefix);
        assert_eq!(
            set["userGroups"],
            json!([]),
            "{}: an absent userGroupIds clears the groups",
            shape.prefix
        );
        assert_eq!(tag_smes(&app, shape, shape.sme_tag).await, (set, 1));
    }
}

#[tokio::test]
async fn put_with_empty_or_absent_lists_clears_the_tag() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        for body in [
            json!({ "userIds": [], "userGroupIds": [] }),
            json!({}),
            json!({ "userIds": null, "userGroupIds": null }),
        ] {
            let set = app
                .put(&smes(shape, shape.sme_tag))
                .token(shape.token)
                .json(&body)
                .send()
                .await
                .ok_json(200);
            assert_eq!(
                set,
                json!({ "users": [], "userGroups": [] }),
                "{}: {body}",
                shape.prefix
            );
        }
        assert_eq!(tag_smes(&app, shape, shape.sme_tag).await.1, 0);
        assert!(
            tags_with_smes(&app, shape, false)
                .await
                .contains(&u64::from(shape.sme_tag)),
            "{}: hasSmes=false lists it",
            shape.prefix
        );
        assert!(
            !tags_with_smes(&app, shape, true)
                .await
                .contains(&u64::from(shape.sme_tag))
        );
    }
}

#[tokio::test]
async fn adding_sme_users_answers_the_whole_set_and_is_idempotent() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let a = shape.outsiders[0];
        let (before, count) = tag_smes(&app, shape, shape.sme_tag).await;
        let path = format!("{}/users", smes(shape, shape.sme_tag));
        let set = app
            .post(&path)
            .token(shape.token)
            .json(&json!([a, a]))
            .send()
            .await
            .ok_json(200);
        let mut expected = user_ids(&before);
        expected.push(u64::from(a));
        expected.sort_unstable();
        assert_eq!(user_ids(&set), expected, "{}", shape.prefix);
        assert_eq!(
            set["userGroups"], before["userGroups"],
            "{}: groups are untouched",
            shape.prefix
        );
        assert_eq!(
            tag_smes(&app, shape, shape.sme_tag).await,
            (set.clone(), count + 1),
            "{}: the count follows",
            shape.prefix
        );
        let again = app
            .post(&path)
            .token(shape.token)
            .json(&json!([a]))
            .send()
            .await
            .ok_json(200);
        assert_eq!(
            again, set,
            "{}: adding an SME twice changes nothing",
            shape.prefix
        );
    }
}

#[tokio::test]
async fn adding_sme_groups_answers_the_whole_set_and_is_idempotent() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let path = format!("{}/user-groups", smes(shape, shape.free_tag));
        let set = app
            .post(&path)
            .token(shape.token)
            .json(&json!([shape.other_group]))
            .send()
            .await
            .ok_json(200);
        assert_eq!(set["users"], json!([]));
        assert_eq!(group_ids(&set), vec![u64::from(shape.other_group)]);
        let members = read(&app, shape, &format!("/user-groups/{}", shape.other_group)).await;
        assert_eq!(
            set["userGroups"][0], members,
            "{}: the SME group comes with its members",
            shape.prefix
        );
        let (now, count) = tag_smes(&app, shape, shape.free_tag).await;
        assert_eq!(now, set);
        assert_eq!(count as usize, members["users"].as_array().unwrap().len());
        let again = app
            .post(&path)
            .token(shape.token)
            .json(&json!([shape.other_group, shape.other_group]))
            .send()
            .await
            .ok_json(200);
        assert_eq!(again, set, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn removing_an_sme_user_answers_204_and_removing_one_not_there_is_a_no_op() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let (before, _) = tag_smes(&app, shape, shape.sme_tag).await;
        let sme = user_ids(&before)[0];
        let res = app
            .delete(&format!("{}/users/{sme}", smes(shape, shape.sme_tag)))
            .token(shape.token)
            .send()
            .await;
        res.expect(204);
        assert!(res.text.is_empty(), "204 has no body: {:?}", res.text);
        let (after, _) = tag_smes(&app, shape, shape.sme_tag).await;
        assert!(
            !user_ids(&after).contains(&sme),
            "{}: {sme} is no longer an SME: {after}",
            shape.prefix
        );
        let state = site_state(&app, shape).await;
        for user in [sme, u64::from(shape.outsiders[2]), 4242] {
            app.delete(&format!("{}/users/{user}", smes(shape, shape.sme_tag)))
                .token(shape.token)
                .send()
                .await
                .expect(204);
        }
        assert_eq!(
            site_state(&app, shape).await,
            state,
            "{}: removing a non-SME changes nothing",
            shape.prefix
        );
    }
}

#[tokio::test]
async fn removing_an_sme_group_answers_204_and_removing_one_not_there_is_a_no_op() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let path = format!("{}/user-groups/{}", smes(shape, shape.sme_tag), shape.group);
        app.delete(&path)
            .token(shape.token)
            .send()
            .await
            .expect(204);
        let (after, _) = tag_smes(&app, shape, shape.sme_tag).await;
        assert!(
            !group_ids(&after).contains(&u64::from(shape.group)),
            "{}: {after}",
            shape.prefix
        );
        let state = site_state(&app, shape).await;
        app.delete(&path)
            .token(shape.token)
            .send()
            .await
            .expect(204);
        app.delete(&format!("{}/user-groups/999", smes(shape, shape.sme_tag)))
            .token(shape.token)
            .send()
            .await
            .expect(204);
        assert_eq!(site_state(&app, shape).await, state, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn the_last_sme_removed_takes_the_tag_out_of_has_smes() {
    let app = spawn_app().await;
    // acme tag 3 (billing-api) has users 9 and 10 and no groups.
    let shape = &SHAPES[2];
    for user in [9, 10] {
        assert!(tags_with_smes(&app, shape, true).await.contains(&3));
        app.delete(&shape.url(&format!("/tags/3/subject-matter-experts/users/{user}")))
            .token(shape.token)
            .send()
            .await
            .expect(204);
    }
    assert!(tags_with_smes(&app, shape, false).await.contains(&3));
    let summary = read(&app, shape, "/tags?partialName=billing-api").await;
    assert_eq!(summary["items"][0]["subjectMatterExpertCount"], 0);
}

/// Every SME write on `tag`, with a body that would succeed.
fn sme_writes(shape: &Shape, tag: u32) -> Vec<(Method, String, Option<Value>)> {
    let base = smes(shape, tag);
    vec![
        (
            Method::PUT,
            base.clone(),
            Some(json!({ "userIds": [shape.outsiders[0]] })),
        ),
        (
            Method::POST,
            format!("{base}/users"),
            Some(json!([shape.outsiders[0]])),
        ),
        (
            Method::POST,
            format!("{base}/user-groups"),
            Some(json!([shape.other_group])),
        ),
        (
            Method::DELETE,
            format!("{base}/users/{}", shape.outsiders[0]),
            None,
        ),
        (
            Method::DELETE,
            format!("{base}/user-groups/{}", shape.group),
            None,
        ),
    ]
}

async fn send(
    app: &TestApp,
    method: &Method,
    path: &str,
    body: Option<&Value>,
    token: Option<&str>,
) -> Resp {
    let mut call = app.call(method.clone(), path);
    if let Some(token) = token {
        call = call.token(token);
    }
    if let Some(body) = body {
        call = call.json(body);
    }
    call.send().await
}

#[tokio::test]
async fn an_unknown_tag_is_a_404_on_every_sme_route_even_with_a_bad_body() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        for (method, path, body) in sme_writes(shape, 999) {
            let res = send(&app, &method, &path, body.as_ref(), Some(shape.token)).await;
            let problem = res.expect_problem(404, "/v3/errors/tag/not-found");
            assert_eq!(problem["title"], "Tag not found");
            if body.is_some() {
                let res = app
                    .call(method, &path)
                    .token(shape.token)
                    .body("application/json", "{oops")
                    .send()
                    .await;
                res.expect_problem(404, "/v3/errors/tag/not-found");
            }
        }
        app.get(&smes(shape, 999))
            .token(shape.token)
            .send()
            .await
            .expect(404);
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn every_sme_route_answers_422_where_smes_are_disabled() {
    let app = spawn_app().await;
    // platform: SMEs off; tag 1 exists, 999 does not; group 1 "Maintainers" [1, 3, 4].
    let platform = Shape {
        prefix: "/api/v3/teams/platform",
        token: "ada-rw",
        read_only: "bob-ro",
        outsiders: [2, 5, 6],
        group: 1,
        group_members: &[1, 3, 4],
        sme_tag: 1,
        free_tag: 2,
        other_group: 1,
    };
    let before = site_state(&app, &platform).await;
    assert_eq!(
        read(&app, &platform, "/tags/1").await["subjectMatterExpertCount"],
        Value::Null
    );
    for tag in [1, 2, 999] {
        app.get(&smes(&platform, tag))
            .token("ada-rw")
            .send()
            .await
            .expect_problem(422, "/v3/errors/subject-matter-experts/not-enabled");
        for (method, path, body) in sme_writes(&platform, tag) {
            let res = send(&app, &method, &path, body.as_ref(), Some("ada-rw")).await;
            let problem = res.expect_problem(422, "/v3/errors/subject-matter-experts/not-enabled");
            assert_eq!(
                problem["title"],
                "Subject matter experts feature not enabled"
            );
            if body.is_some() {
                app.call(method.clone(), &path)
                    .token("ada-rw")
                    .body("text/plain", "x")
                    .send()
                    .await
                    .expect(422);
            }
            // 403 comes before 422.
            send(&app, &method, &path, body.as_ref(), Some("bob-ro"))
                .await
                .expect_forbidden();
        }
    }
    assert_eq!(site_state(&app, &platform).await, before);
}

#[tokio::test]
async fn unknown_user_or_group_ids_are_named_and_change_nothing() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        let a = shape.outsiders[0];
        let put = smes(shape, shape.sme_tag);
        let cases = [
            (
                Method::PUT,
                put.clone(),
                json!({ "userIds": [a, 999, 0], "userGroupIds": [] }),
                "/v3/errors/users/not-found",
                "Users not found on this site: 999, 0",
            ),
            (
                Method::PUT,
                put.clone(),
                json!({ "userIds": [a], "userGroupIds": [shape.other_group, 77, -2] }),
                "/v3/errors/user-groups/not-found",
                "User groups not found on this site: 77, -2",
            ),
            (
                Method::POST,
                format!("{put}/users"),
                json!([a, 4242]),
                "/v3/errors/users/not-found",
                "Users not found on this site: 4242",
            ),
            (
                Method::POST,
                format!("{put}/user-groups"),
                json!([shape.other_group, 0]),
                "/v3/errors/user-groups/not-found",
                "User groups not found on this site: 0",
            ),
        ];
        for (method, path, body, type_, detail) in cases {
            let problem = app
                .call(method, &path)
                .token(shape.token)
                .json(&body)
                .send()
                .await
                .expect_problem(400, type_);
            assert_eq!(problem["detail"], detail, "{}: {body}", shape.prefix);
        }
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn malformed_bodies_are_a_400_and_change_nothing() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        let put = smes(shape, shape.sme_tag);
        app.put(&put)
            .token(shape.token)
            .json(&json!([1, 2]))
            .send()
            .await
            .expect_validation("$");
        app.put(&put)
            .token(shape.token)
            .json(&json!([[1], [2]]))
            .send()
            .await
            .expect_validation("$");
        app.put(&put)
            .token(shape.token)
            .json(&json!({ "userIds": "1" }))
            .send()
            .await
            .expect_validation("$.userIds");
        app.put(&put)
            .token(shape.token)
            .json(&json!({ "users": [1] }))
            .send()
            .await
            .expect(400);
        app.post(&format!("{put}/users"))
            .token(shape.token)
            .json(&json!({ "userIds": [1] }))
            .send()
            .await
            .expect_validation("$");
        app.post(&format!("{put}/user-groups"))
            .token(shape.token)
            .json(&json!(["1"]))
            .send()
            .await
            .expect_validation("$[0]");
        app.post(&format!("{put}/users"))
            .token(shape.token)
            .body("application/json", "[1,")
            .send()
            .await
            .expect(400);
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415_and_one_over_the_limit_a_413() {
    let app = spawn_app().await;
    let huge = format!("[{}1]", "1,".repeat(600_000));
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        for (method, path, body) in sme_writes(shape, shape.sme_tag) {
            let Some(body) = body else { continue };
            let res = app
                .call(method.clone(), &path)
                .token(shape.token)
                .body("text/plain", body.to_string())
                .send()
                .await;
            res.expect_problem(415, "https://tools.ietf.org/html/rfc7231#section-6.5.13");
            app.call(method.clone(), &path)
                .token(shape.token)
                .send()
                .await
                .expect(415);
            let res = app
                .call(method, &path)
                .token(shape.token)
                .body("application/json", huge.clone())
                .send()
                .await;
            res.expect_problem(413, "/v3/errors/request/too-large");
        }
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn read_only_tokens_and_basic_teams_get_403_and_change_nothing() {
    let app = spawn_app().await;
    let startup = Shape {
        prefix: "/v3/teams/startup",
        token: "startup-rw",
        read_only: "startup-ro",
        outsiders: [2, 4, 5],
        group: 1,
        group_members: &[1, 2],
        sme_tag: 1,
        free_tag: 2,
        other_group: 1,
    };
    for shape in SHAPES.iter().chain([&startup]) {
        let before = site_state(&app, shape).await;
        for (method, path, body) in sme_writes(shape, shape.sme_tag) {
            send(&app, &method, &path, body.as_ref(), Some(shape.read_only))
                .await
                .expect_forbidden();
            if shape.prefix == startup.prefix {
                send(&app, &method, &path, body.as_ref(), Some("startup-rw"))
                    .await
                    .expect_forbidden();
            }
            // 403 comes before 404.
            let (method, path, body) = sme_writes(shape, 999)
                .into_iter()
                .find(|(m, p, _)| *m == method && p.ends_with(path.rsplit('/').next().unwrap()))
                .unwrap();
            send(&app, &method, &path, body.as_ref(), Some(shape.read_only))
                .await
                .expect_forbidden();
        }
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn sme_writes_without_a_valid_token_are_401() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        for (method, path, body) in sme_writes(shape, 999) {
            send(&app, &method, &path, body.as_ref(), None)
                .await
                .expect_unauthorized();
            send(&app, &method, &path, body.as_ref(), Some("no-such-token"))
                .await
                .expect_unauthorized();
        }
    }
    // A token of another site: acme's PAT on the Enterprise main site.
    send(
        &app,
        &Method::PUT,
        "/api/v3/tags/1/subject-matter-experts",
        Some(&json!({})),
        Some("acme-admin-rw"),
    )
    .await
    .expect_unauthorized();
}

#[tokio::test]
async fn bad_path_ids_are_a_400_naming_the_parameter() {
    let app = spawn_app().await;
    let shape = &SHAPES[0];
    let t = shape.token;
    app.put(&shape.url("/tags/x/subject-matter-experts"))
        .token(t)
        .json(&json!({}))
        .send()
        .await
        .expect_validation("tagId");
    app.post(&shape.url("/tags/0/subject-matter-experts/users"))
        .token(t)
        .json(&json!([1]))
        .send()
        .await
        .expect_validation("tagId");
    app.delete(&shape.url("/tags/1/subject-matter-experts/users/0"))
        .token(t)
        .send()
        .await
        .expect_validation("userId");
    app.delete(&shape.url("/tags/1/subject-matter-experts/user-groups/9999999999"))
        .token(t)
        .send()
        .await
        .expect_validation("userGroupId");
}
