//! Rendering questions, their comments and their flag options as v3 wire models. Every
//! function reads; none changes state. Owners and editors go through [`render::post_owner`],
//! so a user removed from the site still renders (as a removed user).

use std::collections::HashMap;

use crate::api::v3::models::questions::{
    CommentResponseModel, FlagOptionResponseModel, MentionedUserGroupResponseModel,
    MentionedUserResponseModel, QuestionResponseModel, QuestionSummaryResponseModel,
};
use crate::api::v3::render;
use crate::domain::posts::flags::{self, FlagOption};
use crate::domain::posts::links::{mention_key, mention_names};
use crate::domain::posts::{Comment, PostId, PostKind, Posts, Question, Viewer, Vote};
use crate::domain::{GroupId, Site, UserId, World};

/// A question in a list: what every viewer sees.
pub fn summary(w: &World, site: &Site, q: &Question) -> QuestionSummaryResponseModel {
    let posts = &site.posts;
    let base = render::web_base(site);
    QuestionSummaryResponseModel {
        id: q.id,
        title: q.title.clone(),
        body: q.meta.body.html().to_string(),
        tags: q
            .tags
            .iter()
            .filter_map(|t| site.tags.get(t))
            .map(|t| render::tag_summary(site, t))
            .collect(),
        owner: render::post_owner(w, site, q.meta.owner),
        last_editor: q.meta.last_editor.map(|u| render::post_owner(w, site, u)),
        creation_date: render::date(q.meta.creation_date),
        last_activity_date: Some(render::date(q.meta.last_activity_date)),
        score: q.meta.score(),
        is_answered: posts.is_answered(q),
        answer_count: i32::try_from(posts.answer_count(q.id)).unwrap_or(i32::MAX),
        view_count: q.view_count,
        web_url: format!("{base}/questions/{}", q.id),
        share_url: format!("{base}/q/{}", q.id),
        is_deleted: q.meta.is_deleted(),
        is_obsolete: q.is_obsolete,
        is_closed: q.is_closed,
        bounty: None,
    }
}

/// A question in full, as `viewer` sees it. `communities` is empty: the mock's sites have no
/// communities yet (mock choice, docs/questions-and-answers.md).
pub fn question(w: &World, site: &Site, q: &Question, viewer: Viewer) -> QuestionResponseModel {
    let s = summary(w, site, q);
    let (mentioned_users, mentioned_user_groups) = mentions(w, site, &q.meta.body.markdown);
    let vote = q.meta.vote_of(viewer.user);
    let me =
        |set: &std::collections::BTreeSet<UserId>| viewer.user.is_some_and(|u| set.contains(&u));
    QuestionResponseModel {
        communities: Vec::new(),
        id: s.id,
        title: s.title,
        body: s.body,
        tags: s.tags,
        owner: s.owner,
        last_editor: s.last_editor,
        creation_date: s.creation_date,
        last_activity_date: s.last_activity_date,
        score: s.score,
        is_answered: s.is_answered,
        answer_count: s.answer_count,
        view_count: s.view_count,
        web_url: s.web_url,
        share_url: s.share_url,
        is_deleted: s.is_deleted,
        is_obsolete: s.is_obsolete,
        is_closed: s.is_closed,
        bounty: s.bounty,
        body_markdown: q.meta.body.markdown.clone(),
        mentioned_users,
        mentioned_user_groups,
        user_is_following: me(&q.meta.followers),
        user_has_upvoted: vote == Some(Vote::Up),
        user_has_downvoted: vote == Some(Vote::Down),
        user_has_bookmarked: me(&q.bookmarked_by),
    }
}

/// The users and groups the Markdown's `@name` tokens mention (mock rule,
/// [`crate::domain::posts::links`]): a token names the site user whose display name, without
/// white space and case, is the token (the lowest id when several are), else the user group
/// whose name is. Tokens that name neither are left out; each user and group is listed once,
/// in the order first mentioned.
pub fn mentions(
    w: &World,
    site: &Site,
    markdown: &str,
) -> (
    Vec<MentionedUserResponseModel>,
    Vec<MentionedUserGroupResponseModel>,
) {
    let names = mention_names(markdown);
    if names.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // One pass over the site's users and groups, whatever the number of tokens.
    let mut users: HashMap<String, (UserId, String)> = HashMap::new();
    for u in site.users.values() {
        if let Some(acc) = w.accounts.get(u.account_id) {
            users
                .entry(mention_key(&acc.name))
                .or_insert_with(|| (u.id, acc.name.clone()));
        }
    }
    let mut groups: HashMap<String, GroupId> = HashMap::new();
    for g in site.groups.values() {
        groups.entry(mention_key(&g.name)).or_insert(g.id);
    }
    let (mut found_users, mut found_groups) = (Vec::new(), Vec::new());
    for name in names {
        let key = mention_key(&name);
        if let Some((id, name)) = users.remove(&key) {
            found_users.push(MentionedUserResponseModel { id, name });
        } else if let Some(g) = groups.remove(&key).and_then(|id| site.groups.get(&id)) {
            found_groups.push(MentionedUserGroupResponseModel {
                id: g.id,
                name: g.name.clone(),
                member_count: i32::try_from(g.user_ids.len()).unwrap_or(i32::MAX),
            });
        }
    }
    (found_users, found_groups)
}

/// A comment; its owner as [`render::post_owner`] names them.
pub fn comment(w: &World, site: &Site, c: &Comment) -> CommentResponseModel {
    let owner = render::post_owner(w, site, c.owner);
    CommentResponseModel {
        id: c.id,
        score: c.score,
        body: c.body.clone(),
        owner_user_id: Some(owner.id),
        owner_display_name: owner.name,
        creation_date: render::date(c.creation_date),
    }
}

/// The flag dialog of a post of `kind`, with `isRetraction` for `user`.
pub fn flag_options(
    posts: &Posts,
    kind: PostKind,
    post: PostId,
    user: Option<UserId>,
) -> Vec<FlagOptionResponseModel> {
    let option = |o: &FlagOption| FlagOptionResponseModel {
        option_id: Some(o.id),
        dialog_title: Some(o.dialog_title.to_string()),
        title: Some(o.title.to_string()),
        description: Some(o.description.to_string()),
        requires_comment: o.requires_comment,
        requires_site: o.requires_site,
        requires_question_id: o.requires_question_id,
        is_retraction: user.is_some_and(|u| posts.has_flagged(post, u, o.id)),
        sub_options: None,
    };
    flags::options(kind)
        .iter()
        .map(|o| FlagOptionResponseModel {
            sub_options: (!o.sub_options.is_empty())
                .then(|| o.sub_options.iter().map(option).collect()),
            ..option(o)
        })
        .collect()
}
