//! Reading one entry of `requestsJson`: `{"Team": "…", "Members": [{"UserIdentifier": "…",
//! "Level": "…"}]}`. A malformed entry is the team's `FailedToGetMembersFromSource`, not an
//! error of the whole call, so the entries are read one by one from loose JSON.
//!
//! Mock choice: property names match case-insensitively (`team`, `userIdentifier`), as the
//! real service's .NET JSON reader does by default.

use serde_json::{Map, Value};

use crate::domain::Role;

/// One member as the source lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub identifier: String,
    pub role: Role,
}

/// The entry's `Team`, trimmed; `Err` says what is wrong with it.
pub fn team_of(entry: &Value) -> Result<&str, String> {
    let entry = object(entry, "the entry")?;
    match field(entry, "Team") {
        None | Some(Value::Null) => Err("the entry has no \"Team\"".into()),
        Some(Value::String(team)) if !team.trim().is_empty() => Ok(team.trim()),
        Some(other) => Err(format!(
            "\"Team\" must be a non-empty string, not {}",
            short(other)
        )),
    }
}

/// The entry's `Members`, in order; `Err` names the first problem.
pub fn members_of(entry: &Value) -> Result<Vec<Member>, String> {
    let entry = object(entry, "the entry")?;
    let members = match field(entry, "Members") {
        None | Some(Value::Null) => return Err("the entry has no \"Members\" array".into()),
        Some(Value::Array(members)) => members,
        Some(other) => {
            return Err(format!(
                "\"Members\" must be an array, not {}",
                short(other)
            ));
        }
    };
    members
        .iter()
        .enumerate()
        .map(|(i, m)| member(i, m))
        .collect()
}

fn member(index: usize, value: &Value) -> Result<Member, String> {
    let which = format!("member #{} of \"Members\"", index + 1);
    let m = object(value, &which)?;
    // Mock choice: a number is taken as its text (an account id), as .NET would convert it.
    let identifier = match field(m, "UserIdentifier") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => return Err(format!("{which} has no \"UserIdentifier\"")),
        Some(other) => {
            return Err(format!(
                "{which} has an invalid \"UserIdentifier\": {}",
                short(other)
            ));
        }
    };
    let role = match field(m, "Level") {
        Some(Value::String(level)) => parse_level(level)
            .ok_or_else(|| format!("{which} ({identifier}) has an unknown \"Level\" {level:?}: use Member, Moderator or Admin"))?,
        None | Some(Value::Null) => return Err(format!("{which} ({identifier}) has no \"Level\"")),
        Some(other) => return Err(format!("{which} ({identifier}) has an invalid \"Level\": {}", short(other))),
    };
    Ok(Member { identifier, role })
}

/// `Level`, in any case: `Member` → `Registered`, `Moderator`, `Admin`.
pub fn parse_level(level: &str) -> Option<Role> {
    match level.trim().to_ascii_lowercase().as_str() {
        "member" => Some(Role::Registered),
        "moderator" => Some(Role::Moderator),
        "admin" => Some(Role::Admin),
        _ => None,
    }
}

fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("{what} must be a JSON object, not {}", short(value)))
}

/// A property by name, the exact spelling first, then ignoring case.
fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// A JSON value for a message, cut to a readable length.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
