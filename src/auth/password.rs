//! Password hashing (argon2id) and the rules a new password must meet.

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;
use std::sync::{Arc, Condvar, Mutex};

use crate::config::Argon2Config;
use crate::http::FieldError;

const MAX_PASSWORD_BYTES: usize = 1024;

/// Passwords people pick most often (at least ten characters long, since shorter ones are
/// refused anyway), compared case-insensitively.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// The working memory of argon2 runs (`memory_kib` each): at most one buffer per core exists,
/// so a login flood queues for a buffer instead of growing memory. A finished run hands its
/// buffer straight to a waiting one and frees it when none waits, so an idle server holds none.
struct MemoryPool {
    state: Mutex<PoolState>,
    returned: Condvar,
}

struct PoolState {
    /// Buffers returned for a waiting run that has not picked them up yet.
    idle: Vec<Vec<Block>>,
    /// Buffers that exist (idle or lent out).
    made: usize,
    limit: usize,
    /// Runs blocked in `take` until a buffer comes back.
    waiting: usize,
}

/// A buffer lent out of the pool; goes back when dropped.
struct Lent<'a> {
    pool: &'a MemoryPool,
    blocks: Vec<Block>,
}

impl MemoryPool {
    fn new(limit: usize) -> MemoryPool {
        MemoryPool {
            state: Mutex::new(PoolState {
                idle: Vec::new(),
                made: 0,
                limit: limit.max(1),
                waiting: 0,
            }),
            returned: Condvar::new(),
        }
    }

    /// A buffer of exactly `blocks` blocks, waiting while every buffer is in use.
    fn take(&self, blocks: usize) -> Lent<'_> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut buffer = loop {
            if let Some(buffer) = state.idle.pop() {
                break buffer;
            }
            if state.made < state.limit {
                state.made += 1;
                break Vec::new();
            }
            state.waiting += 1;
            state = self.returned.wait(state).unwrap_or_else(|p| p.into_inner());
            state.waiting -= 1;
        };
        drop(state);
        // Only a hash stored under other parameters than the configured ones resizes.
        buffer.resize(blocks, Block::default());
        Lent {
            pool: self,
            blocks: buffer,
        }
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        let blocks = std::mem::take(&mut self.blocks);
        let mut state = self.pool.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.waiting > state.idle.len() {
            state.idle.push(blocks);
            drop(state);
            self.pool.returned.notify_one();
        } else {
            state.made -= 1;
            drop(state);
            drop(blocks);
        }
    }
}

#[derive(Clone)]
pub struct PasswordHasherConfig {
    params: Params,
    memory: Arc<MemoryPool>,
    /// A well-formed hash under the configured parameters that no password matches,
    /// verified against when the email is unknown so that a login for a missing account
    /// costs the same time as one for a real account.
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
        // Random output bytes instead of a real hash: verifying runs the same argon2 work
        // either way, and start-up skips a hash (and its working memory).
        let mut dummy_output = [0u8; Params::DEFAULT_OUTPUT_LEN];
        rand::rng().fill_bytes(&mut dummy_output);
        let dummy_hash = phc_string(&params, &random_salt(), &dummy_output)?;
        Ok(PasswordHasherConfig {
            params,
            memory: Arc::new(MemoryPool::new(slots)),
            dummy_hash,
        })
    }

    /// Hashes a password (argon2id, PHC string); CPU-heavy, so call it off the async runtime.
    pub fn hash(&self, password: &str) -> anyhow::Result<String> {
        let salt = random_salt();
        let mut output = [0u8; Params::DEFAULT_OUTPUT_LEN];
        let mut memory = self.memory.take(self.params.block_count());
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
            .hash_password_into_with_memory(
                password.as_bytes(),
                &salt,
                &mut output,
                memory.blocks.as_mut_slice(),
            )
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
        drop(memory);
        phc_string(&self.params, &salt, &output)
    }

    /// Checks a password against a stored hash (or the dummy hash when `stored` is None).
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let hash_text = stored.unwrap_or(&self.dummy_hash);
        let matches = self.matches(password, hash_text).unwrap_or(false);
        matches && stored.is_some()
    }

    /// Recomputes the hash with the parameters and salt stored in `hash_text`.
    fn matches(&self, password: &str, hash_text: &str) -> Option<bool> {
        let parsed = PasswordHash::new(hash_text).ok()?;
        let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
            return Some(false);
        };
        let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).ok()?;
        let version = match parsed.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&parsed).ok()?;
        let mut output = vec![0u8; expected.len()];
        let mut memory = self.memory.take(params.block_count());
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt.as_ref(),
                &mut output,
                memory.blocks.as_mut_slice(),
            )
            .ok()?;
        drop(memory);
        // `Output`'s equality is constant-time.
        Some(Output::new(&output).ok()? == *expected)
    }
}

