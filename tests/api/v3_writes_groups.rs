//! The v3 user-group writes (contract §3): `POST /user-groups`, the full-replace
//! `PUT /user-groups/{id}`, `POST …/members` and `DELETE …/members/{userId}`, under every
//! URL shape, with every error row, each checked afterwards through the read routes.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::site_state::*;

async fn create(app: &TestApp, shape: &Shape, body: &Value) -> Resp {
    app.post(&shape.url("/user-groups"))
        .token(shape.token)
        .json(body)
        .send()
        .await
}

#[tokio::test]
async fn creating_a_group_answers_201_and_the_group_is_readable_at_once() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let [a, b, _] = shape.outsiders;
        let body =
            json!({ "name": "Release Captains", "description": "Ship it", "userIds": [b, a, a] });
        let created = create(&app, shape, &body).await.ok_json(201);
        assert_eq!(created["name"], "Release Captains", "{}", shape.prefix);
        assert_eq!(created["description"], "Ship it");
        let mut members = vec![u64::from(a), u64::from(b)];
        members.sort_unstable();
        assert_eq!(
            user_ids(&created),
            members,
            "{}: duplicates count once",
            shape.prefix
        );
        let id = created["id"].as_u64().unwrap();
        assert_eq!(
            read(&app, shape, &format!("/user-groups/{id}")).await,
            created,
            "{}",
            shape.prefix
        );
        let list = read(&app, shape, "/user-groups?pageSize=100").await;
        assert!(
            ids(&list).contains(&id),
            "{}: the new group is listed: {list}",
            shape.prefix
        );
    }
}

#[tokio::test]
async fn a_created_group_gets_a_fresh_id_and_absent_fields_are_empty() {
    let app = spawn_app().await;
    let shape = &SHAPES[0];
    let before = ids(&read(&app, shape, "/user-groups?pageSize=100").await);
    let created = create(&app, shape, &json!({ "name": "Nameless" }))
        .await
        .ok_json(201);
    assert_eq!(created["description"], "");
    assert_eq!(created["users"], json!([]));
    let id = created["id"].as_u64().unwrap();
    assert!(
        before.iter().all(|old| *old < id),
        "id {id} is above every existing id {before:?}"
    );
}

#[tokio::test]
async fn creating_a_group_without_a_name_is_a_400_naming_name_and_changes_nothing() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        for body in [
            json!({}),
            json!({ "name": null }),
            json!({ "name": "" }),
            json!({ "name": "   ", "userIds": [] }),
        ] {
            create(&app, shape, &body).await.expect_validation("Name");
        }
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn group_names_are_unique_per_site_ignoring_case() {
    let app = spawn_app().await;
    let shape = &SHAPES[0];
    let before = site_state(&app, shape).await;
    let res = create(&app, shape, &json!({ "name": "  platform " })).await;
    let body = res.expect_problem(400, "/v3/errors/user-group/duplicate-name");
    assert!(
        body["detail"].as_str().unwrap().contains("platform"),
        "{body}"
    );
    assert_eq!(site_state(&app, shape).await, before);
    // The same name on another site is fine: uniqueness is per site.
    create(&app, &SHAPES[1], &json!({ "name": "Platform" }))
        .await
        .expect(201);
}

#[tokio::test]
async fn creating_a_group_with_unknown_user_ids_names_them_and_changes_nothing() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        let body = json!({ "name": "Ghosts", "userIds": [shape.outsiders[0], 999, 0, -3, 999] });
        let problem = create(&app, shape, &body)
            .await
            .expect_problem(400, "/v3/errors/users/not-found");
        assert_eq!(
            problem["detail"], "Users not found on this site: 999, 0, -3",
            "{}",
            shape.prefix
        );
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn a_user_of_another_site_is_an_unknown_user() {
    let app = spawn_app().await;
    // 41 is a user of main, not of productone (which has users 1–8).
    let shape = &SHAPES[1];
    create(&app, shape, &json!({ "name": "X", "userIds": [41] }))
        .await
        .expect_problem(400, "/v3/errors/users/not-found");
}

