//! Masking what the journal shows of a request: its headers (when an entry is read) and its
//! body (when it is recorded). The rules are [`crate::credentials`]'s.

use std::collections::BTreeMap;

use super::BODY_BOUND;
use crate::credentials::{mask_header, mask_query, mask_text};

/// Headers as text, credentials masked (`Bearer ada…`); a repeated header's values are joined
/// with `, `.
pub fn mask_headers<'a>(
    headers: impl Iterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, value) in headers {
        let shown = mask_header(name, value);
        out.entry(name.to_string())
            .and_modify(|v: &mut String| *v = format!("{v}, {shown}"))
            .or_insert(shown);
    }
    out
}

/// A body as text with credentials masked (form fields, JSON keys, or anything that looks like
/// either), cut at [`BODY_BOUND`] characters. Returns the text and whether it was cut.
pub fn mask_body(content_type: &str, body: &[u8]) -> (String, bool) {
    // Cut first: only what is kept is masked, so a 1 MiB body costs no more than a short
    // one. A secret cut in two is still masked (a value running to the end of the text is a
    // value), and a name cut in two has no value after it.
    let head = &body[..body.len().min(BODY_BOUND * 4)];
    let text = String::from_utf8_lossy(head);
    let mut cut = head.len() < body.len();
    let text = match text.char_indices().nth(BODY_BOUND) {
        Some((at, _)) => {
            cut = true;
            &text[..at]
        }
        None => &text[..],
    };
    // Any other body is masked as text, which masks `name=value` pairs too.
    let masked = if crate::body::essence(content_type) == "application/x-www-form-urlencoded" {
        mask_query(text)
    } else {
        mask_text(text)
    };
    match masked.char_indices().nth(BODY_BOUND) {
        Some((at, _)) => (masked[..at].to_string(), true),
        None => (masked, cut),
    }
}
