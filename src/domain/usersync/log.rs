//! The `Log` of a `SyncResult`: human-readable lines joined by `\r\n`, opened and closed by the
//! `[PushAsync]` lines of the article's example. Not meant to be parsed (the article says its
//! format may change), but tests rely on the first and last lines.

use chrono::{DateTime, Utc};

use super::{Change, ChangeEntry, SyncStatus};
use crate::domain::{Accounts, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncLog {
    now: DateTime<Utc>,
    team: Option<String>,
    lines: Vec<String>,
}

impl SyncLog {
    pub fn new(now: DateTime<Utc>) -> Self {
        SyncLog {
            now,
            team: None,
            lines: Vec::new(),
        }
    }

    /// The first line; `team` is `None` when the entry named no team.
    pub fn start(&mut self, team: Option<&str>) {
        self.team = team.map(str::to_string);
        let line = format!(
            "[PushAsync] START User Sync from Push{} ({})",
            self.for_team(),
            timestamp(self.now)
        );
        self.lines.push(line);
    }

    pub fn line(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }

    /// Adds the last line and returns the whole log.
    pub fn end(&mut self, status: SyncStatus) -> String {
        let line = format!(
            "[PushAsync] END User Sync from Push{} ({}): {}",
            self.for_team(),
            timestamp(self.now),
            status.as_str()
        );
        self.lines.push(line);
        self.lines.join("\r\n")
    }

    fn for_team(&self) -> String {
        self.team
            .as_ref()
            .map(|t| format!(" for Team {t}"))
            .unwrap_or_default()
    }
}

/// The .NET general date format of the article's example, `6/17/2019 3:00:22 PM +00:00`.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%-m/%-d/%Y %-I:%M:%S %p %:z").to_string()
}

/// One change in words, e.g. `AddToSite account 1037 (Nia Newhire) as Registered, site user 9`.
pub fn describe(change: &ChangeEntry, accounts: &Accounts) -> String {
    let who = match accounts.get(change.account_id) {
        Some(a) => format!(
            "account {} ({}{})",
            a.account_id,
            a.name,
            if a.is_deactivated {
                ", deactivated"
            } else {
                ""
            }
        ),
        None => format!("account {}", change.account_id),
    };
    let role = |r: Option<Role>| r.map_or("-", Role::as_str);
    let site_user = change
        .site_user_id
        .map(|id| format!(", site user {id}"))
        .unwrap_or_default();
    let kind = change.change.as_str();
    match change.change {
        Change::AddToSite | Change::NoChange => {
            format!("{kind} {who} as {}{site_user}", role(change.new))
        }
        Change::ChangeUserType => format!(
            "{kind} {who}{site_user}: {} -> {}",
            role(change.current),
            role(change.new)
        ),
        Change::RemoveFromSite => format!("{kind} {who}{site_user} (was {})", role(change.current)),
    }
}
