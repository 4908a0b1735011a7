//! Users (contract §3): `GET /users`, `/users/{userId}`, `/users/me`, `/users/by-email/{email}`,
//! `/users/by-external-id/{externalId}`, `/users/{userId}/watched-tags`, and the main-site-only
//! `/users/manage`.

use axum::Json;

use super::auth::V3Ctx;
use super::error::{V3Error, V3Result};
use super::input::{V3Path, V3Query};
use super::list::SortKey;
use super::models::{
    ManageUsersSortParameter, PaginatedManageUsers, PaginatedUsers, TagSummaryResponseModel,
    UserDetailsResponseModel, UserResponseModel, UsersSortParameter,
};
use super::render;
use crate::domain::SiteUser;
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![
        routes!(users_list),
        routes!(users_me),
        routes!(users_get),
        routes!(users_by_email),
        routes!(users_by_external_id),
        routes!(users_watched_tags),
    ]
}

/// `/users/manage` exists on the main site only.
pub fn main_only_routes() -> Vec<Route<AppState>> {
    vec![routes!(users_manage)]
}

/// Emulates `GET /users`: the site's users, paginated, sorted by reputation.
#[utoipa::path(get, path = "/users", tag = "Users",
    params(
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<UsersSortParameter>, Query, description = "default `reputation`"),
        ("order" = Option<super::models::SortOrder>, Query, description = "default `desc`"),
    ),
    responses((status = 200, description = "Users found", body = PaginatedUsers)))]
pub async fn users_list(ctx: V3Ctx, query: V3Query) -> V3Result<Json<PaginatedUsers>> {
    ctx.render(|w, site| {
        let mut q = query.check();
        let p = q.list::<UsersSortParameter>();
        q.finish()?;
        let users = p.sort(
            site.users.values(),
            |u| SortKey::Number(u.reputation.into()),
            |u| u.id,
        );
        Ok(PaginatedUsers::page(&users, &p, |u| {
            render::user(&ctx, w, site, u)
        }))
    })
}

/// Emulates `GET /users/me`: the token owner's user on this site. It takes no parameter; a
/// query string that is not valid UTF-8 is its only 400 (mock choice, as on every v3 route).
#[utoipa::path(get, path = "/users/me", tag = "Users",
    responses(
        (status = 200, description = "User details found", body = UserDetailsResponseModel),
        (status = 404, description = "User details not found (a service token whose owner is not a user of the site)", body = super::error::ProblemDetails),
    ))]
pub async fn users_me(ctx: V3Ctx, query: V3Query) -> V3Result<Json<UserDetailsResponseModel>> {
    ctx.render(|w, site| {
        query.check().finish()?;
        let me = ctx.me.ok_or_else(|| {
            V3Error::not_found(
                "user",
                "User details not found",
                format!("Account {} is not a user of this site", ctx.account_id),
            )
        })?;
        Ok(render::user_details(&ctx, w, site, site.user(me)?))
    })
}

/// Emulates `GET /users/{userId}`.
#[utoipa::path(get, path = "/users/{userId}", tag = "Users",
    params(("userId" = i32, Path, minimum = 1, description = "User ID")),
    responses(
        (status = 200, description = "User details found", body = UserDetailsResponseModel),
        (status = 404, description = "User not found", body = super::error::ProblemDetails),
    ))]
pub async fn users_get(ctx: V3Ctx, path: V3Path) -> V3Result<Json<UserDetailsResponseModel>> {
    let id = path.id("userId")?;
    ctx.render(|w, site| Ok(render::user_details(&ctx, w, site, site.user(id)?)))
}

/// Emulates `GET /users/by-email/{email}` (admins only); the match ignores case.
#[utoipa::path(get, path = "/users/by-email/{email}", tag = "Users",
    params(("email" = String, Path, description = "Email address")),
    responses(
        (status = 200, description = "User details found", body = UserDetailsResponseModel),
        (status = 404, description = "User not found", body = super::error::ProblemDetails),
    ))]
pub async fn users_by_email(ctx: V3Ctx, path: V3Path) -> V3Result<Json<UserDetailsResponseModel>> {
    ctx.require_admin()?;
    let email = path.text("email");
    ctx.render(|w, site| {
        let user = w
            .accounts
            .by_email(email)
            .and_then(|a| site.user_by_account(a.account_id))
            .ok_or_else(|| {
                V3Error::not_found(
                    "user",
                    "User not found",
                    format!("No user with the email {email:?}"),
                )
            })?;
        Ok(render::user_details(&ctx, w, site, user))
    })
}

