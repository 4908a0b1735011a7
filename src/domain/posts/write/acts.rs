//! What users do to posts besides writing them: accepting an answer, voting, bookmarking and
//! flagging. Accepts and votes move reputation as [`rep`] says.

use super::{Limits, invalid, rep};
use crate::domain::posts::{Flag, PostId, PostKind, Viewer, Vote};
use crate::domain::{DomainError, Site, UserId};

impl Site {
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

    fn add_reputation(&mut self, user: UserId, delta: i32) {
        if let Some(u) = self.users.get_mut(&user) {
            u.reputation = u.reputation.saturating_add(delta).max(1);
        }
    }
}
