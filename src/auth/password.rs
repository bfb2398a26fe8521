//! Password hashing (argon2id) and the rules a new password must meet.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use std::sync::{Arc, Condvar, Mutex};

use crate::config::Argon2Config;
use crate::http::FieldError;

const MAX_PASSWORD_BYTES: usize = 1024;

/// Passwords people pick most often (at least ten characters long, since shorter ones are
/// refused anyway), compared case-insensitively.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Bounds how many hashes run at once: each argon2 run holds `memory_kib` of RAM, so a
/// login flood must queue instead of growing memory and starving other blocking work.
struct HashGate {
    free: Mutex<usize>,
    freed: Condvar,
}

struct HashPermit<'a>(&'a HashGate);

impl HashGate {
    fn enter(&self) -> HashPermit<'_> {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
        HashPermit(self)
    }
}

impl Drop for HashPermit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

#[derive(Clone)]
pub struct PasswordHasherConfig {
    params: Params,
    gate: Arc<HashGate>,
    /// A hash of a random password, verified against when the email is unknown so that
    /// a login for a missing account costs the same time as one for a real account.
    dummy_hash: String,
}

impl PasswordHasherConfig {
    pub fn new(config: &Argon2Config) -> anyhow::Result<PasswordHasherConfig> {
        let params = Params::new(
            config.memory_kib,
            config.iterations,
            config.parallelism,
            None,
        )
        .map_err(|e| anyhow::anyhow!("invalid argon2 parameters: {e}"))?;
        let slots = std::thread::available_parallelism().map_or(2, |n| n.get());
        let mut hasher = PasswordHasherConfig {
            params,
            gate: Arc::new(HashGate {
                free: Mutex::new(slots),
                freed: Condvar::new(),
            }),
            dummy_hash: String::new(),
        };
        hasher.dummy_hash = hasher.hash(&crate::auth::tokens::random_token())?;
        Ok(hasher)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Hashes a password; CPU-heavy, so call it off the async runtime.
    pub fn hash(&self, password: &str) -> anyhow::Result<String> {
        let _permit = self.gate.enter();
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        PasswordHasher::<PasswordHash>::hash_password_with_salt(
            &self.argon2(),
            password.as_bytes(),
            &salt,
        )
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    }

    /// Checks a password against a stored hash (or the dummy hash when `stored` is None).
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let hash_text = stored.unwrap_or(&self.dummy_hash);
        let Ok(parsed) = PasswordHash::new(hash_text) else {
            return false;
        };
        let _permit = self.gate.enter();
        let matches = self
            .argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        matches && stored.is_some()
    }
}

/// Checks a new password: length bounds and not one of the most common passwords.
pub fn check_new_password(
    field: &str,
    password: &str,
    min_length: usize,
) -> Result<(), FieldError> {
    if password.len() < min_length {
        return Err(FieldError::new(
            field,
            format!("must be at least {min_length} characters long"),
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(FieldError::new(field, "must be at most 1024 bytes long"));
    }
    let lowered = password.to_lowercase();
    if COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .any(|common| !common.is_empty() && common == lowered)
    {
        return Err(FieldError::new(
            field,
            "is one of the most commonly used passwords; choose another",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> PasswordHasherConfig {
        PasswordHasherConfig::new(&Argon2Config {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap()
    }

    #[test]
    fn hashes_verify_only_the_right_password() {
        let hasher = cheap();
        let hash = hasher.hash("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(hasher.verify("correct horse battery", Some(&hash)));
        assert!(!hasher.verify("wrong horse battery", Some(&hash)));
    }

    #[test]
    fn unknown_accounts_never_verify() {
        assert!(!cheap().verify("anything at all", None));
    }

    #[test]
    fn short_long_and_common_passwords_are_refused() {
        assert!(check_new_password("password", "short", 10).is_err());
        assert!(check_new_password("password", &"x".repeat(1025), 10).is_err());
        assert!(check_new_password("password", "Password123", 10).is_err());
        assert!(check_new_password("password", "a fine long passphrase", 10).is_ok());
    }
}
