//! The writes on a site's content. Each validates everything first and changes nothing when it
//! refuses; tags named by a post are created on first use and their `postCount`s follow the
//! posts that carry them; reputation follows votes and accepts (the rule is in [`rep`]).

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{
    Answer, Article, ArticlePermissions, ArticleType, Collection, CollectionId, Flag, PostId,
    PostKind, PostMeta, Posts, Question, Viewer, Vote,
};
use crate::domain::{DomainError, GroupId, IdKind, Site, Tag, TagId, UserId};

/// The bounds on what callers can write (README, "Limits"). Titles and bodies are counted in
/// characters as the real service counts them; the site-wide bounds keep one instance's
/// memory in check whatever a QA engineer sends.
pub struct Limits;

impl Limits {
    /// A question's or article's title (the real service: 150).
    pub const TITLE_CHARS: usize = 150;
    /// A question's or answer's body (the real service: 30,000).
    pub const BODY_CHARS: usize = 30_000;
    /// An article's body (mock choice: the real limit is not documented).
    pub const ARTICLE_BODY_CHARS: usize = 100_000;
    /// Tags on one post (the real service: 5).
    pub const TAGS_PER_POST: usize = 5;
    /// A tag name (the real service: 35).
    pub const TAG_NAME_CHARS: usize = 35;
    /// Tags on one site, counting those created by posts.
    pub const TAGS_PER_SITE: usize = 200_000;
    /// Questions, answers and articles on one site, fixtures included.
    pub const POSTS_PER_SITE: usize = 250_000;
    /// Titles, bodies and comments of one site, in bytes of Markdown.
    pub const TEXT_BYTES_PER_SITE: usize = 128 * 1024 * 1024;
    /// Flags on one site.
    pub const FLAGS_PER_SITE: usize = 10_000;
    /// Collections on one site.
    pub const COLLECTIONS_PER_SITE: usize = 10_000;
    /// Items in one collection.
    pub const ITEMS_PER_COLLECTION: usize = 500;
    /// A flag's comment.
    pub const FLAG_COMMENT_CHARS: usize = 2_000;
    /// A collection's description (mock choice: the real limit is not documented).
    pub const COLLECTION_DESCRIPTION_CHARS: usize = 30_000;
}

/// The fields of a question or article write (`QuestionRequestModel`, `ArticleRequestModel`).
#[derive(Debug, Clone, Default)]
pub struct PostEdit<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub tags: &'a [String],
}

/// Reputation (mock rule, after the real service's): an upvote gives the post's owner +10, a
/// downvote −2; an accepted answer gives its owner +15 and the question's asker +2 (whoever
/// accepts: the asker, or a moderator or admin on their behalf; not when the asker accepts
/// their own answer). Removing a vote or an accept takes its points back. Reputation never
/// falls below 1. A removed user's posts change no one's reputation.
pub mod rep {
    pub const UPVOTE: i32 = 10;
    pub const DOWNVOTE: i32 = -2;
    pub const ACCEPTED: i32 = 15;
    pub const ACCEPTER: i32 = 2;
}

fn invalid(field: &'static str, message: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        message: message.into(),
    }
}

/// The posts a question's Markdown links to, itself excepted ([`super::links`]): read when the
/// question is written, so reads do not parse bodies.
fn linked_from(question: PostId, markdown: &str) -> BTreeSet<PostId> {
    let mut ids = super::links::linked_ids(markdown);
    ids.remove(&question);
    ids
}

/// `text` trimmed, refused when empty or longer than `max` characters.
fn bounded(field: &'static str, text: &str, max: usize) -> Result<(), DomainError> {
    if text.trim().is_empty() {
        return Err(invalid(field, format!("The {field} field is required.")));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(invalid(
            field,
            format!("The {field} field must be at most {max} characters long (it has {chars})."),
        ));
    }
    Ok(())
}

/// `text` (may be empty) refused when longer than `max` characters.
fn at_most(field: &'static str, text: &str, max: usize) -> Result<(), DomainError> {
    let chars = text.chars().count();
    if chars > max {
        return Err(invalid(
            field,
            format!("The {field} field must be at most {max} characters long (it has {chars})."),
        ));
    }
    Ok(())
}

