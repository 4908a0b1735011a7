//! Checking a fault's `contentType` before it is kept: it becomes a `Content-Type` header of
//! an injected answer, and a value the HTTP layer cannot send (a control character, say) would
//! turn the injected answer into the mock's own un-injected 500.
//!
//! The grammar is RFC 9110's `media-type`: `type "/" subtype *( OWS ";" OWS [ parameter ] )`,
//! a parameter being `token "=" ( token / quoted-string )`. Mock choice: only visible ASCII
//! (and spaces and tabs inside it) is taken, the octets every client reads the same way.

/// `Ok` for a media type such as `text/plain` or `application/json; charset=utf-8`; otherwise
/// why not, in a sentence for the problem list.
pub fn check(value: &str) -> Result<(), String> {
    let shown = value.escape_debug();
    let why = |what: &str| {
        Err(format!(
            "{what}: \"{shown}\" is not a media type such as text/plain or \
             application/json; charset=utf-8"
        ))
    };
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_graphic() || *c == ' ' || *c == '\t'))
    {
        return why(&format!(
            "{:?} is not allowed in a header value (visible ASCII only)",
            c
        ));
    }
    if value.trim_matches([' ', '\t']) != value {
        return why("spaces around the value");
    }
    let (essence, mut params) = value.split_once(';').unwrap_or((value, ""));
    let essence = essence.trim_end_matches([' ', '\t']);
    let Some((kind, subtype)) = essence.split_once('/') else {
        return why("no '/' between type and subtype");
    };
    if !is_token(kind) || !is_token(subtype) {
        return why("the type and the subtype must be tokens");
    }
    // Each round reads one `;`-separated parameter (an empty one is allowed by the grammar).
    loop {
        params = params.trim_start_matches([' ', '\t']);
        if params.is_empty() {
            return Ok(());
        }
        if let Some(next) = params.strip_prefix(';') {
            params = next;
            continue;
        }
        let Some((name, rest)) = params.split_once('=') else {
            return why("a parameter without '='");
        };
        if !is_token(name) {
            return why("a parameter name must be a token");
        }
        let (value_ok, rest) = match rest.strip_prefix('"') {
            Some(quoted) => match quoted_end(quoted) {
                Some(end) => (true, &quoted[end..]),
                None => (false, ""),
            },
            None => {
                let end = rest.find([' ', '\t', ';']).unwrap_or(rest.len());
                (is_token(&rest[..end]), &rest[end..])
            }
        };
        if !value_ok {
            return why("a parameter value must be a token or a quoted string");
        }
        let rest = rest.trim_start_matches([' ', '\t']);
        match rest.strip_prefix(';') {
            Some(next) => params = next,
            None if rest.is_empty() => return Ok(()),
            None => return why("parameters are separated by ';'"),
        }
    }
}

/// RFC 9110 `token`: one or more `tchar`.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Where a quoted string that began just before `s` ends (the byte after its closing quote),
/// honouring `\` escapes; `None` if it never closes.
fn quoted_end(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, b) in s.bytes().enumerate() {
        match (escaped, b) {
            (true, _) => escaped = false,
            (false, b'\\') => escaped = true,
            (false, b'"') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn media_types_with_and_without_parameters_are_taken() {
        for ok in [
            "text/plain",
            "application/json",
            "application/problem+json",
            "text/plain; charset=utf-8",
            "text/plain;charset=utf-8",
            "multipart/form-data; boundary=\"a b;c\\\"d\"",
            "application/vnd.api+json; a=1 ; b=2",
            "text/html;",
            "text/html; ; charset=x",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn anything_a_header_cannot_carry_or_that_is_no_media_type_is_refused() {
        for bad in [
            "",
            "a\u{1}b",
            "text/plain\r\nX-Evil: 1",
            "text/plain\u{7f}",
            "téxt/plain",
            " text/plain",
            "text/plain ",
            "textplain",
            "text/",
            "/plain",
            "text /plain",
            "text/pl ain",
            "text/plain; charset",
            "text/plain; charset=",
            "text/plain; =utf-8",
            "text/plain; charset=\"utf-8",
            "text/plain; charset=utf 8",
            "text/plain; charset=a/b",
            "text/plain; a=\"x\"y",
        ] {
            let refused = check(bad);
            assert!(refused.is_err(), "{bad:?} must be refused");
            assert!(
                refused.unwrap_err().contains("is not a media type"),
                "{bad:?}: the reason says what is expected"
            );
        }
    }
}
