//! `GET /questions` at 100k questions through the real app in-process (auth, lock, filter,
//! sort, render, serialise; no sockets): the first and the last page take the same time,
//! because only the page is rendered; the keys of the whole list are computed once per call.
//!
//! Every request is rendered afresh: the world's version is moved before each one, so the read
//! cache never answers.
//!
//! `cargo bench --bench questions`

use axum::body::Body;
use axum::http::Request;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use soteams_mock::domain::posts::{PostEdit, Viewer, Vote};
use soteams_mock::domain::{Role, World};
use soteams_mock::fixtures::{FixtureSource, load};
use soteams_mock::state::AppState;
use tower::ServiceExt;

const QUESTIONS: u32 = 100_000;

/// The default fixtures with 100k questions on the main site, asked by Ada and Bob in turn,
/// two tags each out of 20, every third one upvoted.
fn world() -> World {
    let mut w = load(&FixtureSource::Default).unwrap();
    let site = w.site_mut("main").unwrap();
    let as_user = |user, role| Viewer {
        user: Some(user),
        role: Some(role),
    };
    let (ada, bob) = (as_user(1, Role::Admin), as_user(2, Role::Registered));
    let mut now = chrono::Utc::now();
    for i in 0..QUESTIONS {
        let tags = vec![
            format!("topic-{}", i % 20),
            format!("topic-{}", (i * 7) % 20),
        ];
        let body = format!(
            "Question {i}: how do I *do* this? See /questions/{}.",
            i / 2 + 1
        );
        let asker = if i % 2 == 0 { ada } else { bob };
        now += chrono::Duration::seconds(1);
        let edit = PostEdit {
            title: "How do I do this?",
            body: &body,
            tags: &tags,
        };
        let id = site.create_question(asker, edit, now).unwrap();
        if i % 3 == 0 {
            let voter = if i % 2 == 0 { bob } else { ada };
            site.vote(id, voter, Some(Vote::Up)).unwrap();
        }
    }
    w
}

fn bench_questions(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let state = AppState::new(world(), Default::default(), Default::default());
    let router = soteams_mock::app::app(state.clone());
    let get = |uri: String| {
        let router = router.clone();
        // Any change of the world moves its version; this one changes nothing else.
        state.root.store.update(|_| ());
        async move {
            let req = Request::get(uri)
                .header("authorization", "Bearer ada-rw")
                .body(Body::empty())
                .unwrap();
            let res = router.oneshot(req).await.unwrap();
            assert_eq!(res.status(), 200);
            axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap()
        }
    };
    let mut g = c.benchmark_group("questions_100k");
    g.sample_size(20);
    let last = QUESTIONS / 100;
    for sort in ["activity", "score"] {
        for (name, page) in [("first_page", 1), ("last_page", last)] {
            g.bench_with_input(
                BenchmarkId::new(
                    format!("GET /api/v3/questions?sort={sort}&pageSize=100"),
                    name,
                ),
                &page,
                |b, page| {
                    b.iter(|| {
                        rt.block_on(get(format!(
                            "/api/v3/questions?sort={sort}&pageSize=100&page={page}"
                        )))
                    })
                },
            );
        }
    }
    g.bench_function("GET /api/v3/questions?tagId=3&pageSize=30", |b| {
        b.iter(|| rt.block_on(get("/api/v3/questions?tagId=3&pageSize=30".into())))
    });
    g.bench_function("GET /api/v3/questions/50000/linked", |b| {
        b.iter(|| rt.block_on(get("/api/v3/questions/50000/linked".into())))
    });
    g.bench_function("GET /api/v3/questions/50000/related?pageSize=30", |b| {
        b.iter(|| rt.block_on(get("/api/v3/questions/50000/related?pageSize=30".into())))
    });
    g.finish();
}

criterion_group!(benches, bench_questions);
criterion_main!(benches);
