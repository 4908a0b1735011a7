//! `quota_remaining` and `throttle_violation`.

use super::*;
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_quota_counts_down_per_key_and_a_spent_key_is_throttled() {
    let app = spawn_app().await;
    let call = |key: &'static str| {
        let app = &app;
        async move {
            sync(
                app,
                &[
                    ("access_token", "ada-rw"),
                    ("key", key),
                    ("requestsJson", "[]"),
                ],
            )
            .await
        }
    };
    assert_eq!(
        call("local-key").await.ok_json(200)["quota_remaining"],
        9_999
    );
    assert_eq!(
        call("local-key").await.ok_json(200)["quota_remaining"],
        9_998
    );
    // Calls refused before the quota check are not counted; later refusals are.
    expect_v2_error(
        &sync(&app, &[("access_token", "bob-rw"), ("key", "local-key")]).await,
        403,
        "access_denied",
    );
    expect_v2_error(
        &sync(&app, &[("access_token", "ada-rw"), ("key", "local-key")]).await,
        400,
        "bad_parameter",
    );
    assert_eq!(
        call("local-key").await.ok_json(200)["quota_remaining"],
        9_996
    );
    assert_eq!(call("ci-key").await.ok_json(200)["quota_remaining"], 9_999);
    // Spend the rest of local-key's quota (9,996 calls), a few in parallel.
    let client = app.client.clone();
    let url = format!(
        "{}{USERSYNC}?access_token=ada-rw&key=local-key&requestsJson=%5B%5D",
        app.base
    );
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..6 {
        let (client, url) = (client.clone(), url.clone());
        tasks.spawn(async move {
            for _ in 0..(9_996 / 6) {
                let res = client.post(&url).send().await.unwrap();
                assert_eq!(res.status(), 200, "worker {worker}");
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    for _ in 0..2 {
        let message = expect_v2_error(&call("local-key").await, 502, "throttle_violation");
        assert!(
            message.contains("loc…") && !message.contains("local-key"),
            "names the key, masked: {message}"
        );
    }
    assert_eq!(
        call("ci-key").await.ok_json(200)["quota_remaining"],
        9_998,
        "other keys are not throttled"
    );
}
