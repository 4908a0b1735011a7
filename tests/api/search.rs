//! `GET /search` (docs/search.md) over HTTP, under the three URL shapes.
//!
//! The question, answer and article routes are not served yet, and the fixture format holds
//! no posts, so these tests write posts through the same `Site` methods those routes call,
//! in-process, on the state of a server started here ([`Server`]); every search goes over
//! HTTP and is validated against the served document. Once the routes land, the writes can
//! become `POST`s without changing what is asserted.

use chrono::Duration;
use serde_json::{Value, json};
use soteams_mock::domain::posts::{ArticlePermissions, ArticleType, PostEdit, Viewer, Vote};
use soteams_mock::domain::{Role, Site};
use soteams_mock::instance::Instance;
use soteams_mock::server::{ServerConfig, prepare, serve};
use soteams_mock::state::AppState;

use crate::helpers::*;

/// A server on a free port, with its state at hand for writes.
struct Server {
    app: TestApp,
    state: AppState,
}

async fn server() -> Server {
    // The default world without its content: these tests count every post they write.
    let config = ServerConfig {
        fixtures: soteams_mock::fixtures::FixtureSource::Json(
            default_fixtures_without_content().to_string(),
        ),
        ..ServerConfig::default()
    };
    let (listener, state) = prepare(&config).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener, state.clone(), std::future::pending()));
    Server {
        app: TestApp::at(&base),
        state,
    }
}

/// Main-site users of the default fixtures: 1 Ada (Admin, token `ada-rw`/`ada-ro`), 2 Bob
/// (Registered, `bob-ro`), 5 Liam (Moderator).
fn as_user(id: u32) -> Viewer {
    let role = match id {
        1 | 4 | 17 => Role::Admin,
        5 => Role::Moderator,
        _ => Role::Registered,
    };
    Viewer {
        user: Some(id),
        role: Some(role),
    }
}

/// Applies `f` to site `slug` of instance `inst`, as a write route does.
fn write<R>(
    inst: &Instance,
    slug: &str,
    f: impl FnOnce(&mut Site, chrono::DateTime<chrono::Utc>) -> R,
) -> R {
    let now = inst.store.now();
    inst.store
        .update(|w| f(w.site_mut(slug).expect("a site of the fixtures"), now))
}

fn ask(inst: &Instance, owner: u32, title: &str, body: &str, tags: &[&str]) -> u32 {
    let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
    write(inst, "main", |site, now| {
        site.create_question(
            as_user(owner),
            PostEdit {
                title,
                body,
                tags: &tags,
            },
            now,
        )
    })
    .expect("the question is valid")
}

impl Server {
    fn root(&self) -> &Instance {
        &self.state.root
    }

    /// `GET {path}` with `token`, 200, the body.
    async fn search(&self, path: &str, token: &str) -> Value {
        self.app.get(path).token(token).send().await.ok_json(200)
    }

    /// The ids of the results of `/api/v3/search?{query}` for Ada, in order.
    async fn found(&self, query: &str) -> Vec<u64> {
        let body = self
            .search(&format!("/api/v3/search?{query}"), "ada-rw")
            .await;
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                i["questionId"]
                    .as_u64()
                    .or(i["answerId"].as_u64())
                    .or(i["articleId"].as_u64())
                    .expect("an id")
            })
            .collect()
    }
}

