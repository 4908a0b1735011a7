//! The v3 read routes: every route under every shape, their fields, filters, sorting,
//! pagination and error rows (400 validation shape, 404 ProblemDetails, 422).

use serde_json::{Value, json};

use crate::helpers::*;

/// A shape, a token that reads it as an admin, and a tag id and a user id on that site.
const SHAPES: [(&str, &str); 3] = [
    ("/api/v3", "ada-rw"),
    ("/api/v3/teams/productone", "ada-rw"),
    ("/v3/teams/acme", "acme-admin-rw"),
];

#[tokio::test]
async fn every_read_route_answers_200_under_every_shape() {
    let app = spawn_app().await;
    for (prefix, token) in SHAPES {
        let me = app
            .get(&format!("{prefix}/users/me"))
            .token(token)
            .send()
            .await
            .ok_json(200);
        let my_id = me["id"].as_u64().unwrap();
        let email = me["email"].as_str().unwrap().to_string();
        let tags = app
            .get(&format!("{prefix}/tags"))
            .token(token)
            .send()
            .await
            .ok_json(200);
        let tag_id = ids(&tags)[0];
        let groups = app
            .get(&format!("{prefix}/user-groups"))
            .token(token)
            .send()
            .await
            .ok_json(200);
        let group_id = ids(&groups)[0];
        for path in [
            "/users".to_string(),
            format!("/users/{my_id}"),
            format!("/users/by-email/{email}"),
            format!(
                "/users/by-external-id/{}",
                me["externalId"].as_str().unwrap_or("none")
            ),
            format!("/users/{my_id}/watched-tags"),
            format!("/tags/{tag_id}"),
            format!("/tags/{tag_id}/tag-watchers"),
            format!("/tags/{tag_id}/subject-matter-experts"),
            format!("/user-groups/{group_id}"),
        ] {
            app.get(&format!("{prefix}{path}"))
                .token(token)
                .send()
                .await
                .expect(200);
        }
    }
    app.get("/api/v3/users/manage")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn one_account_has_a_different_site_local_id_on_each_site() {
    let app = spawn_app().await;
    let on_main = app
        .get("/api/v3/users/me")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    let on_acme = app
        .get("/v3/teams/acme/users/7")
        .token("acme-admin-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(on_main["accountId"], 1002);
    assert_eq!(on_acme["accountId"], 1002);
    assert_eq!(on_main["id"], 2);
    assert_eq!(on_acme["id"], 7);
    assert_eq!(
        on_acme["webUrl"],
        "https://stackoverflowteams.com/c/acme/users/7"
    );
}

#[tokio::test]
async fn users_are_sorted_by_reputation_descending_and_paginated() {
    let app = spawn_app().await;
    let page1 = app
        .get("/api/v3/users?pageSize=15")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (page1["totalCount"].as_u64(), page1["totalPages"].as_u64()),
        (Some(30), Some(2))
    );
    assert_eq!(
        (page1["sort"].as_str(), page1["order"].as_str()),
        (Some("reputation"), Some("desc"))
    );
    assert_eq!(&ids(&page1)[..3], &[4, 1, 17]);
    let page2 = app
        .get("/api/v3/users?pageSize=15&page=2")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        ids(&page2).last(),
        Some(&25),
        "the lowest reputation comes last"
    );
    let asc = app
        .get("/api/v3/users?order=asc&pageSize=15")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(ids(&asc)[0], 25);
    let past_the_end = app
        .get("/api/v3/users?page=3&pageSize=15")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(past_the_end["items"], json!([]));
    assert_eq!(past_the_end["page"], 3);
}

#[tokio::test]
async fn query_names_are_case_insensitive_and_the_default_page_size_is_30() {
    let app = spawn_app().await;
    let default = app
        .get("/api/v3/users")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(default["pageSize"], 30);
    assert_eq!(ids(&default).len(), 30);
    let lower = app
        .get("/api/v3/users?pagesize=15&PAGE=2&Order=ASC")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (
            lower["pageSize"].as_u64(),
            lower["page"].as_u64(),
            lower["order"].as_str()
        ),
        (Some(15), Some(2), Some("asc"))
    );
}

