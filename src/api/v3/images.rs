//! Images, under all three shapes: `POST /images/upload` keeps an image and answers its GUID
//! and URL, `GET /images/{imageId}` serves its bytes.
//!
//! Mock choices (docs/communities-and-images.md):
//! - the upload takes a `multipart/form-data` body with a `file` part (the field name matched
//!   without regard to case), or the image itself as the body under any other content type
//!   (the document lists `image/jpeg` and, sic, `img/png`, `img/gif`, `img/bmp`, `img/webp`);
//! - the format is read from the file's first bytes, never from a declared content type: jpeg,
//!   png, gif, bmp and webp are kept, anything else is a 415; an empty file or a form without
//!   a `file` part is a 400 in ASP.NET's validation shape; a file over 2 MiB is a 400
//!   `/v3/errors/image/too-large` (the document's own status for a bad upload), and a body over
//!   4 MiB a 413 like any v3 body over its limit;
//! - the instance keeps at most 1000 images and 64 MiB of them: past that, 409
//!   `/v3/errors/image/store-full` (nothing is kept);
//! - `url` is absolute, on the `Host` the upload came to, under the same shape (and sandbox) as
//!   the upload; an image is served only on the site it was uploaded to, with its real media
//!   type (the document says `image/png` for every image);
//! - an `imageId` that is not a GUID is a 400, an unknown one a 404 ProblemDetails.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::OriginalUri;
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa::ToSchema;

use super::auth::V3Ctx;
use super::error::{ProblemDetails, V3Error, V3Result};
use super::input::{RawBody, V3Path};
use super::models::ImageResponseModel;
use crate::api::v2::multipart;
use crate::domain::{Image, ImageFormat, MAX_IMAGE_BYTES, fresh_guid, is_guid};
use crate::random::fresh_u64;
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![routes!(images_upload), routes!(images_get)]
}

/// The form of `POST /images/upload` as the official document declares it (documentation
/// only: the handler reads the parts itself).
#[derive(ToSchema)]
#[expect(dead_code, reason = "a documented shape, never built")]
pub struct ImageUploadForm {
    #[schema(value_type = String, format = Binary, required = false)]
    file: Option<Vec<u8>>,
}

/// The most parts an upload form may have (mock limit): the `file` and a few others.
const MAX_PARTS: usize = 16;

/// Emulates `POST /images/upload`: keeps the image and answers its GUID and absolute URL (200).
#[utoipa::path(post, path = "/images/upload", tag = "Images",
    request_body(description = "The image: a `file` part of a form, or the body itself. Supported file types: jpeg, png, gif, bmp, webp (Max size 2 MiB)",
        content(
            (ImageUploadForm = "multipart/form-data"),
            (ImageUploadForm = "image/jpeg"),
            (ImageUploadForm = "img/png"),
            (ImageUploadForm = "img/gif"),
            (ImageUploadForm = "img/bmp"),
            (ImageUploadForm = "img/webp"),
        )),
    responses(
        (status = 200, description = "Image uploaded successfully.", body = ImageResponseModel),
        (status = 400, description = "Bad request with details in the problem details format: no `file` part, an empty file, or a file over 2 MiB", body = ProblemDetails),
        (status = 409, description = "The instance keeps 1000 images and 64 MiB of them at most (mock limit)", body = ProblemDetails),
        (status = 415, description = "Unsupported media type: the file is not a jpeg, png, gif, bmp or webp image (read from its first bytes)", body = ProblemDetails),
        (status = 500, description = "Internal server error."),
    ))]
pub async fn images_upload(
    ctx: V3Ctx,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: RawBody,
) -> V3Result<Json<ImageResponseModel>> {
    ctx.require_write()?;
    let (file, format) = uploaded_file(&body)?;
    let id = fresh_guid(fresh_u64(), fresh_u64());
    let url = image_url(&headers, uri.path(), &id);
    let uploaded_at = ctx.inst.store.now();
    ctx.write_world(|w, site| {
        let image = Image {
            id: id.clone(),
            site: site.to_string(),
            format,
            bytes: file,
            uploaded_at,
        };
        Ok(Arc::make_mut(&mut w.images).add(image)?)
    })?;
    Ok(Json(ImageResponseModel { id, url }))
}

