//! Why the mock refused a caller: one short, machine-readable reason per refusal, sent in the
//! mock-only response header `X-Mock-Reason` (mock choice; the real service sends no such
//! header) beside the real service's body, which stays as it is.
//!
//! Each edge's error type carries a [`Refusal`] and sets the header when it renders
//! (`V3Error`, `V2Error`, the mock's own `MockError`); the pipeline reads the header back for
//! the journal entry's `reason` and the request log for its `reason=` field
//! ([`Refusal::of`]). So the reason has one home, the answer, and nothing is allocated for it:
//! the header value is static, and an answer without a refusal costs one header lookup (none
//! unless its status is an error).
//!
//! README ("Why a refusal: `X-Mock-Reason`") lists every reason and when it is given,
//! docs/usersync.md and docs/control-api.md their own; [`Refusal::ALL`] is the list the OpenAPI
//! document declares.

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

/// The mock-only response header that names a refusal's reason.
pub const HEADER: HeaderName = HeaderName::from_static("x-mock-reason");
/// [`HEADER`] as the documents spell it.
pub const HEADER_NAME: &str = "X-Mock-Reason";

/// Why a request was refused; see the module docs. The variants' order is the documents'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// v3: no `Authorization` header (and no token anywhere else either).
    BearerMissing,
    /// v3: an `Authorization` header that is not `Bearer <token>` (`ada-rw`, `Basic …`,
    /// `Bearer` alone).
    BearerMalformed,
    /// v3: no `Authorization` header, but a token where usersync takes one (`?access_token=`,
    /// `X-API-Access-Token`), which v3 does not read.
    CredentialsInWrongPlace,
    /// usersync: no `access_token` anywhere (or only empty ones).
    AccessTokenMissing,
    /// Two different values of one usersync credential (`access_token` or `key`).
    CredentialsConflict,
    /// A token the instance never knew (or forgot: a reset, or more than 1000 revocations ago).
    TokenUnknown,
    /// A token revoked through the control API.
    TokenRevoked,
    /// A token past its `expiresAt` on the mock clock.
    TokenExpired,
    /// v3: an unknown cloud team slug under `/v3/teams/{team}` (the real service answers 401).
    TeamUnknown,
    /// A valid token that does not cover the addressed site (another team's PAT, an OAuth
    /// token on a cloud team, a cloud PAT on usersync).
    TokenWrongSite,
    /// usersync: no `key` anywhere.
    KeyMissing,
    /// usersync: a `key` that is not an API key of the fixtures.
    KeyUnknown,
    /// The token's owner is deactivated.
    OwnerDeactivated,
    /// v3: the token's owner is not a user of the addressed site.
    NotASiteUser,
    /// v3: an admin-only route, and the caller is not an admin of the site.
    AdminOnly,
    /// v3: a route for admins and moderators (the bulk joins and leaves of a community), and
    /// the caller is neither.
    ModeratorOnly,
    /// A write (v3) or usersync with a read-only token.
    TokenReadOnly,
    /// v3: a write on a Basic team, which is read-only whatever the token.
    BasicTeamReadOnly,
    /// v3: a content rule — editing, deleting or accepting on a post, article or collection
    /// the caller neither owns nor moderates (nor may edit as a listed editor).
    NotPostOwner,
    /// v3: a vote on the caller's own post.
    OwnPost,
    /// usersync: a `service` token.
    ServiceToken,
    /// usersync: the token's owner is not an `Admin` of the Enterprise main site.
    NotMainSiteAdmin,
    /// usersync: the fixtures have no Enterprise main site.
    NoMainSite,
    /// An injected 401, 402 or 403 (a fault rule or `X-Mock-Fault`).
    InjectedFault,
    /// Any route: a `Host` that is not a loopback name while the server listens on loopback.
    HostNotAllowed,
    /// Control API: an `Origin` that is not the server's own.
    OriginNotAllowed,
    /// Control API: the server has an admin token and no `X-Admin-Token` was sent.
    AdminTokenMissing,
    /// Control API: an `X-Admin-Token` that is not the server's.
    AdminTokenWrong,
}

