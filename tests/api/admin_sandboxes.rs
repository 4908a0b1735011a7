//! Sandboxes: private instances under `/_sandbox/{id}`.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn a_sandbox_serves_every_shape_and_the_control_api_on_its_own_copy() {
    let app = spawn_app().await;
    let created = app.post("/__admin/sandboxes").send().await.ok_json(201);
    let id = created["id"].as_str().unwrap();
    let sb = created["baseUrl"].as_str().unwrap().to_string();
    assert_eq!(sb, format!("/_sandbox/{id}"));
    assert_eq!(created["idleTimeoutSeconds"], 1800);

    app.get(&format!("{sb}/api/v3/users/me"))
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    app.get(&format!("{sb}/api/v3/teams/productone/users/me"))
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    app.get(&format!("{sb}/v3/teams/acme/users/me"))
        .token("acme-admin-rw")
        .send()
        .await
        .expect(200);
    app.get(&format!("{sb}/api/v3/teams/nosuch/users/me"))
        .token("ada-rw")
        .send()
        .await
        .expect(404);

    // Writes through the sandbox's control API stay in the sandbox.
    app.post(&format!("{sb}/__admin/tokens/revoke"))
        .json(&json!({"token": "bob-ro"}))
        .send()
        .await
        .expect(204);
    app.get(&format!("{sb}/api/v3/users/me"))
        .token("bob-ro")
        .send()
        .await
        .expect_unauthorized();
    app.get("/api/v3/users/me")
        .token("bob-ro")
        .send()
        .await
        .expect(200);
    app.put(&format!("{sb}/__admin/clock"))
        .json(&json!({"now": "2019-01-01T00:00:00Z"}))
        .send()
        .await
        .expect(200);
    app.get(&format!("{sb}/api/v3/users/me"))
        .token("expired-pat")
        .send()
        .await
        .expect(200);
    app.get("/api/v3/users/me")
        .token("expired-pat")
        .send()
        .await
        .expect_unauthorized();

    // Faults and journal too.
    app.fault(
        &sb,
        json!({"action": {"status": 503}, "match": {"api": "v3"}}),
    )
    .await;
    app.get(&format!("{sb}/api/v3/users/me"))
        .token("ada-rw")
        .unchecked()
        .send()
        .await
        .expect(503);
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    assert_eq!(app.journal_count(&sb, "status=503").await, 1);
    assert_eq!(app.journal_count("", "status=503").await, 0);
    let journaled = app
        .get(&format!("{sb}/__admin/requests?status=503"))
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        journaled["requests"][0]["path"], "/api/v3/users/me",
        "paths are relative to the sandbox"
    );

    // Reset inside a sandbox resets the sandbox only.
    app.post(&format!("{sb}/__admin/reset"))
        .send()
        .await
        .expect(204);
    app.get(&format!("{sb}/api/v3/users/me"))
        .token("bob-ro")
        .send()
        .await
        .expect(200);
    app.get(&format!("{sb}/api/v3/users/me"))
        .token("expired-pat")
        .send()
        .await
        .expect_unauthorized();
    // The sandbox routes exist at the root only.
    app.get(&format!("{sb}/__admin/sandboxes"))
        .unchecked()
        .send()
        .await
        .expect(404);
}

