//! Validating fault actions and triggers, and reading the `X-Mock-Fault` header.

use super::*;

fn action(json: &str) -> Result<Action, Vec<String>> {
    let spec: ActionSpec = serde_json::from_str(json).unwrap();
    let mut problems = Vec::new();
    spec.validate("$.action", Some("productone"), &mut problems)
        .ok_or_else(|| problems.iter().map(ToString::to_string).collect())
}

#[test]
fn actions_are_validated_with_paths() {
    assert_eq!(
        action(r#"{"status":503}"#).unwrap().outcome,
        Outcome::Respond {
            status: 503,
            body: None,
            content_type: None
        }
    );
    assert_eq!(
        action(r#"{"delayMs":2000}"#).unwrap(),
        Action {
            delay_ms: 2000,
            outcome: Outcome::Pass
        }
    );
    let errs = action(r#"{"status":700,"drop":true,"applied":2}"#).unwrap_err();
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(errs[0].starts_with("$.action.status"), "{errs:?}");
    let errs = action(r#"{"usersync":"TeamNotFound"}"#).unwrap_err();
    assert!(errs[0].contains("real input produces it"), "{errs:?}");
    assert!(action("{}").is_err());
}

#[test]
fn interim_statuses_and_content_types_that_are_no_media_type_are_refused() {
    for json in [
        r#"{"status":100}"#,
        r#"{"status":101}"#,
        r#"{"status":199}"#,
        r#"{"status":503,"body":"x","contentType":"a\u0001b"}"#,
    ] {
        let errs = action(json).unwrap_err();
        assert_eq!(errs.len(), 1, "{json}: {errs:?}");
        assert!(
            errs[0].starts_with("$.action.status") || errs[0].starts_with("$.action.contentType")
        );
    }
    assert!(action(r#"{"status":200}"#).is_ok());
    assert!(action(r#"{"status":503,"body":"x","contentType":"text/csv"}"#).is_ok());
}

#[test]
fn a_usersync_failure_defaults_to_the_matched_team() {
    let a = action(r#"{"usersync":"PartialSyncFailure","applied":2}"#).unwrap();
    let expected = SyncFault {
        team: Some("productone".into()),
        failure: InjectedFailure::PartialSyncFailure { applied: 2 },
    };
    assert_eq!(a.outcome, Outcome::Sync(expected));
}

#[test]
fn the_header_takes_settings_or_json() {
    let s = parse_header("usersync=ErrorApplyingChanges; team=legal").unwrap();
    assert_eq!(
        (s.usersync.as_deref(), s.team.as_deref()),
        (Some("ErrorApplyingChanges"), Some("legal"))
    );
    let s = parse_header("delay=2000;status=504").unwrap();
    assert_eq!((s.delay_ms, s.status), (Some(2000), Some(504)));
    assert_eq!(parse_header("drop").unwrap().drop, Some(true));
    assert_eq!(
        parse_header(r#"{"status": 429}"#).unwrap().status,
        Some(429)
    );
    assert!(parse_header("status=abc").is_err());
    assert!(parse_header("explode=1").is_err());
}

#[test]
fn triggers_exclude_each_other() {
    let t = |json: &str| {
        let spec: TriggerSpec = serde_json::from_str(json).unwrap();
        spec.validate(7, &mut Vec::new())
    };
    assert_eq!(t("{}"), Some(Trigger::Always));
    assert_eq!(t(r#"{"nth":3}"#), Some(Trigger::Nth(3)));
    assert_eq!(
        t(r#"{"probability":0.5}"#),
        Some(Trigger::Probability { p: 0.5, seed: 7 })
    );
    assert_eq!(t(r#"{"times":1,"nth":2}"#), None);
    assert_eq!(t(r#"{"probability":1.5}"#), None);
    assert_eq!(t(r#"{"seed":1}"#), None);
}
