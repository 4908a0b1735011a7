//! The v3 edge's one error type and its wire shapes (contract §3 "Errors"):
//! `text/plain` 401s, ProblemDetails for domain errors, and ASP.NET's validation shape for
//! bad input. Domain errors and extractor rejections are mapped here, in one place. A 401 or
//! 403 carries its [`Refusal`], sent as the mock-only `X-Mock-Reason` header beside the real
//! service's body.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{DomainError, IdKind};
use crate::refusal::Refusal;

/// RFC 7807 problem details, as the v3 API returns them.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ProblemDetails {
    #[serde(rename = "type")]
    #[schema(nullable, example = "/v3/errors/user-group/not-found")]
    pub type_: Option<String>,
    #[schema(nullable)]
    pub title: Option<String>,
    #[schema(nullable)]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable)]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable)]
    pub instance: Option<String>,
    /// ASP.NET model validation: field name → messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
    /// ASP.NET model validation: a W3C trace id.
    #[serde(rename = "traceId", skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
}

/// Every way a v3 request can fail.
#[derive(Debug, Clone, PartialEq)]
pub enum V3Error {
    /// 401 `text/plain`: no, malformed, unknown, expired or revoked token; a token not valid
    /// for the site; an unknown cloud team.
    Unauthorized(Refusal),
    /// 403 `Forbidden Action`, with a `detail` when the real service gives one.
    Forbidden {
        reason: Refusal,
        detail: Option<String>,
    },
    /// 400 in ASP.NET's model-validation shape, one entry per bad field.
    Validation(BTreeMap<String, Vec<String>>),
    /// Any other status with a ProblemDetails body (boxed: errors travel in every `Result` of
    /// the edge, so the enum stays small).
    Problem(StatusCode, Box<ProblemDetails>),
    /// 429 with `Retry-After`.
    TooManyRequests { retry_after: u64 },
}

pub type V3Result<T> = Result<T, V3Error>;

impl V3Error {
    pub fn problem(status: StatusCode, type_: &str, title: &str, detail: Option<String>) -> Self {
        V3Error::Problem(
            status,
            Box::new(ProblemDetails {
                type_: Some(type_.to_string()),
                title: Some(title.to_string()),
                status: Some(status.as_u16()),
                detail,
                instance: None,
                errors: None,
                trace_id: None,
            }),
        )
    }

    /// The real service's body for a write with a read-only token, a write on a Basic team,
    /// or an admin-only route called by a non-admin.
    pub fn forbidden(reason: Refusal) -> Self {
        V3Error::Forbidden {
            reason,
            detail: None,
        }
    }

    /// 403 with a `detail`: deactivated owner, owner not a user of the site.
    pub fn forbidden_because(reason: Refusal, detail: impl Into<String>) -> Self {
        V3Error::Forbidden {
            reason,
            detail: Some(detail.into()),
        }
    }

    pub fn not_found(area: &str, title: &str, detail: impl Into<String>) -> Self {
        Self::problem(
            StatusCode::NOT_FOUND,
            &format!("/v3/errors/{area}/not-found"),
            title,
            Some(detail.into()),
        )
    }

