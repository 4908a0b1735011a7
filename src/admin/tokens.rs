//! Tokens (mint, revoke), the mock clock, and rate-limit enforcement (contract §5).

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::{AdminJson, AdminResult};
use crate::clock;
use crate::domain::{Token, TokenError, TokenKind};
use crate::instance::Instance;
use crate::problem::{ErrorBody, MockError, Problem};
use crate::routes;
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes<AppState> {
    Routes::new()
        .routes(routes!(tokens_mint))
        .routes(routes!(tokens_revoke))
        .routes(routes!(clock_get, clock_set, clock_reset))
        .routes(routes!(clock_advance))
        .routes(routes!(rate_limits_get, rate_limits_set))
}

/// A PAT lasts 24 hours unless told otherwise, like the one Swagger UI creates.
const DEFAULT_LIFETIME: Duration = Duration::hours(24);

/// Distinguishes an absent field (default) from `null` (never expires).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MintRequest {
    /// The owner.
    #[schema(example = 1001)]
    pub account_id: u32,
    /// `pat` (default), `oauth` or `service`.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "pat")]
    pub kind: Option<TokenKind>,
    /// A site slug; required for `pat` and `service`, left out for `oauth`.
    #[serde(default)]
    #[schema(example = "main")]
    pub scope: Option<String>,
    /// Write access (default false).
    #[serde(default)]
    pub write: bool,
    /// RFC 3339 within the clock's range (1970 to 9999); `null` = never; absent = 24 hours
    /// from now on the mock clock (at most the end of its range).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<Option<DateTime<Utc>>>,
    /// The token string (default: a new random one).
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A minted token. The only answer that shows a token in full: the journal keeps requests,
/// not answers.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenView {
    pub token: String,
    pub account_id: u32,
    #[schema(value_type = String, example = "pat")]
    pub kind: TokenKind,
    pub scope: Option<String>,
    pub write: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub description: String,
}

/// Mints a token, like creating a PAT in Swagger UI; it works at once on v3 and usersync.
#[utoipa::path(post, path = "/__admin/tokens", tag = super::TAG, request_body = MintRequest,
    responses(
        (status = 201, description = "Minted", body = TokenView),
        (status = 400, description = "Bad owner, kind, scope or expiresAt; a token over 256 bytes or a description over 1024 characters", body = ErrorBody),
        (status = 409, description = "The chosen token string exists, or the world has 10,000 tokens", body = ErrorBody),
    ))]
pub async fn tokens_mint(
    inst: Instance,
    AdminJson(req): AdminJson<MintRequest>,
) -> AdminResult<(StatusCode, Json<TokenView>)> {
    if let Some(Some(at)) = req.expires_at
        && !clock::in_range(at)
    {
        return Err(out_of_clock_range(
            "$.expiresAt",
            format!("{at:?} is outside it"),
        ));
    }
    let token = Token {
        token: req.token.unwrap_or_else(|| {
            format!(
                "mock-{:016x}{:016x}",
                crate::random::fresh_u64(),
                crate::random::fresh_u64()
            )
        }),
        account_id: req.account_id,
        kind: req.kind.unwrap_or(TokenKind::Pat),
        scope: req.scope,
        write: req.write,
        expires_at: req
            .expires_at
            .unwrap_or_else(|| Some(clock::saturating_add(inst.store.now(), DEFAULT_LIFETIME))),
        description: req
            .description
            .unwrap_or_else(|| "minted through the control API".into()),
    };
    inst.store
        .update(|w| w.mint_token(token.clone()))
        .map_err(|e| match e {
            TokenError::Duplicate(_) | TokenError::TooMany => {
                MockError::new(StatusCode::CONFLICT, e.to_string())
            }
            _ => MockError::bad_request(e.to_string()),
        })?;
    inst.revoked.forget(&token.token);
    let view = TokenView {
        token: token.token,
        account_id: token.account_id,
        kind: token.kind,
        scope: token.scope,
        write: token.write,
        expires_at: token.expires_at,
        description: token.description,
    };
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {
    #[schema(example = "bob-ro")]
    pub token: String,
}

/// Revokes a token: from now on it is refused like an unknown one (401 on v3, 402 on
/// usersync), with the reason `token-revoked` (the instance remembers its last 1000
/// revocations until a reset). The token goes in the body, not the path, so it never shows in
/// a URL or a log line.
#[utoipa::path(post, path = "/__admin/tokens/revoke", tag = super::TAG, request_body = RevokeRequest,
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No such token", body = ErrorBody),
    ))]
