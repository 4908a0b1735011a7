//! Communities (main site only: the official document declares no team twins): the two reads,
//! joining and leaving as the caller, and the bulk joins and leaves for other users.
//!
//! Mock choices (docs/communities-and-images.md):
//! - joining a community one belongs to, or leaving one one does not, is a no-op that answers
//!   200 with the community (a repeated join keeps the first `memberSince`);
//! - the bulk routes are for admins and moderators of the site (403 `moderator-only` for
//!   anyone else); every id of `memberUserIds` must be a user of the site, else one 400 names
//!   them all and nothing changes (as `POST /user-groups/{id}/members` does); an absent
//!   `memberUserIds` changes nothing;
//! - `isSme` is true for an SME of one of the community's tags, individually or through a
//!   group; members are listed in user-id order.
//!
//! Every write checks, in the contract's order: the token (401, in [`V3Ctx`]), write access
//! (403), the caller's role (403, bulk only), the path id (400), the community (404), then the
//! body (413/415/400), and applies the change with [`V3Ctx::write`].

use axum::Json;

use super::auth::V3Ctx;
use super::error::{ProblemDetails, V3Error, V3Result};
use super::input::{self, RawBody, V3Path, V3Query};
use super::list::SortKey;
use super::models::{
    CommunityJoinModel, CommunityLeaveModel, CommunityResponseModel, CommunitySortParameter,
    PaginatedCommunities, SortOrder,
};
use super::render;
use crate::domain::{CommunityId, Role, Site, UserId, World};
use crate::refusal::Refusal;
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

/// The community routes: the main site only.
pub fn routes() -> Vec<Route<AppState>> {
    vec![
        routes!(communities_list),
        routes!(communities_get),
        routes!(communities_join),
        routes!(communities_leave),
        routes!(communities_join_bulk),
        routes!(communities_leave_bulk),
    ]
}

/// Emulates `GET /communities`: the site's communities without their members, sorted by
/// `name` (default, ascending) or `size` (member count, descending by default), paginated.
#[utoipa::path(get, path = "/communities", tag = "Communities",
    params(
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<CommunitySortParameter>, Query, description = "default `name`"),
        ("order" = Option<SortOrder>, Query, description = "default `asc` for name, `desc` for size"),
    ),
    responses((status = 200, description = "Communities(s) found", body = PaginatedCommunities)))]
pub async fn communities_list(ctx: V3Ctx, query: V3Query) -> V3Result<Json<PaginatedCommunities>> {
    ctx.render(|_, site| {
        let mut q = query.check();
        let p = q.list::<CommunitySortParameter>();
        q.finish()?;
        let communities = p.sort(
            site.communities.values(),
            |c| match p.sort {
                CommunitySortParameter::Name => SortKey::text(&c.name),
                CommunitySortParameter::Size => SortKey::Number(c.members.len() as i64),
            },
            |c| c.id,
        );
        Ok(PaginatedCommunities::page(&communities, &p, |c| {
            render::community_summary(site, c)
        }))
    })
}

/// Emulates `GET /communities/{communityId}`: the community with its members.
#[utoipa::path(get, path = "/communities/{communityId}", tag = "Communities",
    params(("communityId" = i32, Path, minimum = 1, description = "Community ID")),
    responses(
        (status = 200, description = "Community found", body = CommunityResponseModel),
        (status = 404, description = "Community not found", body = ProblemDetails),
    ))]
pub async fn communities_get(ctx: V3Ctx, path: V3Path) -> V3Result<Json<CommunityResponseModel>> {
    let id = path.id("communityId")?;
    ctx.render(|w, site| Ok(render::community(w, site, site.community(id)?)))
}

/// Emulates `POST /communities/{communityId}/join`: the caller joins (a no-op when already a
/// member, mock choice). A service token whose owner is not a user of the site has no one to
/// add: 403 `not-a-site-user`.
#[utoipa::path(post, path = "/communities/{communityId}/join", tag = "Communities",
    params(("communityId" = i32, Path, minimum = 1, description = "Community ID")),
    responses(
        (status = 200, description = "User joined", body = CommunityResponseModel),
        (status = 404, description = "Community not found", body = ProblemDetails),
    ))]
