//! What an approved Swagger UI authorization does to the world: Swagger UI's own PAT for one
//! account and one site, as the help article describes it ("Created by Swagger UI", one per
//! team authorized, 24 hours). Plain Rust on the [`World`], unit tested here.

use chrono::{DateTime, Duration, Utc};

use crate::clock;
use crate::domain::{AccountId, SiteKind, Token, TokenError, TokenKind, World};

/// The description of every PAT Swagger UI creates, as the real PAT list shows it.
pub const DESCRIPTION: &str = "Created by Swagger UI";
/// How long such a PAT lives, in seconds (the fragment's `expires_in`).
pub const LIFETIME_SECONDS: i64 = 24 * 60 * 60;

/// A site the signing-in account may authorize, as the consent page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub slug: String,
    pub name: String,
    pub kind: SiteKind,
    /// Whether the site takes writes at all (never a Basic team).
    pub writable: bool,
}

/// The sites `account` is a user of, in the world's order.
pub fn choices(world: &World, account: AccountId) -> Vec<Choice> {
    world
        .sites
        .iter()
        .filter(|s| s.users.values().any(|u| u.account_id == account))
        .map(|s| Choice {
            slug: s.slug.clone(),
            name: s.name.clone(),
            kind: s.kind,
            writable: s.kind != SiteKind::Basic,
        })
        .collect()
}

/// Mints Swagger UI's PAT for `account` on `site` (one of [`choices`]): writable when
/// `write_access` was granted and the site takes writes, expiring 24 hours from `now`. An
/// earlier Swagger UI PAT of the same account and site is replaced: the list keeps one entry,
/// the 24-hour window starts again, and the code changes (mock choice: a code is shown once,
/// so renewing hands out a new one and the old one stops working).
pub fn authorize(
    world: &mut World,
    account: AccountId,
    site: &Choice,
    write_access: bool,
    now: DateTime<Utc>,
) -> Result<Token, TokenError> {
    let earlier: Vec<String> = world
        .tokens
        .values()
        .filter(|t| {
            t.kind == TokenKind::Pat
                && t.account_id == account
                && t.scope.as_deref() == Some(site.slug.as_str())
                && t.description == DESCRIPTION
        })
        .map(|t| t.token.clone())
        .collect();
    let token = Token {
        token: format!(
            "swagger-{:016x}{:016x}",
            crate::random::fresh_u64(),
            crate::random::fresh_u64()
        ),
        account_id: account,
        kind: TokenKind::Pat,
        scope: Some(site.slug.clone()),
        write: write_access && site.writable,
        expires_at: Some(clock::saturating_add(
            now,
            Duration::seconds(LIFETIME_SECONDS),
        )),
        description: DESCRIPTION.into(),
    };
    for code in &earlier {
        world.revoke_token(code);
    }
    world.mint_token(token.clone())?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> World {
        crate::fixtures::load(&crate::fixtures::FixtureSource::Default)
            .expect("the default fixtures load")
    }

    fn choice(w: &World, account: AccountId, slug: &str) -> Choice {
        choices(w, account)
            .into_iter()
            .find(|c| c.slug == slug)
            .unwrap_or_else(|| panic!("{account} may authorize {slug}"))
    }

    #[test]
    fn an_account_chooses_among_the_sites_it_is_a_user_of() {
        let w = world();
        let slugs: Vec<String> = choices(&w, 1002).into_iter().map(|c| c.slug).collect();
        assert!(slugs.contains(&"productone".to_string()), "{slugs:?}");
        assert!(!slugs.contains(&"legal".to_string()), "Bob is not on legal");
        assert!(choices(&w, 1038).is_empty(), "Otto is a user of no site");
    }

    #[test]
    fn the_pat_is_writable_only_with_write_access_on_a_site_that_takes_writes() {
        let mut w = world();
        let now = Utc::now();
        let productone = choice(&w, 1001, "productone");
        let pat = authorize(&mut w, 1001, &productone, true, now).unwrap();
        assert!(pat.write);
        assert_eq!(pat.expires_at, Some(now + Duration::hours(24)));
        assert_eq!(pat.description, DESCRIPTION);
        let read_only = authorize(&mut w, 1001, &productone, false, now).unwrap();
        assert!(!read_only.write);
        let startup = choice(&w, 1035, "startup");
        assert!(!startup.writable);
        assert!(!authorize(&mut w, 1035, &startup, true, now).unwrap().write);
    }

    #[test]
    fn authorizing_again_renews_the_one_pat_of_an_account_and_site_with_a_new_code() {
        let mut w = world();
        let now = Utc::now();
        let site = choice(&w, 1001, "productone");
        let first = authorize(&mut w, 1001, &site, true, now).unwrap();
        let later = now + Duration::hours(5);
        let second = authorize(&mut w, 1001, &site, true, later).unwrap();
        assert_ne!(first.token, second.token);
        assert!(w.token(&first.token).is_none(), "the old code is revoked");
        assert_eq!(second.expires_at, Some(later + Duration::hours(24)));
        let swagger = w
            .tokens
            .values()
            .filter(|t| t.description == DESCRIPTION)
            .count();
        assert_eq!(swagger, 1);
        let main = choice(&w, 1001, "main");
        authorize(&mut w, 1001, &main, false, now).unwrap();
        let swagger = w
            .tokens
            .values()
            .filter(|t| t.description == DESCRIPTION)
            .count();
        assert_eq!(swagger, 2, "one per site");
    }
}