#[tokio::test]
async fn put_is_a_full_replace_that_clears_an_absent_description_and_empties_the_group() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let path = shape.url(&format!("/user-groups/{}", shape.group));
        let before = read(&app, shape, &format!("/user-groups/{}", shape.group)).await;
        assert!(
            !before["description"].as_str().unwrap().is_empty(),
            "{}: the fixture group has a description",
            shape.prefix
        );
        let name = before["name"].as_str().unwrap();
        // The trap: sending only the name (as the official SDK's update() does) drops the rest.
        let replaced = app
            .put(&path)
            .token(shape.token)
            .json(&json!({ "name": name }))
            .send()
            .await
            .ok_json(200);
        assert_eq!(replaced["name"], name);
        assert_eq!(replaced["description"], "", "{}", shape.prefix);
        assert_eq!(replaced["users"], json!([]), "{}", shape.prefix);
        assert_eq!(
            read(&app, shape, &format!("/user-groups/{}", shape.group)).await,
            replaced,
            "{}",
            shape.prefix
        );
    }
}

#[tokio::test]
async fn put_with_every_field_replaces_every_field() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let [a, b, _] = shape.outsiders;
        let path = shape.url(&format!("/user-groups/{}", shape.group));
        let body = json!({ "name": "Renamed", "description": "New words", "userIds": [a, b] });
        let replaced = app
            .put(&path)
            .token(shape.token)
            .json(&body)
            .send()
            .await
            .ok_json(200);
        assert_eq!(replaced["id"], shape.group);
        assert_eq!(replaced["name"], "Renamed");
        assert_eq!(replaced["description"], "New words");
        let mut expected = vec![u64::from(a), u64::from(b)];
        expected.sort_unstable();
        assert_eq!(user_ids(&replaced), expected, "{}", shape.prefix);
        assert_eq!(
            read(&app, shape, &format!("/user-groups/{}", shape.group)).await,
            replaced
        );
    }
}

#[tokio::test]
async fn put_may_keep_the_groups_own_name_in_another_case_but_not_take_anothers() {
    let app = spawn_app().await;
    let shape = &SHAPES[0];
    let path = shape.url("/user-groups/1");
    app.put(&path)
        .token(shape.token)
        .json(&json!({ "name": "PLATFORM", "userIds": [1] }))
        .send()
        .await
        .expect(200);
    let before = site_state(&app, shape).await;
    let res = app
        .put(&path)
        .token(shape.token)
        .json(&json!({ "name": "security champions" }))
        .send()
        .await;
    res.expect_problem(400, "/v3/errors/user-group/duplicate-name");
    assert_eq!(site_state(&app, shape).await, before);
}

