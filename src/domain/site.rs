//! One site (the Enterprise main site, a private team, or a cloud team) and everything that
//! lives on it. Every write method validates first and changes state only when it succeeds,
//! so a refused write never leaves a half-applied change.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::posts::Posts;
use super::{
    AccountId, Community, CommunityId, DomainError, GroupId, IdHighWater, IdKind, TagId, UserId,
};

/// The four kinds of site the mock emulates (contract §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SiteKind {
    /// The Enterprise main site, addressed by `/api/v3/…`.
    Enterprise,
    /// An Enterprise private team, addressed by `/api/v3/teams/{team}/…`.
    PrivateTeam,
    /// A Basic cloud team (read-only API), addressed by `/v3/teams/{team}/…`.
    Basic,
    /// A Business cloud team, addressed by `/v3/teams/{team}/…`.
    Business,
}

impl SiteKind {
    pub fn is_cloud(self) -> bool {
        matches!(self, SiteKind::Basic | SiteKind::Business)
    }
}

/// A site user's role, as v3 shows it in `role` and usersync in `CurrentUserType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Registered,
    Moderator,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Registered => "Registered",
            Role::Moderator => "Moderator",
            Role::Admin => "Admin",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SiteUser {
    pub id: UserId,
    pub account_id: AccountId,
    pub role: Role,
    pub reputation: i32,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub creation_date: Option<DateTime<Utc>>,
    pub last_access_date: Option<DateTime<Utc>>,
    /// Set when a write (usersync) last changed this user; shown as `lastModifiedDate`.
    pub last_modified_date: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    pub description: String,
    pub post_count: i32,
    pub creation_date: DateTime<Utc>,
    pub watcher_ids: BTreeSet<UserId>,
    pub has_synonyms: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UserGroup {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    pub user_ids: BTreeSet<UserId>,
}

/// The subject matter experts of one tag: individual users and whole groups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SmeSet {
    pub user_ids: BTreeSet<UserId>,
    pub group_ids: BTreeSet<GroupId>,
}

impl SmeSet {
    pub fn is_empty(&self) -> bool {
        self.user_ids.is_empty() && self.group_ids.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub slug: String,
    pub name: String,
    pub kind: SiteKind,
    pub smes_enabled: bool,
    pub user_sync_enabled: bool,
    pub users: BTreeMap<UserId, SiteUser>,
    pub tags: BTreeMap<TagId, Tag>,
    pub groups: BTreeMap<GroupId, UserGroup>,
    /// Keyed by tag id; a tag without an entry has no SMEs.
    pub smes: BTreeMap<TagId, SmeSet>,
    /// Questions, answers, articles, comments, flags and collections ([`super::posts`]),
    /// behind an `Arc` so that other writes on the site do not copy them.
    pub posts: Arc<Posts>,
    /// Communities (from fixtures: the API cannot create them), [`super::communities`].
    pub communities: BTreeMap<CommunityId, Community>,
    /// Derived index, kept in step by the methods that add and remove users.
    user_by_account: HashMap<AccountId, UserId>,
    /// The highest ids of each kind the site has ever held ([`super::ids`]).
    pub(super) ids: IdHighWater,
}

impl Site {
    pub fn new(slug: String, name: String, kind: SiteKind) -> Self {
        Site {
            slug,
            name,
            kind,
            smes_enabled: true,
            user_sync_enabled: false,
            users: BTreeMap::new(),
            tags: BTreeMap::new(),
            groups: BTreeMap::new(),
            smes: BTreeMap::new(),
            posts: Arc::default(),
            communities: BTreeMap::new(),
            user_by_account: HashMap::new(),
            ids: IdHighWater::default(),
        }
    }

    // ----- reads -------------------------------------------------------------------------

    pub fn user(&self, id: UserId) -> Result<&SiteUser, DomainError> {
        self.users.get(&id).ok_or(DomainError::UserNotFound(id))
    }

    pub fn user_by_account(&self, account: AccountId) -> Option<&SiteUser> {
        self.user_by_account
            .get(&account)
            .and_then(|id| self.users.get(id))
    }

    pub fn tag(&self, id: TagId) -> Result<&Tag, DomainError> {
        self.tags.get(&id).ok_or(DomainError::TagNotFound(id))
    }

    pub fn group(&self, id: GroupId) -> Result<&UserGroup, DomainError> {
        self.groups.get(&id).ok_or(DomainError::GroupNotFound(id))
    }

    /// The SME set of a tag; every SME route refuses when SMEs are disabled on the site.
    pub fn smes_of(&self, tag: TagId) -> Result<SmeSet, DomainError> {
        self.require_smes()?;
        self.tag(tag)?;
        Ok(self.smes.get(&tag).cloned().unwrap_or_default())
    }

