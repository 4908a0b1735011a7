//! Concurrent v3 writes (contract §3, "State behind one type"): many writers adding and
//! removing members and SMEs on the same group and the same tag end in exactly the state a
//! serial order would produce (no lost update), readers running alongside never see a torn
//! state, and nothing deadlocks.
//!
//! Each writer owns distinct users, so every serial order of the writers gives the same final
//! state, which the test computes up front and asserts exactly.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::site_state::{distinct_smes, group_ids, user_ids};

const WRITERS: u32 = 40;
const READERS: u32 = 8;
const ROUNDS: u32 = 3;
/// The shared group and tag every writer works on.
const GROUP: u32 = 1;
const TAG: u32 = 1;
/// Members of `GROUP` and SME users of `TAG` before the writers start (no writer owns them).
const INITIAL_MEMBERS: [u32; 2] = [1, 2];
const INITIAL_SME_USERS: [u32; 1] = [3];

/// The four users writer `i` owns: `a` and `c` end in the group, `b` ends an SME, `d` is the
/// one member of the group the writer creates.
fn owned(i: u32) -> [u32; 4] {
    let base = 10 + 4 * i;
    [base, base + 1, base + 2, base + 3]
}

/// A main site with enough users for every writer, one group and one tag with SMEs.
fn fixture() -> Value {
    let last_user = 10 + 4 * WRITERS;
    let accounts: Vec<Value> = (1..=last_user)
        .map(|id| json!({ "accountId": 5000 + id, "name": format!("User {id}"), "email": format!("user{id}@example.com") }))
        .collect();
    let users: Vec<Value> = (1..=last_user)
        .map(|id| json!({ "id": id, "accountId": 5000 + id, "role": if id == 1 { "Admin" } else { "Registered" } }))
        .collect();
    json!({
        "accounts": accounts,
        "sites": [{
            "slug": "main", "kind": "enterprise", "name": "Concurrent Corp",
            "users": users,
            "tags": [{ "id": TAG, "name": "contended", "creationDate": "2024-01-01T00:00:00Z" }],
            "userGroups": [{ "id": GROUP, "name": "Shared", "userIds": INITIAL_MEMBERS }],
            "subjectMatterExperts": [{ "tagId": TAG, "userIds": INITIAL_SME_USERS, "userGroupIds": [GROUP] }]
        }],
        "tokens": [{ "token": "admin-rw", "accountId": 5001, "kind": "oauth", "write": true }]
    })
}

fn ids_of(list: &Value) -> BTreeSet<u64> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|x| x["id"].as_u64().expect("an id"))
        .collect()
}

/// One writer's work, each step checking its own answer (rendered under the write lock, so
/// the writer's own users are exactly as it left them). Returns the id of the group it made.
async fn writer(app: Arc<TestApp>, i: u32) -> u64 {
    let [a, b, c, d] = owned(i);
    let t = "admin-rw";
    let has = |body: &Value, user: u32| ids_of(&body["users"]).contains(&u64::from(user));
    for _ in 0..ROUNDS {
        let group = app
            .post(&format!("/api/v3/user-groups/{GROUP}/members"))
            .token(t)
            .json(&json!([a, b, c, d]))
            .send()
            .await
            .ok_json(200);
        assert!(
            [a, b, c, d].iter().all(|u| has(&group, *u)),
            "writer {i}: its members were added: {group}"
        );
        for gone in [b, d] {
            let group = app
                .delete(&format!("/api/v3/user-groups/{GROUP}/members/{gone}"))
                .token(t)
                .send()
                .await
                .ok_json(200);
            assert!(
                !has(&group, gone) && has(&group, a) && has(&group, c),
                "writer {i}: {gone} left: {group}"
            );
        }
        let smes = app
            .post(&format!("/api/v3/tags/{TAG}/subject-matter-experts/users"))
            .token(t)
            .json(&json!([a, b]))
            .send()
            .await
            .ok_json(200);
        assert!(
            has(&smes, a) && has(&smes, b),
            "writer {i}: its SMEs were added: {smes}"
        );
        app.delete(&format!(
            "/api/v3/tags/{TAG}/subject-matter-experts/users/{a}"
        ))
        .token(t)
        .send()
        .await
        .expect(204);
    }
    let created = app
        .post("/api/v3/user-groups")
        .token(t)
        .json(&json!({ "name": format!("Writer {i}"), "userIds": [d] }))
        .send()
        .await
        .ok_json(201);
    let own_group = created["id"].as_u64().expect("an id");
    let smes = app
        .post(&format!(
            "/api/v3/tags/{TAG}/subject-matter-experts/user-groups"
        ))
        .token(t)
        .json(&json!([own_group]))
        .send()
        .await
        .ok_json(200);
    assert!(
        ids_of(&smes["userGroups"]).contains(&own_group),
        "writer {i}: its group became an SME: {smes}"
    );
    if i % 2 == 1 {
        app.delete(&format!(
            "/api/v3/tags/{TAG}/subject-matter-experts/user-groups/{own_group}"
        ))
        .token(t)
        .send()
        .await
        .expect(204);
    }
    own_group
}

