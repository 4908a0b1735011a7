//! What a request is, seen from outside the edges: which API it addresses and which sites it
//! touches. The journal records it and fault rules match on it, so both agree on one reading.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The API a request addresses, by its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Api {
    /// `/api/v3/…` and `/v3/teams/{team}/…`.
    V3,
    /// `/api/2.3/enterprise/usersync`.
    Usersync,
    /// `/__admin/…`.
    Admin,
    /// Anything else (the index page, unknown routes).
    Other,
}

pub const USERSYNC_PATH: &str = "/api/2.3/enterprise/usersync";
pub const ADMIN_PREFIX: &str = "/__admin";

impl Api {
    pub fn of(path: &str) -> Api {
        if path == ADMIN_PREFIX || path.starts_with("/__admin/") {
            Api::Admin
        } else if path.trim_end_matches('/') == USERSYNC_PATH {
            Api::Usersync
        } else if path.starts_with("/api/v3/") || path == "/api/v3" || path.starts_with("/v3/") {
            Api::V3
        } else {
            Api::Other
        }
    }
}

/// The sites a request touches: for v3 the addressed site (`main_site` for `/api/v3/…`), for
/// usersync the teams its `requestsJson` names (as far as it parses), for others none.
pub fn sites_of(
    api: Api,
    path: &str,
    body: &[u8],
    main_site: impl FnOnce() -> Option<String>,
) -> Vec<String> {
    match api {
        Api::V3 => {
            let team = path
                .strip_prefix("/api/v3/teams/")
                .or_else(|| path.strip_prefix("/v3/teams/"));
            match team {
                Some(rest) => vec![rest.split('/').next().unwrap_or_default().to_string()],
                None => main_site().into_iter().collect(),
            }
        }
        Api::Usersync => usersync_teams(body),
        Api::Admin | Api::Other => Vec::new(),
    }
}

/// The `Team` of each entry of a form-encoded `requestsJson` (a multipart body names none).
fn usersync_teams(body: &[u8]) -> Vec<String> {
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return Vec::new();
    };
    let Some((_, json)) = fields.iter().find(|(k, _)| k == "requestsJson") else {
        return Vec::new();
    };
    // Fast path: only `Team` is read, `Members` (10k entries in a big sync) is skipped
    // without building a JSON tree. A malformed array falls back to reading entry by entry.
    #[derive(serde::Deserialize)]
    struct TeamOnly {
        #[serde(rename = "Team", default)]
        team: Option<serde_json::Value>,
    }
    if let Ok(entries) = serde_json::from_str::<Vec<TeamOnly>>(json) {
        return entries
            .into_iter()
            .filter_map(|e| match e.team {
                Some(serde_json::Value::String(team)) => Some(team),
                _ => None,
            })
            .collect();
    }
    let Ok(serde_json::Value::Array(entries)) = serde_json::from_str(json) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|e| e.get("Team").and_then(|t| t.as_str()).map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_prefix() {
        assert_eq!(Api::of("/api/v3/users"), Api::V3);
        assert_eq!(Api::of("/v3/teams/acme/tags"), Api::V3);
        assert_eq!(Api::of("/api/2.3/enterprise/usersync"), Api::Usersync);
        assert_eq!(Api::of("/__admin/health"), Api::Admin);
        assert_eq!(Api::of("/__adminx"), Api::Other);
        assert_eq!(Api::of("/"), Api::Other);
    }

    #[test]
    fn sites_come_from_the_path_or_the_usersync_body() {
        assert_eq!(
            sites_of(Api::V3, "/api/v3/teams/legal/tags", b"", || Some(
                "main".into()
            )),
            ["legal"]
        );
        assert_eq!(
            sites_of(Api::V3, "/v3/teams/acme/tags", b"", || Some("main".into())),
            ["acme"]
        );
        assert_eq!(
            sites_of(Api::V3, "/api/v3/tags", b"", || Some("main".into())),
            ["main"]
        );
        let body = serde_urlencoded::to_string([(
            "requestsJson",
            r#"[{"Team":"productone","Members":[]},{"Team":"legal"}]"#,
        )])
        .unwrap();
        assert_eq!(
            sites_of(Api::Usersync, USERSYNC_PATH, body.as_bytes(), || None),
            ["productone", "legal"]
        );
        assert!(sites_of(Api::Usersync, USERSYNC_PATH, b"requestsJson=nope", || None).is_empty());
        // An entry that is not an object, or a Team that is not a string, does not hide the
        // teams of the other entries.
        let body = serde_urlencoded::to_string([(
            "requestsJson",
            r#"[7,{"Team":3},{"Team":"platform","Members":[{"UserIdentifier":"ada"}]}]"#,
        )])
        .unwrap();
        assert_eq!(
            sites_of(Api::Usersync, USERSYNC_PATH, body.as_bytes(), || None),
            ["platform"]
        );
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters (`/` included)
/// and everything else must match exactly: `/api/v3/user-groups*`, `*/users/me`.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod glob_tests {
    use super::glob_match;

    #[test]
    fn stars_match_any_run_and_the_rest_is_literal() {
        assert!(glob_match("/api/v3/users", "/api/v3/users"));
        assert!(!glob_match("/api/v3/users", "/api/v3/users/1"));
        assert!(glob_match("/api/v3/users*", "/api/v3/users/1"));
        assert!(glob_match("*/users/me", "/api/v3/teams/x/users/me"));
        assert!(glob_match("/api/*/user-groups/*", "/api/v3/user-groups/4"));
        assert!(!glob_match("/api/*/user-groups/*", "/api/v3/tags/4"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("a*a", "a"));
    }
}
