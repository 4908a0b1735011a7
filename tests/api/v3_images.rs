//! Images under all three shapes (upload, then read back with the real media type), the
//! upload's refusals, the store's bounds, sandboxes and snapshots; and `GET /stacky`.

use serde_json::{Value, json};

use crate::helpers::*;

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9";
const GIF: &[u8] = b"GIF89a\x01\0\x01\0\0\0\0;";

/// A `multipart/form-data` body with one part named `name` holding `content`.
fn form(name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "soteams-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"x.bin\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    app: &TestApp,
    prefix: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Resp {
    app.post(&format!("{prefix}/images/upload"))
        .token(token)
        .body(content_type, body)
        .send()
        .await
}

/// Status, content type and bytes of a GET of `url` (absolute).
async fn fetch(url: &str, token: &str) -> (u16, String, Vec<u8>) {
    let res = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, content_type, res.bytes().await.unwrap().to_vec())
}

fn is_guid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && id.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

#[tokio::test]
async fn an_uploaded_image_is_served_back_under_every_shape_with_its_own_media_type() {
    let app = spawn_app().await;
    for (prefix, token, content_type, body, media) in [
        ("/api/v3", "ada-rw", None, PNG, "image/png"),
        (
            "/api/v3/teams/productone",
            "ada-rw",
            Some("image/jpeg"),
            JPEG,
            "image/jpeg",
        ),
        (
            "/v3/teams/acme",
            "acme-admin-rw",
            Some("img/gif"),
            GIF,
            "image/gif",
        ),
    ] {
        let (content_type, sent) = match content_type {
            Some(t) => (t.to_string(), body.to_vec()),
            None => form("file", body),
        };
        let uploaded = upload(&app, prefix, token, &content_type, sent)
            .await
            .ok_json(200);
        let id = uploaded["id"].as_str().unwrap();
        assert!(is_guid(id), "{uploaded}");
        let url = uploaded["url"].as_str().unwrap();
        assert_eq!(
            url,
            format!("{}{prefix}/images/{id}", app.base),
            "{uploaded}"
        );

        let (status, got_type, bytes) = fetch(url, token).await;
        assert_eq!((status, got_type.as_str()), (200, media), "{url}");
        assert_eq!(bytes, body, "{url}: the bytes sent");
        // The same read through the checked client (the served document declares the type).
        app.get(&format!("{prefix}/images/{id}"))
            .token(token)
            .send()
            .await
            .expect(200);
    }
}

#[tokio::test]
async fn an_image_is_served_only_on_the_site_it_was_uploaded_to() {
    let app = spawn_app().await;
    let (t, body) = form("FILE", PNG);
    let uploaded = upload(&app, "/api/v3/teams/productone", "ada-rw", &t, body)
        .await
        .ok_json(200);
    let id = uploaded["id"].as_str().unwrap();
    for path in [
        format!("/api/v3/images/{id}"),
        format!("/api/v3/teams/platform/images/{id}"),
    ] {
        app.get(&path)
            .token("ada-ro")
            .send()
            .await
            .expect_problem(404, "/v3/errors/image/not-found");
    }
}

#[tokio::test]
async fn uploads_that_are_not_images_or_are_empty_or_too_large_are_refused() {
    let app = spawn_app().await;
    // The format comes from the bytes: a PNG declared as JPEG is a PNG, text declared as an
    // image is not an image.
    let png_as_jpeg = upload(&app, "/api/v3", "ada-rw", "image/jpeg", PNG.to_vec())
        .await
        .ok_json(200);
    let (_, media, _) = fetch(png_as_jpeg["url"].as_str().unwrap(), "ada-ro").await;
    assert_eq!(media, "image/png");
    let res = upload(&app, "/api/v3", "ada-rw", "image/jpeg", b"hello".to_vec()).await;
    let problem = res.expect_problem(415, "https://tools.ietf.org/html/rfc7231#section-6.5.13");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("jpeg, png, gif, bmp, webp")
    );
    let (t, body) = form("file", b"{\"json\": true}");
    upload(&app, "/api/v3", "ada-rw", &t, body)
        .await
        .expect(415);

    upload(&app, "/api/v3", "ada-rw", "image/png", Vec::new())
        .await
        .expect_validation("file");
    let (t, body) = form("file", b"");
    upload(&app, "/api/v3", "ada-rw", &t, body)
        .await
        .expect_validation("file");
    let (t, body) = form("picture", PNG);
    let missing = upload(&app, "/api/v3", "ada-rw", &t, body).await;
    assert_eq!(
        missing.expect_validation("file")["errors"]["file"][0],
        "The file field is required."
    );
    upload(
        &app,
        "/api/v3",
        "ada-rw",
        "multipart/form-data; boundary=x",
        b"no parts".to_vec(),
    )
    .await
    .expect_validation("file");

    // Over 2 MiB: the upload's own 400; over the 4 MiB body limit: 413.
    let mut big = PNG.to_vec();
    big.resize((2 << 20) + 1, 0);
    upload(&app, "/api/v3", "ada-rw", "img/png", big)
        .await
        .expect_problem(400, "/v3/errors/image/too-large");
    let mut huge = PNG.to_vec();
    huge.resize((4 << 20) + 1, 0);
    upload(&app, "/api/v3", "ada-rw", "img/png", huge)
        .await
        .expect(413);

    // Exactly 2 MiB is fine.
    let mut max = PNG.to_vec();
    max.resize(2 << 20, 0);
    let (t, body) = form("file", &max);
    upload(&app, "/api/v3", "ada-rw", &t, body)
        .await
        .expect(200);
}