    /// `subjectMatterExpertCount`: distinct users among the individual SMEs and the members of
    /// SME groups; `None` when SMEs are disabled on the site.
    pub fn sme_count(&self, tag: TagId) -> Option<usize> {
        if !self.smes_enabled {
            return None;
        }
        let Some(set) = self.smes.get(&tag) else {
            return Some(0);
        };
        let mut users: BTreeSet<UserId> = set.user_ids.clone();
        for group in set.group_ids.iter().filter_map(|g| self.groups.get(g)) {
            users.extend(group.user_ids.iter().copied());
        }
        Some(users.len())
    }

    /// Whether `user` is a subject matter expert of any of `tags`, named on the tag or a member
    /// of one of its SME groups (`isSubjectMatterExpert` of an answer: the question's tags).
    /// Never while SMEs are disabled on the site (mock choice: the feature is off, so no one is
    /// shown as an expert).
    pub fn is_sme_of_any(&self, user: UserId, tags: &[TagId]) -> bool {
        self.smes_enabled
            && tags.iter().filter_map(|t| self.smes.get(t)).any(|set| {
                set.user_ids.contains(&user)
                    || set.group_ids.iter().any(|g| {
                        self.groups
                            .get(g)
                            .is_some_and(|group| group.user_ids.contains(&user))
                    })
            })
    }

    /// Whether a tag has any SME (for `hasSmes`): a user, or a group with at least one member.
    pub fn has_smes(&self, tag: TagId) -> bool {
        self.sme_count(tag).unwrap_or(0) > 0
    }

    /// The tags a user watches, in tag-id order.
    pub fn watched_tags(&self, user: UserId) -> Result<Vec<&Tag>, DomainError> {
        self.user(user)?;
        Ok(self
            .tags
            .values()
            .filter(|t| t.watcher_ids.contains(&user))
            .collect())
    }

    /// The highest ids the site has ever held (exported as `idHighWater`).
    pub fn id_high_water(&self) -> IdHighWater {
        self.ids
    }

    /// Raises the high-water marks (a loaded `idHighWater`); they never go down.
    pub fn raise_id_high_water(&mut self, marks: IdHighWater) {
        self.ids.raise(marks);
    }

    fn require_smes(&self) -> Result<(), DomainError> {
        if self.smes_enabled {
            Ok(())
        } else {
            Err(DomainError::SmesDisabled)
        }
    }

    pub(super) fn require_users(&self, ids: &[UserId]) -> Result<(), DomainError> {
        let unknown = unique_missing(ids, |id| self.users.contains_key(id));
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(DomainError::UnknownUsers(unknown))
        }
    }

