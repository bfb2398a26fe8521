//! Opening the shared state: the assembly step that checks the schema, prepares the data
//! dir, loads the secrets, opens the database and builds every domain's in-memory part.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use crate::auth::keys::Secrets;
use crate::auth::password::PasswordHasherConfig;
use crate::auth::tokens::JwtKeys;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::mail::templates::MailContext;
use crate::state::{AppState, Shared};

// The state type lives in the kernel (`crate::state`) so every layer can name it; opening it
// touches domains (schema upgrade, mail context, auth keys), so it lives here, in assembly.
impl AppState {
    /// Prepares the data dir, secrets and database (applying migrations).
    pub fn open(config: Config) -> anyhow::Result<AppState> {
        let started = Instant::now();
        // First of all: a newer schema is refused before anything is written.
        crate::ops::upgrade::prepare(&config)?;
        if crate::i18n::canonical(&config.site.default_locale).is_none() {
            let codes: Vec<String> = crate::i18n::available()
                .into_iter()
                .map(|l| l.code)
                .collect();
            anyhow::bail!(
                "config key `site.default_locale`: no catalogue for {:?}; available: {}",
                config.site.default_locale,
                codes.join(", ")
            );
        }
        crate::ops::replication::standby::guard(&config.data_dir)?;
        prepare_data_dir(&config.data_dir)?;
        let secrets = Secrets::load_or_create(&config.data_dir, &config.auth)?;
        let checkpoints = if config.replication.enabled {
            crate::db::Checkpoints::LeftToReplication
        } else {
            crate::db::Checkpoints::Own
        };
        let db = Db::open(&config.data_dir, &config.database, checkpoints)?;
        let hasher = PasswordHasherConfig::new(&config.auth.argon2)?;
        crate::mail::context::register(db.path(), MailContext::from_config(&config));
        crate::commerce::invoices::register(
            db.path(),
            crate::commerce::invoices::InvoiceSettings {
                config: config.invoices.clone(),
                store_name: config.store.name.clone(),
                default_locale: config.site.default_locale.clone(),
            },
        );
        let sessions = crate::auth::session_cache::SessionCache::with_marker(
            config
                .data_dir
                .join(crate::auth::session_cache::MARKER_FILE),
        );
        let media_store = crate::storage::Storage::open(&config.data_dir, &config.media)?;
        Ok(AppState::new(Shared {
            media_store: Arc::new(media_store),
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
        }))
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
