//! Votes, bookmarks and flags on a question, and what each must not change when refused.

use serde_json::{Value, json};

use super::*;

async fn act(app: &TestApp, method: &str, url: &str, token: &str) -> Resp {
    app.call(method.parse().unwrap(), url)
        .token(token)
        .send()
        .await
}

#[tokio::test]
async fn votes_move_the_score_the_callers_flags_and_the_owners_reputation() {
    let app = app().await;
    for place in &PLACES {
        let id = ask_tagged(&app, place, place.member, &["rust"]).await;
        let rep = reputation(&app, place, place.member_id).await;
        let url = |what: &str| place.url(&format!("/questions/{id}/{what}"));
        let up = act(&app, "POST", &url("upvote"), place.admin)
            .await
            .ok_json(200);
        let p = place.prefix;
        assert_eq!(
            (up["score"].clone(), up["userHasUpvoted"].clone()),
            (json!(1), json!(true)),
            "{p}"
        );
        assert_eq!(
            reputation(&app, place, place.member_id).await,
            rep + 10,
            "{p}: +10"
        );
        let again = act(&app, "POST", &url("upvote"), place.admin)
            .await
            .ok_json(200);
        assert_eq!(again["score"], 1, "{p}: one vote per user");
        // The owner sees the score, not the admin's vote.
        let as_owner = read_question(&app, place, place.member, id)
            .await
            .ok_json(200);
        assert_eq!(
            (
                as_owner["score"].clone(),
                as_owner["userHasUpvoted"].clone()
            ),
            (json!(1), json!(false))
        );

        let down = act(&app, "POST", &url("downvote"), place.admin)
            .await
            .ok_json(200);
        assert_eq!(down["score"], -1, "{p}: a downvote replaces the upvote");
        assert_eq!(
            (
                down["userHasUpvoted"].clone(),
                down["userHasDownvoted"].clone()
            ),
            (json!(false), json!(true))
        );
        assert_eq!(
            reputation(&app, place, place.member_id).await,
            (rep - 2).max(1),
            "{p}: −2"
        );
        let kept = act(&app, "DELETE", &url("upvote"), place.admin)
            .await
            .ok_json(200);
        assert_eq!(
            kept["score"], -1,
            "{p}: taking back an upvote leaves the downvote"
        );
        let undone = act(&app, "DELETE", &url("downvote"), place.admin)
            .await
            .ok_json(200);
        assert_eq!(undone["score"], 0);
        assert_eq!(undone["userHasDownvoted"], false);
        assert_eq!(reputation(&app, place, place.member_id).await, rep, "{p}");
    }
}

#[tokio::test]
async fn a_vote_on_ones_own_question_is_a_403_own_post_and_changes_nothing() {
    let app = app().await;
    for place in &PLACES {
        let id = ask_tagged(&app, place, place.member, &["rust"]).await;
        let before = read_question(&app, place, place.member, id)
            .await
            .ok_json(200);
        let rep = reputation(&app, place, place.member_id).await;
        for (method, what) in [
            ("POST", "upvote"),
            ("POST", "downvote"),
            ("DELETE", "upvote"),
        ] {
            let url = place.url(&format!("/questions/{id}/{what}"));
            let res = act(&app, method, &url, place.member).await;
            res.expect_problem(403, "/v3/errors/forbidden");
            assert_eq!(
                res.header("x-mock-reason"),
                Some("own-post"),
                "{method} {url}"
            );
        }
        assert_eq!(
            read_question(&app, place, place.member, id)
                .await
                .ok_json(200),
            before
        );
        assert_eq!(reputation(&app, place, place.member_id).await, rep);
    }
}

