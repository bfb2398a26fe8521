//! Safe upgrades: refuse a database newer than the binary before writing anything, and take
//! a verified `pre-migrate-V<from>-to-V<to>-<time>` archive before migrating one with data.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::{backup, manifest};
use crate::config::Config;
use crate::db::{DB_FILE, schema};

pub const PRE_MIGRATION_PREFIX: &str = "pre-migrate-";

/// `pre-migrate-V13-to-V23-20260101T020304Z`: the name before its suffix.
pub fn pre_migration_stem(from: i64, to: i64, at: OffsetDateTime) -> String {
    format!(
        "{PRE_MIGRATION_PREFIX}V{from}-to-V{to}-{}",
        manifest::stamp(at)
    )
}

/// The versions and time stamp a pre-migration archive name carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreMigrationName {
    pub from: i64,
    pub to: i64,
    /// `20260101T020304Z`, possibly with a `-N` uniqueness suffix; sorts by time.
    pub stamp: String,
}

pub fn parse_pre_migration_name(name: &str) -> Option<PreMigrationName> {
    if !manifest::has_archive_suffix(name) {
        return None;
    }
    let stem = name
        .strip_suffix(manifest::ENCRYPTED_SUFFIX)
        .or_else(|| name.strip_suffix(manifest::ARCHIVE_SUFFIX))?;
    let rest = stem.strip_prefix(PRE_MIGRATION_PREFIX)?.strip_prefix('V')?;
    let (from, rest) = rest.split_once("-to-V")?;
    let (to, stamp) = rest.split_once('-')?;
    Some(PreMigrationName {
        from: from.parse().ok()?,
        to: to.parse().ok()?,
        stamp: stamp.to_string(),
    })
}

/// Which pre-migration archives to delete so that the newest `keep` remain. Scheduled
/// archives (`schoolhouse-*`) are never among them, and scheduled retention never counts
/// these, so neither kind pushes the other out.
pub fn pre_migration_victims(names: Vec<String>, keep: usize) -> Vec<String> {
    let mut ours: Vec<(String, String)> = names
        .into_iter()
        .filter_map(|n| parse_pre_migration_name(&n).map(|p| (p.stamp, n)))
        .collect();
    ours.sort();
    let excess = ours.len().saturating_sub(keep);
    ours.into_iter().take(excess).map(|(_, n)| n).collect()
}

/// The archive that rolls a database at `database` back to a schema `binary` knows: the
/// newest one taken on the way to `database` from a version at most `binary`.
pub fn rollback_archive(names: &[String], database: i64, binary: i64) -> Option<String> {
    names
        .iter()
        .filter_map(|n| parse_pre_migration_name(n).map(|p| (p, n)))
        .filter(|(p, _)| p.to == database && p.from <= binary)
        .max_by(|(a, _), (b, _)| a.stamp.cmp(&b.stamp))
        .map(|(_, n)| n.clone())
}

/// The exact command that restores `archive` into this configuration's data dir.
pub fn restore_command(config: &Config, archive: &Path) -> String {
    let data_dir = std::path::absolute(&config.data_dir).unwrap_or(config.data_dir.clone());
    format!(
        "schoolhouse --data-dir {} restore {}",
        shell_quote(&data_dir),
        shell_quote(archive)
    )
}

