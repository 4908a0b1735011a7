//! The flag options of questions and answers (`GET …/flags/options`) and the checks a flag
//! must pass (`POST …/flags`).
//!
//! The catalogue is the real service's flag dialog as its web UI shows it (mock choice: the
//! API's option ids are not published, so the ids are the mock's, stable across runs). An
//! option with sub-options is a heading: a flag names one of its sub-options.

use super::{Flag, PostId, PostKind, Posts};
use crate::domain::DomainError;

/// One option of the flag dialog (`FlagOptionResponseModel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagOption {
    pub id: i32,
    pub dialog_title: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub requires_comment: bool,
    pub requires_site: bool,
    pub requires_question_id: bool,
    pub sub_options: &'static [FlagOption],
}

const DIALOG: &str = "I am flagging to report this post as...";
const CLOSE_DIALOG: &str = "Why should this question be closed?";

const fn option(id: i32, title: &'static str, description: &'static str) -> FlagOption {
    FlagOption {
        id,
        dialog_title: DIALOG,
        title,
        description,
        requires_comment: false,
        requires_site: false,
        requires_question_id: false,
        sub_options: &[],
    }
}

const SPAM: FlagOption = option(
    1,
    "spam",
    "Exists only to promote a product or service and does not disclose the author's affiliation.",
);
const RUDE: FlagOption = option(
    2,
    "rude or abusive",
    "A reasonable person would find this content inappropriate for respectful discourse.",
);
const MODERATOR: FlagOption = FlagOption {
    requires_comment: true,
    ..option(
        3,
        "in need of moderator intervention",
        "A problem not listed above that requires action by a moderator. Be specific and detailed!",
    )
};

const CLOSE_REASONS: &[FlagOption] = &[
    FlagOption {
        dialog_title: CLOSE_DIALOG,
        requires_question_id: true,
        ..option(
            11,
            "duplicate",
            "This question has been asked before and already has an answer.",
        )
    },
    FlagOption {
        dialog_title: CLOSE_DIALOG,
        ..option(
            12,
            "needs details or clarity",
            "Add details and clarify the problem being solved.",
        )
    },
    FlagOption {
        dialog_title: CLOSE_DIALOG,
        ..option(
            13,
            "needs more focus",
            "This question currently includes multiple questions in one.",
        )
    },
    FlagOption {
        dialog_title: CLOSE_DIALOG,
        ..option(
            14,
            "opinion-based",
            "Answers to this question will tend to be almost entirely based on opinions.",
        )
    },
    FlagOption {
        dialog_title: CLOSE_DIALOG,
        requires_site: true,
        ..option(
            15,
            "belongs on another site",
            "This question belongs on another site in the network.",
        )
    },
];

const QUESTION_OPTIONS: &[FlagOption] = &[
    SPAM,
    RUDE,
    FlagOption {
        sub_options: CLOSE_REASONS,
        ..option(
            10,
            "needs improvement",
            "A duplicate, or needs details, focus or clarity, or belongs elsewhere.",
        )
    },
    MODERATOR,
];

const ANSWER_OPTIONS: &[FlagOption] = &[
    SPAM,
    RUDE,
    option(
        4,
        "not an answer",
        "This was posted as an answer, but it does not attempt to answer the question.",
    ),
    option(
        5,
        "very low quality",
        "This answer has severe formatting or content problems and is unlikely to be salvageable.",
    ),
    MODERATOR,
];

/// The options of a question's or an answer's flag dialog.
pub fn options(kind: PostKind) -> &'static [FlagOption] {
    match kind {
        PostKind::Answer => ANSWER_OPTIONS,
        PostKind::Question | PostKind::Article => QUESTION_OPTIONS,
    }
}

/// The option `id` a flag may name: a leaf of the catalogue (not a heading).
pub fn leaf(kind: PostKind, id: i32) -> Option<&'static FlagOption> {
    options(kind).iter().find_map(|o| {
        if o.sub_options.is_empty() {
            (o.id == id).then_some(o)
        } else {
            o.sub_options.iter().find(|s| s.id == id)
        }
    })
}

fn unable(message: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field: "optionId",
        message: message.into(),
    }
}

impl Posts {
    /// Whether `user` has already raised option `option` on `post` (`isRetraction`).
    pub fn has_flagged(&self, post: PostId, user: u32, option: i32) -> bool {
        self.flags
            .iter()
            .any(|f| f.post_id == post && f.user == user && f.option_id == option)
    }

    /// Checks a flag against the catalogue before it is raised: a leaf option of the post's
    /// kind, the fields it requires present (the related question a live question other than
    /// the flagged one), and not raised by this user on this post before.
    pub fn check_flag(&self, kind: PostKind, flag: &Flag) -> Result<(), DomainError> {
        let Some(option) = leaf(kind, flag.option_id) else {
            return Err(unable(format!(
                "{} is not a flag option of this post (see its flags/options).",
                flag.option_id
            )));
        };
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        if option.requires_comment && blank(&flag.comment) {
            return Err(unable(format!(
                "The option {:?} requires a comment.",
                option.title
            )));
        }
        if option.requires_site && blank(&flag.target_site) {
            return Err(unable(format!(
                "The option {:?} requires a targetSite.",
                option.title
            )));
        }
        if option.requires_question_id {
            let related = flag.related_question_id;
            let live = related.is_some_and(|id| {
                id != flag.post_id
                    && self
                        .questions
                        .get(&id)
                        .is_some_and(|q| !q.meta.is_deleted())
            });
            if !live {
                return Err(unable(format!(
                    "The option {:?} requires the relatedQuestionId of another question.",
                    option.title
                )));
            }
        }
        if self.has_flagged(flag.post_id, flag.user, flag.option_id) {
            return Err(unable("You have already raised this flag on this post."));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_ids_are_unique_per_kind_and_headings_are_not_leaves() {
        for kind in [PostKind::Question, PostKind::Answer] {
            let mut ids = std::collections::BTreeSet::new();
            for o in options(kind) {
                assert!(ids.insert(o.id), "{kind:?}: {} twice", o.id);
                for s in o.sub_options {
                    assert!(ids.insert(s.id), "{kind:?}: {} twice", s.id);
                }
            }
        }
        assert!(leaf(PostKind::Question, 10).is_none(), "a heading");
        assert_eq!(
            leaf(PostKind::Question, 11).map(|o| o.title),
            Some("duplicate")
        );
        assert!(leaf(PostKind::Answer, 11).is_none());
    }
}
