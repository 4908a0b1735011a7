//! The first minutes with the binary: the banner says what was loaded and prints a `curl` that
//! works, the control API's address answers an index of every control route, a switch's
//! variable takes the usual spellings, a bad variable is named in the error, and `--help` ends
//! with examples and where the docs are.

use std::collections::BTreeSet;
use std::io::{BufReader, Lines};
use std::process::{ChildStdout, Command};

use serde_json::{Value, json};

use crate::helpers::*;

/// The banner's lines (pretty): the URL line, the eight addresses, the fixtures, the call to
/// try and its note.
fn banner(lines: &mut Lines<BufReader<ChildStdout>>) -> Vec<String> {
    lines.by_ref().take(12).map(Result::unwrap).collect()
}

/// The value of the banner line labelled `label`.
fn labelled<'a>(banner: &'a [String], label: &str) -> &'a str {
    let line = banner
        .iter()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} line: {banner:#?}"));
    line[2 + 29..].trim_end()
}

/// Runs a command line as a shell would and returns the status curl reports (`-w`).
fn status_of(curl: &str) -> String {
    assert!(curl.starts_with("curl -s "), "not a curl: {curl}");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{curl} -o /dev/null -w '%{{http_code}}'"))
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_banner_names_the_fixtures_and_its_curl_answers_200() {
    let (child, mut lines) = spawn_binary(&[], &[]);
    let banner = banner(&mut lines);
    let url = banner[0]
        .strip_prefix("soteams-mock listening on ")
        .unwrap()
        .to_string();
    assert_eq!(
        labelled(&banner, "Fixtures"),
        "embedded default set: 6 sites, 63 site users, 38 accounts, 13 tokens"
    );
    let curl = labelled(&banner, "Try it");
    assert_eq!(
        curl,
        format!("curl -s {url}/api/v3/users/me -H 'Authorization: Bearer ada-rw'")
    );
    assert_eq!(
        banner[11].trim(),
        "(ada-rw: a read-write oauth token of Ada Admin, Admin of main)"
    );
    assert_eq!(status_of(curl), "200");
    let control = labelled(&banner, "Control API");
    assert_eq!(control, format!("{url}/__admin"));
    assert_eq!(status_of(&format!("curl -s {control}")), "200");
    stop_binary(child);
}

#[test]
fn the_json_banner_names_the_fixtures_and_its_curl_answers_200() {
    let (child, mut lines) = spawn_binary(&["--log-format", "json"], &[]);
    let event: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let url = event["url"].as_str().unwrap();
    let fields = &event;
    assert_eq!(fields["fixtures"], "embedded default set", "{event}");
    assert_eq!(
        [
            &fields["sites"],
            &fields["site_users"],
            &fields["accounts"],
            &fields["tokens"]
        ],
        [&json!(6), &json!(63), &json!(38), &json!(13)],
        "{event}"
    );
    assert_eq!(fields["control_api"], format!("{url}/__admin"));
    let curl = fields["try_it"].as_str().unwrap();
    assert_eq!(status_of(curl), "200", "{curl}");
    stop_binary(child);
}

/// A world whose only token is a read-only PAT of a cloud team: the banner offers it on that
/// team, and it answers.
#[test]
fn without_a_main_site_admin_token_the_banner_offers_one_that_reads() {
    let dir = temp_dir("banner-reader");
    let file = dir.join("team.json");
    std::fs::write(
        &file,
        json!({
            "accounts": [{"accountId": 5, "name": "Eve", "email": "eve@x"}],
            "sites": [{"slug": "acme", "kind": "business", "name": "Acme",
                       "users": [{"id": 9, "accountId": 5, "role": "Registered"}]}],
            "tokens": [{"token": "eve-ro", "accountId": 5, "kind": "pat", "scope": "acme"}]
        })
        .to_string(),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let (child, mut lines) = spawn_binary(&["--fixtures", path], &[]);
    let banner = banner(&mut lines);
    let url = banner[0]
        .strip_prefix("soteams-mock listening on ")
        .unwrap();
    assert_eq!(
        labelled(&banner, "Fixtures"),
        format!("{path}: 1 sites, 1 site users, 1 accounts, 1 tokens")
    );
    let curl = labelled(&banner, "Try it");
    assert_eq!(
        curl,
        format!("curl -s {url}/v3/teams/acme/users/me -H 'Authorization: Bearer eve-ro'")
    );
    assert_eq!(status_of(curl), "200");
    stop_binary(child);
}

/// A world without a token: the banner's command mints one (201), and the minted token reads.
#[test]
fn without_a_token_the_banner_mints_one() {
    let dir = temp_dir("banner-mint");
    let file = dir.join("team.json");
    std::fs::write(
        &file,
        json!({
            "accounts": [{"accountId": 5, "name": "Eve", "email": "eve@x"}],
            "sites": [{"slug": "main", "kind": "enterprise", "name": "Main",
                       "users": [{"id": 9, "accountId": 5, "role": "Admin"}]}]
        })
        .to_string(),
    )
    .unwrap();
    let (child, mut lines) = spawn_binary(&["--fixtures", file.to_str().unwrap()], &[]);
    let banner = banner(&mut lines);
    let url = banner[0]
        .strip_prefix("soteams-mock listening on ")
        .unwrap();
    let curl = labelled(&banner, "Try it");
    assert_eq!(
        curl,
        format!(
            "curl -s {url}/__admin/tokens --json '{{\"accountId\":5,\"scope\":\"main\",\"write\":true}}'"
        )
    );
    let out = Command::new("sh").arg("-c").arg(curl).output().unwrap();
    let minted: Value = serde_json::from_slice(&out.stdout).unwrap();
    let token = minted["token"].as_str().expect("a minted token");
    let read = format!("curl -s {url}/api/v3/users/me -H 'Authorization: Bearer {token}'");
    assert_eq!(status_of(&read), "200");
    stop_binary(child);
}

/// `GET /__admin` (and `/__admin/`) lists every control route of the OpenAPI document, no
/// more, each with a line, and links the docs; each route it lists without a parameter answers.
#[tokio::test]
async fn the_control_api_index_lists_every_control_route_of_the_document() {
    let app = spawn_app().await;
    let index = app.get("/__admin").send().await.ok_json(200);
    let slash = app.get("/__admin/").unchecked().send().await.ok_json(200);
    assert_eq!(index, slash);
    assert_eq!(index["instance"], "root");
    assert_eq!(
        index["docs"],
        json!({"swaggerUi": "/swagger-ui/", "swaggerUiControlApi": "/swagger-ui/#/Control%20API",
               "openapi": "/openapi.json"})
    );
    let areas: Vec<&str> = index["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        areas,
        [
            "health and reset",
            "state",
            "snapshots",
            "faults",
            "journal",
            "tokens",
            "clock",
            "rate limits",
            "sandboxes"
        ]
    );
    let routes: Vec<&Value> = index["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["routes"].as_array().unwrap())
        .collect();
    let listed: BTreeSet<(String, String)> = routes
        .iter()
        .map(|r| {
            assert!(
                r["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{r}"
            );
            (
                r["method"].as_str().unwrap().to_lowercase(),
                r["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(listed.len(), routes.len(), "a route listed twice");
    let doc = serde_json::to_value(soteams_mock::app::document()).unwrap();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| path.starts_with("/__admin"))
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(|method| (method.clone(), path.clone()))
        })
        .collect();
    assert_eq!(listed, documented);
    for (method, path) in &listed {
        if method == "get" && !path.contains('{') {
            app.get(path).send().await.expect(200);
        }
    }
}

/// Under a sandbox the index gives the sandbox's own paths (the sandbox routes, root only, keep
/// the root's), and they answer on the sandbox.
#[tokio::test]
async fn a_sandboxs_index_gives_its_own_paths() {
    let app = spawn_app().await;
    let sb = app.sandbox().await;
    let index = app.get(&format!("{sb}/__admin")).send().await.ok_json(200);
    let slash = app
        .get(&format!("{sb}/__admin/"))
        .unchecked()
        .send()
        .await
        .ok_json(200);
    assert_eq!(index, slash);
    assert_eq!(index["instance"], "sandbox");
    let health = &index["areas"][0]["routes"][1];
    assert_eq!(health["path"], format!("{sb}/__admin/health"));
    let answer = app
        .get(health["path"].as_str().unwrap())
        .send()
        .await
        .ok_json(200);
    assert_eq!(answer["instance"], "sandbox");
    let sandboxes = &index["areas"][8];
    assert_eq!(sandboxes["name"], "sandboxes");
    assert_eq!(sandboxes["rootOnly"], true);
    assert_eq!(sandboxes["routes"][0]["path"], "/__admin/sandboxes");
}

/// `SOTEAMS_RATE_LIMIT` (the one switch with a variable) takes 1/0, true/false, yes/no,
/// on/off in any case.
#[tokio::test]
async fn a_switch_variable_takes_the_usual_spellings_in_any_case() {
    for (value, enforced) in [
        ("1", true),
        ("TRUE", true),
        ("yes", true),
        ("On", true),
        ("0", false),
        ("False", false),
        ("NO", false),
        ("off", false),
    ] {
        let (child, url, _lines) = start_binary(&[], &[("SOTEAMS_RATE_LIMIT", value)]);
        let app = TestApp::at(&url);
        let body = app.get("/__admin/rate-limits").send().await.ok_json(200);
        assert_eq!(body["enforced"], enforced, "SOTEAMS_RATE_LIMIT={value}");
        stop_binary(child);
    }
}

/// Every flag with a variable: a bad value there is reported with the variable's name (exit
/// 2), not the flag's, which the user did not type.
#[test]
fn a_bad_variable_is_named_in_the_error() {
    let digits = "invalid digit found in string";
    let cases = [
        ("SOTEAMS_PORT", "eighty", "--port", digits.to_string()),
        (
            "SOTEAMS_RATE_LIMIT",
            "maybe",
            "--rate-limit",
            "expected 1, 0, true, false, yes, no, on or off (in any case)".into(),
        ),
        ("SOTEAMS_SEED", "-1", "--seed", digits.into()),
        (
            "SOTEAMS_HEADER_READ_TIMEOUT_MS",
            "0",
            "--header-read-timeout-ms",
            "0 is not in 1..18446744073709551615".into(),
        ),
        (
            "SOTEAMS_BODY_READ_TIMEOUT_MS",
            "1s",
            "--body-read-timeout-ms",
            digits.into(),
        ),
        (
            "SOTEAMS_IDLE_TIMEOUT_MS",
            "-5",
            "--idle-timeout-ms",
            digits.into(),
        ),
        (
            "SOTEAMS_MAX_CONNECTIONS",
            "0",
            "--max-connections",
            "0 is not in 1..=4294967295".into(),
        ),
        (
            "SOTEAMS_SHUTDOWN_TIMEOUT_MS",
            "soon",
            "--shutdown-timeout-ms",
            digits.into(),
        ),
        (
            "SOTEAMS_LOG_FORMAT",
            "xml",
            "--log-format",
            "possible values: pretty, json".into(),
        ),
        (
            "SOTEAMS_FIXTURES",
            "",
            "--fixtures",
            "it is empty; unset it, or give it a value".into(),
        ),
    ];
    for (variable, value, flag, why) in cases {
        let out = Command::new(BIN)
            .arg("--check")
            .env(variable, value)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{variable}={value}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!(
                "error: invalid value {value:?} in the environment variable {variable} \
                 ({flag}): {why}\n\nFor more information, try '--help'.\n"
            ),
            "{variable}={value}"
        );
    }
    // The flag on the command line wins over its variable, and clap reports it as typed.
    let out = Command::new(BIN)
        .args(["--check", "--port", "x"])
        .env("SOTEAMS_PORT", "8080")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("error: invalid value 'x' for '--port <PORT>'"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_ends_with_two_examples_and_where_the_docs_are() {
    let tail = "\
Examples:
  soteams-mock
      Serves the embedded default fixtures on http://127.0.0.1:8080. In another shell:
      curl -s http://127.0.0.1:8080/api/v3/users/me -H 'Authorization: Bearer ada-rw'
  soteams-mock --port 0 --fixtures my.json
      Serves my.json on a free port; the banner prints the URL and a curl to try.

Documentation: README.md (the fixture tokens are in its \"Tokens\" table) and docs/ in the
repository. On a running mock: Swagger UI at /swagger-ui/, the OpenAPI document at
/openapi.json, and the control API's index at /__admin.
";
    for flag in ["--help", "-h"] {
        let out = Command::new(BIN).arg(flag).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(help.ends_with(tail), "{flag}:\n{help}");
    }
}
