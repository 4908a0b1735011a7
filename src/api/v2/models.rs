//! The usersync wire models, named and shaped as the help article shows them: the v2.3 wrapper
//! (snake_case) around one item whose fields are PascalCase.

use std::borrow::Cow;

use serde::{Serialize, Serializer};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::Role;
use crate::domain::usersync::{Change, ChangeEntry, SyncReport, SyncStatus, TeamOutcome};
use crate::quota::QUOTA_MAX;

/// The success wrapper: always a single page with a single item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserSyncApiResponse {
    #[schema(min_items = 1, max_items = 1)]
    pub items: Vec<UserSyncItem>,
    pub has_more: bool,
    #[schema(minimum = 10000, maximum = 10000)]
    pub quota_max: u32,
    #[schema(example = 9999, maximum = 9999)]
    pub quota_remaining: u32,
    #[schema(minimum = 1, maximum = 1)]
    pub page: u32,
    #[schema(minimum = 1, maximum = 1)]
    pub page_size: u32,
    #[schema(minimum = 1, maximum = 1)]
    pub total: u32,
    #[serde(rename = "type")]
    #[schema(
        pattern = "^user_sync_api_response$",
        example = "user_sync_api_response"
    )]
    pub type_: &'static str,
}

impl UserSyncApiResponse {
    pub fn new(outcomes: Vec<TeamOutcome>, quota_remaining: u32) -> Self {
        let results: Vec<UserSyncTeamResult> =
            outcomes.into_iter().map(UserSyncTeamResult::from).collect();
        let has_errors = results.iter().any(|r| r.status_code.is_error());
        UserSyncApiResponse {
            items: vec![UserSyncItem {
                has_errors,
                results,
            }],
            has_more: false,
            quota_max: QUOTA_MAX,
            quota_remaining,
            page: 1,
            page_size: 1,
            total: 1,
            type_: "user_sync_api_response",
        }
    }
}

/// The one item: one result per requested team, and whether any of them is an error.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct UserSyncItem {
    pub has_errors: bool,
    pub results: Vec<UserSyncTeamResult>,
}

/// The result for one team entry, in request order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct UserSyncTeamResult {
    /// Absent for `TeamNotFound` and `UserSyncNotEnabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub sync_result: Option<UserSyncResult>,
    pub status_code: SyncStatus,
    /// The `Team` of the request; absent when the entry had none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub team: Option<String>,
}

impl From<TeamOutcome> for UserSyncTeamResult {
    fn from(o: TeamOutcome) -> Self {
        UserSyncTeamResult {
            sync_result: o.report.map(|r| UserSyncResult::new(o.status, r)),
            status_code: o.status,
            team: o.team,
        }
    }
}

/// What the sync process intended, what it did, and its log.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct UserSyncResult {
    pub intended_changes: Vec<UserSyncChange>,
    /// Empty on a dry run.
    pub actual_changes: Vec<UserSyncChange>,
    pub status: SyncStatus,
    /// The team's display name; null only for an entry without a `Team` (mock choice).
    #[schema(nullable, required = true)]
    pub site_name: Option<String>,
    /// Human-readable lines joined by `\r\n`; not meant to be parsed.
    pub log: String,
}

impl UserSyncResult {
    fn new(status: SyncStatus, r: SyncReport) -> Self {
        let changes = |list: Vec<ChangeEntry>| list.into_iter().map(UserSyncChange::from).collect();
        UserSyncResult {
            intended_changes: changes(r.intended),
            actual_changes: changes(r.actual),
            status,
            site_name: r.site_name,
            log: r.log,
        }
    }
}

/// One planned or applied membership change.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct UserSyncChange {
    pub is_deactivated: bool,
    pub account_id: u32,
    pub change: Change,
    /// Null for `RemoveFromSite`.
    #[schema(nullable, required = true)]
    pub new_user_type: Option<UserType>,
    /// Null for `AddToSite`.
    #[schema(nullable, required = true)]
    pub current_user_type: Option<UserType>,
    /// Null for a planned `AddToSite`; the new id once applied.
    #[schema(nullable, required = true)]
    pub site_user_id: Option<u32>,
}

impl From<ChangeEntry> for UserSyncChange {
    fn from(c: ChangeEntry) -> Self {
        UserSyncChange {
            is_deactivated: c.is_deactivated,
            account_id: c.account_id,
            change: c.change,
            new_user_type: c.new.map(UserType),
            current_user_type: c.current.map(UserType),
            site_user_id: c.site_user_id,
        }
    }
}

/// A role as usersync shows it: `Admin`, `Moderator` or `Registered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserType(pub Role);

/// The domain's own names are the wire values; these impls give them a serialisation and a
/// schema without a mirror enum.
macro_rules! string_enum {
    ($ty:ty, $name:literal, $values:expr, $description:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some($description))
                    .enum_values(Some($values))
                    .into()
            }
        }
        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

string_enum!(
    SyncStatus,
    "UserSyncStatusCode",
    SyncStatus::ALL.map(SyncStatus::as_str),
    "The outcome of one team (`StatusCode`, and `Status` of its `SyncResult`)"
);
string_enum!(
    Change,
    "UserSyncChangeKind",
    Change::ALL.map(Change::as_str),
    "What a change does to one account"
);
string_enum!(
    UserType,
    "UserSyncUserType",
    [Role::Admin, Role::Moderator, Role::Registered].map(Role::as_str),
    "`Admin`, `Moderator` or `Registered`"
);

impl UserType {
    fn as_str(self) -> &'static str {
        self.0.as_str()
    }
}