#[tokio::test]
async fn bad_query_values_are_all_reported_in_one_400() {
    let app = spawn_app().await;
    let body = app
        .get("/api/v3/tags?page=0&pageSize=20&sort=popularity&order=up&hasSmes=maybe&hasSynonyms=2")
        .token("bob-ro")
        .send()
        .await
        .expect_validation("page");
    for field in ["pageSize", "sort", "order", "hasSmes", "hasSynonyms"] {
        assert!(
            body["errors"][field].is_array(),
            "no error for {field}: {body}"
        );
    }
    for (path, field) in [
        ("/api/v3/users?page=abc", "page"),
        ("/api/v3/users?page=2147483648", "page"),
        ("/api/v3/users?pageSize=abc", "pageSize"),
        ("/api/v3/users?sort=name", "sort"),
        ("/api/v3/user-groups?sort=members", "sort"),
        ("/api/v3/users/manage?isDeactivated=yes", "isDeactivated"),
        (
            "/api/v3/users/manage?lastAccessDateFrom=yesterday",
            "lastAccessDateFrom",
        ),
        ("/api/v3/users/manage?sort=reputation", "sort"),
    ] {
        app.get(path)
            .token("ada-rw")
            .send()
            .await
            .expect_validation(field);
    }
}

#[tokio::test]
async fn bad_path_ids_are_400_in_the_validation_shape() {
    let app = spawn_app().await;
    for (path, field) in [
        ("/api/v3/users/abc", "userId"),
        ("/api/v3/users/0", "userId"),
        ("/api/v3/users/-4", "userId"),
        ("/api/v3/users/99999999999/watched-tags", "userId"),
        ("/api/v3/tags/x", "tagId"),
        ("/api/v3/tags/0/tag-watchers", "tagId"),
        ("/api/v3/tags/1.5/subject-matter-experts", "tagId"),
        ("/api/v3/user-groups/none", "userGroupId"),
        ("/v3/teams/acme/user-groups/0", "userGroupId"),
    ] {
        app.get(path)
            .token(if path.starts_with("/v3") {
                "acme-admin-rw"
            } else {
                "ada-rw"
            })
            .send()
            .await
            .expect_validation(field);
    }
}

#[tokio::test]
async fn unknown_ids_are_404_problem_details_naming_the_area() {
    let app = spawn_app().await;
    for (path, type_, title) in [
        (
            "/api/v3/users/999",
            "/v3/errors/user/not-found",
            "User not found",
        ),
        (
            "/api/v3/users/999/watched-tags",
            "/v3/errors/user/not-found",
            "User not found",
        ),
        (
            "/api/v3/users/by-email/nobody@example.com",
            "/v3/errors/user/not-found",
            "User not found",
        ),
        (
            "/api/v3/users/by-email/nia.newhire@example.com",
            "/v3/errors/user/not-found",
            "User not found",
        ),
        (
            "/api/v3/tags/999",
            "/v3/errors/tag/not-found",
            "Tag not found",
        ),
        (
            "/api/v3/tags/999/tag-watchers",
            "/v3/errors/tag/not-found",
            "Tag not found",
        ),
        (
            "/api/v3/tags/999/subject-matter-experts",
            "/v3/errors/tag/not-found",
            "Tag not found",
        ),
        (
            "/api/v3/user-groups/999",
            "/v3/errors/user-group/not-found",
            "User group not found",
        ),
    ] {
        let body = app
            .get(path)
            .token("ada-rw")
            .send()
            .await
            .expect_problem(404, type_);
        assert_eq!(body["title"], title, "{path}");
        assert!(
            body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("not found") || d.contains("No user")),
            "{path}: {body}"
        );
    }
}

#[tokio::test]
async fn email_is_shown_only_to_admins_and_to_the_user_themself() {
    let app = spawn_app().await;
    let as_bob = app
        .get("/api/v3/users?pageSize=50")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        email_of(&as_bob, 2),
        "bob@example.com",
        "Bob sees his own email"
    );
    assert_eq!(email_of(&as_bob, 1), Value::Null, "Bob does not see Ada's");
    let as_ada = app
        .get("/api/v3/users?pageSize=50")
        .token("ada-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        email_of(&as_ada, 2),
        "bob@example.com",
        "an admin sees every email"
    );
    let ada_seen_by_bob = app
        .get("/api/v3/users/1")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(ada_seen_by_bob["email"], Value::Null);
    assert_eq!(ada_seen_by_bob["externalId"], "ada");
}

#[tokio::test]
async fn users_can_be_found_by_email_and_external_id_ignoring_case() {
    let app = spawn_app().await;
    let by_email = app
        .get("/api/v3/users/by-email/ADA@Example.com")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(by_email["id"], 1);
    let by_ext = app
        .get("/api/v3/users/by-external-id/BOB")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(ids(&by_ext), vec![2]);
    assert_eq!(by_ext[0]["email"], "bob@example.com");
    let nobody = app
        .get("/api/v3/users/by-external-id/no-such-id")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        nobody,
        json!([]),
        "no match is an empty array (no 404 is declared)"
    );
    let not_a_user_here = app
        .get("/api/v3/users/by-external-id/New.Hire")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        not_a_user_here,
        json!([]),
        "an account that is not a user of the site is not found"
    );
}

