//! Every status code the official excerpt declares is reachable (contract §3): for each
//! operation and each declared code, a row gives the input or state that produces it, without
//! fault injection (except the 500 of `POST /user-groups` and the 500 and 503 of `GET /search`,
//! which only a fault produces; the 429s come from rate-limit enforcement switched on), and the
//! test asserts it on a fresh
//! server. The rows run on the main shape (`/api/v3`), the 422s on a private team whose SMEs
//! are disabled; the extra codes of the team shapes are covered by `v3_auth`. Every response
//! also passes the shared spec check.

use serde_json::json;

use super::{DOC, pending, upstream_ops};
use crate::helpers::*;

/// The state a row needs besides the default fixtures.
#[derive(Clone, Copy)]
enum State {
    Default,
    /// A `service` token (`svc`) whose owner is not a user of the main site.
    ServiceTokenOfNonUser,
    /// A one-shot fault injected with the `X-Mock-Fault` header (control API, issue 5).
    Fault(&'static str),
    /// An image uploaded to the main site first; `{image}` in the row's path is its id.
    Image,
    /// An article by Ada (tag `rust`, editable by its owner only) and a collection of Ada's
    /// holding it, created through the API: a row's path names them `{article}` and
    /// `{collection}` ([`seed_content`]).
    Content,
    /// The default fixtures with the answers tests' content (`crate::answers::content_fixture`).
    Answers,
    /// The same, with answer 1002 accepted on question 1001.
    AcceptedAnswer,
    /// Calls made first on the default fixtures (a question to read, vote on, …). The `id` of
    /// the last one's answer replaces `{new}` in the row's path. A row whose setup calls an
    /// operation still PENDING is skipped until it lands.
    Setup(&'static [SetupCall]),
    /// Rate-limit enforcement on, and the row's token has spent its burst (50 calls) on the
    /// row's path.
    BurstSpent,
}

/// A setup call: method, path, token and JSON body.
type SetupCall = (&'static str, &'static str, &'static str, &'static str);

/// Ada (an admin of main) asks a question.
const ASK: SetupCall = (
    "POST",
    "/api/v3/questions",
    "ada-rw",
    r#"{"title": "Conformance", "body": "A question", "tags": ["rust"]}"#,
);
/// Bob (a member) asks a question, so that Ada may vote on it.
const BOB_ASKS: SetupCall = (
    "POST",
    "/api/v3/questions",
    "bob-rw",
    r#"{"title": "Conformance", "body": "Bob's question", "tags": ["rust"]}"#,
);
/// Ada writes an article.
const ARTICLE: SetupCall = (
    "POST",
    "/api/v3/articles",
    "ada-rw",
    r#"{"title": "Guide", "body": "See the question.", "tags": ["rust"], "type": "knowledgeArticle", "permissions": {"editableBy": "ownerOnly"}}"#,
);

struct Row {
    /// The excerpt operation: method and main-form path template.
    op: (&'static str, &'static str),
    status: u16,
    path: &'static str,
    token: Option<&'static str>,
    body: Option<&'static str>,
    /// The body's content type (`application/json` unless a row says otherwise).
    content_type: &'static str,
    state: State,
    how: &'static str,
}

const fn row(
    op: (&'static str, &'static str),
    status: u16,
    path: &'static str,
    token: Option<&'static str>,
    body: Option<&'static str>,
    how: &'static str,
) -> Row {
    Row {
        op,
        status,
        path,
        token,
        body,
        content_type: "application/json",
        state: State::Default,
        how,
    }
}

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

/// A GIF as far as its signature goes: the upload reads the format from the first bytes.
const GIF: &str = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";

const ADMIN: Option<&str> = Some("ada-rw");
const READ_ONLY: Option<&str> = Some("ada-ro");
const DEACTIVATED: Option<&str> = Some("cy-rw");
const NONE: Option<&str> = None;

/// The header of issue 5's one-shot fault that makes the next request answer 500.
const FAULT_500: &str = "status=500";

/// A read route's 401 (no token) and 403 (owner deactivated).
macro_rules! auth_rows {
    ($op:expr, $path:expr) => {
        [
            row($op, 401, $path, NONE, None, "no Authorization header"),
            row(
                $op,
                403,
                $path,
                DEACTIVATED,
                None,
                "the token owner is deactivated",
            ),
        ]
    };
}

/// A write route's 401 (no token) and 403 (read-only token).
macro_rules! write_auth_rows {
    ($op:expr, $path:expr, $body:expr) => {
        [
            row($op, 401, $path, NONE, $body, "no Authorization header"),
            row(
                $op,
                403,
                $path,
                READ_ONLY,
                $body,
                "a read-only token writes",
            ),
        ]
    };
}

fn rows() -> Vec<Row> {
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
    rows.extend(community_and_image_rows());
    rows.extend(question_rows());
    rows.extend(auth_rows!(tags, "/api/v3/tags"));
    rows.extend(auth_rows!(tag, "/api/v3/tags/1"));
    rows.extend(auth_rows!(watchers, "/api/v3/tags/1/tag-watchers"));
    rows.extend(auth_rows!(smes, "/api/v3/tags/1/subject-matter-experts"));
    rows.extend(auth_rows!(groups, "/api/v3/user-groups"));
    rows.extend(auth_rows!(group, "/api/v3/user-groups/1"));
    rows.extend(auth_rows!(users, "/api/v3/users"));
    rows.extend(auth_rows!(user, "/api/v3/users/1"));
    rows.extend(auth_rows!(me, "/api/v3/users/me"));
    rows.extend(auth_rows!(watched, "/api/v3/users/1/watched-tags"));
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
    rows.extend(search_rows());
    rows.extend(answer_rows());
    rows.extend(content_rows());
    rows
}

/// `GET /search`: every declared status, 500 and 503 by fault injection only.
fn search_rows() -> Vec<Row> {
    let search = ("GET", "/search");
    let mut rows = vec![
        row(
            search,
            200,
            "/api/v3/search?query=is:question",
            READ_ONLY,
            None,
            "a read-only token searches",
        ),
        row(
            search,
            400,
            "/api/v3/search?query=score:high",
            ADMIN,
            None,
            "an operator with a value it does not take",
        ),
        Row {
            state: State::BurstSpent,
            ..row(
                search,
                429,
                "/api/v3/search?query=x",
                ADMIN,
                None,
                "rate limits enforced, the burst spent",
            )
        },
    ];
    for (status, spec) in [(500, FAULT_500), (503, "status=503")] {
        rows.push(Row {
            state: State::Fault(spec),
            ..row(
                search,
                status,
                "/api/v3/search?query=x",
                ADMIN,
                None,
                "fault injection: X-Mock-Fault",
            )
        });
    }
    rows.extend(auth_rows!(search, "/api/v3/search"));
    rows
}

/// Communities (main site only), images and Stacky.
fn community_and_image_rows() -> Vec<Row> {
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

/// The answers operations (issue 17) on the answers tests' content (`crate::answers`):
/// question 1001 by Bob, its answers 1002 (with comments) and 1004 (by user 7, `u7-rw`),
/// deleted answer 1006, question 1030.
fn answer_rows() -> Vec<Row> {
    let ans = |r: Row| Row {
        state: State::Answers,
        ..r
    };
    let list = ("GET", "/questions/{questionId}/answers");
    let create = ("POST", "/questions/{questionId}/answers");
    let get = ("GET", "/questions/{questionId}/answers/{answerId}");
    let put = ("PUT", "/questions/{questionId}/answers/{answerId}");
    let delete = ("DELETE", "/questions/{questionId}/answers/{answerId}");
    let options = (
        "GET",
        "/questions/{questionId}/answers/{answerId}/flags/options",
    );
    let flag = ("POST", "/questions/{questionId}/answers/{answerId}/flags");
    let comments = ("GET", "/questions/{questionId}/answers/{answerId}/comments");
    let body = Some(r#"{"body": "An answer."}"#);
    let spam = Some(r#"{"optionId": 1}"#);
    let one = "/api/v3/questions/1001/answers/1004";
    let mut rows = vec![
        ans(row(
            list,
            200,
            "/api/v3/questions/1001/answers",
            ADMIN,
            None,
            "a question",
        )),
        ans(row(
            list,
            404,
            "/api/v3/questions/999/answers",
            ADMIN,
            None,
            "an unknown question",
        )),
        ans(row(
            list,
            400,
            "/api/v3/questions/1001/answers?sort=votes",
            ADMIN,
            None,
            "an unknown sort",
        )),
        ans(row(
            create,
            201,
            "/api/v3/questions/1001/answers",
            ADMIN,
            body,
            "an answer",
        )),
        ans(row(
            create,
            400,
            "/api/v3/questions/1001/answers",
            ADMIN,
            Some(r#"{"body": "x", "extra": 1}"#),
            "a field AnswerRequestModel does not have",
        )),
        ans(row(get, 200, one, ADMIN, None, "an answer")),
        ans(row(
            get,
            404,
            "/api/v3/questions/1030/answers/1004",
            ADMIN,
            None,
            "an answer of another question",
        )),
        ans(row(
            get,
            400,
            "/api/v3/questions/1001/answers/abc",
            ADMIN,
            None,
            "a non-numeric answer id",
        )),
        ans(row(put, 200, one, ADMIN, body, "an admin edits")),
        ans(row(
            put,
            400,
            one,
            ADMIN,
            Some("{}"),
            "the required body is missing",
        )),
        ans(row(
            put,
            403,
            one,
            Some("bob-rw"),
            body,
            "not the owner (not-post-owner)",
        )),
        ans(row(delete, 204, one, ADMIN, None, "an admin deletes")),
        ans(row(
            delete,
            404,
            "/api/v3/questions/1001/answers/1006",
            Some("bob-rw"),
            None,
            "a deleted answer",
        )),
        ans(row(
            delete,
            400,
            "/api/v3/questions/1001/answers/0",
            ADMIN,
            None,
            "an answer id below 1",
        )),
        ans(row(
            options,
            200,
            "/api/v3/questions/1001/answers/1004/flags/options",
            ADMIN,
            None,
            "an answer",
        )),
        ans(row(
            options,
            404,
            "/api/v3/questions/1001/answers/999/flags/options",
            ADMIN,
            None,
            "an unknown answer",
        )),
        ans(row(
            options,
            400,
            "/api/v3/questions/x/answers/1004/flags/options",
            ADMIN,
            None,
            "a non-numeric question id",
        )),
        ans(row(
            flag,
            200,
            "/api/v3/questions/1001/answers/1004/flags",
            ADMIN,
            spam,
            "spam",
        )),
        ans(row(
            flag,
            400,
            "/api/v3/questions/1001/answers/1004/flags",
            ADMIN,
            Some(r#"{"optionId": 10}"#),
            "an option of the question dialog (Unable to add flag)",
        )),
        ans(row(
            flag,
            404,
            "/api/v3/questions/1001/answers/999/flags",
            ADMIN,
            spam,
            "an unknown answer",
        )),
        ans(row(
            comments,
            200,
            "/api/v3/questions/1001/answers/1002/comments",
            ADMIN,
            None,
            "an answer with comments",
        )),
        ans(row(
            comments,
            404,
            "/api/v3/questions/1001/answers/999/comments",
            ADMIN,
            None,
            "an unknown answer",
        )),
        ans(row(
            comments,
            400,
            "/api/v3/questions/1001/answers/abc/comments",
            ADMIN,
            None,
            "a non-numeric answer id",
        )),
        Row {
            state: State::AcceptedAnswer,
            ..row(
                (
                    "DELETE",
                    "/questions/{questionId}/answers/{answerId}/accept",
                ),
                200,
                "/api/v3/questions/1001/answers/1002/accept",
                Some("bob-rw"),
                None,
                "the accepted answer, by the asker",
            )
        },
    ];
    // The acts: (method, template, [on 1004, on an unknown answer, on a bad id], who succeeds).
    const ACTS: [(&str, &str, [&str; 3], &str); 6] = [
        (
            "POST",
            "/questions/{questionId}/answers/{answerId}/upvote",
            [
                "/api/v3/questions/1001/answers/1004/upvote",
                "/api/v3/questions/1001/answers/999/upvote",
                "/api/v3/questions/1001/answers/abc/upvote",
            ],
            "ada-rw",
        ),
        (
            "DELETE",
            "/questions/{questionId}/answers/{answerId}/upvote",
            [
                "/api/v3/questions/1001/answers/1004/upvote",
                "/api/v3/questions/1001/answers/999/upvote",
                "/api/v3/questions/1001/answers/abc/upvote",
            ],
            "ada-rw",
        ),
        (
            "POST",
            "/questions/{questionId}/answers/{answerId}/downvote",
            [
                "/api/v3/questions/1001/answers/1004/downvote",
                "/api/v3/questions/1001/answers/999/downvote",
                "/api/v3/questions/1001/answers/abc/downvote",
            ],
            "ada-rw",
        ),
        (
            "DELETE",
            "/questions/{questionId}/answers/{answerId}/downvote",
            [
                "/api/v3/questions/1001/answers/1004/downvote",
                "/api/v3/questions/1001/answers/999/downvote",
                "/api/v3/questions/1001/answers/abc/downvote",
            ],
            "ada-rw",
        ),
        (
            "POST",
            "/questions/{questionId}/answers/{answerId}/accept",
            [
                "/api/v3/questions/1001/answers/1004/accept",
                "/api/v3/questions/1001/answers/999/accept",
                "/api/v3/questions/1001/answers/abc/accept",
            ],
            "bob-rw",
        ),
        (
            "DELETE",
            "/questions/{questionId}/answers/{answerId}/accept",
            [
                "/api/v3/questions/1001/answers/1004/accept",
                "/api/v3/questions/1001/answers/999/accept",
                "/api/v3/questions/1001/answers/abc/accept",
            ],
            "",
        ),
    ];
    for (method, template, [at, unknown, bad], who) in ACTS {
        let op = (method, template);
        if !who.is_empty() {
            rows.push(ans(row(op, 200, at, Some(who), None, "a user of the site")));
        }
        rows.push(ans(row(op, 404, unknown, ADMIN, None, "an unknown answer")));
        rows.push(ans(row(
            op,
            400,
            bad,
            ADMIN,
            None,
            "a non-numeric answer id",
        )));
        rows.push(ans(row(
            op,
            403,
            at,
            Some("u7-rw"),
            None,
            "the answer's owner (own-post), or not the asker (not-post-owner)",
        )));
        rows.extend(write_auth_rows!(op, at, None));
    }
    rows.extend(auth_rows!(list, "/api/v3/questions/1001/answers"));
    rows.extend(auth_rows!(get, one));
    rows.extend(auth_rows!(
        options,
        "/api/v3/questions/1001/answers/1004/flags/options"
    ));
    rows.extend(auth_rows!(
        comments,
        "/api/v3/questions/1001/answers/1004/comments"
    ));
    rows.extend(write_auth_rows!(
        create,
        "/api/v3/questions/1001/answers",
        body
    ));
    rows.extend(write_auth_rows!(put, one, body));
    rows.extend(write_auth_rows!(delete, one, None));
    rows.extend(write_auth_rows!(
        flag,
        "/api/v3/questions/1001/answers/1004/flags",
        spam
    ));
    rows
}

/// The rows of the questions' operations, of their comments and of an article's linked
/// questions (issue 17).
fn question_rows() -> Vec<Row> {
    let list = ("GET", "/questions");
    let ask = ("POST", "/questions");
    let get = ("GET", "/questions/{questionId}");
    let put = ("PUT", "/questions/{questionId}");
    let delete = ("DELETE", "/questions/{questionId}");
    let linked = ("GET", "/questions/{questionId}/linked");
    let related = ("GET", "/questions/{questionId}/related");
    let options = ("GET", "/questions/{questionId}/flags/options");
    let flag = ("POST", "/questions/{questionId}/flags");
    let comments = ("GET", "/questions/{questionId}/comments");
    let article_linked = ("GET", "/articles/{articleId}/linked-questions");
    let votes = [
        (("POST", "/questions/{questionId}/upvote"), "upvote"),
        (("DELETE", "/questions/{questionId}/upvote"), "upvote"),
        (("POST", "/questions/{questionId}/downvote"), "downvote"),
        (("DELETE", "/questions/{questionId}/downvote"), "downvote"),
    ];
    let bookmark = ("POST", "/questions/{questionId}/bookmark");
    let unbookmark = ("DELETE", "/questions/{questionId}/bookmark");
    let body = Some(r#"{"title": "How?", "body": "Like this.", "tags": ["rust"]}"#);
    let after = |setup: &'static [SetupCall], r: Row| Row {
        state: State::Setup(setup),
        ..r
    };
    let mut rows = vec![
        row(list, 200, "/api/v3/questions", ADMIN, None, "a valid token"),
        row(
            list,
            400,
            "/api/v3/questions?tagId=rust",
            ADMIN,
            None,
            "a tag id that is not a number",
        ),
        row(ask, 201, "/api/v3/questions", ADMIN, body, "a new question"),
        row(
            ask,
            400,
            "/api/v3/questions",
            ADMIN,
            Some(r#"{"body": "no title", "tags": ["rust"]}"#),
            "the required title is missing",
        ),
        after(
            &[ASK],
            row(
                get,
                200,
                "/api/v3/questions/{new}",
                ADMIN,
                None,
                "a question",
            ),
        ),
        row(
            get,
            404,
            "/api/v3/questions/999999",
            ADMIN,
            None,
            "an unknown question",
        ),
        row(
            get,
            400,
            "/api/v3/questions/abc",
            ADMIN,
            None,
            "a non-numeric question id",
        ),
        after(
            &[ASK],
            row(
                put,
                200,
                "/api/v3/questions/{new}",
                ADMIN,
                body,
                "the owner replaces it",
            ),
        ),
        after(
            &[ASK],
            row(
                put,
                400,
                "/api/v3/questions/{new}",
                ADMIN,
                Some(r#"{"title": "", "body": "b", "tags": ["rust"]}"#),
                "a blank title",
            ),
        ),
        after(
            &[ASK],
            row(
                delete,
                204,
                "/api/v3/questions/{new}",
                ADMIN,
                None,
                "the owner deletes it",
            ),
        ),
        row(
            delete,
            404,
            "/api/v3/questions/999999",
            ADMIN,
            None,
            "an unknown question",
        ),
        row(
            delete,
            400,
            "/api/v3/questions/0",
            ADMIN,
            None,
            "a question id below 1",
        ),
        after(
            &[ASK],
            row(
                flag,
                200,
                "/api/v3/questions/{new}/flags",
                ADMIN,
                Some(r#"{"optionId": 1}"#),
                "a spam flag",
            ),
        ),
        after(
            &[ASK],
            row(
                flag,
                400,
                "/api/v3/questions/{new}/flags",
                ADMIN,
                Some(r#"{"optionId": 10}"#),
                "a heading of the flag dialog: unable to add flag",
            ),
        ),
        row(
            flag,
            404,
            "/api/v3/questions/999999/flags",
            ADMIN,
            Some(r#"{"optionId": 1}"#),
            "an unknown question",
        ),
        after(
            &[ASK],
            row(
                bookmark,
                201,
                "/api/v3/questions/{new}/bookmark",
                ADMIN,
                None,
                "a question",
            ),
        ),
        after(
            &[ASK],
            row(
                unbookmark,
                200,
                "/api/v3/questions/{new}/bookmark",
                ADMIN,
                None,
                "a question",
            ),
        ),
        after(
            &[ARTICLE],
            row(
                article_linked,
                200,
                "/api/v3/articles/{new}/linked-questions",
                ADMIN,
                None,
                "an article",
            ),
        ),
        row(
            article_linked,
            404,
            "/api/v3/articles/999999/linked-questions",
            ADMIN,
            None,
            "an unknown article",
        ),
        row(
            article_linked,
            400,
            "/api/v3/articles/abc/linked-questions",
            ADMIN,
            None,
            "a non-numeric article id",
        ),
    ];
    rows.extend(auth_rows!(list, "/api/v3/questions"));
    rows.extend(write_auth_rows!(ask, "/api/v3/questions", body));
    rows.extend(auth_rows!(
        article_linked,
        "/api/v3/articles/1/linked-questions"
    ));
    rows.extend(auth_rows!(get, "/api/v3/questions/1"));
    // The reads of one question's neighbours: 200 on a question, 404, 400, 401, 403.
    for (op, rest) in [
        (linked, "linked"),
        (related, "related"),
        (options, "flags/options"),
        (comments, "comments"),
    ] {
        rows.push(after(
            &[ASK],
            row(
                op,
                200,
                at(format!("/api/v3/questions/{{new}}/{rest}")),
                ADMIN,
                None,
                "a question",
            ),
        ));
        rows.push(row(
            op,
            404,
            at(format!("/api/v3/questions/999999/{rest}")),
            ADMIN,
            None,
            "an unknown question",
        ));
        rows.push(row(
            op,
            400,
            at(format!("/api/v3/questions/abc/{rest}")),
            ADMIN,
            None,
            "a non-numeric question id",
        ));
        rows.extend(auth_rows!(op, at(format!("/api/v3/questions/1/{rest}"))));
    }
    for (op, path, body) in [
        (put, "/api/v3/questions/1", body),
        (delete, "/api/v3/questions/1", None),
        (
            flag,
            "/api/v3/questions/1/flags",
            Some(r#"{"optionId": 1}"#),
        ),
        (bookmark, "/api/v3/questions/1/bookmark", None),
        (unbookmark, "/api/v3/questions/1/bookmark", None),
    ] {
        rows.extend(write_auth_rows!(op, path, body));
    }
    for op in [bookmark, unbookmark] {
        rows.push(row(
            op,
            404,
            "/api/v3/questions/999999/bookmark",
            ADMIN,
            None,
            "an unknown question",
        ));
        rows.push(row(
            op,
            400,
            "/api/v3/questions/abc/bookmark",
            ADMIN,
            None,
            "a non-numeric question id",
        ));
    }
    // The votes: Ada votes on Bob's question; on her own, 403 own-post.
    for (op, rest) in votes {
        rows.push(after(
            &[BOB_ASKS],
            row(
                op,
                200,
                at(format!("/api/v3/questions/{{new}}/{rest}")),
                ADMIN,
                None,
                "Bob's question",
            ),
        ));
        rows.push(after(
            &[ASK],
            row(
                op,
                403,
                at(format!("/api/v3/questions/{{new}}/{rest}")),
                ADMIN,
                None,
                "a vote on one's own question (own-post)",
            ),
        ));
        rows.push(row(
            op,
            404,
            at(format!("/api/v3/questions/999999/{rest}")),
            ADMIN,
            None,
            "an unknown question",
        ));
        rows.push(row(
            op,
            400,
            at(format!("/api/v3/questions/abc/{rest}")),
            ADMIN,
            None,
            "a non-numeric question id",
        ));
        rows.push(row(
            op,
            401,
            at(format!("/api/v3/questions/1/{rest}")),
            NONE,
            None,
            "no Authorization header",
        ));
    }
    rows
}

/// A row path built at run time (the table lives for the test; a few short strings).
fn at(path: String) -> &'static str {
    Box::leak(path.into_boxed_str())
}

/// Whether a concrete path is an instance of `/api/v3` or `/api/v3/teams/{team}` + `template`.
fn instance_of(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let rest = match path.strip_prefix("/api/v3/teams/") {
        Some(r) => &r[r.find('/').unwrap_or(r.len())..],
        None => path.strip_prefix("/api/v3").unwrap_or_default(),
    };
    let (a, b): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), rest.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
}

async fn app_for(state: State) -> TestApp {
    match state {
        State::Default
        | State::Fault(_)
        | State::Image
        | State::Content
        | State::Setup(_)
        | State::BurstSpent => spawn_app().await,
        State::Answers => crate::answers::content_app().await,
        State::AcceptedAnswer => {
            let mut fixture = crate::answers::content_fixture();
            let main = fixture["sites"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|s| s["slug"] == "main")
                .unwrap();
            main["questions"][0]["acceptedAnswerId"] = json!(1002);
            spawn_app_with(&fixture).await
        }
        State::ServiceTokenOfNonUser => {
            let mut fixture: serde_json::Value = serde_json::from_str(include_str!(
                "../../../../fixtures/default/00-accounts.json"
            ))
            .unwrap();
            fixture["sites"] = json!([{ "slug": "main", "kind": "enterprise", "name": "Main",
                "users": [{ "id": 1, "accountId": 1001, "role": "Admin" }] }]);
            fixture["tokens"] = json!([{ "token": "svc", "accountId": 1002, "kind": "service",
                "scope": "main", "write": false, "expiresAt": null }]);
            spawn_app_with(&fixture).await
        }
    }
}

/// Creates [`State::Content`]'s article and collection and answers `path` with their ids.
async fn seed_content(app: &TestApp, path: &str) -> String {
    let article = app
        .post("/api/v3/articles")
        .token("ada-rw")
        .json(
            &json!({"title": "Conformance", "body": "Body", "tags": ["rust"],
            "type": "knowledgeArticle", "permissions": {"editableBy": "ownerOnly"}}),
        )
        .send()
        .await
        .ok_json(201)["id"]
        .clone();
    let collection = app
        .post("/api/v3/collections")
        .token("ada-rw")
        .json(&json!({"title": "Conformance", "contentIds": [article]}))
        .send()
        .await
        .ok_json(201)["id"]
        .clone();
    path.replace("{article}", &article.to_string())
        .replace("{collection}", &collection.to_string())
}

/// A row that runs on [`State::Content`].
const fn content_row(
    op: (&'static str, &'static str),
    status: u16,
    path: &'static str,
    token: Option<&'static str>,
    body: Option<&'static str>,
    how: &'static str,
) -> Row {
    Row {
        state: State::Content,
        ..row(op, status, path, token, body, how)
    }
}

/// The rows of articles and collections (issue 17).
fn content_rows() -> Vec<Row> {
    let articles = ("GET", "/articles");
    let article_new = ("POST", "/articles");
    let article = ("GET", "/articles/{articleId}");
    let article_put = ("PUT", "/articles/{articleId}");
    let article_del = ("DELETE", "/articles/{articleId}");
    let upvote = ("POST", "/articles/{articleId}/upvote");
    let upvote_del = ("DELETE", "/articles/{articleId}/upvote");
    let comments = ("GET", "/articles/{articleId}/comments");
    let collections = ("GET", "/collections");
    let collection_new = ("POST", "/collections");
    let collection = ("GET", "/collections/{collectionId}");
    let collection_put = ("PUT", "/collections/{collectionId}");
    let collection_del = ("DELETE", "/collections/{collectionId}");
    let article_body = Some(
        r#"{"title": "T", "body": "B", "tags": ["rust"], "type": "policy", "permissions": {}}"#,
    );
    let collection_body = Some(r#"{"title": "Reading list"}"#);
    let a = "/api/v3/articles/{article}";
    let c = "/api/v3/collections/{collection}";
    let mut rows = vec![
        row(
            articles,
            200,
            "/api/v3/articles",
            ADMIN,
            None,
            "a valid token",
        ),
        row(
            articles,
            400,
            "/api/v3/articles?tagId=rust",
            ADMIN,
            None,
            "a tagId that is not a number",
        ),
        row(
            article_new,
            201,
            "/api/v3/articles",
            ADMIN,
            article_body,
            "a new article",
        ),
        row(
            article_new,
            400,
            "/api/v3/articles",
            ADMIN,
            Some("{}"),
            "the required fields are missing",
        ),
        content_row(article, 200, a, ADMIN, None, "an existing article"),
        row(
            article,
            404,
            "/api/v3/articles/999999",
            ADMIN,
            None,
            "an unknown article",
        ),
        row(
            article,
            400,
            "/api/v3/articles/abc",
            ADMIN,
            None,
            "a non-numeric article id",
        ),
        content_row(
            article_put,
            200,
            a,
            ADMIN,
            article_body,
            "its owner replaces it",
        ),
        content_row(
            article_put,
            400,
            a,
            ADMIN,
            Some(r#"{"title": "T"}"#),
            "required fields are missing",
        ),
        content_row(
            article_put,
            403,
            a,
            Some("bob-rw"),
            article_body,
            "an owner-only article edited by someone else",
        ),
        content_row(article_del, 204, a, ADMIN, None, "its owner deletes it"),
        row(
            article_del,
            404,
            "/api/v3/articles/999999",
            ADMIN,
            None,
            "an unknown article",
        ),
        row(
            article_del,
            400,
            "/api/v3/articles/0",
            ADMIN,
            None,
            "an article id below 1",
        ),
        content_row(
            upvote,
            200,
            "/api/v3/articles/{article}/upvote",
            Some("bob-rw"),
            None,
            "another user upvotes",
        ),
        row(
            upvote,
            404,
            "/api/v3/articles/999999/upvote",
            Some("bob-rw"),
            None,
            "an unknown article",
        ),
        row(
            upvote,
            400,
            "/api/v3/articles/x/upvote",
            Some("bob-rw"),
            None,
            "a non-numeric id",
        ),
        content_row(
            upvote,
            403,
            "/api/v3/articles/{article}/upvote",
            ADMIN,
            None,
            "the owner upvotes their own article",
        ),
        content_row(
            upvote_del,
            200,
            "/api/v3/articles/{article}/upvote",
            Some("bob-rw"),
            None,
            "a user without an upvote (nothing to take back)",
        ),
        row(
            upvote_del,
            404,
            "/api/v3/articles/999999/upvote",
            Some("bob-rw"),
            None,
            "an unknown article",
        ),
        row(
            upvote_del,
            400,
            "/api/v3/articles/x/upvote",
            Some("bob-rw"),
            None,
            "a non-numeric id",
        ),
        content_row(
            comments,
            200,
            "/api/v3/articles/{article}/comments",
            ADMIN,
            None,
            "an existing article",
        ),
        row(
            comments,
            404,
            "/api/v3/articles/999999/comments",
            ADMIN,
            None,
            "an unknown article",
        ),
        row(
            comments,
            400,
            "/api/v3/articles/x/comments",
            ADMIN,
            None,
            "a non-numeric id",
        ),
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
    rows.extend(auth_rows!(articles, "/api/v3/articles"));
    rows.extend(auth_rows!(article, "/api/v3/articles/1"));
    rows.extend(auth_rows!(comments, "/api/v3/articles/1/comments"));
    rows.extend(auth_rows!(collections, "/api/v3/collections"));
    rows.extend(auth_rows!(collection, "/api/v3/collections/1"));
    rows.extend(write_auth_rows!(
        article_new,
        "/api/v3/articles",
        article_body
    ));
    rows.extend(write_auth_rows!(
        article_put,
        "/api/v3/articles/1",
        article_body
    ));
    rows.extend(write_auth_rows!(article_del, "/api/v3/articles/1", None));
    rows.extend(write_auth_rows!(upvote, "/api/v3/articles/1/upvote", None));
    rows.extend(write_auth_rows!(
        upvote_del,
        "/api/v3/articles/1/upvote",
        None
    ));
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

/// Makes a row's setup calls, each of which must succeed, and answers the `id` of the last
/// one's answer.
async fn set_up(app: &TestApp, calls: &[SetupCall]) -> String {
    let mut id = String::new();
    for (method, path, token, body) in calls {
        let res = app
            .call(method.parse().unwrap(), path)
            .token(token)
            .body("application/json", body.to_string())
            .send()
            .await;
        assert!(
            (200..300).contains(&res.status),
            "setup {method} {path}: {} {}",
            res.status,
            res.text
        );
        id = res.json()["id"].to_string();
    }
    id
}

/// Whether the control API of issue 5 (fault injection) is served.
fn fault_injection_landed() -> bool {
    DOC["paths"]
        .as_object()
        .unwrap()
        .keys()
        .any(|p| p.starts_with("/__admin"))
}

#[test]
fn the_table_covers_every_status_of_every_operation_of_the_excerpt() {
    let rows = rows();
    let mut missing = Vec::new();
    for (method, path, up) in upstream_ops() {
        if pending(method, path).is_some() {
            continue;
        }
        for status in up["responses"].as_object().unwrap().keys() {
            let status: u16 = status.parse().unwrap();
            if !rows
                .iter()
                .any(|r| r.op == (method, path) && r.status == status)
            {
                missing.push(format!("{method} {path} → {status}"));
            }
        }
    }
    assert!(missing.is_empty(), "no row reaches: {missing:#?}");
    for r in &rows {
        let (method, path) = r.op;
        let up = upstream_ops().find(|(m, p, _)| (*m, *p) == (method, path));
        let up = up.unwrap_or_else(|| panic!("row for {method} {path}: not an excerpt operation"));
        assert!(
            up.2["responses"].get(r.status.to_string()).is_some(),
            "row {method} {path} → {}: the excerpt does not declare it",
            r.status
        );
        assert!(
            instance_of(path, r.path),
            "row {method} {path}: {} is not an instance of it",
            r.path
        );
    }
}

#[tokio::test]
async fn every_status_the_excerpt_declares_is_reachable() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for r in rows() {
        let (method, template) = r.op;
        if let Some(issue) = pending(method, template) {
            eprintln!(
                "status: {method} {template} → {} skipped, pending ({issue})",
                r.status
            );
            continue;
        }
        if let State::Fault(_) = r.state
            && !fault_injection_landed()
        {
            eprintln!(
                "status: {method} {template} → {} skipped, fault injection pending (issue 5)",
                r.status
            );
            continue;
        }
        if let State::Setup(calls) = r.state
            && let Some((m, p, ..)) = calls
                .iter()
                .find(|(m, p, ..)| pending(m, p.trim_start_matches("/api/v3")).is_some())
        {
            eprintln!(
                "status: {method} {template} → {} skipped: its setup calls {m} {p}, pending",
                r.status
            );
            continue;
        }
        let app = app_for(r.state).await;
        if let State::BurstSpent = r.state {
            app.put("/__admin/rate-limits")
                .json(&json!({"enforced": true}))
                .send()
                .await
                .expect(200);
            for _ in 0..50 {
                let mut spend = app.call(method.parse().unwrap(), r.path);
                if let Some(t) = r.token {
                    spend = spend.token(t);
                }
                spend.send().await;
            }
        }
        let path = match r.state {
            State::Image => {
                let uploaded = app
                    .post("/api/v3/images/upload")
                    .token("ada-rw")
                    .body("img/gif", GIF)
                    .send()
                    .await
                    .ok_json(200);
                r.path.replace("{image}", uploaded["id"].as_str().unwrap())
            }
            State::Content => seed_content(&app, r.path).await,
            State::Setup(calls) => r.path.replace("{new}", &set_up(&app, calls).await),
            _ => r.path.to_string(),
        };
        let mut call = app.call(method.parse().unwrap(), &path);
        if let Some(t) = r.token {
            call = call.token(t);
        }
        if let Some(b) = r.body {
            call = call.body(r.content_type, b.to_string());
        }
        if let State::Fault(spec) = r.state {
            call = call.header("x-mock-fault", spec);
        }
        let res = call.send().await;
        ran += 1;
        if res.status != r.status {
            failures.push(format!(
                "{method} {path} ({}): expected {}, got {}: {}",
                r.how, r.status, res.status, res.text
            ));
        }
    }
    eprintln!("status: {ran} rows ran");
    assert!(ran > 0, "no row ran");
    assert!(
        failures.is_empty(),
        "unreachable as described:\n  {}",
        failures.join("\n  ")
    );
}