/// Emulates `GET /images/{imageId}`: the image's bytes with its own media type.
#[utoipa::path(get, path = "/images/{imageId}", tag = "Images",
    params(("imageId" = String, Path, description = "The image's GUID, as the upload answered it")),
    responses(
        (status = 200, description = "Image retrieved successfully (with the image's own media type; the official document declares `image/png` only)",
            content(("image/png"), ("image/jpeg"), ("image/gif"), ("image/bmp"), ("image/webp"))),
        (status = 400, description = "An `imageId` that is not a GUID (mock choice)", body = ProblemDetails),
        (status = 404, description = "Image not found.", body = ProblemDetails),
        (status = 500, description = "Internal server error."),
    ))]
pub async fn images_get(ctx: V3Ctx, path: V3Path) -> V3Result<Response> {
    let id = path.text("imageId");
    if !is_guid(id) {
        return Err(V3Error::invalid(
            "imageId",
            format!("The value '{id}' is not valid: an image id is a GUID."),
        ));
    }
    let image = ctx.read(|w, site| w.images.get(&site.slug, id).cloned())?;
    Ok(([(CONTENT_TYPE, image.format.media_type())], image.bytes).into_response())
}

/// The image of an upload and its format: a form's `file` part, or the whole body.
fn uploaded_file(body: &RawBody) -> V3Result<(Bytes, ImageFormat)> {
    let bytes = body.bytes()?;
    let content_type = body.content_type();
    let file = if crate::body::essence(content_type) == "multipart/form-data" {
        let parts = multipart::parts(content_type, bytes, MAX_PARTS).map_err(|why| {
            V3Error::invalid("file", format!("The multipart form is malformed: {why}."))
        })?;
        let part = parts
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case("file"))
            .ok_or_else(|| V3Error::invalid("file", "The file field is required."))?;
        bytes.slice_ref(part.content)
    } else {
        bytes.clone()
    };
    if file.is_empty() {
        return Err(V3Error::invalid("file", "The file is empty."));
    }
    if file.len() > MAX_IMAGE_BYTES {
        return Err(V3Error::problem(
            StatusCode::BAD_REQUEST,
            "/v3/errors/image/too-large",
            "Image too large",
            Some(format!(
                "The file is {} bytes; the most an image may be is 2 MiB ({MAX_IMAGE_BYTES} bytes)",
                file.len()
            )),
        ));
    }
    let format = ImageFormat::sniff(&file).ok_or_else(|| {
        V3Error::problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "https://tools.ietf.org/html/rfc7231#section-6.5.13",
            "Unsupported Media Type",
            Some(
                "Supported file types: jpeg, png, gif, bmp, webp; the file's first bytes are none of them"
                    .into(),
            ),
        )
    })?;
    Ok((file, format))
}

/// The absolute URL of image `id`: the upload's own URL (host, sandbox and shape) with
/// `upload` replaced by the id.
fn image_url(headers: &HeaderMap, upload_path: &str, id: &str) -> String {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let base = upload_path
        .trim_end_matches('/')
        .strip_suffix("/upload")
        .unwrap_or(upload_path);
    format!("http://{host}{base}/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_keeps_the_host_the_sandbox_and_the_shape_of_the_upload() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(
            image_url(
                &headers,
                "/_sandbox/sb-1/api/v3/teams/legal/images/upload",
                "g"
            ),
            "http://127.0.0.1:8080/_sandbox/sb-1/api/v3/teams/legal/images/g"
        );
        assert_eq!(
            image_url(&HeaderMap::new(), "/v3/teams/acme/images/upload/", "g"),
            "http://localhost/v3/teams/acme/images/g"
        );
    }
}
