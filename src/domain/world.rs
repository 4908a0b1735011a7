//! The whole world: accounts (network-wide), sites, tokens and API keys.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AccountId, Images, Site, SiteKind};

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub account_id: AccountId,
    pub name: String,
    pub email: String,
    pub external_id: Option<String>,
    pub is_deactivated: bool,
    pub avatar_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiKey {
    pub key: String,
    pub description: String,
}

/// How a token was obtained; it decides which sites it covers (contract §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenKind {
    /// A personal access token, scoped to exactly one site.
    Pat,
    /// An Enterprise OAuth token: the main site and its private teams.
    Oauth,
    /// A service application's token (refused by usersync).
    Service,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub token: String,
    pub account_id: AccountId,
    pub kind: TokenKind,
    /// A site slug; `None` for an OAuth token.
    pub scope: Option<String>,
    pub write: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub description: String,
}

impl Token {
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }

    /// Whether this token may address `site`: a scoped token its one site; a token without a
    /// scope (OAuth) the Enterprise main site and its private teams.
    pub fn covers(&self, site: &Site) -> bool {
        match &self.scope {
            Some(scope) => *scope == site.slug,
            None => matches!(site.kind, SiteKind::Enterprise | SiteKind::PrivateTeam),
        }
    }
}

/// Accounts with the lookups usersync needs (external id and email, both case-insensitive).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accounts {
    by_id: BTreeMap<AccountId, Account>,
    by_external_id: HashMap<String, AccountId>,
    by_email: HashMap<String, AccountId>,
}

impl Accounts {
    pub fn insert(&mut self, account: Account) {
        if let Some(ext) = &account.external_id {
            self.by_external_id
                .entry(ext.to_lowercase())
                .or_insert(account.account_id);
        }
        self.by_email
            .entry(account.email.to_lowercase())
            .or_insert(account.account_id);
        self.by_id.insert(account.account_id, account);
    }

    pub fn get(&self, id: AccountId) -> Option<&Account> {
        self.by_id.get(&id)
    }

    pub fn by_external_id(&self, external_id: &str) -> Option<&Account> {
        self.by_external_id
            .get(&external_id.to_lowercase())
            .and_then(|id| self.by_id.get(id))
    }

    pub fn by_email(&self, email: &str) -> Option<&Account> {
        self.by_email
            .get(&email.to_lowercase())
            .and_then(|id| self.by_id.get(id))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Account> {
        self.by_id.values()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Everything the mock serves. Cloning is cheap: the big parts are shared until written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct World {
    pub api_keys: Arc<Vec<ApiKey>>,
    pub accounts: Arc<Accounts>,
    /// In fixture order: exports list sites as they were loaded.
    pub sites: Vec<Arc<Site>>,
    pub tokens: Arc<BTreeMap<String, Token>>,
    /// Uploaded images ([`super::images`]); not in fixtures, kept by snapshots.
    pub images: Arc<Images>,
}

impl World {
    pub fn site(&self, slug: &str) -> Option<&Site> {
        self.sites.iter().find(|s| s.slug == slug).map(|s| &**s)
    }

    /// The one site to write; copies it first if a snapshot or sandbox still shares it.
    pub fn site_mut(&mut self, slug: &str) -> Option<&mut Site> {
        self.sites
            .iter_mut()
            .find(|s| s.slug == slug)
            .map(Arc::make_mut)
    }

    /// The Enterprise main site, if the fixtures have one.
    pub fn main_site(&self) -> Option<&Site> {
        self.sites
            .iter()
            .find(|s| s.kind == SiteKind::Enterprise)
            .map(|s| &**s)
    }

    pub fn token(&self, token: &str) -> Option<&Token> {
        self.tokens.get(token)
    }

    pub fn api_key(&self, key: &str) -> Option<&ApiKey> {
        self.api_keys.iter().find(|k| k.key == key)
    }
}
