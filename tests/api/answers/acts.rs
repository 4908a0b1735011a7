//! Accepting and voting: who may, the answer's fields after each act, reputation (rule in
//! `src/domain/posts/write/mod.rs` `rep`), and nothing changed by a refused act.

use super::*;

async fn act(app: &TestApp, method: &str, answer: u64, what: &str, token: &str) -> Resp {
    app.call(
        method.parse().unwrap(),
        &format!("{}/{what}", answer_url("/api/v3", Q, answer)),
    )
    .token(token)
    .send()
    .await
}

/// Every reputation the acts below can move: Bob (2, the asker), Ada (1), Liam (5), and the
/// answerers 12, 6 and 7.
async fn reputations(app: &TestApp) -> Vec<i64> {
    let mut all = Vec::new();
    for user in [1, 2, 5, 6, 7, 12] {
        all.push(reputation(app, user).await);
    }
    all
}

#[tokio::test]
async fn the_asker_accepts_an_answer_and_both_gain_reputation() {
    let app = content_app().await;
    let (answerer, asker) = (reputation(&app, 12).await, reputation(&app, 2).await);
    let accepted = act(&app, "POST", A_SME, "accept", "bob-rw")
        .await
        .ok_json(200);
    assert_eq!(accepted["isAccepted"], true);
    assert_eq!(accepted["id"], A_SME);
    assert!(
        accepted.get("bodyMarkdown").is_none(),
        "an AnswerSummaryResponseModel"
    );
    assert_eq!(reputation(&app, 12).await, answerer + 15);
    assert_eq!(reputation(&app, 2).await, asker + 2);
    assert_eq!(get_answer(&app, "bob-ro", A_SME).await["isAccepted"], true);
    // Accepting it again changes nothing.
    act(&app, "POST", A_SME, "accept", "bob-rw")
        .await
        .expect(200);
    assert_eq!(reputation(&app, 12).await, answerer + 15);
    // Unaccepting takes both back.
    let unaccepted = act(&app, "DELETE", A_SME, "accept", "bob-rw")
        .await
        .ok_json(200);
    assert_eq!(unaccepted["isAccepted"], false);
    assert_eq!(reputation(&app, 12).await, answerer);
    assert_eq!(reputation(&app, 2).await, asker);
}

#[tokio::test]
async fn accepting_another_answer_moves_the_accept_and_its_reputation() {
    let app = content_app().await;
    let (first, second) = (reputation(&app, 12).await, reputation(&app, 7).await);
    act(&app, "POST", A_SME, "accept", "bob-rw")
        .await
        .expect(200);
    act(&app, "POST", A_PLAIN, "accept", "bob-rw")
        .await
        .expect(200);
    assert_eq!(get_answer(&app, "bob-ro", A_SME).await["isAccepted"], false);
    assert_eq!(
        get_answer(&app, "bob-ro", A_PLAIN).await["isAccepted"],
        true
    );
    assert_eq!(
        reputation(&app, 12).await,
        first,
        "the first answerer's +15 is taken back"
    );
    assert_eq!(reputation(&app, 7).await, second + 15);
    let accepted: Vec<u64> = listed(&app, Q).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["isAccepted"] == true)
        .map(|a| a["id"].as_u64().unwrap())
        .collect();
    assert_eq!(accepted, [A_PLAIN], "one accepted answer");
    // Unaccepting the answer that is no longer accepted is a 400 and changes nothing.
    act(&app, "DELETE", A_SME, "accept", "bob-rw")
        .await
        .expect_problem(400, "/v3/errors/answer/not-accepted");
    assert_eq!(
        get_answer(&app, "bob-ro", A_PLAIN).await["isAccepted"],
        true
    );
}

#[tokio::test]
async fn moderators_and_admins_accept_others_get_403_and_nothing_changes() {
    let app = content_app().await;
    let before = reputations(&app).await;
    for token in [U12, U7, "u6-rw"] {
        let res = act(&app, "POST", A_SME, "accept", token).await;
        res.expect(403);
        assert_eq!(
            res.header("x-mock-reason"),
            Some("not-post-owner"),
            "{token}"
        );
    }
    assert_eq!(
        reputations(&app).await,
        before,
        "refused accepts change no reputation"
    );
    assert_eq!(get_answer(&app, "bob-ro", A_SME).await["isAccepted"], false);
    act(&app, "POST", A_SME, "accept", LIAM).await.expect(200);
    act(&app, "POST", A_GROUP_SME, "accept", "ada-rw")
        .await
        .expect(200);
    assert_eq!(
        get_answer(&app, "bob-ro", A_GROUP_SME).await["isAccepted"],
        true
    );
    // Unaccept by someone else: 403, the accept stays.
    act(&app, "DELETE", A_GROUP_SME, "accept", U7)
        .await
        .expect(403);
    assert_eq!(
        get_answer(&app, "bob-ro", A_GROUP_SME).await["isAccepted"],
        true
    );
}

