//! Creating, editing (handing over included) and deleting collections, who may change one,
//! and the checks on what a collection holds.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::{Limits, at_most, bounded};
use crate::domain::posts::{Collection, CollectionId, PostId, PostMeta, Viewer};
use crate::domain::{DomainError, GroupId, IdKind, Site, UserId};

impl Site {
    /// Whether `actor` may change `c`: its owner, its editors (users, members of its groups),
    /// a moderator or an admin.
    pub fn can_edit_collection(&self, c: &Collection, actor: Viewer) -> bool {
        let Some(user) = actor.user else {
            return false;
        };
        user == c.owner
            || actor.is_moderator()
            || c.editor_user_ids.contains(&user)
            || c.editor_group_ids.iter().any(|g| {
                self.groups
                    .get(g)
                    .is_some_and(|group| group.user_ids.contains(&user))
            })
    }

    /// The collection's content ids checked: each a live question or article, at most
    /// [`Limits::ITEMS_PER_COLLECTION`], duplicates dropped (first kept).
    pub fn collection_content(&self, ids: &[PostId]) -> Result<Vec<PostId>, DomainError> {
        let mut seen = BTreeSet::new();
        let ids: Vec<PostId> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
        if ids.len() > Limits::ITEMS_PER_COLLECTION {
            return Err(DomainError::LimitReached {
                what: "items in a collection",
                limit: Limits::ITEMS_PER_COLLECTION,
            });
        }
        let unknown: Vec<PostId> = ids
            .iter()
            .copied()
            .filter(|id| {
                let live = |m: &PostMeta| !m.is_deleted();
                !(self.posts.questions.get(id).is_some_and(|q| live(&q.meta))
                    || self.posts.articles.get(id).is_some_and(|a| live(&a.meta)))
            })
            .collect();
        if unknown.is_empty() {
            Ok(ids)
        } else {
            Err(DomainError::UnknownPosts(unknown))
        }
    }

    /// Creates a collection owned by the caller.
    pub fn create_collection(
        &mut self,
        author: Viewer,
        title: &str,
        description: &str,
        editors: (&[UserId], &[GroupId]),
        content: &[PostId],
        now: DateTime<Utc>,
    ) -> Result<CollectionId, DomainError> {
        let owner = Self::actor(author)?;
        bounded("title", title, Limits::TITLE_CHARS)?;
        at_most(
            "description",
            description,
            Limits::COLLECTION_DESCRIPTION_CHARS,
        )?;
        self.require_users(editors.0)?;
        self.require_groups(editors.1)?;
        let content = self.collection_content(content)?;
        if self.posts.collections.len() >= Limits::COLLECTIONS_PER_SITE {
            return Err(DomainError::LimitReached {
                what: "collections on this site",
                limit: Limits::COLLECTIONS_PER_SITE,
            });
        }
        self.require_text_room(title.len() + description.len())?;
        let id = self.ids.next(IdKind::Collection)?;
        self.ids.collections = id;
        self.posts_mut().insert_collection(Collection {
            id,
            title: title.trim().to_string(),
            description: description.to_string(),
            owner,
            creation_date: now,
            last_edit_date: None,
            deletion_date: None,
            editor_user_ids: editors.0.iter().copied().collect(),
            editor_group_ids: editors.1.iter().copied().collect(),
            content,
        });
        Ok(id)
    }

    /// Full replace of a collection (`PUT /collections/{id}`); `new_owner` hands it over
    /// (to a user of the site; only the owner, a moderator or an admin may).
    #[allow(clippy::too_many_arguments)]
    pub fn edit_collection(
        &mut self,
        id: CollectionId,
        actor: Viewer,
        new_owner: Option<UserId>,
        title: &str,
        description: &str,
        editors: (&[UserId], &[GroupId]),
        content: &[PostId],
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let c = self.posts.collection(id, actor)?;
        if c.deletion_date.is_some() {
            return Err(DomainError::CollectionNotFound(id));
        }
        if !self.can_edit_collection(c, actor) {
            return Err(DomainError::NotAllowed("edit this collection"));
        }
        // Handing a collection over is the owner's (or a moderator's or an admin's) call, not
        // an editor's (mock rule).
        if new_owner.is_some_and(|o| o != c.owner)
            && actor.user != Some(c.owner)
            && !actor.is_moderator()
        {
            return Err(DomainError::NotAllowed("hand this collection over"));
        }
        let old_bytes = c.title.len() + c.description.len();
        bounded("title", title, Limits::TITLE_CHARS)?;
        at_most(
            "description",
            description,
            Limits::COLLECTION_DESCRIPTION_CHARS,
        )?;
        if let Some(owner) = new_owner {
            self.user(owner)?;
        }
        self.require_users(editors.0)?;
        self.require_groups(editors.1)?;
        let content = self.collection_content(content)?;
        let new_bytes = title.len() + description.len();
        if new_bytes > old_bytes {
            self.require_text_room(new_bytes - old_bytes)?;
        }
        let posts = self.posts_mut();
        posts.text_bytes = posts.text_bytes.saturating_sub(old_bytes) + new_bytes;
        let c = posts.collections.get_mut(&id).expect("checked");
        if let Some(owner) = new_owner {
            c.owner = owner;
        }
        c.title = title.trim().to_string();
        c.description = description.to_string();
        c.editor_user_ids = editors.0.iter().copied().collect();
        c.editor_group_ids = editors.1.iter().copied().collect();
        c.content = content;
        c.last_edit_date = Some(now);
        Ok(())
    }

    /// Soft delete: the owner, a moderator or an admin (editors may not).
    pub fn delete_collection(
        &mut self,
        id: CollectionId,
        actor: Viewer,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let c = self.posts.collection(id, actor)?;
        if c.deletion_date.is_some() {
            return Err(DomainError::CollectionNotFound(id));
        }
        self.require_owner_or_moderator(c.owner, actor, "delete this collection")?;
        self.posts_mut()
            .collections
            .get_mut(&id)
            .expect("checked")
            .deletion_date = Some(now);
        Ok(())
    }
}
