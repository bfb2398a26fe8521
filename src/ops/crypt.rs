//! Optional age encryption of backup archives: to age public keys or with a passphrase
//! file from `[backups]`, and the keys (`--identity`, `--passphrase-file`) that open them.

use std::fs;
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::SecretString;
use age::{DecryptError, Decryptor, Encryptor, Identity, IdentityFile};

use crate::config::BackupsConfig;

/// Appended to the name of an encrypted archive: `schoolhouse-<stamp>.zip.age`.
pub const AGE_SUFFIX: &str = ".age";
/// The first bytes of every (binary) age file.
const MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// What opens an encrypted archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// An age identity file (`AGE-SECRET-KEY-1...` lines).
    Identity(PathBuf),
    /// A file whose first line is the passphrase.
    Passphrase(PathBuf),
}

impl Key {
    /// The key given on the command line, else the one this server holds in its config.
    pub fn choose(
        identity: Option<PathBuf>,
        passphrase_file: Option<PathBuf>,
        config: &BackupsConfig,
    ) -> Option<Key> {
        identity
            .map(Key::Identity)
            .or(passphrase_file.map(Key::Passphrase))
            .or_else(|| server_key(config))
    }

    pub fn describe(&self) -> String {
        match self {
            Key::Identity(path) => format!("the age identity in {}", path.display()),
            Key::Passphrase(path) => format!("the passphrase in {}", path.display()),
        }
    }
}

/// Whether `[backups]` asks for encrypted archives.
pub fn enabled(config: &BackupsConfig) -> bool {
    !config.recipients.is_empty() || config.passphrase_file.is_some()
}

/// The key this server holds to open its own encrypted archives, if any.
pub fn server_key(config: &BackupsConfig) -> Option<Key> {
    config
        .identity_file
        .clone()
        .map(Key::Identity)
        .or_else(|| config.passphrase_file.clone().map(Key::Passphrase))
}

pub use crate::config::ops::check_encryption as check_config;

/// A human summary of how new archives are encrypted, when they are.
pub fn describe_encryption(config: &BackupsConfig) -> Option<String> {
    match (&config.passphrase_file, config.recipients.len()) {
        (Some(file), _) => Some(format!(
            "encrypted (age) with the passphrase in {}",
            file.display()
        )),
        (None, 0) => None,
        (None, n) => Some(format!("encrypted (age) to {n} public key(s)")),
    }
}

/// Whether the file at `path` is an age file.
pub fn is_encrypted(path: &Path) -> bool {
    let mut head = [0u8; MAGIC.len()];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == MAGIC
}

fn read_passphrase(path: &Path) -> anyhow::Result<SecretString> {
    let text = fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the passphrase file {}: {e}", path.display()))?;
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        anyhow::bail!("the passphrase file {} is empty", path.display());
    }
    Ok(SecretString::from(line.to_string()))
}

