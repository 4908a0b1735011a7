//! The `Log` of a `SyncResult`: human-readable lines joined by `\r\n`, opened and closed by the
//! `[PushAsync]` lines of the article's example. Not meant to be parsed (the article says its
//! format may change), but tests rely on the first and last lines.

use std::fmt::{self, Write};

use chrono::{DateTime, Utc};

use super::{Change, ChangeEntry, SyncStatus};
use crate::domain::{Accounts, Role};

/// The log as it is written: one text, lines separated by `\r\n` as they come, so a sync of
/// 10k members writes its 20k lines without a `String` per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncLog {
    now: DateTime<Utc>,
    team: Option<String>,
    text: String,
    lines: usize,
    /// Bytes of lines it may write between its first and last line.
    room: usize,
    /// Lines left out for want of room.
    hidden: usize,
}

impl SyncLog {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self::with_room(now, usize::MAX)
    }

    /// A log that leaves out lines once it holds `room` bytes (the first and last lines are
    /// always written, and a line saying how many were left out).
    pub fn with_room(now: DateTime<Utc>, room: usize) -> Self {
        SyncLog {
            now,
            team: None,
            text: String::new(),
            lines: 0,
            room,
            hidden: 0,
        }
    }

    /// The first line; `team` is `None` when the entry named no team.
    pub fn start(&mut self, team: Option<&str>) {
        self.team = team.map(str::to_string);
        let (team, at) = (self.for_team(), timestamp(self.now));
        self.write_fmt(format_args!(
            "[PushAsync] START User Sync from Push{team} ({at})"
        ));
    }

    pub fn line(&mut self, line: impl AsRef<str>) {
        if self.full() {
            return;
        }
        self.new_line();
        self.text.push_str(line.as_ref());
    }

    /// A line written straight into the log (`format_args!`), with no `String` of its own.
    pub fn line_fmt(&mut self, line: fmt::Arguments<'_>) {
        if self.full() {
            return;
        }
        self.write_fmt(line);
    }

    fn write_fmt(&mut self, line: fmt::Arguments<'_>) {
        self.new_line();
        // Writing into a `String` cannot fail.
        let _ = self.text.write_fmt(line);
    }

    /// Whether the log has no room for another line (which it then counts as left out).
    fn full(&mut self) -> bool {
        let full = self.lines > 0 && self.text.len() >= self.room;
        self.hidden += usize::from(full);
        full
    }

    fn new_line(&mut self) {
        if self.lines > 0 {
            self.text.push_str("\r\n");
        }
        self.lines += 1;
    }

    /// Adds the last line and returns the whole log.
    pub fn end(mut self, status: SyncStatus) -> String {
        let (team, at) = (self.for_team(), timestamp(self.now));
        if self.hidden > 0 {
            let hidden = self.hidden;
            self.write_fmt(format_args!(
                "... {hidden} more lines not shown: soteams-mock writes at most {} bytes of log per call (mock limit)",
                super::LOG_ROOM
            ));
        }
        self.write_fmt(format_args!(
            "[PushAsync] END User Sync from Push{team} ({at}): {}",
            status.as_str()
        ));
        self.text
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

/// One change in words, e.g. `AddToSite account 1037 (Nia Newhire) as Registered, site user 9`,
/// written where it is displayed ([`SyncLog::line_fmt`]).
pub fn describe<'a>(change: &'a ChangeEntry, accounts: &'a Accounts) -> Described<'a> {
    Described { change, accounts }
}

pub struct Described<'a> {
    change: &'a ChangeEntry,
    accounts: &'a Accounts,
}

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let change = self.change;
        let role = |r: Option<Role>| r.map_or("-", Role::as_str);
        write!(f, "{} ", change.change.as_str())?;
        match self.accounts.get(change.account_id) {
            Some(a) => {
                let deactivated = if a.is_deactivated {
                    ", deactivated"
                } else {
                    ""
                };
                write!(f, "account {} ({}{deactivated})", a.account_id, a.name)?;
            }
            None => write!(f, "account {}", change.account_id)?,
        }
        let site_user = |f: &mut fmt::Formatter<'_>| match change.site_user_id {
            Some(id) => write!(f, ", site user {id}"),
            None => Ok(()),
        };
        match change.change {
            Change::AddToSite | Change::NoChange => {
                write!(f, " as {}", role(change.new))?;
                site_user(f)
            }
            Change::ChangeUserType => {
                site_user(f)?;
                write!(f, ": {} -> {}", role(change.current), role(change.new))
            }
            Change::RemoveFromSite => {
                site_user(f)?;
                write!(f, " (was {})", role(change.current))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Account, AccountId, UserId};

    fn accounts() -> Accounts {
        let mut accounts = Accounts::default();
        for (id, name, deactivated) in [(1037, "Nia Newhire", false), (1040, "Old Timer", true)] {
            accounts.insert(Account {
                account_id: id,
                name: name.into(),
                email: format!("{id}@example.com"),
                external_id: None,
                is_deactivated: deactivated,
                avatar_url: None,
            });
        }
        accounts
    }

    fn entry(
        change: Change,
        account_id: AccountId,
        current: Option<Role>,
        new: Option<Role>,
        site_user_id: Option<UserId>,
    ) -> ChangeEntry {
        ChangeEntry {
            change,
            account_id,
            is_deactivated: false,
            current,
            new,
            site_user_id,
        }
    }

    #[test]
    fn changes_are_described_in_words() {
        let a = accounts();
        let said = |e: &ChangeEntry| describe(e, &a).to_string();
        let (admin, reg) = (Some(Role::Admin), Some(Role::Registered));
        assert_eq!(
            said(&entry(Change::AddToSite, 1037, None, reg, Some(9))),
            "AddToSite account 1037 (Nia Newhire) as Registered, site user 9"
        );
        assert_eq!(
            said(&entry(Change::AddToSite, 1037, None, reg, None)),
            "AddToSite account 1037 (Nia Newhire) as Registered"
        );
        assert_eq!(
            said(&entry(Change::NoChange, 1040, admin, admin, Some(4))),
            "NoChange account 1040 (Old Timer, deactivated) as Admin, site user 4"
        );
        assert_eq!(
            said(&entry(Change::ChangeUserType, 1037, reg, admin, Some(9))),
            "ChangeUserType account 1037 (Nia Newhire), site user 9: Registered -> Admin"
        );
        assert_eq!(
            said(&entry(Change::RemoveFromSite, 77, admin, None, Some(2))),
            "RemoveFromSite account 77, site user 2 (was Admin)"
        );
    }

    #[test]
    fn lines_are_joined_by_crlf_between_the_start_and_end_lines() {
        let now = "2026-11-23T15:04:05Z".parse().unwrap();
        let mut log = SyncLog::new(now);
        log.start(Some("legal"));
        log.line("");
        log.line_fmt(format_args!("Got {} members from source", 2));
        assert_eq!(
            log.end(SyncStatus::Success),
            "[PushAsync] START User Sync from Push for Team legal (11/23/2026 3:04:05 PM +00:00)\r\n\
             \r\n\
             Got 2 members from source\r\n\
             [PushAsync] END User Sync from Push for Team legal (11/23/2026 3:04:05 PM +00:00): Success"
        );
    }
}
