use super::*;

fn one(entry: &str) -> TeamRequest {
    read(&format!("[{entry}]")).unwrap().remove(0)
}

#[test]
fn unknown_properties_and_values_of_any_shape_are_skipped() {
    let request = one(
        r#"{"Extra": [[1, {"a": [2]}], {"b": null}], "Team": "productone",
            "Members": [{"Note": {"deep": [1, 2, 3]}, "UserIdentifier": "ada", "Level": "Admin"}]}"#,
    );
    assert_eq!(request.team_name(), Some("productone"));
    assert_eq!(
        request.members.unwrap(),
        [Member {
            identifier: "ada".into(),
            role: Role::Admin
        }]
    );
}

#[test]
fn the_wire_casing_wins_over_another_whatever_the_order() {
    for entry in [
        r#"{"team": "other", "Team": "productone", "Members": []}"#,
        r#"{"Team": "productone", "team": "other", "Members": []}"#,
    ] {
        assert_eq!(one(entry).team_name(), Some("productone"), "{entry}");
    }
}

#[test]
fn a_team_that_is_an_array_or_an_object_is_named_by_its_kind() {
    let request = one(r#"{"Team": [1, 2, 3], "Members": []}"#);
    assert_eq!(
        request.team,
        Err("\"Team\" must be a non-empty string, not an array".into())
    );
    let request = one(
        r#"{"Team": "productone", "Members": [{"UserIdentifier": {"x": 1}, "Level": "Admin"}]}"#,
    );
    let problem = request.members.unwrap_err();
    assert!(
        problem.contains("invalid \"UserIdentifier\": an object"),
        "{problem}"
    );
}

#[test]
fn a_bad_member_fails_its_team_and_the_rest_of_the_list_is_still_read() {
    let requests = read(
        r#"[{"Team": "a", "Members": [{"Level": "Admin"}, {"UserIdentifier": "ada", "Level": "Admin"}]},
            {"Team": "b", "Members": [{"UserIdentifier": "ada", "Level": "Admin"}]}]"#,
    )
    .unwrap();
    assert!(
        requests[0]
            .members
            .as_ref()
            .unwrap_err()
            .contains("member #1")
    );
    assert_eq!(requests[1].members.as_ref().unwrap().len(), 1);
}

#[test]
fn at_most_teams_max_entries_are_read_and_the_count_is_told() {
    let entry = r#"{"Team": "a", "Members": []}"#;
    let at_limit = format!("[{}]", vec![entry; TEAMS_MAX].join(","));
    assert_eq!(read(&at_limit).unwrap().len(), TEAMS_MAX);
    let over = format!("[{}]", vec![entry; TEAMS_MAX + 5].join(","));
    let problem = read(&over).unwrap_err();
    assert!(
        problem.contains(&format!("has {} team entries", TEAMS_MAX + 5)),
        "{problem}"
    );
}

#[test]
fn what_is_not_an_array_or_not_json_says_so() {
    assert_eq!(
        read(r#"{"Team": "a"}"#).unwrap_err(),
        "must be a JSON array of team entries, not an object"
    );
    assert!(read("[1,").unwrap_err().starts_with("not valid JSON"));
    assert!(read("[1] x").unwrap_err().starts_with("not valid JSON"));
}
