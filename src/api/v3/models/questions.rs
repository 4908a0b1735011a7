//! The wire models of questions, their comments and flags, named and shaped as the official
//! document's schemas. `FlagOptionResponseModel`, `FlagRequestModel`, `CommentResponseModel`
//! and the mention and bounty models are the answers' and articles' too: reuse them from here.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    CommunitySummaryResponseModel, SortOrder, TagSummaryResponseModel, UserSummaryResponseModel,
    paginated, sort_param,
};
use crate::api::v3::list::SortParam;

sort_param!(
    /// `QuestionSortParameter`; default `activity` (mock choice), most recent first.
    QuestionSortParameter { Activity = "activity" => Desc, Creation = "creation" => Desc, Score = "score" => Desc } default Activity
);
sort_param!(
    /// `LinkedOrRelatedQuestionsSortParameter`; default `hot` (mock choice). `hot` ranks related
    /// questions by the tags they share, then score, then activity; linked questions by score,
    /// then activity (docs/questions-and-answers.md).
    LinkedOrRelatedQuestionsSortParameter { Hot = "hot" => Desc, Creation = "creation" => Desc, Activity = "activity" => Desc, Score = "score" => Desc } default Hot
);

/// `BountyResponseModel`. The mock has no bounties: `bounty` is always null.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BountyResponseModel {
    pub amount: i32,
    #[schema(format = DateTime)]
    pub closes: String,
}

/// `MentionedUserResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentionedUserResponseModel {
    pub id: u32,
    pub name: String,
}

/// `MentionedUserGroupResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MentionedUserGroupResponseModel {
    pub id: u32,
    pub name: String,
    pub member_count: i32,
}

/// `QuestionSummaryResponseModel`: a question in a list (no Markdown, nothing caller-relative).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuestionSummaryResponseModel {
    pub id: u32,
    pub title: String,
    /// The rendered, sanitised HTML of the Markdown body.
    pub body: String,
    pub tags: Vec<TagSummaryResponseModel>,
    pub owner: UserSummaryResponseModel,
    /// Null until the question is edited.
    pub last_editor: Option<UserSummaryResponseModel>,
    #[schema(format = DateTime)]
    pub creation_date: String,
    #[schema(nullable, format = DateTime)]
    pub last_activity_date: Option<String>,
    pub score: i32,
    pub is_answered: bool,
    pub answer_count: i32,
    pub view_count: i32,
    pub web_url: String,
    pub share_url: String,
    pub is_deleted: bool,
    pub is_obsolete: bool,
    pub is_closed: bool,
    /// Always null: the mock has no bounties.
    pub bounty: Option<BountyResponseModel>,
}

/// `QuestionResponseModel`: the summary plus communities, the Markdown, mentions and what the
/// caller did to the question.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuestionResponseModel {
    pub communities: Vec<CommunitySummaryResponseModel>,
    pub id: u32,
    pub title: String,
    pub body: String,
    pub tags: Vec<TagSummaryResponseModel>,
    pub owner: UserSummaryResponseModel,
    pub last_editor: Option<UserSummaryResponseModel>,
    #[schema(format = DateTime)]
    pub creation_date: String,
    #[schema(nullable, format = DateTime)]
    pub last_activity_date: Option<String>,
    pub score: i32,
    pub is_answered: bool,
    pub answer_count: i32,
    pub view_count: i32,
    pub web_url: String,
    pub share_url: String,
    pub is_deleted: bool,
    pub is_obsolete: bool,
    pub is_closed: bool,
    pub bounty: Option<BountyResponseModel>,
    pub body_markdown: String,
    pub mentioned_users: Vec<MentionedUserResponseModel>,
    pub mentioned_user_groups: Vec<MentionedUserGroupResponseModel>,
    pub user_is_following: bool,
    pub user_has_upvoted: bool,
    pub user_has_downvoted: bool,
    pub user_has_bookmarked: bool,
}

/// `QuestionRequestModel` (POST and PUT `/questions…`): all three fields are required; `PUT`
/// replaces all three.
// The fields are options so the edge can tell "absent" from "wrong" and answer the 400 itself;
// the schema shows them as the official document declares them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuestionRequestModel {
    /// Question title, at most 150 characters.
    #[schema(required = true, value_type = String, min_length = 1, example = "How do I undo the most recent local commits in Git?")]
    pub title: Option<String>,
    /// Question body in Markdown, at most 30,000 characters.
    #[schema(required = true, value_type = String, min_length = 1, example = "I committed the wrong files to Git.")]
    pub body: Option<String>,
    /// Tag names: 1 to 5, each at most 35 characters of letters, digits and `+ # . -`; a name
    /// the site does not have yet creates the tag.
    #[schema(required = true, value_type = Vec<String>, example = json!(["git", "git-commit"]))]
    pub tags: Option<Vec<String>>,
}

/// `FlagOptionResponseModel`: one option of a post's flag dialog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlagOptionResponseModel {
    #[schema(nullable)]
    pub option_id: Option<i32>,
    #[schema(nullable)]
    pub dialog_title: Option<String>,
    #[schema(nullable)]
    pub title: Option<String>,
    #[schema(nullable)]
    pub description: Option<String>,
    pub requires_comment: bool,
    pub requires_site: bool,
    pub requires_question_id: bool,
    /// Whether the caller has already raised this flag on the post.
    pub is_retraction: bool,
    /// The options of a heading (which cannot itself be raised); null for an option that can.
    #[schema(nullable, no_recursion)]
    pub sub_options: Option<Vec<FlagOptionResponseModel>>,
}

/// `FlagRequestModel` (POST `…/flags`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FlagRequestModel {
    /// A flag option id from `…/flags/options` (not a heading).
    #[schema(required = true, value_type = i32, example = 1)]
    pub option_id: Option<i32>,
    #[serde(default)]
    #[schema(nullable)]
    pub comment: Option<String>,
    #[serde(default)]
    #[schema(nullable)]
    pub related_question_id: Option<i32>,
    #[serde(default)]
    #[schema(nullable)]
    pub target_site: Option<String>,
}

/// `CommentResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommentResponseModel {
    pub id: u32,
    pub score: i32,
    pub body: String,
    #[schema(nullable)]
    pub owner_user_id: Option<u32>,
    pub owner_display_name: String,
    #[schema(format = DateTime)]
    pub creation_date: String,
}

paginated!(/// `PaginatedQuestions`.
    PaginatedQuestions, QuestionSummaryResponseModel, QuestionSortParameter);
paginated!(/// `PaginatedLinkedOrRelatedQuestions`.
    PaginatedLinkedOrRelatedQuestions, QuestionSummaryResponseModel, LinkedOrRelatedQuestionsSortParameter);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_parameters_serialise_as_their_wire_names() {
        for s in QuestionSortParameter::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
        }
        for s in LinkedOrRelatedQuestionsSortParameter::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
        }
    }
}