#[tokio::test]
async fn read_only_tokens_and_basic_teams_cannot_vote_bookmark_or_flag() {
    let app = app().await;
    for place in &PLACES {
        let id = ask_tagged(&app, place, place.admin, &["rust"]).await;
        let before = read_question(&app, place, place.admin, id)
            .await
            .ok_json(200);
        for (method, what) in [
            ("POST", "upvote"),
            ("DELETE", "upvote"),
            ("POST", "downvote"),
            ("DELETE", "downvote"),
            ("POST", "bookmark"),
            ("DELETE", "bookmark"),
        ] {
            let url = place.url(&format!("/questions/{id}/{what}"));
            let res = act(&app, method, &url, place.read_only).await;
            res.expect_forbidden();
            assert_eq!(res.header("x-mock-reason"), Some("token-read-only"));
        }
        app.post(&place.url(&format!("/questions/{id}/flags")))
            .token(place.read_only)
            .json(&json!({"optionId": 1}))
            .send()
            .await
            .expect_forbidden();
        assert_eq!(
            read_question(&app, place, place.admin, id)
                .await
                .ok_json(200),
            before
        );
    }
    // A Basic team: 403 before the question is even looked for.
    let res = act(
        &app,
        "POST",
        "/v3/teams/startup/questions/1/upvote",
        "startup-rw",
    )
    .await;
    assert_eq!(res.header("x-mock-reason"), Some("basic-team-read-only"));
    res.expect_forbidden();
}

#[tokio::test]
async fn bookmarks_belong_to_the_caller() {
    let app = app().await;
    for place in &PLACES {
        let id = ask_tagged(&app, place, place.member, &["rust"]).await;
        let url = place.url(&format!("/questions/{id}/bookmark"));
        let marked = act(&app, "POST", &url, place.admin).await.ok_json(201);
        assert_eq!(marked["userHasBookmarked"], true, "{}", place.prefix);
        act(&app, "POST", &url, place.admin).await.expect(201);
        let others = read_question(&app, place, place.member, id)
            .await
            .ok_json(200);
        assert_eq!(others["userHasBookmarked"], false);
        let own = act(&app, "POST", &url, place.member).await.ok_json(201);
        assert_eq!(own["userHasBookmarked"], true, "one's own question too");
        let unmarked = act(&app, "DELETE", &url, place.admin).await.ok_json(200);
        assert_eq!(unmarked["userHasBookmarked"], false);
        act(&app, "DELETE", &url, place.admin).await.expect(200);
    }
}

#[tokio::test]
async fn acting_on_a_deleted_question_is_a_404_or_for_those_who_still_read_it_a_400() {
    let app = app().await;
    let place = &PLACES[0];
    let id = ask_tagged(&app, place, "ada-rw", &["rust"]).await;
    app.delete(&place.url(&format!("/questions/{id}")))
        .token("ada-rw")
        .send()
        .await
        .expect(204);
    for what in ["upvote", "bookmark", "flags/options"] {
        let url = place.url(&format!("/questions/{id}/{what}"));
        let method = if what == "flags/options" {
            "GET"
        } else {
            "POST"
        };
        act(&app, method, &url, "bob-rw").await.expect(404);
    }
    let url = place.url(&format!("/questions/{id}/upvote"));
    act(&app, "POST", &url, MODERATOR)
        .await
        .expect_problem(400, "/v3/errors/post/not-writable");
    let url = place.url(&format!("/questions/{id}/bookmark"));
    act(&app, "POST", &url, "ada-rw").await.expect(400);
}

fn option_ids(options: &Value) -> Vec<(i64, bool)> {
    let mut out = Vec::new();
    for o in options.as_array().unwrap() {
        out.push((
            o["optionId"].as_i64().unwrap(),
            o["isRetraction"].as_bool().unwrap(),
        ));
        for s in o["subOptions"].as_array().into_iter().flatten() {
            out.push((
                s["optionId"].as_i64().unwrap(),
                s["isRetraction"].as_bool().unwrap(),
            ));
        }
    }
    out
}

#[tokio::test]
async fn a_flag_is_raised_once_per_option_and_shows_as_a_retraction_to_its_raiser() {
    let app = app().await;
    for place in &PLACES {
        let id = ask_tagged(&app, place, place.member, &["rust"]).await;
        let options_url = place.url(&format!("/questions/{id}/flags/options"));
        let options = act(&app, "GET", &options_url, place.admin)
            .await
            .ok_json(200);
        let listed: Vec<i64> = option_ids(&options).iter().map(|(id, _)| *id).collect();
        assert_eq!(
            listed,
            [1, 2, 10, 11, 12, 13, 14, 15, 3],
            "{}",
            place.prefix
        );
        assert_eq!(options[2]["subOptions"][0]["requiresQuestionId"], true);
        assert_eq!(options[0]["subOptions"], Value::Null, "a leaf");

        let flags = place.url(&format!("/questions/{id}/flags"));
        let res = app
            .post(&flags)
            .token(place.admin)
            .json(&json!({"optionId": 1}))
            .send()
            .await;
        res.expect(200);
        assert_eq!(res.text, "", "200 without a body");
        let mine = act(&app, "GET", &options_url, place.admin)
            .await
            .ok_json(200);
        assert!(option_ids(&mine).contains(&(1, true)), "{mine}");
        let theirs = act(&app, "GET", &options_url, place.member)
            .await
            .ok_json(200);
        assert!(option_ids(&theirs).contains(&(1, false)), "{theirs}");

        let again = app
            .post(&flags)
            .token(place.admin)
            .json(&json!({"optionId": 1}))
            .send()
            .await;
        let problem = again.expect_problem(400, "/v3/errors/flag/unable-to-add");
        assert_eq!(problem["title"], "Unable to add flag");
        assert_eq!(
            act(&app, "GET", &options_url, place.admin)
                .await
                .ok_json(200),
            mine
        );
    }
}