#[tokio::test]
async fn put_on_an_unknown_group_is_a_404() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        let res = app
            .put(&shape.url("/user-groups/999"))
            .token(shape.token)
            .json(&json!({ "name": "Nope" }))
            .send()
            .await;
        res.expect_problem(404, "/v3/errors/user-group/not-found");
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn a_refused_put_changes_nothing() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let path = shape.url(&format!("/user-groups/{}", shape.group));
        let before = site_state(&app, shape).await;
        let cases = [
            (json!({ "description": "no name", "userIds": [] }), 400),
            (
                json!({ "name": "Valid", "userIds": [shape.outsiders[0], 4242] }),
                400,
            ),
            (json!({ "name": "Valid", "userIds": "all" }), 400),
            (json!({ "name": "Valid", "members": [] }), 400),
            (json!(["Valid", "", []]), 400),
        ];
        for (body, status) in cases {
            app.put(&path)
                .token(shape.token)
                .json(&body)
                .send()
                .await
                .expect(status);
        }
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn a_group_write_shows_at_once_in_the_sme_sets_and_counts_of_tags() {
    let app = spawn_app().await;
    // main: tag 1 (rust) has SME users 1 and 12 and the group Platform; tag 3 (kubernetes) has
    // Platform and SRE On-Call. Emptying Platform (PUT without userIds) changes both counts.
    let shape = &SHAPES[0];
    assert_eq!(
        read(&app, shape, "/tags/1").await["subjectMatterExpertCount"],
        6
    );
    assert_eq!(
        read(&app, shape, "/tags/3").await["subjectMatterExpertCount"],
        9
    );
    app.put(&shape.url("/user-groups/1"))
        .token(shape.token)
        .json(&json!({ "name": "Platform" }))
        .send()
        .await
        .expect(200);
    let rust = read(&app, shape, "/tags/1").await;
    assert_eq!(rust["subjectMatterExpertCount"], 2, "{rust}");
    let platform = rust["subjectMatterExperts"]["userGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == 1)
        .cloned()
        .unwrap();
    assert_eq!(
        platform["users"],
        json!([]),
        "the SME group shows its new (empty) membership"
    );
    assert_eq!(
        read(&app, shape, "/tags/3").await["subjectMatterExpertCount"],
        6
    );
    let summary = read(&app, shape, "/tags?partialName=rust").await;
    assert_eq!(summary["items"][0]["subjectMatterExpertCount"], 2);
    // Adding members back is seen the same way.
    app.post(&shape.url("/user-groups/1/members"))
        .token(shape.token)
        .json(&json!([2, 3]))
        .send()
        .await
        .expect(200);
    assert_eq!(
        read(&app, shape, "/tags/1").await["subjectMatterExpertCount"],
        4
    );
    assert_eq!(
        user_ids(&read(&app, shape, "/tags/1/subject-matter-experts").await["userGroups"][0]),
        vec![2, 3]
    );
}

#[tokio::test]
async fn a_group_that_loses_its_last_member_no_longer_gives_its_tag_smes() {
    let app = spawn_app().await;
    // acme tag 5 (data-pipeline) has user 11 and group 3 "Data Team" [11, 18].
    let shape = &SHAPES[2];
    app.delete(&shape.url("/tags/5/subject-matter-experts/users/11"))
        .token(shape.token)
        .send()
        .await
        .expect(204);
    assert!(tags_with_smes(&app, shape, true).await.contains(&5));
    for user in [11, 18] {
        app.delete(&shape.url(&format!("/user-groups/3/members/{user}")))
            .token(shape.token)
            .send()
            .await
            .expect(200);
    }
    assert!(
        tags_with_smes(&app, shape, false).await.contains(&5),
        "a tag whose only SME group is empty has no SMEs"
    );
    assert_eq!(
        read(&app, shape, "/tags/5").await["subjectMatterExpertCount"],
        0
    );
}

#[tokio::test]
async fn adding_members_answers_the_whole_group_and_is_idempotent() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let [a, b, _] = shape.outsiders;
        let path = shape.url(&format!("/user-groups/{}/members", shape.group));
        let mut expected: Vec<u64> = shape
            .group_members
            .iter()
            .map(|&u| u64::from(u))
            .chain([u64::from(a), u64::from(b)])
            .collect();
        expected.sort_unstable();
        let first = app
            .post(&path)
            .token(shape.token)
            .json(&json!([a, b, shape.group_members[0]]))
            .send()
            .await
            .ok_json(200);
        assert_eq!(user_ids(&first), expected, "{}", shape.prefix);
        let again = app
            .post(&path)
            .token(shape.token)
            .json(&json!([a]))
            .send()
            .await
            .ok_json(200);
        assert_eq!(
            again, first,
            "{}: adding a member twice changes nothing",
            shape.prefix
        );
        app.post(&path)
            .token(shape.token)
            .json(&json!([]))
            .send()
            .await
            .expect(200);
        assert_eq!(
            read(&app, shape, &format!("/user-groups/{}", shape.group)).await,
            first,
            "{}",
            shape.prefix
        );
    }
}

