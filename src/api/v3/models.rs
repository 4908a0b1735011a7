//! The v3 wire models, named and shaped exactly as the official excerpt's schemas
//! (`so-teams-v3-openapi-excerpt.json`): camelCase, the same nullability, no extra fields.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::list::SortOrder;
use super::list::SortParam;

pub mod answers;
pub mod questions;

macro_rules! sort_param {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $wire:literal => $order:ident),+ $(,)? } default $default:ident) => {
        $(#[$doc])*
        // Every wire name is the camelCase of its variant (checked by a test below). A
        // per-variant `#[serde(rename = $wire)]` would do for serde, but utoipa does not see
        // through the macro's literal and documented the Rust names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "camelCase")]
        pub enum $name {
            $($variant),+
        }

        impl SortParam for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const DEFAULT: Self = $name::$default;
            fn name(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
            fn default_order(self) -> SortOrder {
                match self { $($name::$variant => SortOrder::$order),+ }
            }
        }
    };
}

pub(crate) use sort_param;

sort_param!(
    /// `TagsSortParameter`; default `postCount` (mock choice).
    TagsSortParameter { Name = "name" => Asc, PostCount = "postCount" => Desc, CreationDate = "creationDate" => Desc } default PostCount
);
sort_param!(
    /// `UsersSortParameter`; default `reputation`.
    UsersSortParameter { Reputation = "reputation" => Desc } default Reputation
);
sort_param!(
    /// `UserGroupsSortParameter`; default `name` (mock choice).
    UserGroupsSortParameter { Name = "name" => Asc, Size = "size" => Desc } default Name
);
sort_param!(
    /// `ManageUsersSortParameter`; default `id` (mock choice).
    ManageUsersSortParameter { Id = "id" => Asc, Name = "name" => Asc, Email = "email" => Asc, LastAccessDate = "lastAccessDate" => Desc } default Id
);

sort_param!(
    /// `CommunitySortParameter`; default `name` (mock choice).
    CommunitySortParameter { Name = "name" => Asc, Size = "size" => Desc } default Name
);
// Area models, in their own files (declared after `sort_param!` so they can use it).
pub mod search;

/// `UserSummaryResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserSummaryResponseModel {
    pub id: u32,
    #[schema(nullable)]
    pub account_id: Option<u32>,
    pub name: String,
    pub avatar_url: String,
    pub web_url: String,
    pub reputation: i32,
    pub role: String,
}

/// `UserResponseModel`: the summary plus SAML fields and the email (admins and self only).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserResponseModel {
    #[schema(nullable)]
    pub external_id: Option<String>,
    #[schema(nullable)]
    pub department: Option<String>,
    #[schema(nullable)]
    pub job_title: Option<String>,
    #[schema(nullable)]
    pub email: Option<String>,
    pub id: u32,
    #[schema(nullable)]
    pub account_id: Option<u32>,
    pub name: String,
    pub avatar_url: String,
    pub web_url: String,
    pub reputation: i32,
    pub role: String,
}

/// `CommunitySummaryResponseModel`: a community without its members (lists, and
/// `UserDetailsResponseModel.communities`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommunitySummaryResponseModel {
    pub name: String,
    pub description: String,
    pub id: u32,
    pub member_count: i32,
    pub tags: Vec<TagSummaryResponseModel>,
}

/// `CommunityMemberResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommunityMemberResponseModel {
    pub id: u32,
    pub name: String,
    #[schema(format = DateTime)]
    pub member_since: String,
    /// An SME of one of the community's tags, individually or through a user group.
    pub is_sme: bool,
}

/// `CommunityResponseModel`: the community with its members.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommunityResponseModel {
    pub members: Vec<CommunityMemberResponseModel>,
    pub name: String,
    pub description: String,
    pub id: u32,
    pub member_count: i32,
    pub tags: Vec<TagSummaryResponseModel>,
}

/// `CommunityJoinModel` (`POST /communities/{communityId}/join/bulk`): an absent (or null)
/// `memberUserIds` adds no one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommunityJoinModel {
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([2, 20, 46]))]
    pub member_user_ids: Option<Vec<i32>>,
}

/// `CommunityLeaveModel` (`POST /communities/{communityId}/leave/bulk`): an absent (or null)
/// `memberUserIds` removes no one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommunityLeaveModel {
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([2, 20, 46]))]
    pub member_user_ids: Option<Vec<i32>>,
}

/// `ImageResponseModel`: an uploaded image's GUID and the absolute URL that serves it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(description = "Image")]
pub struct ImageResponseModel {
    pub id: String,
    pub url: String,
}

/// `UserDetailsResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDetailsResponseModel {
    pub communities: Vec<CommunitySummaryResponseModel>,
    #[schema(nullable)]
    pub external_id: Option<String>,
    #[schema(nullable)]
    pub department: Option<String>,
    #[schema(nullable)]
    pub job_title: Option<String>,
    #[schema(nullable)]
    pub email: Option<String>,
    pub id: u32,
    #[schema(nullable)]
    pub account_id: Option<u32>,
    pub name: String,
    pub avatar_url: String,
    pub web_url: String,
    pub reputation: i32,
    pub role: String,
}

/// `ManageUserResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManageUserResponseModel {
    #[schema(nullable)]
    pub email: Option<String>,
    pub is_deactivated: bool,
    #[schema(format = DateTime)]
    pub creation_date: String,
    #[schema(nullable, format = DateTime)]
    pub last_modified_date: Option<String>,
    #[schema(format = DateTime)]
    pub last_access_date: String,
    pub id: u32,
    #[schema(nullable)]
    pub account_id: Option<u32>,
    pub name: String,
    pub avatar_url: String,
    pub web_url: String,
    pub reputation: i32,
    pub role: String,
}

