//! The questions near a question or an article, and a question's comments.
//!
//! Which questions are linked and related is the domain's rule
//! ([`crate::domain::posts::links`]): linked questions are those a body links to and those
//! whose bodies link to it; related questions share tags. Deleted questions are never listed.
//! The sort orders (mock rules): `hot` (the default) ranks related questions by the number of
//! tags they share, then score, then last activity, and linked questions by score, then last
//! activity; `creation`, `activity` and `score` sort by that value alone; `desc` (the default)
//! puts the most first. Ties go by id, ascending.

use axum::Json;
use chrono::{DateTime, Utc};

use super::render;
use crate::api::v3::auth::V3Ctx;
use crate::api::v3::error::{ProblemDetails, V3Result};
use crate::api::v3::input::{V3Path, V3Query};
use crate::api::v3::list::ListParams;
use crate::api::v3::models::SortOrder;
use crate::api::v3::models::questions::{
    CommentResponseModel, LinkedOrRelatedQuestionsSortParameter as Sort,
    PaginatedLinkedOrRelatedQuestions,
};
use crate::domain::posts::Question;
use crate::domain::{Site, World};

/// Emulates `GET /questions/{questionId}/linked`.
#[utoipa::path(get, path = "/questions/{questionId}/linked", tag = "Questions",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<Sort>, Query, description = "default `hot`: score, then last activity"),
        ("order" = Option<SortOrder>, Query, description = "default `desc`"),
    ),
    responses(
        (status = 200, description = "Linked question(s) found", body = PaginatedLinkedOrRelatedQuestions),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_linked(
    ctx: V3Ctx,
    path: V3Path,
    query: V3Query,
) -> V3Result<Json<PaginatedLinkedOrRelatedQuestions>> {
    let id = path.id("questionId")?;
    let p = list_params(&query)?;
    let viewer = ctx.viewer();
    ctx.render(|w, site| {
        site.posts.question(id, viewer)?;
        let linked = site.posts.linked_to(id).into_iter().map(|q| (q, 0));
        Ok(page(w, site, &p, linked))
    })
}

/// Emulates `GET /questions/{questionId}/related`.
#[utoipa::path(get, path = "/questions/{questionId}/related", tag = "Questions",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<Sort>, Query, description = "default `hot`: tags shared, then score, then last activity"),
        ("order" = Option<SortOrder>, Query, description = "default `desc`"),
    ),
    responses(
        (status = 200, description = "Related question(s) found", body = PaginatedLinkedOrRelatedQuestions),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_related(
    ctx: V3Ctx,
    path: V3Path,
    query: V3Query,
) -> V3Result<Json<PaginatedLinkedOrRelatedQuestions>> {
    let id = path.id("questionId")?;
    let p = list_params(&query)?;
    let viewer = ctx.viewer();
    ctx.render(|w, site| {
        site.posts.question(id, viewer)?;
        Ok(page(w, site, &p, site.posts.related_to(id).into_iter()))
    })
}

/// Emulates `GET /articles/{articleId}/linked-questions`: the questions whose bodies link to
/// the article, and those the article's body links to. 404 for an unknown article (or a
/// deleted one, except for admins and moderators).
#[utoipa::path(get, path = "/articles/{articleId}/linked-questions", tag = "Questions",
    params(
        ("articleId" = i32, Path, minimum = 1, description = "Article ID"),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<Sort>, Query, description = "default `hot`: score, then last activity"),
        ("order" = Option<SortOrder>, Query, description = "default `desc`"),
    ),
    responses(
        (status = 200, description = "Linked question(s) found", body = PaginatedLinkedOrRelatedQuestions),
        (status = 404, description = "Article not found", body = ProblemDetails),
    ))]
pub async fn articles_linked_questions(
    ctx: V3Ctx,
    path: V3Path,
    query: V3Query,
) -> V3Result<Json<PaginatedLinkedOrRelatedQuestions>> {
    let id = path.id("articleId")?;
    let p = list_params(&query)?;
    let viewer = ctx.viewer();
    ctx.render(|w, site| {
        site.posts.article(id, viewer)?;
        let linked = site.posts.questions_linked_with_article(id);
        Ok(page(w, site, &p, linked.into_iter().map(|q| (q, 0))))
    })
}

/// Emulates `GET /questions/{questionId}/comments`: the question's comments, oldest first, as
/// the array the official document declares (not a page). The v3 API has no route that writes
/// a comment: they come from the fixtures.
#[utoipa::path(get, path = "/questions/{questionId}/comments", tag = "Comments",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    responses(
        (status = 200, description = "Comment(s) found", body = Vec<CommentResponseModel>),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_comments(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<Vec<CommentResponseModel>>> {
    let id = path.id("questionId")?;
    let viewer = ctx.viewer();
    ctx.render(|w, site| {
        site.posts.question(id, viewer)?;
        Ok(site
            .posts
            .comments_on(id)
            .map(|c| render::comment(w, site, c))
            .collect())
    })
}

fn list_params(query: &V3Query) -> V3Result<ListParams<Sort>> {
    let mut q = query.check();
    let p = q.list::<Sort>();
    q.finish()?;
    Ok(p)
}

/// What the questions near another sort by: a leading count (tags shared, for `hot` on related
/// questions), a score, and a date.
type Key = (usize, i64, DateTime<Utc>);

/// One page of `questions` (each with the tags it shares, or 0), sorted as `p` asks.
fn page<'a>(
    w: &World,
    site: &Site,
    p: &ListParams<Sort>,
    questions: impl Iterator<Item = (&'a Question, usize)>,
) -> PaginatedLinkedOrRelatedQuestions {
    let key = |q: &Question, shared: usize| -> Key {
        let m = &q.meta;
        let never = DateTime::<Utc>::MIN_UTC;
        match p.sort {
            Sort::Hot => (shared, m.score().into(), m.last_activity_date),
            Sort::Score => (0, m.score().into(), never),
            Sort::Creation => (0, 0, m.creation_date),
            Sort::Activity => (0, 0, m.last_activity_date),
        }
    };
    let mut keyed: Vec<(Key, &Question)> = questions.map(|(q, n)| (key(q, n), q)).collect();
    keyed.sort_unstable_by(|a, b| p.order.apply(a.0.cmp(&b.0)).then(a.1.id.cmp(&b.1.id)));
    let sorted: Vec<&Question> = keyed.into_iter().map(|(_, q)| q).collect();
    PaginatedLinkedOrRelatedQuestions::page(&sorted, p, |q| render::summary(w, site, q))
}
