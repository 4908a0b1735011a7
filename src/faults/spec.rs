//! The JSON a user writes for a fault rule and for `X-Mock-Fault`, and its validation: every
//! problem is reported with its JSON path, the way fixture problems are.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::{Action, MAX_DELAY_MS, Outcome, Trigger, media_type};
use crate::domain::usersync::{InjectedFailure, SyncFault};
use crate::problem::Problem;
use crate::surface::Api;

/// A fault rule as sent to `POST /__admin/faults`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSpec {
    /// A label of your choice, shown in listings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Which requests the rule applies to; an empty object matches every request.
    #[serde(rename = "match", default)]
    pub matcher: MatchSpec,
    pub action: ActionSpec,
    /// When it fires; absent means on every matching call.
    #[serde(default)]
    pub trigger: TriggerSpec,
}

/// Which requests a rule applies to. Every given field must match.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MatchSpec {
    /// `v3`, `usersync` or `admin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<Api>,
    /// HTTP method, any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Path pattern (without the query); `*` matches any run of characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A site or team slug: the v3 site addressed, or a team named in a usersync request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
}

/// What a fault does. `status`, `usersync` and `drop` exclude each other; `delayMs` combines
/// with any of them, or stands alone (the request then goes on, late).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActionSpec {
    /// Answer this HTTP status instead of the API, in the API's own wire format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 200, maximum = 599)]
    pub status: Option<u16>,
    /// With `status`: this body instead of the default one (a string is sent as is, anything
    /// else as JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// With `body`: its content type, a media type such as `text/csv; charset=utf-8` (default
    /// `application/json`, `text/plain` for a string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// A usersync system failure for one team: `OtherError`, `ErrorTryingToResolveUsers`,
    /// `FailedToDetermineChanges`, `ErrorApplyingChanges` or `PartialSyncFailure`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usersync: Option<String>,
    /// With `usersync`: the team it fails (default: the rule's `match.site`, else every team).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// With `PartialSyncFailure`: how many planned changes are really applied (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<usize>,
    /// Wait this long first (at most 300000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Close the connection without an answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<bool>,
}

/// When a rule fires. At most one of `times`, `nth`, `probability`; none means always.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriggerSpec {
    /// The next N matching calls, then never again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// Only the Nth matching call (1 = the next one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<u64>,
    /// Each matching call with this probability (0 to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// With `probability`: the generator's seed (default `--seed`, else random; listings show
    /// the seed used). The same seed gives the same sequence of hits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// The five usersync status codes only fault injection produces (contract §4).
pub const INJECTABLE_SYNC_CODES: [&str; 5] = [
    "OtherError",
    "ErrorTryingToResolveUsers",
    "FailedToDetermineChanges",
    "ErrorApplyingChanges",
    "PartialSyncFailure",
];

/// How to get each usersync status code that real input produces, for error messages.
fn how_to_get(code: &str) -> Option<&'static str> {
    Some(match code {
        "Success" => "a real run (dryRun=false) on a private team with usersync enabled",
        "SuccessfulDryRun" => "dryRun=true on a private team with usersync enabled",
        "TeamNotFound" => "a Team that is not a private team (e.g. \"nosuchteam\")",
        "UserSyncNotEnabled" => "a private team whose userSyncEnabled is false (e.g. \"legal\")",
        "FailedToGetMembersFromSource" => "a malformed entry (e.g. Members not an array)",
        _ => return None,
    })
}

impl ActionSpec {
    /// Validates into an [`Action`]; `at` is the JSON path of the action, `site` the rule's
    /// site matcher (the default team of a usersync failure).
    pub fn validate(
        &self,
        at: &str,
        site: Option<&str>,
        problems: &mut Vec<Problem>,
    ) -> Option<Action> {
        let before = problems.len();
        let mut bad = |field: &str, reason: String| {
            problems.push(Problem::new(format!("{at}.{field}"), reason))
        };
        let chosen = [
            self.status.is_some(),
            self.usersync.is_some(),
            self.drop == Some(true),
        ];
        if chosen.iter().filter(|c| **c).count() > 1 {
            bad(
                "status",
                "status, usersync and drop exclude each other".into(),
            );
        }
        if !chosen.contains(&true) && self.delay_ms.is_none() {
            bad(
                "status",
                "an action needs status, usersync, drop or delayMs".into(),
            );
        }
        // 1xx are interim answers, not replies: an injected 100 would reach the client as a
        // 500 and a 101 would switch protocols.
        if let Some(s) = self.status.filter(|s| !(200..=599).contains(s)) {
            bad(
                "status",
                format!("{s} is not a status a fault can answer (200 to 599)"),
            );
        }
        if self.status.is_none() && self.body.is_some() {
            bad("body", "body goes with status".into());
        }
        if self.body.is_none() && self.content_type.is_some() {
            bad("contentType", "contentType goes with body".into());
        } else if let Some(Err(reason)) = self.content_type.as_deref().map(media_type::check) {
            bad("contentType", reason);
        }
        if let Some(ms) = self.delay_ms.filter(|ms| *ms > MAX_DELAY_MS) {
            bad(
                "delayMs",
                format!("{ms} is over the maximum of {MAX_DELAY_MS}"),
            );
        }
        if self.usersync.is_none() && self.team.is_some() {
            bad("team", "team goes with usersync".into());
        }
        let failure = self.usersync.as_deref().and_then(|code| match code {
            "OtherError" => Some(InjectedFailure::OtherError),
            "ErrorTryingToResolveUsers" => Some(InjectedFailure::ErrorTryingToResolveUsers),
            "FailedToDetermineChanges" => Some(InjectedFailure::FailedToDetermineChanges),
            "ErrorApplyingChanges" => Some(InjectedFailure::ErrorApplyingChanges),
            "PartialSyncFailure" => Some(InjectedFailure::PartialSyncFailure {
                applied: self.applied.unwrap_or(1),
            }),
            other => {
                let reason = match how_to_get(other) {
                    Some(how) => format!("{other} is not injected: real input produces it ({how})"),
                    None => format!(
                        "unknown usersync status code {other:?}; one of {}",
                        INJECTABLE_SYNC_CODES.join(", ")
                    ),
                };
                bad("usersync", reason);
                None
            }
        });
        if self.applied.is_some()
            && !matches!(failure, Some(InjectedFailure::PartialSyncFailure { .. }))
        {
            bad(
                "applied",
                "applied goes with usersync PartialSyncFailure".into(),
            );
        }
        if problems.len() > before {
            return None;
        }
        let outcome = if let Some(status) = self.status {
            Outcome::Respond {
                status,
                body: self.body.clone(),
                content_type: self.content_type.clone(),
            }
        } else if let Some(failure) = failure {
            Outcome::Sync(SyncFault {
                team: self.team.clone().or(site.map(str::to_string)),
                failure,
            })
        } else if self.drop == Some(true) {
            Outcome::Drop
        } else {
            Outcome::Pass
        };
        Some(Action {
            delay_ms: self.delay_ms.unwrap_or(0),
            outcome,
        })
    }
}

