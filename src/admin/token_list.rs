//! `GET /__admin/tokens`: the PAT list, as the real service's "Personal access tokens" page
//! shows it: every token with its code masked, since a code is shown once, when it is minted
//! (`POST /__admin/tokens`, or Swagger UI's Authorize, [`crate::oauth`]), and never again.

use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::credentials::mask;
use crate::domain::TokenKind;
use crate::instance::Instance;
use crate::routes;
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes<AppState> {
    Routes::new().routes(routes!(tokens_list))
}

/// One token of the list; its code masked.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListedToken {
    /// The code's first characters, never the whole code.
    #[schema(example = "ada…")]
    pub masked: String,
    pub account_id: u32,
    /// The owner's display name.
    #[schema(example = "Ada Admin")]
    pub owner: String,
    #[schema(value_type = String, example = "pat")]
    pub kind: TokenKind,
    /// The site a `pat` or `service` token covers; `null` for `oauth` (the Enterprise main
    /// site and its private teams).
    pub scope: Option<String>,
    pub write: bool,
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether it has expired on the instance's mock clock.
    pub expired: bool,
    #[schema(example = "Created by Swagger UI")]
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    /// Sorted by owner, then site, then expiry.
    pub tokens: Vec<ListedToken>,
}

/// Lists the tokens with their codes masked, like the real PAT list.
#[utoipa::path(get, path = "/__admin/tokens", tag = super::TAG,
    responses((status = 200, description = "The tokens, codes masked", body = TokenList)))]
pub async fn tokens_list(inst: Instance) -> Json<TokenList> {
    let now = inst.store.now();
    let mut tokens: Vec<ListedToken> = inst.store.read(|w| {
        w.tokens
            .values()
            .map(|t| ListedToken {
                masked: mask(&t.token),
                account_id: t.account_id,
                owner: w
                    .accounts
                    .get(t.account_id)
                    .map_or_else(String::new, |a| a.name.clone()),
                kind: t.kind,
                scope: t.scope.clone(),
                write: t.write,
                expires_at: t.expires_at,
                expired: t.is_expired(now),
                description: t.description.clone(),
            })
            .collect()
    });
    tokens.sort_by(|a, b| {
        (a.account_id, &a.scope, a.expires_at).cmp(&(b.account_id, &b.scope, b.expires_at))
    });
    Json(TokenList { tokens })
}
