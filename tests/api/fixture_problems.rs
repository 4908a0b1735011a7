//! Fixture problems are independent: a bad value in one element neither hides the problems of
//! others nor invents problems elsewhere. One fixture holds one problem of each kind, and the
//! whole list is asserted, path and reason, through `PUT /__admin/state` and `--check`.

use std::process::Command;

use crate::helpers::*;

/// One problem of each kind, each beside an element that names the element in trouble: the
/// site with a misspelt `kind` keeps its slug (token `a` names it) and its users (group 1 lists
/// them), the user with a bad role or date stays a user, the tag with a bad date keeps its SME
/// entry, the token with an unknown kind is asked for no scope, and the user and the site
/// that cannot be read (a bad `accountId`, a bad `name`) are not reported again where they are
/// named (user 6 in group 1, token `g`).
const FIXTURE: &str = r#"{
  "colour": "blue",
  "apiKeys": [
    { "key": "local-key" },
    { "key": "local-key" },
    { "key": "" }
  ],
  "accounts": [
    { "accountId": 1, "name": "Ada", "email": "ada@x", "externalId": "ada" },
    { "accountId": 2, "name": "Bob", "email": "bob@x", "isDeactivated": "no" },
    { "accountId": 2, "name": "Bob again", "email": "bob2@x" },
    { "accountId": 3, "name": "Cy", "email": "ADA@x", "externalId": "ADA" },
    { "accountId": 4, "name": "Di", "email": " ", "nickname": "d" },
    { "accountId": 5, "name": "Ed", "email": "ed@x" }
  ],
  "sites": [
    { "slug": "main", "kind": "enterprize", "name": "Main",
      "users": [
        { "id": 1, "accountId": 1, "role": "Owner" },
        { "id": 2, "accountId": 2, "role": "Registered", "creationDate": "yesterday" },
        { "id": 2, "accountId": 5, "role": "Registered" },
        { "id": 3, "accountId": 77, "role": "Registered" },
        { "id": 4, "accountId": 1, "role": "Admin" },
        { "id": 0, "accountId": 5, "role": "Admin" },
        { "id": 6, "accountId": "five", "role": "Admin" }
      ],
      "tags": [
        { "id": 1, "name": "rust", "creationDate": "2024-13-01T00:00:00Z", "watcherIds": [1, 55] },
        { "id": 1, "name": "go", "creationDate": "2024-01-01T00:00:00Z" },
        { "id": 2, "name": "Rust", "creationDate": "2024-01-01T00:00:00Z" }
      ],
      "userGroups": [
        { "id": 1, "name": "Platform", "userIds": [1, 2, 6, 999] },
        { "id": 1, "name": "Again" },
        { "id": 2, "name": "platform" },
        { "id": 3, "name": " " }
      ],
      "subjectMatterExperts": [
        { "tagId": 1, "userIds": [1, 88], "userGroupIds": [1, 9] },
        { "tagId": 1, "userIds": [2] },
        { "tagId": 42, "userIds": [1] }
      ] },
    { "slug": "other", "kind": "enterprise", "name": "Other" },
    { "slug": "third", "kind": "enterprise", "name": "Third", "userSyncEnabled": true },
    { "slug": "acme", "kind": "business", "name": "Acme", "smesEnabled": false,
      "idHighWater": { "users": 2147483648 },
      "users": [ { "id": 7, "accountId": 5, "role": "Admin" } ],
      "tags": [ { "id": 1, "name": "t", "creationDate": "2024-01-01T00:00:00Z" } ],
      "subjectMatterExperts": [ { "tagId": 1, "userIds": [7] } ] },
    { "slug": "acme", "kind": "basic", "name": "Acme Two" },
    { "slug": "no spaces", "kind": "basic", "name": "Bad slug" },
    { "slug": "gone", "kind": "basic", "name": 5 }
  ],
  "tokens": [
    { "token": "a", "accountId": 1, "kind": "pat", "scope": "main" },
    { "token": "b", "accountId": 1, "kind": "jwt", "scope": "main" },
    { "token": "c", "accountId": 9, "kind": "oauth" },
    { "token": "d", "accountId": 1, "kind": "pat", "scope": "nowhere" },
    { "token": "e", "accountId": 1, "kind": "service" },
    { "token": "a", "accountId": 1, "kind": "oauth" },
    { "token": "", "accountId": 1, "kind": "oauth" },
    { "token": "f", "accountId": 1, "kind": "oauth", "expiresAt": "never" },
    { "token": "g", "accountId": 1, "kind": "pat", "scope": "gone" }
  ]
}"#;

