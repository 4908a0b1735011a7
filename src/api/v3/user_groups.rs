//! User groups (contract §3): the two reads, and the four writes with the real service's
//! semantics: `POST /user-groups` creates (201), `PUT /user-groups/{userGroupId}` is a **full
//! replace** (absent `description` and `userIds` clear them), `POST …/members` adds
//! (idempotent, mock choice) and `DELETE …/members/{userId}` removes, answering the group.
//!
//! Every write checks, in the contract's order: the token (401, in [`V3Ctx`]), write access
//! (403), the path ids (400), the group (404), then the body (413/415/400), and applies the
//! change with [`V3Ctx::write`], which renders the answer under the same lock.

use axum::Json;
use axum::http::StatusCode;

use super::auth::V3Ctx;
use super::error::{ProblemDetails, V3Error, V3Result};
use super::input::{self, RawBody, V3Path, V3Query};
use super::list::SortKey;
use super::models::{
    PaginatedUserGroups, SortOrder, UserGroupRequestModel, UserGroupResponseModel,
    UserGroupsSortParameter,
};
use super::render;
use crate::domain::{GroupId, Site, World};
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![
        routes!(user_groups_list, user_groups_create),
        routes!(user_groups_get, user_groups_replace),
        routes!(user_groups_add_members),
        routes!(user_groups_remove_member),
    ]
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
    ctx.render(|w, site| {
        let mut q = query.check();
        let p = q.list::<UserGroupsSortParameter>();
        q.finish()?;
        let groups = p.sort(
            site.groups.values(),
            |g| match p.sort {
                UserGroupsSortParameter::Name => SortKey::text(&g.name),
                UserGroupsSortParameter::Size => SortKey::Number(g.user_ids.len() as i64),
            },
            |g| g.id,
        );
        Ok(PaginatedUserGroups::page(&groups, &p, |g| {
            render::group(w, site, g)
        }))
    })
}

/// Emulates `GET /user-groups/{userGroupId}`.
#[utoipa::path(get, path = "/user-groups/{userGroupId}", tag = "UserGroups",
    params(("userGroupId" = i32, Path, minimum = 1, description = "User group ID")),
    responses(
        (status = 200, description = "User group found", body = UserGroupResponseModel),
        (status = 404, description = "User group not found", body = ProblemDetails),
    ))]
pub async fn user_groups_get(ctx: V3Ctx, path: V3Path) -> V3Result<Json<UserGroupResponseModel>> {
    let id = path.id("userGroupId")?;
    ctx.render(|w, site| Ok(render::group(w, site, site.group(id)?)))
}

/// Emulates `POST /user-groups`: creates a group (201). `name` is required, not blank and
/// unique on the site (case-insensitive, mock choice); every user id must be a user of the site.
/// A site whose group ids reached 2147483647 answers 409 (mock addition).
#[utoipa::path(post, path = "/user-groups", tag = "UserGroups",
    request_body(content = UserGroupRequestModel, content_type = "application/json"),
    responses(
        (status = 201, description = "User group created", body = UserGroupResponseModel),
        (status = 403, description = "Inadequate permissions", body = ProblemDetails),
        (status = 409, description = "The site has no user group id left: ids stop at int32's maximum, 2147483647 (mock addition)", body = ProblemDetails),
        (status = 500, description = "Server Error"),
    ))]
pub async fn user_groups_create(
    ctx: V3Ctx,
    body: RawBody,
) -> V3Result<(StatusCode, Json<UserGroupResponseModel>)> {
    ctx.require_write()?;
    let fields = GroupFields::of(body.json_object()?)?;
    ctx.write(
        |site| {
            let user_ids = input::user_ids(site, &fields.user_ids)?;
            Ok(site.create_group(&fields.name, &fields.description, &user_ids)?)
        },
        |w, site, id| Ok((StatusCode::CREATED, rendered_group(w, site, id)?)),
    )
}

