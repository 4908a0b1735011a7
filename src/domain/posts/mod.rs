//! Posts — questions, answers and articles — with their comments, votes, bookmarks, follows and
//! flags, and the collections that group questions and articles: the content of one site.
//!
//! One id space holds questions, answers and articles (as the real service's post ids do);
//! comments and collections have their own. Derived values are computed when read, from the
//! one place that holds them: a post's score from its votes, a question's answer count and
//! `isAnswered` from its answers, so no write can leave them out of step. Tag `postCount`s
//! are the exception (a fixture may declare posts it does not list): [`crate::domain::Site`]'s
//! post writes adjust them.
//!
//! Deletion is soft (mock rule, docs/questions-and-answers.md): a deleted post or collection
//! keeps its place with a `deletion_date`; [`Viewer::sees_deleted`] decides who still reads it
//! (admins and moderators, with `isDeleted: true`); lists leave deleted items out for everyone.
//!
//! The collections live behind one `Arc` in [`crate::domain::Site`], so a write elsewhere on
//! the site (a user group, usersync) does not copy them.

pub mod flags;
pub mod links;
mod load;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{DomainError, GroupId, Role, TagId, UserId};

pub use write::{Limits, PostEdit};

/// A question's, answer's or article's id (one id space per site).
pub type PostId = u32;
/// A comment's id.
pub type CommentId = u32;
/// A collection's id.
pub type CollectionId = u32;

/// One user's vote on a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Vote {
    Up,
    Down,
}

/// A Markdown body and its sanitised HTML ([`super::markdown`]), rendered at its first read
/// and kept: a fixture of 100k questions loads without rendering 250k bodies that may never
/// be read (BENCHMARKS.md, "Fixture load").
#[derive(Debug, Clone)]
pub struct Body {
    pub markdown: String,
    html: OnceLock<String>,
}

/// The HTML is derived from the Markdown: two bodies are equal when their Markdown is,
/// rendered or not.
impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        self.markdown == other.markdown
    }
}

impl Body {
    pub fn new(markdown: impl Into<String>) -> Self {
        Body {
            markdown: markdown.into(),
            html: OnceLock::new(),
        }
    }

    /// The rendered HTML (`body` on the wire).
    pub fn html(&self) -> &str {
        self.html
            .get_or_init(|| super::markdown::to_html(&self.markdown))
    }
}

/// What every post has: its author and dates, its votes and followers, and its deletion.
#[derive(Debug, Clone, PartialEq)]
pub struct PostMeta {
    /// The author's site user id. The user may since have left the site (usersync): the post
    /// stays, and the edge renders the owner as a removed user.
    pub owner: UserId,
    pub body: Body,
    pub creation_date: DateTime<Utc>,
    pub last_activity_date: DateTime<Utc>,
    pub last_edit_date: Option<DateTime<Utc>>,
    pub last_editor: Option<UserId>,
    pub deletion_date: Option<DateTime<Utc>>,
    pub votes: BTreeMap<UserId, Vote>,
    pub followers: BTreeSet<UserId>,
}

impl PostMeta {
    pub fn new(owner: UserId, markdown: &str, now: DateTime<Utc>) -> Self {
        PostMeta {
            owner,
            body: Body::new(markdown),
            creation_date: now,
            last_activity_date: now,
            last_edit_date: None,
            last_editor: None,
            deletion_date: None,
            votes: BTreeMap::new(),
            followers: BTreeSet::new(),
        }
    }

    /// Upvotes minus downvotes.
    pub fn score(&self) -> i32 {
        self.votes.values().fold(0i32, |s, v| match v {
            Vote::Up => s.saturating_add(1),
            Vote::Down => s.saturating_sub(1),
        })
    }

    pub fn is_deleted(&self) -> bool {
        self.deletion_date.is_some()
    }

    pub fn vote_of(&self, user: Option<UserId>) -> Option<Vote> {
        user.and_then(|u| self.votes.get(&u).copied())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: PostId,
    pub title: String,
    /// In the order the author gave them.
    pub tags: Vec<TagId>,
    pub meta: PostMeta,
    /// Fixture-given; reads do not count as views (mock choice: a GET never changes state).
    pub view_count: i32,
    pub is_closed: bool,
    pub is_obsolete: bool,
    pub accepted_answer: Option<PostId>,
    pub bookmarked_by: BTreeSet<UserId>,
    /// Post ids this question's body links to, read from the Markdown when the question is
    /// written ([`links`]; a fixture may give them). They may name nothing: reads keep only
    /// live questions.
    pub linked: BTreeSet<PostId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub id: PostId,
    pub question_id: PostId,
    pub meta: PostMeta,
    pub bookmarked_by: BTreeSet<UserId>,
}

/// `ArticleType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ArticleType {
    KnowledgeArticle,
    Announcement,
    Policy,
    HowToGuide,
}

