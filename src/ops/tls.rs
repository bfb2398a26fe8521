//! Built-in HTTPS with rustls: certificates re-read on SIGHUP, optional HTTP->HTTPS redirect.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_server::tls_rustls::RustlsConfig;
use tokio::net::TcpListener;

use crate::config::{Config, TlsConfig};

/// Loaded certificates and the bound redirect listener, ready to serve.
pub struct Tls {
    rustls: RustlsConfig,
    files: TlsConfig,
    redirect: Option<TcpListener>,
}

/// Loads the certificate and key (failing early with the file named) and binds the redirect
/// listener when configured.
pub async fn prepare(config: &Config) -> anyhow::Result<Option<Tls>> {
    let Some(files) = config.server.tls.clone() else {
        return Ok(None);
    };
    let rustls = RustlsConfig::from_pem_file(&files.cert, &files.key)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot load TLS certificate {} / key {}: {e}",
                files.cert.display(),
                files.key.display()
            )
        })?;
    let redirect = match files.redirect_http_from {
        Some(addr) => Some(
            TcpListener::bind(addr)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {addr} for the redirect: {e}"))?,
        ),
        None => None,
    };
    Ok(Some(Tls {
        rustls,
        files,
        redirect,
    }))
}

/// Serves `app` over HTTPS on `listener` until `shutdown`, then lets in-flight requests
/// finish for up to `server.shutdown_grace_seconds`.
pub async fn serve(
    tls: Tls,
    listener: TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    config: &Config,
) -> std::io::Result<()> {
    let handle = axum_server::Handle::<SocketAddr>::new();
    let grace = Duration::from_secs(config.server.shutdown_grace_seconds);
    let stopper = handle.clone();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(grace));
        let _ = stop_tx.send(true);
    });
    let reloader = tokio::spawn(reload_on_sighup(tls.rustls.clone(), tls.files.clone()));
    let redirector = tls.redirect.map(|listener| {
        let target = config.public_url();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let app = Router::new().fallback(move |request: Request| {
                let target = target.clone();
                async move { redirect(&target, &request) }
            });
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|stopped| *stopped).await;
                })
                .await;
        })
    });
    let result = axum_server::from_tcp_rustls(listener.into_std()?, tls.rustls)?
        .handle(handle)
        .serve(app.into_make_service_with_connect_info::<SocketAddr>())
        .await;
    reloader.abort();
    if let Some(redirector) = redirector {
        redirector.abort();
    }
    result
}

fn redirect(target: &str, request: &Request) -> Response {
    let path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    match HeaderValue::from_str(&format!("{target}{path}")) {
        Ok(location) => (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

async fn reload_on_sighup(rustls: RustlsConfig, files: TlsConfig) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        tracing::warn!("cannot listen for SIGHUP; certificates will not be reloaded");
        return;
    };
    while hangups.recv().await.is_some() {
        match rustls.reload_from_pem_file(&files.cert, &files.key).await {
            Ok(()) => tracing::info!(cert = %files.cert.display(), "TLS certificate reloaded"),
            Err(e) => {
                tracing::error!(error = %e, "TLS certificate reload failed; keeping the old one")
            }
        }
    }
}