/// 16 random bytes, the salt length the argon2 authors recommend.
fn random_salt() -> [u8; 16] {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    salt
}

/// The PHC string of an argon2id hash: parameters, salt and output.
fn phc_string(params: &Params, salt: &[u8], output: &[u8]) -> anyhow::Result<String> {
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params)
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?,
        salt: Some(Salt::new(salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?),
        hash: Some(Output::new(output).map_err(|e| anyhow::anyhow!("hash: {e}"))?),
    };
    Ok(hash.to_string())
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
    fn hashes_agree_with_the_argon2_crates_own_hasher_and_verifier() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let hasher = cheap();
        let ours = hasher.hash("correct horse battery").unwrap();
        let standard = Argon2::new(Algorithm::Argon2id, Version::V0x13, hasher.params.clone());
        assert!(
            standard
                .verify_password(b"correct horse battery", ours.as_str())
                .is_ok()
        );
        // A hash stored under other parameters (the config changed since) still verifies.
        let other = Params::new(128, 2, 1, None).unwrap();
        let theirs: PasswordHash = PasswordHasher::hash_password_with_salt(
            &Argon2::new(Algorithm::Argon2id, Version::V0x13, other),
            b"correct horse battery",
            b"saltsaltsaltsalt",
        )
        .unwrap();
        let theirs = theirs.to_string();
        assert!(hasher.verify("correct horse battery", Some(&theirs)));
        assert!(!hasher.verify("correct horse batterz", Some(&theirs)));
        assert!(!hasher.verify("correct horse battery", Some("$argon2id$v=19$nonsense")));
    }

    #[test]
    fn no_more_buffers_than_the_limit_exist_and_an_idle_pool_holds_none() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let pool = Arc::new(MemoryPool::new(2));
        let (lent_now, most_lent) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let workers: Vec<_> = (0..8)
            .map(|_| {
                let (pool, lent_now, most_lent) =
                    (pool.clone(), lent_now.clone(), most_lent.clone());
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        let lent = pool.take(16);
                        assert_eq!(lent.blocks.len(), 16);
                        let now = lent_now.fetch_add(1, Ordering::SeqCst) + 1;
                        most_lent.fetch_max(now, Ordering::SeqCst);
                        assert!(pool.state.lock().unwrap().made <= 2);
                        std::thread::sleep(std::time::Duration::from_millis(1));
                        lent_now.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(most_lent.load(Ordering::SeqCst), 2);
        let state = pool.state.lock().unwrap();
        assert_eq!((state.made, state.idle.len(), state.waiting), (0, 0, 0));
    }

    #[test]
    fn the_dummy_hash_carries_the_configured_parameters_and_matches_nothing() {
        let hasher = cheap();
        let parsed = PasswordHash::new(&hasher.dummy_hash).unwrap();
        let params = Params::try_from(&parsed).unwrap();
        let costs = |p: &Params| (p.m_cost(), p.t_cost(), p.p_cost());
        assert_eq!(costs(&params), costs(&hasher.params));
        assert_eq!(parsed.hash.unwrap().len(), Params::DEFAULT_OUTPUT_LEN);
        assert_ne!(cheap().dummy_hash, hasher.dummy_hash);
        assert_eq!(hasher.matches("", &hasher.dummy_hash), Some(false));
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
