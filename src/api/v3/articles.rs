//! Articles (issue 17): the list with its filters, one article, the three writes (`POST`
//! creates, `PUT` replaces everything, `DELETE` soft-deletes), the upvote and its removal, and
//! an article's comments. Who may do what is the domain's ([`crate::domain::Site`]'s
//! `can_edit_article`, `delete_article`, `vote`); this module parses, authorizes in the
//! contract's order (401, 403, 404, 400) and renders ([`view`]).
//!
//! Mock rules (docs/articles-and-collections.md): lists leave deleted articles out for
//! everyone; a deleted article reads 404 except for moderators and admins, who see it with
//! `isDeleted: true` and whose writes on it are refused with 400; `tagId` keeps articles
//! carrying **any** of the tags; `from`/`to` bound the creation date, both inclusive.

mod view;

use axum::Json;
use axum::http::StatusCode;

use super::auth::V3Ctx;
use super::error::{ProblemDetails, V3Error, V3Result};
use super::input::{self, RawBody, V3Path, V3Query};
use super::list::SortKey;
use super::models::SortOrder;
use super::models::articles::{
    ArticleRequestModel, ArticleResponseModel, ArticleSortParameter, CommentResponseModel,
    PaginatedArticles,
};
use crate::domain::posts::{Article, ArticlePermissions, PostEdit, PostId, Viewer, Vote};
use crate::domain::{DomainError, Site, World};
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![
        routes!(articles_list, articles_create),
        routes!(articles_get, articles_replace, articles_delete),
        routes!(articles_upvote, articles_remove_upvote),
        routes!(articles_comments),
    ]
}

/// Emulates `GET /articles`: the site's live articles, filtered, sorted and paginated.
#[utoipa::path(get, path = "/articles", tag = "Articles",
    params(
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<ArticleSortParameter>, Query, description = "default `activity` (mock choice)"),
        ("order" = Option<SortOrder>, Query, description = "default `desc`"),
        ("tagId" = Option<Vec<i32>>, Query, description = "Articles with any of these tags (repeat the parameter: `tagId=1&tagId=2`; mock choice)"),
        ("authorId" = Option<i32>, Query, description = "Articles by this user"),
        ("from" = Option<String>, Query, format = DateTime, description = "Created at or after (inclusive)"),
        ("to" = Option<String>, Query, format = DateTime, description = "Created at or before (inclusive)"),
    ),
    responses((status = 200, description = "Articles found", body = PaginatedArticles)))]
pub async fn articles_list(ctx: V3Ctx, query: V3Query) -> V3Result<Json<PaginatedArticles>> {
    ctx.render(|w, site| {
        let mut q = query.check();
        let p = q.list::<ArticleSortParameter>();
        let tag_ids = q.int_list("tagId");
        let author = q.parsed("authorId", |r| r.parse::<i32>().ok());
        let from = q.date("from");
        let to = q.date("to");
        q.finish()?;
        let articles: Vec<&Article> = site
            .posts
            .articles
            .values()
            .filter(|a| !a.meta.is_deleted())
            .filter(|a| {
                tag_ids.is_empty()
                    || a.tags
                        .iter()
                        .any(|t| tag_ids.contains(&i32::try_from(*t).unwrap_or(-1)))
            })
            .filter(|a| author.is_none_or(|u| i64::from(a.meta.owner) == i64::from(u)))
            .filter(|a| super::list::within(a.meta.creation_date, from, to))
            .collect();
        let sorted = p.sort(
            articles,
            |a| match p.sort {
                ArticleSortParameter::Activity => SortKey::Date(a.meta.last_activity_date),
                ArticleSortParameter::Creation => SortKey::Date(a.meta.creation_date),
                ArticleSortParameter::Score => SortKey::Number(a.meta.score().into()),
            },
            |a| a.id,
        );
        Ok(PaginatedArticles::page(&sorted, &p, |a| {
            view::summary(w, site, a)
        }))
    })
}

/// Emulates `GET /articles/{articleId}`.
#[utoipa::path(get, path = "/articles/{articleId}", tag = "Articles",
    params(("articleId" = i32, Path, minimum = 1, description = "Article ID")),
    responses(
        (status = 200, description = "Article found", body = ArticleResponseModel),
        (status = 404, description = "Article not found (or deleted, unless the caller is a moderator or an admin)", body = ProblemDetails),
    ))]
pub async fn articles_get(ctx: V3Ctx, path: V3Path) -> V3Result<Json<ArticleResponseModel>> {
    let id = path.id("articleId")?;
    ctx.read(|w, site| rendered(w, site, ctx.viewer(), id))
}

