//! `[media]`: upload size, signed-link lifetime and where the files live (the data dir or an
//! S3-compatible bucket, `[media.s3]`); owned by `catalog` (media files).

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    /// Largest accepted upload in bytes.
    pub max_upload_bytes: u64,
    /// Largest accepted caption (WebVTT) file in bytes (never more than `max_upload_bytes`).
    pub max_caption_bytes: u64,
    /// How long a signed media URL stays valid, in minutes.
    pub signed_url_minutes: i64,
    /// Where uploaded files are kept: `local` (`<data_dir>/media/`) or `s3` (`[media.s3]`).
    pub store: StoreKind,
    pub s3: S3Config,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    Local,
    S3,
}

/// How a file kept in the bucket reaches the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// `/media/:id` answers with a redirect to a presigned GET URL of the bucket (or of the
    /// CDN in `public_url`); the bytes never pass through the server.
    Redirect,
    /// The server fetches the bytes (or the asked range) from the bucket and streams them.
    Proxy,
}

/// `[media.s3]`: the bucket, how to reach it, and the delivery mode. Credentials may also
/// come from the usual `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` environment variables.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    pub bucket: String,
    /// The S3 API's base URL (`https://s3.eu-central-1.amazonaws.com`, a MinIO, Garage or
    /// SeaweedFS address); empty means AWS for `region`. An `http://` endpoint is allowed.
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Key prefix inside the bucket; objects are `<prefix>/<sha256>`.
    pub prefix: String,
    pub delivery: Delivery,
    /// With `redirect`: the base URL of a CDN in front of the bucket; presigned URLs are
    /// handed out with this origin instead of the endpoint's (the CDN must forward the path
    /// and query string unchanged, with the endpoint's `Host`).
    pub public_url: String,
}

impl Default for S3Config {
    fn default() -> Self {
        S3Config {
            bucket: String::new(),
            endpoint: String::new(),
            region: "us-east-1".into(),
            access_key_id: String::new(),
            secret_access_key: String::new(),
            prefix: "media".into(),
            delivery: Delivery::Redirect,
            public_url: String::new(),
        }
    }
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            max_upload_bytes: 200 * 1024 * 1024,
            max_caption_bytes: 1024 * 1024,
            signed_url_minutes: 60,
            store: StoreKind::Local,
            s3: S3Config::default(),
        }
    }
}

impl MediaConfig {
    /// The largest caption file accepted: `max_caption_bytes`, capped by `max_upload_bytes`.
    pub fn caption_limit(&self) -> u64 {
        self.max_caption_bytes.min(self.max_upload_bytes)
    }
}

fn is_http_url(text: &str) -> bool {
    (text.starts_with("http://") || text.starts_with("https://"))
        && text.len() > "https://".len()
        && !text.contains(char::is_whitespace)
}

pub(crate) fn validate(media: &MediaConfig) -> Result<(), ConfigError> {
    if media.max_upload_bytes < 1024 {
        return Err(key_error("media.max_upload_bytes", "must be at least 1024"));
    }
    if media.max_caption_bytes < 1024 {
        return Err(key_error(
            "media.max_caption_bytes",
            "must be at least 1024",
        ));
    }
    if !(1..=7 * 24 * 60).contains(&media.signed_url_minutes) {
        return Err(key_error(
            "media.signed_url_minutes",
            "must be between 1 and 10080",
        ));
    }
    validate_s3(&media.s3, media.store == StoreKind::S3)
}

/// The `[media.s3]` keys; `required` when the bucket is the store (`media migrate --to s3`
/// checks them again before it starts).
pub fn validate_s3(s3: &S3Config, required: bool) -> Result<(), ConfigError> {
    if required && s3.bucket.trim().is_empty() {
        return Err(key_error(
            "media.s3.bucket",
            "is required when media.store = \"s3\"",
        ));
    }
    if !s3.endpoint.is_empty() && !is_http_url(&s3.endpoint) {
        return Err(key_error(
            "media.s3.endpoint",
            "must be an http:// or https:// URL",
        ));
    }
    if !s3.public_url.is_empty() && !is_http_url(&s3.public_url) {
        return Err(key_error(
            "media.s3.public_url",
            "must be an http:// or https:// URL",
        ));
    }
    if s3.region.trim().is_empty() {
        return Err(key_error("media.s3.region", "must not be empty"));
    }
    if s3.prefix.starts_with('/') || s3.prefix.ends_with('/') || s3.prefix.contains("//") {
        return Err(key_error(
            "media.s3.prefix",
            "must not start or end with / nor contain //",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3_store() -> MediaConfig {
        MediaConfig {
            store: StoreKind::S3,
            ..MediaConfig::default()
        }
    }

    #[test]
    fn the_bucket_store_needs_a_bucket() {
        assert!(validate(&s3_store()).is_err());
        let mut media = s3_store();
        media.s3.bucket = "school".into();
        assert!(validate(&media).is_ok());
        assert!(
            validate(&MediaConfig::default()).is_ok(),
            "local needs none"
        );
    }

    #[test]
    fn endpoints_and_cdn_urls_must_be_http_urls() {
        let mut media = s3_store();
        media.s3.bucket = "school".into();
        media.s3.endpoint = "127.0.0.1:8333".into();
        assert!(validate(&media).is_err());
        media.s3.endpoint = "http://127.0.0.1:8333".into();
        media.s3.public_url = "cdn.example".into();
        assert!(validate(&media).is_err());
        media.s3.public_url = "https://cdn.example".into();
        assert!(validate(&media).is_ok());
    }

    #[test]
    fn the_caption_limit_is_at_least_1_kib_and_never_above_the_upload_limit() {
        let mut media = MediaConfig {
            max_caption_bytes: 1023,
            ..MediaConfig::default()
        };
        assert!(validate(&media).is_err());
        media.max_caption_bytes = 4096;
        assert!(validate(&media).is_ok());
        assert_eq!(media.caption_limit(), 4096);
        media.max_upload_bytes = 2048;
        assert_eq!(media.caption_limit(), 2048);
    }

    #[test]
    fn a_key_prefix_has_no_slash_at_either_end() {
        let mut media = s3_store();
        media.s3.bucket = "school".into();
        for bad in ["/media", "media/", "a//b"] {
            media.s3.prefix = bad.into();
            assert!(validate(&media).is_err(), "{bad}");
        }
        media.s3.prefix = String::new();
        assert!(validate(&media).is_ok(), "no prefix at all is fine");
    }
}
