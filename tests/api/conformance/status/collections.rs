//! The rows of the collections' operations, the writes on the collection that
//! [`super::State::Content`] seeds.

use super::{ADMIN, DEACTIVATED, NONE, READ_ONLY, Row, content_row, row};

/// The rows of collections (issue 17).
pub(super) fn rows() -> Vec<Row> {
    let collections = ("GET", "/collections");
    let collection_new = ("POST", "/collections");
    let collection = ("GET", "/collections/{collectionId}");
    let collection_put = ("PUT", "/collections/{collectionId}");
    let collection_del = ("DELETE", "/collections/{collectionId}");
    let collection_body = Some(r#"{"title": "Reading list"}"#);
    let c = "/api/v3/collections/{collection}";
    let mut rows = vec![
        row(
            collections,
            200,
            "/api/v3/collections",
            ADMIN,
            None,
            "a valid token",
        ),
        row(
            collections,
            400,
            "/api/v3/collections?permissions=mine",
            ADMIN,
            None,
            "an unknown permissions filter",
        ),
        row(
            collection_new,
            201,
            "/api/v3/collections",
            ADMIN,
            collection_body,
            "a new collection",
        ),
        row(
            collection_new,
            400,
            "/api/v3/collections",
            ADMIN,
            Some(r#"{"title": "T", "contentIds": [999999]}"#),
            "content that is no question or article",
        ),
        content_row(collection, 200, c, ADMIN, None, "an existing collection"),
        row(
            collection,
            404,
            "/api/v3/collections/999999",
            ADMIN,
            None,
            "an unknown collection",
        ),
        row(
            collection,
            400,
            "/api/v3/collections/abc",
            ADMIN,
            None,
            "a non-numeric id",
        ),
        content_row(
            collection_put,
            200,
            c,
            ADMIN,
            collection_body,
            "its owner replaces it",
        ),
        content_row(
            collection_put,
            400,
            c,
            ADMIN,
            Some("{}"),
            "the title is missing",
        ),
        content_row(
            collection_put,
            403,
            c,
            Some("bob-rw"),
            collection_body,
            "someone who is not its owner or an editor",
        ),
        content_row(collection_del, 204, c, ADMIN, None, "its owner deletes it"),
        content_row(
            collection_del,
            403,
            c,
            Some("bob-rw"),
            None,
            "someone who is not its owner",
        ),
        row(
            collection_del,
            404,
            "/api/v3/collections/999999",
            ADMIN,
            None,
            "an unknown collection",
        ),
        row(
            collection_del,
            400,
            "/api/v3/collections/0",
            ADMIN,
            None,
            "an id below 1",
        ),
        row(
            collection_del,
            401,
            "/api/v3/collections/1",
            NONE,
            None,
            "no Authorization header",
        ),
    ];
    rows.extend(auth_rows!(collections, "/api/v3/collections"));
    rows.extend(auth_rows!(collection, "/api/v3/collections/1"));
    rows.extend(write_auth_rows!(
        collection_new,
        "/api/v3/collections",
        collection_body
    ));
    rows.extend(write_auth_rows!(
        collection_put,
        "/api/v3/collections/1",
        collection_body
    ));
    rows
}
