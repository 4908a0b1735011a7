//! The usersync engine (contract §4): planning and applying a full replace of a private
//! team's roster, one entry of `requestsJson` at a time.
//!
//! How the parts fit. An entry goes through the stages the real service names in its status
//! codes, and stops at the first one that answers:
//!
//! 1. find the team (`TeamNotFound`), check that usersync is on (`UserSyncNotEnabled`);
//! 2. take the members of the entry ([`TeamRequest`], `FailedToGetMembersFromSource`);
//! 3. resolve every `UserIdentifier` to an account ([`plan::resolve`]);
//! 4. plan the full replace ([`SyncPlan`]);
//! 5. dry run: show the plan; real run: apply it to the site, all at once.
//!
//! Stages 1–4 only read the world ([`dry_run`] stops there), so a dry run cannot change
//! anything. [`run`] applies under the caller's write lock, on a copy of the site that replaces
//! the original only when every change succeeded, so a team is never half-synced (except by an
//! injected `PartialSyncFailure`, which is the point of it). Every stage writes to the
//! human-readable [`log`].

mod log;
mod outcome;
pub mod plan;
#[cfg(test)]
mod properties;
pub mod request;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

use super::{SiteKind, World};
pub use log::SyncLog;
pub use outcome::{Change, ChangeEntry, SyncReport, SyncStatus, TeamOutcome};
pub use plan::{RosterMember, SyncPlan};
pub use request::{Member, TeamRequest};

/// A system failure the engine can be told to produce for one team (contract §4, the
/// system-failure status codes). Only fault injection produces these: the control API's fault
/// rules and the `X-Mock-Fault` header put a [`SyncFault`] in the request, and the engine
/// honours it for the team it names.
///
/// Each failure strikes at its own stage, so a stage that answers earlier wins (an unknown team
/// is still `TeamNotFound`), and the apply-stage failures (`ErrorApplyingChanges`,
/// `PartialSyncFailure`) cannot strike a dry run, which has no apply stage (mock choice).
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

impl InjectedFailure {
    pub fn status(self) -> SyncStatus {
        match self {
            InjectedFailure::OtherError => SyncStatus::OtherError,
            InjectedFailure::ErrorTryingToResolveUsers => SyncStatus::ErrorTryingToResolveUsers,
            InjectedFailure::FailedToDetermineChanges => SyncStatus::FailedToDetermineChanges,
            InjectedFailure::ErrorApplyingChanges => SyncStatus::ErrorApplyingChanges,
            InjectedFailure::PartialSyncFailure { .. } => SyncStatus::PartialSyncFailure,
        }
    }
}

/// An injected failure for one team of a usersync call, carried in the request extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFault {
    /// The team slug it applies to (compared case-insensitively); `None` = every team of the call.
    pub team: Option<String>,
    pub failure: InjectedFailure,
}

impl SyncFault {
    pub fn applies_to(&self, team: &str) -> bool {
        self.team
            .as_deref()
            .is_none_or(|t| t.eq_ignore_ascii_case(team))
    }
}

/// What a call passes to each team entry.
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions<'a> {
    /// The mock clock's time: log timestamps and the dates of changed users.
    pub now: DateTime<Utc>,
    /// The injected failure of this call, if any (it applies only to the team it names).
    pub fault: Option<&'a SyncFault>,
    /// Bytes of log lines this entry may still write (what the call's [`LOG_ROOM`] has left
    /// after the entries before it); its first and last lines are always written.
    pub log_room: usize,
}

/// Bytes of log one call writes at most, over all its entries (mock limit, README "Limits"):
/// a roster of 800k unknown identifiers would otherwise log twice the size of its body.
pub const LOG_ROOM: usize = 4 << 20;

/// A dry run of one team entry: the plan, with the world untouched (it is only read).
pub fn dry_run(world: &World, entry: &TeamRequest, opts: &SyncOptions) -> TeamOutcome {
    match prepare(world, entry, opts, true) {
        Step::Done(outcome) => outcome,
        Step::Apply(pending) => pending.into_outcome(SyncStatus::SuccessfulDryRun, Vec::new()),
    }
}

/// A real run of one team entry: plans and applies, atomically for the team.
pub fn run(world: &mut World, entry: &TeamRequest, opts: &SyncOptions) -> TeamOutcome {
    match prepare(world, entry, opts, false) {
        Step::Done(outcome) => outcome,
        Step::Apply(pending) => pending.apply(world, opts.now),
    }
}

/// Where stages 1–4 left an entry.
enum Step {
    /// An answer before the apply stage.
    Done(TeamOutcome),
    /// A plan, ready to show (dry run) or apply.
    Apply(Pending),
}

struct Pending {
    team: String,
    slug: String,
    site_name: String,
    plan: SyncPlan,
    log: SyncLog,
    /// How many changes to apply before an injected `PartialSyncFailure`; `None` = all.
    limit: Option<usize>,
}

