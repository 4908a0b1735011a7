//! The acts on an answer: accept and unaccept, up- and downvotes, and flags.
//!
//! - Accepting is the question owner's act, or a moderator's or an admin's (403
//!   `not-post-owner` for anyone else); accepting another answer moves the accept; unaccepting
//!   an answer that is not the accepted one is a 400. Reputation follows (domain `rep`).
//! - One vote per user per answer: an upvote replaces a downvote and the other way round;
//!   voting the same way again changes nothing; `DELETE …/upvote` removes the caller's upvote
//!   only (a downvote stays, and the other way round) — mock choices. Voting on one's own
//!   answer is a 403 `own-post`, as on the real service.
//! - A flag names a leaf option of the answer's flag dialog with the fields it requires; a
//!   flag the catalogue refuses, a second identical flag, or a flag on a deleted answer is a
//!   400 "Unable to add flag".

use axum::Json;
use axum::http::StatusCode;

use super::super::auth::V3Ctx;
use super::super::error::{ProblemDetails, V3Error, V3Result};
use super::super::input::{RawBody, V3Path};
use super::super::models::answers::{
    AnswerSummaryResponseModel, FlagOptionResponseModel, FlagRequestModel,
};
use super::{ids, require_answer, wire};
use crate::domain::posts::{Flag, PostId, PostKind, Vote, flags};
use crate::domain::{DomainError, Site, World};

/// The answer's summary as it stands after an act, for the caller.
fn summary(
    ctx: &V3Ctx,
    w: &World,
    site: &Site,
    answer: PostId,
) -> V3Result<Json<AnswerSummaryResponseModel>> {
    let a = site
        .posts
        .answers
        .get(&answer)
        .ok_or(DomainError::AnswerNotFound(answer))?;
    Ok(Json(wire::answer_summary(w, site, ctx.viewer(), a)))
}

async fn accept(ctx: V3Ctx, path: V3Path, on: bool) -> V3Result<Json<AnswerSummaryResponseModel>> {
    ctx.require_write()?;
    let (question, answer) = ids(&path)?;
    let viewer = ctx.viewer();
    ctx.write(
        |site| Ok(site.accept_answer(question, answer, viewer, on)?),
        |w, site, ()| summary(&ctx, w, site, answer),
    )
}

/// Emulates `POST /questions/{questionId}/answers/{answerId}/accept`: the question's owner, a
/// moderator or an admin accepts the answer (accepting it again changes nothing); another
/// accepted answer loses the accept.
#[utoipa::path(post, path = "/questions/{questionId}/answers/{answerId}/accept", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    responses(
        (status = 200, description = "Answer accepted", body = AnswerSummaryResponseModel),
        (status = 404, description = "Question or answer not found", body = ProblemDetails),
    ))]
pub async fn answers_accept(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<AnswerSummaryResponseModel>> {
    accept(ctx, path, true).await
}

/// Emulates `DELETE /questions/{questionId}/answers/{answerId}/accept`: takes the accept back
/// (400 when the answer is not the accepted one).
#[utoipa::path(delete, path = "/questions/{questionId}/answers/{answerId}/accept", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    responses(
        (status = 200, description = "Successfully unaccepted answer", body = AnswerSummaryResponseModel),
        (status = 404, description = "Question or answer not found", body = ProblemDetails),
    ))]
pub async fn answers_unaccept(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<AnswerSummaryResponseModel>> {
    accept(ctx, path, false).await
}

/// Casts (`cast`) or removes the caller's `kind` vote. Removing leaves a vote of the other
/// kind in place (mock choice); the domain refuses a vote on one's own answer either way.
async fn vote(
    ctx: V3Ctx,
    path: V3Path,
    kind: Vote,
    cast: bool,
) -> V3Result<Json<AnswerSummaryResponseModel>> {
    ctx.require_write()?;
    let (question, answer) = ids(&path)?;
    let viewer = ctx.viewer();
    ctx.write(
        |site| {
            let current = site
                .posts
                .answer(question, answer, viewer)?
                .meta
                .vote_of(viewer.user);
            let wanted = match (cast, current) {
                (true, _) => Some(kind),
                (false, Some(v)) if v == kind => None,
                (false, other) => other,
            };
            Ok(site.vote(answer, viewer, wanted)?)
        },
        |w, site, ()| summary(&ctx, w, site, answer),
    )
}

/// Emulates `POST /questions/{questionId}/answers/{answerId}/upvote`.
#[utoipa::path(post, path = "/questions/{questionId}/answers/{answerId}/upvote", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    responses(
        (status = 200, description = "Answer upvoted", body = AnswerSummaryResponseModel),
        (status = 404, description = "Question or answer not found", body = ProblemDetails),
    ))]
pub async fn answers_upvote(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<AnswerSummaryResponseModel>> {
    vote(ctx, path, Vote::Up, true).await
}

/// Emulates `DELETE /questions/{questionId}/answers/{answerId}/upvote`.
#[utoipa::path(delete, path = "/questions/{questionId}/answers/{answerId}/upvote", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    responses(
        (status = 200, description = "Upvote deleted", body = AnswerSummaryResponseModel),
        (status = 404, description = "Question or answer not found", body = ProblemDetails),
    ))]
