//! `schoolhouse restore`: verify an archive, unpack it beside the data dir, then swap the
//! directories with renames, keeping the old data as `<data_dir>.before-restore-<stamp>`.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::crypt::Key;
use super::manifest::{self, MANIFEST_FILE, Manifest};
use super::verify::{ScratchDir, verify_into_with};
use crate::app::DataDirLock;
use crate::auth::keys::SECRETS_DIR;
use crate::config::DatabaseConfig;
use crate::db::DB_FILE;

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    /// Where the previous data now lives, if there was any.
    pub previous: Option<PathBuf>,
    /// Migrations applied because the archive was older than this binary.
    pub applied_migrations: Vec<i32>,
}

/// Replaces `data_dir` with the contents of `archive`. Refuses a damaged archive and a data
/// dir in use by a running server; the current data is only moved once the new data is
/// complete and on disk beside it.
pub fn restore(
    archive: &Path,
    data_dir: &Path,
    database: &DatabaseConfig,
    now: OffsetDateTime,
) -> anyhow::Result<Restored> {
    restore_with(archive, data_dir, database, now, None)
}

/// Like [`restore`], opening an encrypted (age) archive with `key`.
pub fn restore_with(
    archive: &Path,
    data_dir: &Path,
    database: &DatabaseConfig,
    now: OffsetDateTime,
    key: Option<&Key>,
) -> anyhow::Result<Restored> {
    restore_up_to(archive, data_dir, database, now, key, None)
}

/// Like [`restore_with`], migrating the restored database only up to `schema` when given:
/// what a binary that knows migrations up to `schema` does (the rollback drill's "older
/// binary").
pub fn restore_up_to(
    archive: &Path,
    data_dir: &Path,
    database: &DatabaseConfig,
    now: OffsetDateTime,
    key: Option<&Key>,
    schema: Option<i32>,
) -> anyhow::Result<Restored> {
    let data_dir = absolute(data_dir)?;
    let name = data_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| anyhow::anyhow!("{} is not a usable data dir", data_dir.display()))?;
    let parent = data_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    fs::create_dir_all(&parent)?;
    let lock = if data_dir.exists() {
        Some(DataDirLock::acquire(&data_dir).map_err(|e| {
            anyhow::anyhow!("refusing to restore while a server runs: {e}; stop it first")
        })?)
    } else {
        None
    };

    let stamp = manifest::stamp(now);
    let staging = ScratchDir::new(&parent, &format!("restore-{name}"))?;
    let report = verify_into_with(archive, &staging.0, key);
    let manifest = match (&report.manifest, report.ok()) {
        (Some(m), true) => m.clone(),
        _ => anyhow::bail!(
            "refusing to restore {}: it failed verification\n{}",
            archive.display(),
            report.lines().join("\n")
        ),
    };
    fs::remove_file(staging.0.join(MANIFEST_FILE))?;
    let applied_migrations = {
        let mut conn = crate::db::open_connection(&staging.0.join(DB_FILE), database)?;
        let applied = match schema {
            Some(version) => crate::db::migrate_to(&mut conn, version)?,
            None => crate::db::migrate(&mut conn)?,
        };
        conn.close().map_err(|(_, e)| e)?;
        applied
    };
    make_private(&staging.0)?;
    sync_tree(&staging.0)?;

    let previous = if data_dir.exists() {
        let aside = parent.join(format!("{name}.before-restore-{stamp}"));
        if aside.exists() {
            anyhow::bail!("{} already exists; move it away first", aside.display());
        }
        fs::rename(&data_dir, &aside)?;
        Some(aside)
    } else {
        None
    };
    fs::rename(&staging.0, &data_dir)?;
    // Backup archives and their record are history, not state: keep them with the live data.
    if let Some(previous) = &previous {
        for kept in ["backups", super::schedule::STATE_FILE] {
            let old = previous.join(kept);
            if old.exists() && !data_dir.join(kept).exists() {
                fs::rename(&old, data_dir.join(kept))?;
            }
        }
    }
    fs::File::open(&parent)?.sync_all()?;
    drop(lock);
    Ok(Restored {
        manifest,
        previous,
        applied_migrations,
    })
}

fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

fn make_private(dir: &Path) -> std::io::Result<()> {
    fs::set_permissions(dir, fs::Permissions::from_mode(0o750))?;
    let secrets = dir.join(SECRETS_DIR);
    if secrets.is_dir() {
        fs::set_permissions(&secrets, fs::Permissions::from_mode(0o700))?;
        for entry in fs::read_dir(&secrets)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(())
}

/// fsyncs every file and directory under `dir` so the swap only ever exposes complete data.
fn sync_tree(dir: &Path) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            sync_tree(&entry.path())?;
        } else {
            fs::File::open(entry.path())?.sync_all()?;
        }
    }
    fs::File::open(dir)?.sync_all()
}