fn private_file(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

/// Encrypts `src` into the new file `dst` as `[backups]` says.
pub fn encrypt_file(config: &BackupsConfig, src: &Path, dst: &Path) -> anyhow::Result<()> {
    check_config(config).map_err(|(key, message)| anyhow::anyhow!("{key}: {message}"))?;
    let encryptor = match &config.passphrase_file {
        Some(file) => Encryptor::with_user_passphrase(read_passphrase(file)?),
        None => {
            let recipients = config
                .recipients
                .iter()
                .map(|r| age::x25519::Recipient::from_str(r.trim()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| anyhow::anyhow!("backups.recipients: {e}"))?;
            Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| anyhow::anyhow!("cannot encrypt: {e}"))?
        }
    };
    let mut writer = encryptor.wrap_output(BufWriter::new(private_file(dst)?))?;
    std::io::copy(&mut fs::File::open(src)?, &mut writer)?;
    let file = writer.finish()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(())
}

fn identities(key: &Key) -> anyhow::Result<Vec<Box<dyn Identity + Send + Sync>>> {
    match key {
        Key::Identity(path) => {
            let file =
                IdentityFile::from_file(path.to_string_lossy().into_owned()).map_err(|e| {
                    anyhow::anyhow!("cannot read the age identity file {}: {e}", path.display())
                })?;
            let found = file.into_identities().map_err(|e| {
                anyhow::anyhow!("the age identity file {} is unusable: {e}", path.display())
            })?;
            if found.is_empty() {
                anyhow::bail!(
                    "{} holds no age identity (AGE-SECRET-KEY-1...)",
                    path.display()
                );
            }
            Ok(found)
        }
        Key::Passphrase(path) => Ok(vec![Box::new(age::scrypt::Identity::new(read_passphrase(
            path,
        )?))]),
    }
}

/// Decrypts the age file `src` into the new private file `dst` with `key`; every failure
/// says what to do (no key, the wrong kind of key, a key that does not fit, damage).
pub fn decrypt_file(src: &Path, dst: &Path, key: Option<&Key>) -> anyhow::Result<()> {
    let shown = src.display();
    let Some(key) = key else {
        anyhow::bail!(
            "{shown} is encrypted (age): pass --identity FILE (an age identity file) or --passphrase-file FILE"
        );
    };
    let decryptor = Decryptor::new_buffered(BufReader::new(fs::File::open(src)?))
        .map_err(|e| anyhow::anyhow!("{shown} is not a readable age file: {e}"))?;
    match (decryptor.is_scrypt(), key) {
        (true, Key::Identity(_)) => anyhow::bail!(
            "{shown} is encrypted with a passphrase, not to an age key: pass --passphrase-file FILE"
        ),
        (false, Key::Passphrase(_)) => anyhow::bail!(
            "{shown} is encrypted to age public keys, not with a passphrase: pass --identity FILE"
        ),
        _ => {}
    }
    let found = identities(key)?;
    let mut reader = decryptor
        .decrypt(found.iter().map(|i| i.as_ref() as &dyn Identity))
        .map_err(|e| match e {
            DecryptError::NoMatchingKeys
            | DecryptError::DecryptionFailed
            | DecryptError::KeyDecryptionFailed => anyhow::anyhow!(
                "{} does not open {shown}: wrong key or passphrase",
                key.describe()
            ),
            other => anyhow::anyhow!("cannot decrypt {shown}: {other}"),
        })?;
    let mut out = BufWriter::new(private_file(dst)?);
    std::io::copy(&mut reader, &mut out)
        .map_err(|e| anyhow::anyhow!("the encrypted archive {shown} is damaged: {e}"))?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;

    #[test]
    fn recipients_must_be_age_keys_and_not_mixed_with_a_passphrase() {
        let public = age::x25519::Identity::generate().to_public().to_string();
        let mut config = BackupsConfig {
            recipients: vec![public],
            ..BackupsConfig::default()
        };
        assert!(check_config(&config).is_ok());
        assert!(enabled(&config));
        config.passphrase_file = Some("/etc/pass".into());
        assert_eq!(
            check_config(&config).unwrap_err().0,
            "backups.passphrase_file"
        );
        config.passphrase_file = None;
        config.recipients = vec!["ssh-ed25519 AAAA".into()];
        assert_eq!(check_config(&config).unwrap_err().0, "backups.recipients");
        assert!(!enabled(&BackupsConfig::default()));
    }

    #[test]
    fn a_passphrase_round_trip_and_a_wrong_passphrase_is_named() {
        let dir = tempfile_dir();
        let (plain, sealed, opened) = (dir.join("a"), dir.join("a.age"), dir.join("b"));
        fs::write(&plain, b"archive bytes").unwrap();
        fs::write(dir.join("pass"), "correct horse\n").unwrap();
        fs::write(dir.join("wrong"), "battery staple\n").unwrap();
        let config = BackupsConfig {
            passphrase_file: Some(dir.join("pass")),
            ..BackupsConfig::default()
        };
        assert_eq!(
            read_passphrase(&dir.join("pass")).unwrap().expose_secret(),
            "correct horse"
        );
        encrypt_file(&config, &plain, &sealed).unwrap();
        assert!(is_encrypted(&sealed) && !is_encrypted(&plain));
        let err = decrypt_file(&sealed, &opened, Some(&Key::Passphrase(dir.join("wrong"))))
            .unwrap_err()
            .to_string();
        assert!(err.contains("wrong key or passphrase"), "{err}");
        let _ = fs::remove_file(&opened);
        let err = decrypt_file(&sealed, &opened, None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--passphrase-file"), "{err}");
        decrypt_file(&sealed, &opened, Some(&Key::Passphrase(dir.join("pass")))).unwrap();
        assert_eq!(fs::read(&opened).unwrap(), b"archive bytes");
        let _ = fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("crypt-test-{}", uuid::Uuid::now_v7()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }
}
