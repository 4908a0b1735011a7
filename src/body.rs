//! Request bodies, read once by the pipeline up to the limit of the API they address, and what
//! an edge is told when a body could not be read.
//!
//! The pipeline reads every body before it decides on faults (usersync rules match on the
//! teams a body names) and journals it, then hands the bytes on. A body it could not read (over
//! the limit, or a connection that failed mid-body) is handed on empty, with an [`Unread`] in
//! the request extensions; each edge answers it in its own wire format, at its own point in
//! the order of its checks (v3: after auth, 413; usersync: first, `bad_parameter`; the control
//! API: 413).

use axum::body::{Body, Bytes};
use bytes::BytesMut;
use http_body_util::BodyExt;

use crate::surface::Api;

/// The largest body of a v3 call (1 MiB: room for ~100k ids).
pub const V3_LIMIT: usize = 1 << 20;
/// The largest body of a v3 image upload (`…/images/upload`): the 2 MiB image the official
/// document allows, with room for a multipart form's framing. An image within this limit but
/// over 2 MiB is the upload's own 400; a body over it is a 413 like any other.
pub const IMAGE_UPLOAD_LIMIT: usize = 4 << 20;
/// The largest usersync body: room for a roster of well over 10,000 members, even
/// percent-encoded twice.
pub const USERSYNC_LIMIT: usize = 32 << 20;
/// The largest control-API body (a state import, a fault rule).
pub const ADMIN_LIMIT: usize = 1 << 20;

/// The body limit of `api`.
pub fn limit_of(api: Api) -> usize {
    match api {
        Api::Usersync => USERSYNC_LIMIT,
        Api::Admin => ADMIN_LIMIT,
        Api::V3 | Api::Other => V3_LIMIT,
    }
}

/// The body limit of a request to `path` (inside its instance): its API's, except an image
/// upload's.
pub fn limit_of_path(path: &str) -> usize {
    let api = Api::of(path);
    if api == Api::V3 && path.trim_end_matches('/').ends_with("/images/upload") {
        IMAGE_UPLOAD_LIMIT
    } else {
        limit_of(api)
    }
}

/// The media type of a `Content-Type` value, without its parameters, lower-cased
/// (`Application/JSON; charset=utf-8` is `application/json`): what every edge decides a body's
/// reading by.
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Why a body could not be read in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// Over the limit: its first `limit` bytes (the rest was not read), for the journal.
    TooLarge { limit: usize, head: Bytes },
    /// The connection failed, or the body timed out, before it ended.
    Broken(String),
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unread::TooLarge { limit, .. } => {
                write!(f, "the request body is larger than {limit} bytes")
            }
            Unread::Broken(why) => write!(f, "the request body could not be read: {why}"),
        }
    }
}

/// Reads `body` whole, up to `limit` bytes.
pub async fn read(mut body: Body, limit: usize) -> Result<Bytes, Unread> {
    let mut read = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| Unread::Broken(e.to_string()))?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        if read.len() + data.len() > limit {
            read.extend_from_slice(&data[..limit - read.len()]);
            return Err(Unread::TooLarge {
                limit,
                head: read.freeze(),
            });
        }
        read.extend_from_slice(&data);
    }
    Ok(read.freeze())
}
