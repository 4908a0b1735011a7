//! The engine on its own, on the default fixtures (properties of the planner on generated
//! rosters are in `properties`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::*;
use crate::domain::{AccountId, Role, UserId};
use crate::fixtures::{FixtureSource, load};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2019-06-17T15:00:22Z")
        .unwrap()
        .to_utc()
}

fn opts() -> SyncOptions<'static> {
    SyncOptions {
        now: now(),
        fault: None,
        log_room: LOG_ROOM,
    }
}

fn default_world() -> World {
    load(&FixtureSource::Default).expect("the default fixtures load")
}

/// account id → role on a site.
fn roster(world: &World, slug: &str) -> BTreeMap<AccountId, Role> {
    world
        .site(slug)
        .unwrap()
        .users
        .values()
        .map(|u| (u.account_id, u.role))
        .collect()
}

/// A well-formed entry; levels as the wire names them.
fn entry(team: &str, members: &[(&str, &str)]) -> TeamRequest {
    let role = |level: &str| match level.to_ascii_lowercase().as_str() {
        "admin" => Role::Admin,
        "moderator" => Role::Moderator,
        "member" => Role::Registered,
        other => panic!("no level {other}"),
    };
    TeamRequest::new(
        team,
        members
            .iter()
            .map(|(id, level)| (id.to_string(), role(level))),
    )
}

const PRODUCTONE: [(&str, &str); 8] = [
    ("ada", "Admin"),
    ("bob", "Member"),
    ("priya.raman@example.com", "Moderator"),
    ("1008", "Member"),
    ("sofia.rossi@example.com", "Member"),
    ("rahul.mehta@example.com", "Member"),
    ("yuki.tanaka@example.com", "Member"),
    ("chloe.martin@example.com", "Member"),
];

#[test]
fn the_current_roster_resolves_to_all_no_change() {
    let world = default_world();
    let out = dry_run(&world, &entry("productone", &PRODUCTONE), &opts());
    assert_eq!(out.status, SyncStatus::SuccessfulDryRun);
    let report = out.report.unwrap();
    assert_eq!(report.intended.len(), 8);
    assert!(
        report.intended.iter().all(|c| c.change == Change::NoChange),
        "{:?}",
        report.intended
    );
    assert!(report.log.starts_with("[PushAsync] START User Sync from Push for Team productone (6/17/2019 3:00:22 PM +00:00)\r\n"));
    assert!(report.log.ends_with("[PushAsync] END User Sync from Push for Team productone (6/17/2019 3:00:22 PM +00:00): SuccessfulDryRun"));
}

#[test]
fn a_real_run_adds_changes_and_removes_in_the_contract_order() {
    let mut world = default_world();
    let members = [
        ("new.hire", "member"),
        ("ada", "Admin"),
        ("bob", "ADMIN"),
        ("otto", "Moderator"),
    ];
    let out = run(&mut world, &entry("productone", &members), &opts());
    assert_eq!(out.status, SyncStatus::Success);
    let report = out.report.unwrap();
    let kinds: Vec<(Change, AccountId, Option<UserId>)> = report
        .intended
        .iter()
        .map(|c| (c.change, c.account_id, c.site_user_id))
        .collect();
    assert_eq!(kinds[0], (Change::NoChange, 1001, Some(1)));
    assert_eq!(kinds[1], (Change::ChangeUserType, 1002, Some(2)));
    assert!(kinds[2..8].iter().all(|k| k.0 == Change::RemoveFromSite));
    assert_eq!(
        kinds[8..],
        [
            (Change::AddToSite, 1037, None),
            (Change::AddToSite, 1038, None)
        ]
    );
    let added: Vec<Option<UserId>> = report
        .actual
        .iter()
        .filter(|c| c.change == Change::AddToSite)
        .map(|c| c.site_user_id)
        .collect();
    assert_eq!(
        added,
        [Some(9), Some(10)],
        "new ids continue after the highest existing one"
    );
    let expected = BTreeMap::from([
        (1001, Role::Admin),
        (1002, Role::Admin),
        (1037, Role::Registered),
        (1038, Role::Moderator),
    ]);
    assert_eq!(roster(&world, "productone"), expected);
    let site = world.site("productone").unwrap();
    assert!(
        site.groups
            .values()
            .all(|g| g.user_ids.iter().all(|id| site.users.contains_key(id)))
    );
}

#[test]
fn team_level_answers_come_before_everything_else() {
    let world = default_world();
    let fault = SyncFault {
        team: None,
        failure: InjectedFailure::OtherError,
    };
    let opts = SyncOptions {
        now: now(),
        fault: Some(&fault),
        log_room: LOG_ROOM,
    };
    for (team, status) in [
        ("main", SyncStatus::TeamNotFound),
        ("acme", SyncStatus::TeamNotFound),
        ("legal", SyncStatus::UserSyncNotEnabled),
    ] {
        let out = dry_run(&world, &entry(team, &[]), &opts);
        assert_eq!((out.status, out.report.is_none()), (status, true), "{team}");
    }
}