impl TriggerSpec {
    pub fn validate(&self, default_seed: u64, problems: &mut Vec<Problem>) -> Option<Trigger> {
        let before = problems.len();
        let mut bad = |field: &str, reason: &str| {
            problems.push(Problem::new(format!("$.trigger.{field}"), reason))
        };
        let given = [
            self.times.is_some(),
            self.nth.is_some(),
            self.probability.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            bad("times", "times, nth and probability exclude each other");
        }
        if self.times == Some(0) {
            bad("times", "must be at least 1");
        }
        if self.nth == Some(0) {
            bad("nth", "must be at least 1 (1 = the next matching call)");
        }
        if self.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
            bad("probability", "must be between 0 and 1");
        }
        if self.seed.is_some() && self.probability.is_none() {
            bad("seed", "seed goes with probability");
        }
        if problems.len() > before {
            return None;
        }
        Some(match (self.times, self.nth, self.probability) {
            (Some(n), _, _) => Trigger::Times(n),
            (_, Some(n), _) => Trigger::Nth(n),
            (_, _, Some(p)) => Trigger::Probability {
                p,
                seed: self.seed.unwrap_or(default_seed),
            },
            _ => Trigger::Always,
        })
    }
}

impl MatchSpec {
    pub fn validate(&self, problems: &mut Vec<Problem>) {
        if self.api == Some(Api::Other) {
            problems.push(Problem::new("$.match.api", "one of v3, usersync, admin"));
        }
        if self
            .method
            .as_ref()
            .is_some_and(|m| m.is_empty() || !m.chars().all(|c| c.is_ascii_alphabetic()))
        {
            problems.push(Problem::new("$.match.method", "an HTTP method, e.g. GET"));
        }
        if self
            .path
            .as_ref()
            .is_some_and(|p| !p.starts_with(['/', '*']))
        {
            problems.push(Problem::new(
                "$.match.path",
                "a path pattern starts with / or *",
            ));
        }
    }
}

/// Reads an `X-Mock-Fault` header: either an action as JSON (`{"status":503}`) or
/// `;`-separated settings with the same names: `status=503`, `delayMs=2000; status=504`,
/// `drop`, `usersync=PartialSyncFailure; team=productone; applied=2`.
pub fn parse_header(value: &str) -> Result<ActionSpec, String> {
    let value = value.trim();
    if value.starts_with('{') {
        return serde_json::from_str(value).map_err(|e| format!("invalid JSON: {e}"));
    }
    let mut spec = ActionSpec::default();
    for setting in value.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, raw) = setting
            .split_once('=')
            .map_or((setting, ""), |(n, v)| (n.trim(), v.trim()));
        let number = |what: &str| {
            raw.parse::<u64>()
                .map_err(|_| format!("{what} must be a number, not {raw:?}"))
        };
        match name.to_ascii_lowercase().as_str() {
            "status" => {
                spec.status = Some(
                    u16::try_from(number("status")?).map_err(|_| format!("bad status {raw}"))?,
                )
            }
            "delayms" | "delay" => spec.delay_ms = Some(number("delayMs")?),
            "drop" => spec.drop = Some(true),
            "usersync" => spec.usersync = Some(raw.to_string()),
            "team" => spec.team = Some(raw.to_string()),
            "applied" => spec.applied = Some(number("applied")? as usize),
            _ => {
                return Err(format!(
                    "unknown setting {name:?}; use status, delayMs, drop, usersync, team, applied"
                ));
            }
        }
    }
    Ok(spec)
}

#[cfg(test)]
mod tests;
