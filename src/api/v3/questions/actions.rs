//! What a reader does to a question: vote, bookmark, flag. Each needs write access (a
//! read-only token or a Basic team is a 403) and answers with the question as it stands after
//! the change, rendered under the same lock (flags answer 200 without a body, as declared).
//!
//! Votes (mock rules after the real service's, docs/questions-and-answers.md): one vote per
//! user per question; an upvote replaces a downvote and back; casting the same vote again or
//! removing a vote of the other kind changes nothing; a vote on one's own question is a 403
//! `own-post`. Reputation follows [`crate::domain::posts`]'s `rep` rule.

use axum::Json;
use axum::http::StatusCode;

use super::render;
use super::rendered;
use crate::api::v3::auth::V3Ctx;
use crate::api::v3::error::{ProblemDetails, V3Error, V3Result};
use crate::api::v3::input::{RawBody, V3Path};
use crate::api::v3::models::questions::{
    FlagOptionResponseModel, FlagRequestModel, QuestionResponseModel,
};
use crate::domain::posts::{Flag, PostId, PostKind, Vote};
use crate::domain::{DomainError, Site};

/// Emulates `POST /questions/{questionId}/upvote`.
#[utoipa::path(post, path = "/questions/{questionId}/upvote", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    responses(
        (status = 200, description = "Question upvoted", body = QuestionResponseModel),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_upvote(ctx: V3Ctx, path: V3Path) -> V3Result<Json<QuestionResponseModel>> {
    vote(ctx, path, Vote::Up, true)
}

