//! `[media]`: upload size and signed-link lifetime; owned by `catalog` (media files).

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    /// Largest accepted upload in bytes.
    pub max_upload_bytes: u64,
    /// How long a signed media URL stays valid, in minutes.
    pub signed_url_minutes: i64,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            max_upload_bytes: 200 * 1024 * 1024,
            signed_url_minutes: 60,
        }
    }
}

pub(crate) fn validate(media: &MediaConfig) -> Result<(), ConfigError> {
    if media.max_upload_bytes < 1024 {
        return Err(key_error("media.max_upload_bytes", "must be at least 1024"));
    }
    if !(1..=7 * 24 * 60).contains(&media.signed_url_minutes) {
        return Err(key_error(
            "media.signed_url_minutes",
            "must be between 1 and 10080",
        ));
    }
    Ok(())
}
