//! Subject matter experts (contract §3): `GET /tags/{tagId}/subject-matter-experts`.

use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::V3Ctx;
use super::error::V3Result;
use super::input::V3Path;
use super::models::SubjectMatterExpertResponseModel;
use super::render;
use crate::app::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(smes_get))
}

/// Emulates `GET /tags/{tagId}/subject-matter-experts`: 404 for an unknown tag, 422 when SMEs
/// are disabled on the site.
#[utoipa::path(get, path = "/tags/{tagId}/subject-matter-experts", tag = "Tags",
    params(("tagId" = i32, Path, minimum = 1, description = "Tag ID")),
    responses(
        (status = 200, description = "Subject matter expert(s) found", body = SubjectMatterExpertResponseModel),
        (status = 404, description = "Subject matter expert(s) not found (unknown tag)", body = super::error::ProblemDetails),
        (status = 422, description = "Subject matter experts feature not enabled", body = super::error::ProblemDetails),
    ))]
pub async fn smes_get(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<SubjectMatterExpertResponseModel>> {
    let id = path.id("tagId")?;
    ctx.read(|w, site| Ok(Json(render::sme_set(w, site, &site.smes_of(id)?))))
}
