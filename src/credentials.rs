//! Credentials: where a request carries them, and masking them wherever a request is shown.
//!
//! Credentials never leave the mock in full: not in a log line, the journal or an error body.
//! Every place that shows a request (the request log, the journal, error messages) masks with
//! the functions here, on the parsed structure: query and form parameters by their
//! percent-decoded name in any case, headers by name, JSON by key at any depth. A masked
//! secret keeps at most its first three characters (`ada…`), enough to tell fixture tokens
//! apart, never enough to use one.

use std::borrow::Cow;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use percent_encoding::percent_decode_str;
use serde_json::Value;

/// What a request's `Authorization` header holds, as v3 reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorization<'a> {
    /// No `Authorization` header.
    Missing,
    /// A header that is not `Bearer <token>`: another scheme, no scheme, no token, not text.
    Malformed,
    /// The token of a well-formed `Bearer` header.
    Bearer(&'a str),
}

/// Reads a request's `Authorization` header ([`Authorization`]); the scheme in any case.
pub fn authorization(headers: &HeaderMap) -> Authorization<'_> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Authorization::Missing;
    };
    let bearer = value.to_str().ok().and_then(|value| {
        let (scheme, token) = value.trim().split_once(' ')?;
        let token = token.trim();
        (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
    });
    bearer.map_or(Authorization::Malformed, Authorization::Bearer)
}

/// The bearer token of a request, if it has a well-formed `Authorization: Bearer` header.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    match authorization(headers) {
        Authorization::Bearer(token) => Some(token),
        Authorization::Missing | Authorization::Malformed => None,
    }
}

/// Whether a request carries a token where usersync takes one and v3 does not: an
/// `X-API-Access-Token` header, or an `access_token` query parameter (its name in any case,
/// percent-encoded or not). v3 then says `credentials-in-wrong-place` rather than
/// `bearer-missing` ([`crate::refusal`]).
pub fn token_elsewhere(headers: &HeaderMap, query: Option<&str>) -> bool {
    headers.contains_key("x-api-access-token")
        || form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .any(|(name, _)| name.eq_ignore_ascii_case("access_token"))
}

/// A secret shown by its first three characters at most (`ada…`), never in full: a secret of
/// five characters or fewer shows fewer.
pub fn mask(secret: &str) -> String {
    let shown: String = secret
        .chars()
        .take(3.min(secret.chars().count() / 2))
        .collect();
    format!("{shown}…")
}

/// Whether a parameter, JSON key or header of this name carries a credential: `access_token`,
/// `key`, `X-API-Key`, `adminToken`, `Authorization`, … Compared without case and without
/// `_`/`-`, so `Access_Token`, `accessToken` and `ACCESS-TOKEN` are all secrets.
pub fn is_secret_name(name: &str) -> bool {
    let normal: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    [
        "token",
        "key",
        "secret",
        "password",
        "authorization",
        "cookie",
    ]
    .iter()
    .any(|s| normal.ends_with(s))
}

/// A name as a form or query string spells it, percent-decoded (`access%5Ftoken` is
/// `access_token`; `+` is a space).
pub fn decoded_name(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['%', '+']) {
        return Cow::Borrowed(raw);
    }
    let spaced = raw.replace('+', " ");
    Cow::Owned(percent_decode_str(&spaced).decode_utf8_lossy().into_owned())
}

