//! The operator commands `backup`, `backup verify`, `restore` and `doctor`.

use std::path::{Path, PathBuf};

use super::crypt::{self, Key};
use super::{backup, restore, schedule};
use crate::config::Config;

/// How to open an encrypted (age) archive; without either flag, the key in `[backups]`
/// (`identity_file`, else `passphrase_file`) is used when set.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct KeyArgs {
    /// age identity file (AGE-SECRET-KEY-1...) that opens an encrypted archive.
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_file")]
    pub identity: Option<PathBuf>,
    /// File whose first line is the passphrase an encrypted archive was made with.
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

impl KeyArgs {
    fn key(&self, config: &Config) -> Option<Key> {
        Key::choose(
            self.identity.clone(),
            self.passphrase_file.clone(),
            &config.backups,
        )
    }
}

/// `schoolhouse backup [--out FILE] [--encrypt]`: without `--out`, the same service the
/// scheduler uses (backups dir, verification, `copy_to`, retention); with it, one verified
/// archive there. Encrypted whenever `[backups]` names recipients or a passphrase file;
/// `--encrypt` refuses to write a plain archive.
pub fn backup(config: &Config, out: Option<&Path>, encrypt: bool) -> anyhow::Result<()> {
    let encryption = crypt::describe_encryption(&config.backups);
    if encrypt && encryption.is_none() {
        anyhow::bail!(
            "--encrypt needs backups.recipients (age public keys) or backups.passphrase_file in the configuration; nothing was written"
        );
    }
    let now = time::OffsetDateTime::now_utc();
    let (entry, notes) = match out {
        None => {
            let entry = schedule::run_once(config, now)?;
            let notes = schedule::load_state(&config.data_dir)
                .last_error
                .into_iter()
                .collect::<Vec<_>>();
            (entry, notes)
        }
        Some(out) => {
            let (entry, report) = backup::create_verified(config, Some(out), now)?;
            (entry, report.faults)
        }
    };
    println!("wrote {} ({} bytes)", entry.path.display(), entry.size);
    if let Some(how) = &encryption {
        println!("{how}");
    }
    if let Some(note) = &entry.verify_note {
        println!("note: {note}");
    }
    if entry.verified == Some(true) {
        println!("verified: the archive is sound");
        if encryption.is_some() {
            println!(
                "note: keep the identity or passphrase apart from the archive: without it the archive cannot be restored"
            );
        } else {
            println!(
                "note: the archive contains the server's secrets; store it as safely as the server itself"
            );
        }
        Ok(())
    } else {
        for fault in notes {
            println!("FAULT {fault}");
        }
        anyhow::bail!(
            "the new archive failed verification; run `schoolhouse backup verify {}` for details",
            entry.path.display()
        )
    }
}

/// `schoolhouse backup verify FILE [--identity FILE | --passphrase-file FILE]`.
pub fn verify(config: &Config, file: &Path, key: &KeyArgs) -> anyhow::Result<()> {
    let report = super::verify::verify_with(file, key.key(config).as_ref());
    for line in report.lines() {
        println!("{line}");
    }
    if report.ok() {
        Ok(())
    } else {
        anyhow::bail!("{} failed verification", file.display())
    }
}

/// `schoolhouse restore FILE [--identity FILE | --passphrase-file FILE] [--in-place]`.
pub fn restore(config: &Config, file: &Path, key: &KeyArgs, in_place: bool) -> anyhow::Result<()> {
    let key = key.key(config);
    let options = restore::Options {
        key: key.as_ref(),
        schema: None,
        in_place,
    };
    let done = restore::restore_as(
        file,
        &config.data_dir,
        &config.database,
        time::OffsetDateTime::now_utc(),
        &options,
    )?;
    if done.undid_interrupted {
        println!(
            "an interrupted restore had left the data dir half swapped; its previous data was put back first"
        );
    }
    println!(
        "restored {} (created {}, schema V{}) into {}",
        file.display(),
        done.manifest.created_at,
        done.manifest.schema_version,
        config.data_dir.display()
    );
    for (table, count) in &done.manifest.row_counts {
        println!("  {table}: {count} rows");
    }
    if !done.applied_migrations.is_empty() {
        println!("applied newer migrations: {:?}", done.applied_migrations);
    }
    if let Some(previous) = done.previous {
        let how = match done.strategy {
            super::swap::Strategy::RenameDir => "the data dir was renamed",
            super::swap::Strategy::InPlace => "its contents were swapped in place",
        };
        println!(
            "the previous data is kept in {} ({how}); delete it once you are satisfied",
            previous.display()
        );
    }
    Ok(())
}

