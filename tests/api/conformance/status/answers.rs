//! The rows of the answers' operations, with their acts (accept, votes, bookmarks) and
//! flags, on the answers tests' content.

use super::{ADMIN, DEACTIVATED, NONE, READ_ONLY, Row, State, row};

/// The answers operations (issue 17) on the answers tests' content (`crate::answers`):
/// question 1001 by Bob, its answers 1002 (with comments) and 1004 (by user 7, `u7-rw`),
/// deleted answer 1006, question 1030.
pub(super) fn rows() -> Vec<Row> {
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
