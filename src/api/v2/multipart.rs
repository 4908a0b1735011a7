//! `multipart/form-data` (RFC 7578) read from a body already in memory: the parts' names and
//! contents, in order ([`parts`]), or the fields as text ([`fields`], usersync's form). Enough
//! for a form and a file upload (v3 `POST /images/upload` reads its `file` part), and no more.

use memchr::memmem;

/// The fields of a multipart body whose `Content-Type` is `content_type`, as text; `Err` says
/// what is malformed (a field that is not UTF-8 included).
pub fn fields(
    content_type: &str,
    body: &[u8],
    max: usize,
) -> Result<Vec<(String, String)>, String> {
    parts(content_type, body, max)?
        .into_iter()
        .map(|part| match std::str::from_utf8(part.content) {
            Ok(value) => Ok((part.name, value.to_string())),
            Err(_) => Err(format!("field {:?} is not UTF-8 text", part.name)),
        })
        .collect()
}

/// One part of a multipart body: the field name its `Content-Disposition` gives, and its
/// content as sent (a slice of the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    pub name: String,
    pub content: &'a [u8],
}

/// The parts of a multipart body whose `Content-Type` is `content_type`, at most `max`; `Err`
/// says what is malformed.
pub fn parts<'a>(content_type: &str, body: &'a [u8], max: usize) -> Result<Vec<Part<'a>>, String> {
    let boundary = boundary(content_type)?;
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    // The first delimiter, after an optional preamble.
    let first = if body.starts_with(delimiter) {
        0
    } else {
        memmem::find(body, &[b"\r\n", delimiter].concat())
            .map(|at| at + 2)
            .ok_or("no boundary in the body")?
    };
    let mut rest = &body[first + delimiter.len()..];
    let mut fields = Vec::new();
    let between = [b"\r\n", delimiter].concat();
    loop {
        if rest.starts_with(b"--") {
            return Ok(fields); // the close delimiter; an epilogue may follow
        }
        // Transport padding, then the line break that ends the delimiter line.
        let padding = rest
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count();
        rest = rest[padding..]
            .strip_prefix(b"\r\n")
            .ok_or("a boundary line does not end with CRLF")?;
        let end =
            memmem::find(rest, &between).ok_or("the body ends before its closing boundary")?;
        let part = &rest[..end];
        if fields.len() == max {
            return Err(format!("it has more than {max} parts (mock limit)"));
        }
        fields.push(part_of(part)?);
        rest = &rest[end + between.len()..];
    }
}

/// The `boundary` parameter of a multipart content type, quoted or not.
fn boundary(content_type: &str) -> Result<String, String> {
    let value = content_type
        .split(';')
        .skip(1)
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .ok_or("the content type names no boundary")?;
    if value.is_empty() || value.len() > 70 {
        return Err(format!("the boundary {value:?} is not 1 to 70 characters"));
    }
    Ok(value)
}

/// One part: its headers, a blank line, its content.
fn part_of(part: &[u8]) -> Result<Part<'_>, String> {
    let split =
        memmem::find(part, b"\r\n\r\n").ok_or("a part has no blank line after its headers")?;
    let headers =
        std::str::from_utf8(&part[..split]).map_err(|_| "a part's headers are not UTF-8")?;
    let disposition = headers
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-disposition"))
        .map(|(_, value)| value.trim())
        .ok_or("a part has no Content-Disposition")?;
    let name =
        parameter(disposition, "name").ok_or("a part's Content-Disposition names no field")?;
    Ok(Part {
        name,
        content: &part[split + 4..],
    })
}

/// A parameter of a header value: `name="value"` (with `\"` escapes) or `name=value`.
fn parameter(header: &str, wanted: &str) -> Option<String> {
    let mut rest = header;
    while let Some(semicolon) = rest.find(';') {
        rest = rest[semicolon + 1..].trim_start();
        let (name, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (value, tail) = match after.strip_prefix('"') {
            Some(quoted) => {
                let mut value = String::new();
                let mut chars = quoted.char_indices();
                let mut end = quoted.len();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next().map(|(_, c)| c)),
                        '"' => {
                            end = i + 1;
                            break;
                        }
                        c => value.push(c),
                    }
                }
                (value, &quoted[end.min(quoted.len())..])
            }
            None => {
                let end = after.find(';').unwrap_or(after.len());
                (after[..end].trim().to_string(), &after[end..])
            }
        };
        if name.trim().eq_ignore_ascii_case(wanted) {
            return Some(value);
        }
        rest = tail;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE: &str = "multipart/form-data; boundary=XyZ";

    #[test]
    fn fields_are_read_in_order_with_any_content() {
        let body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nlocal-key\r\n\
                    --XyZ  \r\ncontent-disposition: form-data; name=requestsJson\r\nContent-Type: application/json\r\n\r\n[{\"Team\":\"a\r\nb\"}]\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"we\\\"ird\"; filename=\"x.txt\"\r\n\r\n\r\n--XyZ--\r\nepilogue";
        assert_eq!(
            fields(TYPE, body.as_bytes(), 64).unwrap(),
            [
                ("key".to_string(), "local-key".to_string()),
                ("requestsJson".into(), "[{\"Team\":\"a\r\nb\"}]".into()),
                ("we\"ird".into(), String::new()),
            ]
        );
        let quoted = "multipart/form-data; charset=utf-8; Boundary=\"XyZ\"";
        assert_eq!(
            fields(
                quoted,
                b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--",
                64
            )
            .unwrap(),
            [("a".to_string(), "1".to_string())]
        );
    }

    #[test]
    fn malformed_bodies_say_what_is_wrong() {
        for (content_type, body, why) in [
            ("multipart/form-data", "--XyZ--", "no boundary"),
            (TYPE, "no delimiter here", "no boundary in the body"),
            (
                TYPE,
                "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed",
                "closing boundary",
            ),
            (
                TYPE,
                "--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--",
                "names no field",
            ),
            (
                TYPE,
                "--XyZ\r\nX-Other: 1\r\n\r\nx\r\n--XyZ--",
                "no Content-Disposition",
            ),
            (
                TYPE,
                "--XyZ\r\nContent-Disposition: form-data; name=a\r\nx\r\n--XyZ--",
                "blank line",
            ),
            (TYPE, "--XyZgarbage", "CRLF"),
        ] {
            let problem = fields(content_type, body.as_bytes(), 64).unwrap_err();
            assert!(problem.contains(why), "{body:?}: {problem}");
        }
        let invalid = [
            b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n".as_slice(),
            &[0xff, 0xfe],
            b"\r\n--XyZ--",
        ]
        .concat();
        assert!(
            fields(TYPE, &invalid, 64)
                .unwrap_err()
                .contains("not UTF-8")
        );
    }

    #[test]
    fn a_body_with_more_parts_than_the_most_is_refused() {
        let part = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n";
        let body = format!("{}--XyZ--", part.repeat(3));
        assert_eq!(fields(TYPE, body.as_bytes(), 3).unwrap().len(), 3);
        let problem = fields(TYPE, body.as_bytes(), 2).unwrap_err();
        assert!(problem.contains("more than 2 parts"), "{problem}");
    }
}
