//! `requestsJson` read straight into the engine's [`TeamRequest`]s, without a JSON tree: a
//! `serde_json::Value` of a 32 MiB roster took over 20 times the body (BENCHMARKS.md,
//! "usersync memory"). Each entry and each member is read by a visitor that keeps only what
//! the engine needs; anything else (unknown properties, a `Team` that is an array) is skipped
//! as it is read, so memory follows the members kept, not the text.
//!
//! The rules are the edge's (module docs of [`super::request`]): property names in any case
//! (an exact match wins over another casing), one malformed entry fails only its team, one
//! malformed member fails its team's `Members` with the first problem.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::domain::Role;
use crate::domain::usersync::{Member, TeamRequest};

mod scalar;
#[cfg(test)]
mod tests;

use scalar::{Scalar, scalar_visits, skip_map, skip_seq};

/// The most team entries one call may carry (mock limit, README "Limits"): each entry gets a
/// result and a log in the answer.
pub const TEAMS_MAX: usize = 1000;

/// Reads `text` (the decoded `requestsJson`); `Err` says why it is not a usable array.
pub fn read(text: &str) -> Result<Vec<TeamRequest>, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let entries = Entries::deserialize(&mut de)
        .and_then(|entries| de.end().map(|()| entries))
        .map_err(|e| format!("not valid JSON ({e})"))?;
    match entries {
        Entries::Read(entries) => Ok(entries),
        Entries::TooMany(count) => Err(format!(
            "has {count} team entries; soteams-mock takes at most {TEAMS_MAX} per call (mock limit): split the call"
        )),
        Entries::Not(other) => Err(format!(
            "must be a JSON array of team entries, not {}",
            other.kind()
        )),
    }
}

/// A `Level` as the wire names it, in any case.
pub fn parse_level(level: &str) -> Option<Role> {
    match level.trim().to_ascii_lowercase().as_str() {
        "member" => Some(Role::Registered),
        "moderator" => Some(Role::Moderator),
        "admin" => Some(Role::Admin),
        _ => None,
    }
}

/// The two properties `names` of a map, read in any case (a later match in the wire's own
/// casing replaces one in another casing); every other property is skipped as it is read.
fn two_properties<'de, A, P, Q>(
    map: &mut A,
    names: [&'static str; 2],
) -> Result<(Option<P>, Option<Q>), A::Error>
where
    A: MapAccess<'de>,
    P: Deserialize<'de>,
    Q: Deserialize<'de>,
{
    // Each value with whether its name was in the wire's own casing.
    let mut first: Option<(P, bool)> = None;
    let mut second: Option<(Q, bool)> = None;
    while let Some(Matched(which)) = map.next_key_seed(Key { names })? {
        match which {
            Some((0, exact)) if first.is_none() || exact => {
                first = Some((map.next_value()?, exact));
            }
            Some((1, exact)) if second.is_none() || exact => {
                second = Some((map.next_value()?, exact));
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok((first.map(|(v, _)| v), second.map(|(v, _)| v)))
}

/// A property name among `names`, matched in any case.
struct Key {
    names: [&'static str; 2],
}

/// Which of the names a key is (its index), and whether it matched in the wire's own casing.
struct Matched(Option<(usize, bool)>);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Matched;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Matched, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Matched;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E>(self, v: &str) -> Result<Matched, E> {
        Ok(Matched(self.names.iter().enumerate().find_map(|(i, n)| {
            n.eq_ignore_ascii_case(v).then_some((i, *n == v))
        })))
    }
}

/// The top level: an array of entries, or what it was instead.
enum Entries {
    Read(Vec<TeamRequest>),
    TooMany(usize),
    Not(Scalar),
}

impl From<Scalar> for Entries {
    fn from(s: Scalar) -> Self {
        Entries::Not(s)
    }
}

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON array of team entries")
            }
            scalar_visits!();
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = seq.next_element::<Entry>()? {
                    if entries.len() == TEAMS_MAX {
                        let mut count = TEAMS_MAX + 1;
                        while seq.next_element::<IgnoredAny>()?.is_some() {
                            count += 1;
                        }
                        return Ok(Entries::TooMany(count));
                    }
                    entries.push(entry.0);
                }
                Ok(Entries::Read(entries))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                skip_map(&mut map)?;
                Ok(Entries::Not(Scalar::Object))
            }
        }
        d.deserialize_any(V)
    }
}

