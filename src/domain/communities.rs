//! Communities: named groups of a site's users around a set of tags (v3 `/communities`). The
//! real service creates them in its admin pages; the API only lists them and lets users join
//! and leave, so the mock's communities come from fixtures and no id is ever allocated.
//!
//! Membership rules (mock choices where the real service's are unknown):
//! - joining a community one already belongs to is a no-op that keeps the first `memberSince`;
//!   leaving one a user does not belong to is a no-op too (both answer the community);
//! - every user id of a bulk join or leave must be a user of the site, or nothing changes;
//! - a user removed from the site leaves its communities ([`Site::remove_user`]);
//! - a community's members are bounded by the site's users, so no extra limit is needed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::{DomainError, Site, TagId, UserId};

/// A site-local community id (int32 on the wire).
pub type CommunityId = u32;

#[derive(Debug, Clone, PartialEq)]
pub struct Community {
    pub id: CommunityId,
    pub name: String,
    pub description: String,
    /// Tag ids of the site, rendered as `TagSummaryResponseModel`s.
    pub tag_ids: BTreeSet<TagId>,
    /// Member user ids with the time each joined (`None`: a fixture left it out).
    pub members: BTreeMap<UserId, Option<DateTime<Utc>>>,
}

impl Site {
    pub fn community(&self, id: CommunityId) -> Result<&Community, DomainError> {
        self.communities
            .get(&id)
            .ok_or(DomainError::CommunityNotFound(id))
    }

    /// The communities `user` belongs to, in id order.
    pub fn communities_of(&self, user: UserId) -> Vec<&Community> {
        self.communities
            .values()
            .filter(|c| c.members.contains_key(&user))
            .collect()
    }

    /// `isSme`: whether `user` is an SME of one of the community's tags, individually or
    /// through a user group. Never on a site whose SMEs are disabled.
    pub fn is_community_sme(&self, community: &Community, user: UserId) -> bool {
        self.smes_enabled
            && community.tag_ids.iter().any(|tag| {
                self.smes.get(tag).is_some_and(|set| {
                    set.user_ids.contains(&user)
                        || set.group_ids.iter().any(|g| {
                            self.groups
                                .get(g)
                                .is_some_and(|group| group.user_ids.contains(&user))
                        })
                })
            })
    }

    /// Inserts a community with a known id (fixture loading). The caller guarantees the id is
    /// free and every tag and member exists.
    pub fn insert_community(&mut self, community: Community) {
        self.communities.insert(community.id, community);
    }

    /// Adds the users to the community at `now`; one already a member keeps their
    /// `memberSince` (mock choice). Refused as a whole when the community or a user is unknown.
    pub fn join_community(
        &mut self,
        id: CommunityId,
        users: &[UserId],
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.community(id)?;
        self.require_known_users(users)?;
        let community = self.communities.get_mut(&id).expect("checked above");
        for user in users {
            community.members.entry(*user).or_insert(Some(now));
        }
        Ok(())
    }

    /// Removes the users from the community; one who is not a member is skipped (mock
    /// choice). Refused as a whole when the community or a user is unknown.
    pub fn leave_community(
        &mut self,
        id: CommunityId,
        users: &[UserId],
    ) -> Result<(), DomainError> {
        self.community(id)?;
        self.require_known_users(users)?;
        let community = self.communities.get_mut(&id).expect("checked above");
        for user in users {
            community.members.remove(user);
        }
        Ok(())
    }