#[tokio::test]
async fn sandboxes_are_listed_deleted_and_unknown_ones_answer_404() {
    let app = spawn_app().await;
    let a = app.sandbox().await;
    let b = app.sandbox().await;
    let list = app.get("/__admin/sandboxes").send().await.ok_json(200);
    let urls: Vec<&str> = list["sandboxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["baseUrl"].as_str().unwrap())
        .collect();
    assert_eq!(urls, [a.as_str(), b.as_str()]);
    let id = a.trim_start_matches("/_sandbox/");
    app.delete(&format!("/__admin/sandboxes/{id}"))
        .send()
        .await
        .expect(204);
    app.delete(&format!("/__admin/sandboxes/{id}"))
        .send()
        .await
        .expect(404);
    let gone = app
        .get(&format!("{a}/api/v3/users/me"))
        .token("ada-rw")
        .unchecked()
        .send()
        .await
        .ok_json(404);
    assert!(gone["error"].as_str().unwrap().contains(id), "{gone}");
    app.get("/_sandbox/sb-nope/__admin/health")
        .unchecked()
        .send()
        .await
        .expect(404);
    app.get(&format!("{b}/__admin/health"))
        .send()
        .await
        .expect(200);
    assert_eq!(
        app.get("/__admin/sandboxes").send().await.ok_json(200)["sandboxes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn an_idle_sandbox_expires() {
    let app = spawn_app().await;
    let created = app
        .post("/__admin/sandboxes")
        .json(&json!({"idleTimeoutSeconds": 3}))
        .send()
        .await
        .ok_json(201);
    let sb = created["baseUrl"].as_str().unwrap();
    // Touches 1.5 s apart keep a 3 s sandbox alive with room for a slow machine; then 3.6 s
    // of silence expires it.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.get(&format!("{sb}/__admin/health"))
        .send()
        .await
        .expect(200); // touching it keeps it alive
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.get(&format!("{sb}/__admin/health"))
        .send()
        .await
        .expect(200);
    tokio::time::sleep(Duration::from_millis(3600)).await;
    app.get(&format!("{sb}/__admin/health"))
        .unchecked()
        .send()
        .await
        .expect(404);
    assert_eq!(
        app.get("/__admin/sandboxes").send().await.ok_json(200)["sandboxes"],
        json!([])
    );
    for bad in [
        json!({"idleTimeoutSeconds": 0}),
        json!({"idleTimeoutSeconds": 999999}),
        json!({"idle": 5}),
    ] {
        app.post("/__admin/sandboxes")
            .json(&bad)
            .send()
            .await
            .expect(400);
    }
}

/// The fixture state of one sandbox in a parallel test: Bob's account renamed, and a token
/// only this sandbox knows.
fn state_for(base: &Value, i: usize) -> Value {
    let mut state = base.clone();
    for account in state["accounts"].as_array_mut().unwrap() {
        if account["accountId"] == 1002 {
            account["name"] = json!(format!("Bob of sandbox {i}"));
        }
    }
    state["tokens"]
        .as_array_mut()
        .unwrap()
        .push(json!({"token": format!("only-{i}"), "accountId": 1002, "kind": "oauth"}));
    state
}

#[tokio::test]
async fn sixteen_parallel_sandboxes_with_conflicting_writes_each_see_only_their_own() {
    let app = std::sync::Arc::new(spawn_app().await);
    let base = app.get("/__admin/state").send().await.ok_json(200);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let app = app.clone();
        let base = base.clone();
        tasks.push(tokio::spawn(async move {
            let sb = app.sandbox().await;
            // The same writes, with different values, in every sandbox at once.
            app.put(&format!("{sb}/__admin/state")).json(&state_for(&base, i)).send().await.expect(200);
            app.post(&format!("{sb}/__admin/tokens"))
                .json(&json!({"accountId": 1001, "kind": "oauth", "token": "minted-everywhere", "description": format!("sandbox {i}")}))
                .send()
                .await
                .expect(201);
            app.fault(&sb, json!({"match": {"path": "/api/v3/users/1"}, "action": {"status": 500 + i as u16}})).await;
            tokio::task::yield_now().await;
            for _ in 0..5 {
                let me = app.get(&format!("{sb}/api/v3/users/me")).token(&format!("only-{i}")).send().await.ok_json(200);
                assert_eq!(me["name"], format!("Bob of sandbox {i}"), "sandbox {i} sees another's write");
                let faulted = app.get(&format!("{sb}/api/v3/users/1")).token("ada-rw").unchecked().send().await;
                assert_eq!(faulted.status, 500 + i as u16, "sandbox {i} sees another's fault");
            }
            for other in (0..16).filter(|o| *o != i) {
                app.get(&format!("{sb}/api/v3/users/me")).token(&format!("only-{other}")).send().await.expect_unauthorized();
            }
            let state = app.get(&format!("{sb}/__admin/state")).send().await.ok_json(200);
            let minted: Vec<&Value> = state["tokens"].as_array().unwrap().iter().filter(|t| t["token"] == "minted-everywhere").collect();
            assert_eq!(minted.len(), 1);
            assert_eq!(minted[0]["description"], format!("sandbox {i}"));
            assert_eq!(app.journal_count(&sb, "path=/api/v3/*").await, 10 + 15, "sandbox {i} journals only its own calls");
        }));
    }
    for t in tasks {
        t.await.expect("a sandbox task failed");
    }
    let me = app
        .get("/api/v3/users/me")
        .token("bob-ro")
        .send()
        .await
        .ok_json(200);
    assert_eq!(me["name"], "Bob Member", "the root is untouched");
    assert_eq!(app.get("/__admin/state").send().await.ok_json(200), base);
    assert_eq!(app.journal_count("", "path=/api/v3/*").await, 1);
    assert_eq!(
        app.get("/__admin/sandboxes").send().await.ok_json(200)["sandboxes"]
            .as_array()
            .unwrap()
            .len(),
        16
    );
}