impl Refusal {
    /// Every reason, in the documents' order.
    pub const ALL: [Refusal; 28] = [
        Refusal::BearerMissing,
        Refusal::BearerMalformed,
        Refusal::CredentialsInWrongPlace,
        Refusal::AccessTokenMissing,
        Refusal::CredentialsConflict,
        Refusal::TokenUnknown,
        Refusal::TokenRevoked,
        Refusal::TokenExpired,
        Refusal::TeamUnknown,
        Refusal::TokenWrongSite,
        Refusal::KeyMissing,
        Refusal::KeyUnknown,
        Refusal::OwnerDeactivated,
        Refusal::NotASiteUser,
        Refusal::AdminOnly,
        Refusal::ModeratorOnly,
        Refusal::TokenReadOnly,
        Refusal::BasicTeamReadOnly,
        Refusal::NotPostOwner,
        Refusal::OwnPost,
        Refusal::ServiceToken,
        Refusal::NotMainSiteAdmin,
        Refusal::NoMainSite,
        Refusal::InjectedFault,
        Refusal::HostNotAllowed,
        Refusal::OriginNotAllowed,
        Refusal::AdminTokenMissing,
        Refusal::AdminTokenWrong,
    ];

    /// The reason as the header, the journal and the logs spell it.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::BearerMissing => "bearer-missing",
            Refusal::BearerMalformed => "bearer-malformed",
            Refusal::CredentialsInWrongPlace => "credentials-in-wrong-place",
            Refusal::AccessTokenMissing => "access-token-missing",
            Refusal::CredentialsConflict => "credentials-conflict",
            Refusal::TokenUnknown => "token-unknown",
            Refusal::TokenRevoked => "token-revoked",
            Refusal::TokenExpired => "token-expired",
            Refusal::TeamUnknown => "team-unknown",
            Refusal::TokenWrongSite => "token-wrong-site",
            Refusal::KeyMissing => "key-missing",
            Refusal::KeyUnknown => "key-unknown",
            Refusal::OwnerDeactivated => "owner-deactivated",
            Refusal::NotASiteUser => "not-a-site-user",
            Refusal::AdminOnly => "admin-only",
            Refusal::ModeratorOnly => "moderator-only",
            Refusal::TokenReadOnly => "token-read-only",
            Refusal::BasicTeamReadOnly => "basic-team-read-only",
            Refusal::NotPostOwner => "not-post-owner",
            Refusal::OwnPost => "own-post",
            Refusal::ServiceToken => "service-token",
            Refusal::NotMainSiteAdmin => "not-main-site-admin",
            Refusal::NoMainSite => "no-main-site",
            Refusal::InjectedFault => "injected-fault",
            Refusal::HostNotAllowed => "host-not-allowed",
            Refusal::OriginNotAllowed => "origin-not-allowed",
            Refusal::AdminTokenMissing => "admin-token-missing",
            Refusal::AdminTokenWrong => "admin-token-wrong",
        }
    }

    /// Names the reason on an answer.
    pub fn set(self, headers: &mut HeaderMap) {
        headers.insert(HEADER, HeaderValue::from_static(self.reason()));
    }

    /// The reason an answer names, if any (only the mock's own values are read back). Every
    /// refusal is an error (a 4xx), so a success is not looked at: a 200 costs no header lookup
    /// (BENCHMARKS.md, "The hardening's costs").
    pub fn of(status: StatusCode, headers: &HeaderMap) -> Option<Refusal> {
        if status.as_u16() < 400 {
            return None;
        }
        let value = headers.get(HEADER)?.as_bytes();
        Refusal::ALL
            .into_iter()
            .find(|r| r.reason().as_bytes() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_is_distinct_short_kebab_case_and_reads_back() {
        let mut seen = std::collections::HashSet::new();
        for refusal in Refusal::ALL {
            let reason = refusal.reason();
            assert!(seen.insert(reason), "{reason} twice");
            assert!(
                reason.len() <= 32 && reason.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{reason}"
            );
            let mut headers = HeaderMap::new();
            refusal.set(&mut headers);
            assert_eq!(Refusal::of(StatusCode::FORBIDDEN, &headers), Some(refusal));
        }
    }

    #[test]
    fn an_answer_without_the_header_or_with_a_foreign_value_names_none() {
        assert_eq!(
            Refusal::of(StatusCode::UNAUTHORIZED, &HeaderMap::new()),
            None
        );
        let mut headers = HeaderMap::new();
        headers.insert(HEADER, HeaderValue::from_static("made-up"));
        assert_eq!(Refusal::of(StatusCode::UNAUTHORIZED, &headers), None);
    }

    #[test]
    fn a_success_names_no_reason_and_is_not_looked_at() {
        let mut headers = HeaderMap::new();
        Refusal::TokenExpired.set(&mut headers);
        assert_eq!(Refusal::of(StatusCode::OK, &headers), None);
        assert_eq!(
            Refusal::of(StatusCode::UNAUTHORIZED, &headers),
            Some(Refusal::TokenExpired)
        );
    }
}
