//! Hardening, time (issues 13 and 14): the clock keeps to its range (1970 to 9999), nothing a
//! caller sends can make a later request panic, and the clock reads exactly what was set.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::helpers::*;

const RANGE: &str = "1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z";

/// Asserts a 400 in the control API's shape naming `field` and the clock's range.
#[track_caller]
fn assert_out_of_range(res: &Resp, field: &str) {
    let body = res.ok_json(400);
    assert!(
        body["error"].as_str().is_some_and(|e| e.contains(RANGE)),
        "the error states the range: {body}"
    );
    assert_eq!(body["problems"][0]["path"], field, "{body}");
}

fn instant(body: &Value) -> DateTime<Utc> {
    body["now"].as_str().unwrap().parse().unwrap()
}

/// The instance still answers: the clock, a v3 read, and a reset.
async fn still_answers(app: &TestApp) {
    app.get("/__admin/clock").send().await.expect(200);
    app.get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .expect(200);
    app.get("/__admin/health").send().await.expect(200);
}

#[tokio::test]
async fn a_clock_set_outside_its_range_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let set = json!({"now": "2030-01-01T00:00:00Z"});
    let before = app
        .put("/__admin/clock")
        .json(&set)
        .send()
        .await
        .ok_json(200);
    for now in [
        "+262142-12-31T23:59:59.999Z",
        "+10000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.9999995Z",
        "1969-12-31T23:59:59.999999Z",
        "0001-01-01T00:00:00Z",
    ] {
        let res = app
            .put("/__admin/clock")
            .json(&json!({ "now": now }))
            .send()
            .await;
        assert_out_of_range(&res, "$.now");
        let after = app.get("/__admin/clock").send().await.ok_json(200);
        assert_eq!(
            after["offsetSeconds"], before["offsetSeconds"],
            "a refused set ({now}) leaves the clock as it was"
        );
        assert!(instant(&after).to_rfc3339().starts_with("2030-01-01T00:0"));
    }
    still_answers(&app).await;
    app.post("/__admin/reset").send().await.expect(204);
}

