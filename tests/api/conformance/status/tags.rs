//! The rows of the tags' operations: tags, tag watchers and subject-matter experts (SMEs), the
//! SMEs' writes included.

use super::{ADMIN, DEACTIVATED, NONE, READ_ONLY, Row, row};

/// Tags, tag watchers and SMEs.
pub(super) fn rows() -> Vec<Row> {
    let tags = ("GET", "/tags");
    let tag = ("GET", "/tags/{tagId}");
    let watchers = ("GET", "/tags/{tagId}/tag-watchers");
    let smes = ("GET", "/tags/{tagId}/subject-matter-experts");
    let smes_put = ("PUT", "/tags/{tagId}/subject-matter-experts");
    let sme_users = ("POST", "/tags/{tagId}/subject-matter-experts/users");
    let sme_groups = ("POST", "/tags/{tagId}/subject-matter-experts/user-groups");
    let sme_user_del = (
        "DELETE",
        "/tags/{tagId}/subject-matter-experts/users/{userId}",
    );
    let sme_group_del = (
        "DELETE",
        "/tags/{tagId}/subject-matter-experts/user-groups/{userGroupId}",
    );

    let mut rows = vec![
        row(tags, 200, "/api/v3/tags", ADMIN, None, "a valid token"),
        row(
            tags,
            400,
            "/api/v3/tags?pageSize=7",
            ADMIN,
            None,
            "pageSize outside 15/30/50/100",
        ),
        row(tag, 200, "/api/v3/tags/1", ADMIN, None, "an existing tag"),
        row(tag, 404, "/api/v3/tags/999", ADMIN, None, "an unknown tag"),
        row(
            tag,
            400,
            "/api/v3/tags/abc",
            ADMIN,
            None,
            "a non-numeric tag id",
        ),
        row(
            watchers,
            200,
            "/api/v3/tags/1/tag-watchers",
            ADMIN,
            None,
            "an existing tag",
        ),
        row(
            watchers,
            404,
            "/api/v3/tags/999/tag-watchers",
            ADMIN,
            None,
            "an unknown tag",
        ),
        row(
            watchers,
            400,
            "/api/v3/tags/0/tag-watchers",
            ADMIN,
            None,
            "a tag id below 1",
        ),
        row(
            smes,
            200,
            "/api/v3/tags/1/subject-matter-experts",
            ADMIN,
            None,
            "a tag with SMEs",
        ),
        row(
            smes,
            404,
            "/api/v3/tags/999/subject-matter-experts",
            ADMIN,
            None,
            "an unknown tag",
        ),
        row(
            smes,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts",
            ADMIN,
            None,
            "a site with SMEs disabled",
        ),
        row(
            smes,
            400,
            "/api/v3/tags/abc/subject-matter-experts",
            ADMIN,
            None,
            "a non-numeric tag id",
        ),
        row(
            smes_put,
            200,
            "/api/v3/tags/1/subject-matter-experts",
            ADMIN,
            Some(r#"{"userIds": [1], "userGroupIds": [2]}"#),
            "a replacement set",
        ),
        row(
            smes_put,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts",
            ADMIN,
            Some(r#"{"userIds": [1]}"#),
            "a site with SMEs disabled",
        ),
        row(
            smes_put,
            400,
            "/api/v3/tags/1/subject-matter-experts",
            ADMIN,
            Some(r#"{"userIds": "one"}"#),
            "userIds is not an array",
        ),
        row(
            sme_users,
            200,
            "/api/v3/tags/2/subject-matter-experts/users",
            ADMIN,
            Some("[1]"),
            "a user id",
        ),
        row(
            sme_users,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts/users",
            ADMIN,
            Some("[1]"),
            "a site with SMEs disabled",
        ),
        row(
            sme_users,
            400,
            "/api/v3/tags/2/subject-matter-experts/users",
            ADMIN,
            Some("[1,"),
            "malformed JSON",
        ),
        row(
            sme_groups,
            200,
            "/api/v3/tags/2/subject-matter-experts/user-groups",
            ADMIN,
            Some("[1]"),
            "a group id",
        ),
        row(
            sme_groups,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts/user-groups",
            ADMIN,
            Some("[1]"),
            "a site with SMEs disabled",
        ),
        row(
            sme_groups,
            400,
            "/api/v3/tags/2/subject-matter-experts/user-groups",
            ADMIN,
            Some(r#"{"not": "an array"}"#),
            "a body that is not an array",
        ),
        row(
            sme_user_del,
            204,
            "/api/v3/tags/1/subject-matter-experts/users/12",
            ADMIN,
            None,
            "an SME of the tag",
        ),
        row(
            sme_user_del,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts/users/1",
            ADMIN,
            None,
            "a site with SMEs disabled",
        ),
        row(
            sme_user_del,
            400,
            "/api/v3/tags/1/subject-matter-experts/users/abc",
            ADMIN,
            None,
            "a non-numeric user id",
        ),
        row(
            sme_group_del,
            204,
            "/api/v3/tags/1/subject-matter-experts/user-groups/1",
            ADMIN,
            None,
            "an SME group of the tag",
        ),
        row(
            sme_group_del,
            422,
            "/api/v3/teams/platform/tags/1/subject-matter-experts/user-groups/1",
            ADMIN,
            None,
            "a site with SMEs disabled",
        ),
        row(
            sme_group_del,
            400,
            "/api/v3/tags/1/subject-matter-experts/user-groups/0",
            ADMIN,
            None,
            "a group id below 1",
        ),
    ];
    rows.extend(auth_rows!(tags, "/api/v3/tags"));
    rows.extend(auth_rows!(tag, "/api/v3/tags/1"));
    rows.extend(auth_rows!(watchers, "/api/v3/tags/1/tag-watchers"));
    rows.extend(auth_rows!(smes, "/api/v3/tags/1/subject-matter-experts"));
    let smes_body = Some(r#"{"userIds": [], "userGroupIds": []}"#);
    rows.extend(write_auth_rows!(
        smes_put,
        "/api/v3/tags/1/subject-matter-experts",
        smes_body
    ));
    rows.extend(write_auth_rows!(
        sme_users,
        "/api/v3/tags/1/subject-matter-experts/users",
        Some("[1]")
    ));
    rows.extend(write_auth_rows!(
        sme_groups,
        "/api/v3/tags/1/subject-matter-experts/user-groups",
        Some("[1]")
    ));
    rows.extend(write_auth_rows!(
        sme_user_del,
        "/api/v3/tags/1/subject-matter-experts/users/12",
        None
    ));
    rows.extend(write_auth_rows!(
        sme_group_del,
        "/api/v3/tags/1/subject-matter-experts/user-groups/1",
        None
    ));
    rows
}