#[tokio::test]
async fn watched_tags_and_tag_watchers_mirror_each_other() {
    let app = spawn_app().await;
    let watched = app
        .get("/api/v3/users/12/watched-tags")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        ids(&watched),
        vec![1, 3],
        "user 12 watches rust and kubernetes"
    );
    let watchers = app
        .get("/api/v3/tags/1/tag-watchers")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    let watcher_ids = ids(&watchers["users"]);
    assert_eq!(watcher_ids, vec![1, 2, 12, 40]);
    let tag = app
        .get("/api/v3/tags/1")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(tag["watcherCount"], 4);
}

#[tokio::test]
async fn manage_users_filters_by_deactivation_and_last_access_and_sorts() {
    let app = spawn_app().await;
    let gone = app
        .get("/api/v3/users/manage?isDeactivated=true")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(ids(&gone), vec![3]);
    assert_eq!(gone["items"][0]["isDeactivated"], true);
    assert_eq!(gone["items"][0]["email"], "cy@example.com");
    let active = app
        .get("/api/v3/users/manage?isDeactivated=false&pageSize=50")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(active["totalCount"], 29);
    let recent = app
        .get("/api/v3/users/manage?lastAccessDateFrom=2026-11-18T00:00:00Z&pageSize=50")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    for u in recent["items"].as_array().unwrap() {
        assert!(u["lastAccessDate"].as_str().unwrap() >= "2026-11-18", "{u}");
    }
    assert!(ids(&recent).contains(&1) && ids(&recent).contains(&2) && !ids(&recent).contains(&3));
    let window = app
        .get("/api/v3/users/manage?lastAccessDateFrom=2023-01-01&lastAccessDateTo=2023-12-31")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert!(ids(&window).contains(&3), "Cy last came in 2023: {window}");
    let by_access = app
        .get("/api/v3/users/manage?sort=lastAccessDate&pageSize=50")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    let dates = texts(&by_access, "lastAccessDate");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "lastAccessDate sorts descending by default: {dates:?}"
    );
    let by_email = app
        .get("/api/v3/users/manage?sort=email&order=asc&pageSize=50")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    let emails: Vec<String> = texts(&by_email, "email")
        .iter()
        .map(|e| e.to_lowercase())
        .collect();
    assert!(emails.windows(2).all(|w| w[0] <= w[1]), "{emails:?}");
}

#[tokio::test]
async fn tags_filter_by_partial_name_smes_and_synonyms() {
    let app = spawn_app().await;
    let get = |q: &'static str| {
        app.get(&format!("/api/v3/tags?pageSize=50&{q}"))
            .token("bob-ro")
            .send()
    };
    let all = get("").await.ok_json(200);
    assert_eq!(all["totalCount"], 16);
    let partial = get("partialName=RE").await.ok_json(200);
    for t in partial["items"].as_array().unwrap() {
        assert!(t["name"].as_str().unwrap().contains("re"), "{t}");
    }
    assert!(ids(&partial).contains(&5), "react matches 're'");
    let with = get("hasSmes=true").await.ok_json(200);
    let without = get("hasSmes=false").await.ok_json(200);
    assert_eq!(
        with["totalCount"].as_u64().unwrap() + without["totalCount"].as_u64().unwrap(),
        16
    );
    for t in with["items"].as_array().unwrap() {
        assert!(t["subjectMatterExpertCount"].as_u64().unwrap() > 0, "{t}");
    }
    for t in without["items"].as_array().unwrap() {
        assert_eq!(t["subjectMatterExpertCount"], 0, "{t}");
    }
    assert!(
        ids(&without).contains(&13),
        "an SME entry with empty lists counts as no SMEs"
    );
    let synonyms = get("hasSynonyms=TRUE").await.ok_json(200);
    let mut syn = ids(&synonyms);
    syn.sort();
    assert_eq!(syn, vec![3, 6, 10, 12]);
    let combined = get("hasSynonyms=true&hasSmes=true&partialName=kube")
        .await
        .ok_json(200);
    assert_eq!(ids(&combined), vec![3]);
}

