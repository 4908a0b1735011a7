//! The rows of the articles' operations: reads, writes, upvotes and comments, the writes on
//! the article that [`super::State::Content`] seeds.

use super::{ADMIN, DEACTIVATED, NONE, READ_ONLY, Row, content_row, row};

/// The rows of articles (issue 17).
pub(super) fn rows() -> Vec<Row> {
    let articles = ("GET", "/articles");
    let article_new = ("POST", "/articles");
    let article = ("GET", "/articles/{articleId}");
    let article_put = ("PUT", "/articles/{articleId}");
    let article_del = ("DELETE", "/articles/{articleId}");
    let upvote = ("POST", "/articles/{articleId}/upvote");
    let upvote_del = ("DELETE", "/articles/{articleId}/upvote");
    let comments = ("GET", "/articles/{articleId}/comments");
    let article_body = Some(
        r#"{"title": "T", "body": "B", "tags": ["rust"], "type": "policy", "permissions": {}}"#,
    );
    let a = "/api/v3/articles/{article}";
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
    ];
    rows.extend(auth_rows!(articles, "/api/v3/articles"));
    rows.extend(auth_rows!(article, "/api/v3/articles/1"));
    rows.extend(auth_rows!(comments, "/api/v3/articles/1/comments"));
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
    rows
}
