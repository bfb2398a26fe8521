//! `schoolhouse doctor`: checks of a data dir and configuration, each ok/warn/fail with a
//! hint. New features append their checks to `CHECKS`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;

mod oidc;
mod paypal;
mod replication;

use super::store;
use super::{checks, schedule};
use crate::auth::keys::{ENCRYPTION_KEY_FILE, JWT_KEY_FILE, SECRETS_DIR};
use crate::config::Config;
use crate::db::DB_FILE;

/// This release was built in this year or later; a clock before it is wrong.
pub const RELEASE_YEAR: i32 = 2026;
const MIB: u64 = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Check {
    pub(crate) fn ok(name: &'static str, message: impl Into<String>) -> Check {
        Check {
            name,
            status: Status::Ok,
            message: message.into(),
            hint: None,
        }
    }
    pub(crate) fn warn(
        name: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Check {
        Check {
            name,
            status: Status::Warn,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
    pub(crate) fn fail(
        name: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Check {
        Check {
            name,
            status: Status::Fail,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

/// Every check, in the order shown.
const CHECKS: &[fn(&Config, OffsetDateTime) -> Check] = &[
    data_dir,
    free_disk,
    database,
    migrations,
    secrets,
    backups,
    replication::replica,
    replication::secrets,
    checks::stripe_keys,
    paypal::settings,
    checks::tls_certificate,
    oidc::offline,
    clock,
];

/// Runs every check against a valid configuration.
pub fn run(config: &Config, now: OffsetDateTime) -> Vec<Check> {
    let mut checks = vec![Check::ok("config", "the configuration is valid")];
    checks.extend(CHECKS.iter().map(|check| check(config, now)));
    checks
}

/// Every check, then those that talk to the network: SMTP when mail goes out by SMTP, and
/// with `online` a live call to the Stripe API.
pub async fn run_all(config: &Config, now: OffsetDateTime, online: bool) -> Vec<Check> {
    let mut all = run(config, now);
    all.push(checks::smtp(config).await);
    if online {
        all.push(checks::stripe_online(config).await);
        all.extend(oidc::online(config).await);
        all.push(paypal::online(config).await);
    }
    all
}

/// The single check shown when the configuration itself does not load.
pub fn config_failed(error: &anyhow::Error) -> Vec<Check> {
    vec![Check::fail(
        "config",
        format!("{error:#}"),
        "fix the key named above; `schoolhouse config example` shows every key",
    )]
}

pub fn any_failed(checks: &[Check]) -> bool {
    checks.iter().any(|c| c.status == Status::Fail)
}

/// Aligned lines for people.
pub fn render(checks: &[Check]) -> String {
    let mut out = String::new();
    for check in checks {
        let status = match check.status {
            Status::Ok => "ok  ",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        };
        out.push_str(&format!("{status}  {:<12} {}\n", check.name, check.message));
        if let Some(hint) = &check.hint {
            out.push_str(&format!("{:<19}fix: {hint}\n", ""));
        }
    }
    out
}

fn data_dir(config: &Config, _now: OffsetDateTime) -> Check {
    let dir = &config.data_dir;
    let Ok(meta) = std::fs::metadata(dir) else {
        return Check::fail(
            "data dir",
            format!("{} does not exist", dir.display()),
            "start the server once (`schoolhouse serve`) or run `schoolhouse migrate`",
        );
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o027 != 0 {
        return Check::warn(
            "data dir",
            format!(
                "{} has mode {mode:o}: others may read or change it",
                dir.display()
            ),
            format!("chmod 750 {}", dir.display()),
        );
    }
    Check::ok("data dir", format!("{} (mode {mode:o})", dir.display()))
}

fn free_disk(config: &Config, _now: OffsetDateTime) -> Check {
    let probe = if config.data_dir.exists() {
        config.data_dir.as_path()
    } else {
        Path::new(".")
    };
    let stats = match rustix::fs::statvfs(probe) {
        Ok(s) => s,
        Err(e) => {
            return Check::warn(
                "free disk",
                format!("cannot measure: {e}"),
                "check the file system",
            );
        }
    };
    let free = stats.f_bavail.saturating_mul(stats.f_frsize);
    let db = std::fs::metadata(config.data_dir.join(DB_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    let message = format!("{} MiB free (database {} MiB)", free / MIB, db / MIB);
    if free < 100 * MIB || free < db {
        Check::fail(
            "free disk",
            message,
            "free space: writes and backups will fail",
        )
    } else if free < 1024 * MIB || free < db.saturating_mul(3) {
        Check::warn(
            "free disk",
            message,
            "a backup needs room for a copy of the database; free some space",
        )
    } else {
        Check::ok("free disk", message)
    }
}

fn open_db(config: &Config) -> anyhow::Result<rusqlite::Connection> {
    store::open_existing(
        &config.data_dir.join(DB_FILE),
        Duration::from_millis(config.database.busy_timeout_ms),
    )
}

fn database(config: &Config, _now: OffsetDateTime) -> Check {
    let checked = open_db(config).and_then(|conn| Ok(store::integrity_problems(&conn, true)?));
    match checked {
        Ok(problems) if problems.is_empty() => Check::ok("database", "PRAGMA quick_check: ok"),
        Ok(problems) => Check::fail(
            "database",
            format!("quick_check found damage: {}", problems.join("; ")),
            "stop the server and restore the latest verified backup (`schoolhouse restore FILE`)",
        ),
        Err(e) => Check::fail(
            "database",
            format!("{e:#}"),
            "start the server once or run `schoolhouse migrate`",
        ),
    }
}

fn migrations(config: &Config, _now: OffsetDateTime) -> Check {
    let pending = open_db(config).and_then(|mut conn| crate::db::pending_migrations(&mut conn));
    match pending {
        Ok(0) => Check::ok(
            "migrations",
            format!("all {} applied", crate::db::known_migration_count()),
        ),
        Ok(n) => Check::warn(
            "migrations",
            format!("{n} pending"),
            "run `schoolhouse migrate` (serve applies them at start)",
        ),
        Err(e) => Check::fail(
            "migrations",
            format!("cannot read the migration history: {e:#}"),
            "run `schoolhouse migrate`",
        ),
    }
}

fn secrets(config: &Config, _now: OffsetDateTime) -> Check {
    let dir = config.data_dir.join(SECRETS_DIR);
    let mut needed = Vec::new();
    if config.auth.jwt_secret.is_empty() {
        needed.push(JWT_KEY_FILE);
    }
    if config.auth.encryption_key.is_empty() {
        needed.push(ENCRYPTION_KEY_FILE);
    }
    for name in &needed {
        let path = dir.join(name);
        let Ok(meta) = std::fs::metadata(&path) else {
            return Check::warn(
                "secrets",
                format!("{} is missing", path.display()),
                "start the server once to generate it, or restore it from a backup (logins and encrypted fields depend on it)",
            );
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Check::fail(
                "secrets",
                format!(
                    "{} has mode {mode:o}: other users can read it",
                    path.display()
                ),
                format!("chmod 600 {}", path.display()),
            );
        }
    }
    Check::ok(
        "secrets",
        format!(
            "{} key file(s) present with mode 600 or stricter",
            needed.len()
        ),
    )
}

fn backups(config: &Config, now: OffsetDateTime) -> Check {
    let hours = config.backups.interval_hours;
    let state = schedule::load_state(&config.data_dir);
    if state.last_verified == Some(false) {
        return Check::fail(
            "backups",
            format!(
                "the last backup failed: {}",
                state.last_error.unwrap_or_default()
            ),
            "run `schoolhouse backup` and read its output",
        );
    }
    let last = state
        .last_backup_at
        .as_deref()
        .and_then(crate::clock::parse_rfc3339);
    match (last, hours) {
        (None, 0) => Check::warn(
            "backups",
            "scheduled backups are off and none was taken",
            "set backups.interval_hours or run `schoolhouse backup` from cron",
        ),
        (None, _) => Check::warn(
            "backups",
            "no backup taken yet",
            "run `schoolhouse backup` now",
        ),
        (Some(last), _) => {
            let age_hours = (now - last).whole_hours();
            let message = format!("last backup {age_hours} h ago, verified");
            if hours > 0 && age_hours > 2 * hours as i64 {
                Check::warn(
                    "backups",
                    message,
                    format!(
                        "older than twice backups.interval_hours ({hours}); is the server running? run `schoolhouse backup`"
                    ),
                )
            } else {
                Check::ok("backups", message)
            }
        }
    }
}

fn clock(_config: &Config, now: OffsetDateTime) -> Check {
    if now.year() < RELEASE_YEAR {
        Check::fail(
            "clock",
            format!(
                "the system clock says {}, before this release ({RELEASE_YEAR})",
                crate::clock::rfc3339(now)
            ),
            "set the clock (enable NTP: `timedatectl set-ntp true`); tokens and payments depend on it",
        )
    } else {
        Check::ok("clock", crate::clock::rfc3339(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_clock_before_the_release_year_fails() {
        let config = Config::default();
        assert_eq!(
            clock(&config, datetime!(2001-01-01 0:00 UTC)).status,
            Status::Fail
        );
        assert_eq!(
            clock(&config, datetime!(2030-01-01 0:00 UTC)).status,
            Status::Ok
        );
    }

    #[test]
    fn any_failed_sees_a_single_failure() {
        let checks = vec![Check::ok("a", "x"), Check::warn("b", "y", "z")];
        assert!(!any_failed(&checks));
        let failed = config_failed(&anyhow::anyhow!("bad"));
        assert!(any_failed(&failed));
        assert!(render(&failed).contains("FAIL"));
    }
}
