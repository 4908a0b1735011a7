//! The writes on a site's content. Each validates everything first and changes nothing when it
//! refuses; tags named by a post are created on first use and their `postCount`s follow the
//! posts that carry them; reputation follows votes and accepts (the rule is in [`rep`]).
//!
//! The writes are split by what they write: `questions`, `answers`, `articles` and
//! `collections`, and `acts` (accepting answers, votes, bookmarks, flags). This module holds
//! what they share: the bounds ([`Limits`]), the reputation rule ([`rep`]), the field checks
//! and the tag, room and permission checks on [`Site`].

mod acts;
mod answers;
mod articles;
mod collections;
mod questions;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{PostMeta, Posts, Viewer};
use crate::domain::{DomainError, IdKind, Site, Tag, TagId, UserId};

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

    fn actor(actor: Viewer) -> Result<UserId, DomainError> {
        actor.user.ok_or(DomainError::NotAllowed(
            "the caller is not a user of this site",
        ))
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