#[tokio::test]
async fn a_flag_the_dialog_does_not_allow_is_unable_to_add_and_changes_nothing() {
    let app = app().await;
    let place = &PLACES[0];
    let id = ask_tagged(&app, place, "bob-rw", &["rust"]).await;
    let other = ask_tagged(&app, place, "bob-rw", &["rust"]).await;
    let flags = place.url(&format!("/questions/{id}/flags"));
    let options_url = place.url(&format!("/questions/{id}/flags/options"));
    let before = act(&app, "GET", &options_url, "ada-rw").await.ok_json(200);
    for body in [
        json!({"optionId": 10}),
        json!({"optionId": 99}),
        json!({"optionId": 3}),
        json!({"optionId": 3, "comment": "   "}),
        json!({"optionId": 11}),
        json!({"optionId": 11, "relatedQuestionId": id}),
        json!({"optionId": 11, "relatedQuestionId": -1}),
        json!({"optionId": 15, "targetSite": null}),
        json!({"optionId": 3, "comment": "x".repeat(2001)}),
    ] {
        app.post(&flags)
            .token("ada-rw")
            .json(&body)
            .send()
            .await
            .expect_problem(400, "/v3/errors/flag/unable-to-add");
    }
    app.post(&flags)
        .token("ada-rw")
        .json(&json!({}))
        .send()
        .await
        .expect_validation("optionId");
    app.post(&flags)
        .token("ada-rw")
        .json(&json!({"optionId": 1, "extra": true}))
        .send()
        .await
        .expect(400);
    assert_eq!(
        act(&app, "GET", &options_url, "ada-rw").await.ok_json(200),
        before
    );
    for body in [
        json!({"optionId": 3, "comment": "x".repeat(2000)}),
        json!({"optionId": 11, "relatedQuestionId": other}),
        json!({"optionId": 15, "targetSite": "stackoverflow.com"}),
    ] {
        app.post(&flags)
            .token("ada-rw")
            .json(&body)
            .send()
            .await
            .expect(200);
    }
    app.post(&place.url("/questions/999999/flags"))
        .token("ada-rw")
        .json(&json!({"optionId": 1}))
        .send()
        .await
        .expect_problem(404, "/v3/errors/question/not-found");
}

#[tokio::test]
async fn a_warm_read_of_a_question_never_outlives_a_vote() {
    let app = app().await;
    let place = &PLACES[0];
    let id = ask_tagged(&app, place, "bob-rw", &["rust"]).await;
    let url = place.url(&format!("/questions/{id}"));
    let list = place.url("/questions?sort=score");
    for _ in 0..2 {
        assert_eq!(
            read_question(&app, place, "ada-rw", id).await.ok_json(200)["score"],
            0
        );
        app.get(&list).token("ada-rw").send().await.expect(200);
    }
    act(&app, "POST", &format!("{url}/upvote"), "ada-rw")
        .await
        .expect(200);
    let read = read_question(&app, place, "ada-rw", id).await.ok_json(200);
    assert_eq!(
        (read["score"].clone(), read["userHasUpvoted"].clone()),
        (json!(1), json!(true))
    );
    let listed = app.get(&list).token("ada-rw").send().await.ok_json(200);
    assert_eq!(listed["items"][0]["score"], 1);
    // A refused vote leaves the warm read as it was.
    act(&app, "POST", &format!("{url}/upvote"), "bob-rw")
        .await
        .expect(403);
    assert_eq!(
        read_question(&app, place, "ada-rw", id).await.ok_json(200),
        read
    );
}