/// Emulates `GET /users/by-external-id/{externalId}` (admins only): an array, empty when no
/// user matches (the excerpt declares no 404).
#[utoipa::path(get, path = "/users/by-external-id/{externalId}", tag = "Users",
    params(("externalId" = String, Path, description = "External ID (SCIM / SAML)")),
    responses((status = 200, description = "User details found", body = Vec<UserResponseModel>)))]
pub async fn users_by_external_id(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<Vec<UserResponseModel>>> {
    ctx.require_admin()?;
    let external_id = path.text("externalId");
    ctx.render(|w, site| {
        let users: Vec<UserResponseModel> = w
            .accounts
            .by_external_id(external_id)
            .and_then(|a| site.user_by_account(a.account_id))
            .map(|u| render::user(&ctx, w, site, u))
            .into_iter()
            .collect();
        Ok(users)
    })
}

/// Emulates `GET /users/{userId}/watched-tags`. The excerpt declares one
/// `TagSummaryResponseModel` here; the mock returns the array of watched tags that the real
/// service returns (mock choice, listed in the conformance allow-list).
#[utoipa::path(get, path = "/users/{userId}/watched-tags", tag = "Users",
    params(("userId" = i32, Path, minimum = 1, description = "User ID")),
    responses(
        (status = 200, description = "User found", body = Vec<TagSummaryResponseModel>),
        (status = 404, description = "User not found", body = super::error::ProblemDetails),
    ))]
pub async fn users_watched_tags(
    ctx: V3Ctx,
    path: V3Path,
) -> V3Result<Json<Vec<TagSummaryResponseModel>>> {
    let id = path.id("userId")?;
    ctx.render(|_, site| {
        let tags: Vec<TagSummaryResponseModel> = site
            .watched_tags(id)?
            .into_iter()
            .map(|t| render::tag_summary(site, t))
            .collect();
        Ok(tags)
    })
}

/// Emulates `GET /users/manage` (main site, admins only): every user with account state and
/// dates, filterable by `isDeactivated` and a last-access window.
#[utoipa::path(get, path = "/users/manage", tag = "Users",
    params(
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<ManageUsersSortParameter>, Query, description = "default `id`"),
        ("order" = Option<super::models::SortOrder>, Query),
        ("isDeactivated" = Option<bool>, Query),
        ("lastAccessDateFrom" = Option<String>, Query, format = DateTime),
        ("lastAccessDateTo" = Option<String>, Query, format = DateTime),
    ),
    responses((status = 200, description = "Users found", body = PaginatedManageUsers)))]
pub async fn users_manage(ctx: V3Ctx, query: V3Query) -> V3Result<Json<PaginatedManageUsers>> {
    ctx.require_admin()?;
    ctx.render(|w, site| {
        let mut q = query.check();
        let p = q.list::<ManageUsersSortParameter>();
        let deactivated = q.bool("isDeactivated");
        let from = q.date("lastAccessDateFrom");
        let to = q.date("lastAccessDateTo");
        q.finish()?;
        let account = |u: &SiteUser| w.accounts.get(u.account_id);
        let users: Vec<&SiteUser> = site
            .users
            .values()
            .filter(|u| {
                deactivated.is_none_or(|d| account(u).is_some_and(|a| a.is_deactivated) == d)
            })
            .filter(|u| from.is_none_or(|f| render::last_access(u) >= f))
            .filter(|u| to.is_none_or(|t| render::last_access(u) <= t))
            .collect();
        let text = |u: &SiteUser, f: fn(&crate::domain::Account) -> &str| {
            SortKey::text(account(u).map(f).unwrap_or_default())
        };
        let users = p.sort(
            users,
            |u| match p.sort {
                ManageUsersSortParameter::Id => SortKey::Number(u.id.into()),
                ManageUsersSortParameter::Name => text(u, |a| &a.name),
                ManageUsersSortParameter::Email => text(u, |a| &a.email),
                ManageUsersSortParameter::LastAccessDate => SortKey::Date(render::last_access(u)),
            },
            |u| u.id,
        );
        Ok(PaginatedManageUsers::page(&users, &p, |u| {
            render::manage_user(w, site, u)
        }))
    })
}

/// `/users/manage` under a team prefix: the route exists on the main site only (mock choice:
/// 404 rather than the 400 that `/users/{userId}` would give for "manage").
pub async fn users_manage_not_on_teams(ctx: V3Ctx) -> V3Error {
    let _ = ctx;
    V3Error::problem(
        axum::http::StatusCode::NOT_FOUND,
        "/v3/errors/not-found",
        "Not Found",
        Some(
            "GET /users/manage exists on the Enterprise main site only (/api/v3/users/manage)"
                .into(),
        ),
    )
}
