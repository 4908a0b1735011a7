//! Who is calling and which site they address (contract §3, the auth rows of the errors
//! table). [`V3Ctx`] is the first extractor of every v3 handler, so auth errors win over
//! everything else: 401 before 403 before 404 before 400. Each refusal names its
//! [`Refusal`] (README "Auth and errors" lists them).

use std::collections::HashMap;

use axum::Json;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;

use super::error::{V3Error, V3Result};
use crate::credentials::{Authorization, authorization, token_elsewhere};
use crate::domain::posts::Viewer;
use crate::domain::{AccountId, Role, Site, SiteKind, TokenKind, UserId, World};
use crate::instance::Instance;
use crate::refusal::Refusal;
use crate::revoked::RevokedTokens;
use crate::state::AppState;

/// Which of the three URL shapes a request came in through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `/v3/teams/{team}/…`: a Basic or Business cloud team.
    Cloud,
    /// `/api/v3/…`: the Enterprise main site.
    Main,
    /// `/api/v3/teams/{team}/…`: an Enterprise private team.
    PrivateTeam,
}

impl Shape {
    /// The shape of a v3 path (inside its instance: no sandbox prefix).
    pub fn of(path: &str) -> Shape {
        if path.starts_with("/v3/teams/") {
            Shape::Cloud
        } else if path.starts_with("/api/v3/teams/") {
            Shape::PrivateTeam
        } else {
            Shape::Main
        }
    }
}

/// An authenticated caller on a resolved site.
#[derive(Debug, Clone)]
pub struct V3Ctx {
    pub inst: Instance,
    /// The addressed site's slug.
    pub site: String,
    pub site_kind: SiteKind,
    pub account_id: AccountId,
    /// The caller's own user on this site (absent only for a service token whose owner is not
    /// a user of the site).
    pub me: Option<UserId>,
    pub role: Option<Role>,
    pub write: bool,
}

impl V3Ctx {
    pub fn is_admin(&self) -> bool {
        self.role == Some(Role::Admin)
    }

    /// Admin-only routes (`RequireAdminRole` upstream).
    pub fn require_admin(&self) -> V3Result<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(V3Error::forbidden(Refusal::AdminOnly))
        }
    }

    /// The addressed site in `w`. Auth resolved it, but under an earlier lock: a state import
    /// or a snapshot restore in between may have removed it, and the request then gets 404.
    fn site_in<'w>(&self, w: &'w World) -> V3Result<&'w Site> {
        w.site(&self.site).ok_or_else(|| self.site_gone())
    }

    fn site_gone(&self) -> V3Error {
        V3Error::not_found(
            "site",
            "Site not found",
            format!("The site {:?} no longer exists", self.site),
        )
    }

    /// Write routes (`RequireWriteAccess` upstream): not a Basic team, and a write token. A
    /// Basic team is named first when both fail: no token would do there.
    pub fn require_write(&self) -> V3Result<()> {
        if self.site_kind == SiteKind::Basic {
            Err(V3Error::forbidden(Refusal::BasicTeamReadOnly))
        } else if !self.write {
            Err(V3Error::forbidden(Refusal::TokenReadOnly))
        } else {
            Ok(())
        }
    }

    /// Reads the addressed site ([`V3Ctx::site_in`]).
    pub fn read<R, E: Into<V3Error>>(
        &self,
        f: impl FnOnce(&World, &Site) -> Result<R, E>,
    ) -> V3Result<R> {
        self.inst
            .store
            .read(|w| f(w, self.site_in(w)?).map_err(Into::into))
    }

    /// A read rendered as the answer's JSON body ([`V3Ctx::read`]).
    pub fn render<T>(&self, f: impl FnOnce(&World, &Site) -> V3Result<T>) -> V3Result<Json<T>> {
        self.read(f).map(Json)
    }

    /// A v3 write: changes the addressed site with `apply`, then renders the answer with
    /// `render`, both under the same write lock. The answer is therefore exactly the state this
    /// write left: no concurrent writer slips in between, no reader sees half of it. An `Err`
    /// from `apply` leaves the site untouched (domain methods validate before they change).
    pub fn write<R, T>(
        &self,
        apply: impl FnOnce(&mut Site) -> V3Result<R>,
        render: impl FnOnce(&World, &Site, R) -> V3Result<T>,
    ) -> V3Result<T> {
        self.inst.store.update(|w| {
            let site = w.site_mut(&self.site).ok_or_else(|| self.site_gone())?;
            let applied = apply(site)?;
            let site = w.site(&self.site).expect("changed just above");
            render(w, site, applied)
        })
    }

    /// The caller as the content rules see them ([`Viewer`]): their user and role on the site.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            user: self.me,
            role: self.role,
        }
    }

    /// The mock clock's now (what a write stamps on what it creates).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inst.store.now()
    }

    /// A v3 write that changes the world beyond the addressed site (the instance's images):
    /// `apply` gets the world and the site's slug, under the write lock. An `Err` from `apply`
    /// must leave the world untouched.
    pub fn write_world<R>(
        &self,
        apply: impl FnOnce(&mut World, &str) -> V3Result<R>,
    ) -> V3Result<R> {
        self.inst.store.update(|w| {
            self.site_in(w)?;
            apply(w, &self.site)
        })
    }

    /// Whether the caller may see `user`'s email: admins, and the user themself.
    pub fn may_see_email_of(&self, user: UserId) -> bool {
        self.is_admin() || self.me == Some(user)
    }
}

