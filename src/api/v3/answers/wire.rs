//! Rendering answers, their comments and their flag options as v3 wire models. Every function
//! reads; none changes state.
//!
//! Mock rules for the caller-relative and derived fields (docs/answers.md):
//! - `webUrl` is `{site}/a/{answerId}`; `shareLink` adds the caller's user id, as the real
//!   service's share links carry the sharer's (`{site}/a/{answerId}/{userId}`), and is the
//!   `webUrl` for a caller who is not a user of the site.
//! - `canBeFollowed`: the answer is not deleted. `userCanFollow`: it can be followed and the
//!   caller is a user of the site (a service token's application cannot follow).
//! - `lastEditor` is the owner while the answer was never edited; `lastActivityUser` is the
//!   last editor, else the owner (the schema allows neither to be null).
//! - `isSubjectMatterExpert`: the owner is an SME of one of the question's tags, named or
//!   through a group ([`Site::is_sme_of_any`]).

use crate::api::v3::models::answers::{
    AnswerResponseModel, AnswerSummaryResponseModel, CommentResponseModel, FlagOptionResponseModel,
};
use crate::api::v3::render::{date, post_owner, web_base};
use crate::domain::posts::flags::FlagOption;
use crate::domain::posts::{Answer, Comment, PostId, Viewer};
use crate::domain::{Site, World};

pub fn answer_summary(
    world: &World,
    site: &Site,
    viewer: Viewer,
    a: &Answer,
) -> AnswerSummaryResponseModel {
    let posts = &site.posts;
    let question = posts.questions.get(&a.question_id);
    let m = &a.meta;
    let me = viewer.user;
    let is = |set: &std::collections::BTreeSet<u32>| me.is_some_and(|u| set.contains(&u));
    let web_url = format!("{}/a/{}", web_base(site), a.id);
    let share_link = match me {
        Some(u) => format!("{web_url}/{u}"),
        None => web_url.clone(),
    };
    let editor = m.last_editor.unwrap_or(m.owner);
    let can_be_followed = !m.is_deleted();
    AnswerSummaryResponseModel {
        id: a.id,
        question_id: a.question_id,
        body: m.body.html().to_string(),
        score: m.score(),
        is_accepted: question.is_some_and(|q| q.accepted_answer == Some(a.id)),
        is_deleted: m.is_deleted(),
        is_bookmarked: is(&a.bookmarked_by),
        is_followed: is(&m.followers),
        creation_date: date(m.creation_date),
        locked_date: None,
        last_edit_date: m.last_edit_date.map(date),
        last_activity_date: Some(date(m.last_activity_date)),
        deletion_date: m.deletion_date.map(date),
        owner: post_owner(world, site, m.owner),
        last_editor: post_owner(world, site, editor),
        last_activity_user: post_owner(world, site, editor),
        comment_count: posts.comments_on(a.id).count() as i32,
        web_url: Some(web_url),
        share_link: Some(share_link),
        user_can_follow: can_be_followed && me.is_some(),
        can_be_followed,
        is_subject_matter_expert: question.is_some_and(|q| site.is_sme_of_any(m.owner, &q.tags)),
    }
}

pub fn answer(world: &World, site: &Site, viewer: Viewer, a: &Answer) -> AnswerResponseModel {
    AnswerResponseModel::of(
        answer_summary(world, site, viewer, a),
        a.meta.body.markdown.clone(),
    )
}

/// A comment; its owner's name as [`post_owner`] renders it (a user who left the site is
/// `user{id}`).
pub fn comment(world: &World, site: &Site, c: &Comment) -> CommentResponseModel {
    CommentResponseModel {
        id: c.id,
        score: c.score,
        body: c.body.clone(),
        owner_user_id: Some(c.owner),
        owner_display_name: post_owner(world, site, c.owner).name,
        creation_date: date(c.creation_date),
    }
}

/// One option of a post's flag dialog, `isRetraction` for the caller. A heading (an option
/// with sub-options) has its sub-options; a leaf has `subOptions: null`.
pub fn flag_option(
    site: &Site,
    post: PostId,
    viewer: Viewer,
    o: &FlagOption,
) -> FlagOptionResponseModel {
    FlagOptionResponseModel {
        option_id: Some(o.id),
        dialog_title: Some(o.dialog_title.to_string()),
        title: Some(o.title.to_string()),
        description: Some(o.description.to_string()),
        requires_comment: o.requires_comment,
        requires_site: o.requires_site,
        requires_question_id: o.requires_question_id,
        is_retraction: viewer
            .user
            .is_some_and(|u| site.posts.has_flagged(post, u, o.id)),
        sub_options: (!o.sub_options.is_empty()).then(|| {
            o.sub_options
                .iter()
                .map(|s| flag_option(site, post, viewer, s))
                .collect()
        }),
    }
}
