//! The wire models of articles and their comments (`GET/POST/PUT/DELETE /articles…`), named
//! and shaped exactly as the official document's schemas.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    CommunitySummaryResponseModel, SortOrder, SortParam, TagSummaryResponseModel,
    UserGroupResponseModel, UserSummaryResponseModel,
};
use crate::domain::posts::{ArticleType as DomainArticleType, EditableBy};

sort_param!(
    /// `ArticleSortParameter`; default `activity` (mock choice), every order `desc` by default.
    ArticleSortParameter { Activity = "activity" => Desc, Creation = "creation" => Desc, Score = "score" => Desc } default Activity
);

/// `ArticleType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ArticleType {
    KnowledgeArticle,
    Announcement,
    Policy,
    HowToGuide,
}

impl From<ArticleType> for DomainArticleType {
    fn from(t: ArticleType) -> Self {
        match t {
            ArticleType::KnowledgeArticle => DomainArticleType::KnowledgeArticle,
            ArticleType::Announcement => DomainArticleType::Announcement,
            ArticleType::Policy => DomainArticleType::Policy,
            ArticleType::HowToGuide => DomainArticleType::HowToGuide,
        }
    }
}

impl From<DomainArticleType> for ArticleType {
    fn from(t: DomainArticleType) -> Self {
        match t {
            DomainArticleType::KnowledgeArticle => ArticleType::KnowledgeArticle,
            DomainArticleType::Announcement => ArticleType::Announcement,
            DomainArticleType::Policy => ArticleType::Policy,
            DomainArticleType::HowToGuide => ArticleType::HowToGuide,
        }
    }
}

/// `ArticlePermissionsType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ArticlePermissionsType {
    OwnerOnly,
    SpecificEditors,
    Everyone,
}

impl From<ArticlePermissionsType> for EditableBy {
    fn from(t: ArticlePermissionsType) -> Self {
        match t {
            ArticlePermissionsType::OwnerOnly => EditableBy::OwnerOnly,
            ArticlePermissionsType::SpecificEditors => EditableBy::SpecificEditors,
            ArticlePermissionsType::Everyone => EditableBy::Everyone,
        }
    }
}

impl From<EditableBy> for ArticlePermissionsType {
    fn from(t: EditableBy) -> Self {
        match t {
            EditableBy::OwnerOnly => ArticlePermissionsType::OwnerOnly,
            EditableBy::SpecificEditors => ArticlePermissionsType::SpecificEditors,
            EditableBy::Everyone => ArticlePermissionsType::Everyone,
        }
    }
}

/// `ArticleSummaryResponseModel` (items of `GET /articles`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArticleSummaryResponseModel {
    pub id: u32,
    #[serde(rename = "type")]
    pub type_: ArticleType,
    pub title: String,
    /// The body rendered as sanitised HTML.
    pub body: String,
    pub tags: Vec<TagSummaryResponseModel>,
    pub owner: UserSummaryResponseModel,
    /// The owner while the article has never been edited (mock choice: the document declares
    /// the field non-nullable).
    pub last_editor: UserSummaryResponseModel,
    #[schema(format = DateTime)]
    pub creation_date: String,
    #[schema(nullable, format = DateTime)]
    pub last_activity_date: Option<String>,
    pub score: i32,
    pub view_count: i32,
    pub web_url: String,
    pub share_url: String,
    pub is_deleted: bool,
    pub is_obsolete: bool,
    pub is_closed: bool,
}

/// `ArticlePermissionsResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArticlePermissionsResponseModel {
    pub editable_by: ArticlePermissionsType,
    pub editor_users: Vec<UserSummaryResponseModel>,
    pub editor_user_groups: Vec<UserGroupResponseModel>,
}

/// `ArticleResponseModel`: the summary plus the Markdown, the caller-relative fields and the
/// permissions.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArticleResponseModel {
    /// The site's communities whose tags the article's tags meet.
    pub communities: Vec<CommunitySummaryResponseModel>,
    pub id: u32,
    #[serde(rename = "type")]
    pub type_: ArticleType,
    pub title: String,
    pub body: String,
    pub tags: Vec<TagSummaryResponseModel>,
    pub owner: UserSummaryResponseModel,
    pub last_editor: UserSummaryResponseModel,
    #[schema(format = DateTime)]
    pub creation_date: String,
    #[schema(nullable, format = DateTime)]
    pub last_activity_date: Option<String>,
    pub score: i32,
    pub view_count: i32,
    pub web_url: String,
    pub share_url: String,
    pub is_deleted: bool,
    pub is_obsolete: bool,
    pub is_closed: bool,
    pub body_markdown: String,
    pub user_is_following: bool,
    pub user_has_upvoted: bool,
    pub user_has_downvoted: bool,
    pub user_can_edit: bool,
    pub permissions: ArticlePermissionsResponseModel,
}

/// `ArticlePermissionsRequestModel`. An absent `editableBy` is `ownerOnly`, absent lists are
/// empty (mock choice).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArticlePermissionsRequestModel {
    #[serde(default)]
    #[schema(value_type = ArticlePermissionsType)]
    pub editable_by: Option<ArticlePermissionsType>,
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([2, 20, 46]))]
    pub editor_user_ids: Option<Vec<i32>>,
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([1001, 1002]))]
    pub editor_user_group_ids: Option<Vec<i32>>,
}

/// `ArticleRequestModel` (`POST /articles`, `PUT /articles/{articleId}`: a full replace). All
/// five fields are required; the fields are options so the edge can name every missing one
/// in ASP.NET's 400.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(title = "Article request model")]
pub struct ArticleRequestModel {
    #[serde(default)]
    #[schema(required = true, value_type = String, min_length = 1, example = "Python Style Guide")]
    pub title: Option<String>,
    /// Markdown.
    #[serde(default)]
    #[schema(required = true, value_type = String, min_length = 1)]
    pub body: Option<String>,
    /// Tag names: 1 to 5; a name the site does not know yet creates the tag.
    #[serde(default)]
    #[schema(required = true, value_type = Vec<String>)]
    pub tags: Option<Vec<String>>,
    #[serde(default, rename = "type")]
    #[schema(required = true, value_type = ArticleType)]
    pub type_: Option<ArticleType>,
    #[serde(default)]
    #[schema(required = true, value_type = ArticlePermissionsRequestModel)]
    pub permissions: Option<ArticlePermissionsRequestModel>,
}

/// One home for the comment model (questions, answers and articles share it).
pub use super::questions::CommentResponseModel;

paginated!(/// `PaginatedArticles`.
    PaginatedArticles, ArticleSummaryResponseModel, ArticleSortParameter);
