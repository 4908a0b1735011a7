//! Minting and revoking tokens at run time (control API), checked as a fixture token would be.

use std::sync::Arc;

use super::{Token, TokenKind, World};

/// Why a token cannot be minted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("token {0:?} already exists")]
    Duplicate(String),
    #[error("the token must not be empty")]
    Empty,
    #[error("owner {0} is not an account")]
    UnknownOwner(u32),
    #[error("a {0} token needs a scope (a site slug)")]
    ScopeRequired(&'static str),
    #[error("scope {0:?} is not a site")]
    UnknownScope(String),
    #[error("the token is {0} bytes long; at most {MAX_TOKEN_LEN} are accepted (mock limit)")]
    TooLong(usize),
    #[error(
        "the description is {0} characters long; at most {MAX_DESCRIPTION_LEN} are accepted (mock limit)"
    )]
    DescriptionTooLong(usize),
    #[error(
        "there are {MAX_TOKENS} tokens, the most one world keeps (mock limit): revoke some first"
    )]
    TooMany,
}

/// Tokens one world keeps, fixtures' and minted (mock limit, README "Limits").
pub const MAX_TOKENS: usize = 10_000;
/// The longest token string accepted, in bytes (mock limit).
pub const MAX_TOKEN_LEN: usize = 256;
/// The longest token description accepted, in characters (mock limit).
pub const MAX_DESCRIPTION_LEN: usize = 1024;

impl TokenKind {
    pub fn name(self) -> &'static str {
        match self {
            TokenKind::Pat => "pat",
            TokenKind::Oauth => "oauth",
            TokenKind::Service => "service",
        }
    }
}

impl World {
    /// Adds a token; it works at once on every API that accepts tokens.
    pub fn mint_token(&mut self, token: Token) -> Result<(), TokenError> {
        if token.token.is_empty() {
            return Err(TokenError::Empty);
        }
        if token.token.len() > MAX_TOKEN_LEN {
            return Err(TokenError::TooLong(token.token.len()));
        }
        let description = token.description.chars().count();
        if description > MAX_DESCRIPTION_LEN {
            return Err(TokenError::DescriptionTooLong(description));
        }
        if self.tokens.contains_key(&token.token) {
            return Err(TokenError::Duplicate(token.token));
        }
        if self.accounts.get(token.account_id).is_none() {
            return Err(TokenError::UnknownOwner(token.account_id));
        }
        match (&token.scope, token.kind) {
            (None, TokenKind::Pat | TokenKind::Service) => {
                return Err(TokenError::ScopeRequired(token.kind.name()));
            }
            (Some(scope), _) if self.site(scope).is_none() => {
                return Err(TokenError::UnknownScope(scope.clone()));
            }
            _ => {}
        }
        if self.tokens.len() >= MAX_TOKENS {
            return Err(TokenError::TooMany);
        }
        Arc::make_mut(&mut self.tokens).insert(token.token.clone(), token);
        Ok(())
    }

    /// Removes a token; `None` when there was none. A revoked token answers like an unknown one.
    pub fn revoke_token(&mut self, token: &str) -> Option<Token> {
        if !self.tokens.contains_key(token) {
            return None;
        }
        Arc::make_mut(&mut self.tokens).remove(token)
    }
}
