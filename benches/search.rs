//! `GET /search` over 100k posts (60k questions, 30k answers, 10k articles), built in the
//! domain directly with the same `Site` writes the routes use, then searched through the real
//! app in-process (auth, lock, match, sort, render, serialize; no sockets).
//!
//! Every request is rendered afresh: the world's version is moved before each one, so the read
//! cache never answers. Also measured: one edit of a post holding the common word (its
//! postings are the longest), and the index's memory (printed once, BENCHMARKS.md).
//!
//! `cargo bench --bench search`

use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use soteams_mock::domain::posts::{ArticlePermissions, ArticleType, PostEdit, Viewer};
use soteams_mock::domain::{Role, Site, World};
use soteams_mock::state::AppState;
use tower::ServiceExt;

const QUESTIONS: usize = 60_000;
const ANSWERS: usize = 30_000;
const ARTICLES: usize = 10_000;
const VOCABULARY: usize = 20_000;
const WORDS_PER_BODY: usize = 40;

/// A small deterministic generator (xorshift), so every run builds the same posts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A word of the vocabulary, skewed towards the first ones (roughly Zipf).
    fn word<'v>(&mut self, vocabulary: &'v [String]) -> &'v str {
        let r = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        let i = ((vocabulary.len() as f64).powf(r) as usize).min(vocabulary.len() - 1);
        &vocabulary[i]
    }
}

fn text(rng: &mut Rng, vocabulary: &[String], words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(rng.word(vocabulary));
    }
    out
}

const TAGS: [&str; 10] = [
    "rust",
    "python",
    "kubernetes",
    "terraform",
    "react",
    "postgresql",
    "security",
    "go",
    "java",
    "linux",
];

/// The default world with 100k posts on `main`. Every body says `service` (the common word);
/// every 10,000th post says `zanzibar` (the rare word).
fn world() -> World {
    let mut world =
        soteams_mock::fixtures::load(&soteams_mock::fixtures::FixtureSource::Default).unwrap();
    let site: &mut Site = world.site_mut("main").unwrap();
    let vocabulary: Vec<String> = (0..VOCABULARY).map(|i| format!("w{i}x")).collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = chrono::Utc::now();
    let users: Vec<u32> = site.users.keys().copied().collect();
    let who = |rng: &mut Rng| Viewer {
        user: Some(users[(rng.next() % users.len() as u64) as usize]),
        role: Some(Role::Registered),
    };
    let started = Instant::now();
    let mut questions = Vec::with_capacity(QUESTIONS);
    for n in 0..(QUESTIONS + ANSWERS + ARTICLES) {
        let rare = if n % 10_000 == 0 { " zanzibar" } else { "" };
        let body = format!(
            "service {}{rare}",
            text(&mut rng, &vocabulary, WORDS_PER_BODY)
        );
        let title = text(&mut rng, &vocabulary, 6);
        let tags = vec![TAGS[n % TAGS.len()].to_string()];
        let author = who(&mut rng);
        let at = now - chrono::Duration::seconds((QUESTIONS + ANSWERS + ARTICLES - n) as i64);
        let edit = PostEdit {
            title: &title,
            body: &body,
            tags: &tags,
        };
        if n % 10 == 9 {
            site.create_article(
                author,
                edit,
                ArticleType::KnowledgeArticle,
                ArticlePermissions::default(),
                at,
            )
            .unwrap();
        } else if n % 10 >= 6 && !questions.is_empty() {
            let q = questions[(rng.next() % questions.len() as u64) as usize];
            site.create_answer(q, author, &body, at).unwrap();
        } else {
            questions.push(site.create_question(author, edit, at).unwrap());
        }
    }
    let index = &site.posts.index;
    eprintln!(
        "search bench: {} posts indexed in {:.1} s; {} words, {} postings, index ≈ {:.1} MiB",
        site.posts.post_count(),
        started.elapsed().as_secs_f64(),
        index.word_count(),
        index.posting_count(),
        index.heap_bytes() as f64 / (1024.0 * 1024.0)
    );
    world
}

fn bench_search(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let world = world();
    let state = AppState::new(world, Default::default(), Default::default());
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
    let mut g = c.benchmark_group("search_100k_posts");
    g.sample_size(20);
    for (name, query) in [
        (
            "common word (every post)",
            "query=service&pageSize=100&page=1",
        ),
        (
            "common word, far page",
            "query=service&pageSize=100&page=900",
        ),
        (
            "common word, sort=score",
            "query=service&pageSize=100&sort=score",
        ),
        (
            "common word, sort=active",
            "query=service&pageSize=100&sort=active",
        ),
        ("two common words", "query=service+w1x&pageSize=100"),
        ("rare word", "query=zanzibar&pageSize=100"),
        ("tag", "query=%5Brust%5D&pageSize=100"),
        ("tag, far page", "query=%5Brust%5D&pageSize=100&page=90"),
        ("tag and word", "query=%5Brust%5D+w3x&pageSize=100"),
        (
            "phrase of two common words",
            "query=%22service+w1x%22&pageSize=100",
        ),
        ("empty query", "pageSize=100"),
    ] {
        g.bench_with_input(
            BenchmarkId::new("GET /api/v3/search", name),
            &query,
            |b, q| b.iter(|| rt.block_on(get(format!("/api/v3/search?{q}")))),
        );
    }
    g.finish();

    // An edit of a post holding the common word: its old postings leave 100k-long lists.
    let mut g = c.benchmark_group("search_index_100k_posts");
    g.sample_size(20);
    let tags = vec!["rust".to_string()];
    let mut flip = false;
    g.bench_function("edit a question (reindex)", |b| {
        b.iter(|| {
            flip = !flip;
            let body = if flip {
                "service edited body one"
            } else {
                "service edited body two"
            };
            state.root.store.update(|w| {
                let site = w.site_mut("main").unwrap();
                let id = *site.posts.questions.keys().next().unwrap();
                let owner = site.posts.questions[&id].meta.owner;
                site.edit_question(
                    id,
                    Viewer {
                        user: Some(owner),
                        role: Some(Role::Registered),
                    },
                    PostEdit {
                        title: "An edited title",
                        body,
                        tags: &tags,
                    },
                    chrono::Utc::now(),
                )
                .unwrap();
            })
        })
    });
    g.finish();
}

criterion_group!(benches, bench_search);
criterion_main!(benches);
