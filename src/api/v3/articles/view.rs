//! Articles and comments rendered as the v3 wire models. Every function reads.

use crate::api::v3::models::CommunitySummaryResponseModel;
use crate::api::v3::models::TagSummaryResponseModel;
use crate::api::v3::models::articles::{
    ArticlePermissionsResponseModel, ArticleResponseModel, ArticleSummaryResponseModel,
    CommentResponseModel,
};
use crate::api::v3::render;
use crate::domain::posts::{Article, Comment, Viewer, Vote};
use crate::domain::{Site, TagId, World};

/// The tags of a post, in the order its author gave them.
pub fn tags(site: &Site, ids: &[TagId]) -> Vec<TagSummaryResponseModel> {
    ids.iter()
        .filter_map(|id| site.tags.get(id))
        .map(|t| render::tag_summary(site, t))
        .collect()
}

/// Mock choice: an article's page and its share link are one URL.
fn web_url(site: &Site, a: &Article) -> String {
    format!("{}/articles/{}", render::web_base(site), a.id)
}

pub fn summary(w: &World, site: &Site, a: &Article) -> ArticleSummaryResponseModel {
    let m = &a.meta;
    ArticleSummaryResponseModel {
        id: a.id,
        type_: a.article_type.into(),
        title: a.title.clone(),
        body: m.body.html().to_string(),
        tags: tags(site, &a.tags),
        owner: render::post_owner(w, site, m.owner),
        // The document declares `lastEditor` non-nullable: a never edited article names its
        // owner (mock choice).
        last_editor: render::post_owner(w, site, m.last_editor.unwrap_or(m.owner)),
        creation_date: render::date(m.creation_date),
        last_activity_date: Some(render::date(m.last_activity_date)),
        score: m.score(),
        view_count: a.view_count,
        web_url: web_url(site, a),
        share_url: web_url(site, a),
        is_deleted: m.is_deleted(),
        is_obsolete: a.is_obsolete,
        is_closed: a.is_closed,
    }
}

/// The communities an article belongs to: the site's communities whose tags meet the
/// article's. The mock's sites hold no communities yet, so the list is empty.
fn communities(_site: &Site, _a: &Article) -> Vec<CommunitySummaryResponseModel> {
    Vec::new()
}

/// The whole article as `viewer` reads it (`userIs…`, `userHas…`, `userCanEdit` are theirs).
pub fn article(w: &World, site: &Site, viewer: Viewer, a: &Article) -> ArticleResponseModel {
    let s = summary(w, site, a);
    let vote = a.meta.vote_of(viewer.user);
    let p = &a.permissions;
    ArticleResponseModel {
        communities: communities(site, a),
        id: s.id,
        type_: s.type_,
        title: s.title,
        body: s.body,
        tags: s.tags,
        owner: s.owner,
        last_editor: s.last_editor,
        creation_date: s.creation_date,
        last_activity_date: s.last_activity_date,
        score: s.score,
        view_count: s.view_count,
        web_url: s.web_url,
        share_url: s.share_url,
        is_deleted: s.is_deleted,
        is_obsolete: s.is_obsolete,
        is_closed: s.is_closed,
        body_markdown: a.meta.body.markdown.clone(),
        user_is_following: viewer.user.is_some_and(|u| a.meta.followers.contains(&u)),
        user_has_upvoted: vote == Some(Vote::Up),
        user_has_downvoted: vote == Some(Vote::Down),
        user_can_edit: site.can_edit_article(a, viewer),
        permissions: ArticlePermissionsResponseModel {
            editable_by: p.editable_by.into(),
            editor_users: render::user_summaries(w, site, &p.editor_user_ids),
            editor_user_groups: p
                .editor_group_ids
                .iter()
                .filter_map(|g| site.groups.get(g))
                .map(|g| render::group(w, site, g))
                .collect(),
        },
    }
}

pub fn comment(w: &World, site: &Site, c: &Comment) -> CommentResponseModel {
    CommentResponseModel {
        id: c.id,
        score: c.score,
        body: c.body.clone(),
        owner_user_id: Some(c.owner),
        owner_display_name: render::post_owner(w, site, c.owner).name,
        creation_date: render::date(c.creation_date),
    }
}
