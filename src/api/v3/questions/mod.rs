//! Questions (issue 17): the list with its filters, one question, and the three writes
//! (`POST` 201, `PUT` a full replace, `DELETE` 204, a soft delete); the votes, bookmarks and
//! flags are in [`actions`], the linked and related questions and the comments in [`nearby`].
//! The rules are in docs/questions-and-answers.md.
//!
//! Every write checks, in the contract's order: the token (401, in [`V3Ctx`]), write access
//! (403), the path id (400), the question (404) and the caller's right to it (403), then the
//! body (413/415/400), and applies the change with [`V3Ctx::write`], which renders the answer
//! under the same lock.

pub mod actions;
pub mod nearby;
pub mod render;

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::http::StatusCode;
use chrono::SubsecRound;

use super::auth::V3Ctx;
use super::error::{ProblemDetails, V3Error, V3Result};
use super::input::{RawBody, V3Path, V3Query};
use super::list::SortKey;
use super::models::SortOrder;
use super::models::questions::{
    PaginatedQuestions, QuestionRequestModel, QuestionResponseModel, QuestionSortParameter,
};
use crate::domain::posts::{PostEdit, PostId, Question, Viewer};
use crate::domain::{DomainError, Site, World};
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![
        routes!(questions_list, questions_create),
        routes!(questions_get, questions_replace, questions_delete),
        routes!(actions::questions_upvote, actions::questions_upvote_delete),
        routes!(
            actions::questions_downvote,
            actions::questions_downvote_delete
        ),
        routes!(
            actions::questions_bookmark,
            actions::questions_bookmark_delete
        ),
        routes!(actions::questions_flag_options),
        routes!(actions::questions_flag),
        routes!(nearby::questions_linked),
        routes!(nearby::questions_related),
        routes!(nearby::questions_comments),
        routes!(nearby::articles_linked_questions),
    ]
}

/// Emulates `GET /questions`: the site's live questions, filtered, sorted and paginated. Keys
/// are computed once per question and only the requested page is rendered, so the answer
/// takes as long for the last page as for the first.
#[utoipa::path(get, path = "/questions", tag = "Questions",
    params(
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<QuestionSortParameter>, Query, description = "default `activity`"),
        ("order" = Option<SortOrder>, Query, description = "default `desc`"),
        ("isAnswered" = Option<bool>, Query, description = "Only questions with an accepted answer or an answer of positive score (true), or without (false)"),
        ("hasAcceptedAnswer" = Option<bool>, Query, description = "Only questions with (true) or without (false) an accepted answer"),
        ("questionId" = Option<Vec<i32>>, Query, description = "Only these questions (repeat the parameter: `questionId=1&questionId=2`)"),
        ("tagId" = Option<Vec<i32>>, Query, description = "Only questions with at least one of these tags (mock choice; repeat the parameter)"),
        ("authorId" = Option<i32>, Query, description = "Only questions asked by this user"),
        ("from" = Option<String>, Query, format = DateTime, description = "Only questions created at or after this date (to the second)"),
        ("to" = Option<String>, Query, format = DateTime, description = "Only questions created at or before this date (to the second)"),
    ),
    responses((status = 200, description = "Questions found", body = PaginatedQuestions)))]