/// Emulates `DELETE /questions/{questionId}/upvote`: takes the caller's upvote back (a
/// downvote stays).
#[utoipa::path(delete, path = "/questions/{questionId}/upvote", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    responses(
        (status = 200, description = "Upvote deleted", body = QuestionResponseModel),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_upvote_delete(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<QuestionResponseModel>> {
    vote(ctx, path, Vote::Up, false)
}

/// Emulates `POST /questions/{questionId}/downvote`.
#[utoipa::path(post, path = "/questions/{questionId}/downvote", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    responses(
        (status = 200, description = "Question downvoted", body = QuestionResponseModel),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_downvote(ctx: V3Ctx, path: V3Path) -> V3Result<Json<QuestionResponseModel>> {
    vote(ctx, path, Vote::Down, true)
}

/// Emulates `DELETE /questions/{questionId}/downvote`: takes the caller's downvote back (an
/// upvote stays).
#[utoipa::path(delete, path = "/questions/{questionId}/downvote", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    responses(
        (status = 200, description = "Downvote deleted", body = QuestionResponseModel),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_downvote_delete(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<QuestionResponseModel>> {
    vote(ctx, path, Vote::Down, false)
}

/// Casts (`cast`) or takes back the caller's vote of `kind` on the question.
fn vote(ctx: V3Ctx, path: V3Path, kind: Vote, cast: bool) -> V3Result<Json<QuestionResponseModel>> {
    ctx.require_write()?;
    let id = path.id("questionId")?;
    let viewer = ctx.viewer();
    ctx.write(
        |site| {
            let current = site.posts.question(id, viewer)?.meta.vote_of(viewer.user);
            let wanted = match (cast, current) {
                (true, _) => Some(kind),
                (false, Some(v)) if v == kind => None,
                // Taking back a vote of the other kind, or none: nothing to change (the domain
                // still refuses a vote on one's own or a deleted question).
                (false, other) => other,
            };
            Ok(site.vote(id, viewer, wanted)?)
        },
        |w, site, ()| Ok(Json(rendered(w, site, id, viewer)?)),
    )
}

/// Emulates `POST /questions/{questionId}/bookmark` (201). Bookmarking again changes nothing
/// (mock choice).
#[utoipa::path(post, path = "/questions/{questionId}/bookmark", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    responses(
        (status = 201, description = "Question bookmarked", body = QuestionResponseModel),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_bookmark(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<(StatusCode, Json<QuestionResponseModel>)> {
    bookmark(ctx, path, true).map(|q| (StatusCode::CREATED, q))
}

/// Emulates `DELETE /questions/{questionId}/bookmark` (200). Removing a bookmark never set
/// changes nothing (mock choice).
#[utoipa::path(delete, path = "/questions/{questionId}/bookmark", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    responses(
        (status = 200, description = "Question unbookmarked", body = QuestionResponseModel),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_bookmark_delete(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<QuestionResponseModel>> {
    bookmark(ctx, path, false)
}

fn bookmark(ctx: V3Ctx, path: V3Path, on: bool) -> V3Result<Json<QuestionResponseModel>> {
    ctx.require_write()?;
    let id = path.id("questionId")?;
    let viewer = ctx.viewer();
    ctx.write(
        |site| {
            live(site, id, viewer)?;
            Ok(site.bookmark(id, viewer, on)?)
        },
        |w, site, ()| Ok(Json(rendered(w, site, id, viewer)?)),
    )
}

/// Emulates `GET /questions/{questionId}/flags/options`: the question's flag dialog
/// ([`crate::domain::posts::flags`]), with `isRetraction` true for the options the caller has
/// already raised on it.
#[utoipa::path(get, path = "/questions/{questionId}/flags/options", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    responses(
        (status = 200, description = "Flag options found", body = Vec<FlagOptionResponseModel>),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_flag_options(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<Vec<FlagOptionResponseModel>>> {
    let id = path.id("questionId")?;
    let viewer = ctx.viewer();
    ctx.render(|_, site| {
        site.posts.question(id, viewer)?;
        Ok(render::flag_options(
            &site.posts,
            PostKind::Question,
            id,
            viewer.user,
        ))
    })
}

/// Emulates `POST /questions/{questionId}/flags`: raises a flag (200, no body). A flag the
/// dialog does not allow — an unknown option or a heading, a required `comment`, `targetSite`
/// or `relatedQuestionId` (a live question other than this one) missing, the same option
/// raised twice by the caller, a comment over 2,000 characters — is a 400 "Unable to add flag".
/// Flagging one's own question is allowed (mock choice).
#[utoipa::path(post, path = "/questions/{questionId}/flags", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    request_body(content = FlagRequestModel, content_type = "application/json"),
    responses(
        (status = 200, description = "Flag added"),
        (status = 400, description = "Unable to add flag", body = ProblemDetails),
        (status = 404, description = "Question not found", body = ProblemDetails),
        (status = 409, description = "The site holds 10,000 flags, the mock's limit (mock addition)", body = ProblemDetails),
    ))]
pub async fn questions_flag(ctx: V3Ctx, path: V3Path, body: RawBody) -> V3Result<StatusCode> {
    ctx.require_write()?;
    let id = path.id("questionId")?;
    let (viewer, now) = (ctx.viewer(), ctx.now());
    ctx.read(|_, site| live(site, id, viewer))?;
    let req: FlagRequestModel = body.json_object()?;
    let option_id = req
        .option_id
        .ok_or_else(|| V3Error::invalid("optionId", "The optionId field is required."))?;
    ctx.write(
        |site| {
            let user = viewer.user.ok_or(DomainError::NotAllowed(
                "flag: the caller is not a user of this site",
            ))?;
            live(site, id, viewer)?;
            let flag = Flag {
                post_id: id,
                user,
                option_id,
                comment: req.comment.clone(),
                // An id below 1 names no question: the check refuses it like an unknown one.
                related_question_id: req
                    .related_question_id
                    .map(|r| u32::try_from(r).unwrap_or(0)),
                target_site: req.target_site.clone(),
                creation_date: now,
            };
            site.posts
                .check_flag(PostKind::Question, &flag)
                .map_err(unable)?;
            site.raise_flag(flag).map_err(unable)
        },
        |_, _, ()| Ok(StatusCode::OK),
    )
}

/// A flag the dialog refuses: 400 "Unable to add flag" with the reason; other refusals (the
/// site's flag limit) keep their own answer.
fn unable(e: DomainError) -> V3Error {
    match e {
        DomainError::InvalidField { message, .. } => V3Error::problem(
            StatusCode::BAD_REQUEST,
            "/v3/errors/flag/unable-to-add",
            "Unable to add flag",
            Some(message),
        ),
        other => other.into(),
    }
}

/// The question, when `viewer` may read it (404) and it is not deleted (a moderator's write on
/// a deleted question is a 400, as the domain's writes answer it).
fn live(site: &Site, id: PostId, viewer: crate::domain::posts::Viewer) -> Result<(), DomainError> {
    let q = site.posts.question(id, viewer)?;
    if q.meta.is_deleted() {
        Err(DomainError::PostDeleted(id))
    } else {
        Ok(())
    }
}
