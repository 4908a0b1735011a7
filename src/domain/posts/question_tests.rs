//! Questions: links read at write time, linked and related questions, the asker's follow, and
//! the content limits too large to reach over HTTP in a test (README "Limits").

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::domain::{Role, Site, SiteKind, SiteUser, Tag};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap()
}

fn site() -> Site {
    let mut site = Site::new("t".into(), "T".into(), SiteKind::PrivateTeam);
    for id in [1, 2] {
        site.insert_user(SiteUser {
            id,
            account_id: 100 + id,
            role: Role::Registered,
            reputation: 1,
            job_title: None,
            department: None,
            creation_date: None,
            last_access_date: None,
            last_modified_date: None,
        });
    }
    site
}

fn as_user(id: UserId) -> Viewer {
    Viewer {
        user: Some(id),
        role: Some(Role::Registered),
    }
}

fn ask(site: &mut Site, body: &str, tags: &[&str]) -> Result<PostId, DomainError> {
    let tags: Vec<String> = tags.iter().map(|s| s.to_string()).collect();
    site.create_question(
        as_user(1),
        PostEdit {
            title: "Title",
            body,
            tags: &tags,
        },
        now(),
    )
}

fn ids(questions: &[&Question]) -> Vec<PostId> {
    questions.iter().map(|q| q.id).collect()
}

#[test]
fn links_are_read_when_a_question_is_written_and_its_own_id_is_left_out() {
    let mut site = site();
    let a = ask(&mut site, "first", &["rust"]).unwrap();
    let b = ask(
        &mut site,
        "see /questions/1 and /questions/2 and /q/77",
        &["go"],
    )
    .unwrap();
    assert_eq!((a, b), (1, 2));
    assert_eq!(
        site.posts.questions[&b].linked,
        BTreeSet::from([1, 77]),
        "its own id is not a link"
    );
    let tags = vec!["go".to_string()];
    site.edit_question(
        b,
        as_user(1),
        PostEdit {
            title: "Title",
            body: "no links now",
            tags: &tags,
        },
        now(),
    )
    .unwrap();
    assert!(
        site.posts.questions[&b].linked.is_empty(),
        "an edit rereads"
    );
}

#[test]
fn linked_questions_go_both_ways_and_leave_out_deleted_and_unknown_ones() {
    let mut site = site();
    let a = ask(&mut site, "a", &["rust"]).unwrap();
    let b = ask(
        &mut site,
        "links to /questions/1 and /questions/999",
        &["rust"],
    )
    .unwrap();
    let c = ask(&mut site, "links to [b](/questions/2)", &["rust"]).unwrap();
    assert_eq!(ids(&site.posts.linked_to(a)), [b], "b links to a");
    assert_eq!(
        ids(&site.posts.linked_to(b)),
        [a, c],
        "b links to a; c to b"
    );
    site.delete_question(a, as_user(1), now()).unwrap();
    assert_eq!(ids(&site.posts.linked_to(b)), [c]);
    assert!(site.posts.linked_to(999).is_empty());
}

#[test]
fn related_questions_share_tags_and_count_them() {
    let mut site = site();
    let q = ask(&mut site, "q", &["rust", "tokio", "axum"]).unwrap();
    let one = ask(&mut site, "x", &["rust"]).unwrap();
    let two = ask(&mut site, "x", &["tokio", "axum", "serde"]).unwrap();
    ask(&mut site, "x", &["python"]).unwrap();
    let related: Vec<(PostId, usize)> = site
        .posts
        .related_to(q)
        .into_iter()
        .map(|(r, n)| (r.id, n))
        .collect();
    assert_eq!(related, [(one, 1), (two, 2)]);
}

#[test]
fn the_asker_follows_their_question() {
    let mut site = site();
    let q = ask(&mut site, "q", &["rust"]).unwrap();
    assert_eq!(site.posts.questions[&q].meta.followers, BTreeSet::from([1]));
}

#[test]
fn the_post_limit_of_a_site_refuses_the_next_question_and_changes_nothing() {
    let mut site = site();
    let template = {
        let id = ask(&mut site, "template", &["rust"]).unwrap();
        site.posts.questions[&id].clone()
    };
    let posts = Arc::make_mut(&mut site.posts);
    for id in 2..=Limits::POSTS_PER_SITE as PostId {
        posts.questions.insert(
            id,
            Question {
                id,
                ..template.clone()
            },
        );
    }
    let before = site.clone();
    assert_eq!(
        ask(&mut site, "one more", &["rust"]),
        Err(DomainError::LimitReached {
            what: "posts on this site",
            limit: Limits::POSTS_PER_SITE
        })
    );
    assert!(site == before, "nothing changed");
}

#[test]
fn the_text_limit_of_a_site_refuses_a_question_and_an_edit_that_would_pass_it() {
    let mut site = site();
    let q = ask(&mut site, "short", &["rust"]).unwrap();
    Arc::make_mut(&mut site.posts).text_bytes = Limits::TEXT_BYTES_PER_SITE - 10;
    let before = site.clone();
    let limit = Err(DomainError::LimitReached {
        what: "bytes of text on this site",
        limit: Limits::TEXT_BYTES_PER_SITE,
    });
    assert_eq!(
        ask(&mut site, "a body of more than ten bytes", &["rust"]),
        limit
    );
    let tags = vec!["rust".to_string()];
    let edit = PostEdit {
        title: "Title",
        body: "a body of more than ten bytes",
        tags: &tags,
    };
    assert_eq!(
        site.edit_question(q, as_user(1), edit, now()),
        limit.map(drop)
    );
    assert!(site == before, "nothing changed");
}

#[test]
fn the_tag_limit_of_a_site_refuses_a_question_with_a_new_tag_but_not_with_old_ones() {
    let mut site = site();
    for id in 1..=Limits::TAGS_PER_SITE as u32 {
        site.insert_tag(Tag {
            id,
            name: format!("t{id}"),
            description: String::new(),
            post_count: 0,
            creation_date: now(),
            watcher_ids: BTreeSet::new(),
            has_synonyms: false,
        });
    }
    let before = site.clone();
    assert_eq!(
        ask(&mut site, "b", &["t1", "brand-new"]),
        Err(DomainError::LimitReached {
            what: "tags on this site",
            limit: Limits::TAGS_PER_SITE
        })
    );
    assert!(site == before, "nothing changed");
    ask(&mut site, "b", &["t1", "t2"]).unwrap();
}

#[test]
fn the_flag_limit_of_a_site_refuses_the_next_flag() {
    let mut site = site();
    let q = ask(&mut site, "q", &["rust"]).unwrap();
    let flag = |user| Flag {
        post_id: q,
        user,
        option_id: 1,
        comment: None,
        related_question_id: None,
        target_site: None,
        creation_date: now(),
    };
    Arc::make_mut(&mut site.posts).flags = vec![flag(1); Limits::FLAGS_PER_SITE];
    assert_eq!(
        site.raise_flag(flag(2)),
        Err(DomainError::LimitReached {
            what: "flags on this site",
            limit: Limits::FLAGS_PER_SITE
        })
    );
    assert_eq!(site.posts.flags.len(), Limits::FLAGS_PER_SITE);
}
