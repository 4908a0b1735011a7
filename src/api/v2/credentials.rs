//! Where a usersync call's credentials come from, and what two different values of one are.
//!
//! `access_token` and `key` may each come from the form body, the query string or a header
//! (`X-API-Access-Token`, `X-API-Key`; api-notes §7.2), each place possibly more than once.
//! The call has one value when every non-empty one is the same; two that differ are a
//! [`Conflict`], which the handler refuses with `bad_parameter` (mock choice: picking one by
//! precedence would hide a caller's bug, such as a stale token left in a header). The
//! message says where the two came from and shows each masked, never in full.

use std::fmt;

use crate::credentials::mask;

/// The header usersync reads the access token from.
pub const TOKEN_HEADER: &str = "X-API-Access-Token";
/// The header usersync reads the key from.
pub const KEY_HEADER: &str = "X-API-Key";

/// Where a usersync parameter came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Body,
    Query,
    /// A header, by its name.
    Header(&'static str),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Body => f.write_str("the form body"),
            Place::Query => f.write_str("the query string"),
            Place::Header(name) => write!(f, "the {name} header"),
        }
    }
}

/// Two different values of one credential: where each came from, each masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// `access_token` or `key`.
    pub name: &'static str,
    pub first: (Place, String),
    pub second: (Place, String),
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ((first_place, first), (second_place, second)) = (&self.first, &self.second);
        write!(
            f,
            "two different values were sent, {first} in {first_place} and {second} in \
             {second_place}; send one (mock choice)"
        )
    }
}

/// The one value of credential `name`, from the fields (`(fields, n)`: the first `n` from the
/// body, the rest from the query; names in any case) and then the values of its header, empty
/// values left out (trimmed); or the first two values that differ.
pub fn one_value<'a>(
    (fields, body_fields): (&'a [(String, String)], usize),
    (name, header): (&'static str, &'static str),
    header_values: &'a [String],
) -> Result<Option<&'a str>, Conflict> {
    let from_fields = fields.iter().enumerate().filter_map(|(i, (k, v))| {
        let place = if i < body_fields {
            Place::Body
        } else {
            Place::Query
        };
        k.eq_ignore_ascii_case(name).then_some((place, v.as_str()))
    });
    let from_header = header_values
        .iter()
        .map(|v| (Place::Header(header), v.as_str()));
    let mut found: Option<(Place, &str)> = None;
    for (place, value) in from_fields.chain(from_header) {
        let value = value.trim();
        match found {
            _ if value.is_empty() => {}
            None => found = Some((place, value)),
            Some((_, first)) if first == value => {}
            Some((first_place, first)) => {
                return Err(Conflict {
                    name,
                    first: (first_place, mask(first)),
                    second: (place, mask(value)),
                });
            }
        }
    }
    Ok(found.map(|(_, value)| value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn token<'a>(
        fields: &'a [(String, String)],
        body: usize,
        headers: &'a [String],
    ) -> Result<Option<&'a str>, Conflict> {
        one_value((fields, body), ("access_token", TOKEN_HEADER), headers)
    }

    #[test]
    fn one_value_from_any_place_identical_duplicates_and_empty_values_included() {
        let form = fields(&[("access_token", "ada-rw"), ("ACCESS_TOKEN", " ada-rw ")]);
        let header = vec!["ada-rw".to_string()];
        assert_eq!(token(&form, 1, &header), Ok(Some("ada-rw")));
        let empty_first = fields(&[("access_token", ""), ("key", "local-key")]);
        assert_eq!(token(&empty_first, 2, &header), Ok(Some("ada-rw")));
        assert_eq!(token(&empty_first, 2, &[]), Ok(None));
    }

    #[test]
    fn two_different_values_name_both_places_masked() {
        let secret_a = "ada-rw-secret";
        let secret_b = "bob-rw-secret";
        let cases = [
            (
                fields(&[("access_token", secret_a), ("access_token", secret_b)]),
                2,
                vec![],
                (Place::Body, Place::Body),
            ),
            (
                fields(&[("access_token", secret_a), ("access_token", secret_b)]),
                1,
                vec![],
                (Place::Body, Place::Query),
            ),
            (
                fields(&[("access_token", secret_a)]),
                0,
                vec![secret_b.to_string()],
                (Place::Query, Place::Header(TOKEN_HEADER)),
            ),
            (
                vec![],
                0,
                vec![secret_a.to_string(), secret_b.to_string()],
                (Place::Header(TOKEN_HEADER), Place::Header(TOKEN_HEADER)),
            ),
        ];
        for (fields, body, headers, (first, second)) in cases {
            let conflict = token(&fields, body, &headers).unwrap_err();
            assert_eq!(
                (conflict.name, conflict.first.0, conflict.second.0),
                ("access_token", first, second)
            );
            let message = conflict.to_string();
            assert!(
                !message.contains(secret_a) && !message.contains(secret_b),
                "{message}"
            );
            assert!(
                message.contains(&first.to_string()) && message.contains("ada…"),
                "{message}"
            );
        }
    }
}
