//! Where a v2.3 call's parameters come from: the form body (`application/x-www-form-urlencoded`,
//! or `multipart/form-data`), then the query string; the credentials also from the headers
//! `X-API-Access-Token` / `X-API-Key`, which the one public usersync client uses (api-notes §7.2).
//!
//! Reading never fails: a body that cannot be read is remembered as a [`V2Params::body_problem`]
//! and reported after authorization, so the error precedence of the contract holds.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, header::CONTENT_TYPE};

/// The largest body usersync reads: room for a roster of well over 10,000 members, even
/// percent-encoded twice.
pub const MAX_BODY_BYTES: usize = 32 << 20;

#[derive(Debug, Default)]
pub struct V2Params {
    /// Body fields first, then query fields: the first match wins.
    fields: Vec<(String, String)>,
    token_header: Option<String>,
    key_header: Option<String>,
    body_problem: Option<String>,
}

impl V2Params {
    /// The first value of `name`, compared case-insensitively (mock choice, as ASP.NET binds).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `access_token` from the form or query, else the `X-API-Access-Token` header.
    pub fn access_token(&self) -> Option<&str> {
        non_empty(self.get("access_token")).or(non_empty(self.token_header.as_deref()))
    }

    /// `key` from the form or query, else the `X-API-Key` header.
    pub fn key(&self) -> Option<&str> {
        non_empty(self.get("key")).or(non_empty(self.key_header.as_deref()))
    }

    /// Why the body could not be read, if it could not.
    pub fn body_problem(&self) -> Option<&str> {
        self.body_problem.as_deref()
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

impl<S: Send + Sync> FromRequest<S> for V2Params {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut params = V2Params {
            token_header: header(req.headers(), "x-api-access-token"),
            key_header: header(req.headers(), "x-api-key"),
            ..V2Params::default()
        };
        let query = serde_urlencoded::from_str::<Vec<(String, String)>>(
            req.uri().query().unwrap_or_default(),
        );
        let query = query.unwrap_or_else(|e| {
            params.body_problem = Some(format!("the query string is malformed: {e}"));
            Vec::new()
        });
        let content_type = header(req.headers(), CONTENT_TYPE.as_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        match read_body(req, state, &essence).await {
            Ok(fields) => params.fields = fields,
            Err(problem) => params.body_problem = Some(problem),
        }
        params.fields.extend(query);
        Ok(params)
    }
}

async fn read_body<S: Send + Sync>(
    req: Request,
    state: &S,
    essence: &str,
) -> Result<Vec<(String, String)>, String> {
    if essence == "multipart/form-data" {
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(|e| format!("the multipart body is malformed: {}", e.body_text()))?;
        let mut fields = Vec::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| format!("the multipart body is malformed: {}", e.body_text()))?
        {
            let name = field.name().unwrap_or_default().to_string();
            let value = field.text().await.map_err(|e| {
                format!("multipart field {name:?} is unreadable: {}", e.body_text())
            })?;
            fields.push((name, value));
        }
        return Ok(fields);
    }
    let bytes = Bytes::from_request(req, state)
        .await
        .map_err(|e| format!("the request body is unreadable: {}", e.body_text()))?;
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    // Mock choice: a body without a content type is read as a form, as `curl --data` sends it.
    if !essence.is_empty() && essence != "application/x-www-form-urlencoded" {
        return Err(format!(
            "unsupported content type {essence:?}: send application/x-www-form-urlencoded or multipart/form-data"
        ));
    }
    serde_urlencoded::from_bytes(&bytes).map_err(|e| format!("the form body is malformed: {e}"))
}
