//! `schoolhouse keys rotate`: a new encryption key, every encrypted column re-encrypted
//! under it in one transaction, the old key kept beside it as `encryption.key.old-<time>`.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use rand::RngCore;

use super::store;
use crate::auth::crypto;
use crate::auth::keys::{ENCRYPTION_KEY_FILE, SECRETS_DIR, Secrets};
use crate::config::Config;
use crate::state::DataDirLock;

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Generate a new encryption key and re-encrypt every stored secret under it (stop the
    /// server first).
    Rotate,
}

/// The caller refuses a data dir whose schema is newer than this binary first
/// (`ops::upgrade::guard`).
pub fn run(config: Config, action: KeysAction) -> anyhow::Result<()> {
    match action {
        KeysAction::Rotate => {
            let report = rotate(&config)?;
            println!(
                "rotated the encryption key: {} secret(s) re-encrypted; the old key is kept in {}",
                report.reencrypted,
                report.old_key_file.display()
            );
            Ok(())
        }
    }
}

/// What a rotation did.
#[derive(Debug)]
pub struct Rotation {
    pub reencrypted: usize,
    pub old_key_file: PathBuf,
}

fn write_new_file(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// Rotates the key of the data dir in `config`. Refuses while a server uses the data dir,
/// when the key comes from the configuration, and when a previous rotation was interrupted.
pub fn rotate(config: &Config) -> anyhow::Result<Rotation> {
    if !config.auth.encryption_key.is_empty() {
        anyhow::bail!(
            "the encryption key comes from the configuration (auth.encryption_key / \
             SCHOOLHOUSE_AUTH__ENCRYPTION_KEY), so it cannot be rotated here: remove it from the \
             configuration and move it into {}/{}/{} first, then run `schoolhouse keys rotate`",
            config.data_dir.display(),
            SECRETS_DIR,
            ENCRYPTION_KEY_FILE
        );
    }
    let _lock = DataDirLock::acquire(&config.data_dir)
        .map_err(|e| anyhow::anyhow!("{e}; stop the server before rotating the key"))?;
    let old = Secrets::load_or_create(&config.data_dir, &config.auth)?.encryption_key;
    let dir = config.data_dir.join(SECRETS_DIR);
    let key_file = dir.join(ENCRYPTION_KEY_FILE);
    let pending = dir.join(format!("{ENCRYPTION_KEY_FILE}.new"));
    if pending.exists() {
        anyhow::bail!(
            "{} exists: a previous rotation was interrupted. If `keys rotate` reported an \
             error, delete it; otherwise the database may already use it: move it to {}",
            pending.display(),
            key_file.display()
        );
    }
    let mut new = [0u8; 32];
    rand::rng().fill_bytes(&mut new);
    // The new key is on disk before the database uses it, so a crash cannot lose it.
    write_new_file(&pending, &hex::encode(new))?;
    let reencrypted = match reencrypt_all(config, &old, &new) {
        Ok(n) => n,
        Err(e) => {
            let _ = fs::remove_file(&pending);
            return Err(e);
        }
    };
    let stamp = crate::clock::rfc3339(time::OffsetDateTime::now_utc()).replace(':', "");
    let old_key_file = dir.join(format!("{ENCRYPTION_KEY_FILE}.old-{stamp}"));
    write_new_file(&old_key_file, &fs::read_to_string(&key_file)?)?;
    fs::rename(&pending, &key_file)?;
    fs::File::open(&dir)?.sync_all()?;
    Ok(Rotation {
        reencrypted,
        old_key_file,
    })
}

/// Decrypts every encrypted value with `old` and stores it encrypted with `new`, all or
/// nothing.
fn reencrypt_all(config: &Config, old: &[u8; 32], new: &[u8; 32]) -> anyhow::Result<usize> {
    let path = config.data_dir.join(crate::db::DB_FILE);
    let mut conn = crate::db::open_connection(&path, &config.database)?;
    crate::db::migrate(&mut conn)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let secrets = store::mfa_secrets(&tx)?;
    for (user_id, ciphertext) in &secrets {
        let plain = crypto::decrypt(old, ciphertext, user_id).map_err(|e| {
            anyhow::anyhow!("the MFA secret of user {user_id} cannot be decrypted with the current key: {e}; nothing was changed")
        })?;
        let sealed = crypto::encrypt(new, &plain, user_id)?;
        store::set_mfa_secret(&tx, user_id, &sealed)?;
    }
    let now = crate::clock::rfc3339(time::OffsetDateTime::now_utc());
    crate::audit::store::record(
        &tx,
        &now,
        &crate::audit::Entry {
            actor_id: None,
            action: "keys.rotated",
            target_type: Some("encryption_key"),
            target_id: None,
            ip: None,
            detail: Some(serde_json::json!({ "reencrypted": secrets.len(), "by": "cli" })),
        },
    )?;
    tx.commit()?;
    Ok(secrets.len())
}