#[tokio::test]
async fn tags_sort_by_post_count_by_default_and_by_name_or_date_on_request() {
    let app = spawn_app().await;
    let default = app
        .get("/api/v3/tags")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (default["sort"].as_str(), default["order"].as_str()),
        (Some("postCount"), Some("desc"))
    );
    assert_eq!(&ids(&default)[..3], &[2, 3, 11]);
    let by_name = app
        .get("/api/v3/tags?sort=name&pageSize=50")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    let names = texts(&by_name, "name");
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    assert_eq!(by_name["order"], "asc");
    let by_date = app
        .get("/api/v3/tags?sort=creationDate&order=asc&pageSize=50")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    let dates = texts(&by_date, "creationDate");
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
}

#[tokio::test]
async fn sme_counts_are_distinct_users_across_users_and_groups() {
    let app = spawn_app().await;
    for (tag, expected) in [(1, 6), (3, 9), (4, 1), (6, 5), (8, 0), (13, 0)] {
        let t = app
            .get(&format!("/api/v3/tags/{tag}"))
            .token("bob-ro")
            .send()
            .await
            .ok_json(200);
        assert_eq!(t["subjectMatterExpertCount"], expected, "tag {tag}");
    }
    let rust = app
        .get("/api/v3/tags/1")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    let users = ids(&rust["subjectMatterExperts"]["users"]);
    assert_eq!(users, vec![1, 12]);
    let groups = rust["subjectMatterExperts"]["userGroups"]
        .as_array()
        .unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["name"], "Platform");
    assert_eq!(
        groups[0]["users"].as_array().unwrap().len(),
        6,
        "an SME group comes with its members"
    );
    let smes = app
        .get("/api/v3/tags/1/subject-matter-experts")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(smes, rust["subjectMatterExperts"]);
    let none = app
        .get("/api/v3/tags/8/subject-matter-experts")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(none, json!({"users": [], "userGroups": []}));
}

#[tokio::test]
async fn with_smes_disabled_counts_are_null_and_the_sme_route_is_422() {
    let app = spawn_app().await;
    let tags = app
        .get("/api/v3/teams/platform/tags")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    for t in tags["items"].as_array().unwrap() {
        assert_eq!(t["subjectMatterExpertCount"], Value::Null, "{t}");
    }
    let tag_id = ids(&tags)[0];
    let body = app
        .get(&format!(
            "/api/v3/teams/platform/tags/{tag_id}/subject-matter-experts"
        ))
        .token("ada-rw")
        .send()
        .await
        .expect_problem(422, "/v3/errors/subject-matter-experts/not-enabled");
    assert_eq!(body["title"], "Subject matter experts feature not enabled");
    let tag = app
        .get(&format!("/api/v3/teams/platform/tags/{tag_id}"))
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(tag["subjectMatterExpertCount"], Value::Null);
}

#[tokio::test]
async fn user_groups_list_sorted_by_name_or_size_with_their_members() {
    let app = spawn_app().await;
    let by_name = app
        .get("/api/v3/user-groups")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    let names = texts(&by_name, "name");
    assert_eq!(
        names,
        vec![
            "Data",
            "Frontend Guild",
            "New Joiners",
            "Platform",
            "Security Champions",
            "SRE On-Call"
        ]
    );
    assert_eq!(
        (
            by_name["sort"].as_str(),
            by_name["order"].as_str(),
            by_name["totalCount"].as_u64()
        ),
        (Some("name"), Some("asc"), Some(6))
    );
    let by_size = app
        .get("/api/v3/user-groups?sort=size")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    let sizes: Vec<usize> = by_size["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["users"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, vec![6, 6, 6, 5, 5, 0]);
    let empty = app
        .get("/api/v3/user-groups/6")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(empty["users"], json!([]));
    let platform = app
        .get("/api/v3/user-groups/1")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    let members = ids(&platform["users"]);
    assert_eq!(members, vec![1, 4, 6, 9, 12, 40]);
    assert_eq!(platform["users"][0]["name"], "Ada Admin");
}

#[tokio::test]
async fn empty_lists_have_zero_pages() {
    let app = spawn_app().await;
    let none = app
        .get("/api/v3/tags?partialName=no-such-tag")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (none["totalCount"].as_u64(), none["totalPages"].as_u64()),
        (Some(0), Some(0))
    );
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405_never_5xx() {
    let app = spawn_app().await;
    let res = app
        .get("/api/v3/no-such-thing")
        .token("ada-rw")
        .unchecked()
        .send()
        .await;
    res.expect_problem(404, "/v3/errors/not-found");
    let res = app.get("/nowhere").unchecked().send().await;
    res.expect_problem(404, "/v3/errors/not-found");
    let res = app
        .call(reqwest::Method::PATCH, "/api/v3/tags/1")
        .token("ada-rw")
        .unchecked()
        .send()
        .await;
    res.expect_problem(405, "/v3/errors/method-not-allowed");
}
