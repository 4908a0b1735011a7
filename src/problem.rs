//! A validation problem: where in a document something is wrong, and why. Fixtures, state
//! imports, fault rules, the `X-Mock-Fault` header and control-API bodies all report their
//! problems this way, every problem at once, each with its JSON path.

use std::fmt;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::refusal::Refusal;

/// One thing wrong with an input: where (a JSON path such as `$.sites[0].users[3]`, or a
/// header or file name), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub reason: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// The mock's own error answer, for what is not the emulated API's to answer: the control
/// API's errors, a bad `X-Mock-Fault` header, an unknown sandbox, a refused `Host`.
#[derive(Debug, Clone)]
pub struct MockError {
    pub status: StatusCode,
    pub error: String,
    pub problems: Vec<Problem>,
    /// Why the caller was refused (a 401 or 403), sent as `X-Mock-Reason`.
    pub reason: Option<Refusal>,
}

/// The mock's own error body: `{"error": "...", "problems": [{"path", "reason"}]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in one sentence.
    pub error: String,
    /// Each problem with its JSON path (bad rules, bad state documents).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ProblemBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemBody {
    #[schema(example = "$.sites[0].users[3].accountId")]
    pub path: String,
    pub reason: String,
}

impl MockError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> Self {
        MockError {
            status,
            error: error.into(),
            problems: Vec::new(),
            reason: None,
        }
    }

    /// A refusal of the caller, naming its reason.
    pub fn refused(status: StatusCode, reason: Refusal, error: impl Into<String>) -> Self {
        MockError {
            reason: Some(reason),
            ..Self::new(status, error)
        }
    }

    pub fn bad_request(error: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error)
    }

    pub fn not_found(error: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, error)
    }

    pub fn with_problems(error: impl Into<String>, problems: Vec<Problem>) -> Self {
        MockError {
            status: StatusCode::BAD_REQUEST,
            error: error.into(),
            problems,
            reason: None,
        }
    }
}

impl IntoResponse for MockError {
    fn into_response(self) -> Response {
        let problems = self
            .problems
            .into_iter()
            .map(|p| ProblemBody {
                path: p.path,
                reason: p.reason,
            })
            .collect();
        let mut res = (
            self.status,
            axum::Json(ErrorBody {
                error: self.error,
                problems,
            }),
        )
            .into_response();
        if let Some(reason) = self.reason {
            reason.set(res.headers_mut());
        }
        res
    }
}