/// A query string (or a url-encoded form) with the values of secret parameters masked. Names
/// are judged percent-decoded; the text is otherwise kept as sent.
pub fn mask_query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if is_secret_name(&decoded_name(name)) => {
                let value = percent_decode_str(&value.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned();
                format!("{name}={}", mask(&value))
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A header's value for display: masked when the header carries a credential
/// (`Authorization: Bearer ada…` keeps its scheme).
pub fn mask_header(name: &str, value: &str) -> String {
    if !is_secret_name(name) {
        return value.to_string();
    }
    match value.trim().split_once(' ') {
        Some((scheme, secret)) if name.eq_ignore_ascii_case("authorization") => {
            format!("{scheme} {}", mask(secret.trim()))
        }
        _ => mask(value.trim()),
    }
}

/// Masks the string (or number) values of secret keys, at any depth.
pub fn mask_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    Value::String(s) if is_secret_name(k) => *s = mask(s),
                    Value::Number(n) if is_secret_name(k) => {
                        *v = Value::String(mask(&n.to_string()))
                    }
                    _ => mask_json(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

/// Form fields (name, value) with the values of secret fields masked.
pub fn mask_fields(fields: &[(String, String)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(name, value)| {
            let value = if is_secret_name(name) {
                mask(value)
            } else {
                value.clone()
            };
            (name.clone(), value)
        })
        .collect()
}

/// Text that may hold credentials in some unknown shape (a body that is neither a form nor
/// JSON): every `name=value` pair and every JSON-ish `"name": "value"` whose name is a secret
/// is masked, and the text is otherwise kept.
pub fn mask_text(text: &str) -> String {
    if let Ok(mut json) = serde_json::from_str::<Value>(text) {
        mask_json(&mut json);
        return json.to_string();
    }
    let mut out = mask_query(text);
    // A malformed JSON body: mask `"secret": "value"` pairs by hand.
    let mut searched = 0;
    while let Some(at) = out[searched..].find("\":") {
        let colon = searched + at + 1;
        let name_start = out[..colon - 1].rfind('"').map_or(0, |i| i + 1);
        let name = out[name_start..colon - 1].to_string();
        let after = &out[colon + 1..];
        let trimmed = after.trim_start();
        let value_start = colon + 1 + (after.len() - trimmed.len());
        searched = colon + 1;
        if !is_secret_name(&name) || !trimmed.starts_with('"') {
            continue;
        }
        let Some(len) = trimmed[1..].find('"') else {
            let masked = mask(&trimmed[1..]);
            out.replace_range(value_start + 1.., &masked);
            break;
        };
        let masked = mask(&trimmed[1..1 + len]);
        out.replace_range(value_start + 1..value_start + 1 + len, &masked);
        searched = value_start + 1 + masked.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authorization_header_is_missing_malformed_or_a_bearer_token() {
        let of = |value: Option<&[u8]>| {
            let mut headers = HeaderMap::new();
            if let Some(value) = value {
                headers.insert(AUTHORIZATION, value.try_into().unwrap());
            }
            match authorization(&headers) {
                Authorization::Bearer(t) => Ok(t.to_string()),
                other => Err(other == Authorization::Missing),
            }
        };
        assert_eq!(of(None), Err(true));
        for malformed in [
            &b"ada-rw"[..],
            b"Basic YWRhOnJ3",
            b"Bearer",
            b"Bearer   ",
            b"\xffx y",
        ] {
            assert_eq!(of(Some(malformed)), Err(false), "{malformed:?}");
        }
        assert_eq!(of(Some(b"bearer  ada-rw ")), Ok("ada-rw".to_string()));
    }

    #[test]
    fn a_token_elsewhere_is_the_usersync_header_or_an_access_token_parameter() {
        let mut headers = HeaderMap::new();
        assert!(!token_elsewhere(&headers, None));
        assert!(!token_elsewhere(&headers, Some("page=2&key=local-key")));
        assert!(token_elsewhere(
            &headers,
            Some("page=2&Access%5FToken=ada-rw")
        ));
        headers.insert("x-api-access-token", "ada-rw".parse().unwrap());
        assert!(token_elsewhere(&headers, None));
    }

    #[test]
    fn short_secrets_are_never_shown_in_full() {
        assert_eq!(mask("ada-rw-secret"), "ada…");
        assert_eq!(mask("ab"), "a…");
        assert_eq!(mask(""), "…");
        assert_eq!(mask("x"), "…");
    }

    #[test]
    fn secret_names_are_judged_without_case_or_separators() {
        for name in [
            "access_token",
            "Access_Token",
            "accessToken",
            "ACCESS-TOKEN",
            "key",
            "X-API-Key",
            "x-api-access-token",
            "adminToken",
            "authorization",
            "Cookie",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["requestsJson", "dryRun", "page", "userIds", "name"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn query_secrets_are_masked_by_their_decoded_name() {
        let masked = mask_query("access_token=secret-token-123&KEY=local-key&page=2");
        assert_eq!(masked, "access_token=sec…&KEY=loc…&page=2");
        let encoded = mask_query("access%5Ftoken=secret-token-123&k%65y=local-key");
        assert_eq!(encoded, "access%5Ftoken=sec…&k%65y=loc…");
        assert_eq!(
            mask_query("access_token=ada%2Drw%2Dsecret"),
            "access_token=ada…",
            "a percent-encoded value is masked decoded"
        );
    }

    #[test]
    fn headers_keep_their_scheme() {
        assert_eq!(
            mask_header("authorization", "Bearer ada-rw-secret"),
            "Bearer ada…"
        );
        assert_eq!(mask_header("X-API-Key", "local-key"), "loc…");
        assert_eq!(mask_header("accept", "*/*"), "*/*");
    }

    #[test]
    fn json_secrets_are_masked_at_any_depth() {
        let mut doc = serde_json::json!({"tokens":[{"token":"ada-rw-secret","write":true}],
            "apiKeys":[{"key":"local-key"}], "AccessToken": 123456789});
        mask_json(&mut doc);
        let text = doc.to_string();
        assert!(
            !text.contains("ada-rw-secret") && !text.contains("local-key"),
            "{text}"
        );
        assert!(!text.contains("123456789"), "{text}");
    }

    #[test]
    fn text_of_no_known_shape_is_masked_too() {
        let broken = r#"{"token": "ada-rw-secret", "write": tru"#;
        let masked = mask_text(broken);
        assert!(!masked.contains("ada-rw-secret"), "{masked}");
        assert!(masked.contains("\"write\""), "{masked}");
        let cut = r#"{"token": "ada-rw-secret"#;
        assert!(
            !mask_text(cut).contains("ada-rw-secret"),
            "{}",
            mask_text(cut)
        );
        assert_eq!(mask_text("access_token=ada-rw-secret"), "access_token=ada…");
    }
}
