//! Asking, editing and deleting questions: a question's title, body and tags, with the posts
//! its body links to read when it is written.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::{Limits, PostEdit, bounded};
use crate::domain::posts::{PostId, PostMeta, Question, Viewer};
use crate::domain::{DomainError, IdKind, Site};

/// The posts a question's Markdown links to, itself excepted ([`crate::domain::posts::links`]):
/// read when the question is written, so reads do not parse bodies.
fn linked_from(question: PostId, markdown: &str) -> BTreeSet<PostId> {
    let mut ids = crate::domain::posts::links::linked_ids(markdown);
    ids.remove(&question);
    ids
}

impl Site {
    pub fn create_question(
        &mut self,
        author: Viewer,
        edit: PostEdit<'_>,
        now: DateTime<Utc>,
    ) -> Result<PostId, DomainError> {
        let owner = Self::actor(author)?;
        bounded("title", edit.title, Limits::TITLE_CHARS)?;
        bounded("body", edit.body, Limits::BODY_CHARS)?;
        let (_, new) = self.resolve_tags(edit.tags)?;
        self.require_room(edit.title.len() + edit.body.len())?;
        let id = self.ids.next(IdKind::Post)?;
        let tags = self.create_tags(edit.tags, new, now)?;
        self.ids.posts = id;
        self.move_tag_counts(&[], &tags);
        let mut meta = PostMeta::new(owner, edit.body, now);
        // The asker follows their question (mock choice, as the real service subscribes askers
        // to their questions' answers): `userIsFollowing` is true for them.
        meta.followers.insert(owner);
        self.posts_mut().insert_question(Question {
            id,
            title: edit.title.trim().to_string(),
            tags,
            meta,
            view_count: 0,
            is_closed: false,
            is_obsolete: false,
            accepted_answer: None,
            bookmarked_by: BTreeSet::new(),
            linked: linked_from(id, edit.body),
        });
        Ok(id)
    }

    /// Full replace of title, body and tags (`PUT /questions/{id}`).
    pub fn edit_question(
        &mut self,
        id: PostId,
        editor: Viewer,
        edit: PostEdit<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let q = self.posts.question(id, editor)?;
        if q.meta.is_deleted() {
            return Err(DomainError::PostDeleted(id));
        }
        self.require_owner_or_moderator(q.meta.owner, editor, "edit this question")?;
        bounded("title", edit.title, Limits::TITLE_CHARS)?;
        bounded("body", edit.body, Limits::BODY_CHARS)?;
        let (_, new) = self.resolve_tags(edit.tags)?;
        let (old_tags, old_bytes) = (q.tags.clone(), q.title.len() + q.meta.body.markdown.len());
        let tags = self.replace_text_and_tags(&old_tags, old_bytes, &edit, new, now)?;
        let posts = self.posts_mut();
        let q = posts.questions.get_mut(&id).expect("checked above");
        q.title = edit.title.trim().to_string();
        q.tags = tags;
        q.linked = linked_from(id, edit.body);
        q.meta.edited(edit.body, editor.user, now);
        posts.reindex(id);
        Ok(())
    }

    /// Soft delete: the question and its answers leave lists; its tags' counts drop.
    pub fn delete_question(
        &mut self,
        id: PostId,
        actor: Viewer,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let q = self.posts.question(id, actor)?;
        if q.meta.is_deleted() {
            return Err(DomainError::PostDeleted(id));
        }
        self.require_owner_or_moderator(q.meta.owner, actor, "delete this question")?;
        let tags = q.tags.clone();
        self.move_tag_counts(&tags, &[]);
        let q = self.posts_mut().questions.get_mut(&id).expect("checked");
        q.meta.deletion_date = Some(now);
        self.posts_mut().reindex(id);
        Ok(())
    }
}
