//! The shared application state every handler, job and command receives.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::http::AppError;
use crate::security::keys::Secrets;
use crate::security::password::PasswordHasherConfig;
use crate::security::tokens::JwtKeys;

/// Everything a handler may need; cheap to clone (one shared pointer: the router clones the
/// state several times per request, and cloning and dropping each `Arc` field every time
/// took about 8 % of the server's CPU under load).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] shares; its fields are reached through the state (`state.db`).
pub struct Shared {
    pub config: Arc<Config>,
    pub db: Db,
    pub jwt: Arc<JwtKeys>,
    pub hasher: Arc<PasswordHasherConfig>,
    pub secrets: Arc<Secrets>,
    pub clock: Clock,
    pub started: Instant,
    /// Wakes the mail sender when mail is queued (see `mail::wake`).
    pub mail_wakeup: Arc<tokio::sync::Notify>,
    /// Users whose activity today is already recorded (see `analytics::activity`).
    pub activity: Arc<Seen>,
    /// Checked sessions for cheap authentication; invalidate on every session/user change.
    pub sessions: Arc<crate::security::session_cache::SessionCache>,
    /// Failed sign-in counters (per email + IP, per account, per IP).
    pub login_throttle: Arc<crate::security::throttle::LoginThrottle>,
    /// One low-priority thread per core for [`AppState::blocking`] work: a login flood
    /// queues here as futures and never takes CPU time from request handling.
    pub cpu: Arc<crate::cpu_pool::CpuPool>,
    /// Public catalogue responses, kept until their source tables change.
    pub catalogue_cache: Arc<crate::http::response_cache::ResponseCache>,
    /// Where uploaded files live (`media.store`).
    pub media_store: Arc<crate::storage::Storage>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// Wraps the parts; opening a data dir is `AppState::open` (in `crate::app`, which knows
    /// every domain's part).
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }

    /// Runs CPU-heavy work (password hashing, archives) off the async runtime, on the
    /// low-priority CPU pool.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.cpu.run(f).await
    }

    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    pub fn now_text(&self) -> String {
        crate::clock::rfc3339(self.clock.now())
    }
}

/// Held while a server runs, so `restore` can refuse to replace live data.
pub struct DataDirLock {
    _file: std::fs::File,
    pub path: PathBuf,
}

pub const LOCK_FILE: &str = "schoolhouse.lock";

impl DataDirLock {
    pub fn acquire(data_dir: &Path) -> anyhow::Result<DataDirLock> {
        let path = data_dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(DataDirLock { _file: file, path }),
            Err(_) => anyhow::bail!(
                "another schoolhouse process is using the data dir {}",
                data_dir.display()
            ),
        }
    }
}

impl crate::http::signing::SigningContext for AppState {
    fn signing_secret(&self) -> &[u8] {
        &self.secrets.jwt_secret
    }

    fn signing_now(&self) -> time::OffsetDateTime {
        self.now()
    }

    fn media_link_minutes(&self) -> i64 {
        self.config.media.signed_url_minutes
    }
}

/// The users already recorded today (see `auth::activity`): a set that starts afresh each day.
#[derive(Debug, Default)]
pub struct Seen {
    inner: Mutex<(String, HashSet<String>)>,
}

impl Seen {
    /// True the first time `user_id` is seen on `day`; a new day starts a fresh set.
    pub fn first_today(&self, day: &str, user_id: &str) -> bool {
        let Ok(mut guard) = self.inner.lock() else {
            return false;
        };
        let (current, users) = &mut *guard;
        if current.as_str() != day {
            *current = day.to_string();
            users.clear();
        }
        users.insert(user_id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_is_recorded_once_per_day() {
        let seen = Seen::default();
        assert!(seen.first_today("2026-01-01", "u1"));
        assert!(!seen.first_today("2026-01-01", "u1"));
        assert!(seen.first_today("2026-01-01", "u2"));
        assert!(seen.first_today("2026-01-02", "u1"));
        assert!(!seen.first_today("2026-01-02", "u1"));
    }
}
