use super::*;
use crate::domain::Role;
use crate::domain::usersync::Member;
use serde_json::json;

fn read(entry: Value) -> TeamRequest {
    let mut entries = requests_json(Some(&format!("[{entry}]"))).unwrap();
    entries.remove(0)
}

#[test]
fn malformed_entries_say_what_is_wrong_and_keep_their_team() {
    let cases = [
        (json!("productone"), None, "must be a JSON object"),
        (json!({"Members": []}), None, "no \"Team\""),
        (
            json!({"Team": "productone"}),
            Some("productone"),
            "no \"Members\"",
        ),
        (
            json!({"Team": "productone", "Members": {}}),
            Some("productone"),
            "must be an array",
        ),
        (
            json!({"Team": "productone", "Members": [{"Level": "Admin"}]}),
            Some("productone"),
            "no \"UserIdentifier\"",
        ),
        (
            json!({"Team": "productone", "Members": [{"UserIdentifier": "ada", "Level": "Owner"}]}),
            Some("productone"),
            "unknown \"Level\"",
        ),
        (
            json!({"Team": "productone", "Members": [{"UserIdentifier": "ada"}]}),
            Some("productone"),
            "no \"Level\"",
        ),
    ];
    for (value, team, why) in cases {
        let request = read(value.clone());
        assert_eq!(request.team_name(), team, "{value}");
        let problem = match (&request.team, &request.members) {
            (Err(p), _) | (_, Err(p)) => p.clone(),
            _ => panic!("{value} read as well-formed"),
        };
        assert!(
            problem.contains(why),
            "{value}: {problem:?} should contain {why:?}"
        );
    }
}

#[test]
fn names_and_levels_match_in_any_case_and_numbers_are_identifiers() {
    let request = read(json!({"team": " productone ", "MEMBERS": [
        {"userIdentifier": 1008, "level": "moderator"},
        {"UserIdentifier": "ada", "Level": "ADMIN"},
    ]}));
    assert_eq!(request.team_name(), Some("productone"));
    assert_eq!(
        request.members.unwrap(),
        [
            Member {
                identifier: "1008".into(),
                role: Role::Moderator
            },
            Member {
                identifier: "ada".into(),
                role: Role::Admin
            },
        ]
    );
}

#[test]
fn a_call_reads_the_same_from_a_form_multipart_lower_case_or_double_encoding() {
    let json = r#"[{"Team":"productone","Members":[]},{"Team":"platform","Members":[]}]"#;
    let form = |pairs: &[(&str, &str)]| Bytes::from(serde_urlencoded::to_string(pairs).unwrap());
    let headers = |content_type: &str| {
        let mut h = HeaderMap::new();
        if !content_type.is_empty() {
            h.insert(CONTENT_TYPE, content_type.parse().unwrap());
        }
        h
    };
    let twice =
        percent_encoding::utf8_percent_encode(json, percent_encoding::NON_ALPHANUMERIC).to_string();
    let multipart = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"requestsJson\"\r\n\r\n{json}\r\n--XyZ--\r\n"
    );
    let cases = [
        (
            "form",
            headers("application/x-www-form-urlencoded"),
            form(&[("requestsJson", json)]),
        ),
        (
            "no content type",
            headers(""),
            form(&[("requestsJson", json)]),
        ),
        (
            "odd casing",
            headers("Application/X-WWW-Form-URLEncoded"),
            form(&[("REQUESTSJSON", json)]),
        ),
        (
            "double encoding",
            headers(""),
            form(&[("requestsJson", &twice)]),
        ),
        (
            "multipart",
            headers("multipart/form-data; boundary=XyZ"),
            Bytes::from(multipart),
        ),
    ];
    for (what, headers, body) in cases {
        let call = UsersyncCall::read(&headers, None, Ok(body));
        assert_eq!(call.body_problem(), None, "{what}");
        assert_eq!(call.teams(), ["productone", "platform"], "{what}");
    }
    let query = UsersyncCall::read(
        &HeaderMap::new(),
        Some("requests%4Ason=%5B%7B%22Team%22%3A%22legal%22%7D%5D&access%5Ftoken=ada-rw"),
        Ok(Bytes::new()),
    );
    assert_eq!(
        query.teams(),
        ["legal"],
        "percent-encoded names in the query"
    );
    assert_eq!(query.access_token(), Ok(Some("ada-rw")));
}

#[test]
fn the_journal_body_is_decoded_and_masked() {
    let body = Bytes::from(
        serde_urlencoded::to_string([
            ("access_token", "ada-rw-secret"),
            ("key", "local-key"),
            ("requestsJson", r#"[{"Team":"productone","Members":[]}]"#),
        ])
        .unwrap(),
    );
    let call = UsersyncCall::read(&HeaderMap::new(), Some("dryRun=true"), Ok(body));
    let (shown, cut) = call.journal_body();
    assert!(!cut);
    let shown: Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(
        shown,
        json!({"access_token": "ada…", "key": "loc…", "dryRun": "true",
               "requestsJson": [{"Team": "productone", "Members": []}]})
    );
}

#[test]
fn an_unreadable_body_is_a_problem_not_a_failure() {
    let too_large = UsersyncCall::read(
        &HeaderMap::new(),
        None,
        Err(Unread::TooLarge {
            limit: body::USERSYNC_LIMIT,
            head: Bytes::new(),
        }),
    );
    assert!(too_large.body_problem().unwrap().contains("larger than"));
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        "multipart/form-data; boundary=XyZ".parse().unwrap(),
    );
    let unterminated = UsersyncCall::read(
        &headers,
        None,
        Ok(Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nlocal",
        )),
    );
    assert!(
        unterminated.body_problem().unwrap().contains("multipart"),
        "{:?}",
        unterminated.body_problem()
    );
}
