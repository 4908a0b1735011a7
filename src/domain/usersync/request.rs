//! One entry of a usersync call as the engine receives it. The usersync edge (`api::v2`) reads
//! `requestsJson` into these with the wire's rules (property names in any case, `Level` names,
//! double percent-encoding); the engine never sees JSON.

use crate::domain::Role;

/// One member as the source lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub identifier: String,
    pub role: Role,
}

/// One team's entry. Its parts are read on their own, so a malformed entry is that team's
/// `FailedToGetMembersFromSource` (naming the team when its `Team` was fine), never an error of
/// the whole call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRequest {
    /// The entry's `Team`, trimmed; `Err` says what is wrong with it.
    pub team: Result<String, String>,
    /// The entry's `Members`, in order; `Err` names the first problem.
    pub members: Result<Vec<Member>, String>,
}

impl TeamRequest {
    /// A well-formed entry (tests, benchmarks).
    pub fn new(team: &str, members: impl IntoIterator<Item = (String, Role)>) -> Self {
        TeamRequest {
            team: Ok(team.to_string()),
            members: Ok(members
                .into_iter()
                .map(|(identifier, role)| Member { identifier, role })
                .collect()),
        }
    }

    /// The team's name, when the entry has a usable one.
    pub fn team_name(&self) -> Option<&str> {
        self.team.as_deref().ok()
    }
}
