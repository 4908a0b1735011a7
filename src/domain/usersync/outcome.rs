//! What the engine answers for one team entry: its status, and the planned and applied
//! changes (`StatusCode`, `SyncResult`, `IntendedChanges`, `ActualChanges` on the wire).

use crate::domain::{AccountId, Role, UserId};

/// The outcome of one team entry (`StatusCode` and `SyncResult.Status` on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncStatus {
    Success,
    PartialSyncFailure,
    SuccessfulDryRun,
    OtherError,
    UserSyncNotEnabled,
    FailedToGetMembersFromSource,
    ErrorTryingToResolveUsers,
    FailedToDetermineChanges,
    ErrorApplyingChanges,
    TeamNotFound,
}

impl SyncStatus {
    pub const ALL: [SyncStatus; 10] = [
        SyncStatus::Success,
        SyncStatus::PartialSyncFailure,
        SyncStatus::SuccessfulDryRun,
        SyncStatus::OtherError,
        SyncStatus::UserSyncNotEnabled,
        SyncStatus::FailedToGetMembersFromSource,
        SyncStatus::ErrorTryingToResolveUsers,
        SyncStatus::FailedToDetermineChanges,
        SyncStatus::ErrorApplyingChanges,
        SyncStatus::TeamNotFound,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncStatus::Success => "Success",
            SyncStatus::PartialSyncFailure => "PartialSyncFailure",
            SyncStatus::SuccessfulDryRun => "SuccessfulDryRun",
            SyncStatus::OtherError => "OtherError",
            SyncStatus::UserSyncNotEnabled => "UserSyncNotEnabled",
            SyncStatus::FailedToGetMembersFromSource => "FailedToGetMembersFromSource",
            SyncStatus::ErrorTryingToResolveUsers => "ErrorTryingToResolveUsers",
            SyncStatus::FailedToDetermineChanges => "FailedToDetermineChanges",
            SyncStatus::ErrorApplyingChanges => "ErrorApplyingChanges",
            SyncStatus::TeamNotFound => "TeamNotFound",
        }
    }

    /// What `HasErrors` counts: anything but a success.
    pub fn is_error(self) -> bool {
        !matches!(self, SyncStatus::Success | SyncStatus::SuccessfulDryRun)
    }
}

/// One entry of `IntendedChanges` / `ActualChanges`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    NoChange,
    AddToSite,
    ChangeUserType,
    RemoveFromSite,
}

impl Change {
    pub const ALL: [Change; 4] = [
        Change::NoChange,
        Change::AddToSite,
        Change::ChangeUserType,
        Change::RemoveFromSite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Change::NoChange => "NoChange",
            Change::AddToSite => "AddToSite",
            Change::ChangeUserType => "ChangeUserType",
            Change::RemoveFromSite => "RemoveFromSite",
        }
    }
}

/// A planned or applied change to one account's membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeEntry {
    pub change: Change,
    pub account_id: AccountId,
    pub is_deactivated: bool,
    /// `None` for `AddToSite`.
    pub current: Option<Role>,
    /// `None` for `RemoveFromSite`.
    pub new: Option<Role>,
    /// `None` for a planned `AddToSite` (the id does not exist yet); the new id once applied.
    pub site_user_id: Option<UserId>,
}

/// What a team entry produced (one element of `Results`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamOutcome {
    /// The `Team` of the request as sent; `None` when the entry had none.
    pub team: Option<String>,
    pub status: SyncStatus,
    /// `SyncResult`; absent for `TeamNotFound` and `UserSyncNotEnabled`.
    pub report: Option<SyncReport>,
}

impl TeamOutcome {
    /// The bytes of its log (none without a report).
    pub fn log_len(&self) -> usize {
        self.report.as_ref().map_or(0, |r| r.log.len())
    }
}

/// `SyncResult`: what the sync process intended, what it did, and its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub intended: Vec<ChangeEntry>,
    pub actual: Vec<ChangeEntry>,
    /// The team's display name; `None` only when the entry named no team.
    pub site_name: Option<String>,
    pub log: String,
}
