//! Built-in HTTPS with rustls: certificates re-read on SIGHUP, optional HTTP->HTTPS redirect.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_server::tls_rustls::RustlsConfig;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::config::{Config, TlsConfig};
use crate::http::listener::Wrap;

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

/// Serves `app` over HTTPS on `listener` until `shutdown`, draining like plain HTTP (see
/// [`crate::http::listener::serve`]): connections still in their handshake or not yet sent
/// their first request are given [`FIRST_REQUEST_WAIT`](crate::http::listener::FIRST_REQUEST_WAIT)
/// to send it, then in-flight requests finish for up to `server.shutdown_grace_seconds`.
pub async fn serve(
    tls: Tls,
    listener: TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    config: &Config,
) -> std::io::Result<()> {
    let grace = Duration::from_secs(config.server.shutdown_grace_seconds);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let shutdown = async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    };
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
    let handshake = Handshake(tls.rustls);
    let result = crate::http::listener::serve(listener, handshake, app, shutdown, grace).await;
    reloader.abort();
    if let Some(redirector) = redirector {
        redirector.abort();
    }
    result
}

/// How long a client may take over its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Wraps accepted streams in a TLS handshake run by the connection's own task, with the
/// certificate current at accept time (SIGHUP swaps it in `RustlsConfig`).
struct Handshake(RustlsConfig);

impl Wrap for Handshake {
    type Io = LazyTls;
    fn wrap(&self, stream: TcpStream) -> LazyTls {
        let accept = tokio_rustls::TlsAcceptor::from(self.0.get_inner()).accept(stream);
        LazyTls::Handshaking(
            Box::new(accept),
            Box::pin(tokio::time::sleep(HANDSHAKE_TIMEOUT)),
        )
    }
}

/// A server TLS stream whose handshake runs on first use, so accepting never waits for a
/// slow client.
pub enum LazyTls {
    Handshaking(
        Box<tokio_rustls::Accept<TcpStream>>,
        Pin<Box<tokio::time::Sleep>>,
    ),
    Ready(Box<tokio_rustls::server::TlsStream<TcpStream>>),
    Failed,
}

impl LazyTls {
    /// Drives the handshake; `Ready(Ok)` once the stream can carry data.
    fn poll_handshake(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let LazyTls::Handshaking(accept, deadline) = self else {
            return match self {
                LazyTls::Failed => Poll::Ready(Err(io::ErrorKind::NotConnected.into())),
                _ => Poll::Ready(Ok(())),
            };
        };
        let outcome = match Pin::new(accept.as_mut()).poll(cx) {
            Poll::Ready(outcome) => outcome,
            Poll::Pending => match deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "TLS handshake timed out",
                )),
                Poll::Pending => return Poll::Pending,
            },
        };
        match outcome {
            Ok(stream) => {
                *self = LazyTls::Ready(Box::new(stream));
                Poll::Ready(Ok(()))
            }
            Err(e) => {
                *self = LazyTls::Failed;
                Poll::Ready(Err(e))
            }
        }
    }

    fn stream(&mut self) -> Pin<&mut tokio_rustls::server::TlsStream<TcpStream>> {
        match self {
            LazyTls::Ready(stream) => Pin::new(stream.as_mut()),
            _ => unreachable!("polled only after the handshake succeeded"),
        }
    }
}

impl AsyncRead for LazyTls {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_handshake(cx))?;
        this.stream().poll_read(cx, buf)
    }
}

impl AsyncWrite for LazyTls {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_handshake(cx))?;
        this.stream().poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_handshake(cx))?;
        this.stream().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this {
            // Nothing was said yet: closing needs no TLS close_notify.
            LazyTls::Handshaking(..) | LazyTls::Failed => Poll::Ready(Ok(())),
            LazyTls::Ready(_) => this.stream().poll_shutdown(cx),
        }
    }
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