#[tokio::test]
async fn adding_unknown_members_names_them_and_changes_nothing() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let path = shape.url(&format!("/user-groups/{}/members", shape.group));
        let before = site_state(&app, shape).await;
        let problem = app
            .post(&path)
            .token(shape.token)
            .json(&json!([shape.outsiders[0], 777, -1]))
            .send()
            .await
            .expect_problem(400, "/v3/errors/users/not-found");
        assert_eq!(problem["detail"], "Users not found on this site: 777, -1");
        app.post(&path)
            .token(shape.token)
            .json(&json!({ "userIds": [shape.outsiders[0]] }))
            .send()
            .await
            .expect_validation("$");
        app.post(&path)
            .token(shape.token)
            .json(&json!([1.5]))
            .send()
            .await
            .expect_validation("$[0]");
        app.post(&path)
            .token(shape.token)
            .json(&json!([3_000_000_000u64]))
            .send()
            .await
            .expect_validation("$[0]");
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn adding_members_to_an_unknown_group_is_a_404_even_with_a_bad_body() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let path = shape.url("/user-groups/999/members");
        let res = app
            .post(&path)
            .token(shape.token)
            .json(&json!([shape.outsiders[0]]))
            .send()
            .await;
        res.expect_problem(404, "/v3/errors/user-group/not-found");
        let res = app
            .post(&path)
            .token(shape.token)
            .body("application/json", "{not json")
            .send()
            .await;
        res.expect_problem(404, "/v3/errors/user-group/not-found");
    }
}

#[tokio::test]
async fn removing_a_member_answers_200_with_the_group() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let member = shape.group_members[0];
        let path = shape.url(&format!("/user-groups/{}/members/{member}", shape.group));
        let group = app
            .delete(&path)
            .token(shape.token)
            .send()
            .await
            .ok_json(200);
        let expected: Vec<u64> = shape.group_members[1..]
            .iter()
            .map(|&u| u64::from(u))
            .collect();
        assert_eq!(user_ids(&group), expected, "{}", shape.prefix);
        assert_eq!(
            read(&app, shape, &format!("/user-groups/{}", shape.group)).await,
            group,
            "{}",
            shape.prefix
        );
    }
}

#[tokio::test]
async fn removing_a_missing_membership_or_from_a_missing_group_is_a_404() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        let not_member = shape.url(&format!(
            "/user-groups/{}/members/{}",
            shape.group, shape.outsiders[0]
        ));
        let body = app
            .delete(&not_member)
            .token(shape.token)
            .send()
            .await
            .expect_problem(404, "/v3/errors/user-group/member-not-found");
        assert_eq!(body["title"], "User group or user not found");
        let not_user = shape.url(&format!("/user-groups/{}/members/4242", shape.group));
        app.delete(&not_user)
            .token(shape.token)
            .send()
            .await
            .expect(404);
        let no_group = shape.url(&format!(
            "/user-groups/999/members/{}",
            shape.group_members[0]
        ));
        app.delete(&no_group)
            .token(shape.token)
            .send()
            .await
            .expect_problem(404, "/v3/errors/user-group/not-found");
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn removing_a_member_twice_is_a_404_the_second_time() {
    let app = spawn_app().await;
    let shape = &SHAPES[1];
    let path = shape.url("/user-groups/1/members/3");
    app.delete(&path)
        .token(shape.token)
        .send()
        .await
        .expect(200);
    app.delete(&path)
        .token(shape.token)
        .send()
        .await
        .expect(404);
}

#[tokio::test]
async fn bad_path_ids_are_a_400_naming_the_parameter() {
    let app = spawn_app().await;
    let shape = &SHAPES[0];
    let t = shape.token;
    app.put(&shape.url("/user-groups/abc"))
        .token(t)
        .json(&json!({ "name": "x" }))
        .send()
        .await
        .expect_validation("userGroupId");
    app.post(&shape.url("/user-groups/0/members"))
        .token(t)
        .json(&json!([1]))
        .send()
        .await
        .expect_validation("userGroupId");
    app.delete(&shape.url("/user-groups/1/members/-4"))
        .token(t)
        .send()
        .await
        .expect_validation("userId");
    app.delete(&shape.url("/user-groups/2147483648/members/1"))
        .token(t)
        .send()
        .await
        .expect_validation("userGroupId");
}

