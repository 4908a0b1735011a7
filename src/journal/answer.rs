//! What the journal keeps of an answer besides its status and duration: why the caller was
//! refused ([`Refusal`], read from the answer's `X-Mock-Reason` header), and for a usersync
//! call the `StatusCode` of each team ([`Outcomes`]), so an entry reads like the exchange.
//!
//! The usersync edge knows the outcomes; it hands them to the pipeline as a response
//! extension ([`Outcomes`]), which the pipeline takes out (it never reaches the wire) when it
//! completes the entry. Bounded: a call may name 1000 teams, and an entry keeps the first
//! [`OUTCOMES_BOUND`], each team name cut at [`TEAM_BOUND`] bytes, marked when cut.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::usersync::SyncStatus;
use crate::refusal::Refusal;

/// Team outcomes kept per entry.
pub const OUTCOMES_BOUND: usize = 100;
/// Bytes of a team name kept in an outcome.
pub const TEAM_BOUND: usize = 256;

/// One team's `StatusCode` in a usersync answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TeamStatus {
    /// The `Team` of the request as sent (cut at 256 bytes); `null` when the entry had none.
    pub team: Option<String>,
    pub status: SyncStatus,
}

/// The per-team statuses of a usersync answer, in request order, bounded (module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub teams: Vec<TeamStatus>,
    /// Whether teams were left out or a team name was cut.
    pub truncated: bool,
}

impl Outcomes {
    /// The outcomes of `(team, status)` pairs, in order, within the bounds.
    pub fn of<'a>(results: impl ExactSizeIterator<Item = (Option<&'a str>, SyncStatus)>) -> Self {
        let mut truncated = results.len() > OUTCOMES_BOUND;
        let teams = results
            .take(OUTCOMES_BOUND)
            .map(|(team, status)| {
                let team = team.map(|name| {
                    let mut kept = String::new();
                    truncated |= super::push_bounded(&mut kept, name, TEAM_BOUND);
                    kept
                });
                TeamStatus { team, status }
            })
            .collect();
        Outcomes { teams, truncated }
    }

    /// The memory they hold, as counted against the journal's bound.
    pub(super) fn bytes(&self) -> usize {
        self.teams.capacity() * std::mem::size_of::<TeamStatus>()
            + self
                .teams
                .iter()
                .map(|t| t.team.as_ref().map_or(0, String::capacity))
                .sum::<usize>()
    }
}

/// How a request was answered, as [`super::Journal::end`] records it.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// The status answered; `None` when the connection was dropped by a fault.
    pub status: Option<u16>,
    pub duration_ms: f64,
    /// Why the caller was refused, if it was.
    pub reason: Option<Refusal>,
    /// A usersync answer's team statuses.
    pub outcomes: Option<Outcomes>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_keep_the_first_hundred_teams_and_cut_long_names() {
        let long = "é".repeat(TEAM_BOUND);
        let names: Vec<String> = (0..1000).map(|i| format!("team-{i}")).collect();
        let many = Outcomes::of(
            names
                .iter()
                .map(|n| (Some(n.as_str()), SyncStatus::TeamNotFound)),
        );
        assert_eq!(many.teams.len(), OUTCOMES_BOUND);
        assert!(many.truncated);
        assert_eq!(many.teams[99].team.as_deref(), Some("team-99"));
        let few = Outcomes::of(
            [
                (Some("productone"), SyncStatus::SuccessfulDryRun),
                (None, SyncStatus::FailedToGetMembersFromSource),
            ]
            .into_iter(),
        );
        assert!(!few.truncated);
        assert_eq!(few.teams[1].team, None);
        let cut = Outcomes::of([(Some(long.as_str()), SyncStatus::TeamNotFound)].into_iter());
        assert!(cut.truncated);
        assert!(cut.teams[0].team.as_ref().unwrap().len() <= TEAM_BOUND);
    }
}
