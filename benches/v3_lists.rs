//! List pagination and sorting at 100k users, and SME counts, through the real app
//! in-process (auth, lock, filter, sort, render, serialize; no sockets).
//!
//! Every request is rendered afresh: the world's version is moved before each one, so the read
//! cache never answers. One case measures a kept answer, for comparison.
//!
//! `cargo bench --bench v3_lists`

use axum::body::Body;
use axum::http::Request;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use soteams_mock::fixtures::generate::{GenParams, generate};
use soteams_mock::state::AppState;
use tower::ServiceExt;

fn world() -> soteams_mock::domain::World {
    let doc = generate(&GenParams::default());
    soteams_mock::fixtures::load(&soteams_mock::fixtures::FixtureSource::Json(
        serde_json::to_string(&doc).unwrap(),
    ))
    .unwrap()
}

fn bench_lists(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let state = AppState::new(world(), Default::default(), Default::default());
    let router = soteams_mock::app::app(state.clone());
    let send = |uri: String, fresh: bool| {
        let router = router.clone();
        if fresh {
            // Any change of the world moves its version; this one changes nothing else.
            state.root.store.update(|_| ());
        }
        async move {
            let req = Request::get(uri)
                .header("authorization", "Bearer admin-rw")
                .body(Body::empty())
                .unwrap();
            let res = router.oneshot(req).await.unwrap();
            assert_eq!(res.status(), 200);
            axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap()
        }
    };
    let get = |uri: String| send(uri, true);
    let mut g = c.benchmark_group("users_100k");
    g.sample_size(30);
    for (name, page) in [("first_page", 1), ("last_page", 1000)] {
        g.bench_with_input(
            BenchmarkId::new("GET /api/v3/users?pageSize=100", name),
            &page,
            |b, page| {
                b.iter(|| rt.block_on(get(format!("/api/v3/users?pageSize=100&page={page}"))))
            },
        );
        g.bench_with_input(
            BenchmarkId::new("GET /api/v3/users/manage?sort=name&pageSize=100", name),
            &page,
            |b, page| {
                b.iter(|| {
                    rt.block_on(get(format!(
                        "/api/v3/users/manage?sort=name&pageSize=100&page={page}"
                    )))
                })
            },
        );
    }
    g.finish();

    let mut g = c.benchmark_group("tags_and_groups");
    g.bench_function(
        "GET /api/v3/tags?hasSmes=true&pageSize=30 (2500 tags)",
        |b| b.iter(|| rt.block_on(get("/api/v3/tags?hasSmes=true&pageSize=30".into()))),
    );
    g.bench_function("GET /api/v3/user-groups?pageSize=30 (1000 groups)", |b| {
        b.iter(|| rt.block_on(get("/api/v3/user-groups?pageSize=30".into())))
    });
    g.bench_function(
        "GET /api/v3/user-groups?pageSize=30 (1000 groups), kept answer",
        |b| b.iter(|| rt.block_on(send("/api/v3/user-groups?pageSize=30".into(), false))),
    );
    g.finish();
}

fn bench_sme_counts(c: &mut Criterion) {
    let w = world();
    let main = w.main_site().unwrap();
    c.bench_function(
        "sme_count over every tag of the main site (2500 tags)",
        |b| {
            b.iter(|| {
                main.tags
                    .keys()
                    .filter_map(|t| main.sme_count(*t))
                    .sum::<usize>()
            })
        },
    );
}

criterion_group!(benches, bench_lists, bench_sme_counts);
criterion_main!(benches);
