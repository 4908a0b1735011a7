//! Hardening, usersync bodies (issue 13, item 7e): a body the mock cannot read in full (over
//! the usersync limit of 32 MiB, or cut short by the client) is answered as a body error,
//! `bad_parameter`, before any error about the credentials it may have held, and it changes
//! nothing, not even the key's quota.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::*;
use crate::usersync::{USERSYNC, expect_v2_error};

/// Credentials that would be refused (402 `invalid_access_token`) if the body were read.
const BAD_CREDENTIALS: &str = "access_token=nope&key=local-key&dryRun=true&requestsJson=";

/// The key's quota is untouched: the next good call is the first one counted.
async fn assert_quota_untouched(app: &TestApp) {
    let body = app
        .post(USERSYNC)
        .form(&[
            ("access_token", "ada-rw"),
            ("key", "local-key"),
            ("requestsJson", "[]"),
            ("dryRun", "true"),
        ])
        .send()
        .await
        .ok_json(200);
    assert_eq!(
        body["quota_remaining"], 9999,
        "only the good call counted: {body}"
    );
}

#[tokio::test]
async fn a_usersync_body_over_32_mib_is_a_bad_parameter_before_any_auth_error() {
    let app = spawn_app().await;
    let mut body = BAD_CREDENTIALS.as_bytes().to_vec();
    body.resize(33 << 20, b'a');
    let res = app
        .post(USERSYNC)
        .body("application/x-www-form-urlencoded", body)
        .send()
        .await;
    assert_eq!(res.header("content-type"), Some("application/json"));
    let message = expect_v2_error(&res, 400, "bad_parameter");
    assert!(
        message.starts_with("body: ") && message.contains("larger than 33554432 bytes"),
        "{message}"
    );
    assert_quota_untouched(&app).await;
}

#[tokio::test]
async fn a_usersync_body_cut_short_is_a_bad_parameter_before_any_auth_error() {
    let app = spawn_app().await;
    let addr = app.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    // Declares 1000 bytes, sends fewer, and closes its side: the body never ends.
    let head = format!(
        "POST {USERSYNC} HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n\
         {BAD_CREDENTIALS}%5B"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.shutdown().await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut answer))
        .await
        .expect("an answer within 10 s")
        .expect("a readable answer");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    assert!(head.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{answer}"
    );
    let body: Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(body["error_id"], 400, "{body}");
    assert_eq!(body["error_name"], "bad_parameter", "{body}");
    let message = body["error_message"].as_str().unwrap();
    assert!(
        message.starts_with("body: the request body could not be read"),
        "{message}"
    );
    assert_quota_untouched(&app).await;
}