pub async fn questions_list(ctx: V3Ctx, query: V3Query) -> V3Result<Json<PaginatedQuestions>> {
    let mut q = query.check();
    let p = q.list::<QuestionSortParameter>();
    let is_answered = q.bool("isAnswered");
    let has_accepted = q.bool("hasAcceptedAnswer");
    let ids = q.ints("questionId");
    let tag_ids = q.ints("tagId");
    let author = q.int("authorId");
    let from = q.date("from");
    let to = q.date("to");
    q.finish()?;
    // Ids below 1 name nothing; the rest are the site's (u32) ids.
    let as_ids = |raw: Vec<i32>| -> BTreeSet<u32> {
        raw.into_iter()
            .filter_map(|id| u32::try_from(id).ok())
            .collect()
    };
    let (filtered, ids) = (!ids.is_empty(), as_ids(ids));
    let (by_tag, tag_ids) = (!tag_ids.is_empty(), as_ids(tag_ids));
    ctx.render(|w, site| {
        let posts = &site.posts;
        let candidates: Box<dyn Iterator<Item = &Question>> = if filtered {
            Box::new(ids.iter().filter_map(|id| posts.questions.get(id)))
        } else {
            Box::new(posts.questions.values())
        };
        let questions = candidates
            .filter(|q| !q.meta.is_deleted())
            .filter(|q| author.is_none_or(|a| i32::try_from(q.meta.owner) == Ok(a)))
            // Dates compare at the second, the precision the API shows them with.
            .filter(|q| from.is_none_or(|f| q.meta.creation_date.trunc_subsecs(0) >= f))
            .filter(|q| to.is_none_or(|t| q.meta.creation_date.trunc_subsecs(0) <= t))
            .filter(|q| !by_tag || q.tags.iter().any(|t| tag_ids.contains(t)))
            .filter(|q| has_accepted.is_none_or(|h| posts.accepted_answer(q).is_some() == h))
            .filter(|q| is_answered.is_none_or(|h| posts.is_answered(q) == h));
        let sorted = p.sort(
            questions,
            |q| match p.sort {
                QuestionSortParameter::Activity => SortKey::Date(q.meta.last_activity_date),
                QuestionSortParameter::Creation => SortKey::Date(q.meta.creation_date),
                QuestionSortParameter::Score => SortKey::Number(q.meta.score().into()),
            },
            |q| q.id,
        );
        Ok(PaginatedQuestions::page(&sorted, &p, |q| {
            render::summary(w, site, q)
        }))
    })
}

/// Emulates `GET /questions/{questionId}`. A deleted question is a 404, except for admins and
/// moderators, who read it with `isDeleted: true`.
#[utoipa::path(get, path = "/questions/{questionId}", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    responses(
        (status = 200, description = "Question found", body = QuestionResponseModel),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_get(ctx: V3Ctx, path: V3Path) -> V3Result<Json<QuestionResponseModel>> {
    let id = path.id("questionId")?;
    let viewer = ctx.viewer();
    ctx.render(|w, site| rendered(w, site, id, viewer))
}

/// Emulates `POST /questions`: asks a question (201). Tags are named; a name the site does not
/// have yet creates the tag. The asker follows the question (mock choice).
#[utoipa::path(post, path = "/questions", tag = "Questions",
    request_body(content = QuestionRequestModel, content_type = "application/json"),
    responses(
        (status = 201, description = "Question created", body = QuestionResponseModel),
        (status = 409, description = "A limit of the mock is reached: posts, tags or text on the site, or post or tag ids (mock addition)", body = ProblemDetails),
    ))]
pub async fn questions_create(
    ctx: V3Ctx,
    body: RawBody,
) -> V3Result<(StatusCode, Json<QuestionResponseModel>)> {
    ctx.require_write()?;
    let fields = QuestionFields::of(body.json_object()?)?;
    let (viewer, now) = (ctx.viewer(), ctx.now());
    ctx.write(
        |site| Ok(site.create_question(viewer, fields.edit(), now)?),
        |w, site, id| Ok((StatusCode::CREATED, Json(rendered(w, site, id, viewer)?))),
    )
}

/// Emulates `PUT /questions/{questionId}`: a full replace of title, body and tags, by the
/// question's owner, a moderator or an admin (else 403 `not-post-owner`). It sets `lastEditor`,
/// `lastEditDate` and `lastActivityDate`. 404 for an unknown question is a mock addition (the
/// official document declares none here), as for `PUT /user-groups/{id}`.
#[utoipa::path(put, path = "/questions/{questionId}", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    request_body(content = QuestionRequestModel, content_type = "application/json"),
    responses(
        (status = 200, description = "Question updated", body = QuestionResponseModel),
        (status = 404, description = "Question not found (mock addition: the official document declares no 404 here)", body = ProblemDetails),
        (status = 409, description = "A limit of the mock is reached: tags or text on the site (mock addition)", body = ProblemDetails),
    ))]
