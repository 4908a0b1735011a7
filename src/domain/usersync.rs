//! The usersync engine (contract §4): planning and applying a full replace of a private
//! team's roster.

/// A system failure the engine can be told to produce for one team (contract §4, the
/// system-failure status codes). Only fault injection produces these: the control API's fault
/// rules and the `X-Mock-Fault` header put a [`SyncFault`] in the request, and the engine
/// honours it for the team it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum InjectedFailure {
    /// `OtherError`: nothing computed, nothing changed.
    OtherError,
    /// `ErrorTryingToResolveUsers`: identifiers not resolved, nothing changed.
    ErrorTryingToResolveUsers,
    /// `FailedToDetermineChanges`: no changes computed, nothing changed.
    FailedToDetermineChanges,
    /// `ErrorApplyingChanges`: the plan is shown, nothing applied.
    ErrorApplyingChanges,
    /// `PartialSyncFailure`: the first `applied` planned changes (NoChange entries excluded)
    /// are really applied and kept; the rest are not.
    PartialSyncFailure { applied: usize },
}

/// An injected failure for one team of a usersync call, carried in the request extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFault {
    /// The team slug it applies to (compared case-insensitively); `None` = every team of the call.
    pub team: Option<String>,
    pub failure: InjectedFailure,
}
