//! `schoolhouse backup`: a consistent snapshot of the database, the media folder and the
//! secrets, with a manifest, in one zip archive written under a temporary name, encrypted
//! with age when `[backups]` says so.

use std::fs;
use std::io::Write;
use std::panic::resume_unwind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;
use time::OffsetDateTime;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use super::manifest::{self, FileEntry, MANIFEST_FILE, Manifest};
use super::verify::{self, VerifyReport};
use super::{crypt, store};
use crate::auth::keys::SECRETS_DIR;
use crate::config::Config;
use crate::db::DB_FILE;

pub const MEDIA_DIR: &str = "media";

/// A written archive.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BackupEntry {
    pub name: String,
    #[schema(value_type = String)]
    pub path: PathBuf,
    pub size: u64,
    pub created_at: String,
    /// `None` until the archive has been verified.
    pub verified: Option<bool>,
    /// Encrypted with age (`.zip.age`): open it with the identity or passphrase.
    #[serde(default)]
    pub encrypted: bool,
    /// How the archive was verified, when not in the usual way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_note: Option<String>,
}

/// Said when an encrypted archive was checked before encryption.
pub const VERIFIED_BEFORE_ENCRYPTION: &str = "verified just before encryption: this server holds no key to open the encrypted archive (set backups.identity_file to verify the archive itself)";

