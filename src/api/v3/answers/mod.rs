//! Answers (issue 17): a question's answers read, written, accepted, voted on and flagged, and
//! the comments on an answer. This module holds the reads and the three writes of an answer
//! itself; [`acts`] the acts on it (accept, votes, flags); [`wire`] renders them.
//!
//! Every route finds the question and then the answer as the caller may see them
//! ([`crate::domain::posts::Posts::answer`]): 404 when either is unknown, the answer belongs to
//! another question, or either is deleted and the caller is not a moderator or an admin (who
//! read a deleted answer with `isDeleted: true`, but cannot write on it: 400). Lists leave
//! deleted answers out for everyone.
//!
//! Every write checks, in the contract's order: the token (401, in [`V3Ctx`]), write access
//! (403: read-only token, Basic team), the path ids (400), the question and the answer (404),
//! then the body (413/415/400) and the domain's rules (403 `not-post-owner`/`own-post`, 400),
//! and applies the change with [`V3Ctx::write`], which renders the answer under the same lock.

pub mod acts;
pub mod wire;

use axum::Json;
use axum::http::StatusCode;

use super::auth::V3Ctx;
use super::error::{ProblemDetails, V3Error, V3Result};
use super::input::{RawBody, V3Path, V3Query};
use super::list::SortKey;
use super::models::SortOrder;
use super::models::answers::{
    AnswerRequestModel, AnswerResponseModel, AnswersSortParameter, CommentResponseModel,
    PaginatedAnswers,
};
use crate::domain::posts::PostId;
use crate::domain::{DomainError, Site, World};
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![
        routes!(answers_list, answers_create),
        routes!(answers_get, answers_edit, answers_delete),
        routes!(answers_comments),
        routes!(acts::answers_accept, acts::answers_unaccept),
        routes!(acts::answers_upvote, acts::answers_remove_upvote),
        routes!(acts::answers_downvote, acts::answers_remove_downvote),
        routes!(acts::answers_flag_options),
        routes!(acts::answers_flag),
    ]
}

/// The question and answer ids of a path (400 for an id that is not a positive int32).
pub(crate) fn ids(path: &V3Path) -> V3Result<(PostId, PostId)> {
    Ok((path.id("questionId")?, path.id("answerId")?))
}

/// Checks that the caller may see the answer (404 otherwise), before a body is read.
pub(crate) fn require_answer(ctx: &V3Ctx, question: PostId, answer: PostId) -> V3Result<()> {
    let viewer = ctx.viewer();
    ctx.read(|_, site| site.posts.answer(question, answer, viewer).map(drop))
}

/// The answer as it stands after a write, for the caller.
fn rendered(
    ctx: &V3Ctx,
    w: &World,
    site: &Site,
    answer: PostId,
) -> V3Result<Json<AnswerResponseModel>> {
    let a = site
        .posts
        .answers
        .get(&answer)
        .ok_or(DomainError::AnswerNotFound(answer))?;
    Ok(Json(wire::answer(w, site, ctx.viewer(), a)))
}

/// `body` of an `AnswerRequestModel`: required and not blank (ASP.NET's `[Required]`).
fn answer_body(body: &RawBody) -> V3Result<String> {
    let req: AnswerRequestModel = body.json_object()?;
    req.body
        .filter(|b| !b.trim().is_empty())
        .ok_or_else(|| V3Error::invalid("Body", "The Body field is required."))
}

/// Emulates `GET /questions/{questionId}/answers`: the question's answers that are not
/// deleted, sorted (default `score`, descending: mock choice; `modified` sorts by the last
/// activity) and paginated; 404 when the caller cannot see the question.
#[utoipa::path(get, path = "/questions/{questionId}/answers", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<AnswersSortParameter>, Query, description = "default `score`"),
        ("order" = Option<SortOrder>, Query, description = "default `desc`"),
    ),
    responses(
        (status = 200, description = "Answer(s) found", body = PaginatedAnswers),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn answers_list(
    ctx: V3Ctx,
    path: V3Path,
    query: V3Query,
) -> V3Result<Json<PaginatedAnswers>> {
    let question = path.id("questionId")?;
    let viewer = ctx.viewer();
    ctx.render(|w, site| {
        site.posts.question(question, viewer)?;
        let mut q = query.check();
        let p = q.list::<AnswersSortParameter>();
        q.finish()?;
        let answers = p.sort(
            site.posts.live_answers(question),
            |a| match p.sort {
                AnswersSortParameter::Score => SortKey::Number(a.meta.score().into()),
                AnswersSortParameter::Modified => SortKey::Date(a.meta.last_activity_date),
                AnswersSortParameter::Creation => SortKey::Date(a.meta.creation_date),
            },
            |a| a.id,
        );
        Ok(PaginatedAnswers::page(&answers, &p, |a| {
            wire::answer_summary(w, site, viewer, a)
        }))
    })
}

/// Emulates `GET /questions/{questionId}/answers/{answerId}`: the answer with its Markdown.
#[utoipa::path(get, path = "/questions/{questionId}/answers/{answerId}", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    responses(
        (status = 200, description = "Answer found", body = AnswerResponseModel),
        (status = 404, description = "Answer or question not found (also an answer of another question)", body = ProblemDetails),
    ))]
