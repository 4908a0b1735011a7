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
}

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
