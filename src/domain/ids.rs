//! The site-local ids the mock hands out: a new user group's (`POST /user-groups`) and a new
//! site user's (usersync `AddToSite`).
//!
//! Each kind has a high-water mark, the highest id the site has ever held: a removed user's id
//! is never handed out again, as with the real service's identity columns. The marks travel
//! with the world (snapshots, sandboxes, and `idHighWater` in an exported state document), so
//! a round trip cannot bring a removed id back. Allocation stops at [`MAX_ID`]: v3 declares
//! every id `int32`, and an id past it is one no client could send back.

use super::{DomainError, GroupId, UserId};

/// The largest id the mock hands out or loads: `int32`'s maximum, as v3 declares its ids.
pub const MAX_ID: u32 = i32::MAX as u32;

/// The kinds of id the mock allocates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    SiteUser,
    UserGroup,
    Tag,
    /// Questions, answers and articles share one id space.
    Post,
    Comment,
    Collection,
}

impl std::fmt::Display for IdKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            IdKind::SiteUser => "site user",
            IdKind::UserGroup => "user group",
            IdKind::Tag => "tag",
            IdKind::Post => "post",
            IdKind::Comment => "comment",
            IdKind::Collection => "collection",
        })
    }
}

/// The highest id of each kind a site has ever held (0: none yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdHighWater {
    pub users: UserId,
    pub groups: GroupId,
    pub tags: u32,
    pub posts: u32,
    pub comments: u32,
    pub collections: u32,
}

impl IdHighWater {
    /// Raises each mark to `other`'s where that is higher (marks never go down).
    pub fn raise(&mut self, other: IdHighWater) {
        self.users = self.users.max(other.users);
        self.groups = self.groups.max(other.groups);
        self.tags = self.tags.max(other.tags);
        self.posts = self.posts.max(other.posts);
        self.comments = self.comments.max(other.comments);
        self.collections = self.collections.max(other.collections);
    }

    /// The id after the `kind` mark, or [`DomainError::IdsExhausted`] past [`MAX_ID`].
    pub fn next(&self, kind: IdKind) -> Result<u32, DomainError> {
        let highest = match kind {
            IdKind::SiteUser => self.users,
            IdKind::UserGroup => self.groups,
            IdKind::Tag => self.tags,
            IdKind::Post => self.posts,
            IdKind::Comment => self.comments,
            IdKind::Collection => self.collections,
        };
        highest
            .checked_add(1)
            .filter(|id| *id <= MAX_ID)
            .ok_or(DomainError::IdsExhausted(kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Role, Site, SiteKind, SiteUser, UserGroup};

    #[test]
    fn the_next_id_follows_the_mark_and_stops_at_int32() {
        let mut marks = IdHighWater::default();
        assert_eq!(marks.next(IdKind::SiteUser), Ok(1));
        marks.raise(IdHighWater {
            users: MAX_ID - 1,
            groups: MAX_ID,
            ..IdHighWater::default()
        });
        assert_eq!(marks.next(IdKind::SiteUser), Ok(MAX_ID));
        assert_eq!(
            marks.next(IdKind::UserGroup),
            Err(DomainError::IdsExhausted(IdKind::UserGroup))
        );
        marks.users = u32::MAX;
        assert_eq!(
            marks.next(IdKind::SiteUser),
            Err(DomainError::IdsExhausted(IdKind::SiteUser))
        );
    }

    #[test]
    fn marks_never_go_down() {
        let mut marks = IdHighWater {
            users: 40,
            groups: 7,
            posts: 5,
            ..IdHighWater::default()
        };
        marks.raise(IdHighWater {
            users: 3,
            groups: 9,
            posts: 2,
            ..IdHighWater::default()
        });
        assert_eq!(
            marks,
            IdHighWater {
                users: 40,
                groups: 9,
                posts: 5,
                ..IdHighWater::default()
            }
        );
    }

    #[test]
    fn a_site_at_the_limit_refuses_new_groups_and_users_and_changes_nothing() {
        let mut site = Site::new("t".into(), "T".into(), SiteKind::PrivateTeam);
        site.insert_group(UserGroup {
            id: MAX_ID,
            name: "Last".into(),
            description: String::new(),
            user_ids: Default::default(),
        });
        site.insert_user(SiteUser {
            id: MAX_ID,
            account_id: 1,
            role: Role::Registered,
            reputation: 1,
            job_title: None,
            department: None,
            creation_date: None,
            last_access_date: None,
            last_modified_date: None,
        });
        let before = site.clone();
        assert_eq!(
            site.create_group("New", "", &[]),
            Err(DomainError::IdsExhausted(IdKind::UserGroup))
        );
        assert_eq!(
            site.add_user(2, Role::Registered, chrono::Utc::now()),
            Err(DomainError::IdsExhausted(IdKind::SiteUser))
        );
        assert_eq!(site, before);
    }
}
