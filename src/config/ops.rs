//! `[backups]` and `[metrics]`: scheduled and encrypted backups, the Prometheus endpoint;
//! owned by `ops`.

use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupsConfig {
    /// Hours between scheduled backups inside `serve`; 0 turns them off.
    pub interval_hours: u64,
    /// Number of archives kept in `dir`; older ones are deleted.
    pub keep: usize,
    /// Number of `pre-migrate-*` archives (taken before an upgrade migrates the database)
    /// kept in `dir`, apart from `keep`; older ones are deleted.
    pub keep_pre_migration: usize,
    /// Where archives go; empty means `<data_dir>/backups`.
    pub dir: PathBuf,
    /// Optional second directory every new archive is copied to (USB disk, network share).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_to: Option<PathBuf>,
    /// age public keys (`age1...`) every archive is encrypted to; empty: not encrypted to keys.
    pub recipients: Vec<String>,
    /// A file holding a passphrase every archive is encrypted with (instead of `recipients`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase_file: Option<PathBuf>,
    /// An age identity file that opens this server's encrypted archives, to verify them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Serve `GET /metrics` in Prometheus text format.
    pub enabled: bool,
    /// When set, `/metrics` needs `Authorization: Bearer <token>`.
    pub token: String,
}

impl Default for BackupsConfig {
    fn default() -> Self {
        BackupsConfig {
            interval_hours: 24,
            keep: 7,
            keep_pre_migration: 3,
            dir: PathBuf::new(),
            copy_to: None,
            recipients: Vec::new(),
            passphrase_file: None,
            identity_file: None,
        }
    }
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            enabled: true,
            token: String::new(),
        }
    }
}

pub(crate) fn validate(backups: &BackupsConfig) -> Result<(), ConfigError> {
    if backups.keep == 0 {
        return Err(key_error("backups.keep", "must be at least 1"));
    }
    if !(1..=100).contains(&backups.keep_pre_migration) {
        return Err(key_error(
            "backups.keep_pre_migration",
            "must be between 1 and 100",
        ));
    }
    if backups.interval_hours > 24 * 366 {
        return Err(key_error(
            "backups.interval_hours",
            "must be at most 8784 (a year); 0 turns scheduled backups off",
        ));
    }
    if let Err((key, message)) = check_encryption(backups) {
        return Err(key_error(key, message));
    }
    Ok(())
}

/// Validates `[backups]` encryption keys: the error names the key and the problem.
pub fn check_encryption(config: &BackupsConfig) -> Result<(), (&'static str, String)> {
    if !config.recipients.is_empty() && config.passphrase_file.is_some() {
        return Err((
            "backups.passphrase_file",
            "set either backups.recipients or backups.passphrase_file, not both (age cannot mix them)".into(),
        ));
    }
    for recipient in &config.recipients {
        if age::x25519::Recipient::from_str(recipient.trim()).is_err() {
            return Err((
                "backups.recipients",
                format!("{recipient:?} is not an age public key (age1...; see `age-keygen -y`)"),
            ));
        }
    }
    Ok(())
}
