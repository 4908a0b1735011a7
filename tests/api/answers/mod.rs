//! Answers (issue 17; docs/answers.md): the reads, the writes and the acts of
//! `/questions/{questionId}/answers…` under every URL shape, on the default fixtures plus the
//! content of [`content_fixture`].

mod acts;
mod flags;
mod reads;
mod writes;

use serde_json::{Value, json};

use crate::helpers::*;

/// The main site's question 1001 (by Bob, user 2, tagged `rust`, whose SMEs are users 1 and
/// 12 and the group Platform: 1, 4, 6, 9, 12, 40) and its answers.
pub const Q: u64 = 1001;
/// By user 12, a named SME of `rust`; score +1 (Grace upvoted), two comments.
pub const A_SME: u64 = 1002;
/// By user 6, an SME of `rust` through the group Platform; score −1.
pub const A_GROUP_SME: u64 = 1003;
/// By user 7, no SME; score 0.
pub const A_PLAIN: u64 = 1004;
/// By Ada (user 1, an admin).
pub const A_ADA: u64 = 1005;
/// By user 7, deleted.
pub const A_DELETED: u64 = 1006;
/// A closed question by Ada.
pub const Q_CLOSED: u64 = 1010;
/// A deleted question by Bob, with its answer 1021.
pub const Q_DELETED: u64 = 1020;
pub const A_OF_DELETED_Q: u64 = 1021;
/// A question by Bob tagged `api-design` (no SMEs), with 1031 by user 12.
pub const Q_OTHER: u64 = 1030;
pub const A_OTHER: u64 = 1031;

/// Read-write tokens of main-site users added by the fixture: Liam (5, Moderator), user 12,
/// user 6 and user 7 (Registered).
pub const LIAM: &str = "liam-rw";
pub const U12: &str = "u12-rw";
pub const U6: &str = "u6-rw";
pub const U7: &str = "u7-rw";

/// One shape with a question and an answer of its own, and an admin's write token.
pub struct Place {
    pub prefix: &'static str,
    pub token: &'static str,
    pub read_only: &'static str,
    pub question: u64,
    pub answer: u64,
}

pub const PLACES: [Place; 3] = [
    Place {
        prefix: "/api/v3",
        token: "ada-rw",
        read_only: "ada-ro",
        question: Q,
        answer: A_PLAIN,
    },
    Place {
        prefix: "/api/v3/teams/productone",
        token: "ada-rw",
        read_only: "bob-ro",
        question: 2001,
        answer: 2002,
    },
    Place {
        prefix: "/v3/teams/acme",
        token: "acme-admin-rw",
        read_only: "acme-member-ro",
        question: 3001,
        answer: 3002,
    },
];

const DEFAULT_FILES: [&str; 5] = [
    include_str!("../../../fixtures/default/00-accounts.json"),
    include_str!("../../../fixtures/default/10-main.json"),
    include_str!("../../../fixtures/default/20-private-teams.json"),
    include_str!("../../../fixtures/default/30-cloud-teams.json"),
    include_str!("../../../fixtures/default/40-tokens.json"),
];

fn question(id: u64, owner: u64, tags: &[u64], day: u32) -> Value {
    json!({ "id": id, "title": format!("Question {id}: how does this work?"),
        "bodyMarkdown": format!("What is going on in case {id}?"), "tags": tags,
        "ownerId": owner, "creationDate": format!("2025-01-{day:02}T10:00:00Z") })
}

fn answer(id: u64, question: u64, owner: u64, day: u32) -> Value {
    json!({ "id": id, "questionId": question, "bodyMarkdown": format!("Answer **{id}**."),
        "ownerId": owner, "creationDate": format!("2025-01-{day:02}T12:00:00Z") })
}