fn prepare(world: &World, entry: &TeamRequest, opts: &SyncOptions, dry: bool) -> Step {
    let mut log = SyncLog::with_room(opts.now, opts.log_room);
    let team = match &entry.team {
        Ok(team) => team.clone(),
        Err(reason) => {
            log.start(None);
            log.line(format!("Failed to get members from source: {reason}"));
            let report = SyncReport {
                intended: vec![],
                actual: vec![],
                site_name: None,
                log: log.end(SyncStatus::FailedToGetMembersFromSource),
            };
            return Step::Done(TeamOutcome {
                team: None,
                status: SyncStatus::FailedToGetMembersFromSource,
                report: Some(report),
            });
        }
    };
    // Mock choice: the slug matches case-insensitively, like the team part of a URL.
    let site = world
        .sites
        .iter()
        .find(|s| s.kind == SiteKind::PrivateTeam && s.slug.eq_ignore_ascii_case(&team));
    let Some(site) = site else {
        return Step::Done(TeamOutcome {
            team: Some(team),
            status: SyncStatus::TeamNotFound,
            report: None,
        });
    };
    if !site.user_sync_enabled {
        return Step::Done(TeamOutcome {
            team: Some(team),
            status: SyncStatus::UserSyncNotEnabled,
            report: None,
        });
    }
    log.start(Some(&site.slug));
    log.line(format!("Switched Sites to {} ({})", site.slug, site.name));
    let fault = opts
        .fault
        .filter(|f| f.applies_to(&site.slug))
        .map(|f| f.failure);
    let stop = |log: SyncLog, status: SyncStatus, why: &str, intended: Vec<ChangeEntry>| {
        let mut log = log;
        log.line(why);
        let report = SyncReport {
            intended,
            actual: vec![],
            site_name: Some(site.name.clone()),
            log: log.end(status),
        };
        Step::Done(TeamOutcome {
            team: Some(team.clone()),
            status,
            report: Some(report),
        })
    };
    let injected = "(injected fault)";
    if fault == Some(InjectedFailure::OtherError) {
        return stop(
            log,
            SyncStatus::OtherError,
            &format!("An unexpected error occurred {injected}"),
            vec![],
        );
    }
    let members = match &entry.members {
        Ok(members) => members,
        Err(reason) => {
            let why = format!("Failed to get members from source: {reason}; nothing was changed");
            return stop(log, SyncStatus::FailedToGetMembersFromSource, &why, vec![]);
        }
    };
    log.line(format!("Got {} members from source", members.len()));
    if fault == Some(InjectedFailure::ErrorTryingToResolveUsers) {
        return stop(
            log,
            SyncStatus::ErrorTryingToResolveUsers,
            &format!("Error trying to resolve users {injected}"),
            vec![],
        );
    }
    let roster = plan::resolve(&world.accounts, members, &mut log);
    if fault == Some(InjectedFailure::FailedToDetermineChanges) {
        return stop(
            log,
            SyncStatus::FailedToDetermineChanges,
            &format!("Failed to determine changes {injected}"),
            vec![],
        );
    }
    let plan = SyncPlan::new(site, &world.accounts, &roster);
    log.line(plan.summary());
    if dry {
        for change in plan.changes.iter().filter(|c| c.change != Change::NoChange) {
            log.line_fmt(format_args!(
                "Would apply: {}",
                log::describe(change, &world.accounts)
            ));
        }
        log.line("Dry run: no changes were made");
    } else if fault == Some(InjectedFailure::ErrorApplyingChanges) {
        let why = format!("Error applying changes {injected}; no changes were made");
        return stop(log, SyncStatus::ErrorApplyingChanges, &why, plan.changes);
    }
    let limit = match fault {
        Some(InjectedFailure::PartialSyncFailure { applied }) => Some(applied),
        _ => None,
    };
    Step::Apply(Pending {
        team,
        slug: site.slug.clone(),
        site_name: site.name.clone(),
        plan,
        log,
        limit,
    })
}

impl Pending {
    fn into_outcome(self, status: SyncStatus, actual: Vec<ChangeEntry>) -> TeamOutcome {
        let report = SyncReport {
            intended: self.plan.changes,
            actual,
            site_name: Some(self.site_name),
            log: self.log.end(status),
        };
        TeamOutcome {
            team: Some(self.team),
            status,
            report: Some(report),
        }
    }

    /// Applies the plan (or its first `limit` changes) to a copy of the site, and puts the copy
    /// in place only if every change succeeded.
    fn apply(mut self, world: &mut World, now: DateTime<Utc>) -> TeamOutcome {
        let accounts = world.accounts.clone();
        let Some(site) = world.site_mut(&self.slug) else {
            self.log
                .line("Error applying changes: the team no longer exists; no changes were made");
            return self.into_outcome(SyncStatus::ErrorApplyingChanges, Vec::new());
        };
        let mut next = site.clone();
        let limit = self.limit.unwrap_or(usize::MAX);
        match self.plan.apply(&mut next, limit, now) {
            Ok(actual) => {
                *site = next;
                for change in &actual {
                    self.log.line_fmt(format_args!(
                        "Applied: {}",
                        log::describe(change, &accounts)
                    ));
                }
                let status = match self.limit {
                    Some(_) => {
                        let total = self.plan.changes_to_apply().count();
                        self.log.line(format!(
                            "Sync failed after applying {} of {total} changes (injected fault); the applied changes are kept",
                            actual.len()
                        ));
                        SyncStatus::PartialSyncFailure
                    }
                    None => SyncStatus::Success,
                };
                self.into_outcome(status, actual)
            }
            Err(e) => {
                self.log
                    .line(format!("Error applying changes: {e}; no changes were made"));
                self.into_outcome(SyncStatus::ErrorApplyingChanges, Vec::new())
            }
        }
    }
}
