//! Subject matter experts (contract §3): the read and the five writes of a tag's SME set.
//! `PUT` replaces both lists; the two `POST`s add (adding one already there is a no-op, mock
//! choice) and answer the whole new set; the two `DELETE`s answer 204 (removing one not there
//! is a no-op, mock choice). On a site with SMEs disabled every route answers 422; an unknown
//! tag is a 404 (a mock addition on the write routes, declared in the mock's spec).
//!
//! Every write checks, in the contract's order: the token (401, in [`V3Ctx`]), write access
//! (403), the path ids (400), SMEs enabled (422) and the tag (404), then the body
//! (413/415/400), and applies the change with [`V3Ctx::write`], which renders the answer
//! under the same lock.

use axum::Json;
use axum::http::StatusCode;

use super::auth::V3Ctx;
use super::error::{ProblemDetails, V3Result};
use super::input::{self, RawBody, V3Path};
use super::models::{SubjectMatterExpertRequestModel, SubjectMatterExpertResponseModel};
use super::render;
use crate::domain::{Site, TagId, World};
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![
        routes!(smes_get, smes_replace),
        routes!(smes_add_users),
        routes!(smes_add_groups),
        routes!(smes_remove_user),
        routes!(smes_remove_group),
    ]
}

/// Emulates `GET /tags/{tagId}/subject-matter-experts`: 404 for an unknown tag, 422 when SMEs
/// are disabled on the site.
#[utoipa::path(get, path = "/tags/{tagId}/subject-matter-experts", tag = "Tags",
    params(("tagId" = i32, Path, minimum = 1, description = "Tag ID")),
    responses(
        (status = 200, description = "Subject matter expert(s) found", body = SubjectMatterExpertResponseModel),
        (status = 404, description = "Subject matter expert(s) not found (unknown tag)", body = ProblemDetails),
        (status = 422, description = "Subject matter experts feature not enabled", body = ProblemDetails),
    ))]
pub async fn smes_get(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<SubjectMatterExpertResponseModel>> {
    let id = path.id("tagId")?;
    ctx.render(|w, site| Ok(render::sme_set(w, site, &site.smes_of(id)?)))
}

/// Emulates `PUT /tags/{tagId}/subject-matter-experts`: replaces both lists (an absent list
/// means empty) and answers the new set.
#[utoipa::path(put, path = "/tags/{tagId}/subject-matter-experts", tag = "Tags",
    params(("tagId" = i32, Path, minimum = 1, description = "Tag ID")),
    request_body(content = SubjectMatterExpertRequestModel, content_type = "application/json"),
    responses(
        (status = 200, description = "Subject matter experts replaced", body = SubjectMatterExpertResponseModel),
        (status = 404, description = "Tag not found (mock addition)", body = ProblemDetails),
        (status = 422, description = "Subject matter experts feature not enabled", body = ProblemDetails),
    ))]
pub async fn smes_replace(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<SubjectMatterExpertResponseModel>> {
    ctx.require_write()?;
    let tag = sme_tag(&ctx, &path)?;
    let req: SubjectMatterExpertRequestModel = body.json_object()?;
    ctx.write(
        |site| {
            let user_ids = input::user_ids(site, req.user_ids.as_deref().unwrap_or_default())?;
            let group_ids =
                input::group_ids(site, req.user_group_ids.as_deref().unwrap_or_default())?;
            Ok(site.replace_smes(tag, &user_ids, &group_ids)?)
        },
        |w, site, ()| rendered_smes(w, site, tag),
    )
}

/// Emulates `POST /tags/{tagId}/subject-matter-experts/users`: adds the users of a JSON array
/// of ids and answers the whole new set.
#[utoipa::path(post, path = "/tags/{tagId}/subject-matter-experts/users", tag = "Tags",
    params(("tagId" = i32, Path, minimum = 1, description = "Tag ID")),
    request_body(content = Vec<i32>, content_type = "application/json", description = "User ID(s)", example = json!([123, 456])),
    responses(
        (status = 200, description = "User(s) added as subject matter expert(s)", body = SubjectMatterExpertResponseModel),
        (status = 404, description = "Tag not found (mock addition)", body = ProblemDetails),
        (status = 422, description = "Subject matter experts feature not enabled", body = ProblemDetails),
    ))]
