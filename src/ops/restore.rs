//! `schoolhouse restore`: verify an archive, unpack it, then swap it in (whole directory or contents) keeping the old data aside.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::crypt::Key;
use super::manifest::{self, MANIFEST_FILE, Manifest};
use super::swap::{self, DirFacts, Strategy};
use super::verify::{ScratchDir, verify_into_with};
use crate::auth::keys::SECRETS_DIR;
use crate::config::DatabaseConfig;
use crate::db::DB_FILE;
use crate::state::DataDirLock;

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    /// Where the previous data now lives, if there was any.
    pub previous: Option<PathBuf>,
    /// Migrations applied because the archive was older than this binary.
    pub applied_migrations: Vec<i32>,
    /// Whether the data dir was renamed as a whole or its contents swapped.
    pub strategy: Strategy,
    /// An earlier in-place restore had been interrupted; its previous data was put back first.
    pub undid_interrupted: bool,
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
    let options = Options {
        key,
        schema,
        in_place: false,
    };
    restore_as(archive, data_dir, database, now, &options)
}

/// How a restore opens the archive and puts it in place.
#[derive(Default)]
pub struct Options<'a> {
    pub key: Option<&'a Key>,
    /// Migrate the restored database only up to this version (see [`restore_up_to`]).
    pub schema: Option<i32>,
    /// Swap the data dir's contents instead of the directory (`restore --in-place`); chosen
    /// anyway when the data dir cannot be renamed.
    pub in_place: bool,
}

/// The restore every other function here is a shorthand for.
pub fn restore_as(
    archive: &Path,
    data_dir: &Path,
    database: &DatabaseConfig,
    now: OffsetDateTime,
    options: &Options,
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
    let facts = DirFacts::probe(&data_dir, &parent);
    if !facts.exists {
        fs::create_dir_all(&parent)?;
    }
    let lock = if facts.exists {
        Some(DataDirLock::acquire(&data_dir).map_err(|e| {
            anyhow::anyhow!("refusing to restore while a server runs: {e}; stop it first")
        })?)
    } else {
        None
    };
    let undid_interrupted = facts.exists && swap::undo_interrupted(&data_dir)?;
    let stamp = manifest::stamp(now);

    let mut strategy = swap::restore_strategy(options.in_place, facts);
    if strategy == Strategy::RenameDir {
        let staged = stage(archive, &parent, &name, database, options)?;
        let aside = parent.join(format!("{name}.before-restore-{stamp}"));
        let previous = if facts.exists {
            if aside.exists() {
                anyhow::bail!("{} already exists; move it away first", aside.display());
            }
            match fs::rename(&data_dir, &aside) {
                Ok(()) => Some(Some(aside)),
                // A bind mount on the same file system, say: swap the contents after all.
                Err(e) if swap::rename_refusal_means_in_place(&e) => {
                    tracing::info!(error = %e, "the data dir cannot be renamed; restoring in place");
                    strategy = Strategy::InPlace;
                    None
                }
                Err(e) => return Err(e.into()),
            }
        } else {
            Some(None)
        };
        if let Some(previous) = previous {
            fs::rename(&staged.dir.0, &data_dir)?;
            // Backup archives and their record are history, not state: keep them with the
            // live data.
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
            return Ok(Restored {
                manifest: staged.manifest,
                previous,
                applied_migrations: staged.applied_migrations,
                strategy,
                undid_interrupted,
            });
        }
    }

    // In place: unpacked inside the data dir so every move is a rename on one file system.
    let staged = stage(archive, &data_dir, &name, database, options)?;
    let aside = data_dir.join(format!("{}{stamp}", swap::ASIDE_PREFIX));
    if let Err(e) = swap::swap_in_place(&data_dir, &staged.dir.0, &aside) {
        return Err(match swap::undo_interrupted(&data_dir) {
            Ok(_) => e.context("the restore failed; the data dir is as it was"),
            Err(undo) => e.context(format!(
                "the restore failed and could not be undone ({undo:#}); run it again"
            )),
        });
    }
    let Staged {
        dir,
        manifest,
        applied_migrations,
    } = staged;
    drop(dir);
    drop(lock);
    Ok(Restored {
        manifest,
        previous: Some(aside),
        applied_migrations,
        strategy,
        undid_interrupted,
    })
}

/// A verified archive unpacked and migrated in a scratch directory, synced to disk.
struct Staged {
    dir: ScratchDir,
    manifest: Manifest,
    applied_migrations: Vec<i32>,
}

fn stage(
    archive: &Path,
    within: &Path,
    name: &str,
    database: &DatabaseConfig,
    options: &Options,
) -> anyhow::Result<Staged> {
    let dir = ScratchDir::new(within, &format!("restore-{name}"))?;
    let report = verify_into_with(archive, &dir.0, options.key);
    let manifest = match (&report.manifest, report.ok()) {
        (Some(m), true) => m.clone(),
        _ => anyhow::bail!(
            "refusing to restore {}: it failed verification\n{}",
            archive.display(),
            report.lines().join("\n")
        ),
    };
    fs::remove_file(dir.0.join(MANIFEST_FILE))?;
    let applied_migrations = {
        let mut conn = crate::db::open_connection(&dir.0.join(DB_FILE), database)?;
        let applied = match options.schema {
            Some(version) => crate::db::migrate_to(&mut conn, version)?,
            None => crate::db::migrate(&mut conn)?,
        };
        conn.close().map_err(|(_, e)| e)?;
        applied
    };
    make_private(&dir.0)?;
    sync_tree(&dir.0)?;
    Ok(Staged {
        dir,
        manifest,
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
