use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::domain::posts::{ArticlePermissions, ArticleType, PostEdit, Vote};
use crate::domain::{DomainError, Role, SiteKind, SiteUser, UserId};

fn t0() -> DateTime<Utc> {
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

fn who(id: UserId) -> Viewer {
    Viewer {
        user: Some(id),
        role: Some(if id == 3 {
            Role::Moderator
        } else {
            Role::Registered
        }),
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn ask(site: &mut Site, owner: UserId, title: &str, body: &str, tags: &[&str], at: i64) -> u32 {
    let tags = names(tags);
    site.create_question(
        who(owner),
        PostEdit {
            title,
            body,
            tags: &tags,
        },
        t0() + Duration::minutes(at),
    )
    .unwrap()
}

fn find(site: &Site, query: &str) -> Vec<u32> {
    find_sorted(site, query, SearchSort::Relevance)
}

fn find_sorted(site: &Site, query: &str, sort: SearchSort) -> Vec<u32> {
    site.search(&Query::parse(query).unwrap(), who(1), sort)
}

#[test]
fn words_are_case_insensitive_and_all_must_match() {
    let mut s = site();
    let a = ask(
        &mut s,
        1,
        "Tokio runtime panics",
        "Inside `block_on`",
        &["rust"],
        0,
    );
    let b = ask(&mut s, 1, "Runtime of Python", "the GIL", &["python"], 1);
    assert_eq!(
        find(&s, "RUNTIME"),
        [b, a],
        "two title hits: the newest first"
    );
    assert_eq!(find(&s, "runtime tokio"), [a]);
    assert_eq!(find(&s, "runtime gil"), [b]);
    assert_eq!(find(&s, "runtime nothing"), Vec::<u32>::new());
    assert_eq!(find(&s, "block_on"), [a], "code is text; _ splits words");
}

#[test]
fn relevance_weighs_titles_over_bodies_and_ties_go_to_the_newest() {
    let mut s = site();
    let in_body = ask(&mut s, 1, "Question one", "about serde here", &["x"], 0);
    let in_title = ask(&mut s, 1, "Serde question", "nothing", &["x"], 1);
    let in_both = ask(&mut s, 1, "Serde again", "serde", &["x"], 2);
    let older_body = ask(&mut s, 1, "Another", "serde too", &["x"], -5);
    assert_eq!(find(&s, "serde"), [in_both, in_title, in_body, older_body]);
    // A word naming a tag also matches posts carrying it, weighing 2.
    let tagged = ask(&mut s, 2, "No word", "at all", &["serde"], 3);
    assert_eq!(
        find(&s, "serde"),
        [in_both, in_title, tagged, in_body, older_body]
    );
}

#[test]
fn an_edit_moves_a_post_to_its_new_words_and_a_delete_removes_it() {
    let mut s = site();
    let q = ask(&mut s, 1, "Old title", "old body", &["x"], 0);
    let tags = names(&["y"]);
    let edit = PostEdit {
        title: "New title",
        body: "fresh words",
        tags: &tags,
    };
    s.edit_question(q, who(1), edit, t0()).unwrap();
    assert_eq!(find(&s, "old"), Vec::<u32>::new());
    assert_eq!(find(&s, "fresh"), [q]);
    assert_eq!(find(&s, "[y]"), [q]);
    assert_eq!(find(&s, "[x]"), Vec::<u32>::new());
    let a = s.create_answer(q, who(2), "an answer", t0()).unwrap();
    assert_eq!(find(&s, "answer"), [a]);
    s.edit_answer(q, a, who(2), "a reply", t0()).unwrap();
    assert_eq!(find(&s, "answer"), Vec::<u32>::new());
    assert_eq!(find(&s, "reply"), [a]);
    s.delete_question(q, who(1), t0()).unwrap();
    assert_eq!(find(&s, "fresh"), Vec::<u32>::new());
    assert_eq!(
        find(&s, "reply"),
        Vec::<u32>::new(),
        "an answer of a deleted question"
    );
    assert_eq!(find(&s, ""), Vec::<u32>::new());
    assert_eq!(
        s.posts.index.word_count(),
        2,
        "the answer's words stay: reply, a"
    );
}

#[test]
fn a_deleted_answer_and_article_leave_the_index_and_their_words_are_forgotten() {
    let mut s = site();
    let q = ask(&mut s, 1, "Q", "q", &["x"], 0);
    let a = s.create_answer(q, who(2), "unique", t0()).unwrap();
    let tags = names(&["x"]);
    let art = s
        .create_article(
            who(2),
            PostEdit {
                title: "Guide",
                body: "unique words",
                tags: &tags,
            },
            ArticleType::HowToGuide,
            ArticlePermissions::default(),
            t0() + Duration::minutes(1),
        )
        .unwrap();
    assert_eq!(find(&s, "unique"), [art, a]);
    s.delete_answer(q, a, who(3), t0()).unwrap();
    s.delete_article(art, who(2), t0()).unwrap();
    assert_eq!(find(&s, "unique"), Vec::<u32>::new());
    assert_eq!(find(&s, "moderators see nothing either"), Vec::<u32>::new());
    assert!(s.posts.index.postings("unique").is_none());
    assert_eq!(s.posts.index.posting_count(), 1, "only q's word");
}

#[test]
fn operators_filter_by_tag_kind_user_score_answers_and_accept() {
    let mut s = site();
    let q1 = ask(&mut s, 1, "Rust lifetimes", "borrow", &["rust"], 0);
    let q2 = ask(&mut s, 2, "Python lifetimes", "gc", &["python"], 1);
    let a1 = s
        .create_answer(q1, who(2), "lifetimes elide", t0())
        .unwrap();
    let a2 = s
        .create_answer(q1, who(3), "lifetimes again", t0())
        .unwrap();
    s.accept_answer(q1, a1, who(1), true).unwrap();
    s.vote(q2, who(1), Some(Vote::Up)).unwrap();
    let sorted = |q| find_sorted(&s, q, SearchSort::Newest);
    assert_eq!(
        sorted("[rust]"),
        [a2, a1, q1],
        "an answer carries its question's tags"
    );
    assert_eq!(sorted("[RUST] is:question"), [q1]);
    assert_eq!(sorted("lifetimes is:answer"), [a2, a1]);
    assert_eq!(sorted("lifetimes [rust] [python]"), Vec::<u32>::new());
    assert_eq!(sorted("[unknown]"), Vec::<u32>::new());
    assert_eq!(sorted("lifetimes user:2"), [q2, a1]);
    assert_eq!(sorted("user:me"), [q1]);
    assert_eq!(sorted("score:1"), [q2]);
    assert_eq!(sorted("score:-1 is:question"), [q2, q1]);
    assert_eq!(sorted("answers:0"), [q2]);
    assert_eq!(sorted("answers:2"), [q1]);
    assert_eq!(sorted("answers:3"), Vec::<u32>::new());
    assert_eq!(sorted("isaccepted:yes"), [a1]);
    assert_eq!(sorted("isaccepted:no"), [a2]);
    assert_eq!(sorted("is:question is:answer"), Vec::<u32>::new());
    assert_eq!(
        sorted("foo:lifetimes"),
        Vec::<u32>::new(),
        "foo and lifetimes"
    );
    assert_eq!(
        sorted("rust:lifetimes"),
        [q1],
        "an unknown operator is words"
    );
    let service = Viewer::default();
    let q = Query::parse("user:me").unwrap();
    assert!(s.search(&q, service, SearchSort::Newest).is_empty());
}

#[test]
fn phrases_need_their_words_in_a_row() {
    let mut s = site();
    let a = ask(&mut s, 1, "Connection reset by peer", "x", &["net"], 0);
    let b = ask(&mut s, 1, "Peer reset the connection", "x", &["net"], 1);
    let c = ask(
        &mut s,
        1,
        "t",
        "the **connection reset** again",
        &["net"],
        2,
    );
    assert_eq!(find(&s, "connection reset"), [b, a, c]);
    assert_eq!(
        find_sorted(&s, "\"connection reset\"", SearchSort::Newest),
        [c, a]
    );
    assert_eq!(find(&s, "\"reset by\" peer"), [a]);
    let d = ask(&mut s, 1, "x y", "a a a b", &["net"], 3);
    let e = ask(&mut s, 1, "x a", "a c b", &["net"], 4);
    assert_eq!(find(&s, "\"a a b\""), [d], "after a false start");
    assert_eq!(
        find(&s, "\"y a\""),
        Vec::<u32>::new(),
        "no phrase spans title and body"
    );
    assert_eq!(find(&s, "\"x a\""), [e]);
}

#[test]
fn sorts_read_scores_and_activity_when_the_query_runs() {
    let mut s = site();
    let q1 = ask(&mut s, 1, "alpha", "x", &["x"], 0);
    let q2 = ask(&mut s, 1, "alpha", "x", &["x"], 1);
    assert_eq!(find_sorted(&s, "alpha", SearchSort::Newest), [q2, q1]);
    assert_eq!(find_sorted(&s, "alpha", SearchSort::Score), [q2, q1]);
    s.vote(q1, who(2), Some(Vote::Up)).unwrap();
    assert_eq!(find_sorted(&s, "alpha", SearchSort::Score), [q1, q2]);
    assert_eq!(find_sorted(&s, "alpha", SearchSort::Active), [q2, q1]);
    s.create_answer(q1, who(2), "late", t0() + Duration::hours(1))
        .unwrap();
    assert_eq!(find_sorted(&s, "alpha", SearchSort::Active), [q1, q2]);
}

#[test]
fn an_empty_query_lists_every_live_post() {
    let mut s = site();
    let q = ask(&mut s, 1, "a", "b", &["x"], 0);
    let a = s.create_answer(q, who(2), "c", t0()).unwrap();
    assert_eq!(
        find_sorted(&s, "  ", SearchSort::Newest),
        [a, q],
        "same date: highest id first"
    );
    assert_eq!(
        find(&s, "!!! ++"),
        find(&s, ""),
        "punctuation naming no tag is ignored"
    );
}

#[test]
fn queries_parse_operators_and_refuse_bad_values_and_lengths() {
    let q = Query::parse(
        r#"Tokio "Exact  Phrase" [C#] is:Q user:7 score:-2 answers:0 isaccepted:no x:y"#,
    )
    .unwrap();
    assert_eq!(q.terms.len(), 2);
    assert_eq!(q.terms[0].words, ["tokio"]);
    assert_eq!(q.terms[1].words, ["x", "y"]);
    assert_eq!(q.phrases, [names(&["exact", "phrase"])]);
    assert_eq!(q.tags, ["c#"]);
    assert_eq!(q.kinds, [PostKind::Question]);
    assert_eq!(q.user, Some(UserFilter::Id(7)));
    assert_eq!(
        (q.min_score, q.answers, q.accepted),
        (Some(-2), Some(0), Some(false))
    );
    assert_eq!(Query::parse("\"unclosed phrase").unwrap().phrases.len(), 1);
    for bad in [
        "is:comment",
        "user:0",
        "user:bob",
        "score:high",
        "answers:-1",
        "isaccepted:maybe",
    ] {
        assert!(
            matches!(
                Query::parse(bad),
                Err(DomainError::InvalidField { field: "query", .. })
            ),
            "{bad}"
        );
    }
    assert!(Query::parse(&"a".repeat(MAX_QUERY_CHARS)).is_ok());
    assert!(Query::parse(&"a".repeat(MAX_QUERY_CHARS + 1)).is_err());
    assert!(Query::parse(&vec!["w"; MAX_QUERY_TERMS].join(" ")).is_ok());
    assert!(Query::parse(&vec!["w"; MAX_QUERY_TERMS + 1].join(" ")).is_err());
}

#[test]
fn snippets_start_near_the_first_match_and_say_where_they_cut() {
    let q = Query::parse("needle").unwrap();
    assert_eq!(
        snippet("A *short* body with the needle.", &q),
        "A short body with the needle."
    );
    let long = format!("{} needle {}", "lead ".repeat(40), "tail ".repeat(60));
    let s = snippet(&long, &q);
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(s.contains("needle"), "{s}");
    assert!(s.chars().count() <= SNIPPET_CHARS + 2, "{s}");
    assert!(!s.contains("lead lea…"), "cut at a word: {s}");
    let none = snippet(&"word ".repeat(100), &q);
    assert!(!none.starts_with('…') && none.ends_with('…'), "{none}");
    assert_eq!(snippet("[link](https://x.y/needle) text", &q), "link text");
}

#[test]
fn words_are_cut_at_their_maximum_and_read_time_counts_words() {
    let long = "x".repeat(index::MAX_WORD_CHARS + 10);
    assert_eq!(index::token_list(&long)[0].len(), index::MAX_WORD_CHARS);
    assert_eq!(
        index::token_list("Ünïcode ÄND c++"),
        ["ünïcode", "änd", "c"]
    );
    assert_eq!(read_time_minutes("one"), 1);
    assert_eq!(read_time_minutes(&"w ".repeat(401)), 3);
}

#[test]
fn fixture_inserts_index_live_posts_only() {
    let mut s = site();
    let q = ask(&mut s, 1, "kept", "x", &["x"], 0);
    let mut posts = (*s.posts).clone();
    let mut gone = posts.questions[&q].clone();
    gone.id = 99;
    gone.meta.deletion_date = Some(t0());
    posts.insert_question(gone);
    assert_eq!(posts.index.doc(99).map(|d| d.kind), None);
    assert!(posts.index.doc(q).is_some());
    let mut revived = posts.questions[&99].clone();
    revived.meta.deletion_date = None;
    posts.insert_question(revived);
    assert!(
        posts.index.doc(99).is_some(),
        "an insert over an id reindexes it"
    );
}