/// Every problem of [`FIXTURE`], in the order they are reported (elements as read, then the
/// checks between them); `{origin}` is where the document came from.
const PROBLEMS: &[(&str, &str)] = &[
    (
        "$.colour",
        "unknown key, expected one of apiKeys, accounts, sites, tokens",
    ),
    (
        "$.accounts[1].isDeactivated",
        "invalid type: string \"no\", expected a boolean",
    ),
    (
        "$.accounts[4].nickname",
        "unknown field `nickname`, expected one of `accountId`, `name`, `email`, `externalId`, `isDeactivated`, `avatarUrl`",
    ),
    (
        "$.tokens[1].kind",
        "unknown variant `jwt`, expected one of `pat`, `oauth`, `service`",
    ),
    ("$.tokens[7].expiresAt", "input contains invalid characters"),
    (
        "$.sites[0].kind",
        "unknown variant `enterprize`, expected one of `enterprise`, `privateTeam`, `basic`, `business`",
    ),
    (
        "$.sites[0].users[0].role",
        "unknown variant `Owner`, expected one of `Registered`, `Moderator`, `Admin`",
    ),
    (
        "$.sites[0].users[1].creationDate",
        "input contains invalid characters",
    ),
    (
        "$.sites[0].users[6].accountId",
        "invalid type: string \"five\", expected u32",
    ),
    ("$.sites[0].tags[0].creationDate", "input is out of range"),
    (
        "$.sites[4].slug",
        "site \"acme\" is declared again with a different name or kind (first at {origin}$.sites[3])",
    ),
    (
        "$.sites[6].name",
        "invalid type: integer `5`, expected a string",
    ),
    ("$.apiKeys[1].key", "duplicate API key \"local-key\""),
    ("$.apiKeys[2].key", "must not be empty"),
    ("$.accounts[2].accountId", "duplicate accountId 2"),
    (
        "$.accounts[3].email",
        "duplicate email \"ADA@x\" (emails are unique, case-insensitively)",
    ),
    (
        "$.accounts[3].externalId",
        "duplicate externalId \"ADA\" (unique, case-insensitively)",
    ),
    ("$.accounts[4].email", "must not be empty"),
    (
        "$.sites[0].users[2].id",
        "duplicate user id 2 on site \"main\"",
    ),
    ("$.sites[0].users[3].accountId", "account 77 does not exist"),
    (
        "$.sites[0].users[4].accountId",
        "account 1 is already a user of site \"main\"",
    ),
    (
        "$.sites[0].users[5].id",
        "0 is out of range: ids are between 1 and 2147483647",
    ),
    (
        "$.sites[0].tags[0].watcherIds[1]",
        "55 is not a user of this site",
    ),
    (
        "$.sites[0].tags[1].id",
        "duplicate tag id 1 on site \"main\"",
    ),
    ("$.sites[0].tags[2].name", "duplicate tag name \"Rust\""),
    (
        "$.sites[0].userGroups[0].userIds[3]",
        "999 is not a user of this site",
    ),
    (
        "$.sites[0].userGroups[1].id",
        "duplicate user group id 1 on site \"main\"",
    ),
    (
        "$.sites[0].userGroups[2].name",
        "duplicate user group name \"platform\" (first at {origin}$.sites[0].userGroups[0]; names are unique, case-insensitively)",
    ),
    ("$.sites[0].userGroups[3].name", "must not be empty"),
    (
        "$.sites[0].subjectMatterExperts[0].userIds[1]",
        "88 is not a user of this site",
    ),
    (
        "$.sites[0].subjectMatterExperts[0].userGroupIds[1]",
        "9 is not a user group of this site",
    ),
    (
        "$.sites[0].subjectMatterExperts[1].tagId",
        "tag 1 already has an SME entry",
    ),
    (
        "$.sites[0].subjectMatterExperts[2].tagId",
        "tag 42 does not exist on site \"main\"",
    ),
    (
        "$.sites[2].kind",
        "a second enterprise site (the first is at {origin}$.sites[1]); there is at most one",
    ),
    (
        "$.sites[2].userSyncEnabled",
        "only private teams can have user sync enabled",
    ),
    (
        "$.sites[3].idHighWater.users",
        "2147483648 is out of range: at most 2147483647",
    ),
    (
        "$.sites[3].subjectMatterExperts",
        "SMEs are disabled on this site (smesEnabled false) but SMEs are listed",
    ),
    (
        "$.sites[5].slug",
        "must be a non-empty URL slug (letters, digits, '-', '_')",
    ),
    ("$.tokens[2].accountId", "token owner 9 is not an account"),
    ("$.tokens[3].scope", "scope \"nowhere\" is not a site slug"),
    (
        "$.tokens[4].scope",
        "a service token needs a scope (a site slug)",
    ),
    ("$.tokens[5].token", "duplicate token \"a\""),
    ("$.tokens[6].token", "must not be empty"),
];

