//! Who may call usersync (contract §4): the help article asks for an access token "owned by a
//! site administrator" and rejects "access tokens owned by regular users, or community service
//! applications".
//!
//! The checks run in this order, and the first that fails answers (mock choice; the real API
//! validates the token, then the application key, then the method's permission):
//! a body that could not be read 400 (checked first by the handler: it may hold the credentials)
//! → no token 401 → unknown, expired or not-for-this-site token 402 → no key 405 → unknown key
//! 400 → not allowed 403. The quota (502) and the parameters (400) come after, in the handler.

use chrono::{DateTime, Utc};

use super::error::V2Error;
use super::request::UsersyncCall;
use crate::domain::{Role, TokenKind, World};

/// Authorizes a usersync call and returns its application key (the quota's unit).
pub fn authorize(
    world: &World,
    call: &UsersyncCall,
    now: DateTime<Utc>,
) -> Result<String, V2Error> {
    let Some(token) = call.access_token() else {
        return Err(V2Error::AccessTokenRequired(
            "this method requires an access_token (form field, query parameter or X-API-Access-Token header)".into(),
        ));
    };
    // Revoked tokens are gone from the world, so they are unknown here too.
    let token = world
        .token(token)
        .ok_or_else(|| V2Error::InvalidAccessToken("access_token is not valid".into()))?;
    if token.is_expired(now) {
        return Err(V2Error::InvalidAccessToken(
            "access_token has expired".into(),
        ));
    }
    let main = world.main_site();
    // The endpoint lives on the main site: a token for another site (a private team's or a
    // cloud team's PAT) is not valid here, as v3 answers 401 for it (mock choice).
    if main.is_some_and(|site| !token.covers(site)) {
        return Err(V2Error::InvalidAccessToken(
            "access_token is not valid for the Enterprise main site".into(),
        ));
    }
    let Some(key) = call.key() else {
        return Err(V2Error::KeyRequired(
            "this method requires a key (form field, query parameter or X-API-Key header)".into(),
        ));
    };
    if world.api_key(key).is_none() {
        return Err(V2Error::bad_parameter("key", "not a valid application key"));
    }
    let denied = |why: &str| {
        Err(V2Error::AccessDenied(format!(
            "usersync requires a write access token owned by an Admin of the Enterprise main site: {why}"
        )))
    };
    if token.kind == TokenKind::Service {
        return denied("service application tokens are not accepted");
    }
    if !token.write {
        return denied("the access token is read-only");
    }
    let Some(main) = main else {
        return denied("the fixtures have no Enterprise main site");
    };
    match world.accounts.get(token.account_id) {
        Some(owner) if owner.is_deactivated => denied("the token's owner is deactivated"),
        _ if main
            .user_by_account(token.account_id)
            .is_some_and(|u| u.role == Role::Admin) =>
        {
            Ok(key.to_string())
        }
        _ => denied("the token's owner is not an Admin of the Enterprise main site"),
    }
}