#[tokio::test]
async fn a_clock_advance_out_of_its_range_is_refused_for_any_number_and_changes_nothing() {
    let app = spawn_app().await;
    app.put("/__admin/clock")
        .json(&json!({"now": "1971-01-01T00:00:00Z"}))
        .send()
        .await
        .expect(200);
    let before = app.get("/__admin/clock").send().await.ok_json(200);
    let cases = [
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(-2 * 365 * 86400),
        json!(8_100 * 366 * 86400_i64),
        json!(1e300),
        json!(-1e300),
        json!(1.5),
    ];
    for seconds in cases {
        let res = app
            .post("/__admin/clock/advance")
            .json(&json!({ "seconds": seconds }))
            .send()
            .await;
        assert_out_of_range(&res, "$.seconds");
        let after = app.get("/__admin/clock").send().await.ok_json(200);
        assert_eq!(
            after["offsetSeconds"], before["offsetSeconds"],
            "a refused advance by {seconds} leaves the clock as it was"
        );
    }
    // A number JSON cannot hold is a 400 naming the field too.
    let res = app
        .post("/__admin/clock/advance")
        .body("application/json", r#"{"seconds": 1e400}"#)
        .send()
        .await;
    assert_eq!(res.ok_json(400)["problems"][0]["path"], "$.seconds");
    still_answers(&app).await;
}

#[tokio::test]
async fn the_ends_of_the_range_can_be_set_and_every_route_still_answers() {
    let app = spawn_app().await;
    let end = app
        .put("/__admin/clock")
        .json(&json!({"now": "9999-12-31T23:59:59.999999Z"}))
        .send()
        .await
        .ok_json(200);
    assert_eq!(end["now"], "9999-12-31T23:59:59.999999Z", "{end}");
    still_answers(&app).await;
    // The default expiry (24 h on) is clamped to the end of the range, where the clock stops.
    let minted = app
        .post("/__admin/tokens")
        .json(&json!({"accountId": 1001, "scope": "main"}))
        .send()
        .await
        .ok_json(201);
    assert_eq!(minted["expiresAt"], "9999-12-31T23:59:59.999999Z");
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": 1}))
        .send()
        .await
        .expect(400);
    app.post("/__admin/clock/advance")
        .json(&json!({"seconds": -86400}))
        .send()
        .await
        .expect(200);

    let start = app
        .put("/__admin/clock")
        .json(&json!({"now": "1970-01-01T00:00:00Z"}))
        .send()
        .await
        .ok_json(200);
    assert!(
        start["now"]
            .as_str()
            .unwrap()
            .starts_with("1970-01-01T00:00:0"),
        "{start}"
    );
    still_answers(&app).await;
    app.post("/__admin/reset").send().await.expect(204);
    let real = app.get("/__admin/clock").send().await.ok_json(200);
    assert_eq!(real["offsetSeconds"], 0);
}

#[tokio::test]
async fn a_minted_expiry_outside_the_clock_range_is_refused_and_mints_nothing() {
    let app = spawn_app().await;
    let tokens_before = app.get("/__admin/state").send().await.ok_json(200)["tokens"]
        .as_array()
        .unwrap()
        .len();
    for expires in ["+262142-01-01T00:00:00Z", "1960-01-01T00:00:00Z"] {
        let res = app
            .post("/__admin/tokens")
            .json(
                &json!({"accountId": 1001, "scope": "main", "token": "far", "expiresAt": expires}),
            )
            .send()
            .await;
        assert_out_of_range(&res, "$.expiresAt");
    }
    let tokens_after = app.get("/__admin/state").send().await.ok_json(200)["tokens"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(tokens_after, tokens_before);
    app.get("/api/v3/users/me")
        .token("far")
        .send()
        .await
        .expect_unauthorized();
}

#[tokio::test]
async fn a_clock_set_to_an_instant_never_reads_before_it() {
    let app = spawn_app().await;
    for _ in 0..20 {
        let set = app
            .put("/__admin/clock")
            .json(&json!({"now": "2030-01-01T00:00:00Z"}))
            .send()
            .await
            .ok_json(200);
        let read = app.get("/__admin/clock").send().await.ok_json(200);
        for body in [&set, &read] {
            assert!(
                body["now"]
                    .as_str()
                    .unwrap()
                    .starts_with("2030-01-01T00:00:0"),
                "never 2029-12-31T23:59:59.999: {body}"
            );
        }
    }
}

#[tokio::test]
async fn advancing_by_a_day_gives_an_offset_of_exactly_86400_seconds() {
    let app = spawn_app().await;
    let advanced = app
        .post("/__admin/clock/advance")
        .json(&json!({"seconds": 86400}))
        .send()
        .await
        .ok_json(200);
    assert_eq!(advanced["offsetSeconds"], 86400, "{advanced}");
    let read = app.get("/__admin/clock").send().await.ok_json(200);
    assert_eq!(read["offsetSeconds"], 86400, "{read}");
    let back = app
        .post("/__admin/clock/advance")
        .json(&json!({"seconds": -172800}))
        .send()
        .await
        .ok_json(200);
    assert_eq!(back["offsetSeconds"], -86400, "{back}");
}

#[tokio::test]
async fn a_token_is_expired_at_its_expiry_instant() {
    let app = spawn_app().await;
    for (i, expires) in [
        "2031-05-05T10:00:00Z",
        "2031-05-05T10:00:00.123Z",
        "2031-05-05T10:00:00.999999Z",
        "2031-05-05T10:00:00.0000005Z",
    ]
    .into_iter()
    .enumerate()
    {
        let token = format!("exact-{i}");
        app.post("/__admin/tokens")
            .json(
                &json!({"accountId": 1001, "scope": "main", "token": token, "expiresAt": expires}),
            )
            .send()
            .await
            .expect(201);
        let before: DateTime<Utc> =
            expires.parse::<DateTime<Utc>>().unwrap() - chrono::Duration::seconds(5);
        app.put("/__admin/clock")
            .json(&json!({"now": before}))
            .send()
            .await
            .expect(200);
        app.get("/api/v3/users/me")
            .token(&token)
            .send()
            .await
            .expect(200);
        app.put("/__admin/clock")
            .json(&json!({"now": expires}))
            .send()
            .await
            .expect(200);
        app.get("/api/v3/users/me")
            .token(&token)
            .send()
            .await
            .expect_unauthorized();
    }
}
