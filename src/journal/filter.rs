//! Which journal entries a query selects (`GET /__admin/requests?method=…&status=5xx…`).

use serde::Deserialize;

use super::Slot;
use crate::glob::glob_match;
use crate::surface::Api;

/// Which entries a query selects. Every field is optional; all given ones must match.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// HTTP method, any case.
    pub method: Option<String>,
    /// Path pattern; `*` matches any run of characters.
    pub path: Option<String>,
    /// A status (`503`) or a class (`5xx`); `dropped` selects dropped connections.
    pub status: Option<String>,
    pub api: Option<Api>,
    /// A site or team slug among the entry's sites.
    pub site: Option<String>,
    /// Only the most recent N matching entries.
    pub limit: Option<usize>,
}

impl Filter {
    /// Checks the fields that can be malformed, so a typo is an error rather than no match.
    pub fn validate(&self) -> Result<(), String> {
        match self.status.as_deref() {
            None | Some("dropped") => Ok(()),
            Some(s)
                if s.len() == 3
                    && s.ends_with("xx")
                    && s.starts_with(['1', '2', '3', '4', '5']) =>
            {
                Ok(())
            }
            Some(s) if s.parse::<u16>().is_ok_and(|n| (100..=599).contains(&n)) => Ok(()),
            Some(s) => Err(format!(
                "status must be a status code (503), a class (5xx) or \"dropped\", not {s:?}"
            )),
        }
    }

    pub(super) fn matches(&self, e: &Slot) -> bool {
        !e.pending
            && self
                .method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(e.method.as_str()))
            && self.path.as_ref().is_none_or(|p| glob_match(p, &e.path))
            && self.api.is_none_or(|a| a == e.api)
            && self
                .site
                .as_ref()
                .is_none_or(|s| e.sites.lines().any(|x| x.eq_ignore_ascii_case(s)))
            && self.status.as_deref().is_none_or(|s| match (s, e.status) {
                ("dropped", status) => status.is_none(),
                (_, None) => false,
                (s, Some(status)) if s.ends_with("xx") => {
                    s.as_bytes()[0] == b'0' + (status / 100) as u8
                }
                (s, Some(status)) => s.parse::<u16>() == Ok(status),
            })
    }
}