pub async fn answers_remove_upvote(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<AnswerSummaryResponseModel>> {
    vote(ctx, path, Vote::Up, false).await
}

/// Emulates `POST /questions/{questionId}/answers/{answerId}/downvote`.
#[utoipa::path(post, path = "/questions/{questionId}/answers/{answerId}/downvote", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    responses(
        (status = 200, description = "Answer downvoted", body = AnswerSummaryResponseModel),
        (status = 404, description = "Question or answer not found", body = ProblemDetails),
    ))]
pub async fn answers_downvote(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<AnswerSummaryResponseModel>> {
    vote(ctx, path, Vote::Down, true).await
}

/// Emulates `DELETE /questions/{questionId}/answers/{answerId}/downvote`.
#[utoipa::path(delete, path = "/questions/{questionId}/answers/{answerId}/downvote", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    responses(
        (status = 200, description = "Downvote deleted", body = AnswerSummaryResponseModel),
        (status = 404, description = "Question or answer not found", body = ProblemDetails),
    ))]
pub async fn answers_remove_downvote(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<AnswerSummaryResponseModel>> {
    vote(ctx, path, Vote::Down, false).await
}

/// Emulates `GET /questions/{questionId}/answers/{answerId}/flags/options`: the answer's flag
/// dialog (the mock's catalogue, `domain::posts::flags`), `isRetraction` set on the options the
/// caller has already raised on this answer.
#[utoipa::path(get, path = "/questions/{questionId}/answers/{answerId}/flags/options", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    responses(
        (status = 200, description = "Flags", body = Vec<FlagOptionResponseModel>),
        (status = 404, description = "Answer not found", body = ProblemDetails),
    ))]
pub async fn answers_flag_options(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<Vec<FlagOptionResponseModel>>> {
    let (question, answer) = ids(&path)?;
    let viewer = ctx.viewer();
    ctx.render(|_, site| {
        site.posts.answer(question, answer, viewer)?;
        Ok(flags::options(PostKind::Answer)
            .iter()
            .map(|o| wire::flag_option(site, answer, viewer, o))
            .collect())
    })
}

/// The 400 of a flag the rules refuse.
fn unable(e: DomainError) -> V3Error {
    match e {
        DomainError::InvalidField { message, .. } => unable_because(message),
        DomainError::PostDeleted(id) => unable_because(format!("Post {id} is deleted.")),
        other => other.into(),
    }
}

fn unable_because(detail: String) -> V3Error {
    V3Error::problem(
        StatusCode::BAD_REQUEST,
        "/v3/errors/flag/unable-to-add",
        "Unable to add flag",
        Some(detail),
    )
}

/// Emulates `POST /questions/{questionId}/answers/{answerId}/flags`: raises a flag (200, no
/// body). 400 "Unable to add flag" when the option is not a leaf of the answer's dialog, a
/// field it requires is missing, the caller raised it on this answer before, or the answer is
/// deleted; 409 when the site holds 10,000 flags (mock limit).
#[utoipa::path(post, path = "/questions/{questionId}/answers/{answerId}/flags", tag = "Answers",
    params(
        ("questionId" = i32, Path, minimum = 1, description = "Question ID"),
        ("answerId" = i32, Path, minimum = 1, description = "Answer ID"),
    ),
    request_body(content = FlagRequestModel, content_type = "application/json"),
    responses(
        (status = 200, description = "Flag added"),
        (status = 400, description = "Unable to add flag", body = ProblemDetails),
        (status = 404, description = "Answer not found", body = ProblemDetails),
        (status = 409, description = "The site holds the most flags it may (mock addition)", body = ProblemDetails),
    ))]
pub async fn answers_flag(ctx: V3Ctx, path: V3Path, body: RawBody) -> V3Result<StatusCode> {
    ctx.require_write()?;
    let (question, answer) = ids(&path)?;
    require_answer(&ctx, question, answer)?;
    let req: FlagRequestModel = body.json_object()?;
    let option_id = req
        .option_id
        .ok_or_else(|| V3Error::invalid("OptionId", "The OptionId field is required."))?;
    let (viewer, now) = (ctx.viewer(), ctx.now());
    ctx.write(
        |site| {
            let a = site.posts.answer(question, answer, viewer)?;
            let user = viewer.user.ok_or(DomainError::NotAllowed(
                "flag: the caller is not a user of this site",
            ))?;
            if a.meta.is_deleted() {
                return Err(unable(DomainError::PostDeleted(answer)));
            }
            let flag = Flag {
                post_id: answer,
                user,
                option_id,
                comment: req.comment,
                // An id below 1 names no question: as if absent.
                related_question_id: req.related_question_id.and_then(|q| u32::try_from(q).ok()),
                target_site: req.target_site,
                creation_date: now,
            };
            site.posts
                .check_flag(PostKind::Answer, &flag)
                .map_err(unable)?;
            site.raise_flag(flag).map_err(unable)
        },
        |_, _, ()| Ok(StatusCode::OK),
    )
}
