//! Password hashing (argon2id) and the rules a new password must meet.

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::Duration;

use crate::config::Argon2Config;
use crate::http::FieldError;

const MAX_PASSWORD_BYTES: usize = 1024;

/// Passwords people pick most often (at least ten characters long, since shorter ones are
/// refused anyway), compared case-insensitively.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// How long returned buffers wait for the next run before they are freed.
const KEEP_IDLE: Duration = Duration::from_secs(1);

/// The working memory of argon2 runs (`memory_kib` each): at most one buffer per core exists,
/// so a login flood queues for a buffer instead of growing memory. A finished run leaves its
/// buffer for the next one, and buffers unused for `keep_idle` are freed, so an idle server
/// holds none. Reusing a buffer skips allocating and zeroing it for every hash, and it keeps
/// the allocator from holding a freed buffer and a fresh one at the same time (measured:
/// peak RSS of the benchmark's login row 86-105 MiB when every run allocated its own).
struct MemoryPool {
    state: Mutex<PoolState>,
    returned: Condvar,
    keep_idle: Duration,
}

struct PoolState {
    /// Buffers not lent out, kept for the next run.
    idle: Vec<Vec<Block>>,
    /// Buffers that exist (idle or lent out).
    made: usize,
    limit: usize,
    /// Runs blocked in `take` until a buffer comes back.
    waiting: usize,
    /// Takes and returns so far, so the releaser can tell whether the pool is in use.
    uses: u64,
    /// Whether a releaser thread is watching the idle buffers.
    releasing: bool,
}

/// A buffer lent out of the pool; goes back when dropped.
struct Lent {
    pool: Arc<MemoryPool>,
    blocks: Vec<Block>,
}

impl MemoryPool {
    fn new(limit: usize, keep_idle: Duration) -> Arc<MemoryPool> {
        Arc::new(MemoryPool {
            state: Mutex::new(PoolState {
                idle: Vec::new(),
                made: 0,
                limit: limit.max(1),
                waiting: 0,
                uses: 0,
                releasing: false,
            }),
            returned: Condvar::new(),
            keep_idle,
        })
    }