/// `ArticlePermissionsType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum EditableBy {
    #[default]
    OwnerOnly,
    SpecificEditors,
    Everyone,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArticlePermissions {
    pub editable_by: EditableBy,
    pub editor_user_ids: BTreeSet<UserId>,
    pub editor_group_ids: BTreeSet<GroupId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: PostId,
    pub article_type: ArticleType,
    pub title: String,
    pub tags: Vec<TagId>,
    pub meta: PostMeta,
    pub view_count: i32,
    pub is_closed: bool,
    pub is_obsolete: bool,
    pub permissions: ArticlePermissions,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: CommentId,
    /// The question, answer or article commented on.
    pub post_id: PostId,
    pub owner: UserId,
    /// Comments are Markdown-lite on the real service; `CommentResponseModel.body` is the text.
    pub body: String,
    pub creation_date: DateTime<Utc>,
    pub score: i32,
}

/// A flag a user raised on a question or an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub post_id: PostId,
    pub user: UserId,
    pub option_id: i32,
    pub comment: Option<String>,
    pub related_question_id: Option<PostId>,
    pub target_site: Option<String>,
    pub creation_date: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub id: CollectionId,
    pub title: String,
    pub description: String,
    pub owner: UserId,
    pub creation_date: DateTime<Utc>,
    pub last_edit_date: Option<DateTime<Utc>>,
    pub deletion_date: Option<DateTime<Utc>>,
    pub editor_user_ids: BTreeSet<UserId>,
    pub editor_group_ids: BTreeSet<GroupId>,
    /// Question and article ids, in the collection's order.
    pub content: Vec<PostId>,
}

/// What kind of post an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    Question,
    Answer,
    Article,
}

/// The content of one site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Posts {
    pub questions: BTreeMap<PostId, Question>,
    pub answers: BTreeMap<PostId, Answer>,
    /// Each question's answers, in id order (derived, kept in step by the writes).
    pub answers_of: BTreeMap<PostId, BTreeSet<PostId>>,
    pub articles: BTreeMap<PostId, Article>,
    pub comments: BTreeMap<CommentId, Comment>,
    /// Each post's comments, in id order (derived, kept in step by the writes).
    pub comments_of: BTreeMap<PostId, BTreeSet<CommentId>>,
    pub flags: Vec<Flag>,
    pub collections: BTreeMap<CollectionId, Collection>,
    /// Markdown and title bytes held, for the site's content limit ([`Limits`]).
    pub text_bytes: usize,
    /// The search index of the live posts (derived, kept in step by [`Posts::reindex`]).
    pub index: Arc<crate::domain::search::SearchIndex>,
}

/// Who is reading: decides what a deleted item looks like and fills caller-relative fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Viewer {
    pub user: Option<UserId>,
    pub role: Option<Role>,
}

impl Viewer {
    /// Admins and moderators read deleted posts and collections (with `isDeleted: true`);
    /// everyone else gets a 404 (mock rule).
    pub fn sees_deleted(&self) -> bool {
        matches!(self.role, Some(Role::Admin | Role::Moderator))
    }

    pub fn is_moderator(&self) -> bool {
        self.sees_deleted()
    }
}

impl Posts {
    pub fn kind_of(&self, id: PostId) -> Option<PostKind> {
        if self.questions.contains_key(&id) {
            Some(PostKind::Question)
        } else if self.answers.contains_key(&id) {
            Some(PostKind::Answer)
        } else if self.articles.contains_key(&id) {
            Some(PostKind::Article)
        } else {
            None
        }
    }

    pub fn meta(&self, id: PostId) -> Option<&PostMeta> {
        self.questions
            .get(&id)
            .map(|q| &q.meta)
            .or_else(|| self.answers.get(&id).map(|a| &a.meta))
            .or_else(|| self.articles.get(&id).map(|a| &a.meta))
    }

    fn meta_mut(&mut self, id: PostId) -> Option<&mut PostMeta> {
        if let Some(q) = self.questions.get_mut(&id) {
            return Some(&mut q.meta);
        }
        if let Some(a) = self.answers.get_mut(&id) {
            return Some(&mut a.meta);
        }
        self.articles.get_mut(&id).map(|a| &mut a.meta)
    }

    /// The question `id` as `viewer` may read it: 404 when unknown, or deleted and the viewer
    /// is not a moderator or admin.
    pub fn question(&self, id: PostId, viewer: Viewer) -> Result<&Question, DomainError> {
        self.questions
            .get(&id)
            .filter(|q| !q.meta.is_deleted() || viewer.sees_deleted())
            .ok_or(DomainError::QuestionNotFound(id))
    }

    /// The answer `answer` of question `question`: 404 unless both exist, the answer belongs
    /// to the question, and neither is deleted (or the viewer sees deleted posts).
    pub fn answer(
        &self,
        question: PostId,
        answer: PostId,
        viewer: Viewer,
    ) -> Result<&Answer, DomainError> {
        self.question(question, viewer)?;
        self.answers
            .get(&answer)
            .filter(|a| a.question_id == question)
            .filter(|a| !a.meta.is_deleted() || viewer.sees_deleted())
            .ok_or(DomainError::AnswerNotFound(answer))
    }

