use std::sync::Arc;

use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::{Role, Site, SiteKind, SiteUser};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
}

fn site() -> Site {
    let mut site = Site::new("t".into(), "T".into(), SiteKind::PrivateTeam);
    for (id, role) in [
        (1, Role::Registered),
        (2, Role::Registered),
        (3, Role::Moderator),
    ] {
        site.insert_user(SiteUser {
            id,
            account_id: 100 + id,
            role,
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
        role: Some(if id == 3 {
            Role::Moderator
        } else {
            Role::Registered
        }),
    }
}

fn tags(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn ask(site: &mut Site, owner: UserId, tag_names: &[&str]) -> PostId {
    let t = tags(tag_names);
    site.create_question(
        as_user(owner),
        PostEdit {
            title: "How?",
            body: "Like *this*",
            tags: &t,
        },
        now(),
    )
    .unwrap()
}

#[test]
fn a_question_creates_its_tags_on_first_use_and_counts_them() {
    let mut site = site();
    let q = ask(&mut site, 1, &["Rust", "rust", "tokio"]);
    let question = &site.posts.questions[&q];
    assert_eq!(question.tags.len(), 2, "duplicate names collapse");
    assert_eq!(question.meta.body.html(), "<p>Like <em>this</em></p>\n");
    let counts: Vec<(String, i32)> = site
        .tags
        .values()
        .map(|t| (t.name.clone(), t.post_count))
        .collect();
    assert_eq!(counts, [("rust".into(), 1), ("tokio".into(), 1)]);
    ask(&mut site, 2, &["rust"]);
    assert_eq!(site.tags.values().next().unwrap().post_count, 2);
}

#[test]
fn a_refused_write_changes_nothing() {
    let mut site = site();
    ask(&mut site, 1, &["rust"]);
    let before = site.clone();
    let long = "x".repeat(Limits::TITLE_CHARS + 1);
    for (title, t) in [
        ("", tags(&["new"])),
        (long.as_str(), tags(&["new"])),
        ("ok", tags(&[])),
        ("ok", tags(&["a", "b", "c", "d", "e", "f"])),
        ("ok", tags(&["bad tag"])),
    ] {
        let r = site.create_question(
            as_user(1),
            PostEdit {
                title,
                body: "b",
                tags: &t,
            },
            now(),
        );
        assert!(matches!(r, Err(DomainError::InvalidField { .. })), "{r:?}");
        assert_eq!(site, before);
    }
}

#[test]
fn votes_score_once_per_user_and_move_reputation() {
    let mut site = site();
    let q = ask(&mut site, 1, &["rust"]);
    assert_eq!(
        site.vote(q, as_user(1), Some(Vote::Up)),
        Err(DomainError::OwnPost)
    );
    site.vote(q, as_user(2), Some(Vote::Up)).unwrap();
    site.vote(q, as_user(2), Some(Vote::Up)).unwrap();
    assert_eq!(site.posts.questions[&q].meta.score(), 1);
    assert_eq!(site.users[&1].reputation, 11);
    site.vote(q, as_user(2), Some(Vote::Down)).unwrap();
    assert_eq!(site.posts.questions[&q].meta.score(), -1);
    assert_eq!(site.users[&1].reputation, 1, "never below 1");
    site.vote(q, as_user(2), None).unwrap();
    assert_eq!(site.posts.questions[&q].meta.score(), 0);
}

#[test]
fn accepting_is_the_question_owners_act_and_counts_as_answered() {
    let mut site = site();
    let q = ask(&mut site, 1, &["rust"]);
    let a = site.create_answer(q, as_user(2), "Do it", now()).unwrap();
    let question = site.posts.questions[&q].clone();
    assert!(!site.posts.is_answered(&question));
    assert_eq!(
        site.accept_answer(q, a, as_user(2), true),
        Err(DomainError::NotAllowed(
            "accept an answer: only the question's owner, a moderator or an admin may"
        ))
    );
    site.accept_answer(q, a, as_user(1), true).unwrap();
    let question = site.posts.questions[&q].clone();
    assert!(site.posts.is_answered(&question));
    assert_eq!(site.users[&2].reputation, 16);
    assert_eq!(site.users[&1].reputation, 3);
    assert_eq!(
        site.accept_answer(q, a + 1, as_user(1), false),
        Err(DomainError::AnswerNotFound(a + 1))
    );
    site.accept_answer(q, a, as_user(3), false).unwrap();
    assert_eq!(site.users[&2].reputation, 1);
}

#[test]
fn the_accept_bonus_is_the_askers_and_goes_back_whoever_moves_the_accept() {
    let mut site = site();
    let q = ask(&mut site, 1, &["rust"]);
    let a = site.create_answer(q, as_user(2), "One", now()).unwrap();
    let b = site.create_answer(q, as_user(3), "Two", now()).unwrap();
    // The moderator accepts on the asker's behalf: the asker (1) gets the +2.
    site.accept_answer(q, a, as_user(3), true).unwrap();
    assert_eq!(site.users[&1].reputation, 3);
    assert_eq!(site.users[&3].reputation, 1);
    // The asker moves the accept to the moderator's own answer: +15 moves, the +2 stays.
    site.accept_answer(q, b, as_user(1), true).unwrap();
    assert_eq!(site.users[&2].reputation, 1);
    assert_eq!(site.users[&3].reputation, 16);
    assert_eq!(site.users[&1].reputation, 3);
    // The moderator takes it back: from the answerer and from the asker, not from themself.
    site.accept_answer(q, b, as_user(3), false).unwrap();
    assert_eq!(site.users[&3].reputation, 1);
    assert_eq!(site.users[&1].reputation, 1);
    // An asker accepting their own answer gets no +2.
    let own = site.create_answer(q, as_user(1), "Mine", now()).unwrap();
    site.accept_answer(q, own, as_user(1), true).unwrap();
    assert_eq!(site.users[&1].reputation, 16);
}

#[test]
fn deletion_is_soft_and_only_moderators_still_read_it() {
    let mut site = site();
    let q = ask(&mut site, 1, &["rust"]);
    assert_eq!(
        site.delete_question(q, as_user(2), now()),
        Err(DomainError::NotAllowed("delete this question"))
    );
    site.delete_question(q, as_user(1), now()).unwrap();
    assert_eq!(site.tags.values().next().unwrap().post_count, 0);
    assert_eq!(
        site.posts.question(q, as_user(1)).err(),
        Some(DomainError::QuestionNotFound(q))
    );
    assert!(
        site.posts
            .question(q, as_user(3))
            .unwrap()
            .meta
            .is_deleted()
    );
    assert_eq!(
        site.create_answer(q, as_user(3), "late", now()),
        Err(DomainError::PostDeleted(q))
    );
}

#[test]
fn post_ids_are_one_space_for_questions_answers_and_articles() {
    let mut site = site();
    let q = ask(&mut site, 1, &["rust"]);
    let a = site.create_answer(q, as_user(2), "x", now()).unwrap();
    let t = tags(&["rust"]);
    let art = site
        .create_article(
            as_user(2),
            PostEdit {
                title: "Guide",
                body: "text",
                tags: &t,
            },
            ArticleType::HowToGuide,
            ArticlePermissions::default(),
            now(),
        )
        .unwrap();
    assert_eq!((q, a, art), (1, 2, 3));
    assert_eq!(site.posts.kind_of(a), Some(PostKind::Answer));
}

#[test]
fn answers_and_flags_stop_at_the_sites_limits_and_change_nothing() {
    let mut site = site();
    let q = ask(&mut site, 1, &["rust"]);
    // Bytes of text: the body that would pass the limit is refused, one that fits is not.
    Arc::make_mut(&mut site.posts).text_bytes = Limits::TEXT_BYTES_PER_SITE - 3;
    let before = site.clone();
    assert!(matches!(
        site.create_answer(q, as_user(2), "abcd", now()),
        Err(DomainError::LimitReached { limit, .. }) if limit == Limits::TEXT_BYTES_PER_SITE
    ));
    assert_eq!(site, before);
    site.create_answer(q, as_user(2), "abc", now()).unwrap();
    Arc::make_mut(&mut site.posts).text_bytes = 0;
    // Posts: a site holding the most posts takes no answer.
    let template = site.posts.answers.values().next().unwrap().clone();
    let posts = Arc::make_mut(&mut site.posts);
    let mut id = 1_000;
    while posts.post_count() < Limits::POSTS_PER_SITE {
        id += 1;
        posts.insert_answer(Answer {
            id,
            ..template.clone()
        });
    }
    let before = site.clone();
    assert!(matches!(
        site.create_answer(q, as_user(2), "One more", now()),
        Err(DomainError::LimitReached { limit, .. }) if limit == Limits::POSTS_PER_SITE
    ));
    assert_eq!(site, before);
    // Flags.
    let flag = Flag {
        post_id: q,
        user: 2,
        option_id: 1,
        comment: None,
        related_question_id: None,
        target_site: None,
        creation_date: now(),
    };
    Arc::make_mut(&mut site.posts).flags = vec![flag.clone(); Limits::FLAGS_PER_SITE];
    assert!(matches!(
        site.raise_flag(flag),
        Err(DomainError::LimitReached { limit, .. }) if limit == Limits::FLAGS_PER_SITE
    ));
    assert_eq!(site.posts.flags.len(), Limits::FLAGS_PER_SITE);
}