pub async fn questions_replace(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<QuestionResponseModel>> {
    ctx.require_write()?;
    let id = path.id("questionId")?;
    let (viewer, now) = (ctx.viewer(), ctx.now());
    ctx.read(|_, site| may_change(site, id, viewer, "edit this question"))?;
    let fields = QuestionFields::of(body.json_object()?)?;
    ctx.write(
        |site| Ok(site.edit_question(id, viewer, fields.edit(), now)?),
        |w, site, ()| Ok(Json(rendered(w, site, id, viewer)?)),
    )
}

/// Emulates `DELETE /questions/{questionId}`: a soft delete (204) by the owner, a moderator or
/// an admin. The question leaves every list and its tags' `postCount`s drop; admins and
/// moderators still read it, with `isDeleted: true`; everyone else gets 404.
#[utoipa::path(delete, path = "/questions/{questionId}", tag = "Questions",
    params(("questionId" = i32, Path, minimum = 1, description = "Question ID")),
    responses(
        (status = 204, description = "Question deleted"),
        (status = 404, description = "Question not found", body = ProblemDetails),
    ))]
pub async fn questions_delete(ctx: V3Ctx, path: V3Path) -> V3Result<StatusCode> {
    ctx.require_write()?;
    let id = path.id("questionId")?;
    let (viewer, now) = (ctx.viewer(), ctx.now());
    ctx.write(
        |site| Ok(site.delete_question(id, viewer, now)?),
        |_, _, ()| Ok(StatusCode::NO_CONTENT),
    )
}

/// The question as `viewer` reads it (404 when they may not).
fn rendered(w: &World, site: &Site, id: PostId, viewer: Viewer) -> V3Result<QuestionResponseModel> {
    Ok(render::question(
        w,
        site,
        site.posts.question(id, viewer)?,
        viewer,
    ))
}

/// The question `viewer` may change: it exists for them (404), and they own it or moderate
/// the site (403 `not-post-owner`). Checked before the body is read, so these answers win
/// over a bad body, as the contract orders them; the write checks again under its lock.
fn may_change(
    site: &Site,
    id: PostId,
    viewer: Viewer,
    what: &'static str,
) -> Result<(), DomainError> {
    let q = site.posts.question(id, viewer)?;
    if viewer.user == Some(q.meta.owner) || viewer.is_moderator() {
        Ok(())
    } else {
        Err(DomainError::NotAllowed(what))
    }
}

/// A `QuestionRequestModel` whose three fields are present.
struct QuestionFields {
    title: String,
    body: String,
    tags: Vec<String>,
}

impl QuestionFields {
    /// A missing or null field is a 400 naming it; every missing field is named at once. Blank
    /// values and the limits are the domain's to refuse, with the same field names.
    fn of(req: QuestionRequestModel) -> V3Result<Self> {
        let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (field, present) in [
            ("body", req.body.is_some()),
            ("tags", req.tags.is_some()),
            ("title", req.title.is_some()),
        ] {
            if !present {
                errors
                    .entry(field.to_string())
                    .or_default()
                    .push(format!("The {field} field is required."));
            }
        }
        match (req.title, req.body, req.tags) {
            (Some(title), Some(body), Some(tags)) => Ok(QuestionFields { title, body, tags }),
            _ => Err(V3Error::Validation(errors)),
        }
    }

    fn edit(&self) -> PostEdit<'_> {
        PostEdit {
            title: &self.title,
            body: &self.body,
            tags: &self.tags,
        }
    }
}