    fn require_known_users(&self, users: &[UserId]) -> Result<(), DomainError> {
        let mut seen = BTreeSet::new();
        let unknown: Vec<UserId> = users
            .iter()
            .copied()
            .filter(|u| !self.users.contains_key(u) && seen.insert(*u))
            .collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(DomainError::UnknownUsers(unknown))
        }
    }

    /// A removed user leaves every community ([`Site::remove_user`]).
    pub(super) fn leave_all_communities(&mut self, user: UserId) {
        for community in self.communities.values_mut() {
            community.members.remove(&user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Role, SiteKind, SiteUser, SmeSet, Tag, UserGroup};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    /// Users 1–4, tags 1–2, group 1 = {3}; tag 1's SMEs: user 1 and group 1; community 7 on
    /// tags 1 and 2 with member 2.
    fn site() -> Site {
        let mut site = Site::new("main".into(), "Main".into(), SiteKind::Enterprise);
        for id in 1..=4 {
            site.insert_user(SiteUser {
                id,
                account_id: 1000 + id,
                role: Role::Registered,
                reputation: 1,
                job_title: None,
                department: None,
                creation_date: None,
                last_access_date: None,
                last_modified_date: None,
            });
        }
        for id in 1..=2 {
            site.tags.insert(
                id,
                Tag {
                    id,
                    name: format!("tag{id}"),
                    description: String::new(),
                    post_count: 0,
                    creation_date: at("2024-01-01T00:00:00Z"),
                    watcher_ids: BTreeSet::new(),
                    has_synonyms: false,
                },
            );
        }
        site.insert_group(UserGroup {
            id: 1,
            name: "G".into(),
            description: String::new(),
            user_ids: BTreeSet::from([3]),
        });
        site.smes.insert(
            1,
            SmeSet {
                user_ids: BTreeSet::from([1]),
                group_ids: BTreeSet::from([1]),
            },
        );
        site.insert_community(Community {
            id: 7,
            name: "C".into(),
            description: String::new(),
            tag_ids: BTreeSet::from([1, 2]),
            members: BTreeMap::from([(2, Some(at("2023-05-01T00:00:00Z")))]),
        });
        site
    }

    #[test]
    fn joining_adds_with_the_time_and_joining_again_keeps_the_first_time() {
        let mut site = site();
        let now = at("2025-01-01T00:00:00Z");
        site.join_community(7, &[2, 3, 3], now).unwrap();
        let c = site.community(7).unwrap();
        assert_eq!(c.members[&2], Some(at("2023-05-01T00:00:00Z")));
        assert_eq!(c.members[&3], Some(now));
        assert_eq!(c.members.len(), 2);
    }

    #[test]
    fn leaving_removes_and_leaving_twice_is_a_no_op() {
        let mut site = site();
        site.leave_community(7, &[2, 4]).unwrap();
        assert!(site.community(7).unwrap().members.is_empty());
        site.leave_community(7, &[2]).unwrap();
    }

    #[test]
    fn unknown_communities_and_users_refuse_and_change_nothing() {
        let mut site = site();
        let before = site.clone();
        let now = at("2025-01-01T00:00:00Z");
        assert_eq!(
            site.join_community(8, &[1], now),
            Err(DomainError::CommunityNotFound(8))
        );
        assert_eq!(
            site.join_community(7, &[1, 99, 98, 99], now),
            Err(DomainError::UnknownUsers(vec![99, 98]))
        );
        assert_eq!(
            site.leave_community(7, &[2, 99]),
            Err(DomainError::UnknownUsers(vec![99]))
        );
        assert_eq!(site, before);
    }

    #[test]
    fn sme_status_counts_individual_and_group_smes_of_the_community_tags() {
        let mut site = site();
        let c = site.community(7).unwrap().clone();
        assert!(site.is_community_sme(&c, 1), "an individual SME of tag 1");
        assert!(site.is_community_sme(&c, 3), "a member of an SME group");
        assert!(!site.is_community_sme(&c, 2));
        site.smes_enabled = false;
        assert!(!site.is_community_sme(&c, 1), "SMEs disabled");
    }

    #[test]
    fn a_removed_user_leaves_the_communities() {
        let mut site = site();
        assert_eq!(site.communities_of(2).len(), 1);
        site.remove_user(2).unwrap();
        assert!(site.community(7).unwrap().members.is_empty());
        assert!(site.communities_of(2).is_empty());
    }
}
