//! Questions (issue 17) over HTTP, under the three URL shapes: asking, reading, replacing and
//! deleting in [`crud`], the list and its filters in [`list`], votes, bookmarks and flags in
//! [`actions`], linked and related questions, comments and an article's linked questions in
//! [`nearby`]. The default fixtures hold no questions: each test asks its own.

mod actions;
mod crud;
mod list;
mod nearby;

use serde_json::{Value, json};

use crate::helpers::*;

/// One URL shape of the default fixtures with two writers: an admin and a member.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub prefix: &'static str,
    /// A read-write token of an admin of the site, and the admin's user id.
    pub admin: &'static str,
    pub admin_id: u64,
    /// A read-write token of a registered member, and the member's user id.
    pub member: &'static str,
    pub member_id: u64,
    /// A read-only token of a user of the site.
    pub read_only: &'static str,
}

impl Place {
    pub fn url(&self, rest: &str) -> String {
        format!("{}{rest}", self.prefix)
    }
}

/// The main site, a private team and a Business cloud team (fixtures/default/README.md). Bob's
/// token on `acme` and Liam's (a moderator of `main`) are minted by [`app`].
pub const PLACES: [Place; 3] = [
    Place {
        prefix: "/api/v3",
        admin: "ada-rw",
        admin_id: 1,
        member: "bob-rw",
        member_id: 2,
        read_only: "bob-ro",
    },
    Place {
        prefix: "/api/v3/teams/productone",
        admin: "ada-rw",
        admin_id: 1,
        member: "bob-rw",
        member_id: 2,
        read_only: "bob-ro",
    },
    Place {
        prefix: "/v3/teams/acme",
        admin: "acme-admin-rw",
        admin_id: 8,
        member: "acme-bob-rw",
        member_id: 7,
        read_only: "acme-member-ro",
    },
];

/// Liam Moreau, the moderator of `main` (user 5).
pub const MODERATOR: &str = "liam-rw";

/// A server on the default fixtures, with Bob's write token on `acme` and Liam's on `main`.
pub async fn app() -> TestApp {
    let app = spawn_app_without_content().await;
    for (account, scope, token) in [(1002, "acme", "acme-bob-rw"), (1005, "main", MODERATOR)] {
        app.post("/__admin/tokens")
            .json(&json!({"accountId": account, "scope": scope, "write": true, "token": token, "expiresAt": null}))
            .send()
            .await
            .expect(201);
    }
    app
}

pub fn question(title: &str, body: &str, tags: &[&str]) -> Value {
    json!({"title": title, "body": body, "tags": tags})
}

/// Asks a question with `token` (201) and answers it.
pub async fn ask(app: &TestApp, place: &Place, token: &str, body: &Value) -> Value {
    app.post(&place.url("/questions"))
        .token(token)
        .json(body)
        .send()
        .await
        .ok_json(201)
}

/// Asks a simple question with tags `tags` and answers its id.
pub async fn ask_tagged(app: &TestApp, place: &Place, token: &str, tags: &[&str]) -> u64 {
    let q = ask(app, place, token, &question("How?", "Like this.", tags)).await;
    q["id"].as_u64().expect("an id")
}

/// `GET …/questions/{id}` with `token`.
pub async fn read_question(app: &TestApp, place: &Place, token: &str, id: u64) -> Resp {
    app.get(&place.url(&format!("/questions/{id}")))
        .token(token)
        .send()
        .await
}

/// The `postCount` of the tag named `name`, if the site has it (`GET /tags`).
pub async fn post_count(app: &TestApp, place: &Place, name: &str) -> Option<i64> {
    let tags = app
        .get(&place.url(&format!("/tags?partialName={name}&pageSize=100")))
        .token(place.admin)
        .send()
        .await
        .ok_json(200);
    tags["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .map(|t| t["postCount"].as_i64().unwrap())
}

/// The reputation of user `id` (`GET /users/{id}`).
pub async fn reputation(app: &TestApp, place: &Place, id: u64) -> i64 {
    app.get(&place.url(&format!("/users/{id}")))
        .token(place.admin)
        .send()
        .await
        .ok_json(200)["reputation"]
        .as_i64()
        .unwrap()
}
