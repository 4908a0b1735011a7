//! User groups (contract §3): `GET /user-groups` and `GET /user-groups/{userGroupId}`.

use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::V3Ctx;
use super::error::V3Result;
use super::input::{V3Path, V3Query};
use super::models::{
    PaginatedUserGroups, SortOrder, UserGroupResponseModel, UserGroupsSortParameter,
};
use super::render;
use crate::app::AppState;
use crate::domain::UserGroup;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(user_groups_list))
        .routes(routes!(user_groups_get))
}

/// Emulates `GET /user-groups`: the site's groups with their members, sorted and paginated.
#[utoipa::path(get, path = "/user-groups", tag = "UserGroups",
    params(
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<UserGroupsSortParameter>, Query, description = "default `name`"),
        ("order" = Option<SortOrder>, Query, description = "default `asc` for name, `desc` for size"),
    ),
    responses((status = 200, description = "User groups found", body = PaginatedUserGroups)))]
pub async fn user_groups_list(ctx: V3Ctx, query: V3Query) -> V3Result<Json<PaginatedUserGroups>> {
    let mut q = query.check();
    let p = q.list::<UserGroupsSortParameter>();
    q.finish()?;
    Ok(Json(ctx.read(|w, site| {
        let mut groups: Vec<&UserGroup> = site.groups.values().collect();
        groups.sort_by(|a, b| {
            let ord = match p.sort {
                UserGroupsSortParameter::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
                UserGroupsSortParameter::Size => a.user_ids.len().cmp(&b.user_ids.len()),
            };
            p.order.apply(ord).then(a.id.cmp(&b.id))
        });
        PaginatedUserGroups::page(&groups, &p, |g| render::group(w, site, g))
    })))
}

/// Emulates `GET /user-groups/{userGroupId}`.
#[utoipa::path(get, path = "/user-groups/{userGroupId}", tag = "UserGroups",
    params(("userGroupId" = i32, Path, minimum = 1, description = "User group ID")),
    responses(
        (status = 200, description = "User group found", body = UserGroupResponseModel),
        (status = 404, description = "User group not found", body = super::error::ProblemDetails),
    ))]
pub async fn user_groups_get(ctx: V3Ctx, path: V3Path) -> V3Result<Json<UserGroupResponseModel>> {
    let id = path.id("userGroupId")?;
    ctx.read(|w, site| Ok(Json(render::group(w, site, site.group(id)?))))
}