    pub(super) fn require_groups(&self, ids: &[GroupId]) -> Result<(), DomainError> {
        let unknown = unique_missing(ids, |id| self.groups.contains_key(id));
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(DomainError::UnknownGroups(unknown))
        }
    }

    fn require_unique_name(
        &self,
        name: &str,
        except: Option<GroupId>,
    ) -> Result<String, DomainError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(DomainError::EmptyGroupName);
        }
        let taken = self
            .groups
            .values()
            .any(|g| Some(g.id) != except && g.name.to_lowercase() == name.to_lowercase());
        if taken {
            return Err(DomainError::DuplicateGroupName(name.to_string()));
        }
        Ok(name.to_string())
    }

    // ----- user groups (v3 writes) ---------------------------------------------------------

    pub fn create_group(
        &mut self,
        name: &str,
        description: &str,
        user_ids: &[UserId],
    ) -> Result<GroupId, DomainError> {
        let name = self.require_unique_name(name, None)?;
        self.require_users(user_ids)?;
        let id = self.ids.next(IdKind::UserGroup)?;
        self.insert_group(UserGroup {
            id,
            name,
            description: description.to_string(),
            user_ids: user_ids.iter().copied().collect(),
        });
        Ok(id)
    }

    /// Inserts a group with a known id (fixture loading). The caller guarantees the id is free.
    pub fn insert_group(&mut self, group: UserGroup) {
        self.ids.groups = self.ids.groups.max(group.id);
        self.groups.insert(group.id, group);
    }

    /// Full replace, as the real service does it: the caller passes `""` and `[]` for absent
    /// fields, which clears them.
    pub fn replace_group(
        &mut self,
        id: GroupId,
        name: &str,
        description: &str,
        user_ids: &[UserId],
    ) -> Result<(), DomainError> {
        self.group(id)?;
        let name = self.require_unique_name(name, Some(id))?;
        self.require_users(user_ids)?;
        let group = self.groups.get_mut(&id).expect("checked above");
        group.name = name;
        group.description = description.to_string();
        group.user_ids = user_ids.iter().copied().collect();
        Ok(())
    }

    /// Adds members; adding one already there is a no-op (mock choice).
    pub fn add_group_members(
        &mut self,
        id: GroupId,
        user_ids: &[UserId],
    ) -> Result<(), DomainError> {
        self.group(id)?;
        self.require_users(user_ids)?;
        let group = self.groups.get_mut(&id).expect("checked above");
        group.user_ids.extend(user_ids.iter().copied());
        Ok(())
    }

    pub fn remove_group_member(&mut self, id: GroupId, user: UserId) -> Result<(), DomainError> {
        let group = self
            .groups
            .get_mut(&id)
            .ok_or(DomainError::GroupNotFound(id))?;
        if !group.user_ids.remove(&user) {
            return Err(DomainError::MembershipNotFound { group: id, user });
        }
        Ok(())
    }

    // ----- subject matter experts (v3 writes) ---------------------------------------------

    pub fn replace_smes(
        &mut self,
        tag: TagId,
        user_ids: &[UserId],
        group_ids: &[GroupId],
    ) -> Result<(), DomainError> {
        self.smes_of(tag)?;
        self.require_users(user_ids)?;
        self.require_groups(group_ids)?;
        let set = SmeSet {
            user_ids: user_ids.iter().copied().collect(),
            group_ids: group_ids.iter().copied().collect(),
        };
        self.store_smes(tag, set);
        Ok(())
    }

    pub fn add_sme_users(&mut self, tag: TagId, user_ids: &[UserId]) -> Result<(), DomainError> {
        let mut set = self.smes_of(tag)?;
        self.require_users(user_ids)?;
        set.user_ids.extend(user_ids.iter().copied());
        self.store_smes(tag, set);
        Ok(())
    }

    pub fn add_sme_groups(&mut self, tag: TagId, group_ids: &[GroupId]) -> Result<(), DomainError> {
        let mut set = self.smes_of(tag)?;
        self.require_groups(group_ids)?;
        set.group_ids.extend(group_ids.iter().copied());
        self.store_smes(tag, set);
        Ok(())
    }

    /// Removing a user who is not an SME is a no-op (mock choice).
    pub fn remove_sme_user(&mut self, tag: TagId, user: UserId) -> Result<(), DomainError> {
        let mut set = self.smes_of(tag)?;
        set.user_ids.remove(&user);
        self.store_smes(tag, set);
        Ok(())
    }

    /// Removing a group that is not an SME is a no-op (mock choice).
    pub fn remove_sme_group(&mut self, tag: TagId, group: GroupId) -> Result<(), DomainError> {
        let mut set = self.smes_of(tag)?;
        set.group_ids.remove(&group);
        self.store_smes(tag, set);
        Ok(())
    }

    fn store_smes(&mut self, tag: TagId, set: SmeSet) {
        if set.is_empty() {
            self.smes.remove(&tag);
        } else {
            self.smes.insert(tag, set);
        }
    }

    // ----- roster (fixtures and usersync) --------------------------------------------------

    /// Inserts a tag with a known id (fixture loading, a post's first use). The caller
    /// guarantees the id is free.
    pub fn insert_tag(&mut self, tag: Tag) {
        self.ids.tags = self.ids.tags.max(tag.id);
        self.tags.insert(tag.id, tag);
    }

    /// Inserts a user with a known id (fixture loading). The caller guarantees the id is free.
    pub fn insert_user(&mut self, user: SiteUser) {
        self.ids.users = self.ids.users.max(user.id);
        self.user_by_account.insert(user.account_id, user.id);
        self.users.insert(user.id, user);
    }

    /// Adds an account to the site with a fresh site-local id and returns it; refused when
    /// the site's ids are spent ([`super::ids::MAX_ID`]).
    pub fn add_user(
        &mut self,
        account: AccountId,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<UserId, DomainError> {
        let id = self.ids.next(IdKind::SiteUser)?;
        self.insert_user(SiteUser {
            id,
            account_id: account,
            role,
            reputation: 1,
            job_title: None,
            department: None,
            creation_date: Some(now),
            last_access_date: None,
            last_modified_date: Some(now),
        });
        Ok(id)
    }

    pub fn change_role(
        &mut self,
        user: UserId,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let u = self
            .users
            .get_mut(&user)
            .ok_or(DomainError::UserNotFound(user))?;
        u.role = role;
        u.last_modified_date = Some(now);
        Ok(())
    }

    /// Removes a user from the site; they also leave its groups, SME lists, tag watchers and
    /// communities (mock choice: the real service keeps no dangling references either). Their
    /// posts, comments, votes and collections stay: the edge renders a removed owner as a
    /// removed user (docs/questions-and-answers.md).
    pub fn remove_user(&mut self, user: UserId) -> Result<SiteUser, DomainError> {
        let removed = self
            .users
            .remove(&user)
            .ok_or(DomainError::UserNotFound(user))?;
        self.user_by_account.remove(&removed.account_id);
        for group in self.groups.values_mut() {
            group.user_ids.remove(&user);
        }
        for set in self.smes.values_mut() {
            set.user_ids.remove(&user);
        }
        self.smes.retain(|_, set| !set.is_empty());
        for tag in self.tags.values_mut() {
            tag.watcher_ids.remove(&user);
        }
        self.leave_all_communities(user);
        Ok(removed)
    }
}

/// The ids of `ids` that fail `known`, each once, in first-seen order.
fn unique_missing(ids: &[u32], known: impl Fn(&u32) -> bool) -> Vec<u32> {
    let mut seen = BTreeSet::new();
    ids.iter()
        .copied()
        .filter(|id| !known(id) && seen.insert(*id))
        .collect()
}

#[cfg(test)]
mod tests;
