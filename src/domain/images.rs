//! Uploaded images (v3 `POST /images/upload`, `GET /images/{imageId}`): the bytes and the
//! format read from them, per instance, in the [`super::World`].
//!
//! Each image belongs to the site it was uploaded to and is served only there (mock choice). The
//! bytes are [`Bytes`], so a snapshot or a sandbox shares them rather than copying them. The
//! store is bounded ([`MAX_IMAGES`], [`MAX_TOTAL_BYTES`]): an upload past a bound is refused
//! and changes nothing. Images are not part of the fixture format: a reset or a state import
//! forgets them, a snapshot keeps them.

use std::collections::BTreeMap;

use bytes::Bytes;
use chrono::{DateTime, Utc};

use super::DomainError;

/// An image's id: a GUID, as the real service's (`ImageResponseModel.id`).
pub type ImageId = String;

/// The largest image the upload takes (the official document: "Max size 2 MiB").
pub const MAX_IMAGE_BYTES: usize = 2 << 20;
/// The most images one instance (the root, or a sandbox) keeps (mock limit).
pub const MAX_IMAGES: usize = 1000;
/// The most image bytes one instance keeps, all images together (mock limit).
pub const MAX_TOTAL_BYTES: usize = 64 << 20;

/// The formats the upload supports (the official document: jpeg, png, gif, bmp, webp), read
/// from the file's first bytes, never from a declared content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Gif,
    Bmp,
    Webp,
}

impl ImageFormat {
    /// The format whose signature `bytes` start with.
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageFormat::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageFormat::Gif)
        } else if bytes.starts_with(b"BM") && bytes.len() >= 14 {
            Some(ImageFormat::Bmp)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(ImageFormat::Webp)
        } else {
            None
        }
    }

    /// The media type the image is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Bmp => "image/bmp",
            ImageFormat::Webp => "image/webp",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub id: ImageId,
    /// The slug of the site it was uploaded to.
    pub site: String,
    pub format: ImageFormat,
    pub bytes: Bytes,
    pub uploaded_at: DateTime<Utc>,
}

/// Every image of an instance, with the running total of their bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Images {
    by_id: BTreeMap<ImageId, Image>,
    total_bytes: usize,
}

impl Images {
    /// The image `id` of site `site` (an image of another site is not found there).
    pub fn get(&self, site: &str, id: &str) -> Result<&Image, DomainError> {
        self.by_id
            .get(id)
            .filter(|i| i.site == site)
            .ok_or_else(|| DomainError::ImageNotFound(id.to_string()))
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn total_bytes(&self) -> usize {
        self.total_bytes
    }

    /// Keeps `image` unless a bound of the store would be passed (then nothing changes). The
    /// caller has checked the image itself (its size and format) and made its id fresh.
    pub fn add(&mut self, image: Image) -> Result<(), DomainError> {
        if self.by_id.len() >= MAX_IMAGES {
            return Err(DomainError::ImageStoreFull(format!(
                "it holds {MAX_IMAGES} images, the most an instance keeps"
            )));
        }
        let total = self
            .total_bytes
            .checked_add(image.bytes.len())
            .filter(|t| *t <= MAX_TOTAL_BYTES)
            .ok_or_else(|| {
                DomainError::ImageStoreFull(format!(
                    "{} more bytes would pass the {MAX_TOTAL_BYTES} bytes an instance keeps ({} held)",
                    image.bytes.len(),
                    self.total_bytes
                ))
            })?;
        self.total_bytes = total;
        self.by_id.insert(image.id.clone(), image);
        Ok(())
    }
}

/// A fresh GUID (version 4 layout) from two random numbers.
pub fn fresh_guid(a: u64, b: u64) -> ImageId {
    let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000;
    let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// Whether `id` reads as a GUID (`8-4-4-4-12` hex digits, any case).
pub fn is_guid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(id: &str, len: usize) -> Image {
        Image {
            id: id.into(),
            site: "main".into(),
            format: ImageFormat::Png,
            bytes: Bytes::from(vec![0; len]),
            uploaded_at: Utc::now(),
        }
    }

    #[test]
    fn formats_are_read_from_the_signature() {
        let cases: [(&[u8], Option<ImageFormat>); 8] = [
            (b"\xFF\xD8\xFF\xE0rest", Some(ImageFormat::Jpeg)),
            (b"\x89PNG\r\n\x1a\nrest", Some(ImageFormat::Png)),
            (b"GIF89a;", Some(ImageFormat::Gif)),
            (b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0", Some(ImageFormat::Bmp)),
            (b"RIFF\x24\0\0\0WEBPVP8 ", Some(ImageFormat::Webp)),
            (b"RIFF\x24\0\0\0WAVEfmt ", None),
            (b"{\"json\": true}", None),
            (b"", None),
        ];
        for (bytes, format) in cases {
            assert_eq!(ImageFormat::sniff(bytes), format, "{bytes:?}");
        }
    }

    #[test]
    fn an_image_is_found_on_its_own_site_only() {
        let mut images = Images::default();
        images.add(image("a", 3)).unwrap();
        assert!(images.get("main", "a").is_ok());
        assert_eq!(
            images.get("acme", "a"),
            Err(DomainError::ImageNotFound("a".into()))
        );
        assert_eq!(images.total_bytes(), 3);
    }

    #[test]
    fn the_store_refuses_past_its_bounds_and_changes_nothing() {
        let mut images = Images::default();
        for i in 0..32 {
            images
                .add(image(&format!("big{i}"), MAX_IMAGE_BYTES))
                .unwrap();
        }
        let before = images.clone();
        assert!(matches!(
            images.add(image("one-more", 1)),
            Err(DomainError::ImageStoreFull(_))
        ));
        assert_eq!(images, before);

        let mut images = Images::default();
        for i in 0..MAX_IMAGES {
            images.add(image(&format!("tiny{i}"), 1)).unwrap();
        }
        assert!(matches!(
            images.add(image("one-more", 1)),
            Err(DomainError::ImageStoreFull(_))
        ));
        assert_eq!(images.len(), MAX_IMAGES);
    }

    #[test]
    fn fresh_guids_are_guids() {
        for (a, b) in [(0, 0), (u64::MAX, u64::MAX), (0x0123_4567_89ab_cdef, 42)] {
            let id = fresh_guid(a, b);
            assert!(is_guid(&id), "{id}");
            assert_eq!(&id[14..15], "4", "version 4: {id}");
        }
        for bad in [
            "",
            "abc",
            "0000000-0000-0000-0000-000000000000",
            "zzzzzzzz-0000-0000-0000-000000000000",
        ] {
            assert!(!is_guid(bad), "{bad}");
        }
    }
}