/// Every group write, with a body that would succeed.
fn group_writes(shape: &Shape) -> Vec<(reqwest::Method, String, Option<Value>)> {
    use reqwest::Method;
    let g = shape.group;
    vec![
        (
            Method::POST,
            shape.url("/user-groups"),
            Some(json!({ "name": "Fresh" })),
        ),
        (
            Method::PUT,
            shape.url(&format!("/user-groups/{g}")),
            Some(json!({ "name": "Fresh" })),
        ),
        (
            Method::POST,
            shape.url(&format!("/user-groups/{g}/members")),
            Some(json!([shape.outsiders[0]])),
        ),
        (
            Method::DELETE,
            shape.url(&format!(
                "/user-groups/{g}/members/{}",
                shape.group_members[0]
            )),
            None,
        ),
    ]
}

async fn send_write(
    app: &TestApp,
    method: &reqwest::Method,
    path: &str,
    body: &Option<Value>,
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
async fn read_only_tokens_get_403_forbidden_action_and_change_nothing() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        for (method, path, body) in group_writes(shape) {
            for token in [
                shape.read_only,
                if shape.token == "ada-rw" {
                    "ada-ro"
                } else {
                    shape.read_only
                },
            ] {
                send_write(&app, &method, &path, &body, Some(token))
                    .await
                    .expect_forbidden();
            }
        }
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn writes_on_a_basic_team_are_forbidden_even_with_a_write_token() {
    let app = spawn_app().await;
    let startup = Shape {
        prefix: "/v3/teams/startup",
        token: "startup-rw",
        read_only: "startup-ro",
        outsiders: [3, 4, 5],
        group: 1,
        group_members: &[1, 2],
        sme_tag: 1,
        free_tag: 2,
        other_group: 1,
    };
    let before = site_state(&app, &startup).await;
    for (method, path, body) in group_writes(&startup) {
        send_write(&app, &method, &path, &body, Some("startup-rw"))
            .await
            .expect_forbidden();
    }
    assert_eq!(site_state(&app, &startup).await, before);
}

#[tokio::test]
async fn writes_without_a_valid_token_are_401_before_anything_else() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        for (method, path, _) in group_writes(shape) {
            let malformed = Some(json!("not a group"));
            send_write(&app, &method, &path, &malformed, None)
                .await
                .expect_unauthorized();
            send_write(&app, &method, &path, &malformed, Some("expired-pat"))
                .await
                .expect_unauthorized();
        }
    }
}