/// Emulates `POST /articles`: creates an article owned by the caller (201). Tags are named;
/// a name the site does not know creates the tag. Editor ids must name users and groups of
/// the site (400 naming every unknown one).
#[utoipa::path(post, path = "/articles", tag = "Articles",
    request_body(content = ArticleRequestModel, content_type = "application/json"),
    responses(
        (status = 201, description = "Article created", body = ArticleResponseModel),
        (status = 409, description = "A limit of the mock is reached (posts, tags or text on the site), or no post id is left (mock addition)", body = ProblemDetails),
    ))]
pub async fn articles_create(
    ctx: V3Ctx,
    body: RawBody,
) -> V3Result<(StatusCode, Json<ArticleResponseModel>)> {
    ctx.require_write()?;
    let fields = ArticleFields::of(body.json_object()?)?;
    let viewer = ctx.viewer();
    let now = ctx.now();
    ctx.write(
        |site| {
            let permissions = fields.permissions(site)?;
            Ok(site.create_article(viewer, fields.edit(), fields.type_, permissions, now)?)
        },
        |w, site, id| Ok((StatusCode::CREATED, rendered(w, site, viewer, id)?)),
    )
}

/// Emulates `PUT /articles/{articleId}`: a **full replace** of title, body, tags, type and
/// permissions. Who may: the owner, moderators, admins, and as the permissions say everyone
/// or the listed editors (users, members of the listed groups); anyone else gets 403
/// `not-post-owner`. 404 for an unknown article is a mock addition.
#[utoipa::path(put, path = "/articles/{articleId}", tag = "Articles",
    params(("articleId" = i32, Path, description = "Article ID")),
    request_body(content = ArticleRequestModel, content_type = "application/json"),
    responses(
        (status = 200, description = "Article updated", body = ArticleResponseModel),
        (status = 404, description = "Article not found (mock addition: the document declares no 404 here)", body = ProblemDetails),
        (status = 409, description = "A limit of the mock is reached (tags or text on the site; mock addition)", body = ProblemDetails),
    ))]
pub async fn articles_replace(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<ArticleResponseModel>> {
    ctx.require_write()?;
    let id = path.id("articleId")?;
    let viewer = ctx.viewer();
    ctx.read(|_, site| {
        let a = site.posts.article(id, viewer)?;
        if site.can_edit_article(a, viewer) {
            Ok(())
        } else {
            Err(DomainError::NotAllowed("edit this article"))
        }
    })?;
    let fields = ArticleFields::of(body.json_object()?)?;
    let now = ctx.now();
    ctx.write(
        |site| {
            let permissions = fields.permissions(site)?;
            Ok(site.edit_article(id, viewer, fields.edit(), fields.type_, permissions, now)?)
        },
        |w, site, ()| rendered(w, site, viewer, id),
    )
}

/// Emulates `DELETE /articles/{articleId}`: a soft delete (204) by the owner, a moderator or
/// an admin; the article's tags count one post fewer.
#[utoipa::path(delete, path = "/articles/{articleId}", tag = "Articles",
    params(("articleId" = i32, Path, minimum = 1, description = "Article ID")),
    responses(
        (status = 204, description = "Article deleted"),
        (status = 404, description = "Article not found", body = ProblemDetails),
    ))]
pub async fn articles_delete(ctx: V3Ctx, path: V3Path) -> V3Result<StatusCode> {
    ctx.require_write()?;
    let id = path.id("articleId")?;
    let (viewer, now) = (ctx.viewer(), ctx.now());
    ctx.write(
        |site| Ok(site.delete_article(id, viewer, now)?),
        |_, _, ()| Ok(StatusCode::NO_CONTENT),
    )
}

/// Emulates `POST /articles/{articleId}/upvote`: the caller's upvote (repeating it changes
/// nothing, mock choice); the owner gains reputation. Upvoting one's own article is 403
/// `own-post`. Answers the article as the caller now sees it.
#[utoipa::path(post, path = "/articles/{articleId}/upvote", tag = "Articles",
    params(("articleId" = i32, Path, description = "Article ID")),
    responses(
        (status = 200, description = "Article upvoted", body = ArticleResponseModel),
        (status = 404, description = "Article not found", body = ProblemDetails),
    ))]
pub async fn articles_upvote(ctx: V3Ctx, path: V3Path) -> V3Result<Json<ArticleResponseModel>> {
    vote(ctx, path, |_| Some(Vote::Up))
}

/// Emulates `DELETE /articles/{articleId}/upvote`: takes the caller's upvote back (without one,
/// nothing changes: mock choice) and the owner's reputation with it.
#[utoipa::path(delete, path = "/articles/{articleId}/upvote", tag = "Articles",
    params(("articleId" = i32, Path, description = "Article ID")),
    responses(
        (status = 200, description = "Upvote deleted", body = ArticleResponseModel),
        (status = 404, description = "Article not found", body = ProblemDetails),
    ))]