/// The default fixtures, without their own content (the answers tests bring theirs), plus
/// the questions, answers and comments the tests read and the tokens they act with.
pub fn content_fixture() -> Value {
    let mut doc = json!({});
    for file in DEFAULT_FILES {
        let part: Value = serde_json::from_str(file).unwrap();
        for (key, list) in part.as_object().unwrap() {
            let into = doc[key.as_str()].as_array().cloned().unwrap_or_default();
            let mut into = into;
            into.extend(list.as_array().unwrap().iter().cloned());
            doc[key.as_str()] = Value::Array(into);
        }
    }
    for site in doc["sites"].as_array_mut().unwrap() {
        let content = match site["slug"].as_str().unwrap() {
            "main" => {
                let mut deleted = answer(A_DELETED, Q, 7, 6);
                deleted["deletionDate"] = json!("2025-02-01T00:00:00Z");
                let mut closed = question(Q_CLOSED, 1, &[8], 7);
                closed["isClosed"] = json!(true);
                let mut gone = question(Q_DELETED, 2, &[2], 8);
                gone["deletionDate"] = json!("2025-03-01T00:00:00Z");
                let mut sme = answer(A_SME, Q, 12, 2);
                sme["votes"] = json!([{ "userId": 4, "vote": "up" }]);
                let mut group_sme = answer(A_GROUP_SME, Q, 6, 3);
                group_sme["votes"] = json!([{ "userId": 4, "vote": "down" }]);
                json!({
                    "questions": [question(Q, 2, &[1], 1), closed, gone, question(Q_OTHER, 2, &[8], 9)],
                    "answers": [sme, group_sme, answer(A_PLAIN, Q, 7, 4), answer(A_ADA, Q, 1, 5),
                        deleted, answer(A_OF_DELETED_Q, Q_DELETED, 12, 8), answer(A_OTHER, Q_OTHER, 12, 10)],
                    "comments": [
                        { "id": 1, "postId": A_SME, "ownerId": 2, "body": "Thanks, that works.",
                          "creationDate": "2025-01-03T08:00:00Z", "score": 2 },
                        { "id": 2, "postId": A_SME, "ownerId": 6, "body": "See also the docs.",
                          "creationDate": "2025-01-03T09:00:00Z" },
                        { "id": 3, "postId": Q, "ownerId": 7, "body": "On the question itself.",
                          "creationDate": "2025-01-03T10:00:00Z" },
                    ],
                })
            }
            "productone" => json!({
                "questions": [question(2001, 2, &[1], 1)],
                "answers": [answer(2002, 2001, 3, 2)],
            }),
            "acme" => json!({
                "questions": [question(3001, 7, &[2], 1)],
                "answers": [answer(3002, 3001, 9, 2)],
            }),
            "startup" => json!({
                "questions": [question(4001, 1, &[1], 1)],
                "answers": [answer(4002, 4001, 2, 2)],
            }),
            _ => json!({}),
        };
        for key in [
            "questions",
            "answers",
            "comments",
            "articles",
            "collections",
            "flags",
        ] {
            site[key] = content.get(key).cloned().unwrap_or(json!([]));
        }
    }
    let tokens = doc["tokens"].as_array_mut().unwrap();
    for (token, account) in [(LIAM, 1005), (U12, 1012), (U6, 1006), (U7, 1007)] {
        tokens.push(
            json!({ "token": token, "accountId": account, "kind": "oauth",
            "write": true, "expiresAt": null }),
        );
    }
    doc
}

pub async fn content_app() -> TestApp {
    spawn_app_with(&content_fixture()).await
}

pub fn answers_url(prefix: &str, question: u64) -> String {
    format!("{prefix}/questions/{question}/answers")
}

pub fn answer_url(prefix: &str, question: u64, answer: u64) -> String {
    format!("{prefix}/questions/{question}/answers/{answer}")
}

/// `GET` of a main-site answer as `token`, which must answer 200.
pub async fn get_answer(app: &TestApp, token: &str, answer: u64) -> Value {
    app.get(&answer_url("/api/v3", Q, answer))
        .token(token)
        .send()
        .await
        .ok_json(200)
}

/// A main-site user's reputation.
pub async fn reputation(app: &TestApp, user: u64) -> i64 {
    app.get(&format!("/api/v3/users/{user}"))
        .token("ada-rw")
        .send()
        .await
        .ok_json(200)["reputation"]
        .as_i64()
        .unwrap()
}

/// The main site's answers of question `q` as Ada sees them in a list (ids, score order).
pub async fn listed(app: &TestApp, q: u64) -> Value {
    app.get(&format!("{}?pageSize=100", answers_url("/api/v3", q)))
        .token("ada-rw")
        .send()
        .await
        .ok_json(200)
}
