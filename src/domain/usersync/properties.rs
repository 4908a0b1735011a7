//! Properties of the planner on generated sites and rosters: applying the plan yields exactly
//! the requested roster, a dry run never changes state, a resync changes nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::DateTime;
use proptest::prelude::*;

use super::*;
use crate::domain::{Account, AccountId, Accounts, Role, Site, SiteUser};

fn opts() -> SyncOptions<'static> {
    SyncOptions {
        now: DateTime::parse_from_rfc3339("2019-06-17T15:00:22Z")
            .unwrap()
            .to_utc(),
        fault: None,
        log_room: LOG_ROOM,
    }
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

const ACCOUNTS: u32 = 40;

/// Accounts 1..=40 (every seventh deactivated) and one private team with `current` as users.
fn generated_world(current: &[(u32, Role)]) -> World {
    let mut accounts = Accounts::default();
    for id in 1..=ACCOUNTS {
        accounts.insert(Account {
            account_id: id,
            name: format!("User {id}"),
            email: format!("user{id}@example.com"),
            external_id: Some(format!("ext{id}")),
            is_deactivated: id % 7 == 0,
            avatar_url: None,
        });
    }
    let mut site = Site::new("team".into(), "The Team".into(), SiteKind::PrivateTeam);
    site.user_sync_enabled = true;
    let mut next = 1;
    for &(account, role) in current {
        if site.user_by_account(account).is_none() {
            site.insert_user(SiteUser {
                id: next,
                account_id: account,
                role,
                reputation: 1,
                job_title: None,
                department: None,
                creation_date: None,
                last_access_date: None,
                last_modified_date: None,
            });
            next += 2; // gaps, as real ids have
        }
    }
    World {
        accounts: Arc::new(accounts),
        sites: vec![Arc::new(site)],
        ..World::default()
    }
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        Just(Role::Registered),
        Just(Role::Moderator),
        Just(Role::Admin)
    ]
}

/// A requested member: an identifier of some kind for some account (or for nobody), a role.
fn member() -> impl Strategy<Value = (u8, u32, Role)> {
    (0u8..4, 1..=ACCOUNTS, role())
}

fn identifier(kind: u8, account: u32) -> String {
    match kind {
        0 => format!("EXT{account}"),
        1 => format!("user{account}@example.com"),
        2 => account.to_string(),
        _ => format!("unknown{account}"),
    }
}

fn request(members: &[(u8, u32, Role)]) -> TeamRequest {
    TeamRequest::new(
        "team",
        members.iter().map(|&(k, a, r)| (identifier(k, a), r)),
    )
}

/// The roster a request asks for: resolvable members, the first entry of each account.
fn requested(members: &[(u8, u32, Role)]) -> BTreeMap<AccountId, Role> {
    let mut roster = BTreeMap::new();
    for &(_, account, role) in members.iter().filter(|m| m.0 < 3) {
        roster.entry(account).or_insert(role);
    }
    roster
}

proptest! {
    #[test]
    fn applying_the_plan_yields_exactly_the_requested_roster(
        current in prop::collection::vec((1..=ACCOUNTS, role()), 0..30),
        members in prop::collection::vec(member(), 0..40),
    ) {
        let mut world = generated_world(&current);
        let out = run(&mut world, &request(&members), &opts());
        prop_assert_eq!(out.status, SyncStatus::Success);
        prop_assert_eq!(roster(&world, "team"), requested(&members));
        // ActualChanges = IntendedChanges minus NoChange, additions with their new ids.
        let report = out.report.unwrap();
        let intended: Vec<ChangeEntry> = report.intended.iter().filter(|c| c.change != Change::NoChange).copied().collect();
        prop_assert_eq!(intended.len(), report.actual.len());
        let site = world.site("team").unwrap();
        for (planned, done) in intended.iter().zip(&report.actual) {
            prop_assert_eq!(ChangeEntry { site_user_id: planned.site_user_id.or(done.site_user_id), ..*planned }, *done);
            if planned.change == Change::AddToSite {
                prop_assert_eq!(site.user_by_account(done.account_id).map(|u| u.id), done.site_user_id);
            }
        }
    }

    #[test]
    fn a_dry_run_never_changes_state_and_shows_what_the_real_run_does(
        current in prop::collection::vec((1..=ACCOUNTS, role()), 0..30),
        members in prop::collection::vec(member(), 0..40),
    ) {
        let world = generated_world(&current);
        let before = world.clone();
        let dry = dry_run(&world, &request(&members), &opts());
        prop_assert_eq!(&world, &before);
        prop_assert_eq!(dry.status, SyncStatus::SuccessfulDryRun);
        let mut real_world = world.clone();
        let real = run(&mut real_world, &request(&members), &opts());
        let (dry, real) = (dry.report.unwrap(), real.report.unwrap());
        prop_assert!(dry.actual.is_empty());
        prop_assert_eq!(dry.intended, real.intended);
    }

    #[test]
    fn resync_is_idempotent(
        current in prop::collection::vec((1..=ACCOUNTS, role()), 0..30),
        members in prop::collection::vec(member(), 0..40),
    ) {
        let mut world = generated_world(&current);
        run(&mut world, &request(&members), &opts());
        let after_first = world.clone();
        let again = run(&mut world, &request(&members), &opts()).report.unwrap();
        prop_assert!(again.intended.iter().all(|c| c.change == Change::NoChange));
        prop_assert!(again.actual.is_empty());
        prop_assert_eq!(world, after_first);
    }
}
