//! A site's writes: SME counts, refused writes, removed users, new ids.

use super::*;

fn site() -> Site {
    let now = Utc::now();
    let mut s = Site::new("main".into(), "Main".into(), SiteKind::Enterprise);
    for (id, account) in [(1, 1001), (2, 1002), (3, 1003)] {
        s.insert_user(SiteUser {
            id,
            account_id: account,
            role: Role::Registered,
            reputation: 1,
            job_title: None,
            department: None,
            creation_date: Some(now),
            last_access_date: None,
            last_modified_date: None,
        });
    }
    s.tags.insert(
        1,
        Tag {
            id: 1,
            name: "rust".into(),
            description: String::new(),
            post_count: 0,
            creation_date: now,
            watcher_ids: [1, 2].into(),
            has_synonyms: false,
        },
    );
    s
}

#[test]
fn sme_count_counts_distinct_users_across_users_and_groups() {
    let mut s = site();
    let g = s.create_group("Platform", "", &[1, 2]).unwrap();
    s.replace_smes(1, &[1, 3], &[g]).unwrap();
    assert_eq!(s.sme_count(1), Some(3));
}

#[test]
fn sme_count_is_none_when_smes_are_disabled() {
    let mut s = site();
    s.smes_enabled = false;
    assert_eq!(s.sme_count(1), None);
    assert_eq!(s.add_sme_users(1, &[1]), Err(DomainError::SmesDisabled));
}

#[test]
fn an_sme_is_named_on_a_tag_or_a_member_of_one_of_its_groups() {
    let mut s = site();
    let g = s.create_group("Platform", "", &[2]).unwrap();
    s.replace_smes(1, &[1], &[g]).unwrap();
    assert!(s.is_sme_of_any(1, &[1]), "named on the tag");
    assert!(s.is_sme_of_any(2, &[7, 1]), "through the group");
    assert!(!s.is_sme_of_any(3, &[1]), "neither");
    assert!(!s.is_sme_of_any(1, &[]), "no tags");
    s.smes_enabled = false;
    assert!(!s.is_sme_of_any(1, &[1]), "SMEs disabled");
}

#[test]
fn a_refused_group_write_changes_nothing() {
    let mut s = site();
    let g = s.create_group("Platform", "d", &[1]).unwrap();
    let before = s.clone();
    assert_eq!(
        s.replace_group(g, "Platform", "", &[1, 99, 98, 99]),
        Err(DomainError::UnknownUsers(vec![99, 98]))
    );
    assert_eq!(
        s.create_group(" platform ", "", &[]),
        Err(DomainError::DuplicateGroupName("platform".into()))
    );
    assert_eq!(
        s.create_group("  ", "", &[]),
        Err(DomainError::EmptyGroupName)
    );
    assert_eq!(s, before);
}

#[test]
fn removing_a_user_removes_them_from_groups_smes_and_watchers() {
    let mut s = site();
    let g = s.create_group("Platform", "", &[1, 2]).unwrap();
    s.replace_smes(1, &[2], &[]).unwrap();
    s.remove_user(2).unwrap();
    assert!(!s.groups[&g].user_ids.contains(&2));
    assert!(!s.smes.contains_key(&1));
    assert!(!s.tags[&1].watcher_ids.contains(&2));
    assert!(s.user_by_account(1002).is_none());
}

#[test]
fn a_removed_users_id_is_never_handed_out_again() {
    let mut s = site();
    s.remove_user(3).unwrap();
    assert_eq!(s.add_user(2000, Role::Registered, Utc::now()), Ok(4));
}

#[test]
fn new_users_get_the_next_free_site_local_id() {
    let mut s = site();
    let id = s.add_user(2000, Role::Admin, Utc::now()).unwrap();
    assert_eq!(id, 4);
    assert_eq!(s.user_by_account(2000).map(|u| u.id), Some(4));
}