/// Serialises backups within this process so two never race for one file name.
static RUNNING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Writes a backup of `config.data_dir` to `out` (or a timestamped file in the backups
/// directory). Blocking: call it off the async runtime.
pub fn create(
    config: &Config,
    out: Option<&Path>,
    now: OffsetDateTime,
) -> anyhow::Result<BackupEntry> {
    create_inner(config, out, now, false).map(|(entry, _)| entry)
}

/// Writes a backup and verifies it: the encrypted archive itself when this server holds a
/// key to it (`backups.identity_file` or `passphrase_file`), else the plain archive just
/// before encryption, which the report and `verify_note` say. The snapshot's database is
/// checked while it is compressed, and the written archive by inflating and hashing every
/// file in memory: the same checks as `backup verify`, without unpacking the archive and
/// checking its database a second time. Blocking.
pub fn create_verified(
    config: &Config,
    out: Option<&Path>,
    now: OffsetDateTime,
) -> anyhow::Result<(BackupEntry, VerifyReport)> {
    let (mut entry, report) = create_inner(config, out, now, true)?;
    let mut report = report.ok_or_else(|| anyhow::anyhow!("the backup was not verified"))?;
    if entry.encrypted && crypt::server_key(&config.backups).is_none() {
        report.passed.push(VERIFIED_BEFORE_ENCRYPTION.to_string());
        entry.verify_note = Some(VERIFIED_BEFORE_ENCRYPTION.to_string());
    }
    entry.verified = Some(report.ok());
    Ok((entry, report))
}

/// Writes the archive, verified when `verify` says so.
fn create_inner(
    config: &Config,
    out: Option<&Path>,
    now: OffsetDateTime,
    verify: bool,
) -> anyhow::Result<(BackupEntry, Option<VerifyReport>)> {
    let _running = RUNNING.lock().unwrap_or_else(|p| p.into_inner());
    let suffix = if crypt::enabled(&config.backups) {
        manifest::ENCRYPTED_SUFFIX
    } else {
        manifest::ARCHIVE_SUFFIX
    };
    let target = match out {
        Some(path) => path.to_path_buf(),
        None => unique_path(&config.backups_dir(), &manifest::archive_stem(now), suffix),
    };
    if target.exists() {
        anyhow::bail!("{} already exists; choose another --out", target.display());
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let staging = parent.join(format!(".staging-{}", uuid::Uuid::now_v7()));
    fs::create_dir(&staging)?;
    let result = write_archive(config, &staging, &target, now, verify);
    let _ = fs::remove_dir_all(&staging);
    result
}

fn unique_path(dir: &Path, stem: &str, suffix: &str) -> PathBuf {
    let first = dir.join(format!("{stem}{suffix}"));
    if !first.exists() {
        return first;
    }
    (1..)
        .map(|n| dir.join(format!("{stem}-{n}{suffix}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

fn write_archive(
    config: &Config,
    staging: &Path,
    target: &Path,
    now: OffsetDateTime,
    verify: bool,
) -> anyhow::Result<(BackupEntry, Option<VerifyReport>)> {
    let started = Instant::now();
    let (snapshot, schema_version, row_counts) = snapshot_database(config, staging)?;
    let snapshot_s = started.elapsed().as_secs_f64();
    // (path inside the archive, file on disk)
    let mut files: Vec<(String, PathBuf)> = vec![(DB_FILE.to_string(), snapshot.clone())];
    for dir in [
        MEDIA_DIR,
        SECRETS_DIR,
        crate::commerce::invoices::INVOICES_DIR,
    ] {
        collect_files(&config.data_dir.join(dir), dir, &mut files)?;
    }
    let created_at = crate::clock::rfc3339(now);
    let manifest_of = |files| Manifest {
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version,
        created_at: created_at.clone(),
        files,
        row_counts,
    };
    let partial = staging.join("archive.zip.partial");
    let encrypted = crypt::enabled(&config.backups);
    let key = crypt::server_key(&config.backups);
    // The snapshot's checks read it on other threads while this one compresses it and
    // reads the archive back.
    let (finished, report) = std::thread::scope(|scope| -> anyhow::Result<_> {
        let checks = verify.then(|| scope.spawn(|| verify::inspect_database(&snapshot)));
        let compress_at = Instant::now();
        write_zip(&partial, &files, manifest_of)?;
        set_private(&partial)?;
        let compress_s = compress_at.elapsed().as_secs_f64();
        let mut checks = checks.map(|c| move || c.join().unwrap_or_else(|p| resume_unwind(p)));
        let mut report = None;
        if encrypted && key.is_none() {
            // Nothing here could open the sealed archive: check the plain one first.
            report = checks
                .take()
                .map(|c| verify::verify_written(&partial, None, c));
        }
        let finished = if encrypted {
            seal(config, staging, &partial)?
        } else {
            partial.clone()
        };
        if let Some(checks) = checks {
            report = Some(verify::verify_written(&finished, key.as_ref(), checks));
        }
        tracing::debug!(
            snapshot_s,
            compress_s,
            total_s = started.elapsed().as_secs_f64(),
            "backup phases"
        );
        Ok((finished, report))
    })?;
    publish(&finished, target)?;
    let entry = BackupEntry {
        name: target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: target.to_path_buf(),
        size: fs::metadata(target)?.len(),
        created_at,
        verified: None,
        encrypted,
        verify_note: None,
    };
    Ok((entry, report))
}

/// Copies the live database into `staging` with SQLite's online backup, so the archive
/// holds one consistent state while the server keeps writing; answers the copy's path,
/// schema version and row counts (read from the copy, so the manifest matches it).
fn snapshot_database(
    config: &Config,
    staging: &Path,
) -> anyhow::Result<(PathBuf, i64, std::collections::BTreeMap<String, i64>)> {
    let snapshot = staging.join(DB_FILE);
    let source = store::open_existing(
        &config.data_dir.join(DB_FILE),
        Duration::from_millis(config.database.busy_timeout_ms),
    )?;
    store::snapshot(&source, &snapshot)?;
    drop(source);
    let conn = rusqlite::Connection::open(&snapshot)?;
    let (schema_version, row_counts) = (store::schema_version(&conn)?, store::row_counts(&conn)?);
    drop(conn);
    Ok((snapshot, schema_version, row_counts))
}

/// Writes the zip (the files, each hashed as it is compressed, then the manifest made from
/// their hashes) and syncs it to disk before it is renamed into place.
fn write_zip(
    partial: &Path,
    files: &[(String, PathBuf)],
    manifest_of: impl FnOnce(Vec<FileEntry>) -> Manifest,
) -> anyhow::Result<()> {
    let file = fs::File::create(partial)?;
    let mut zip = zip::ZipWriter::new(file);
    // Deflate's fastest level: the default (6) held a 5.6 GB database's backup to 39 MB/s,
    // level 1 reaches 58 MB/s for an archive about a quarter larger (docs/performance.md).
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true)
        .unix_permissions(0o600);
    let mut entries = Vec::with_capacity(files.len());
    for (name, path) in files {
        zip.start_file(name.as_str(), options)?;
        let (sha256, size) = manifest::copy_hashed(&mut fs::File::open(path)?, &mut zip)?;
        entries.push(FileEntry {
            path: name.clone(),
            size,
            sha256,
        });
    }
    zip.start_file(MANIFEST_FILE, options)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest_of(entries))?)?;
    let file = zip.finish()?;
    file.sync_all()?;
    Ok(())
}

/// Encrypts the plain archive as `[backups]` asks.
fn seal(config: &Config, staging: &Path, partial: &Path) -> anyhow::Result<PathBuf> {
    let sealed = staging.join("archive.zip.age.partial");
    crypt::encrypt_file(&config.backups, partial, &sealed)?;
    Ok(sealed)
}

/// Moves the finished archive to its final name and syncs the directory, so a crash never
/// leaves a half-written archive under that name.
fn publish(finished: &Path, target: &Path) -> anyhow::Result<()> {
    // Same directory's staging folder -> final name: an atomic rename on one filesystem.
    fs::rename(finished, target)?;
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

fn set_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
}

/// Every regular file under `dir`, named `prefix/relative/path`, sorted.
fn collect_files(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) -> anyhow::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let mut children: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    children.sort_by_key(|e| e.file_name());
    for child in children {
        let name = child.file_name().to_string_lossy().into_owned();
        let kind = child.file_type()?;
        let inner = format!("{prefix}/{name}");
        if kind.is_dir() {
            collect_files(&child.path(), &inner, out)?;
        } else if kind.is_file() {
            out.push((inner, child.path()));
        }
    }
    Ok(())
}
