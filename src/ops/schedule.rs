//! The backup service shared by the CLI, the admin API and the scheduler inside `serve`:
//! back up, verify, copy off-site, apply retention, and remember the outcome.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::backup::{self, BackupEntry};
use super::manifest;
use crate::config::Config;
use crate::state::AppState;

/// Where the last outcome is remembered, inside the data dir.
pub const STATE_FILE: &str = "backup-state.json";
/// A data dir never backed up gets its first scheduled backup this soon after start.
const FIRST_BACKUP_DELAY: Duration = Duration::from_secs(10 * 60);

/// The remembered outcome of backups, for `doctor`, `/readyz` and the admin API.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BackupState {
    pub last_backup_at: Option<String>,
    pub last_archive: Option<String>,
    pub last_verified: Option<bool>,
    /// Faults of the last verification, or why the last attempt failed.
    pub last_error: Option<String>,
    /// How the last archive was verified, when not in the usual way (encrypted archives
    /// this server cannot open are verified just before encryption).
    #[serde(default)]
    pub last_verify_note: Option<String>,
    /// Verification result per archive name.
    #[serde(default)]
    pub verified: BTreeMap<String, bool>,
}

pub fn load_state(data_dir: &Path) -> BackupState {
    fs::read(data_dir.join(STATE_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn save_state(data_dir: &Path, state: &BackupState) -> anyhow::Result<()> {
    let partial = data_dir.join(format!("{STATE_FILE}.partial"));
    fs::write(&partial, serde_json::to_vec_pretty(state)?)?;
    fs::rename(&partial, data_dir.join(STATE_FILE))?;
    Ok(())
}

static SERVICE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Backs up into the backups dir, verifies the archive, copies it to `copy_to`, deletes
/// archives beyond `keep`, and records the outcome. Blocking.
pub fn run_once(config: &Config, now: OffsetDateTime) -> anyhow::Result<BackupEntry> {
    let _one_at_a_time = SERVICE.lock().unwrap_or_else(|p| p.into_inner());
    let mut state = load_state(&config.data_dir);
    let (entry, report) = match backup::create_verified(config, None, now) {
        Ok(done) => done,
        Err(e) => {
            state.last_error = Some(format!("backup failed: {e:#}"));
            state.last_verified = Some(false);
            save_state(&config.data_dir, &state)?;
            return Err(e);
        }
    };
    state.last_verify_note = entry.verify_note.clone();
    state.last_backup_at = Some(entry.created_at.clone());
    state.last_archive = Some(entry.name.clone());
    state.last_verified = Some(report.ok());
    state.last_error = (!report.ok()).then(|| report.faults.join("; "));
    state.verified.insert(entry.name.clone(), report.ok());
    let mut copy_error = None;
    if let Some(copy_to) = &config.backups.copy_to
        && let Err(e) = copy_off_site(&entry.path, copy_to, config.backups.keep)
    {
        copy_error = Some(format!("copy to {} failed: {e:#}", copy_to.display()));
    }
    let deleted = apply_retention(&config.backups_dir(), config.backups.keep)?;
    for name in &deleted {
        state.verified.remove(name);
    }
    if let Some(e) = &copy_error {
        state.last_error = Some(e.clone());
    }
    save_state(&config.data_dir, &state)?;
    tracing::info!(archive = %entry.path.display(), size = entry.size, verified = report.ok(), encrypted = entry.encrypted, note = entry.verify_note.as_deref().unwrap_or(""), deleted = ?deleted, "backup written");
    if let Some(e) = copy_error {
        anyhow::bail!(e);
    }
    Ok(entry)
}

fn copy_off_site(archive: &Path, dir: &Path, keep: usize) -> anyhow::Result<()> {
    fs::create_dir_all(dir)?;
    let name = archive
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("archive without a name"))?;
    let partial = dir.join(format!(".{}.partial", name.to_string_lossy()));
    fs::copy(archive, &partial)?;
    fs::File::open(&partial)?.sync_all()?;
    fs::rename(&partial, dir.join(name))?;
    apply_retention(dir, keep)?;
    Ok(())
}

/// Deletes the oldest archives in `dir` beyond `keep`; returns their names.
pub fn apply_retention(dir: &Path, keep: usize) -> anyhow::Result<Vec<String>> {
    let victims = manifest::retention_victims(archive_names(dir)?, keep);
    for name in &victims {
        fs::remove_file(dir.join(name))?;
    }
    Ok(victims)
}

fn archive_names(dir: &Path) -> anyhow::Result<Vec<String>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && manifest::is_safe_archive_name(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

/// The archives in the backups dir, newest first.
pub fn list(config: &Config) -> anyhow::Result<Vec<BackupEntry>> {
    let dir = config.backups_dir();
    let state = load_state(&config.data_dir);
    let mut entries = Vec::new();
    for name in archive_names(&dir)? {
        let path = dir.join(&name);
        let meta = fs::metadata(&path)?;
        let created_at = meta
            .modified()
            .map(|t| crate::clock::rfc3339(OffsetDateTime::from(t)))
            .unwrap_or_default();
        entries.push(BackupEntry {
            verified: state.verified.get(&name).copied(),
            encrypted: name.ends_with(manifest::ENCRYPTED_SUFFIX),
            verify_note: None,
            name,
            path,
            size: meta.len(),
            created_at,
        });
    }
    entries.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(entries)
}

/// The path of a named archive in the backups dir, if the name is safe and it exists.
pub fn find(config: &Config, name: &str) -> Option<PathBuf> {
    if !manifest::is_safe_archive_name(name) {
        return None;
    }
    let path = config.backups_dir().join(name);
    path.is_file().then_some(path)
}

/// One scheduled run, off the async runtime.
pub async fn tick(state: &AppState) -> anyhow::Result<BackupEntry> {
    let config = state.config.clone();
    let now = state.now();
    tokio::task::spawn_blocking(move || run_once(&config, now)).await?
}

/// One run of the backup job: [`tick`], with a failure or an archive that failed its
/// verification also written to the error log, where admins look, not only to the
/// server's log.
pub async fn scheduled_run(state: &AppState) -> anyhow::Result<BackupEntry> {
    let result = tick(state).await;
    match &result {
        Ok(entry) if entry.verified == Some(false) => {
            let message = format!("backup {} failed its verification", entry.name);
            tracing::error!("{message}");
            crate::audit::errors::record_job_failure(state, "backup", &message);
        }
        Ok(_) => {}
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "scheduled backup failed");
            crate::audit::errors::record_job_failure(state, "backup", &format!("{e:#}"));
        }
    }
    result
}

/// How long to wait before the next scheduled backup.
pub fn next_wait(
    last: Option<OffsetDateTime>,
    now: OffsetDateTime,
    interval: Duration,
) -> Duration {
    match last {
        None => interval.min(FIRST_BACKUP_DELAY),
        Some(last) => {
            let due = last + interval;
            if due <= now {
                Duration::ZERO
            } else {
                Duration::try_from(due - now).unwrap_or(interval)
            }
        }
    }
}

/// Starts the backup loop when `backups.interval_hours` is not 0.
pub fn spawn(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    let hours = state.config.backups.interval_hours;
    if hours == 0 {
        return None;
    }
    let interval = Duration::from_secs(hours * 3600);
    Some(tokio::spawn(async move {
        loop {
            let last = load_state(&state.config.data_dir)
                .last_backup_at
                .and_then(|t| crate::clock::parse_rfc3339(&t));
            tokio::time::sleep(next_wait(last, state.now(), interval)).await;
            if scheduled_run(&state).await.is_err() {
                // Try again after a pause rather than in a tight loop.
                tokio::time::sleep(Duration::from_secs(300)).await;
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_next_backup_is_due_one_interval_after_the_last() {
        let day = Duration::from_secs(86_400);
        let now = datetime!(2026-01-02 12:00 UTC);
        assert_eq!(
            next_wait(Some(datetime!(2026-01-02 00:00 UTC)), now, day),
            Duration::from_secs(12 * 3600)
        );
        assert_eq!(
            next_wait(Some(datetime!(2025-12-01 00:00 UTC)), now, day),
            Duration::ZERO
        );
        assert_eq!(next_wait(None, now, day), FIRST_BACKUP_DELAY);
        assert_eq!(
            next_wait(None, now, Duration::from_secs(60)),
            Duration::from_secs(60)
        );
    }
}