fn expected(origin: &str) -> Vec<(String, String)> {
    PROBLEMS
        .iter()
        .map(|(path, reason)| {
            (
                format!("{origin}: {path}"),
                reason.replace("{origin}", &format!("{origin}: ")),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_problem_of_a_fixture_stands_on_its_own() {
    let app = spawn_app().await;
    let body = app
        .put("/__admin/state")
        .body("application/json", FIXTURE)
        .send()
        .await
        .ok_json(400);
    let problems: Vec<(String, String)> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(problems, expected("request body"));
    assert_eq!(
        body["error"],
        format!(
            "the state has {} problem(s); nothing changed",
            PROBLEMS.len()
        )
    );
}

#[test]
fn check_prints_every_problem_and_exits_2() {
    let file = temp_dir("every-problem").join("all.json");
    std::fs::write(&file, FIXTURE).unwrap();
    let out = Command::new(BIN)
        .arg("--check")
        .arg("--fixtures")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let mut printed = format!("the fixtures have {} problem(s):\n", PROBLEMS.len());
    for (path, reason) in expected(&file.display().to_string()) {
        printed.push_str(&format!("  - {path}: {reason}\n"));
    }
    assert_eq!(String::from_utf8_lossy(&out.stderr), printed);
    assert!(out.stdout.is_empty());
}

/// The case that showed the bug: a site's misspelt kind reported three false token scopes and
/// hid the unknown group member.
#[test]
fn a_misspelt_site_kind_hides_nothing_and_invents_nothing() {
    let file = temp_dir("misspelt-kind").join("kind.json");
    std::fs::write(
        &file,
        r#"{
          "accounts": [{ "accountId": 1, "name": "A", "email": "a@x" }],
          "sites": [{ "slug": "main", "kind": "enterprize", "name": "M",
                      "users": [{ "id": 1, "accountId": 1, "role": "Admin" }],
                      "userGroups": [{ "id": 1, "name": "G", "userIds": [1, 999] }] }],
          "tokens": [{ "token": "a", "accountId": 1, "kind": "pat", "scope": "main" },
                     { "token": "b", "accountId": 1, "kind": "oauth", "scope": "main" },
                     { "token": "c", "accountId": 1, "kind": "service", "scope": "main" }]
        }"#,
    )
    .unwrap();
    let out = Command::new(BIN)
        .arg("--check")
        .arg("--fixtures")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let f = file.display();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "the fixtures have 2 problem(s):\n  \
             - {f}: $.sites[0].kind: unknown variant `enterprize`, expected one of `enterprise`, \
             `privateTeam`, `basic`, `business`\n  \
             - {f}: $.sites[0].userGroups[0].userIds[1]: 999 is not a user of this site\n"
        )
    );
}
