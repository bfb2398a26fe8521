//! Server secrets: loaded from config, or generated into `<data_dir>/secrets` on first start.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

use crate::config::AuthConfig;

pub const SECRETS_DIR: &str = "secrets";
pub const JWT_KEY_FILE: &str = "jwt.key";
pub const ENCRYPTION_KEY_FILE: &str = "encryption.key";

/// The key material the server runs with.
#[derive(Clone)]
pub struct Secrets {
    pub jwt_secret: Vec<u8>,
    pub encryption_key: [u8; 32],
}

impl Secrets {
    /// Uses configured secrets where given, else reads or creates the files (mode 0600).
    pub fn load_or_create(data_dir: &Path, config: &AuthConfig) -> anyhow::Result<Secrets> {
        let dir = data_dir.join(SECRETS_DIR);
        fs::create_dir_all(&dir)?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))?;
        let jwt_secret = if config.jwt_secret.is_empty() {
            let text = read_or_create(&dir.join(JWT_KEY_FILE), || {
                let mut bytes = [0u8; 64];
                rand::rng().fill_bytes(&mut bytes);
                STANDARD.encode(bytes)
            })?;
            STANDARD.decode(text.trim())?
        } else {
            config.jwt_secret.as_bytes().to_vec()
        };
        let key_hex = if config.encryption_key.is_empty() {
            read_or_create(&dir.join(ENCRYPTION_KEY_FILE), || {
                let mut bytes = [0u8; 32];
                rand::rng().fill_bytes(&mut bytes);
                hex::encode(bytes)
            })?
        } else {
            config.encryption_key.clone()
        };
        let mut encryption_key = [0u8; 32];
        hex::decode_to_slice(key_hex.trim(), &mut encryption_key)
            .map_err(|e| anyhow::anyhow!("the encryption key is not 64 hex characters: {e}"))?;
        Ok(Secrets {
            jwt_secret,
            encryption_key,
        })
    }
}

fn read_or_create(path: &Path, make: impl FnOnce() -> String) -> anyhow::Result<String> {
    if path.exists() {
        let mode = fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(path = %path.display(), mode = format!("{mode:o}"), "secret file is readable by others; setting mode 0600");
            fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
        }
        return Ok(fs::read_to_string(path)?);
    }
    let value = make();
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(value.as_bytes())?;
    file.sync_all()?;
    tracing::info!(path = %path.display(), "generated a new secret");
    Ok(value)
}
