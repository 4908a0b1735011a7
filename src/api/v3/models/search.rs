//! The wire models of `GET /search`: `PaginatedSearchResults`, whose items are one of
//! `QuestionSearchResultModel`, `AnswerSearchResultModel` and `ArticleSearchResultModel`.
//!
//! The excerpt builds each item as `allOf: [SearchResultModel]` plus its own fields, with
//! `additionalProperties: false` on both, which no instance can satisfy; the served document
//! states each item type whole (the shared fields, then its own), closed, with `type` a
//! one-value enum, so `oneOf` picks exactly one and a client can switch on `type`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{SortOrder, TagSummaryResponseModel, UserSummaryResponseModel};
use crate::api::v3::list::SortParam;
use crate::domain::search::SearchSort;

sort_param!(
    /// `SearchSortParameter`; default `relevance` (mock choice). Every sort is descending:
    /// the most relevant, newest, latest active or highest scored first.
    SearchSortParameter { Relevance = "relevance" => Desc, Newest = "newest" => Desc, Active = "active" => Desc, Score = "score" => Desc } default Relevance
);

impl From<SearchSortParameter> for SearchSort {
    fn from(s: SearchSortParameter) -> Self {
        match s {
            SearchSortParameter::Relevance => SearchSort::Relevance,
            SearchSortParameter::Newest => SearchSort::Newest,
            SearchSortParameter::Active => SearchSort::Active,
            SearchSortParameter::Score => SearchSort::Score,
        }
    }
}

/// `ArticleType`: one wire enum, the articles routes'.
pub use super::articles::ArticleType;

/// The `type` of a question result: always `question`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum QuestionResultType {
    Question,
}

/// The `type` of an answer result: always `answer`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum AnswerResultType {
    Answer,
}

/// The `type` of an article result: always `article`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ArticleResultType {
    Article,
}

/// `QuestionSearchResultModel`: `SearchResultModel`'s fields and a question's.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuestionSearchResultModel {
    pub title: String,
    /// Plain text around the first word of the query the body holds (docs/search.md).
    pub snippet: String,
    pub tags: Vec<TagSummaryResponseModel>,
    pub owner: UserSummaryResponseModel,
    #[schema(format = DateTime)]
    pub creation_date: String,
    pub score: i32,
    pub web_url: String,
    #[schema(inline)]
    pub r#type: QuestionResultType,
    pub question_id: u32,
    pub answer_count: i32,
    pub has_accepted_answer: bool,
    pub view_count: i32,
}

/// `AnswerSearchResultModel`: `SearchResultModel`'s fields (the title and tags are its
/// question's) and an answer's.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AnswerSearchResultModel {
    pub title: String,
    pub snippet: String,
    pub tags: Vec<TagSummaryResponseModel>,
    pub owner: UserSummaryResponseModel,
    #[schema(format = DateTime)]
    pub creation_date: String,
    pub score: i32,
    pub web_url: String,
    #[schema(inline)]
    pub r#type: AnswerResultType,
    pub answer_id: u32,
    pub parent_question_id: u32,
    pub is_accepted: bool,
}

/// `ArticleSearchResultModel`: `SearchResultModel`'s fields and an article's.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArticleSearchResultModel {
    pub title: String,
    pub snippet: String,
    pub tags: Vec<TagSummaryResponseModel>,
    pub owner: UserSummaryResponseModel,
    #[schema(format = DateTime)]
    pub creation_date: String,
    pub score: i32,
    pub web_url: String,
    #[schema(inline)]
    pub r#type: ArticleResultType,
    pub article_id: u32,
    pub view_count: i32,
    pub article_type: ArticleType,
    /// The body's words at 200 a minute, at least 1 (mock rule).
    pub read_time_in_minutes: i32,
}

/// One item of `PaginatedSearchResults` (`oneOf` the three result models).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum SearchResult {
    Question(QuestionSearchResultModel),
    Answer(AnswerSearchResultModel),
    Article(ArticleSearchResultModel),
}

/// `PaginatedSearchResults` (no `order`: every search sort has its own direction).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaginatedSearchResults {
    pub total_count: i32,
    pub page_size: i32,
    pub page: i32,
    pub total_pages: i32,
    pub sort: SearchSortParameter,
    #[schema(inline)]
    pub items: Vec<SearchResult>,
}
