//! The usersync engine at scale: a roster of N members against a team of N current users
//! (half of them kept, half removed, N/2 added), for N = 1,000 and 10,000. Planning is linear
//! (hash lookups, no nested scans), so the 10,000 case should take about ten times the
//! 1,000 case.
//!
//! `cargo bench --bench usersync`

use std::sync::Arc;

use chrono::Utc;
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use soteams_mock::domain::usersync::{self, SyncLog, SyncOptions, SyncPlan, TeamRequest, plan};
use soteams_mock::domain::{Account, Accounts, Role, Site, SiteKind, SiteUser, World};

/// 2N accounts; a private team whose users are accounts 1..=N; a request for N/2+1..=3N/2.
fn scenario(n: u32) -> (World, TeamRequest) {
    let mut accounts = Accounts::default();
    for id in 1..=2 * n {
        accounts.insert(Account {
            account_id: id,
            name: format!("User {id}"),
            email: format!("user{id}@example.com"),
            external_id: Some(format!("EXT-{id}")),
            is_deactivated: id % 97 == 0,
            avatar_url: None,
        });
    }
    let mut site = Site::new("team".into(), "The Team".into(), SiteKind::PrivateTeam);
    site.user_sync_enabled = true;
    for id in 1..=n {
        site.insert_user(SiteUser {
            id,
            account_id: id,
            role: if id % 10 == 0 {
                Role::Admin
            } else {
                Role::Registered
            },
            reputation: 1,
            job_title: None,
            department: None,
            creation_date: None,
            last_access_date: None,
            last_modified_date: None,
        });
    }
    let members = (n / 2 + 1..=n / 2 + n).map(|id| {
        let identifier = match id % 3 {
            0 => format!("ext-{id}"),
            1 => format!("USER{id}@example.com"),
            _ => id.to_string(),
        };
        let role = if id % 7 == 0 {
            Role::Admin
        } else {
            Role::Registered
        };
        (identifier, role)
    });
    let world = World {
        accounts: Arc::new(accounts),
        sites: vec![Arc::new(site)],
        ..World::default()
    };
    (world, TeamRequest::new("team", members))
}

fn bench_usersync(c: &mut Criterion) {
    let mut g = c.benchmark_group("usersync");
    g.sample_size(20);
    for n in [1_000u32, 10_000] {
        let (world, entry) = scenario(n);
        let site = world.site("team").unwrap();
        let members = entry.members.clone().unwrap();
        let roster = plan::resolve(&world.accounts, &members, &mut SyncLog::new(Utc::now()));
        assert_eq!(roster.len(), n as usize);

        g.bench_with_input(BenchmarkId::new("plan (SyncPlan::new)", n), &n, |b, _| {
            b.iter(|| SyncPlan::new(site, &world.accounts, &roster))
        });
        g.bench_with_input(BenchmarkId::new("resolve identifiers", n), &n, |b, _| {
            b.iter(|| plan::resolve(&world.accounts, &members, &mut SyncLog::new(Utc::now())))
        });
        let opts = SyncOptions {
            now: Utc::now(),
            fault: None,
            log_room: usersync::LOG_ROOM,
        };
        g.bench_with_input(
            BenchmarkId::new("dry run (resolve, plan, log)", n),
            &n,
            |b, _| b.iter(|| usersync::dry_run(&world, &entry, &opts)),
        );
        g.bench_with_input(
            BenchmarkId::new("real run (… and apply)", n),
            &n,
            |b, _| {
                b.iter_batched(
                    || world.clone(),
                    |mut w| usersync::run(&mut w, &entry, &opts),
                    BatchSize::LargeInput,
                )
            },
        );
    }
    g.finish();
}

criterion_group!(benches, bench_usersync);
criterion_main!(benches);