pub async fn communities_join(ctx: V3Ctx, path: V3Path) -> V3Result<Json<CommunityResponseModel>> {
    ctx.require_write()?;
    let me = caller(&ctx)?;
    let id = path.id("communityId")?;
    let now = ctx.inst.store.now();
    ctx.write(
        |site| Ok(site.join_community(id, &[me], now)?),
        |w, site, ()| rendered(w, site, id),
    )
}

/// Emulates `POST /communities/{communityId}/leave`: the caller leaves (a no-op when not a
/// member, mock choice).
#[utoipa::path(post, path = "/communities/{communityId}/leave", tag = "Communities",
    params(("communityId" = i32, Path, minimum = 1, description = "Community ID")),
    responses(
        (status = 200, description = "User left", body = CommunityResponseModel),
        (status = 404, description = "Community not found", body = ProblemDetails),
    ))]
pub async fn communities_leave(ctx: V3Ctx, path: V3Path) -> V3Result<Json<CommunityResponseModel>> {
    ctx.require_write()?;
    let me = caller(&ctx)?;
    let id = path.id("communityId")?;
    ctx.write(
        |site| Ok(site.leave_community(id, &[me])?),
        |w, site, ()| rendered(w, site, id),
    )
}

/// Emulates `POST /communities/{communityId}/join/bulk`: adds the users of `memberUserIds`
/// (admins and moderators only, mock choice; unknown user ids: one 400 naming them).
#[utoipa::path(post, path = "/communities/{communityId}/join/bulk", tag = "Communities",
    params(("communityId" = i32, Path, minimum = 1, description = "Community ID")),
    request_body(content = CommunityJoinModel, content_type = "application/json"),
    responses(
        (status = 200, description = "Users joined", body = CommunityResponseModel),
        (status = 404, description = "Community not found", body = ProblemDetails),
    ))]
pub async fn communities_join_bulk(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<CommunityResponseModel>> {
    let id = bulk_community(&ctx, &path)?;
    let req: CommunityJoinModel = body.json_object()?;
    let raw = req.member_user_ids.unwrap_or_default();
    let now = ctx.inst.store.now();
    ctx.write(
        |site| {
            let users = input::user_ids(site, &raw)?;
            Ok(site.join_community(id, &users, now)?)
        },
        |w, site, ()| rendered(w, site, id),
    )
}

/// Emulates `POST /communities/{communityId}/leave/bulk`: removes the users of
/// `memberUserIds` (admins and moderators only, mock choice; unknown user ids: one 400).
#[utoipa::path(post, path = "/communities/{communityId}/leave/bulk", tag = "Communities",
    params(("communityId" = i32, Path, minimum = 1, description = "Community ID")),
    request_body(content = CommunityLeaveModel, content_type = "application/json"),
    responses(
        (status = 200, description = "User left", body = CommunityResponseModel),
        (status = 404, description = "Community not found", body = ProblemDetails),
    ))]
pub async fn communities_leave_bulk(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<CommunityResponseModel>> {
    let id = bulk_community(&ctx, &path)?;
    let req: CommunityLeaveModel = body.json_object()?;
    let raw = req.member_user_ids.unwrap_or_default();
    ctx.write(
        |site| {
            let users = input::user_ids(site, &raw)?;
            Ok(site.leave_community(id, &users)?)
        },
        |w, site, ()| rendered(w, site, id),
    )
}

/// The caller's own user on the site, who joins or leaves.
fn caller(ctx: &V3Ctx) -> V3Result<UserId> {
    ctx.me.ok_or_else(|| {
        V3Error::forbidden_because(
            Refusal::NotASiteUser,
            "The token's owner is not a user of this site: there is no one to join or leave",
        )
    })
}

/// The community of a bulk route, after write access and the caller's role (admins and
/// moderators: mock choice), checked before the body is read.
fn bulk_community(ctx: &V3Ctx, path: &V3Path) -> V3Result<CommunityId> {
    ctx.require_write()?;
    if !matches!(ctx.role, Some(Role::Admin | Role::Moderator)) {
        return Err(V3Error::forbidden(Refusal::ModeratorOnly));
    }
    let id = path.id("communityId")?;
    ctx.read(|_, site| site.community(id).map(drop))?;
    Ok(id)
}

/// The community as it stands, answered by every community write.
fn rendered(w: &World, site: &Site, id: CommunityId) -> V3Result<Json<CommunityResponseModel>> {
    Ok(Json(render::community(w, site, site.community(id)?)))
}