pub async fn smes_add_users(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<SubjectMatterExpertResponseModel>> {
    ctx.require_write()?;
    let tag = sme_tag(&ctx, &path)?;
    let raw: Vec<i32> = body.json()?;
    ctx.write(
        |site| {
            let user_ids = input::user_ids(site, &raw)?;
            Ok(site.add_sme_users(tag, &user_ids)?)
        },
        |w, site, ()| rendered_smes(w, site, tag),
    )
}

/// Emulates `POST /tags/{tagId}/subject-matter-experts/user-groups`: adds the groups of a
/// JSON array of ids and answers the whole new set.
#[utoipa::path(post, path = "/tags/{tagId}/subject-matter-experts/user-groups", tag = "Tags",
    params(("tagId" = i32, Path, minimum = 1, description = "Tag ID")),
    request_body(content = Vec<i32>, content_type = "application/json", description = "User group ID(s)", example = json!([789, 101])),
    responses(
        (status = 200, description = "User group(s) added as subject matter experts", body = SubjectMatterExpertResponseModel),
        (status = 404, description = "Tag not found (mock addition)", body = ProblemDetails),
        (status = 422, description = "Subject matter experts feature not enabled", body = ProblemDetails),
    ))]
pub async fn smes_add_groups(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<SubjectMatterExpertResponseModel>> {
    ctx.require_write()?;
    let tag = sme_tag(&ctx, &path)?;
    let raw: Vec<i32> = body.json()?;
    ctx.write(
        |site| {
            let group_ids = input::group_ids(site, &raw)?;
            Ok(site.add_sme_groups(tag, &group_ids)?)
        },
        |w, site, ()| rendered_smes(w, site, tag),
    )
}

/// Emulates `DELETE /tags/{tagId}/subject-matter-experts/users/{userId}`: 204, also when the
/// user was not an SME (mock choice).
#[utoipa::path(delete, path = "/tags/{tagId}/subject-matter-experts/users/{userId}", tag = "Tags",
    params(
        ("tagId" = i32, Path, minimum = 1, description = "Tag ID"),
        ("userId" = i32, Path, minimum = 1, description = "User ID"),
    ),
    responses(
        (status = 204, description = "User removed as subject matter expert"),
        (status = 404, description = "Tag not found (mock addition)", body = ProblemDetails),
        (status = 422, description = "Subject matter experts feature not enabled", body = ProblemDetails),
    ))]
pub async fn smes_remove_user(ctx: V3Ctx, path: V3Path) -> V3Result<StatusCode> {
    ctx.require_write()?;
    let tag = path.id("tagId")?;
    let user = path.id("userId")?;
    ctx.write(
        |site| Ok(site.remove_sme_user(tag, user)?),
        |_, _, ()| Ok(StatusCode::NO_CONTENT),
    )
}

/// Emulates `DELETE /tags/{tagId}/subject-matter-experts/user-groups/{userGroupId}`: 204, also
/// when the group was not an SME (mock choice).
#[utoipa::path(delete, path = "/tags/{tagId}/subject-matter-experts/user-groups/{userGroupId}", tag = "Tags",
    params(
        ("tagId" = i32, Path, minimum = 1, description = "Tag ID"),
        ("userGroupId" = i32, Path, minimum = 1, description = "User group ID"),
    ),
    responses(
        (status = 204, description = "User group removed as subject matter experts"),
        (status = 404, description = "Tag not found (mock addition)", body = ProblemDetails),
        (status = 422, description = "Subject matter experts feature not enabled", body = ProblemDetails),
    ))]
pub async fn smes_remove_group(ctx: V3Ctx, path: V3Path) -> V3Result<StatusCode> {
    ctx.require_write()?;
    let tag = path.id("tagId")?;
    let group = path.id("userGroupId")?;
    ctx.write(
        |site| Ok(site.remove_sme_group(tag, group)?),
        |_, _, ()| Ok(StatusCode::NO_CONTENT),
    )
}

/// The tag of an SME write, checked before the body is read: 422 when SMEs are disabled on
/// the site, then 404 for an unknown tag.
fn sme_tag(ctx: &V3Ctx, path: &V3Path) -> V3Result<TagId> {
    let tag = path.id("tagId")?;
    ctx.read(|_, site| site.smes_of(tag).map(drop))?;
    Ok(tag)
}

/// The tag's SME set as it stands, answered by the `PUT` and the `POST`s.
fn rendered_smes(
    w: &World,
    site: &Site,
    tag: TagId,
) -> V3Result<Json<SubjectMatterExpertResponseModel>> {
    Ok(Json(render::tag_smes(w, site, tag)))
}