fn shell_quote(path: &Path) -> String {
    let text = path.to_string_lossy();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '+' | ':'))
    {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// What [`prepare`] did.
#[derive(Debug, Default)]
pub struct Prepared {
    /// The verified archive written before migrating.
    pub snapshot: Option<PathBuf>,
    pub applied: Vec<i32>,
}

/// Runs before anything else touches the data dir (`serve`, `migrate` and every command that
/// opens the application): a database newer than this binary is refused with nothing
/// written; one with pending migrations and data is first saved to a verified archive, then
/// migrated in one transaction. A missing or empty database is left for `Db::open`.
pub fn prepare(config: &Config) -> anyhow::Result<Prepared> {
    super::swap::refuse_interrupted(&config.data_dir)?;
    guard(config)?;
    let path = config.data_dir.join(DB_FILE);
    let Some(pending) = pending(&path)? else {
        return Ok(Prepared::default());
    };
    let now = OffsetDateTime::now_utc();
    let archive = snapshot(config, pending.from, pending.to, now)?;
    let shown = format!(
        "before migrating V{} -> V{}, the data was saved to {}",
        pending.from,
        pending.to,
        archive.display()
    );
    println!("{shown}");
    tracing::info!(archive = %archive.display(), from = pending.from, to = pending.to, "pre-migration snapshot written");
    match prune(config) {
        Ok(deleted) if !deleted.is_empty() => {
            tracing::info!(?deleted, "older pre-migration snapshots deleted")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("cannot prune pre-migration snapshots: {e:#}"),
    }
    let applied = migrate(config, &path).map_err(|e| {
        anyhow::anyhow!(
            "migrating V{} -> V{} failed: {e:#}\nthe database was left at V{} (all migrations run in one transaction); \
             to go back to the snapshot taken just before, stop schoolhouse and run:\n    {}",
            pending.from,
            pending.to,
            pending.from,
            restore_command(config, &archive)
        )
    })?;
    Ok(Prepared {
        snapshot: Some(archive),
        applied,
    })
}

struct Pending {
    from: i64,
    to: i64,
}

/// The pending step of a database with data, read without writing; refuses a newer schema.
fn pending(path: &Path) -> anyhow::Result<Option<Pending>> {
    let Some(from) = schema::version_at(path)? else {
        return Ok(None);
    };
    let binary = crate::db::latest_migration_version();
    if from == 0 {
        return Ok(None);
    }
    let conn = schema::open_untouched(path)?;
    let applied = schema::applied_versions(&conn)?;
    drop(conn);
    let missing = crate::db::known_migration_versions()
        .into_iter()
        .any(|v| !applied.contains(&v));
    Ok((from <= binary && missing).then_some(Pending { from, to: binary }))
}

/// Refuses, before anything is written, a database at a schema newer than this binary's,
/// naming both versions and the command that rolls the data back.
pub fn guard(config: &Config) -> anyhow::Result<()> {
    let path = config.data_dir.join(DB_FILE);
    let Some(database) = schema::version_at(&path)? else {
        return Ok(());
    };
    let binary = crate::db::latest_migration_version();
    if database <= binary {
        return Ok(());
    }
    let dir = config.backups_dir();
    let names = archive_names(&dir);
    let advice = match rollback_archive(&names, database, binary) {
        Some(name) => format!(
            "to run this binary, roll the data back to the snapshot taken before that upgrade \
             (changes made since are lost):\n    {}",
            restore_command(config, &dir.join(name))
        ),
        None => format!(
            "no pre-migration snapshot in {} leads from V{binary} or older to V{database}; \
             run the newer schoolhouse again, or restore a backup made at schema V{binary} or older \
             with `schoolhouse restore <archive>`",
            dir.display()
        ),
    };
    anyhow::bail!(
        "{}; refusing to start, nothing was written.\n{advice}",
        schema::NewerSchema { database, binary }
    )
}

fn migrate(config: &Config, path: &Path) -> anyhow::Result<Vec<i32>> {
    let mut conn = crate::db::open_connection(path, &config.database)?;
    let applied = crate::db::migrate(&mut conn)?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(applied)
}

/// Writes and verifies the archive; refuses to go on without a sound one.
fn snapshot(config: &Config, from: i64, to: i64, now: OffsetDateTime) -> anyhow::Result<PathBuf> {
    let dir = config.backups_dir();
    let suffix = if super::crypt::enabled(&config.backups) {
        manifest::ENCRYPTED_SUFFIX
    } else {
        manifest::ARCHIVE_SUFFIX
    };
    let stem = pre_migration_stem(from, to, now);
    let target = (0..)
        .map(|n| match n {
            0 => dir.join(format!("{stem}{suffix}")),
            n => dir.join(format!("{stem}-{n}{suffix}")),
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}{suffix}")));
    let (entry, report) = backup::create_verified(config, Some(&target), now).map_err(|e| {
        anyhow::anyhow!("cannot write the snapshot before migrating V{from} -> V{to}: {e:#}; nothing was migrated")
    })?;
    if !report.ok() {
        anyhow::bail!(
            "the snapshot {} taken before migrating V{from} -> V{to} failed verification; nothing was migrated\n{}",
            entry.path.display(),
            report.lines().join("\n")
        );
    }
    Ok(entry.path)
}

/// Deletes pre-migration archives beyond `backups.keep_pre_migration`; returns their names.
pub fn prune(config: &Config) -> anyhow::Result<Vec<String>> {
    let dir = config.backups_dir();
    let victims = pre_migration_victims(archive_names(&dir), config.backups.keep_pre_migration);
    for name in &victims {
        std::fs::remove_file(dir.join(name))?;
    }
    Ok(victims)
}

fn archive_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn pre_migration_names_carry_both_versions_and_a_utc_time() {
        let stem = pre_migration_stem(13, 23, datetime!(2026-03-04 05:06:07 +02:00));
        assert_eq!(stem, "pre-migrate-V13-to-V23-20260304T030607Z");
        assert_eq!(
            parse_pre_migration_name(&format!("{stem}-2.zip.age")),
            Some(PreMigrationName {
                from: 13,
                to: 23,
                stamp: "20260304T030607Z-2".into()
            })
        );
        assert!(manifest::is_safe_archive_name(&format!("{stem}.zip")));
        assert_eq!(
            parse_pre_migration_name("schoolhouse-20260304T030607Z.zip"),
            None
        );
        assert_eq!(parse_pre_migration_name(&format!("{stem}.tar")), None);
    }

    #[test]
    fn pre_migration_retention_keeps_the_newest_and_never_touches_scheduled_archives() {
        let names: Vec<String> = [
            "pre-migrate-V23-to-V26-20260105T000000Z.zip",
            "schoolhouse-20260101T000000Z.zip",
            "pre-migrate-V1-to-V23-20260101T000000Z.zip",
            "pre-migrate-V13-to-V23-20260102T000000Z.zip.age",
            "pre-migrate-V22-to-V23-20260103T000000Z.zip",
        ]
        .map(String::from)
        .to_vec();
        // Sorted by time, not by the versions that lead the name.
        assert_eq!(
            pre_migration_victims(names.clone(), 2),
            [
                "pre-migrate-V1-to-V23-20260101T000000Z.zip",
                "pre-migrate-V13-to-V23-20260102T000000Z.zip.age"
            ]
        );
        assert!(pre_migration_victims(names.clone(), 4).is_empty());
        // And the scheduled retention leaves every pre-migration archive alone.
        assert_eq!(
            manifest::retention_victims(names, 0),
            ["schoolhouse-20260101T000000Z.zip"]
        );
    }

    #[test]
    fn the_rollback_archive_is_the_newest_snapshot_leading_to_the_database_schema() {
        let names: Vec<String> = [
            "pre-migrate-V13-to-V26-20260101T000000Z.zip",
            "pre-migrate-V23-to-V26-20260102T000000Z.zip",
            "pre-migrate-V24-to-V26-20260103T000000Z.zip",
            "pre-migrate-V23-to-V25-20260104T000000Z.zip",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            rollback_archive(&names, 26, 23).as_deref(),
            Some("pre-migrate-V23-to-V26-20260102T000000Z.zip")
        );
        assert_eq!(rollback_archive(&names, 27, 23), None);
        assert_eq!(rollback_archive(&names, 26, 12), None);
    }

    #[test]
    fn the_restore_command_quotes_what_a_shell_would_split() {
        let config = Config {
            data_dir: "/var/lib/school house".into(),
            ..Config::default()
        };
        assert_eq!(
            restore_command(&config, Path::new("/var/lib/b/pre-migrate-V1-to-V2-x.zip")),
            "schoolhouse --data-dir '/var/lib/school house' restore /var/lib/b/pre-migrate-V1-to-V2-x.zip"
        );
    }
}
