//! The wire models of collections (`GET/POST/PUT/DELETE /collections…`), named and shaped
//! exactly as the official document's schemas.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    SortOrder, SortParam, TagSummaryResponseModel, UserGroupResponseModel, UserSummaryResponseModel,
};

sort_param!(
    /// `CollectionsSortParameter`; default `creation` (mock choice), both `desc` by default.
    /// `lastEdit` sorts a never edited collection by its creation date (mock choice).
    CollectionsSortParameter { Creation = "creation" => Desc, LastEdit = "lastEdit" => Desc } default Creation
);

/// `CollectionsPermissionsFilter`, relative to the caller: every collection, those they own,
/// or those they may edit (owner, editor, member of an editor group, moderator, admin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum CollectionsPermissionsFilter {
    All,
    Owned,
    Editable,
}

impl CollectionsPermissionsFilter {
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::All, Self::Owned, Self::Editable]
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(raw))
    }

    fn name(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Owned => "owned",
            Self::Editable => "editable",
        }
    }
}

/// `CollectionContentType` (the mock never answers `unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum CollectionContentType {
    Unknown,
    Question,
    Article,
}

/// `CollectionContentSummaryResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CollectionContentSummaryResponseModel {
    pub id: u32,
    #[serde(rename = "type")]
    pub type_: CollectionContentType,
    pub title: String,
}

/// `CollectionsSummaryResponseModel` (items of `GET /collections`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(title = "Collection Summary")]
pub struct CollectionsSummaryResponseModel {
    pub id: u32,
    pub title: String,
    pub description: String,
    pub owner: UserSummaryResponseModel,
    #[schema(format = DateTime)]
    pub creation_date: String,
    pub is_deleted: bool,
    /// The distinct tags of the live questions and articles it holds, in content order
    /// (mock rule).
    pub tags: Vec<TagSummaryResponseModel>,
}

/// `CollectionsResponseModel`: the summary plus the content and the editors.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(title = "Collection")]
pub struct CollectionsResponseModel {
    /// The live questions and articles, in the collection's order; content deleted since it
    /// was added is left out (mock rule).
    pub content: Vec<CollectionContentSummaryResponseModel>,
    pub editor_users: Vec<UserSummaryResponseModel>,
    pub editor_user_groups: Vec<UserGroupResponseModel>,
    pub id: u32,
    pub title: String,
    pub description: String,
    pub owner: UserSummaryResponseModel,
    #[schema(format = DateTime)]
    pub creation_date: String,
    pub is_deleted: bool,
    pub tags: Vec<TagSummaryResponseModel>,
}

/// `CollectionRequestModel` (`POST /collections`). The document requires no field; the mock
/// requires a title (mock choice: a collection without one cannot be listed), absent
/// description and lists are empty.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(title = "Collection Create Model")]
pub struct CollectionRequestModel {
    #[serde(default)]
    #[schema(value_type = String, example = "Gamification and Reputation")]
    pub title: Option<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub description: Option<String>,
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([2, 20, 46]))]
    pub editor_user_ids: Option<Vec<i32>>,
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([89, 12, 43]))]
    pub editor_user_group_ids: Option<Vec<i32>>,
    /// Question and article ids, in order.
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([47, 2, 81]))]
    pub content_ids: Option<Vec<i32>>,
}

/// `EditCollectionRequestModel` (`PUT /collections/{collectionId}`): a full replace like
/// [`CollectionRequestModel`]; `ownerId` hands the collection over (absent or null keeps the
/// owner).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(title = "Collection Edit Model")]
pub struct EditCollectionRequestModel {
    #[serde(default)]
    #[schema(nullable, example = 476)]
    pub owner_id: Option<i32>,
    #[serde(default)]
    #[schema(value_type = String, example = "Gamification and Reputation")]
    pub title: Option<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub description: Option<String>,
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([2, 20, 46]))]
    pub editor_user_ids: Option<Vec<i32>>,
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([89, 12, 43]))]
    pub editor_user_group_ids: Option<Vec<i32>>,
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([47, 2, 81]))]
    pub content_ids: Option<Vec<i32>>,
}

paginated!(/// `PaginatedCollections`.
    PaginatedCollections, CollectionsSummaryResponseModel, CollectionsSortParameter);