/// A tag name as the service stores it: lower case, trimmed; letters, digits and `+ # . -`.
fn tag_name(raw: &str) -> Result<String, DomainError> {
    let name = raw.trim().to_lowercase();
    if name.is_empty() {
        return Err(invalid("tags", "A tag name must not be empty."));
    }
    if name.chars().count() > Limits::TAG_NAME_CHARS {
        return Err(invalid(
            "tags",
            format!(
                "The tag {name:?} is longer than {} characters.",
                Limits::TAG_NAME_CHARS
            ),
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '+' | '#' | '.' | '-'))
    {
        return Err(invalid(
            "tags",
            format!("The tag {name:?} may only hold letters, digits and + # . -"),
        ));
    }
    Ok(name)
}

impl Site {
    fn posts_mut(&mut self) -> &mut Posts {
        Arc::make_mut(&mut self.posts)
    }

    // ----- shared checks ---------------------------------------------------------------

    /// The tag ids for `names` (1 to 5 distinct names): existing tags by name (case-insensitive),
    /// and the names still to create. Changes nothing.
    fn resolve_tags(&self, names: &[String]) -> Result<(Vec<TagId>, Vec<String>), DomainError> {
        if names.is_empty() {
            return Err(invalid("tags", "At least one tag is required."));
        }
        if names.len() > Limits::TAGS_PER_POST {
            return Err(invalid(
                "tags",
                format!("At most {} tags are allowed.", Limits::TAGS_PER_POST),
            ));
        }
        let mut existing = Vec::new();
        let mut new = Vec::new();
        let mut seen = BTreeSet::new();
        for raw in names {
            let name = tag_name(raw)?;
            if !seen.insert(name.clone()) {
                continue;
            }
            match self.tags.values().find(|t| t.name.to_lowercase() == name) {
                Some(tag) => existing.push(tag.id),
                None => new.push(name),
            }
        }
        if !new.is_empty() && self.tags.len() + new.len() > Limits::TAGS_PER_SITE {
            return Err(DomainError::LimitReached {
                what: "tags on this site",
                limit: Limits::TAGS_PER_SITE,
            });
        }
        if !new.is_empty() {
            self.ids.next(IdKind::Tag)?;
        }
        Ok((existing, new))
    }

    /// Creates the tags of `new` (first use by a post) and answers every tag id in the order
    /// the names came. Only called once every other check of the write has passed.
    fn create_tags(
        &mut self,
        names: &[String],
        new: Vec<String>,
        now: DateTime<Utc>,
    ) -> Result<Vec<TagId>, DomainError> {
        for name in new {
            let id = self.ids.next(IdKind::Tag)?;
            self.insert_tag(Tag {
                id,
                name,
                description: String::new(),
                post_count: 0,
                creation_date: now,
                watcher_ids: BTreeSet::new(),
                has_synonyms: false,
            });
        }
        let mut ids = Vec::new();
        for raw in names {
            let name = tag_name(raw)?;
            if let Some(tag) = self.tags.values().find(|t| t.name.to_lowercase() == name)
                && !ids.contains(&tag.id)
            {
                ids.push(tag.id);
            }
        }
        Ok(ids)
    }

    /// `postCount` follows a post's tags: −1 for each of `old`, +1 for each of `new`.
    fn move_tag_counts(&mut self, old: &[TagId], new: &[TagId]) {
        for id in old {
            if let Some(t) = self.tags.get_mut(id) {
                t.post_count = t.post_count.saturating_sub(1).max(0);
            }
        }
        for id in new {
            if let Some(t) = self.tags.get_mut(id) {
                t.post_count = t.post_count.saturating_add(1);
            }
        }
    }

    /// The shared part of a title, body and tags edit (questions, articles), once every other
    /// check has passed: room for the text's growth, then the new tags created, the tags'
    /// `postCount`s moved and the site's text bytes updated. Answers the post's tag ids.
    fn replace_text_and_tags(
        &mut self,
        old_tags: &[TagId],
        old_bytes: usize,
        edit: &PostEdit<'_>,
        new: Vec<String>,
        now: DateTime<Utc>,
    ) -> Result<Vec<TagId>, DomainError> {
        let new_bytes = edit.title.len() + edit.body.len();
        if new_bytes > old_bytes {
            self.require_text_room(new_bytes - old_bytes)?;
        }
        let tags = self.create_tags(edit.tags, new, now)?;
        self.move_tag_counts(old_tags, &tags);
        let posts = self.posts_mut();
        posts.text_bytes = posts.text_bytes.saturating_sub(old_bytes) + new_bytes;
        Ok(tags)
    }

    /// Room for one more post carrying `bytes` more bytes of text.
    fn require_room(&self, bytes: usize) -> Result<(), DomainError> {
        if self.posts.post_count() >= Limits::POSTS_PER_SITE {
            return Err(DomainError::LimitReached {
                what: "posts on this site",
                limit: Limits::POSTS_PER_SITE,
            });
        }
        if self.posts.text_bytes.saturating_add(bytes) > Limits::TEXT_BYTES_PER_SITE {
            return Err(DomainError::LimitReached {
                what: "bytes of text on this site",
                limit: Limits::TEXT_BYTES_PER_SITE,
            });
        }
        Ok(())
    }

    /// Editing and deleting a question or answer: its owner, a moderator or an admin.
    fn require_owner_or_moderator(
        &self,
        owner: UserId,
        actor: Viewer,
        what: &'static str,
    ) -> Result<(), DomainError> {
        if actor.user == Some(owner) || actor.is_moderator() {
            Ok(())
        } else {
            Err(DomainError::NotAllowed(what))
        }
    }

    fn add_reputation(&mut self, user: UserId, delta: i32) {
        if let Some(u) = self.users.get_mut(&user) {
            u.reputation = u.reputation.saturating_add(delta).max(1);
        }
    }

    fn actor(actor: Viewer) -> Result<UserId, DomainError> {
        actor.user.ok_or(DomainError::NotAllowed(
            "the caller is not a user of this site",
        ))
    }

    // ----- questions -------------------------------------------------------------------

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

    // ----- answers ---------------------------------------------------------------------

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

    /// Accepts (`accept`) or unaccepts an answer: the question's owner's act, or a moderator's
    /// or an admin's. Accepting another answer moves the accept; unaccepting an answer that is
    /// not the accepted one is refused.
    pub fn accept_answer(
        &mut self,
        question: PostId,
        answer: PostId,
        actor: Viewer,
        accept: bool,
    ) -> Result<(), DomainError> {
        let a = self.posts.answer(question, answer, actor)?;
        if a.meta.is_deleted() {
            return Err(DomainError::PostDeleted(answer));
        }
        let answerer = a.meta.owner;
        let q = self.posts.question(question, actor)?;
        if actor.user != Some(q.meta.owner) && !actor.is_moderator() {
            return Err(DomainError::NotAllowed(
                "accept an answer: only the question's owner, a moderator or an admin may",
            ));
        }
        let previous = q.accepted_answer;
        // The accepter's bonus goes to the asker whoever clicks (a moderator accepts on the
        // asker's behalf), so that taking the accept back, by anyone, takes it from the one
        // who got it.
        let asker = q.meta.owner;
        if accept {
            if previous == Some(answer) {
                return Ok(());
            }
            if let Some(prev) = previous {
                self.take_back_accept(prev, asker);
            }
            self.add_reputation(answerer, rep::ACCEPTED);
            if asker != answerer {
                self.add_reputation(asker, rep::ACCEPTER);
            }
            self.posts_mut()
                .questions
                .get_mut(&question)
                .expect("checked")
                .accepted_answer = Some(answer);
        } else {
            if previous != Some(answer) {
                return Err(DomainError::NotAccepted(answer));
            }
            self.take_back_accept(answer, asker);
            self.posts_mut()
                .questions
                .get_mut(&question)
                .expect("checked")
                .accepted_answer = None;
        }
        Ok(())
    }

    fn take_back_accept(&mut self, answer: PostId, asker: UserId) {
        if let Some(owner) = self.posts.answers.get(&answer).map(|a| a.meta.owner) {
            self.add_reputation(owner, -rep::ACCEPTED);
            if asker != owner {
                self.add_reputation(asker, -rep::ACCEPTER);
            }
        }
    }

    // ----- articles --------------------------------------------------------------------

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
            super::EditableBy::OwnerOnly => false,
            super::EditableBy::Everyone => true,
            super::EditableBy::SpecificEditors => {
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

    // ----- votes, bookmarks, flags -----------------------------------------------------

    /// Casts (`Some`) or removes (`None`) `voter`'s vote on a live post the caller has already
    /// found through its route. One vote per user per post: a new vote replaces the other
    /// kind; casting the same vote again or removing a vote never cast changes nothing (mock
    /// choice). Voting on one's own post is refused, as on the real service.
    pub fn vote(
        &mut self,
        post: PostId,
        voter: Viewer,
        vote: Option<Vote>,
    ) -> Result<(), DomainError> {
        let user = Self::actor(voter)?;
        let meta = self
            .posts
            .meta(post)
            .filter(|m| !m.is_deleted())
            .ok_or(DomainError::PostDeleted(post))?;
        if meta.owner == user {
            return Err(DomainError::OwnPost);
        }
        let before = meta.votes.get(&user).copied();
        if before == vote {
            return Ok(());
        }
        let owner = meta.owner;
        let points = |v: Option<Vote>| match v {
            Some(Vote::Up) => rep::UPVOTE,
            Some(Vote::Down) => rep::DOWNVOTE,
            None => 0,
        };
        self.add_reputation(owner, points(vote) - points(before));
        let meta = self.posts_mut().meta_mut(post).expect("checked");
        match vote {
            Some(v) => meta.votes.insert(user, v),
            None => meta.votes.remove(&user),
        };
        Ok(())
    }

    /// Bookmarks (`on`) or unbookmarks a live question or answer for `user`; repeating either
    /// changes nothing (mock choice).
    pub fn bookmark(&mut self, post: PostId, actor: Viewer, on: bool) -> Result<(), DomainError> {
        let user = Self::actor(actor)?;
        let posts = self.posts_mut();
        let set = match posts.kind_of(post) {
            Some(PostKind::Question) => {
                &mut posts.questions.get_mut(&post).expect("kind").bookmarked_by
            }
            Some(PostKind::Answer) => {
                &mut posts.answers.get_mut(&post).expect("kind").bookmarked_by
            }
            _ => return Err(DomainError::QuestionNotFound(post)),
        };
        if on {
            set.insert(user);
        } else {
            set.remove(&user);
        }
        Ok(())
    }

    /// Records a flag the edge has validated against the flag options.
    pub fn raise_flag(&mut self, flag: Flag) -> Result<(), DomainError> {
        if self.posts.flags.len() >= Limits::FLAGS_PER_SITE {
            return Err(DomainError::LimitReached {
                what: "flags on this site",
                limit: Limits::FLAGS_PER_SITE,
            });
        }
        if let Some(c) = &flag.comment
            && c.chars().count() > Limits::FLAG_COMMENT_CHARS
        {
            return Err(invalid(
                "comment",
                format!(
                    "The comment must be at most {} characters long.",
                    Limits::FLAG_COMMENT_CHARS
                ),
            ));
        }
        self.posts_mut().flags.push(flag);
        Ok(())
    }

    // ----- collections -----------------------------------------------------------------

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

    fn require_text_room(&self, bytes: usize) -> Result<(), DomainError> {
        if self.posts.text_bytes.saturating_add(bytes) > Limits::TEXT_BYTES_PER_SITE {
            return Err(DomainError::LimitReached {
                what: "bytes of text on this site",
                limit: Limits::TEXT_BYTES_PER_SITE,
            });
        }
        Ok(())
    }
}

impl PostMeta {
    /// An edit: new body, `lastEditor`, `lastEditDate` and `lastActivityDate`.
    fn edited(&mut self, markdown: &str, editor: Option<UserId>, now: DateTime<Utc>) {
        self.body = super::Body::new(markdown);
        self.last_edit_date = Some(now);
        self.last_editor = editor;
        self.last_activity_date = now;
    }
}