    fn lock(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A buffer of exactly `blocks` blocks, waiting while every buffer is in use.
    fn take(self: &Arc<Self>, blocks: usize) -> Lent {
        let mut state = self.lock();
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
        state.uses += 1;
        drop(state);
        // A no-op for a reused buffer: argon2 overwrites every block before reading it.
        // Only a hash stored under other parameters than the configured ones resizes.
        buffer.resize(blocks, Block::default());
        Lent {
            pool: self.clone(),
            blocks: buffer,
        }
    }

    /// Frees the idle buffers once the pool has gone unused for `keep_idle`; returns when
    /// no buffer is left or the pool is gone.
    fn release_when_unused(pool: Weak<MemoryPool>, keep_idle: Duration) {
        let mut seen = None;
        loop {
            std::thread::sleep(keep_idle);
            let Some(pool) = pool.upgrade() else { return };
            let mut state = pool.lock();
            let freed = if seen == Some(state.uses) {
                std::mem::take(&mut state.idle)
            } else {
                Vec::new()
            };
            state.made -= freed.len();
            seen = Some(state.uses);
            let done = state.made == 0;
            state.releasing = !done;
            drop(state);
            drop(freed);
            if done {
                return;
            }
        }
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        let blocks = std::mem::take(&mut self.blocks);
        let mut state = self.pool.lock();
        state.idle.push(blocks);
        state.uses += 1;
        let start_releaser = !std::mem::replace(&mut state.releasing, true);
        drop(state);
        self.pool.returned.notify_one();
        if start_releaser {
            let (pool, keep) = (Arc::downgrade(&self.pool), self.pool.keep_idle);
            let started = std::thread::Builder::new()
                .name("argon2-release".into())
                .spawn(move || MemoryPool::release_when_unused(pool, keep));
            if let Err(e) = started {
                tracing::warn!(error = %e, "cannot start the thread that frees idle argon2 memory");
                self.pool.lock().releasing = false;
            }
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
            memory: MemoryPool::new(slots, KEEP_IDLE),
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
        // A stored value that is no hash (an account that signs in only through a provider)
        // costs the same work as an unknown email, so the answer's timing tells neither
        // apart from a wrong password.
        let usable = stored.filter(|text| PasswordHash::new(text).is_ok());
        let hash_text = usable.unwrap_or(&self.dummy_hash);
        let matches = self.matches(password, hash_text).unwrap_or(false);
        matches && usable.is_some()
    }

    /// Whether `stored` was made with other settings than the configured ones (an earlier
    /// default, or a cost the operator has since changed), so that a login should store a
    /// fresh hash. A hash that does not parse never verifies, so it needs none.
    pub fn needs_rehash(&self, stored: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        let costs = |p: &Params| (p.m_cost(), p.t_cost(), p.p_cost());
        let current = parsed.algorithm == Algorithm::Argon2id.ident()
            && matches!(
                parsed.version.map(Version::try_from),
                Some(Ok(Version::V0x13))
            )
            && Params::try_from(&parsed).is_ok_and(|p| costs(&p) == costs(&self.params));
        !current
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
            crate::msg!("problem-min-chars", min = min_length),
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
    fn only_hashes_made_with_other_settings_need_a_new_hash() {
        let hasher = cheap();
        assert!(!hasher.needs_rehash(&hasher.hash("correct horse battery").unwrap()));
        let costlier = PasswordHasherConfig::new(&Argon2Config {
            memory_kib: 128,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap();
        let older = costlier.hash("correct horse battery").unwrap();
        assert!(hasher.needs_rehash(&older));
        assert!(!costlier.needs_rehash(&older));
        let other_algorithm: PasswordHash =
            argon2::password_hash::PasswordHasher::hash_password_with_salt(
                &Argon2::new(Algorithm::Argon2i, Version::V0x13, hasher.params.clone()),
                b"correct horse battery",
                b"saltsaltsaltsalt",
            )
            .unwrap();
        let other_algorithm = other_algorithm.to_string();
        assert!(hasher.verify("correct horse battery", Some(&other_algorithm)));
        assert!(hasher.needs_rehash(&other_algorithm));
        assert!(!hasher.needs_rehash("$argon2id$v=19$nonsense"));
    }

    #[test]
    fn a_stored_value_that_is_no_hash_never_verifies_whatever_is_typed() {
        let hasher = cheap();
        for typed in ["", "!provider-only", "correct horse battery"] {
            assert!(!hasher.verify(typed, Some("!provider-only")), "{typed}");
        }
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

    /// Waits (up to five seconds) until the pool holds no buffer.
    fn wait_until_empty(pool: &MemoryPool) -> (usize, usize, usize, bool) {
        let started = std::time::Instant::now();
        loop {
            let state = pool.lock();
            let figures = (state.made, state.idle.len(), state.waiting, state.releasing);
            if figures.0 == 0 || started.elapsed() > Duration::from_secs(5) {
                return figures;
            }
            drop(state);
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn no_more_buffers_than_the_limit_exist_and_an_idle_pool_holds_none() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let pool = MemoryPool::new(2, Duration::from_millis(20));
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
                        assert!(pool.lock().made <= 2);
                        std::thread::sleep(Duration::from_millis(1));
                        lent_now.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(most_lent.load(Ordering::SeqCst), 2);
        assert_eq!(wait_until_empty(&pool), (0, 0, 0, false));
    }

    #[test]
    fn a_returned_buffer_serves_the_next_run_until_the_pool_goes_unused() {
        let pool = MemoryPool::new(2, Duration::from_millis(200));
        let first = pool.take(16);
        let address = first.blocks.as_ptr();
        drop(first);
        let kept = pool.lock();
        assert_eq!(
            (kept.made, kept.idle.len()),
            (1, 1),
            "the returned buffer is kept"
        );
        drop(kept);
        let again = pool.take(16);
        assert_eq!(
            again.blocks.as_ptr(),
            address,
            "the returned buffer is reused"
        );
        assert_eq!(pool.lock().made, 1);
        drop(again);
        assert_eq!(wait_until_empty(&pool), (0, 0, 0, false));
        // Used again after it emptied: a new buffer, freed in turn.
        drop(pool.take(16));
        assert_eq!(pool.lock().made, 1);
        assert_eq!(wait_until_empty(&pool), (0, 0, 0, false));
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
