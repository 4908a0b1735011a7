//! Answering a question, and editing and deleting answers. Accepting an answer is in `acts`,
//! with the other writes that move reputation.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::{Limits, bounded};
use crate::domain::posts::{Answer, PostId, PostMeta, Viewer};
use crate::domain::{DomainError, IdKind, Site};

impl Site {
    pub fn create_answer(
        &mut self,
        question: PostId,
        author: Viewer,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<PostId, DomainError> {
        let owner = Self::actor(author)?;
        let q = self.posts.question(question, author)?;
        if q.meta.is_deleted() {
            return Err(DomainError::PostDeleted(question));
        }
        if q.is_closed {
            return Err(DomainError::QuestionClosed(question));
        }
        bounded("body", body, Limits::BODY_CHARS)?;
        self.require_room(body.len())?;
        let id = self.ids.next(IdKind::Post)?;
        self.ids.posts = id;
        let posts = self.posts_mut();
        posts
            .questions
            .get_mut(&question)
            .expect("checked")
            .meta
            .last_activity_date = now;
        posts.insert_answer(Answer {
            id,
            question_id: question,
            meta: PostMeta::new(owner, body, now),
            bookmarked_by: BTreeSet::new(),
        });
        Ok(id)
    }

    pub fn edit_answer(
        &mut self,
        question: PostId,
        answer: PostId,
        editor: Viewer,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let a = self.posts.answer(question, answer, editor)?;
        if a.meta.is_deleted() {
            return Err(DomainError::PostDeleted(answer));
        }
        self.require_owner_or_moderator(a.meta.owner, editor, "edit this answer")?;
        bounded("body", body, Limits::BODY_CHARS)?;
        let old_bytes = a.meta.body.markdown.len();
        if body.len() > old_bytes {
            self.require_text_room(body.len() - old_bytes)?;
        }
        let posts = self.posts_mut();
        posts.text_bytes = posts.text_bytes.saturating_sub(old_bytes) + body.len();
        posts
            .answers
            .get_mut(&answer)
            .expect("checked")
            .meta
            .edited(body, editor.user, now);
        posts.reindex(answer);
        posts
            .questions
            .get_mut(&question)
            .expect("checked")
            .meta
            .last_activity_date = now;
        Ok(())
    }

    /// Soft delete; a deleted accepted answer no longer counts as accepted.
    pub fn delete_answer(
        &mut self,
        question: PostId,
        answer: PostId,
        actor: Viewer,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let a = self.posts.answer(question, answer, actor)?;
        if a.meta.is_deleted() {
            return Err(DomainError::PostDeleted(answer));
        }
        self.require_owner_or_moderator(a.meta.owner, actor, "delete this answer")?;
        let posts = self.posts_mut();
        posts
            .answers
            .get_mut(&answer)
            .expect("checked")
            .meta
            .deletion_date = Some(now);
        posts.reindex(answer);
        Ok(())
    }
}
