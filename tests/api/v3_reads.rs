//! The v3 read routes under every shape.

use crate::helpers::*;

#[tokio::test]
async fn me_returns_the_token_owner_with_their_email() {
    let app = spawn_app().await;
    let me = app
        .get("/api/v3/users/me")
        .token("ada-rw")
        .send()
        .await
        .ok_json(200);
    assert_eq!(me["id"], 1);
    assert_eq!(me["accountId"], 1001);
    assert_eq!(me["email"], "ada@example.com");
    assert_eq!(me["communities"], serde_json::json!([]));
}