/// Emulates `PUT /user-groups/{userGroupId}`: a **full replace**, as on the real service. An
/// absent `description` becomes `""` and an absent `userIds` empties the group, so a client
/// that sends only `name` loses the members. 404 for an unknown group is a mock addition.
#[utoipa::path(put, path = "/user-groups/{userGroupId}", tag = "UserGroups",
    params(("userGroupId" = i32, Path, minimum = 1, description = "User group ID")),
    request_body(content = UserGroupRequestModel, content_type = "application/json"),
    responses(
        (status = 200, description = "User group updated", body = UserGroupResponseModel),
        (status = 404, description = "User group not found (mock addition: the excerpt declares no 404 here)", body = ProblemDetails),
    ))]
pub async fn user_groups_replace(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<UserGroupResponseModel>> {
    ctx.require_write()?;
    let id = path.id("userGroupId")?;
    ctx.read(|_, site| site.group(id).map(drop))?;
    let fields = GroupFields::of(body.json_object()?)?;
    ctx.write(
        |site| {
            let user_ids = input::user_ids(site, &fields.user_ids)?;
            Ok(site.replace_group(id, &fields.name, &fields.description, &user_ids)?)
        },
        |w, site, ()| rendered_group(w, site, id),
    )
}

/// Emulates `POST /user-groups/{userGroupId}/members`: adds the users of a JSON array of ids;
/// adding a member again is a no-op (mock choice). Answers the whole group.
#[utoipa::path(post, path = "/user-groups/{userGroupId}/members", tag = "UserGroups",
    params(("userGroupId" = i32, Path, minimum = 1, description = "User group ID")),
    request_body(content = Vec<i32>, content_type = "application/json", description = "User ID(s)", example = json!([123, 456])),
    responses(
        (status = 200, description = "Member(s) added", body = UserGroupResponseModel),
        (status = 404, description = "User group not found", body = ProblemDetails),
    ))]
pub async fn user_groups_add_members(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<UserGroupResponseModel>> {
    ctx.require_write()?;
    let id = path.id("userGroupId")?;
    ctx.read(|_, site| site.group(id).map(drop))?;
    let raw: Vec<i32> = body.json()?;
    ctx.write(
        |site| {
            let user_ids = input::user_ids(site, &raw)?;
            Ok(site.add_group_members(id, &user_ids)?)
        },
        |w, site, ()| rendered_group(w, site, id),
    )
}

/// Emulates `DELETE /user-groups/{userGroupId}/members/{userId}`: answers 200 with the group
/// (not 204), and 404 when the group does not exist or the user is not a member of it.
#[utoipa::path(delete, path = "/user-groups/{userGroupId}/members/{userId}", tag = "UserGroups",
    params(
        ("userGroupId" = i32, Path, minimum = 1, description = "User group ID"),
        ("userId" = i32, Path, minimum = 1, description = "User ID"),
    ),
    responses(
        (status = 200, description = "Member deleted", body = UserGroupResponseModel),
        (status = 404, description = "User group or user not found", body = ProblemDetails),
    ))]
pub async fn user_groups_remove_member(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<UserGroupResponseModel>> {
    ctx.require_write()?;
    let id = path.id("userGroupId")?;
    let user = path.id("userId")?;
    ctx.write(
        |site| Ok(site.remove_group_member(id, user)?),
        |w, site, ()| rendered_group(w, site, id),
    )
}

/// The group as it stands, answered by every group write.
fn rendered_group(w: &World, site: &Site, id: GroupId) -> V3Result<Json<UserGroupResponseModel>> {
    Ok(Json(render::group(w, site, site.group(id)?)))
}

/// A `UserGroupRequestModel` with the full-replace defaults applied.
struct GroupFields {
    name: String,
    description: String,
    user_ids: Vec<i32>,
}

impl GroupFields {
    /// A missing, null or blank `name` is ASP.NET's `[Required]` failure; absent `description`
    /// and `userIds` are empty (the real service treats them as blank submissions).
    fn of(req: UserGroupRequestModel) -> V3Result<Self> {
        let name = req
            .name
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| V3Error::invalid("Name", "The Name field is required."))?;
        Ok(GroupFields {
            name,
            description: req.description.unwrap_or_default(),
            user_ids: req.user_ids.unwrap_or_default(),
        })
    }
}
