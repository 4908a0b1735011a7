//! What the write tests share: the three URL shapes with a token and known data for each, and
//! a snapshot of a site's state read back through the read routes (to show that a refused
//! write changed nothing).

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// One URL shape of the default fixtures, with what a write test needs to know about its site.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub prefix: &'static str,
    /// A read-write token of an admin of the site.
    pub token: &'static str,
    /// A read-only token of a user of the site.
    pub read_only: &'static str,
    /// Users of the site who are not members of `group`.
    pub outsiders: [u32; 3],
    /// A group of the site, with its members, that is an SME group of `sme_tag`.
    pub group: u32,
    pub group_members: &'static [u32],
    pub sme_tag: u32,
    /// A tag without SMEs.
    pub free_tag: u32,
    /// A second group, not an SME of `free_tag`.
    pub other_group: u32,
}

/// The Enterprise main site, a private team and a Business cloud team (see fixtures/default/README.md).
pub const SHAPES: [Shape; 3] = [
    Shape {
        prefix: "/api/v3",
        token: "ada-rw",
        read_only: "bob-ro",
        outsiders: [2, 5, 7],
        group: 1,
        group_members: &[1, 4, 6, 9, 12, 40],
        sme_tag: 1,
        free_tag: 8,
        other_group: 2,
    },
    Shape {
        prefix: "/api/v3/teams/productone",
        token: "ada-rw",
        read_only: "bob-ro",
        outsiders: [2, 4, 6],
        group: 1,
        group_members: &[3, 5, 7],
        sme_tag: 1,
        free_tag: 2,
        other_group: 2,
    },
    Shape {
        prefix: "/v3/teams/acme",
        token: "acme-admin-rw",
        read_only: "acme-member-ro",
        outsiders: [7, 9, 14],
        group: 1,
        group_members: &[8, 10, 11, 12, 13],
        sme_tag: 2,
        free_tag: 1,
        other_group: 2,
    },
];

impl Shape {
    pub fn url(&self, rest: &str) -> String {
        format!("{}{rest}", self.prefix)
    }
}

/// A GET with the shape's admin token that must answer 200.
pub async fn read(app: &TestApp, shape: &Shape, rest: &str) -> Value {
    app.get(&shape.url(rest))
        .token(shape.token)
        .send()
        .await
        .ok_json(200)
}

/// Everything a v3 write can change on a site, as the read routes show it: every group with
/// its members, and every tag with its SME set and `subjectMatterExpertCount`.
pub async fn site_state(app: &TestApp, shape: &Shape) -> Value {
    let groups = read(app, shape, "/user-groups?pageSize=100").await;
    let tags = read(app, shape, "/tags?pageSize=100&sort=name").await;
    let mut details = Vec::new();
    for id in crate::helpers::ids(&tags) {
        details.push(read(app, shape, &format!("/tags/{id}")).await);
    }
    json!({ "groups": groups["items"], "tags": details })
}

/// The sorted ids of the `users` of a group or an SME set.
pub fn user_ids(body: &Value) -> Vec<u64> {
    sorted_ids(&body["users"])
}

/// The sorted ids of the `userGroups` of an SME set.
pub fn group_ids(body: &Value) -> Vec<u64> {
    sorted_ids(&body["userGroups"])
}

fn sorted_ids(list: &Value) -> Vec<u64> {
    let mut ids: Vec<u64> = list
        .as_array()
        .expect("an array")
        .iter()
        .map(|x| x["id"].as_u64().expect("an id"))
        .collect();
    ids.sort_unstable();
    ids
}

/// Distinct users among the SME users and the members of the SME groups of a tag's SME set.
pub fn distinct_smes(smes: &Value) -> usize {
    let mut all: std::collections::BTreeSet<u64> = user_ids(smes).into_iter().collect();
    for group in smes["userGroups"].as_array().expect("userGroups") {
        all.extend(user_ids(group));
    }
    all.len()
}

/// The ids of the tags `GET /tags?hasSmes=…` lists.
pub async fn tags_with_smes(app: &TestApp, shape: &Shape, has: bool) -> Vec<u64> {
    let mut ids =
        crate::helpers::ids(&read(app, shape, &format!("/tags?pageSize=100&hasSmes={has}")).await);
    ids.sort_unstable();
    ids
}