#[tokio::test]
async fn uploads_need_write_access_and_reads_a_token() {
    let app = spawn_app().await;
    upload(&app, "/api/v3", "ada-ro", "img/png", PNG.to_vec())
        .await
        .expect_forbidden();
    let basic = upload(
        &app,
        "/v3/teams/startup",
        "startup-rw",
        "img/png",
        PNG.to_vec(),
    )
    .await;
    basic.expect_forbidden();
    assert_eq!(basic.header("x-mock-reason"), Some("basic-team-read-only"));
    app.post("/api/v3/images/upload")
        .body("img/png", PNG.to_vec())
        .send()
        .await
        .expect_unauthorized();
    app.get("/api/v3/images/00000000-0000-4000-8000-000000000000")
        .send()
        .await
        .expect_unauthorized();
    app.get("/api/v3/images/not-a-guid")
        .token("ada-ro")
        .send()
        .await
        .expect_validation("imageId");
    app.get("/api/v3/images/00000000-0000-4000-8000-000000000000")
        .token("ada-ro")
        .send()
        .await
        .expect_problem(404, "/v3/errors/image/not-found");
}

#[tokio::test]
async fn a_sandbox_keeps_its_own_images_and_a_snapshot_keeps_them_across_a_reset() {
    let app = spawn_app().await;
    let sb = app.sandbox().await;
    let inside = upload(
        &app,
        &format!("{sb}/api/v3"),
        "ada-rw",
        "img/png",
        PNG.to_vec(),
    )
    .await
    .ok_json(200);
    let url = inside["url"].as_str().unwrap();
    assert!(url.contains(&format!("{sb}/api/v3/images/")), "{url}");
    assert_eq!(fetch(url, "ada-ro").await.0, 200);
    let id = inside["id"].as_str().unwrap();
    app.get(&format!("/api/v3/images/{id}"))
        .token("ada-ro")
        .send()
        .await
        .expect(404);

    let root = upload(&app, "/api/v3", "ada-rw", "img/gif", GIF.to_vec())
        .await
        .ok_json(200);
    let url = root["url"].as_str().unwrap();
    app.post("/__admin/snapshots")
        .json(&json!({"name": "with-image"}))
        .send()
        .await
        .expect(201);
    app.post("/__admin/reset").send().await.expect(204);
    assert_eq!(fetch(url, "ada-ro").await.0, 404, "a reset forgets images");
    app.post("/__admin/snapshots/with-image/restore")
        .send()
        .await
        .expect(204);
    assert_eq!(fetch(url, "ada-ro").await.2, GIF, "the snapshot kept it");
}

#[tokio::test]
async fn the_image_store_refuses_past_64_mib_and_keeps_nothing() {
    let app = spawn_app().await;
    let mut two_mib = PNG.to_vec();
    two_mib.resize(2 << 20, 7);
    for _ in 0..32 {
        upload(&app, "/api/v3", "ada-rw", "img/png", two_mib.clone())
            .await
            .expect(200);
    }
    let full = upload(&app, "/api/v3", "ada-rw", "img/gif", GIF.to_vec()).await;
    let problem = full.expect_problem(409, "/v3/errors/image/store-full");
    assert!(
        problem["detail"].as_str().unwrap().contains("67108864"),
        "{problem}"
    );
    // A fresh sandbox has its own, empty store.
    let sb = app.sandbox().await;
    upload(
        &app,
        &format!("{sb}/api/v3"),
        "ada-rw",
        "img/gif",
        GIF.to_vec(),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn an_injected_500_on_the_image_routes_has_no_body_as_documented() {
    let app = spawn_app().await;
    let res = upload_with_fault(&app).await;
    assert_eq!((res.status, res.text.as_str()), (500, ""));
}

async fn upload_with_fault(app: &TestApp) -> Resp {
    app.post("/api/v3/images/upload")
        .token("ada-rw")
        .header("x-mock-fault", "status=500")
        .body("img/png", PNG.to_vec())
        .send()
        .await
}

#[tokio::test]
async fn stacky_is_plain_text_unless_json_is_asked_for() {
    let app = spawn_app().await;
    let plain = app.get("/api/v3/stacky").token("bob-ro").send().await;
    plain.expect(200);
    assert!(
        plain
            .header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(plain.text.contains("Stacky"), "{}", plain.text);
    for media in ["application/json", "text/json"] {
        // The same token and URL right after: the read cache must not answer with the text.
        let json = app
            .get("/api/v3/stacky")
            .token("bob-ro")
            .header("accept", media)
            .send()
            .await;
        json.expect(200);
        assert_eq!(json.header("content-type"), Some(media));
        assert_eq!(json.json(), Value::String(plain.text.clone()));
    }
    app.get("/api/v3/stacky").send().await.expect_unauthorized();
    app.get("/api/v3/stacky")
        .token("cy-rw")
        .send()
        .await
        .expect(403);
    let res = app
        .get("/api/v3/teams/productone/stacky")
        .token("ada-rw")
        .unchecked()
        .send()
        .await;
    assert_eq!(res.status, 404, "main site only: {}", res.text);
}
