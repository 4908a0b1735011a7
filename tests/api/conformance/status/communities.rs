//! The rows of the communities (main site only), of image uploads and reads, and of Stacky.

use super::{ADMIN, DEACTIVATED, FAULT_500, GIF, NONE, READ_ONLY, Row, State, row};

/// A row whose body has its own content type (an image upload).
const fn upload_row(
    status: u16,
    token: Option<&'static str>,
    body: &'static str,
    content_type: &'static str,
    how: &'static str,
) -> Row {
    Row {
        content_type,
        ..row(
            ("POST", "/images/upload"),
            status,
            "/api/v3/images/upload",
            token,
            Some(body),
            how,
        )
    }
}

/// Communities (main site only), images and Stacky.
pub(super) fn rows() -> Vec<Row> {
    let list = ("GET", "/communities");
    let get = ("GET", "/communities/{communityId}");
    let join = ("POST", "/communities/{communityId}/join");
    let leave = ("POST", "/communities/{communityId}/leave");
    let join_bulk = ("POST", "/communities/{communityId}/join/bulk");
    let leave_bulk = ("POST", "/communities/{communityId}/leave/bulk");
    let image = ("GET", "/images/{imageId}");
    let ids = Some(r#"{"memberUserIds": [2, 7]}"#);
    let not_ids = Some(r#"{"memberUserIds": "2"}"#);
    let mut rows = vec![
        row(
            list,
            200,
            "/api/v3/communities",
            ADMIN,
            None,
            "a valid token",
        ),
        row(
            list,
            400,
            "/api/v3/communities?sort=members",
            ADMIN,
            None,
            "an unknown sort",
        ),
        row(
            get,
            200,
            "/api/v3/communities/1",
            ADMIN,
            None,
            "an existing community",
        ),
        row(
            get,
            404,
            "/api/v3/communities/999",
            ADMIN,
            None,
            "an unknown community",
        ),
        row(
            get,
            400,
            "/api/v3/communities/abc",
            ADMIN,
            None,
            "a non-numeric community id",
        ),
        row(
            join,
            200,
            "/api/v3/communities/2/join",
            ADMIN,
            None,
            "a community to join",
        ),
        row(
            join,
            404,
            "/api/v3/communities/999/join",
            ADMIN,
            None,
            "an unknown community",
        ),
        row(
            join,
            400,
            "/api/v3/communities/0/join",
            ADMIN,
            None,
            "a community id below 1",
        ),
        row(
            leave,
            200,
            "/api/v3/communities/1/leave",
            ADMIN,
            None,
            "a community of the caller",
        ),
        row(
            leave,
            404,
            "/api/v3/communities/999/leave",
            ADMIN,
            None,
            "an unknown community",
        ),
        row(
            leave,
            400,
            "/api/v3/communities/abc/leave",
            ADMIN,
            None,
            "a non-numeric community id",
        ),
        row(
            join_bulk,
            200,
            "/api/v3/communities/2/join/bulk",
            ADMIN,
            ids,
            "user ids to add",
        ),
        row(
            join_bulk,
            404,
            "/api/v3/communities/999/join/bulk",
            ADMIN,
            ids,
            "an unknown community",
        ),
        row(
            join_bulk,
            400,
            "/api/v3/communities/2/join/bulk",
            ADMIN,
            not_ids,
            "memberUserIds is not an array",
        ),
        row(
            leave_bulk,
            200,
            "/api/v3/communities/1/leave/bulk",
            ADMIN,
            ids,
            "user ids to remove",
        ),
        row(
            leave_bulk,
            404,
            "/api/v3/communities/999/leave/bulk",
            ADMIN,
            ids,
            "an unknown community",
        ),
        row(
            leave_bulk,
            400,
            "/api/v3/communities/1/leave/bulk",
            ADMIN,
            Some(r#"{"memberUserIds": [9999]}"#),
            "an id that is not a user of the site",
        ),
        upload_row(200, ADMIN, GIF, "img/gif", "a GIF (by its first bytes)"),
        upload_row(400, ADMIN, "", "image/jpeg", "an empty file"),
        upload_row(
            415,
            ADMIN,
            "hello, not an image",
            "image/jpeg",
            "bytes that are no supported image",
        ),
        upload_row(401, NONE, GIF, "img/gif", "no Authorization header"),
        upload_row(403, READ_ONLY, GIF, "img/gif", "a read-only token writes"),
        Row {
            state: State::Fault(FAULT_500),
            ..upload_row(500, ADMIN, GIF, "img/gif", "fault injection: X-Mock-Fault")
        },
        Row {
            state: State::Image,
            ..row(
                image,
                200,
                "/api/v3/images/{image}",
                ADMIN,
                None,
                "an uploaded image",
            )
        },
        row(
            image,
            404,
            "/api/v3/images/00000000-0000-4000-8000-000000000000",
            ADMIN,
            None,
            "an unknown image",
        ),
        row(
            image,
            400,
            "/api/v3/images/not-a-guid",
            ADMIN,
            None,
            "an image id that is not a GUID (mock choice)",
        ),
        Row {
            state: State::Fault(FAULT_500),
            ..row(
                image,
                500,
                "/api/v3/images/00000000-0000-4000-8000-000000000000",
                ADMIN,
                None,
                "fault injection: X-Mock-Fault",
            )
        },
        row(
            ("GET", "/stacky"),
            200,
            "/api/v3/stacky",
            ADMIN,
            None,
            "a valid token",
        ),
    ];
    rows.extend(auth_rows!(list, "/api/v3/communities"));
    rows.extend(auth_rows!(get, "/api/v3/communities/1"));
    rows.extend(auth_rows!(
        image,
        "/api/v3/images/00000000-0000-4000-8000-000000000000"
    ));
    rows.extend(write_auth_rows!(join, "/api/v3/communities/2/join", None));
    rows.extend(write_auth_rows!(leave, "/api/v3/communities/1/leave", None));
    rows.extend(write_auth_rows!(
        join_bulk,
        "/api/v3/communities/2/join/bulk",
        ids
    ));
    rows.extend(write_auth_rows!(
        leave_bulk,
        "/api/v3/communities/1/leave/bulk",
        ids
    ));
    rows
}