/// A reader's checks on one `GET /tags/{id}` and one `GET /user-groups/{id}`: the count agrees
/// with the set in the same answer, and every writer's users in the group are in a state the
/// writer actually passes through (never half of one `POST …/members`).
async fn read_once(app: &TestApp) {
    let tag = app
        .get(&format!("/api/v3/tags/{TAG}"))
        .token("admin-rw")
        .send()
        .await
        .ok_json(200);
    let count = tag["subjectMatterExpertCount"].as_u64().expect("a count") as usize;
    assert_eq!(
        count,
        distinct_smes(&tag["subjectMatterExperts"]),
        "torn tag read: {tag}"
    );
    let group = app
        .get(&format!("/api/v3/user-groups/{GROUP}"))
        .token("admin-rw")
        .send()
        .await
        .ok_json(200);
    let members = ids_of(&group["users"]);
    for i in 0..WRITERS {
        let [a, b, c, d] = owned(i).map(u64::from);
        let seen: Vec<u64> = [a, b, c, d]
            .into_iter()
            .filter(|u| members.contains(u))
            .collect();
        let allowed: [&[u64]; 4] = [&[], &[a, b, c, d], &[a, c, d], &[a, c]];
        assert!(
            allowed.contains(&seen.as_slice()),
            "torn group read: writer {i}'s users {seen:?} in {members:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn concurrent_writers_end_in_the_serial_state_and_readers_never_see_a_torn_one() {
    let app = Arc::new(spawn_app_with(&fixture()).await);
    let done = Arc::new(AtomicBool::new(false));
    let run = async {
        let readers: Vec<_> = (0..READERS)
            .map(|_| {
                let (app, done) = (app.clone(), done.clone());
                tokio::spawn(async move {
                    let mut reads = 0u32;
                    while !done.load(Ordering::Relaxed) || reads == 0 {
                        read_once(&app).await;
                        reads += 1;
                    }
                    reads
                })
            })
            .collect();
        let writers: Vec<_> = (0..WRITERS)
            .map(|i| tokio::spawn(writer(app.clone(), i)))
            .collect();
        let mut own_groups = Vec::new();
        for w in writers {
            own_groups.push(w.await.expect("a writer panicked"));
        }
        done.store(true, Ordering::Relaxed);
        for r in readers {
            r.await.expect("a reader panicked");
        }
        own_groups
    };
    let own_groups = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("writers and readers finish: no deadlock");

    // Group creation under contention: every writer got its own fresh id.
    let distinct: BTreeSet<u64> = own_groups.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        WRITERS as usize,
        "fresh group ids: {own_groups:?}"
    );
    assert!(!distinct.contains(&u64::from(GROUP)));

    // The serial outcome.
    let members: Vec<u64> = INITIAL_MEMBERS
        .iter()
        .copied()
        .chain((0..WRITERS).flat_map(|i| [owned(i)[0], owned(i)[2]]))
        .map(u64::from)
        .collect();
    let sme_users: Vec<u64> = INITIAL_SME_USERS
        .iter()
        .copied()
        .chain((0..WRITERS).map(|i| owned(i)[1]))
        .map(u64::from)
        .collect();
    let even_groups: Vec<u64> = (0..WRITERS)
        .filter(|i| i % 2 == 0)
        .map(|i| own_groups[i as usize])
        .collect();
    let sme_groups: BTreeSet<u64> = std::iter::once(u64::from(GROUP))
        .chain(even_groups.iter().copied())
        .collect();
    let even_members = (0..WRITERS)
        .filter(|i| i % 2 == 0)
        .map(|i| u64::from(owned(i)[3]));
    let distinct_expected: BTreeSet<u64> = members
        .iter()
        .chain(&sme_users)
        .copied()
        .chain(even_members)
        .collect();

    let group = app
        .get(&format!("/api/v3/user-groups/{GROUP}"))
        .token("admin-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        user_ids(&group),
        sorted(members),
        "final members of the shared group"
    );
    let tag = app
        .get(&format!("/api/v3/tags/{TAG}"))
        .token("admin-rw")
        .send()
        .await
        .ok_json(200);
    let smes = &tag["subjectMatterExperts"];
    assert_eq!(user_ids(smes), sorted(sme_users), "final SME users");
    assert_eq!(
        group_ids(smes).into_iter().collect::<BTreeSet<_>>(),
        sme_groups,
        "final SME groups"
    );
    assert_eq!(
        tag["subjectMatterExpertCount"],
        distinct_expected.len(),
        "final count"
    );
    let list = app
        .get("/api/v3/user-groups?pageSize=100")
        .token("admin-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        list["totalCount"],
        WRITERS + 1,
        "every created group exists once"
    );
}

fn sorted(mut ids: Vec<u64>) -> Vec<u64> {
    ids.sort_unstable();
    ids
}
