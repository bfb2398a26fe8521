//! Assembly only: merges the domains' routers and runs the server over the shared state.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

mod open;

use crate::http::listener;
pub use crate::http::listener::inherited_listener;
use crate::state::DataDirLock;

/// Every documented API route, merged from the domains.
pub fn api_router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(crate::openapi::ApiDoc::openapi())
        .merge(crate::health::router())
        .merge(crate::auth::routes::router(state))
        .merge(crate::auth::oidc::routes::router(state))
        .merge(crate::account::routes::router(state))
        .merge(crate::account::locales::router())
        .merge(crate::auth::recovery::routes::router(state))
        .merge(crate::learning::routes::router(state))
        .merge(crate::commerce::router(state))
        .merge(crate::catalog::routes::router(state))
        .merge(crate::admin::router(state))
        .merge(crate::analytics::router(state))
        .merge(crate::admin::audit_routes::router(state))
        .merge(crate::privacy::router(state))
        .merge(crate::ops::routes::router(state))
        .merge(crate::payments::routes::router(state))
        .merge(crate::settings::router())
}

/// The whole OpenAPI document, for `schoolhouse openapi` and tests.
pub fn openapi_document(state: &AppState) -> utoipa::openapi::OpenApi {
    crate::openapi::finish(api_router(state)).1
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
            crate::audit::errors::record_server_errors,
        ))
        .with_state(state.clone());
    let router = crate::http::middleware::apply(router, state.config.server.body_limit_bytes, &csp);
    let default_locale: std::sync::Arc<str> = state.config.site.default_locale.as_str().into();
    let router = router.layer(axum::middleware::from_fn(move |request, next| {
        crate::i18n::problems::localize(default_locale.clone(), request, next)
    }));
    crate::http::middleware::transport(router, &state.config.server)
}

/// A bound server, ready to run.
pub struct Server {
    pub state: AppState,
    listener: TcpListener,
    tls: Option<crate::ops::tls::Tls>,
    _lock: DataDirLock,
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
        let replication = crate::ops::replication::supervisor::Supervisor::spawn(&state.config)?;
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
        // After the last commit, so Litestream ships it before it exits.
        if let Some(replication) = replication {
            replication.stop().await;
        }
        result.map_err(Into::into)
    }
}