/// `TagSummaryResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TagSummaryResponseModel {
    pub id: u32,
    pub name: String,
    pub description: String,
    pub post_count: i32,
    /// Distinct users among individual SMEs and members of SME groups; null when SMEs are
    /// disabled on the site.
    #[schema(nullable)]
    pub subject_matter_expert_count: Option<i32>,
    pub watcher_count: i32,
    #[schema(format = DateTime)]
    pub creation_date: String,
    pub has_synonyms: bool,
    pub web_url: String,
}

/// `TagResponseModel`: the summary plus the SME set.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TagResponseModel {
    pub subject_matter_experts: SubjectMatterExpertResponseModel,
    pub id: u32,
    pub name: String,
    pub description: String,
    pub post_count: i32,
    #[schema(nullable)]
    pub subject_matter_expert_count: Option<i32>,
    pub watcher_count: i32,
    #[schema(format = DateTime)]
    pub creation_date: String,
    pub has_synonyms: bool,
    pub web_url: String,
}

/// `TagWatchersResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagWatchersResponseModel {
    pub users: Vec<UserSummaryResponseModel>,
}

/// `UserGroupResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserGroupResponseModel {
    pub id: u32,
    pub name: String,
    pub description: String,
    pub users: Vec<UserSummaryResponseModel>,
}

/// `SubjectMatterExpertResponseModel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubjectMatterExpertResponseModel {
    pub users: Vec<UserSummaryResponseModel>,
    pub user_groups: Vec<UserGroupResponseModel>,
}

/// `UserGroupRequestModel` (POST and PUT `/user-groups…`). `name` is required and not blank;
/// an absent (or null) `description` or `userIds` means empty: the PUT is a full replace.
// The fields are options so the edge can tell "absent" from "wrong" and answer ASP.NET's 400
// itself; the schema shows them as the excerpt declares them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserGroupRequestModel {
    /// The user group's name (unique on the site, case-insensitively: mock choice).
    #[schema(required = true, value_type = String, min_length = 1, example = "Knowledgeable Group")]
    pub name: Option<String>,
    /// The user group's description.
    #[serde(default)]
    #[schema(value_type = String, example = "A group of our most knowledgeable users")]
    pub description: Option<String>,
    /// User IDs.
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([2, 20, 46]))]
    pub user_ids: Option<Vec<i32>>,
}

/// `SubjectMatterExpertRequestModel` (PUT `…/subject-matter-experts`): both lists replace the
/// current ones; an absent (or null) list means empty.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubjectMatterExpertRequestModel {
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([2, 20, 46]))]
    pub user_ids: Option<Vec<i32>>,
    #[serde(default)]
    #[schema(value_type = Vec<i32>, example = json!([12, 13, 111]))]
    pub user_group_ids: Option<Vec<i32>>,
}

macro_rules! paginated {
    ($(#[$doc:meta])* $name:ident, $item:ty, $sort:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Serialize, ToSchema)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            pub total_count: i32,
            pub page_size: i32,
            pub page: i32,
            pub total_pages: i32,
            pub sort: $sort,
            pub order: SortOrder,
            pub items: Vec<$item>,
        }

        impl $name {
            /// Renders one page of `all` (already filtered and sorted) with `render`.
            pub fn page<T>(all: &[T], p: &$crate::api::v3::list::ListParams<$sort>, render: impl FnMut(&T) -> $item) -> Self {
                $name {
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
    };
}

pub(crate) use paginated;

paginated!(/// `PaginatedTags`.
    PaginatedTags, TagSummaryResponseModel, TagsSortParameter);
paginated!(/// `PaginatedUsers`.
    PaginatedUsers, UserResponseModel, UsersSortParameter);
paginated!(/// `PaginatedUserGroups`.
    PaginatedUserGroups, UserGroupResponseModel, UserGroupsSortParameter);
paginated!(/// `PaginatedCommunities`.
    PaginatedCommunities, CommunitySummaryResponseModel, CommunitySortParameter);
paginated!(/// `PaginatedManageUsers`.
    PaginatedManageUsers, ManageUserResponseModel, ManageUsersSortParameter);

// Each area's models in a file of its own, declared after the two macros they use.
pub mod articles;
pub mod collections;

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_names_are_wire_names<S: SortParam + Serialize + ToSchema>() {
        for s in S::ALL {
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                s.name(),
                "serde name of {}",
                s.name()
            );
        }
        let schema = serde_json::to_value(S::schema()).unwrap();
        let wire: Vec<&str> = S::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(schema["enum"], serde_json::json!(wire), "documented enum");
    }

    #[test]
    fn sort_parameters_serialise_and_are_documented_by_their_wire_names() {
        serde_names_are_wire_names::<TagsSortParameter>();
        serde_names_are_wire_names::<UsersSortParameter>();
        serde_names_are_wire_names::<UserGroupsSortParameter>();
        serde_names_are_wire_names::<ManageUsersSortParameter>();
        serde_names_are_wire_names::<CommunitySortParameter>();
        serde_names_are_wire_names::<articles::ArticleSortParameter>();
        serde_names_are_wire_names::<collections::CollectionsSortParameter>();
        serde_names_are_wire_names::<search::SearchSortParameter>();
    }
}
