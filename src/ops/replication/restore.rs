//! `schoolhouse restore --from-replica [--timestamp T]`: the database from the bucket into a
//! data dir that has none, checked (integrity, foreign keys, schema) before it takes the
//! database's name.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use super::litestream::Litestream;
use crate::auth::keys::{ENCRYPTION_KEY_FILE, JWT_KEY_FILE, SECRETS_DIR};
use crate::config::Config;
use crate::db::DB_FILE;
use crate::ops::{integrity, store};
use crate::state::DataDirLock;

/// What a restore from the replica did.
#[derive(Debug)]
pub struct Restored {
    pub db_path: PathBuf,
    pub schema_version: i64,
    pub seconds: f64,
    /// Secrets the restored database needs that neither the config nor the data dir has.
    pub missing_secrets: Vec<String>,
}

/// Restores `<data_dir>/schoolhouse.db` from the replica, as it was at `at` when given.
/// Refuses a data dir that already has a database or that a server uses: a restore never
/// overwrites data. With `if_replica_exists`, an empty replica restores nothing (`None`).
pub fn from_replica(
    config: &Config,
    at: Option<OffsetDateTime>,
    if_replica_exists: bool,
) -> anyhow::Result<Option<Restored>> {
    let started = Instant::now();
    let data_dir = &config.data_dir;
    let db_path = data_dir.join(DB_FILE);
    if db_path.exists() {
        anyhow::bail!(
            "{} already has a database; a restore from the replica goes into a fresh data dir \
             (move this one away or pass another --data-dir); nothing was changed",
            data_dir.display()
        );
    }
    prepare_dir(data_dir)?;
    let _lock = DataDirLock::acquire(data_dir)?;
    let scratch = data_dir.join(format!("{DB_FILE}.from-replica"));
    remove_with_sidecars(&scratch);
    let litestream = Litestream::prepare(config, None)?;
    let mut args = vec!["-o".to_string(), scratch.display().to_string()];
    if let Some(at) = at {
        args.extend(["-timestamp".to_string(), crate::clock::rfc3339(at)]);
    }
    if if_replica_exists {
        args.push("-if-replica-exists".to_string());
    }
    args.push(litestream.db_path.display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if let Err(e) = litestream.output("restore", &args) {
        remove_with_sidecars(&scratch);
        return Err(e);
    }
    if if_replica_exists && !scratch.exists() {
        return Ok(None);
    }
    let schema_version = match check(&scratch, config) {
        Ok(version) => version,
        Err(e) => {
            remove_with_sidecars(&scratch);
            return Err(e);
        }
    };
    std::fs::rename(&scratch, &db_path)?;
    Ok(Some(Restored {
        db_path,
        schema_version,
        seconds: started.elapsed().as_secs_f64(),
        missing_secrets: missing_secrets(config),
    }))
}

/// Checks a restored database: `integrity_check`, `foreign_key_check`, and a schema this
/// binary knows (older ones are migrated by `serve` at start). Returns its schema version.
pub fn check(path: &Path, config: &Config) -> anyhow::Result<i64> {
    let conn = store::open_existing(path, Duration::from_millis(config.database.busy_timeout_ms))?;
    let found = integrity::check(path)?;
    if !found.damage.is_empty() {
        anyhow::bail!(
            "the restored database is damaged: {}",
            found.damage.join("; ")
        );
    }
    let orphans = found.broken_references;
    if !orphans.is_empty() {
        anyhow::bail!(
            "the restored database has rows pointing at missing parents: {}",
            orphans.join("; ")
        );
    }
    let version = store::schema_version(&conn)?;
    let known = crate::db::latest_migration_version();
    if version > known {
        anyhow::bail!(
            "the restored database has schema V{version}, newer than this binary's V{known}: \
             restore with the newer schoolhouse"
        );
    }
    Ok(version)
}

/// The key files the restored database would need from the data dir: without them sessions
/// end and encrypted fields (MFA secrets, tokens) cannot be read.
pub fn missing_secrets(config: &Config) -> Vec<String> {
    let dir = config.data_dir.join(SECRETS_DIR);
    let mut missing = Vec::new();
    if config.auth.jwt_secret.is_empty() && !dir.join(JWT_KEY_FILE).exists() {
        missing.push(format!("auth.jwt_secret (or {SECRETS_DIR}/{JWT_KEY_FILE})"));
    }
    if config.auth.encryption_key.is_empty() && !dir.join(ENCRYPTION_KEY_FILE).exists() {
        missing.push(format!(
            "auth.encryption_key (or {SECRETS_DIR}/{ENCRYPTION_KEY_FILE})"
        ));
    }
    missing
}

pub(super) fn prepare_dir(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create data dir {}: {e}", dir.display()))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o750))?;
    }
    Ok(())
}

pub(super) fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-txid"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// `restore --from-replica` for people: what was restored and what to do next.
pub fn run(
    config: &Config,
    timestamp: Option<&str>,
    if_replica_exists: bool,
) -> anyhow::Result<()> {
    let at = match timestamp {
        Some(text) => Some(crate::clock::parse_rfc3339(text).ok_or_else(|| {
            anyhow::anyhow!("--timestamp {text:?} is not an RFC 3339 time (2026-05-01T12:00:00Z)")
        })?),
        None => None,
    };
    let Some(done) = from_replica(config, at, if_replica_exists)? else {
        println!("the replica is empty: nothing restored");
        return Ok(());
    };
    println!(
        "restored {} from s3://{}/{} (schema V{}){} in {:.1} s",
        done.db_path.display(),
        config.replication.bucket,
        config.replication.path,
        done.schema_version,
        at.map(|t| format!(" as of {}", crate::clock::rfc3339(t)))
            .unwrap_or_default(),
        done.seconds
    );
    println!(
        "integrity_check ok, foreign_key_check ok; `schoolhouse serve` applies any newer migrations"
    );
    for secret in &done.missing_secrets {
        println!(
            "WARNING: {secret} is missing: sign-ins and encrypted fields of the restored \
             database need the original key; configure it or copy the secrets/ directory back"
        );
    }
    Ok(())
}