    /// 400 for one bad field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        V3Error::Validation(BTreeMap::from([(field.to_string(), vec![message.into()])]))
    }

    /// 400 naming every id of a body that is not a user of the site (mock choice: the excerpt
    /// declares a 400 but not its body). Ids below 1 are named too, as the client sent them.
    pub fn unknown_users<T: ToString>(ids: &[T]) -> Self {
        Self::problem(
            StatusCode::BAD_REQUEST,
            "/v3/errors/users/not-found",
            "Invalid user IDs",
            Some(format!("Users not found on this site: {}", join(ids))),
        )
    }

    /// 400 naming every id of a body that is not a user group of the site (mock choice).
    pub fn unknown_groups<T: ToString>(ids: &[T]) -> Self {
        Self::problem(
            StatusCode::BAD_REQUEST,
            "/v3/errors/user-groups/not-found",
            "Invalid user group IDs",
            Some(format!("User groups not found on this site: {}", join(ids))),
        )
    }

    /// A 500 that says what went wrong inside the mock (never on a client's input).
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "/v3/errors/internal",
            "Internal Server Error",
            Some(detail.into()),
        )
    }

    /// A 404 for a path that has no route.
    pub fn no_route(method: &str, path: &str) -> Self {
        Self::problem(
            StatusCode::NOT_FOUND,
            "/v3/errors/not-found",
            "Not Found",
            Some(format!("No route matches {method} {path}")),
        )
    }

    pub fn status(&self) -> StatusCode {
        match self {
            V3Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            V3Error::Forbidden { .. } => StatusCode::FORBIDDEN,
            V3Error::Validation(_) => StatusCode::BAD_REQUEST,
            V3Error::Problem(status, _) => *status,
            V3Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

impl From<DomainError> for V3Error {
    fn from(e: DomainError) -> Self {
        let detail = Some(e.to_string());
        match e {
            DomainError::TagNotFound(id) => {
                V3Error::not_found("tag", "Tag not found", format!("Tag {id} not found"))
            }
            DomainError::UserNotFound(id) => {
                V3Error::not_found("user", "User not found", format!("User ID {id} not found"))
            }
            DomainError::GroupNotFound(id) => V3Error::not_found(
                "user-group",
                "User group not found",
                format!("User group {id} not found"),
            ),
            DomainError::MembershipNotFound { group, user } => V3Error::problem(
                StatusCode::NOT_FOUND,
                "/v3/errors/user-group/member-not-found",
                "User group or user not found",
                Some(format!("User {user} is not a member of user group {group}")),
            ),
            DomainError::SmesDisabled => V3Error::problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "/v3/errors/subject-matter-experts/not-enabled",
                "Subject matter experts feature not enabled",
                detail,
            ),
            DomainError::CommunityNotFound(id) => V3Error::not_found(
                "community",
                "Community not found",
                format!("Community {id} not found"),
            ),
            DomainError::ImageNotFound(id) => {
                V3Error::not_found("image", "Image not found", format!("Image {id} not found"))
            }
            // Mock choice: a 409, as for spent ids: the instance's state, not the image, stops it.
            DomainError::ImageStoreFull(_) => V3Error::problem(
                StatusCode::CONFLICT,
                "/v3/errors/image/store-full",
                "Image store full",
                detail,
            ),
            DomainError::UnknownUsers(ids) => V3Error::unknown_users(&ids),
            DomainError::UnknownGroups(ids) => V3Error::unknown_groups(&ids),
            DomainError::DuplicateGroupName(_) => V3Error::problem(
                StatusCode::BAD_REQUEST,
                "/v3/errors/user-group/duplicate-name",
                "User group name already in use",
                detail,
            ),
            DomainError::EmptyGroupName => V3Error::invalid(
                "Name",
                "The field Name must be a string with a minimum length of '1'.",
            ),
            // Mock choice: a 409 (the site's state, not the request, is what stops it), rather
            // than the 500 an int32 identity column would give the real service.
            DomainError::IdsExhausted(kind) => V3Error::problem(
                StatusCode::CONFLICT,
                match kind {
                    IdKind::UserGroup => "/v3/errors/user-group/ids-exhausted",
                    IdKind::SiteUser => "/v3/errors/user/ids-exhausted",
                    IdKind::Tag => "/v3/errors/tag/ids-exhausted",
                    IdKind::Post => "/v3/errors/post/ids-exhausted",
                    IdKind::Comment => "/v3/errors/comment/ids-exhausted",
                    IdKind::Collection => "/v3/errors/collection/ids-exhausted",
                },
                "No id left",
                detail,
            ),
            DomainError::QuestionNotFound(id) => V3Error::not_found(
                "question",
                "Question not found",
                format!("Question {id} not found"),
            ),
            DomainError::AnswerNotFound(id) => V3Error::not_found(
                "answer",
                "Answer not found",
                format!("Answer {id} not found"),
            ),
            DomainError::ArticleNotFound(id) => V3Error::not_found(
                "article",
                "Article not found",
                format!("Article {id} not found"),
            ),
            DomainError::CollectionNotFound(id) => V3Error::not_found(
                "collection",
                "Collection not found",
                format!("Collection {id} not found"),
            ),
            // A moderator reads a deleted post; writing on it is refused as on a closed one.
            DomainError::PostDeleted(_) | DomainError::QuestionClosed(_) => V3Error::problem(
                StatusCode::BAD_REQUEST,
                "/v3/errors/post/not-writable",
                "The post cannot be changed",
                detail,
            ),
            DomainError::NotAccepted(_) => V3Error::problem(
                StatusCode::BAD_REQUEST,
                "/v3/errors/answer/not-accepted",
                "The answer is not the accepted answer",
                detail,
            ),
            DomainError::OwnPost => V3Error::forbidden_because(Refusal::OwnPost, e.to_string()),
            DomainError::NotAllowed(_) => {
                V3Error::forbidden_because(Refusal::NotPostOwner, e.to_string())
            }
            DomainError::InvalidField { field, message } => V3Error::invalid(field, message),
            // The limits of what one instance holds: the state, not the request, stops it.
            DomainError::LimitReached { .. } => V3Error::problem(
                StatusCode::CONFLICT,
                "/v3/errors/limit-reached",
                "A limit of the mock is reached",
                detail,
            ),
            DomainError::UnknownPosts(ids) => V3Error::invalid(
                "ContentIds",
                format!("No question or article with id {}", join(&ids)),
            ),
        }
    }
}

fn join<T: ToString>(ids: &[T]) -> String {
    ids.iter().map(T::to_string).collect::<Vec<_>>().join(", ")
}

/// A W3C trace id, as ASP.NET puts in `traceId`.
fn trace_id() -> String {
    use crate::random::fresh_u64;
    format!(
        "00-{:016x}{:016x}-{:016x}-00",
        fresh_u64(),
        fresh_u64(),
        fresh_u64()
    )
}

impl IntoResponse for V3Error {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            V3Error::Unauthorized(reason) => {
                let mut res = (
                    status,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    "Invalid access token",
                )
                    .into_response();
                reason.set(res.headers_mut());
                res
            }
            V3Error::Forbidden { reason, detail } => {
                let body = ProblemDetails {
                    type_: Some("/v3/errors/forbidden".into()),
                    title: Some("Forbidden Action".into()),
                    status: Some(403),
                    detail,
                    instance: None,
                    errors: None,
                    trace_id: None,
                };
                let mut res = (status, axum::Json(body)).into_response();
                reason.set(res.headers_mut());
                res
            }
            V3Error::Validation(errors) => {
                let body = ProblemDetails {
                    type_: Some("https://tools.ietf.org/html/rfc7231#section-6.5.1".into()),
                    title: Some("One or more validation errors occurred.".into()),
                    status: Some(400),
                    detail: None,
                    instance: None,
                    errors: Some(errors),
                    trace_id: Some(trace_id()),
                };
                (status, axum::Json(body)).into_response()
            }
            V3Error::Problem(_, body) => (status, axum::Json(*body)).into_response(),
            V3Error::TooManyRequests { retry_after } => {
                let body = ProblemDetails {
                    type_: Some("/v3/errors/throttle/too-many-requests".into()),
                    title: Some("Too many requests".into()),
                    status: Some(429),
                    detail: Some(format!(
                        "Rate limit exceeded; retry after {retry_after} seconds"
                    )),
                    instance: None,
                    errors: None,
                    trace_id: None,
                };
                let mut res = (status, axum::Json(body)).into_response();
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
                res
            }
        }
    }
}
