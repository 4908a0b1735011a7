//! Communities (main site only): the reads, joining and leaving as the caller, the bulk routes
//! for admins and moderators, `UserDetailsResponseModel.communities`, and what a refused write
//! leaves unchanged. Default fixtures: community 1 "Platform Engineering" (members 1, 2, 6, 9,
//! 12, 15, 21), 2 "Frontend" (8, 13, 18, 24, 26), 3 "Data & Analytics" (5, 10, 14, 19, 22, 28).

use serde_json::{Value, json};

use crate::helpers::*;

fn member_ids(community: &Value) -> Vec<u64> {
    community["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["id"].as_u64().unwrap())
        .collect()
}

fn member(community: &Value, id: u64) -> &Value {
    community["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("member {id} in {community}"))
}

async fn community(app: &TestApp, id: u32) -> Value {
    app.get(&format!("/api/v3/communities/{id}"))
        .token("ada-ro")
        .send()
        .await
        .ok_json(200)
}

#[tokio::test]
async fn communities_list_by_name_or_size_with_their_tags_and_no_members() {
    let app = spawn_app().await;
    let body = app
        .get("/api/v3/communities")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        texts(&body, "name"),
        ["Data & Analytics", "Frontend", "Platform Engineering"]
    );
    assert_eq!(
        (&body["sort"], &body["order"], &body["totalCount"]),
        (&json!("name"), &json!("asc"), &json!(3))
    );
    let platform = &body["items"][2];
    assert_eq!(platform["memberCount"], 7);
    assert!(platform.get("members").is_none(), "a summary: {platform}");
    assert_eq!(
        texts(&platform["tags"], "name"),
        ["kubernetes", "terraform", "ci-cd", "docker"]
    );
    assert_eq!(platform["tags"][0]["subjectMatterExpertCount"], 9);

    let by_size = app
        .get("/api/v3/communities?sort=size&pageSize=15")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(ids(&by_size), [1, 3, 2], "7, 6 and 5 members");
    assert_eq!(by_size["order"], "desc");
    let ascending = app
        .get("/api/v3/communities?sort=size&order=asc&page=2&pageSize=15")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert!(ids(&ascending).is_empty(), "a page past the end is empty");
    assert_eq!(ascending["totalPages"], 1);
}

#[tokio::test]
async fn a_community_lists_its_members_with_their_sme_status() {
    let app = spawn_app().await;
    let c = community(&app, 1).await;
    assert_eq!(member_ids(&c), [1, 2, 6, 9, 12, 15, 21], "user-id order");
    assert_eq!(c["memberCount"], 7);
    assert_eq!(
        c["description"],
        "Clusters, infrastructure as code and the paths to production."
    );
    let ada = member(&c, 1);
    assert_eq!(ada["name"], "Ada Admin");
    assert_eq!(ada["memberSince"], "2021-03-15T09:00:00Z");
    // Ada is in the Platform group, an SME group of kubernetes; user 6 an individual SME of
    // terraform; Bob (2) and user 21 are SMEs of none of the four tags.
    for (id, sme) in [(1, true), (2, false), (6, true), (15, true), (21, false)] {
        assert_eq!(member(&c, id)["isSme"], sme, "isSme of {id}: {c}");
    }
    let unknown = app
        .get("/api/v3/communities/999")
        .token("ada-ro")
        .send()
        .await;
    let problem = unknown.expect_problem(404, "/v3/errors/community/not-found");
    assert_eq!(problem["detail"], "Community 999 not found");
    app.get("/api/v3/communities/0")
        .token("ada-ro")
        .send()
        .await
        .expect_validation("communityId");
}

#[tokio::test]
async fn is_sme_follows_the_sme_lists_of_the_community_tags() {
    let app = spawn_app().await;
    assert_eq!(member(&community(&app, 2).await, 13)["isSme"], false);
    // Tag 13 (typescript) is one of Frontend's tags: user 13 becomes an SME of it.
    app.post("/api/v3/tags/13/subject-matter-experts/users")
        .token("ada-rw")
        .json(&json!([13]))
        .send()
        .await
        .expect(200);
    assert_eq!(member(&community(&app, 2).await, 13)["isSme"], true);
}

#[tokio::test]
async fn communities_exist_on_the_main_site_only() {
    let app = spawn_app().await;
    // The official document declares no team twins: under a team prefix there is no route.
    for (path, token) in [
        ("/api/v3/teams/productone/communities", "ada-rw"),
        ("/v3/teams/acme/communities/1", "acme-admin-rw"),
        ("/api/v3/teams/productone/communities/1/join", "ada-rw"),
    ] {
        let method = if path.ends_with("join") {
            reqwest::Method::POST
        } else {
            reqwest::Method::GET
        };
        let res = app.call(method, path).token(token).unchecked().send().await;
        assert_eq!(res.status, 404, "{path}: {}", res.text);
    }
}

#[tokio::test]
async fn joining_adds_the_caller_once_and_users_details_list_their_communities() {
    let app = spawn_app().await;
    let before = app
        .get("/api/v3/users/me")
        .token("bob-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        texts(&before["communities"], "name"),
        ["Platform Engineering"]
    );

    let joined = app
        .post("/api/v3/communities/2/join")
        .token("bob-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(joined["memberCount"], 6);
    let since = member(&joined, 2)["memberSince"].clone();
    assert!(since.as_str().is_some_and(|s| s.ends_with('Z')), "{since}");

    // Joining again changes nothing (mock choice): same count, same memberSince.
    let again = app
        .post("/api/v3/communities/2/join")
        .token("bob-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(again["memberCount"], 6);
    assert_eq!(member(&again, 2)["memberSince"], since);

    let details = app
        .get("/api/v3/users/2")
        .token("ada-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        texts(&details["communities"], "name"),
        ["Platform Engineering", "Frontend"]
    );
    assert_eq!(details["communities"][1]["memberCount"], 6);
}

#[tokio::test]
async fn leaving_removes_the_caller_and_leaving_again_is_a_no_op() {
    let app = spawn_app().await;
    let left = app
        .post("/api/v3/communities/1/leave")
        .token("bob-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(member_ids(&left), [1, 6, 9, 12, 15, 21]);
    let again = app
        .post("/api/v3/communities/1/leave")
        .token("bob-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(again, left);
    let me = app
        .get("/api/v3/users/me")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(me["communities"], json!([]));
}

#[tokio::test]
async fn refused_joins_and_leaves_change_nothing() {
    let app = spawn_app().await;
    let before = community(&app, 1).await;
    app.post("/api/v3/communities/1/leave")
        .token("bob-ro")
        .send()
        .await
        .expect_forbidden();
    app.post("/api/v3/communities/1/leave")
        .send()
        .await
        .expect_unauthorized();
    app.post("/api/v3/communities/999/join")
        .token("bob-rw")
        .send()
        .await
        .expect_problem(404, "/v3/errors/community/not-found");
    app.post("/api/v3/communities/abc/join")
        .token("bob-rw")
        .send()
        .await
        .expect_validation("communityId");
    assert_eq!(community(&app, 1).await, before);
}

#[tokio::test]
async fn admins_and_moderators_add_and_remove_others_in_bulk() {
    let app = spawn_app().await;
    let added = app
        .post("/api/v3/communities/2/join/bulk")
        .token("ada-rw")
        .json(&json!({"memberUserIds": [7, 11, 8]}))
        .send()
        .await
        .ok_json(200);
    assert_eq!(member_ids(&added), [7, 8, 11, 13, 18, 24, 26]);
    assert_eq!(
        member(&added, 8)["memberSince"],
        "2021-05-20T13:00:00Z",
        "a member already there keeps their date"
    );

    // A moderator (Liam, main user 5) may too: a token minted for him.
    app.post("/__admin/tokens")
        .json(&json!({"accountId": 1005, "scope": "main", "write": true, "token": "liam-rw"}))
        .send()
        .await
        .expect(201);
    let removed = app
        .post("/api/v3/communities/2/leave/bulk")
        .token("liam-rw")
        .json(&json!({"memberUserIds": [7, 11, 3]}))
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        member_ids(&removed),
        [8, 13, 18, 24, 26],
        "3 was not a member: skipped"
    );

    // An absent memberUserIds changes nothing.
    let same = app
        .post("/api/v3/communities/2/join/bulk")
        .token("ada-rw")
        .json(&json!({}))
        .send()
        .await
        .ok_json(200);
    assert_eq!(same, removed);
}

#[tokio::test]
async fn bulk_routes_refuse_registered_users_and_unknown_ids_and_change_nothing() {
    let app = spawn_app().await;
    let before = community(&app, 3).await;
    let res = app
        .post("/api/v3/communities/3/join/bulk")
        .token("bob-rw")
        .json(&json!({"memberUserIds": [2]}))
        .send()
        .await;
    res.expect_forbidden();
    assert_eq!(res.header("x-mock-reason"), Some("moderator-only"));

    let res = app
        .post("/api/v3/communities/3/join/bulk")
        .token("ada-rw")
        .json(&json!({"memberUserIds": [2, 9999, 0, 9999]}))
        .send()
        .await;
    let problem = res.expect_problem(400, "/v3/errors/users/not-found");
    assert_eq!(problem["detail"], "Users not found on this site: 9999, 0");

    for body in [
        json!({"memberUserIds": "2"}),
        json!({"userIds": [2]}),
        json!([2]),
    ] {
        let res = app
            .post("/api/v3/communities/3/leave/bulk")
            .token("ada-rw")
            .json(&body)
            .send()
            .await;
        assert_eq!(res.status, 400, "{body}: {}", res.text);
    }
    app.post("/api/v3/communities/3/leave/bulk")
        .token("ada-rw")
        .body("text/plain", "[2]")
        .send()
        .await
        .expect(415);
    app.post("/api/v3/communities/999/leave/bulk")
        .token("ada-rw")
        .json(&json!({"memberUserIds": [2]}))
        .send()
        .await
        .expect_problem(404, "/v3/errors/community/not-found");
    assert_eq!(community(&app, 3).await, before);
}

#[tokio::test]
async fn a_join_in_a_sandbox_stays_there_and_a_fault_reaches_the_routes() {
    let app = spawn_app().await;
    let sb = app.sandbox().await;
    app.post(&format!("{sb}/api/v3/communities/2/join"))
        .token("bob-rw")
        .send()
        .await
        .expect(200);
    let inside = app
        .get(&format!("{sb}/api/v3/communities/2"))
        .token("ada-ro")
        .send()
        .await
        .ok_json(200);
    assert!(member_ids(&inside).contains(&2));
    assert!(!member_ids(&community(&app, 2).await).contains(&2));

    let res = app
        .post("/api/v3/communities/2/join")
        .token("bob-rw")
        .header("x-mock-fault", "status=503")
        .unchecked()
        .send()
        .await;
    assert_eq!(res.status, 503, "{}", res.text);
    assert!(
        !member_ids(&community(&app, 2).await).contains(&2),
        "the fault applied nothing"
    );
}
