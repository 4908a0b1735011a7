//! The rows of the users' and user groups' operations: the user reads (by id, by email, by
//! external id, `me`, watched tags, `manage`) and the user groups' reads and writes.

use super::{ADMIN, DEACTIVATED, FAULT_500, NONE, READ_ONLY, Row, State, row};

/// User groups and users.
pub(super) fn rows() -> Vec<Row> {
    let groups = ("GET", "/user-groups");
    let group_new = ("POST", "/user-groups");
    let group = ("GET", "/user-groups/{userGroupId}");
    let group_put = ("PUT", "/user-groups/{userGroupId}");
    let members = ("POST", "/user-groups/{userGroupId}/members");
    let member_del = ("DELETE", "/user-groups/{userGroupId}/members/{userId}");
    let users = ("GET", "/users");
    let user = ("GET", "/users/{userId}");
    let me = ("GET", "/users/me");
    let by_email = ("GET", "/users/by-email/{email}");
    let by_ext = ("GET", "/users/by-external-id/{externalId}");
    let watched = ("GET", "/users/{userId}/watched-tags");
    let manage = ("GET", "/users/manage");
    let group_body = Some(r#"{"name": "Conformance", "description": "d", "userIds": [1]}"#);

    let mut rows = vec![
        row(
            groups,
            200,
            "/api/v3/user-groups",
            ADMIN,
            None,
            "a valid token",
        ),
        row(
            groups,
            400,
            "/api/v3/user-groups?sort=bogus",
            ADMIN,
            None,
            "an unknown sort",
        ),
        row(
            group_new,
            201,
            "/api/v3/user-groups",
            ADMIN,
            group_body,
            "a new group",
        ),
        row(
            group_new,
            400,
            "/api/v3/user-groups",
            ADMIN,
            Some(r#"{"description": "no name"}"#),
            "the required name is missing",
        ),
        Row {
            state: State::Fault(FAULT_500),
            ..row(
                group_new,
                500,
                "/api/v3/user-groups",
                ADMIN,
                group_body,
                "fault injection: X-Mock-Fault",
            )
        },
        row(
            group,
            200,
            "/api/v3/user-groups/1",
            ADMIN,
            None,
            "an existing group",
        ),
        row(
            group,
            404,
            "/api/v3/user-groups/999",
            ADMIN,
            None,
            "an unknown group",
        ),
        row(
            group,
            400,
            "/api/v3/user-groups/abc",
            ADMIN,
            None,
            "a non-numeric group id",
        ),
        row(
            group_put,
            200,
            "/api/v3/user-groups/1",
            ADMIN,
            Some(r#"{"name": "Renamed", "description": "", "userIds": [1]}"#),
            "a full replacement",
        ),
        row(
            group_put,
            400,
            "/api/v3/user-groups/1",
            ADMIN,
            Some("{}"),
            "the required name is missing",
        ),
        row(
            members,
            200,
            "/api/v3/user-groups/6/members",
            ADMIN,
            Some("[1, 2]"),
            "user ids to add",
        ),
        row(
            members,
            404,
            "/api/v3/user-groups/999/members",
            ADMIN,
            Some("[1]"),
            "an unknown group",
        ),
        row(
            members,
            400,
            "/api/v3/user-groups/6/members",
            ADMIN,
            Some(r#""1""#),
            "a body that is not an array",
        ),
        row(
            member_del,
            200,
            "/api/v3/user-groups/1/members/1",
            ADMIN,
            None,
            "a member of the group",
        ),
        row(
            member_del,
            404,
            "/api/v3/user-groups/1/members/2",
            ADMIN,
            None,
            "a user who is not a member",
        ),
        row(
            member_del,
            400,
            "/api/v3/user-groups/abc/members/1",
            ADMIN,
            None,
            "a non-numeric group id",
        ),
        row(users, 200, "/api/v3/users", ADMIN, None, "a valid token"),
        row(
            users,
            400,
            "/api/v3/users?page=0",
            ADMIN,
            None,
            "page below 1",
        ),
        row(
            user,
            200,
            "/api/v3/users/1",
            ADMIN,
            None,
            "an existing user",
        ),
        row(
            user,
            404,
            "/api/v3/users/9999",
            ADMIN,
            None,
            "an unknown user",
        ),
        row(
            user,
            400,
            "/api/v3/users/abc",
            ADMIN,
            None,
            "a non-numeric user id",
        ),
        row(me, 200, "/api/v3/users/me", ADMIN, None, "a user's token"),
        Row {
            state: State::ServiceTokenOfNonUser,
            ..row(
                me,
                404,
                "/api/v3/users/me",
                Some("svc"),
                None,
                "a service token whose owner is not a user of the site",
            )
        },
        row(
            me,
            400,
            "/api/v3/users/me?x=%FF",
            ADMIN,
            None,
            "a query string that is not UTF-8 (mock choice)",
        ),
        row(
            by_email,
            200,
            "/api/v3/users/by-email/ada@example.com",
            ADMIN,
            None,
            "a known email",
        ),
        row(
            by_email,
            404,
            "/api/v3/users/by-email/nobody@example.com",
            ADMIN,
            None,
            "an unknown email",
        ),
        row(
            by_email,
            400,
            "/api/v3/users/by-email/%FF",
            ADMIN,
            None,
            "a path segment that is not UTF-8",
        ),
        row(
            by_email,
            403,
            "/api/v3/users/by-email/ada@example.com",
            Some("bob-ro"),
            None,
            "a non-admin (admin-only route)",
        ),
        row(
            by_ext,
            200,
            "/api/v3/users/by-external-id/ada",
            ADMIN,
            None,
            "a known external id",
        ),
        row(
            by_ext,
            400,
            "/api/v3/users/by-external-id/%FF",
            ADMIN,
            None,
            "a path segment that is not UTF-8",
        ),
        row(
            by_ext,
            403,
            "/api/v3/users/by-external-id/ada",
            Some("bob-ro"),
            None,
            "a non-admin (admin-only route)",
        ),
        row(
            watched,
            200,
            "/api/v3/users/1/watched-tags",
            ADMIN,
            None,
            "an existing user",
        ),
        row(
            watched,
            404,
            "/api/v3/users/9999/watched-tags",
            ADMIN,
            None,
            "an unknown user",
        ),
        row(
            watched,
            400,
            "/api/v3/users/0/watched-tags",
            ADMIN,
            None,
            "a user id below 1",
        ),
        row(
            manage,
            200,
            "/api/v3/users/manage",
            READ_ONLY,
            None,
            "an admin's read-only token",
        ),
        row(
            manage,
            400,
            "/api/v3/users/manage?isDeactivated=yes",
            ADMIN,
            None,
            "a non-boolean isDeactivated",
        ),
        row(
            manage,
            403,
            "/api/v3/users/manage",
            Some("bob-rw"),
            None,
            "a non-admin (admin-only route)",
        ),
        row(
            by_email,
            401,
            "/api/v3/users/by-email/ada@example.com",
            NONE,
            None,
            "no Authorization header",
        ),
        row(
            by_ext,
            401,
            "/api/v3/users/by-external-id/ada",
            NONE,
            None,
            "no Authorization header",
        ),
        row(
            manage,
            401,
            "/api/v3/users/manage",
            NONE,
            None,
            "no Authorization header",
        ),
    ];
    rows.extend(auth_rows!(groups, "/api/v3/user-groups"));
    rows.extend(auth_rows!(group, "/api/v3/user-groups/1"));
    rows.extend(auth_rows!(users, "/api/v3/users"));
    rows.extend(auth_rows!(user, "/api/v3/users/1"));
    rows.extend(auth_rows!(me, "/api/v3/users/me"));
    rows.extend(auth_rows!(watched, "/api/v3/users/1/watched-tags"));
    rows.extend(write_auth_rows!(
        group_new,
        "/api/v3/user-groups",
        group_body
    ));
    rows.extend(write_auth_rows!(
        group_put,
        "/api/v3/user-groups/1",
        Some(r#"{"name": "x"}"#)
    ));
    rows.extend(write_auth_rows!(
        members,
        "/api/v3/user-groups/1/members",
        Some("[1]")
    ));
    rows.extend(write_auth_rows!(
        member_del,
        "/api/v3/user-groups/1/members/1",
        None
    ));
    rows
}
