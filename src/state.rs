//! The shared application state every handler, job and command receives.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use crate::auth::keys::Secrets;
use crate::auth::password::PasswordHasherConfig;
use crate::auth::tokens::JwtKeys;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::http::AppError;
use crate::mail::templates::MailContext;

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
    pub activity: Arc<crate::analytics::activity::Seen>,
    /// Checked sessions for cheap authentication; invalidate on every session/user change.
    pub sessions: Arc<crate::auth::session_cache::SessionCache>,
    /// Failed sign-in counters (per email + IP, per account, per IP).
    pub login_throttle: Arc<crate::auth::throttle::LoginThrottle>,
    /// One low-priority thread per core for [`AppState::blocking`] work: a login flood
    /// queues here as futures and never takes CPU time from request handling.
    pub cpu: Arc<crate::cpu_pool::CpuPool>,
    /// Public catalogue responses, kept until their source tables change.
    pub catalogue_cache: Arc<crate::catalog::cache::ResponseCache>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// Prepares the data dir, secrets and database (applying migrations).
    pub fn open(config: Config) -> anyhow::Result<AppState> {
        let started = Instant::now();
        // First of all: a newer schema is refused before anything is written.
        crate::ops::upgrade::prepare(&config)?;
        prepare_data_dir(&config.data_dir)?;
        let secrets = Secrets::load_or_create(&config.data_dir, &config.auth)?;
        let db = Db::open(&config.data_dir, &config.database)?;
        let hasher = PasswordHasherConfig::new(&config.auth.argon2)?;
        crate::mail::context::register(db.path(), MailContext::from_config(&config));
        let sessions = crate::auth::session_cache::SessionCache::with_marker(
            config
                .data_dir
                .join(crate::auth::session_cache::MARKER_FILE),
        );
        Ok(AppState(Arc::new(Shared {
            jwt: Arc::new(JwtKeys::new(&secrets.jwt_secret)),
            hasher: Arc::new(hasher),
            secrets: Arc::new(secrets),
            config: Arc::new(config),
            db,
            clock: Clock::default(),
            started,
            mail_wakeup: Arc::new(tokio::sync::Notify::new()),
            activity: Arc::default(),
            sessions: Arc::new(sessions),
            login_throttle: Arc::default(),
            cpu: Arc::new(crate::cpu_pool::CpuPool::start(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )?),
            catalogue_cache: Arc::default(),
        })))
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

fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create data dir {}: {e}", dir.display()))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o750))?;
    }
    Ok(())
}