pub async fn articles_remove_upvote(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<ArticleResponseModel>> {
    // Only an upvote is taken back: any other vote (a fixture's downvote) stays.
    vote(ctx, path, |current| match current {
        Some(Vote::Up) => None,
        other => other,
    })
}

/// Sets the caller's vote on an article to `target(current vote)`.
fn vote(
    ctx: V3Ctx,
    path: V3Path,
    target: impl FnOnce(Option<Vote>) -> Option<Vote>,
) -> V3Result<Json<ArticleResponseModel>> {
    ctx.require_write()?;
    let id = path.id("articleId")?;
    let viewer = ctx.viewer();
    ctx.write(
        |site| {
            let current = site.posts.article(id, viewer)?.meta.vote_of(viewer.user);
            Ok(site.vote(id, viewer, target(current))?)
        },
        |w, site, ()| rendered(w, site, viewer, id),
    )
}

/// Emulates `GET /articles/{articleId}/comments`: the comments, oldest first, as the array the
/// document declares.
#[utoipa::path(get, path = "/articles/{articleId}/comments", tag = "Articles",
    params(("articleId" = i32, Path, description = "Article ID")),
    responses(
        (status = 200, description = "Comment(s) found", body = Vec<CommentResponseModel>),
        (status = 404, description = "Article not found", body = ProblemDetails),
    ))]
pub async fn articles_comments(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<Vec<CommentResponseModel>>> {
    let id = path.id("articleId")?;
    ctx.render(|w, site| {
        site.posts.article(id, ctx.viewer())?;
        Ok(site
            .posts
            .comments_on(id)
            .map(|c| view::comment(w, site, c))
            .collect())
    })
}

/// The article as `viewer` reads it, answered by every read and write of one article.
fn rendered(
    w: &World,
    site: &Site,
    viewer: Viewer,
    id: PostId,
) -> V3Result<Json<ArticleResponseModel>> {
    let a = site.posts.article(id, viewer)?;
    Ok(Json(view::article(w, site, viewer, a)))
}

/// An `ArticleRequestModel` with every required field present.
struct ArticleFields {
    title: String,
    body: String,
    tags: Vec<String>,
    type_: crate::domain::posts::ArticleType,
    editable_by: crate::domain::posts::EditableBy,
    editor_user_ids: Vec<i32>,
    editor_group_ids: Vec<i32>,
}

impl ArticleFields {
    /// A missing or null field is ASP.NET's `[Required]` failure, all of them named in one
    /// 400. Blank and over-long values are the domain's to refuse (field names in lower case).
    fn of(req: ArticleRequestModel) -> V3Result<Self> {
        let mut missing = Vec::new();
        let mut need = |present: bool, name: &str| {
            if !present {
                missing.push(name.to_string());
            }
        };
        need(req.title.is_some(), "Title");
        need(req.body.is_some(), "Body");
        need(req.tags.is_some(), "Tags");
        need(req.type_.is_some(), "Type");
        need(req.permissions.is_some(), "Permissions");
        let (Some(title), Some(body), Some(tags), Some(type_), Some(permissions)) =
            (req.title, req.body, req.tags, req.type_, req.permissions)
        else {
            return Err(V3Error::Validation(
                missing
                    .into_iter()
                    .map(|f| {
                        let message = format!("The {f} field is required.");
                        (f, vec![message])
                    })
                    .collect(),
            ));
        };
        Ok(ArticleFields {
            title,
            body,
            tags,
            type_: type_.into(),
            editable_by: permissions.editable_by.map(Into::into).unwrap_or_default(),
            editor_user_ids: permissions.editor_user_ids.unwrap_or_default(),
            editor_group_ids: permissions.editor_user_group_ids.unwrap_or_default(),
        })
    }

    fn edit(&self) -> PostEdit<'_> {
        PostEdit {
            title: &self.title,
            body: &self.body,
            tags: &self.tags,
        }
    }

    /// The permissions with their editor ids checked against the site (400 naming every id
    /// that is not a user, or a group, of it; ids below 1 included).
    fn permissions(&self, site: &Site) -> V3Result<ArticlePermissions> {
        Ok(ArticlePermissions {
            editable_by: self.editable_by,
            editor_user_ids: input::user_ids(site, &self.editor_user_ids)?
                .into_iter()
                .collect(),
            editor_group_ids: input::group_ids(site, &self.editor_group_ids)?
                .into_iter()
                .collect(),
        })
    }
}