#[test]
fn malformed_entries_fail_to_get_members_and_say_why() {
    let world = default_world();
    let cases = [
        (
            Err("the entry has no \"Team\"".to_string()),
            Ok(vec![]),
            None,
        ),
        (
            Ok("productone".to_string()),
            Err("\"Members\" must be an array, not {}".to_string()),
            Some("productone"),
        ),
    ];
    for (team, members, named) in cases {
        let why = match (&team, &members) {
            (Err(why), _) | (_, Err(why)) => why.clone(),
            _ => unreachable!(),
        };
        let request = TeamRequest { team, members };
        let mut w = world.clone();
        let out = run(&mut w, &request, &opts());
        assert_eq!(
            out.status,
            SyncStatus::FailedToGetMembersFromSource,
            "{why}"
        );
        assert_eq!(out.team.as_deref(), named, "{why}");
        let log = out.report.expect("a log that says why").log;
        assert!(log.contains(&why), "log {log:?} should contain {why:?}");
        assert_eq!(w, world, "{why}: changed the world");
    }
}

#[test]
fn identifiers_resolve_by_external_id_then_email_then_account_id_and_duplicates_keep_the_first() {
    let world = default_world();
    let members = [
        ("NEW.HIRE", "Member"),
        ("nia.newhire@example.com", "Admin"),
        ("1038", "Admin"),
        ("nobody", "Admin"),
    ];
    let out = dry_run(&world, &entry("platform", &members), &opts())
        .report
        .unwrap();
    let adds: Vec<(AccountId, Option<Role>)> = out
        .intended
        .iter()
        .filter(|c| c.change == Change::AddToSite)
        .map(|c| (c.account_id, c.new))
        .collect();
    assert_eq!(
        adds,
        [(1037, Some(Role::Registered)), (1038, Some(Role::Admin))]
    );
    assert!(
        out.log.contains("Could not resolve 'nobody'"),
        "{}",
        out.log
    );
    assert!(
        out.log
            .contains("Duplicate: 'nia.newhire@example.com' is account 1037"),
        "{}",
        out.log
    );
}

#[test]
fn injected_failures_strike_at_their_stage() {
    let members = [("ada", "Admin"), ("new.hire", "Member")];
    let cases = [
        (InjectedFailure::OtherError, SyncStatus::OtherError, 0, 0),
        (
            InjectedFailure::ErrorTryingToResolveUsers,
            SyncStatus::ErrorTryingToResolveUsers,
            0,
            0,
        ),
        (
            InjectedFailure::FailedToDetermineChanges,
            SyncStatus::FailedToDetermineChanges,
            0,
            0,
        ),
        (
            InjectedFailure::ErrorApplyingChanges,
            SyncStatus::ErrorApplyingChanges,
            9,
            0,
        ),
        (
            InjectedFailure::PartialSyncFailure { applied: 3 },
            SyncStatus::PartialSyncFailure,
            9,
            3,
        ),
    ];
    for (failure, status, intended, actual) in cases {
        let mut world = default_world();
        let fault = SyncFault {
            team: Some("PRODUCTONE".into()),
            failure,
        };
        let out = run(
            &mut world,
            &entry("productone", &members),
            &SyncOptions {
                now: now(),
                fault: Some(&fault),
                log_room: LOG_ROOM,
            },
        );
        let report = out.report.unwrap();
        assert_eq!(
            (out.status, report.intended.len(), report.actual.len()),
            (status, intended, actual),
            "{failure:?}"
        );
        // The first three applied changes are three removals (users 2, 3, 4).
        let left = roster(&world, "productone").len();
        assert_eq!(left, 8 - actual, "{failure:?}: changes kept");
        // The fault names productone only: platform syncs normally in the same call.
        let other = run(
            &mut world,
            &entry("platform", &[("ada", "Admin")]),
            &SyncOptions {
                now: now(),
                fault: Some(&fault),
                log_room: LOG_ROOM,
            },
        );
        assert_eq!(other.status, SyncStatus::Success);
    }
}

#[test]
fn apply_stage_faults_do_not_strike_a_dry_run() {
    let world = default_world();
    let fault = SyncFault {
        team: None,
        failure: InjectedFailure::ErrorApplyingChanges,
    };
    let out = dry_run(
        &world,
        &entry("productone", &PRODUCTONE),
        &SyncOptions {
            now: now(),
            fault: Some(&fault),
            log_room: LOG_ROOM,
        },
    );
    assert_eq!(out.status, SyncStatus::SuccessfulDryRun);
}
