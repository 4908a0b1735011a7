//! Article permissions and the collection rules (handing over, limits).

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::{Role, Site, SiteKind, SiteUser, UserGroup};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
}

/// Users 1, 2, 4 Registered, 3 Moderator; group 7 holds user 4.
fn site() -> Site {
    let mut site = Site::new("t".into(), "T".into(), SiteKind::PrivateTeam);
    for (id, role) in [
        (1, Role::Registered),
        (2, Role::Registered),
        (3, Role::Moderator),
        (4, Role::Registered),
    ] {
        site.insert_user(SiteUser {
            id,
            account_id: 100 + id,
            role,
            reputation: 1,
            job_title: None,
            department: None,
            creation_date: None,
            last_access_date: None,
            last_modified_date: None,
        });
    }
    site.insert_group(UserGroup {
        id: 7,
        name: "G".into(),
        description: String::new(),
        user_ids: BTreeSet::from([4]),
    });
    site
}

fn as_user(id: UserId) -> Viewer {
    Viewer {
        user: Some(id),
        role: Some(if id == 3 {
            Role::Moderator
        } else {
            Role::Registered
        }),
    }
}

fn article(site: &mut Site, permissions: ArticlePermissions) -> PostId {
    let tags = vec!["docs".to_string()];
    site.create_article(
        as_user(1),
        PostEdit {
            title: "Guide",
            body: "text",
            tags: &tags,
        },
        ArticleType::Policy,
        permissions,
        now(),
    )
    .unwrap()
}

#[test]
fn who_may_edit_an_article_follows_its_permissions() {
    let mut site = site();
    let cases = [
        (EditableBy::OwnerOnly, [true, false, true, false]),
        (EditableBy::Everyone, [true, true, true, true]),
        (EditableBy::SpecificEditors, [true, false, true, true]),
    ];
    for (editable_by, expected) in cases {
        let id = article(
            &mut site,
            ArticlePermissions {
                editable_by,
                editor_user_ids: BTreeSet::new(),
                editor_group_ids: BTreeSet::from([7]),
            },
        );
        let a = site.posts.articles[&id].clone();
        let may: Vec<bool> = [1, 2, 3, 4]
            .into_iter()
            .map(|u| site.can_edit_article(&a, as_user(u)))
            .collect();
        assert_eq!(may, expected, "{editable_by:?}");
        assert!(!site.can_edit_article(&a, Viewer::default()), "no user");
    }
}

fn collection(site: &mut Site, editors: &[UserId]) -> CollectionId {
    site.create_collection(as_user(1), "C", "", (editors, &[]), &[], now())
        .unwrap()
}

#[test]
fn only_the_owner_or_a_moderator_hands_a_collection_over() {
    let mut site = site();
    let c = collection(&mut site, &[2]);
    let before = site.clone();
    let edit = |site: &mut Site, actor: UserId, owner: Option<UserId>| {
        site.edit_collection(c, as_user(actor), owner, "C", "", (&[2], &[]), &[], now())
    };
    assert_eq!(
        edit(&mut site, 2, Some(2)),
        Err(DomainError::NotAllowed("hand this collection over"))
    );
    assert_eq!(site, before, "a refused hand-over changes nothing");
    edit(&mut site, 2, Some(1)).expect("an editor may name the current owner");
    edit(&mut site, 3, Some(4)).expect("a moderator hands it over");
    assert_eq!(site.posts.collections[&c].owner, 4);
    assert_eq!(
        edit(&mut site, 1, None),
        Err(DomainError::NotAllowed("edit this collection")),
        "the former owner is no editor"
    );
}

#[test]
fn a_collection_description_is_bounded() {
    let mut site = site();
    let long = "d".repeat(Limits::COLLECTION_DESCRIPTION_CHARS + 1);
    let r = site.create_collection(as_user(1), "C", &long, (&[], &[]), &[], now());
    assert!(
        matches!(
            r,
            Err(DomainError::InvalidField {
                field: "description",
                ..
            })
        ),
        "{r:?}"
    );
    let ok = &long[1..];
    site.create_collection(as_user(1), "C", ok, (&[], &[]), &[], now())
        .expect("exactly at the limit");
}

#[test]
fn a_site_holds_at_most_the_collection_limit() {
    let mut site = site();
    for _ in 0..Limits::COLLECTIONS_PER_SITE {
        collection(&mut site, &[]);
    }
    let before = site.clone();
    assert_eq!(
        site.create_collection(as_user(1), "C", "", (&[], &[]), &[], now()),
        Err(DomainError::LimitReached {
            what: "collections on this site",
            limit: Limits::COLLECTIONS_PER_SITE,
        })
    );
    assert_eq!(site, before);
}
