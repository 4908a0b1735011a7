//! Resolving identifiers to accounts, and the full-replace plan.
//!
//! Both are linear in the size of the roster and of the site: one hash lookup per member and
//! one per current user, no nested scans (see `benches/usersync.rs`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::request::Member;
use super::{Change, ChangeEntry, SyncLog};
use crate::domain::{AccountId, Accounts, DomainError, Role, Site};

/// A member resolved to an account: the requested roster, one entry per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RosterMember {
    pub account_id: AccountId,
    pub role: Role,
    pub is_deactivated: bool,
}

/// Resolves every `UserIdentifier` (contract §4): `externalId`, then `email` (both ignoring
/// case), then a numeric account id (mock choice). An identifier that resolves to nothing is
/// logged and left out (mock choice); so is a second entry for an account already listed (the
/// first one wins, mock choice).
pub fn resolve(accounts: &Accounts, members: &[Member], log: &mut SyncLog) -> Vec<RosterMember> {
    let mut roster = Vec::with_capacity(members.len());
    let mut first_seen: HashMap<AccountId, &str> = HashMap::with_capacity(members.len());
    for m in members {
        let id = m.identifier.as_str();
        let found = accounts
            .by_external_id(id)
            .map(|a| (a, "externalId"))
            .or_else(|| accounts.by_email(id).map(|a| (a, "email")))
            .or_else(|| {
                id.parse::<AccountId>()
                    .ok()
                    .and_then(|n| accounts.get(n))
                    .map(|a| (a, "accountId"))
            });
        let Some((account, by)) = found else {
            log.line(format!("Could not resolve '{id}': no account has this externalId, email or accountId; skipped"));
            continue;
        };
        if let Some(first) = first_seen.get(&account.account_id) {
            log.line(format!(
                "Duplicate: '{id}' is account {} again (first listed as '{first}'); the first entry is kept",
                account.account_id
            ));
            continue;
        }
        first_seen.insert(account.account_id, id);
        let deactivated = if account.is_deactivated {
            " (deactivated)"
        } else {
            ""
        };
        log.line_fmt(format_args!(
            "Resolved '{id}' by {by} to account {} ({}){deactivated} as {}",
            account.account_id,
            account.name,
            m.role.as_str()
        ));
        roster.push(RosterMember {
            account_id: account.account_id,
            role: m.role,
            is_deactivated: account.is_deactivated,
        });
    }
    roster
}

/// The changes that turn a site's roster into the requested one (a full replace): one entry per
/// current user, in site-user-id order, then one `AddToSite` per new member, in request order
/// (mock choice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncPlan {
    pub changes: Vec<ChangeEntry>,
}

impl SyncPlan {
    pub fn new(site: &Site, accounts: &Accounts, roster: &[RosterMember]) -> SyncPlan {
        let wanted: HashMap<AccountId, Role> =
            roster.iter().map(|m| (m.account_id, m.role)).collect();
        let mut changes = Vec::with_capacity(site.users.len() + roster.len());
        for user in site.users.values() {
            let is_deactivated = accounts
                .get(user.account_id)
                .is_some_and(|a| a.is_deactivated);
            let (change, new) = match wanted.get(&user.account_id) {
                None => (Change::RemoveFromSite, None),
                Some(&role) if role == user.role => (Change::NoChange, Some(role)),
                Some(&role) => (Change::ChangeUserType, Some(role)),
            };
            changes.push(ChangeEntry {
                change,
                account_id: user.account_id,
                is_deactivated,
                current: Some(user.role),
                new,
                site_user_id: Some(user.id),
            });
        }
        for m in roster
            .iter()
            .filter(|m| site.user_by_account(m.account_id).is_none())
        {
            changes.push(ChangeEntry {
                change: Change::AddToSite,
                account_id: m.account_id,
                is_deactivated: m.is_deactivated,
                current: None,
                new: Some(m.role),
                site_user_id: None,
            });
        }
        SyncPlan { changes }
    }

    /// The entries that change something, in the order they are applied.
    pub fn changes_to_apply(&self) -> impl Iterator<Item = &ChangeEntry> {
        self.changes.iter().filter(|c| c.change != Change::NoChange)
    }

    /// One line for the log: how many changes of each kind.
    pub fn summary(&self) -> String {
        let count = |kind: Change| self.changes.iter().filter(|c| c.change == kind).count();
        let counts: Vec<String> = Change::ALL
            .iter()
            .map(|&k| format!("{} {}", count(k), k.as_str()))
            .collect();
        format!("Intended changes: {}", counts.join(", "))
    }

    /// Applies the first `limit` changes to `site` and returns them as applied (`AddToSite`
    /// with its new site user id). Stops at the first refusal, which leaves `site` partly
    /// changed: callers apply to a copy.
    pub fn apply(
        &self,
        site: &mut Site,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<ChangeEntry>, DomainError> {
        let mut applied = Vec::new();
        for planned in self.changes_to_apply().take(limit) {
            let mut done = *planned;
            match (planned.change, planned.site_user_id, planned.new) {
                (Change::AddToSite, _, Some(role)) => {
                    done.site_user_id = Some(site.add_user(planned.account_id, role, now)?)
                }
                (Change::ChangeUserType, Some(user), Some(role)) => {
                    site.change_role(user, role, now)?
                }
                (Change::RemoveFromSite, Some(user), _) => {
                    site.remove_user(user)?;
                }
                // A plan never holds these shapes; refuse rather than guess.
                _ => {
                    return Err(DomainError::UserNotFound(
                        planned.site_user_id.unwrap_or_default(),
                    ));
                }
            }
            applied.push(done);
        }
        Ok(applied)
    }
}
