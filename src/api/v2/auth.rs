//! Who may call usersync (contract §4): the help article asks for an access token "owned by a
//! site administrator" and rejects "access tokens owned by regular users, or community service
//! applications".
//!
//! The checks run in this order, and the first that fails answers (mock choice; the real API
//! validates the token, then the application key, then the method's permission):
//! a body that could not be read 400 (checked first by the handler: it may hold the credentials)
//! → two different values of `access_token`, then of `key`, 400 (mock choice) → no token 401
//! → unknown, revoked, expired or not-for-this-site token 402 → no key 405 → unknown key 400 →
//! not allowed 403. The quota (502) and the parameters (400) come after, in the handler. Each
//! refusal names its [`Refusal`] (docs/usersync.md, "Why a call was refused").

use chrono::{DateTime, Utc};

use super::error::{V2Error, V2ErrorKind};
use super::request::UsersyncCall;
use crate::domain::{Role, TokenKind, World};
use crate::refusal::Refusal;
use crate::revoked::RevokedTokens;

/// Authorizes a usersync call and returns its application key (the quota's unit); `revoked`
/// tells a revoked token from an unknown one.
pub fn authorize(
    world: &World,
    revoked: &RevokedTokens,
    call: &UsersyncCall,
    now: DateTime<Utc>,
) -> Result<String, V2Error> {
    use V2ErrorKind::*;
    // Two different values of one credential: nothing can be decided on them (mock choice).
    let conflict = |c: super::credentials::Conflict| {
        V2Error::bad_parameter(c.name, &c).because(Refusal::CredentialsConflict)
    };
    let token = call.access_token().map_err(conflict)?;
    let key = call.key().map_err(conflict)?;
    let Some(token) = token else {
        return Err(V2Error::refused(
            AccessTokenRequired,
            Refusal::AccessTokenMissing,
            "this method requires an access_token (form field, query parameter or X-API-Access-Token header)",
        ));
    };
    let invalid = |reason, message| Err(V2Error::refused(InvalidAccessToken, reason, message));
    let Some(token) = world.token(token) else {
        // A revoked token is gone from the world: only the instance's memory tells.
        let reason = if revoked.contains(token) {
            Refusal::TokenRevoked
        } else {
            Refusal::TokenUnknown
        };
        return invalid(reason, "access_token is not valid");
    };
    if token.is_expired(now) {
        return invalid(Refusal::TokenExpired, "access_token has expired");
    }
    let main = world.main_site();
    // The endpoint lives on the main site: a token for another site (a private team's or a
    // cloud team's PAT) is not valid here, as v3 answers 401 for it (mock choice).
    if main.is_some_and(|site| !token.covers(site)) {
        return invalid(
            Refusal::TokenWrongSite,
            "access_token is not valid for the Enterprise main site",
        );
    }
    let Some(key) = key else {
        return Err(V2Error::refused(
            KeyRequired,
            Refusal::KeyMissing,
            "this method requires a key (form field, query parameter or X-API-Key header)",
        ));
    };
    if world.api_key(key).is_none() {
        return Err(V2Error::bad_parameter("key", "not a valid application key")
            .because(Refusal::KeyUnknown));
    }
    let denied = |reason, why: &str| {
        Err(V2Error::refused(
            AccessDenied,
            reason,
            format!(
                "usersync requires a write access token owned by an Admin of the Enterprise main site: {why}"
            ),
        ))
    };
    if token.kind == TokenKind::Service {
        return denied(
            Refusal::ServiceToken,
            "service application tokens are not accepted",
        );
    }
    if !token.write {
        return denied(Refusal::TokenReadOnly, "the access token is read-only");
    }
    let Some(main) = main else {
        return denied(
            Refusal::NoMainSite,
            "the fixtures have no Enterprise main site",
        );
    };
    match world.accounts.get(token.account_id) {
        Some(owner) if owner.is_deactivated => denied(
            Refusal::OwnerDeactivated,
            "the token's owner is deactivated",
        ),
        _ if main
            .user_by_account(token.account_id)
            .is_some_and(|u| u.role == Role::Admin) =>
        {
            Ok(key.to_string())
        }
        _ => denied(
            Refusal::NotMainSiteAdmin,
            "the token's owner is not an Admin of the Enterprise main site",
        ),
    }
}
