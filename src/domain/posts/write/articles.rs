//! Writing, editing and deleting articles, and who may edit one (its owner, a moderator or an
//! admin, and the editors its permissions name).

use chrono::{DateTime, Utc};

use super::{Limits, PostEdit, bounded};
use crate::domain::posts::{
    Article, ArticlePermissions, ArticleType, EditableBy, PostId, PostMeta, Viewer,
};
use crate::domain::{DomainError, GroupId, IdKind, Site, UserId};

impl Site {
    pub fn create_article(
        &mut self,
        author: Viewer,
        edit: PostEdit<'_>,
        article_type: ArticleType,
        permissions: ArticlePermissions,
        now: DateTime<Utc>,
    ) -> Result<PostId, DomainError> {
        let owner = Self::actor(author)?;
        bounded("title", edit.title, Limits::TITLE_CHARS)?;
        bounded("body", edit.body, Limits::ARTICLE_BODY_CHARS)?;
        self.require_editors(&permissions)?;
        let (_, new) = self.resolve_tags(edit.tags)?;
        self.require_room(edit.title.len() + edit.body.len())?;
        let id = self.ids.next(IdKind::Post)?;
        let tags = self.create_tags(edit.tags, new, now)?;
        self.ids.posts = id;
        self.move_tag_counts(&[], &tags);
        self.posts_mut().insert_article(Article {
            id,
            article_type,
            title: edit.title.trim().to_string(),
            tags,
            meta: PostMeta::new(owner, edit.body, now),
            view_count: 0,
            is_closed: false,
            is_obsolete: false,
            permissions,
        });
        Ok(id)
    }

    /// Whether `actor` may edit `article` (`userCanEdit`): its owner, a moderator or an admin,
    /// and, as its permissions say, everyone or the listed users and members of listed groups.
    pub fn can_edit_article(&self, article: &Article, actor: Viewer) -> bool {
        let Some(user) = actor.user else {
            return false;
        };
        if user == article.meta.owner || actor.is_moderator() {
            return true;
        }
        let p = &article.permissions;
        match p.editable_by {
            EditableBy::OwnerOnly => false,
            EditableBy::Everyone => true,
            EditableBy::SpecificEditors => {
                p.editor_user_ids.contains(&user)
                    || p.editor_group_ids.iter().any(|g| {
                        self.groups
                            .get(g)
                            .is_some_and(|group| group.user_ids.contains(&user))
                    })
            }
        }
    }

    /// Full replace of an article (`PUT /articles/{id}`).
    pub fn edit_article(
        &mut self,
        id: PostId,
        editor: Viewer,
        edit: PostEdit<'_>,
        article_type: ArticleType,
        permissions: ArticlePermissions,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let a = self.posts.article(id, editor)?;
        if a.meta.is_deleted() {
            return Err(DomainError::PostDeleted(id));
        }
        if !self.can_edit_article(a, editor) {
            return Err(DomainError::NotAllowed("edit this article"));
        }
        bounded("title", edit.title, Limits::TITLE_CHARS)?;
        bounded("body", edit.body, Limits::ARTICLE_BODY_CHARS)?;
        self.require_editors(&permissions)?;
        let (_, new) = self.resolve_tags(edit.tags)?;
        let (old_tags, old_bytes) = (a.tags.clone(), a.title.len() + a.meta.body.markdown.len());
        let tags = self.replace_text_and_tags(&old_tags, old_bytes, &edit, new, now)?;
        let posts = self.posts_mut();
        let a = posts.articles.get_mut(&id).expect("checked above");
        a.title = edit.title.trim().to_string();
        a.tags = tags;
        a.article_type = article_type;
        a.permissions = permissions;
        a.meta.edited(edit.body, editor.user, now);
        posts.reindex(id);
        Ok(())
    }

    /// Soft delete: the owner, a moderator or an admin.
    pub fn delete_article(
        &mut self,
        id: PostId,
        actor: Viewer,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let a = self.posts.article(id, actor)?;
        if a.meta.is_deleted() {
            return Err(DomainError::PostDeleted(id));
        }
        self.require_owner_or_moderator(a.meta.owner, actor, "delete this article")?;
        let tags = a.tags.clone();
        self.move_tag_counts(&tags, &[]);
        self.posts_mut()
            .articles
            .get_mut(&id)
            .expect("checked")
            .meta
            .deletion_date = Some(now);
        self.posts_mut().reindex(id);
        Ok(())
    }

    fn require_editors(&self, p: &ArticlePermissions) -> Result<(), DomainError> {
        let users: Vec<UserId> = p.editor_user_ids.iter().copied().collect();
        let groups: Vec<GroupId> = p.editor_group_ids.iter().copied().collect();
        self.require_users(&users)?;
        self.require_groups(&groups)
    }
}