#[tokio::test]
async fn forbidden_wins_over_not_found_and_not_found_over_a_bad_body() {
    let app = spawn_app().await;
    let shape = &SHAPES[0];
    let path = shape.url("/user-groups/999");
    app.put(&path)
        .token(shape.read_only)
        .body("text/plain", "nonsense")
        .send()
        .await
        .expect_forbidden();
    app.put(&path)
        .token(shape.token)
        .body("text/plain", "nonsense")
        .send()
        .await
        .expect(404);
    app.put(&shape.url("/user-groups/1"))
        .token(shape.token)
        .body("text/plain", "nonsense")
        .send()
        .await
        .expect(415);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415_and_changes_nothing() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        for (method, path, body) in group_writes(shape) {
            let Some(body) = body else { continue };
            let res = app
                .call(method.clone(), &path)
                .token(shape.token)
                .body("text/plain", body.to_string())
                .send()
                .await;
            res.expect_problem(415, "https://tools.ietf.org/html/rfc7231#section-6.5.13");
            let res = app
                .call(method, &path)
                .token(shape.token)
                .body("application/x-www-form-urlencoded", "name=x")
                .send()
                .await;
            res.expect(415);
        }
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn every_json_media_type_of_the_excerpt_is_accepted() {
    let app = spawn_app().await;
    let shape = &SHAPES[0];
    for (i, media_type) in [
        "application/json; charset=utf-8",
        "text/json",
        "application/json-patch+json",
        "application/problem+json",
    ]
    .iter()
    .enumerate()
    {
        let body = json!({ "name": format!("Group {i}") }).to_string();
        app.post(&shape.url("/user-groups"))
            .token(shape.token)
            .body(media_type, body)
            .send()
            .await
            .expect(201);
    }
}

#[tokio::test]
async fn malformed_json_is_a_400_in_the_validation_shape_and_changes_nothing() {
    let app = spawn_app().await;
    for shape in &SHAPES {
        let before = site_state(&app, shape).await;
        for (method, path, body) in group_writes(shape) {
            if body.is_none() {
                continue;
            }
            for bad in [
                "{\"name\": ",
                "",
                "[1, 2] trailing",
                "null",
                "{\"name\": \"x\", \"name\": \"y\"",
            ] {
                let res = app
                    .call(method.clone(), &path)
                    .token(shape.token)
                    .body("application/json", bad)
                    .send()
                    .await;
                let body =
                    res.expect_problem(400, "https://tools.ietf.org/html/rfc7231#section-6.5.1");
                assert!(
                    body["errors"].as_object().is_some_and(|e| !e.is_empty()),
                    "{bad:?}: {body}"
                );
            }
        }
        assert_eq!(site_state(&app, shape).await, before, "{}", shape.prefix);
    }
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_a_413_and_changes_nothing() {
    let app = spawn_app().await;
    let shape = &SHAPES[0];
    let before = site_state(&app, shape).await;
    let huge = format!("[{}1]", "1,".repeat(600_000));
    assert!(huge.len() > 1 << 20);
    for path in [
        shape.url("/user-groups/1/members"),
        shape.url("/user-groups"),
    ] {
        let res = app
            .post(&path)
            .token(shape.token)
            .body("application/json", huge.clone())
            .send()
            .await;
        res.expect_problem(413, "/v3/errors/request/too-large");
    }
    // Permissions are checked before the body is read.
    app.post(&shape.url("/user-groups"))
        .token(shape.read_only)
        .body("application/json", huge)
        .send()
        .await
        .expect_forbidden();
    assert_eq!(site_state(&app, shape).await, before);
}

#[tokio::test]
async fn a_deactivated_owner_or_a_non_user_gets_403_and_an_unknown_private_team_404() {
    let app = spawn_app().await;
    let shape = &SHAPES[0];
    let before = site_state(&app, shape).await;
    for (method, path, body) in group_writes(shape) {
        for token in ["cy-rw", "outsider-rw"] {
            send_write(&app, &method, &path, &body, Some(token))
                .await
                .expect_problem(403, "/v3/errors/forbidden");
        }
        let elsewhere = path.replacen("/api/v3", "/api/v3/teams/nosuchteam", 1);
        send_write(&app, &method, &elsewhere, &body, Some("ada-rw"))
            .await
            .expect_problem(404, "/v3/errors/team/not-found");
    }
    assert_eq!(site_state(&app, shape).await, before);
}

#[tokio::test]
async fn a_members_write_token_may_write_groups_without_the_admin_role() {
    let app = spawn_app().await;
    // Mock choice: group and SME writes need write access, not the admin role.
    let res = app
        .post("/api/v3/user-groups")
        .token("bob-rw")
        .json(&json!({ "name": "Bob's Book Club", "userIds": [2] }))
        .send()
        .await;
    assert_eq!(user_ids(&res.ok_json(201)), vec![2]);
}

#[tokio::test]
async fn a_method_the_route_does_not_have_is_a_405() {
    let app = spawn_app().await;
    // Methods the document does not describe: off-spec probes.
    app.call(reqwest::Method::PATCH, "/api/v3/user-groups/1")
        .token("ada-rw")
        .json(&json!({ "name": "x" }))
        .unchecked()
        .send()
        .await
        .expect(405);
    app.delete("/api/v3/user-groups/1")
        .token("ada-rw")
        .unchecked()
        .send()
        .await
        .expect(405);
}