pub async fn tokens_revoke(
    inst: Instance,
    AdminJson(req): AdminJson<RevokeRequest>,
) -> AdminResult<StatusCode> {
    match inst.store.update(|w| w.revoke_token(&req.token)) {
        Some(_) => {
            inst.revoked.remember(&req.token);
            Ok(StatusCode::NO_CONTENT)
        }
        None => Err(MockError::not_found(format!(
            "no token {}",
            crate::credentials::mask(&req.token)
        ))),
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClockView {
    pub now: DateTime<Utc>,
    /// How far the mock clock is from real time, in whole seconds truncated toward zero
    /// (0 = real time); after a reset, exactly the sum of the advances.
    pub offset_seconds: i64,
}

fn clock_view(inst: &Instance) -> Json<ClockView> {
    Json(ClockView {
        now: inst.store.now(),
        offset_seconds: inst.store.clock.offset_seconds(),
    })
}

/// 400 naming the field and the clock's range.
fn out_of_clock_range(field: &str, reason: String) -> MockError {
    MockError::with_problems(
        format!("{field} is out of the clock's range, {}", clock::RANGE),
        vec![Problem::new(field, reason)],
    )
}

/// The instance's clock, which decides token expiry and the timestamps the mock writes.
#[utoipa::path(get, path = "/__admin/clock", tag = super::TAG,
    responses((status = 200, description = "The clock", body = ClockView)))]
pub async fn clock_get(inst: Instance) -> Json<ClockView> {
    clock_view(&inst)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetClock {
    /// RFC 3339, from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z; the clock keeps
    /// ticking from there (and never reads before it).
    pub now: DateTime<Utc>,
}

/// Sets the clock.
#[utoipa::path(put, path = "/__admin/clock", tag = super::TAG, request_body = SetClock,
    responses(
        (status = 200, description = "Set", body = ClockView),
        (status = 400, description = "Not an RFC 3339 time, or out of the clock's range", body = ErrorBody),
    ))]
pub async fn clock_set(
    inst: Instance,
    AdminJson(req): AdminJson<SetClock>,
) -> AdminResult<Json<ClockView>> {
    inst.store
        .clock
        .set(req.now)
        .map_err(|e| out_of_clock_range("$.now", format!("{:?} is {e}", req.now)))?;
    Ok(clock_view(&inst))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvanceClock {
    /// Whole seconds to move forward (negative moves back); the result must stay in the
    /// clock's range (1970 to 9999).
    #[schema(value_type = i64, example = 86400)]
    pub seconds: serde_json::Number,
}

/// Moves the clock forward (or back).
#[utoipa::path(post, path = "/__admin/clock/advance", tag = super::TAG, request_body = AdvanceClock,
    responses(
        (status = 200, description = "Advanced", body = ClockView),
        (status = 400, description = "Bad body, or a move out of the clock's range", body = ErrorBody),
    ))]
pub async fn clock_advance(
    inst: Instance,
    AdminJson(req): AdminJson<AdvanceClock>,
) -> AdminResult<Json<ClockView>> {
    // Read as any JSON number, so that a fraction or a huge value is refused with the range.
    let seconds = req.seconds.as_i64().ok_or_else(|| {
        let reason = format!("must be an integer number of seconds, not {}", req.seconds);
        out_of_clock_range("$.seconds", reason)
    })?;
    inst.store.clock.advance(seconds).map_err(|e| {
        out_of_clock_range("$.seconds", format!("moving by {seconds} s would go {e}"))
    })?;
    Ok(clock_view(&inst))
}

/// Back to real time.
#[utoipa::path(delete, path = "/__admin/clock", tag = super::TAG,
    responses((status = 200, description = "Real time again", body = ClockView)))]
pub async fn clock_reset(inst: Instance) -> Json<ClockView> {
    inst.store.clock.reset();
    clock_view(&inst)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimits {
    /// Whether a token with no calls left gets 429 with `Retry-After` (the headers are always sent).
    pub enforced: bool,
}

#[utoipa::path(get, path = "/__admin/rate-limits", tag = super::TAG,
    responses((status = 200, description = "Enforcement", body = RateLimits)))]
pub async fn rate_limits_get(inst: Instance) -> Json<RateLimits> {
    Json(RateLimits {
        enforced: inst.rate_limits_enforced(),
    })
}

/// Switches rate-limit enforcement on or off for this instance.
#[utoipa::path(put, path = "/__admin/rate-limits", tag = super::TAG, request_body = RateLimits,
    responses(
        (status = 200, description = "Set", body = RateLimits),
        (status = 400, description = "Bad body", body = ErrorBody),
    ))]
pub async fn rate_limits_set(
    inst: Instance,
    AdminJson(req): AdminJson<RateLimits>,
) -> Json<RateLimits> {
    inst.enforce_rate_limits(req.enforced);
    Json(RateLimits {
        enforced: inst.rate_limits_enforced(),
    })
}
