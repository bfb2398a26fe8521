//! Application state, router assembly and the server's life cycle.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use tokio::net::TcpListener;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::keys::Secrets;
use crate::auth::password::PasswordHasherConfig;
use crate::auth::tokens::JwtKeys;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::http::AppError;
use crate::mail::templates::MailContext;

pub(crate) mod listener;
pub use listener::inherited_listener;

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

/// Every documented API route, merged from the domains.
pub fn api_router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(crate::openapi::ApiDoc::openapi())
        .merge(crate::health::router())
        .merge(crate::auth::routes::router(state))
        .merge(crate::auth::oidc::routes::router(state))
        .merge(crate::users::routes::router(state))
        .merge(crate::auth::recovery::routes::router(state))
        .merge(crate::learning::routes::router(state))
        .merge(crate::commerce::router(state))
        .merge(crate::catalog::routes::router(state))
        .merge(crate::admin::router(state))
        .merge(crate::analytics::router(state))
        .merge(crate::audit::routes::router(state))
        .merge(crate::privacy::router(state))
        .merge(crate::ops::routes::router(state))
        .merge(crate::payments::routes::router(state))
        .merge(crate::settings::router())
}

/// Every route of the application with its layers.
pub fn router(state: AppState) -> Router {
    let (api, _doc) = crate::openapi::finish(api_router(&state));
    let stripe_js = state.config.payments.stripe_js_origin();
    let csp = crate::http::middleware::content_security_policy(stripe_js.as_deref());
    let api = api.route("/api/docs", axum::routing::get(crate::web::api_docs));
    let api = crate::ops::metrics::mount(api.fallback(crate::web::fallback), &state);
    let router = api
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::http::middleware::record_server_errors,
        ))
        .with_state(state.clone());
    let router = crate::http::middleware::apply(router, state.config.server.body_limit_bytes, &csp);
    crate::http::middleware::transport(router, &state.config.server)
}

/// A bound server, ready to run.
pub struct Server {
    pub state: AppState,
    listener: TcpListener,
    tls: Option<crate::ops::tls::Tls>,
    _lock: DataDirLock,
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

impl Server {
    /// Binds `server.listen`.
    pub async fn bind(state: AppState) -> anyhow::Result<Server> {
        Server::bind_or_adopt(state, None).await
    }

    /// Serves on `inherited` when the service manager passed a socket (see
    /// [`inherited_listener`]), else binds `server.listen`.
    pub async fn bind_or_adopt(
        state: AppState,
        inherited: Option<std::net::TcpListener>,
    ) -> anyhow::Result<Server> {
        let lock = DataDirLock::acquire(&state.config.data_dir)?;
        let listener = match inherited {
            Some(listener) => {
                listener.set_nonblocking(true)?;
                TcpListener::from_std(listener)
                    .map_err(|e| anyhow::anyhow!("cannot use the inherited socket: {e}"))?
            }
            None => {
                let listen = state.config.server.listen;
                TcpListener::bind(listen)
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?
            }
        };
        let tls = crate::ops::tls::prepare(&state.config).await?;
        Ok(Server {
            state,
            listener,
            tls,
            _lock: lock,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` resolves, lets in-flight requests finish, then closes the
    /// database cleanly.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let state = self.state.clone();
        let (stop_mail, mail_stopped) = tokio::sync::watch::channel(false);
        let mail_sender = crate::mail::worker::spawn(state.clone(), mail_stopped)?;
        let jobs = crate::commerce::jobs::spawn(state.clone());
        let backups = crate::ops::schedule::spawn(state.clone());
        let payment_jobs = crate::payments::jobs::spawn(state.clone());
        let app = router(self.state);
        let result = match self.tls {
            Some(tls) => {
                crate::ops::tls::serve(tls, self.listener, app, shutdown, &state.config).await
            }
            None => {
                let grace = Duration::from_secs(state.config.server.shutdown_grace_seconds);
                listener::serve(self.listener, listener::Plain, app, shutdown, grace).await
            }
        };
        // The sender finishes the mail in hand; unsent mail stays queued for the next start.
        let _ = stop_mail.send(true);
        if let Err(e) = mail_sender.await {
            tracing::error!(error = %e, "the mail sender ended abnormally");
        }
        jobs.abort();
        if let Some(backups) = backups {
            backups.abort();
        }
        payment_jobs.abort();
        state.db.close();
        result.map_err(Into::into)
    }
}