pub async fn answers_get(ctx: V3Ctx, path: V3Path) -> V3Result<Json<AnswerResponseModel>> {
    let (question, answer) = ids(&path)?;
    let viewer = ctx.viewer();
    ctx.render(|w, site| {
        let a = site.posts.answer(question, answer, viewer)?;
        Ok(wire::answer(w, site, viewer, a))
    })
}

/// Emulates `POST /questions/{questionId}/answers`: answers the question (201). A closed
/// question, or a deleted one a moderator can still read, refuses with 400.
#[utoipa::path(post, path = "/questions/{questionId}/answers", tag = "Answers",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    request_body(content = AnswerRequestModel, content_type = "application/json"),
    responses(
        (status = 201, description = "Answer created", body = AnswerResponseModel),
        (status = 404, description = "Question not found (mock addition)", body = ProblemDetails),
        (status = 409, description = "A limit of the site is reached: posts, text, or ids (mock addition)", body = ProblemDetails),
    ))]
pub async fn answers_create(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<(StatusCode, Json<AnswerResponseModel>)> {
    ctx.require_write()?;
    let question = path.id("questionId")?;
    let viewer = ctx.viewer();
    ctx.read(|_, site| site.posts.question(question, viewer).map(drop))?;
    let text = answer_body(&body)?;
    let now = ctx.now();
    ctx.write(
        |site| Ok(site.create_answer(question, viewer, &text, now)?),
        |w, site, id| Ok((StatusCode::CREATED, rendered(&ctx, w, site, id)?)),
    )
}

/// Emulates `PUT /questions/{questionId}/answers/{answerId}`: replaces the body. The answer's
/// owner, a moderator or an admin; anyone else gets 403 (`X-Mock-Reason: not-post-owner`).
#[utoipa::path(put, path = "/questions/{questionId}/answers/{answerId}", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    request_body(content = AnswerRequestModel, content_type = "application/json"),
    responses(
        (status = 200, description = "Answer updated", body = AnswerResponseModel),
        (status = 404, description = "Answer or question not found (mock addition)", body = ProblemDetails),
        (status = 409, description = "The site's text limit is reached (mock addition)", body = ProblemDetails),
    ))]
pub async fn answers_edit(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<AnswerResponseModel>> {
    ctx.require_write()?;
    let (question, answer) = ids(&path)?;
    require_answer(&ctx, question, answer)?;
    let text = answer_body(&body)?;
    let (viewer, now) = (ctx.viewer(), ctx.now());
    ctx.write(
        |site| Ok(site.edit_answer(question, answer, viewer, &text, now)?),
        |w, site, ()| rendered(&ctx, w, site, answer),
    )
}

/// Emulates `DELETE /questions/{questionId}/answers/{answerId}`: a soft delete (204) by the
/// owner, a moderator or an admin. The answer leaves lists and `answerCount`; a deleted
/// accepted answer no longer counts as accepted. Reputation earned stays (mock choice).
#[utoipa::path(delete, path = "/questions/{questionId}/answers/{answerId}", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    responses(
        (status = 204, description = "Answer deleted"),
        (status = 404, description = "Answer not found", body = ProblemDetails),
    ))]
pub async fn answers_delete(ctx: V3Ctx, path: V3Path) -> V3Result<StatusCode> {
    ctx.require_write()?;
    let (question, answer) = ids(&path)?;
    let (viewer, now) = (ctx.viewer(), ctx.now());
    ctx.write(
        |site| Ok(site.delete_answer(question, answer, viewer, now)?),
        |_, _, ()| Ok(StatusCode::NO_CONTENT),
    )
}

/// Emulates `GET /questions/{questionId}/answers/{answerId}/comments`: the comments on the
/// answer, oldest first, as the array the document declares (not paginated).
#[utoipa::path(get, path = "/questions/{questionId}/answers/{answerId}/comments", tag = "Comments",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    responses(
        (status = 200, description = "Comment(s) found", body = Vec<CommentResponseModel>),
        (status = 404, description = "Answer or question not found", body = ProblemDetails),
    ))]
pub async fn answers_comments(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<Vec<CommentResponseModel>>> {
    let (question, answer) = ids(&path)?;
    let viewer = ctx.viewer();
    ctx.render(|w, site| {
        site.posts.answer(question, answer, viewer)?;
        Ok(site
            .posts
            .comments_on(answer)
            .map(|c| wire::comment(w, site, c))
            .collect())
    })
}