/// One team entry.
struct Entry(TeamRequest);

impl From<Scalar> for Entry {
    fn from(s: Scalar) -> Self {
        let why = format!("the entry must be a JSON object, not {}", s.short());
        Entry(TeamRequest {
            team: Err(why.clone()),
            members: Err(why),
        })
    }
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a team entry")
            }
            scalar_visits!();
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry, A::Error> {
                skip_seq(&mut seq)?;
                Ok(Entry::from(Scalar::Array))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
                let (team, members) =
                    two_properties::<_, Scalar, Members>(&mut map, ["Team", "Members"])?;
                let team = match team {
                    None | Some(Scalar::Null) => Err("the entry has no \"Team\"".to_string()),
                    Some(Scalar::String(t)) if !t.trim().is_empty() => Ok(t.trim().to_string()),
                    Some(other) => Err(format!(
                        "\"Team\" must be a non-empty string, not {}",
                        other.short()
                    )),
                };
                let members = match members {
                    None | Some(Members::Not(Scalar::Null)) => {
                        Err("the entry has no \"Members\" array".to_string())
                    }
                    Some(Members::Read(members)) => members,
                    Some(Members::Not(other)) => Err(format!(
                        "\"Members\" must be an array, not {}",
                        other.short()
                    )),
                };
                Ok(Entry(TeamRequest { team, members }))
            }
        }
        d.deserialize_any(V)
    }
}

/// An entry's `Members`: the members, or the first problem; or what it was instead.
enum Members {
    Read(Result<Vec<Member>, String>),
    Not(Scalar),
}

impl From<Scalar> for Members {
    fn from(s: Scalar) -> Self {
        Members::Not(s)
    }
}

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of members")
            }
            scalar_visits!();
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(raw) = seq.next_element::<RawMember>()? {
                    match raw.member(members.len()) {
                        Ok(member) => members.push(member),
                        Err(why) => {
                            skip_seq(&mut seq)?;
                            return Ok(Members::Read(Err(why)));
                        }
                    }
                }
                Ok(Members::Read(Ok(members)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                skip_map(&mut map)?;
                Ok(Members::Not(Scalar::Object))
            }
        }
        d.deserialize_any(V)
    }
}

/// One member as written: its two properties, or what it was instead of an object.
enum RawMember {
    Object {
        identifier: Option<Scalar>,
        level: Option<Scalar>,
    },
    Not(Scalar),
}

impl From<Scalar> for RawMember {
    fn from(s: Scalar) -> Self {
        RawMember::Not(s)
    }
}

impl RawMember {
    /// The member, or what is wrong with member number `index` (from 0).
    fn member(self, index: usize) -> Result<Member, String> {
        let which = format!("member #{} of \"Members\"", index + 1);
        let (identifier, level) = match self {
            RawMember::Object { identifier, level } => (identifier, level),
            RawMember::Not(other) => {
                return Err(format!(
                    "{which} must be a JSON object, not {}",
                    other.short()
                ));
            }
        };
        let identifier = match identifier {
            Some(Scalar::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Scalar::Number(n)) => n.to_string(),
            None | Some(Scalar::Null) => return Err(format!("{which} has no \"UserIdentifier\"")),
            Some(other) => {
                return Err(format!(
                    "{which} has an invalid \"UserIdentifier\": {}",
                    other.short()
                ));
            }
        };
        let role = match level {
            Some(Scalar::String(level)) => parse_level(&level).ok_or_else(|| {
                format!("{which} ({identifier}) has an unknown \"Level\" {level:?}: use Member, Moderator or Admin")
            })?,
            None | Some(Scalar::Null) => {
                return Err(format!("{which} ({identifier}) has no \"Level\""));
            }
            Some(other) => {
                return Err(format!(
                    "{which} ({identifier}) has an invalid \"Level\": {}",
                    other.short()
                ));
            }
        };
        Ok(Member { identifier, role })
    }
}

impl<'de> Deserialize<'de> for RawMember {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawMember;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member")
            }
            scalar_visits!();
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawMember, A::Error> {
                skip_seq(&mut seq)?;
                Ok(RawMember::Not(Scalar::Array))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawMember, A::Error> {
                let (identifier, level) = two_properties(&mut map, ["UserIdentifier", "Level"])?;
                Ok(RawMember::Object { identifier, level })
            }
        }
        d.deserialize_any(V)
    }
}