#[tokio::test]
async fn the_askers_bonus_is_the_askers_whoever_accepts_and_whoever_takes_it_back() {
    let app = content_app().await;
    let before = reputations(&app).await;
    let rep =
        |all: &[i64], user: u64| all[[1, 2, 5, 6, 7, 12].iter().position(|u| *u == user).unwrap()];
    // Ada, an admin, accepts her own answer on Bob's question: +15 for her, +2 for Bob.
    act(&app, "POST", A_ADA, "accept", "ada-rw")
        .await
        .expect(200);
    let now = reputations(&app).await;
    assert_eq!(rep(&now, 1), rep(&before, 1) + 15);
    assert_eq!(rep(&now, 2), rep(&before, 2) + 2);
    // Liam, a moderator, takes it back: from Ada and Bob, not from himself.
    act(&app, "DELETE", A_ADA, "accept", LIAM).await.expect(200);
    assert_eq!(reputations(&app).await, before);
}

#[tokio::test]
async fn deleting_the_accepted_answer_leaves_no_answer_accepted() {
    let app = content_app().await;
    act(&app, "POST", A_PLAIN, "accept", "bob-rw")
        .await
        .expect(200);
    app.delete(&answer_url("/api/v3", Q, A_PLAIN))
        .token(U7)
        .send()
        .await
        .expect(204);
    let list = listed(&app, Q).await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["isAccepted"] == false),
        "{list}"
    );
    // Another answer can be accepted.
    act(&app, "POST", A_SME, "accept", "bob-rw")
        .await
        .expect(200);
}

#[tokio::test]
async fn votes_move_the_score_and_the_owners_reputation() {
    let app = content_app().await;
    let owner = reputation(&app, 7).await;
    let up = act(&app, "POST", A_PLAIN, "upvote", "bob-rw")
        .await
        .ok_json(200);
    assert_eq!(up["score"], 1);
    assert_eq!(reputation(&app, 7).await, owner + 10);
    // Again: no change.
    assert_eq!(
        act(&app, "POST", A_PLAIN, "upvote", "bob-rw")
            .await
            .ok_json(200)["score"],
        1
    );
    // A downvote replaces the upvote.
    let down = act(&app, "POST", A_PLAIN, "downvote", "bob-rw")
        .await
        .ok_json(200);
    assert_eq!(down["score"], -1);
    assert_eq!(reputation(&app, 7).await, owner - 2);
    // Removing an upvote the caller does not hold leaves the downvote.
    let kept = act(&app, "DELETE", A_PLAIN, "upvote", "bob-rw")
        .await
        .ok_json(200);
    assert_eq!(kept["score"], -1);
    let gone = act(&app, "DELETE", A_PLAIN, "downvote", "bob-rw")
        .await
        .ok_json(200);
    assert_eq!(gone["score"], 0);
    assert_eq!(reputation(&app, 7).await, owner);
    // Votes of several users add up, and the list sorts by them.
    for token in ["bob-rw", "ada-rw", LIAM] {
        act(&app, "POST", A_PLAIN, "upvote", token)
            .await
            .expect(200);
    }
    assert_eq!(get_answer(&app, "bob-ro", A_PLAIN).await["score"], 3);
    assert_eq!(ids(&listed(&app, Q).await)[0], A_PLAIN);
}

#[tokio::test]
async fn a_positive_score_makes_no_accept() {
    let app = content_app().await;
    act(&app, "POST", A_PLAIN, "upvote", "bob-rw")
        .await
        .expect(200);
    assert_eq!(
        get_answer(&app, "bob-ro", A_PLAIN).await["isAccepted"],
        false
    );
}

#[tokio::test]
async fn voting_on_ones_own_answer_is_403_own_post_and_changes_nothing() {
    let app = content_app().await;
    let before = get_answer(&app, "ada-rw", A_PLAIN).await;
    let rep = reputation(&app, 7).await;
    for (method, what) in [
        ("POST", "upvote"),
        ("DELETE", "upvote"),
        ("POST", "downvote"),
        ("DELETE", "downvote"),
    ] {
        let res = act(&app, method, A_PLAIN, what, U7).await;
        res.expect(403);
        assert_eq!(
            res.header("x-mock-reason"),
            Some("own-post"),
            "{method} {what}"
        );
    }
    assert_eq!(get_answer(&app, "ada-rw", A_PLAIN).await, before);
    assert_eq!(reputation(&app, 7).await, rep);
}

#[tokio::test]
async fn acts_on_missing_or_deleted_answers_are_404_for_members_and_400_for_moderators() {
    let app = content_app().await;
    for what in ["accept", "upvote", "downvote"] {
        act(&app, "POST", A_DELETED, what, "bob-rw")
            .await
            .expect_problem(404, "/v3/errors/answer/not-found");
        act(&app, "POST", 999, what, "bob-rw").await.expect(404);
        app.post(&format!("{}/{what}", answer_url("/api/v3", Q_OTHER, A_SME)))
            .token("bob-rw")
            .send()
            .await
            .expect(404);
        act(&app, "POST", A_DELETED, what, LIAM)
            .await
            .expect_problem(400, "/v3/errors/post/not-writable");
    }
}
