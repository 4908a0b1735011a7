//! The rows of the questions' operations, of their comments, votes, bookmarks and flags, and
//! of an article's linked questions; most run after setup calls that ask a question first.

use super::{ADMIN, DEACTIVATED, NONE, READ_ONLY, Row, SetupCall, State, row};

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

/// The rows of the questions' operations, of their comments and of an article's linked
/// questions (issue 17).
pub(super) fn rows() -> Vec<Row> {
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