    pub fn article(&self, id: PostId, viewer: Viewer) -> Result<&Article, DomainError> {
        self.articles
            .get(&id)
            .filter(|a| !a.meta.is_deleted() || viewer.sees_deleted())
            .ok_or(DomainError::ArticleNotFound(id))
    }

    pub fn collection(&self, id: CollectionId, viewer: Viewer) -> Result<&Collection, DomainError> {
        self.collections
            .get(&id)
            .filter(|c| c.deletion_date.is_none() || viewer.sees_deleted())
            .ok_or(DomainError::CollectionNotFound(id))
    }

    /// A question's answers that are not deleted, in id order.
    pub fn live_answers(&self, question: PostId) -> impl Iterator<Item = &Answer> {
        self.answers_of
            .get(&question)
            .into_iter()
            .flatten()
            .filter_map(|id| self.answers.get(id))
            .filter(|a| !a.meta.is_deleted())
    }

    /// `answerCount`: the answers that are not deleted.
    pub fn answer_count(&self, question: PostId) -> usize {
        self.live_answers(question).count()
    }

    /// `isAnswered`, the real service's rule: an accepted answer, or an answer with a positive
    /// score.
    pub fn is_answered(&self, question: &Question) -> bool {
        self.accepted_answer(question).is_some()
            || self.live_answers(question.id).any(|a| a.meta.score() > 0)
    }

    /// The accepted answer, unless it has been deleted.
    pub fn accepted_answer(&self, question: &Question) -> Option<&Answer> {
        question
            .accepted_answer
            .and_then(|id| self.answers.get(&id))
            .filter(|a| !a.meta.is_deleted())
    }

    /// The comments on a post, in id order.
    pub fn comments_on(&self, post: PostId) -> impl Iterator<Item = &Comment> {
        self.comments_of
            .get(&post)
            .into_iter()
            .flatten()
            .filter_map(|id| self.comments.get(id))
    }

    /// Inserts a question with a known id and indexes it (a create; the caller checked the
    /// id). A loader of many posts uses [`Posts::load`].
    pub fn insert_question(&mut self, q: Question) {
        let id = q.id;
        self.put_question(q);
        self.reindex(id);
    }

    /// Inserts an answer with a known id and indexes it (the caller checked both ids).
    pub fn insert_answer(&mut self, a: Answer) {
        let id = a.id;
        self.put_answer(a);
        self.reindex(id);
    }

    /// Inserts an article with a known id and indexes it (the caller checked the id).
    pub fn insert_article(&mut self, a: Article) {
        let id = a.id;
        self.put_article(a);
        self.reindex(id);
    }

    /// [`Posts::insert_question`] without indexing: a bulk loader indexes once at the end.
    fn put_question(&mut self, q: Question) {
        self.text_bytes = self
            .text_bytes
            .saturating_add(q.title.len() + q.meta.body.markdown.len());
        self.questions.insert(q.id, q);
    }

    fn put_answer(&mut self, a: Answer) {
        self.text_bytes = self.text_bytes.saturating_add(a.meta.body.markdown.len());
        self.answers_of
            .entry(a.question_id)
            .or_default()
            .insert(a.id);
        self.answers.insert(a.id, a);
    }

    fn put_article(&mut self, a: Article) {
        self.text_bytes = self
            .text_bytes
            .saturating_add(a.title.len() + a.meta.body.markdown.len());
        self.articles.insert(a.id, a);
    }

    /// Many posts with known ids at once (fixture loading; ids unique over the three kinds,
    /// as the loader checks): the search index is built once, spread over the cores
    /// ([`crate::parallel`]).
    pub fn load(&mut self, questions: Vec<Question>, answers: Vec<Answer>, articles: Vec<Article>) {
        questions.into_iter().for_each(|q| self.put_question(q));
        answers.into_iter().for_each(|a| self.put_answer(a));
        articles.into_iter().for_each(|a| self.put_article(a));
        self.rebuild_index();
    }

    /// Inserts a comment with a known id (fixture loading; the caller checked both ids).
    pub fn insert_comment(&mut self, c: Comment) {
        self.text_bytes = self.text_bytes.saturating_add(c.body.len());
        self.comments_of.entry(c.post_id).or_default().insert(c.id);
        self.comments.insert(c.id, c);
    }

    /// Inserts a collection with a known id (fixture loading; the caller checked the ids).
    pub fn insert_collection(&mut self, c: Collection) {
        self.text_bytes = self
            .text_bytes
            .saturating_add(c.title.len() + c.description.len());
        self.collections.insert(c.id, c);
    }

    /// The number of posts of every kind (the site's post limit counts them all).
    pub fn post_count(&self) -> usize {
        self.questions.len() + self.answers.len() + self.articles.len()
    }
}

#[cfg(test)]
mod question_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_articles_collections;
