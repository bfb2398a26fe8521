//! `[replication]`: continuous replication of the database to S3-compatible storage by a
//! supervised Litestream child; owned by `ops::replication`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReplicationConfig {
    /// Run `litestream replicate` beside the server and leave WAL checkpoints to it.
    pub enabled: bool,
    /// The Litestream 0.5 binary: a path, or a name looked up in `PATH`.
    pub litestream_bin: PathBuf,
    /// Bucket the replica lives in (must exist).
    pub bucket: String,
    /// Key prefix of this database's replica inside the bucket.
    pub path: String,
    /// S3 endpoint URL; empty means AWS S3 itself.
    pub endpoint: String,
    pub region: String,
    /// Path-style bucket addressing (`endpoint/bucket/key`), needed by MinIO and SeaweedFS.
    pub force_path_style: bool,
    /// Access key id; empty: `access_key_id_file`, else the `AWS_ACCESS_KEY_ID` environment.
    pub access_key_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id_file: Option<PathBuf>,
    /// Secret key; empty: `secret_access_key_file`, else `AWS_SECRET_ACCESS_KEY`.
    pub secret_access_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_access_key_file: Option<PathBuf>,
    /// Seconds between WAL uploads: the most acknowledged writes a lost machine can lose.
    pub sync_interval_seconds: u64,
    /// Hours between full snapshots in the bucket.
    pub snapshot_interval_hours: u64,
    /// Hours of history kept in the bucket: how far back a point-in-time restore reaches.
    pub retention_hours: u64,
    /// Longest wait, in seconds, before restarting a Litestream that exited (the wait
    /// doubles from 1 s after each quick exit).
    pub restart_max_backoff_seconds: u64,
}

impl Default for ReplicationConfig {
    fn default() -> Self {
        ReplicationConfig {
            enabled: false,
            litestream_bin: PathBuf::from("litestream"),
            bucket: String::new(),
            path: "schoolhouse".into(),
            endpoint: String::new(),
            region: "us-east-1".into(),
            force_path_style: false,
            access_key_id: String::new(),
            access_key_id_file: None,
            secret_access_key: String::new(),
            secret_access_key_file: None,
            sync_interval_seconds: 1,
            snapshot_interval_hours: 24,
            retention_hours: 72,
            restart_max_backoff_seconds: 30,
        }
    }
}

pub(crate) fn validate(replication: &ReplicationConfig) -> Result<(), ConfigError> {
    if !(1..=3600).contains(&replication.sync_interval_seconds) {
        return Err(key_error(
            "replication.sync_interval_seconds",
            "must be between 1 and 3600",
        ));
    }
    if !(1..=24 * 366).contains(&replication.snapshot_interval_hours) {
        return Err(key_error(
            "replication.snapshot_interval_hours",
            "must be between 1 and 8784",
        ));
    }
    if replication.retention_hours < replication.snapshot_interval_hours {
        return Err(key_error(
            "replication.retention_hours",
            "must be at least replication.snapshot_interval_hours (a restore needs a snapshot)",
        ));
    }
    if !(1..=3600).contains(&replication.restart_max_backoff_seconds) {
        return Err(key_error(
            "replication.restart_max_backoff_seconds",
            "must be between 1 and 3600",
        ));
    }
    if !replication.enabled {
        return Ok(());
    }
    if replication.bucket.trim().is_empty() {
        return Err(key_error(
            "replication.bucket",
            "must be set when replication is enabled",
        ));
    }
    let path = replication.path.trim_matches('/');
    if path.is_empty() || path.contains("..") {
        return Err(key_error(
            "replication.path",
            "must name a key prefix (not empty, no `..`)",
        ));
    }
    let endpoint = &replication.endpoint;
    let is_url = endpoint.starts_with("http://") || endpoint.starts_with("https://");
    if !(endpoint.is_empty() || is_url) {
        return Err(key_error(
            "replication.endpoint",
            "must be an http:// or https:// URL",
        ));
    }
    if replication.litestream_bin.as_os_str().is_empty() {
        return Err(key_error("replication.litestream_bin", "must not be empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled() -> ReplicationConfig {
        ReplicationConfig {
            enabled: true,
            bucket: "school".into(),
            ..ReplicationConfig::default()
        }
    }

    #[test]
    fn replication_is_off_by_default_and_the_defaults_are_valid() {
        let defaults = ReplicationConfig::default();
        assert!(!defaults.enabled);
        assert_eq!(defaults.sync_interval_seconds, 1);
        assert!(validate(&defaults).is_ok());
        assert!(validate(&enabled()).is_ok());
    }

    #[test]
    fn enabled_replication_without_a_bucket_is_refused_naming_the_key() {
        let config = ReplicationConfig {
            bucket: " ".into(),
            ..enabled()
        };
        let err = validate(&config).unwrap_err().to_string();
        assert!(err.contains("replication.bucket"), "{err}");
    }

    #[test]
    fn a_replica_path_climbing_out_of_its_prefix_is_refused() {
        for path in ["", "/", "a/../b"] {
            let config = ReplicationConfig {
                path: path.into(),
                ..enabled()
            };
            assert!(validate(&config).is_err(), "{path:?}");
        }
    }

    #[test]
    fn retention_shorter_than_the_snapshot_interval_is_refused() {
        let config = ReplicationConfig {
            snapshot_interval_hours: 24,
            retention_hours: 12,
            ..enabled()
        };
        let err = validate(&config).unwrap_err().to_string();
        assert!(err.contains("replication.retention_hours"), "{err}");
    }

    #[test]
    fn an_endpoint_that_is_not_a_url_is_refused() {
        let config = ReplicationConfig {
            endpoint: "127.0.0.1:9000".into(),
            ..enabled()
        };
        assert!(validate(&config).is_err());
    }
}
