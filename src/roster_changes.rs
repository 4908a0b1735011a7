//! What each usersync call did to the rosters, per instance: the journal keeps requests, not
//! answers, so the dashboard's "roster diff" of a usersync entry comes from here
//! (`GET /__admin/usersync-runs`, [`crate::admin`]). The usersync edge records every call
//! that got as far as its teams: per team its `StatusCode` and its changes (`ActualChanges`
//! of a real run, `IntendedChanges` of a dry run), `NoChange` counted, not listed.
//!
//! Bounded (mock limits): the last [`CAPACITY`] calls, [`TEAMS_BOUND`] teams of a call and
//! [`CHANGES_BOUND`] changes of a team, the rest counted. A reset empties it.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::usersync::{Change, TeamOutcome};
use crate::domain::{AccountId, Accounts};

/// Calls kept per instance.
pub const CAPACITY: usize = 100;
/// Teams kept per call.
pub const TEAMS_BOUND: usize = 20;
/// Changes kept per team.
pub const CHANGES_BOUND: usize = 200;

/// One usersync call.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncRun {
    /// Increases by one per call, from 1.
    pub seq: u64,
    /// When the sync ran, on the instance's mock clock (a little after its journal entry's
    /// `time`).
    pub time: DateTime<Utc>,
    pub dry_run: bool,
    pub teams: Vec<TeamRun>,
    /// Teams past [`TEAMS_BOUND`], not listed.
    pub teams_left_out: usize,
}

/// One team of a call.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeamRun {
    /// The `Team` as sent; `null` when the entry had none.
    pub team: Option<String>,
    #[schema(example = "Success")]
    pub status_code: String,
    /// Added, removed and changed members (`NoChange` left out).
    pub changes: Vec<MemberChange>,
    /// Members left as they were.
    pub unchanged: usize,
    /// Changes past [`CHANGES_BOUND`], not listed.
    pub changes_left_out: usize,
}

/// One member's change.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberChange {
    /// `AddToSite`, `ChangeUserType` or `RemoveFromSite`.
    #[schema(example = "AddToSite")]
    pub change: String,
    pub account_id: AccountId,
    #[schema(example = "Ada Admin")]
    pub name: String,
    /// The role before (`null` for `AddToSite`).
    pub from: Option<String>,
    /// The role after (`null` for `RemoveFromSite`).
    pub to: Option<String>,
}

/// The record of one instance; see the module docs.
#[derive(Debug, Default)]
pub struct RosterChanges(Mutex<Ring>);

#[derive(Debug, Default)]
struct Ring {
    last_seq: u64,
    runs: VecDeque<SyncRun>,
}

impl RosterChanges {
    /// Records a call's outcomes (`dry_run`: the intended changes, else the actual ones).
    pub fn record(
        &self,
        time: DateTime<Utc>,
        dry_run: bool,
        outcomes: &[TeamOutcome],
        accounts: &Accounts,
    ) {
        let teams = outcomes
            .iter()
            .take(TEAMS_BOUND)
            .map(|o| team_run(o, dry_run, accounts))
            .collect();
        let mut ring = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        ring.last_seq += 1;
        let run = SyncRun {
            seq: ring.last_seq,
            time,
            dry_run,
            teams,
            teams_left_out: outcomes.len().saturating_sub(TEAMS_BOUND),
        };
        if ring.runs.len() >= CAPACITY {
            ring.runs.pop_front();
        }
        ring.runs.push_back(run);
    }

    /// The calls kept, oldest first.
    pub fn list(&self) -> Vec<SyncRun> {
        let ring = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        ring.runs.iter().cloned().collect()
    }

    pub fn clear(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Ring::default();
    }
}

fn team_run(outcome: &TeamOutcome, dry_run: bool, accounts: &Accounts) -> TeamRun {
    let entries = outcome
        .report
        .as_ref()
        .map(|r| if dry_run { &r.intended } else { &r.actual });
    let entries = entries.map(Vec::as_slice).unwrap_or_default();
    let changed = entries.iter().filter(|e| e.change != Change::NoChange);
    let changes: Vec<MemberChange> = changed
        .clone()
        .take(CHANGES_BOUND)
        .map(|e| MemberChange {
            change: e.change.as_str().into(),
            account_id: e.account_id,
            name: accounts
                .get(e.account_id)
                .map_or_else(String::new, |a| a.name.clone()),
            from: e.current.map(|r| r.as_str().into()),
            to: e.new.map(|r| r.as_str().into()),
        })
        .collect();
    let changed = changed.count();
    TeamRun {
        team: outcome.team.clone(),
        status_code: outcome.status.as_str().into(),
        unchanged: entries.len() - changed,
        changes_left_out: changed - changes.len(),
        changes,
    }
}