impl FromRequestParts<AppState> for V3Ctx {
    type Rejection = V3Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let inst = Instance::of(&parts.extensions, state);
        let shape = Shape::of(parts.uri.path());
        let team = match shape {
            Shape::Main => None,
            Shape::Cloud | Shape::PrivateTeam => {
                let params = RawPathParams::from_request_parts(parts, state)
                    .await
                    .map_err(|_| V3Error::Unauthorized(Refusal::TeamUnknown))?;
                let params: HashMap<&str, &str> = params.iter().collect();
                Some(
                    params
                        .get("team")
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                )
            }
        };
        let token = match authorization(&parts.headers) {
            Authorization::Bearer(token) => Ok(token),
            Authorization::Malformed => Err(Refusal::BearerMalformed),
            Authorization::Missing if token_elsewhere(&parts.headers, parts.uri.query()) => {
                Err(Refusal::CredentialsInWrongPlace)
            }
            Authorization::Missing => Err(Refusal::BearerMissing),
        };
        let now = inst.store.now();
        let asked = Asked {
            shape,
            team: team.as_deref(),
            token,
            revoked: &inst.revoked,
        };
        let c = inst.store.read(|w| resolve(w, &asked, now))?;
        Ok(V3Ctx {
            inst,
            site: c.site,
            site_kind: c.site_kind,
            account_id: c.account_id,
            me: c.me,
            role: c.role,
            write: c.write,
        })
    }
}

/// The caller, as [`resolve`] finds them.
struct Caller {
    site: String,
    site_kind: SiteKind,
    account_id: AccountId,
    me: Option<UserId>,
    role: Option<Role>,
    write: bool,
}

/// What [`resolve`] decides on: the shape and team of the path, and the token presented (or
/// why there is none).
#[derive(Clone, Copy)]
struct Asked<'a> {
    shape: Shape,
    team: Option<&'a str>,
    token: Result<&'a str, Refusal>,
    /// Tells a revoked token (gone from the world) from an unknown one.
    revoked: &'a RevokedTokens,
}

/// The auth decision, in the contract's order.
fn resolve(w: &World, asked: &Asked, now: chrono::DateTime<chrono::Utc>) -> V3Result<Caller> {
    let Asked {
        shape,
        team,
        token,
        revoked,
    } = *asked;
    // 401: no token, unknown, revoked, expired.
    let token = token.map_err(V3Error::Unauthorized)?;
    let Some(token) = w.token(token) else {
        return Err(V3Error::Unauthorized(if revoked.contains(token) {
            Refusal::TokenRevoked
        } else {
            Refusal::TokenUnknown
        }));
    };
    if token.is_expired(now) {
        return Err(V3Error::Unauthorized(Refusal::TokenExpired));
    }
    // The site: an unknown cloud team is a 401 on the real service; an unknown private team
    // a 404 (mock choice).
    let site = match shape {
        Shape::Cloud => w
            .site(team.unwrap_or_default())
            .filter(|s| s.kind.is_cloud())
            .ok_or(V3Error::Unauthorized(Refusal::TeamUnknown))?,
        Shape::PrivateTeam => {
            let slug = team.unwrap_or_default();
            w.site(slug)
                .filter(|s| s.kind == SiteKind::PrivateTeam)
                .ok_or_else(|| {
                    V3Error::not_found(
                        "team",
                        "Team not found",
                        format!("No private team with the slug {slug:?}"),
                    )
                })?
        }
        Shape::Main => w.main_site().ok_or_else(|| {
            V3Error::not_found(
                "site",
                "Site not found",
                "The fixtures have no Enterprise main site",
            )
        })?,
    };
    if !token.covers(site) {
        return Err(V3Error::Unauthorized(Refusal::TokenWrongSite));
    }
    // 403: the owner is deactivated, or not a user of the site. (A validated world has no
    // token without an owner: such a token would be as good as unknown.)
    let account = w
        .accounts
        .get(token.account_id)
        .ok_or(V3Error::Unauthorized(Refusal::TokenUnknown))?;
    if account.is_deactivated {
        return Err(V3Error::forbidden_because(
            Refusal::OwnerDeactivated,
            "The account that owns this token is deactivated",
        ));
    }
    let me = site.user_by_account(account.account_id);
    // A service token acts for an application: its scope grants access, not membership
    // (mock choice), so `/users/me` can answer 404 for it.
    if me.is_none() && token.kind != TokenKind::Service {
        return Err(V3Error::forbidden_because(
            Refusal::NotASiteUser,
            format!("The token's owner is not a user of {}", site.name),
        ));
    }
    Ok(Caller {
        site: site.slug.clone(),
        site_kind: site.kind,
        account_id: account.account_id,
        me: me.map(|u| u.id),
        role: me.map(|u| u.role),
        write: token.write,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{FixtureSource, load};
    use crate::instance::Settings;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;

    /// A context whose site a state change removed after auth resolved it.
    fn ctx_on_a_removed_site() -> V3Ctx {
        V3Ctx {
            inst: Instance::root(load(&FixtureSource::Default).unwrap(), Settings::default()),
            site: "removed-since".into(),
            site_kind: SiteKind::Enterprise,
            account_id: 1001,
            me: Some(1),
            role: Some(Role::Admin),
            write: true,
        }
    }

    fn status<T>(r: V3Result<T>) -> StatusCode {
        r.map(drop).unwrap_err().into_response().status()
    }

    #[test]
    fn a_site_removed_after_auth_is_a_404_for_reads_and_writes() {
        let ctx = ctx_on_a_removed_site();
        let touched = |_: &World, _: &Site| -> V3Result<()> { panic!("no site to read") };
        assert_eq!(status(ctx.read(touched)), StatusCode::NOT_FOUND);
        assert_eq!(status(ctx.render(touched)), StatusCode::NOT_FOUND);
        let written = ctx.write(
            |_| -> V3Result<()> { panic!("no site to change") },
            |_, _, ()| Ok(()),
        );
        assert_eq!(status(written), StatusCode::NOT_FOUND);
    }
}