fn q(text: &str) -> String {
    format!("query={}", urlencode(text))
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn a_search_of_a_site_without_posts_is_an_empty_first_page_under_every_shape() {
    let app = spawn_app_without_content().await;
    for (path, token) in [
        ("/api/v3/search", "ada-ro"),
        ("/api/v3/teams/productone/search?query=anything", "bob-ro"),
        (
            "/v3/teams/acme/search?sort=newest&pageSize=15",
            "acme-member-ro",
        ),
    ] {
        let body = app.get(path).token(token).send().await.ok_json(200);
        assert_eq!(body["totalCount"], 0, "{path}");
        assert_eq!(body["totalPages"], 0, "{path}: 0 for an empty list");
        assert_eq!(body["items"], json!([]), "{path}");
        assert_eq!(body["page"], 1, "{path}");
    }
    let body = app
        .get("/v3/teams/acme/search?sort=newest&pageSize=15")
        .token("acme-member-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        (&body["sort"], &body["pageSize"]),
        (&json!("newest"), &json!(15))
    );
    let body = app
        .get("/api/v3/search")
        .token("ada-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(body["sort"], "relevance", "the default sort");
    assert_eq!(body["pageSize"], 30, "the default page size");
}

#[tokio::test]
async fn bad_search_parameters_are_one_400_naming_each_field() {
    let app = spawn_app_without_content().await;
    let long = "a".repeat(501);
    let res = app
        .get(&format!(
            "/api/v3/search?query={long}&pageSize=7&sort=best&page=0"
        ))
        .token("ada-rw")
        .send()
        .await;
    let body = res.expect_validation("query");
    for field in ["pageSize", "sort", "page"] {
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }
    assert!(
        body["errors"]["query"][0]
            .as_str()
            .unwrap()
            .contains("at most 500 characters"),
        "{body}"
    );
    for (query, says) in [
        ("score:high", "score"),
        ("is:comment", "question, answer or article"),
        ("user:bob", "user id or me"),
        ("answers:-1", "from 0"),
        ("isaccepted:maybe", "yes or no"),
    ] {
        let body = app
            .get(&format!("/api/v3/search?{}", q(query)))
            .token("ada-rw")
            .send()
            .await
            .expect_validation("query");
        let message = body["errors"]["query"][0].as_str().unwrap();
        assert!(message.contains(says), "{query}: {message}");
    }
    let many = vec!["w"; 33].join(" ");
    app.get(&format!("/api/v3/search?{}", q(&many)))
        .token("ada-rw")
        .send()
        .await
        .expect_validation("query");
    // 500 characters and 32 parts are fine; `order` is no parameter of search: ignored.
    for ok in ["a".repeat(500), vec!["w"; 32].join(" ")] {
        app.get(&format!("/api/v3/search?{}&order=sideways", q(&ok)))
            .token("ada-rw")
            .send()
            .await
            .expect(200);
    }
}

#[tokio::test]
async fn a_post_is_found_right_after_creation_under_its_new_words_after_an_edit_and_not_after_deletion()
 {
    let s = server().await;
    assert_eq!(s.found(&q("tokio")).await, Vec::<u64>::new());
    let id = ask(
        s.root(),
        2,
        "Tokio runtime panics",
        "Inside `block_on` it **panics**",
        &["rust"],
    );
    assert_eq!(s.found(&q("TOKIO")).await, [u64::from(id)]);
    assert_eq!(s.found(&q("block_on panics")).await, [u64::from(id)]);

    let tags = vec!["async".to_string()];
    write(s.root(), "main", |site, now| {
        site.edit_question(
            id,
            as_user(2),
            PostEdit {
                title: "Executor starvation",
                body: "A blocking call stalls the executor",
                tags: &tags,
            },
            now,
        )
    })
    .unwrap();
    assert_eq!(
        s.found(&q("tokio")).await,
        Vec::<u64>::new(),
        "old words are gone"
    );
    assert_eq!(s.found(&q("starvation")).await, [u64::from(id)]);
    assert_eq!(s.found(&q("[async]")).await, [u64::from(id)]);
    assert_eq!(s.found(&q("[rust]")).await, Vec::<u64>::new());

    let answer = write(s.root(), "main", |site, now| {
        site.create_answer(id, as_user(5), "Use spawn_blocking for the stall", now)
    })
    .unwrap();
    assert_eq!(s.found(&q("stall is:answer")).await, [u64::from(answer)]);

    write(s.root(), "main", |site, now| {
        site.delete_question(id, as_user(2), now)
    })
    .unwrap();
    assert_eq!(s.found(&q("starvation")).await, Vec::<u64>::new());
    assert_eq!(
        s.found(&q("spawn_blocking")).await,
        Vec::<u64>::new(),
        "an answer of a deleted question is not found either"
    );
    // Not even by an admin or a moderator, who can still read the deleted question.
    let body = s.search("/api/v3/search?query=starvation", "ada-rw").await;
    assert_eq!(body["totalCount"], 0);
}

#[tokio::test]
async fn results_render_questions_answers_and_articles_with_their_own_fields() {
    let s = server().await;
    let qid = ask(
        s.root(),
        2,
        "Rotate the TLS certificates",
        "How do I rotate **certificates** on the ingress?",
        &["kubernetes", "security"],
    );
    let (aid, art) = write(s.root(), "main", |site, now| {
        let aid = site
            .create_answer(
                qid,
                as_user(5),
                "Renew the certificates with cert-manager.",
                now,
            )
            .unwrap();
        site.accept_answer(qid, aid, as_user(2), true).unwrap();
        site.vote(aid, as_user(1), Some(Vote::Up)).unwrap();
        let tags = vec!["security".to_string()];
        let body = "certificates ".repeat(450);
        let art = site
            .create_article(
                as_user(4),
                PostEdit {
                    title: "Certificate policy",
                    body: &body,
                    tags: &tags,
                },
                ArticleType::Policy,
                ArticlePermissions::default(),
                now + Duration::seconds(1),
            )
            .unwrap();
        (aid, art)
    });
    let body = s
        .search("/api/v3/search?query=certificates&sort=newest", "bob-ro")
        .await;
    assert_eq!(body["totalCount"], 3);
    let items = body["items"].as_array().unwrap();
    let article = &items[0];
    assert_eq!(article["type"], "article");
    assert_eq!(article["articleId"], art);
    assert_eq!(article["articleType"], "policy");
    assert_eq!(article["readTimeInMinutes"], 3, "450 words at 200 a minute");
    assert_eq!(article["owner"]["name"], "Grace Okafor");
    assert!(
        article["webUrl"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/articles/{art}"))
    );
    let (first, second) = (&items[1], &items[2]);
    // Same creation second: the higher id (the answer) first.
    let answer = first;
    let question = second;
    assert_eq!(answer["type"], "answer");
    assert_eq!(answer["answerId"], aid);
    assert_eq!(answer["parentQuestionId"], qid);
    assert_eq!(answer["isAccepted"], true);
    assert_eq!(answer["score"], 1);
    assert_eq!(
        answer["title"], "Rotate the TLS certificates",
        "its question's title"
    );
    assert_eq!(
        texts(answer, "tags"),
        ["kubernetes", "security"].map(String::from)
    );
    assert_eq!(
        answer["snippet"],
        "Renew the certificates with cert-manager."
    );
    assert!(
        answer["webUrl"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/questions/{qid}/{aid}#{aid}"))
    );
    assert_eq!(question["type"], "question");
    assert_eq!(question["questionId"], qid);
    assert_eq!(question["answerCount"], 1);
    assert_eq!(question["hasAcceptedAnswer"], true);
    assert_eq!(question["viewCount"], 0);
    assert_eq!(question["owner"]["id"], 2);
    assert_eq!(
        question["snippet"],
        "How do I rotate certificates on the ingress?"
    );
    assert_eq!(question["tags"][0]["name"], "kubernetes");
    assert!(question["creationDate"].as_str().unwrap().ends_with('Z'));
}

fn texts(item: &Value, field: &str) -> Vec<String> {
    item[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn tags_and_operators_filter_and_sorts_order_what_matches() {
    let s = server().await;
    let rust = ask(
        s.root(),
        2,
        "Borrow checker error",
        "lifetimes again",
        &["rust"],
    );
    let py = ask(
        s.root(),
        4,
        "GIL and threads",
        "lifetimes of objects",
        &["python"],
    );
    let answer = write(s.root(), "main", |site, now| {
        site.create_answer(rust, as_user(4), "lifetimes elide here", now)
    })
    .unwrap();
    write(s.root(), "main", |site, _| {
        site.vote(py, as_user(2), Some(Vote::Up))
    })
    .unwrap();
    let ids = |v: &[u32]| v.iter().map(|i| u64::from(*i)).collect::<Vec<u64>>();
    assert_eq!(
        s.found(&q("[rust]")).await,
        ids(&[answer, rust]),
        "an answer carries its question's tags"
    );
    assert_eq!(s.found(&q("[RUST] is:question")).await, ids(&[rust]));
    assert_eq!(s.found(&q("lifetimes user:4")).await, ids(&[answer, py]));
    assert_eq!(s.found(&q("score:1")).await, ids(&[py]));
    assert_eq!(s.found(&q("answers:0")).await, ids(&[py]));
    assert_eq!(s.found(&q("is:answer isaccepted:no")).await, ids(&[answer]));
    assert_eq!(s.found(&q("\"lifetimes of\"")).await, ids(&[py]));
    assert_eq!(s.found(&q("[nosuchtag]")).await, Vec::<u64>::new());
    // Relevance: a title hit weighs more than a body hit; `python` also names py's tag.
    assert_eq!(
        s.found(&q("borrow OR lifetimes")).await,
        Vec::<u64>::new(),
        "AND: no post says OR"
    );
    assert_eq!(s.found(&q("checker")).await, ids(&[rust]));
    assert_eq!(
        s.found(&format!("{}&sort=score", q("lifetimes"))).await,
        ids(&[py, answer, rust])
    );
    // `user:me` is the caller: Bob (2) owns the rust question.
    let body = s
        .search(&format!("/api/v3/search?{}", q("user:me")), "bob-ro")
        .await;
    assert_eq!(body["items"][0]["questionId"], rust);
    assert_eq!(body["totalCount"], 1);
}

#[tokio::test]
async fn pages_split_the_matches_and_every_page_reports_the_same_totals() {
    let s = server().await;
    let mut ids = Vec::new();
    for i in 0..35 {
        ids.push(ask(
            s.root(),
            2,
            &format!("Paging question {i}"),
            "same body",
            &["paging"],
        ));
    }
    ids.reverse(); // newest first; all created in the same second, so the highest id first
    let mut seen = Vec::new();
    for page in 1..=3 {
        let body = s
            .search(
                &format!("/api/v3/search?query=paging&sort=newest&pageSize=15&page={page}"),
                "ada-rw",
            )
            .await;
        assert_eq!(body["totalCount"], 35);
        assert_eq!(body["totalPages"], 3);
        assert_eq!(body["page"], page);
        seen.extend(
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["questionId"].as_u64().unwrap()),
        );
    }
    assert_eq!(seen, ids.iter().map(|i| u64::from(*i)).collect::<Vec<_>>());
    let far = s
        .search(
            "/api/v3/search?query=paging&pageSize=15&page=2147483647",
            "ada-rw",
        )
        .await;
    assert_eq!(
        (far["totalCount"].clone(), far["items"].clone()),
        (json!(35), json!([]))
    );
}

#[tokio::test]
async fn a_fault_rule_on_search_answers_its_status_then_search_works_again() {
    let app = spawn_app_without_content().await;
    app.fault(
        "",
        json!({"match": {"path": "*/search"}, "action": {"status": 503}, "trigger": {"times": 1}}),
    )
    .await;
    let res = app
        .get("/api/v3/search?query=x")
        .token("ada-rw")
        .send()
        .await;
    res.expect(503);
    assert!(
        res.header("x-burst-throttle-calls-left").is_some(),
        "a fault still carries the rate-limit headers"
    );
    app.get("/api/v3/search?query=x")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    let res = app
        .get("/v3/teams/acme/search")
        .token("acme-member-ro")
        .header("x-mock-fault", "status=500")
        .send()
        .await;
    res.expect(500);
}

#[tokio::test]
async fn sandboxes_keep_their_own_index() {
    let s = server().await;
    let base = s.app.sandbox().await;
    let id = base
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let sandbox = format!("/_sandbox/{id}");
    let inst = s.state.sandboxes.enter(&id).expect("the sandbox exists");
    let in_sandbox = ask(&inst, 2, "Only in the sandbox", "quokka", &["sandboxed"]);
    let at_root = ask(s.root(), 2, "Only at the root", "wombat", &["rooted"]);
    let found = |body: Value| -> Vec<u64> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["questionId"].as_u64().unwrap())
            .collect()
    };
    let inside = s
        .search(&format!("{sandbox}/api/v3/search?query=quokka"), "ada-rw")
        .await;
    assert_eq!(found(inside), [u64::from(in_sandbox)]);
    let inside = s
        .search(&format!("{sandbox}/api/v3/search?query=wombat"), "ada-rw")
        .await;
    assert_eq!(found(inside), Vec::<u64>::new());
    assert_eq!(s.found(&q("quokka")).await, Vec::<u64>::new());
    assert_eq!(s.found(&q("wombat")).await, [u64::from(at_root)]);
}

#[tokio::test]
async fn a_vote_moves_a_post_in_the_score_sort_at_once() {
    let s = server().await;
    let older = ask(s.root(), 2, "Cache invalidation", "hard", &["caching"]);
    let newer = ask(s.root(), 2, "Cache warming", "easy", &["caching"]);
    let path = "/api/v3/search?query=cache&sort=score";
    let order = |b: Value| -> Vec<u64> {
        b["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["questionId"].as_u64().unwrap())
            .collect()
    };
    let ids = |a: u32, b: u32| vec![u64::from(a), u64::from(b)];
    assert_eq!(
        order(s.search(path, "ada-rw").await),
        ids(newer, older),
        "a tie: newest (highest id) first"
    );
    write(s.root(), "main", |site, _| {
        site.vote(older, as_user(1), Some(Vote::Up))
    })
    .unwrap();
    // The same request again: the read cache must not answer with the old order.
    assert_eq!(order(s.search(path, "ada-rw").await), ids(older, newer));
}
