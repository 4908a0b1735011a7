//! The wire models of answers, and of the comments and flags of a post (shared in shape with
//! questions and articles): named and shaped exactly as the official schemas.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::list::{ListParams, SortParam};
use super::{SortOrder, UserSummaryResponseModel, sort_param};

sort_param!(
    /// `AnswersSortParameter`; default `score` (mock choice), each value descending by default.
    AnswersSortParameter { Score = "score" => Desc, Modified = "modified" => Desc, Creation = "creation" => Desc } default Score
);

/// The fields of `AnswerSummaryResponseModel`, written out once for the summary and the full
/// answer (`AnswerResponseModel` adds `bodyMarkdown`).
macro_rules! answer_model {
    ($(#[$doc:meta])* $name:ident { $($extra:tt)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Serialize, ToSchema)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            pub id: u32,
            pub question_id: u32,
            /// The body as sanitised HTML.
            pub body: String,
            pub score: i32,
            pub is_accepted: bool,
            pub is_deleted: bool,
            pub is_bookmarked: bool,
            pub is_followed: bool,
            #[schema(format = DateTime)]
            pub creation_date: String,
            /// Answers are never locked in the mock: always null.
            #[schema(nullable, format = DateTime)]
            pub locked_date: Option<String>,
            #[schema(nullable, format = DateTime)]
            pub last_edit_date: Option<String>,
            #[schema(nullable, format = DateTime)]
            pub last_activity_date: Option<String>,
            #[schema(nullable, format = DateTime)]
            pub deletion_date: Option<String>,
            pub owner: UserSummaryResponseModel,
            /// The last editor; the owner while the answer was never edited (mock choice: the
            /// schema does not allow null).
            pub last_editor: UserSummaryResponseModel,
            /// Who caused the last activity: the last editor, else the owner (mock choice).
            pub last_activity_user: UserSummaryResponseModel,
            pub comment_count: i32,
            #[schema(nullable)]
            pub web_url: Option<String>,
            #[schema(nullable)]
            pub share_link: Option<String>,
            pub user_can_follow: bool,
            pub can_be_followed: bool,
            pub is_subject_matter_expert: bool,
            $($extra)*
        }
    };
}

answer_model!(
    /// `AnswerSummaryResponseModel`: list items and the answers of accepts and votes.
    AnswerSummaryResponseModel {}
);
answer_model!(
    /// `AnswerResponseModel`: the summary plus the Markdown source.
    AnswerResponseModel {
        pub body_markdown: String,
    }
);

impl AnswerResponseModel {
    /// The full answer from its summary and its Markdown.
    pub fn of(s: AnswerSummaryResponseModel, body_markdown: String) -> Self {
        AnswerResponseModel {
            id: s.id,
            question_id: s.question_id,
            body: s.body,
            score: s.score,
            is_accepted: s.is_accepted,
            is_deleted: s.is_deleted,
            is_bookmarked: s.is_bookmarked,
            is_followed: s.is_followed,
            creation_date: s.creation_date,
            locked_date: s.locked_date,
            last_edit_date: s.last_edit_date,
            last_activity_date: s.last_activity_date,
            deletion_date: s.deletion_date,
            owner: s.owner,
            last_editor: s.last_editor,
            last_activity_user: s.last_activity_user,
            comment_count: s.comment_count,
            web_url: s.web_url,
            share_link: s.share_link,
            user_can_follow: s.user_can_follow,
            can_be_followed: s.can_be_followed,
            is_subject_matter_expert: s.is_subject_matter_expert,
            body_markdown,
        }
    }
}

/// `AnswerRequestModel` (POST and PUT of an answer). `body` is required and not blank; the
/// field is an option so the edge answers ASP.NET's 400 itself.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnswerRequestModel {
    /// Answer body. The main content of the answer in Markdown format.
    #[schema(required = true, value_type = String, min_length = 1, example = "This is a common answer to a common question.")]
    pub body: Option<String>,
}

/// `PaginatedAnswers`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaginatedAnswers {
    pub total_count: i32,
    pub page_size: i32,
    pub page: i32,
    pub total_pages: i32,
    pub sort: AnswersSortParameter,
    pub order: SortOrder,
    pub items: Vec<AnswerSummaryResponseModel>,
}

impl PaginatedAnswers {
    /// One page of `all` (already sorted), rendered with `render`.
    pub fn page<T>(
        all: &[T],
        p: &ListParams<AnswersSortParameter>,
        render: impl FnMut(&T) -> AnswerSummaryResponseModel,
    ) -> Self {
        PaginatedAnswers {
            total_count: all.len() as i32,
            page_size: p.page_size as i32,
            page: p.page as i32,
            total_pages: p.total_pages(all.len()) as i32,
            sort: p.sort,
            order: p.order,
            items: all[p.window(all.len())].iter().map(render).collect(),
        }
    }
}

/// One home for the post models the questions, answers and articles routes share.
pub use super::questions::{CommentResponseModel, FlagOptionResponseModel, FlagRequestModel};

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::PartialSchema;

    #[test]
    fn the_answers_sort_serialises_and_is_documented_by_its_wire_names() {
        for s in AnswersSortParameter::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
        }
        let schema = serde_json::to_value(AnswersSortParameter::schema()).unwrap();
        assert_eq!(
            schema["enum"],
            serde_json::json!(["score", "modified", "creation"])
        );
    }
}