/// `schoolhouse doctor [--json] [--online]`.
pub async fn doctor(
    config: anyhow::Result<crate::config::Config>,
    json: bool,
    online: bool,
) -> anyhow::Result<()> {
    use super::doctor;
    let checks = match config {
        Ok(config) => doctor::run_all(&config, time::OffsetDateTime::now_utc(), online).await,
        Err(e) => doctor::config_failed(&e),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "ok": !doctor::any_failed(&checks),
                "checks": checks,
            }))?
        );
    } else {
        print!("{}", doctor::render(&checks));
    }
    let failed = checks
        .iter()
        .filter(|c| c.status == doctor::Status::Fail)
        .count();
    if failed > 0 {
        anyhow::bail!("{failed} check(s) failed");
    }
    Ok(())
}

/// `schoolhouse migrate`: refuses a newer schema, snapshots a database with data into a
/// verified `pre-migrate-*` archive, then applies every pending migration in one transaction.
pub fn migrate(config: &Config) -> anyhow::Result<()> {
    let prepared = super::upgrade::prepare(config)?;
    let mut applied = prepared.applied;
    // A new or empty database: nothing to save, created here as `serve` would.
    std::fs::create_dir_all(&config.data_dir)?;
    let path = config.data_dir.join(crate::db::DB_FILE);
    let mut conn = crate::db::open_connection(&path, &config.database)?;
    applied.extend(crate::db::migrate(&mut conn)?);
    drop(conn);
    if applied.is_empty() {
        println!("the database is up to date");
    } else {
        println!("applied migrations: {applied:?}");
    }
    migrate_status(config)
}

/// `schoolhouse migrate status`: the database's schema and every migration, read-only.
pub fn migrate_status(config: &Config) -> anyhow::Result<()> {
    use crate::db::schema;
    let path = config.data_dir.join(crate::db::DB_FILE);
    let binary = crate::db::latest_migration_version();
    let mut states = crate::db::migration_status_of_nothing();
    match schema::version_at(&path)? {
        None => println!(
            "database schema: none yet ({} does not exist); this binary knows V{binary}",
            path.display()
        ),
        Some(version) => {
            let mut conn = schema::open_untouched(&path)?;
            let verdict = if version > binary {
                "NEWER than this binary: roll back or run the newer schoolhouse"
            } else if version < binary {
                "older than this binary: `schoolhouse migrate` upgrades it"
            } else {
                "up to date"
            };
            println!("database schema: V{version} ({verdict}); this binary knows V{binary}");
            states = crate::db::migration_status(&mut conn)?;
            let known = crate::db::known_migration_versions();
            for unknown in schema::applied_versions(&conn)?
                .into_iter()
                .filter(|v| !known.contains(v))
            {
                println!("V{unknown:<4} applied by a newer binary, unknown to this one");
            }
        }
    }
    for m in states {
        println!(
            "V{:<4} {:<30} {}",
            m.version,
            m.name,
            m.applied_on.as_deref().unwrap_or("pending")
        );
    }
    Ok(())
}

/// `schoolhouse migrate --dry-run`: the pending migrations on a temporary copy.
pub fn migrate_dry_run(config: &Config) -> anyhow::Result<()> {
    let path = config.data_dir.join(crate::db::DB_FILE);
    super::upgrade::guard(config)?;
    let report = crate::db::dry_run::dry_run(&path, &config.database)?;
    for line in report.lines() {
        println!("{line}");
    }
    if report.ok() {
        Ok(())
    } else {
        anyhow::bail!("the migrated copy failed its checks; the database was not changed")
    }
}
