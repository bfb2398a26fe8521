//! The listening socket: adopted from systemd or bound, and drained on shutdown so a restart loses no connection.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How long shutdown waits for accepted connections to send their first request before it
/// closes the idle ones. Local clients and reverse proxies send at once; a client silent
/// this long after connecting is treated like any idle connection.
pub const FIRST_REQUEST_WAIT: Duration = Duration::from_secs(2);

/// The listening socket systemd passed (socket activation: `LISTEN_FDS`, and `LISTEN_PID`
/// naming this process), or `None` when started without one.
///
/// Serving on a socket the service manager owns is what keeps restarts from refusing
/// connections: the kernel queues them while no process accepts. Call it before other
/// threads could read the environment, as it removes those two variables.
pub fn inherited_listener() -> anyhow::Result<Option<std::net::TcpListener>> {
    let mut fds = listenfd::ListenFd::from_env();
    if fds.len() == 0 {
        return Ok(None);
    }
    if fds.len() > 1 {
        tracing::warn!(
            passed = fds.len(),
            "more than one socket was passed; serving on the first only"
        );
    }
    match fds.take_tcp_listener(0) {
        Ok(listener) => Ok(listener),
        Err(e) => anyhow::bail!(
            "the socket passed by the service manager (LISTEN_FDS) is not a listening TCP \
             socket ({e}); use ListenStream=ADDRESS:PORT in schoolhouse.socket"
        ),
    }
}

/// Serves `app` on `listener` (each connection wrapped by `wrap`) until `shutdown`, then
/// stops accepting, waits up to [`FIRST_REQUEST_WAIT`] for accepted connections to send
/// their first request, and lets requests in flight finish for up to `grace`.
pub async fn serve<W: Wrap>(
    listener: TcpListener,
    wrap: W,
    app: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let (listener, drain) = draining(listener, wrap);
    // `tap_io` only lends the wrapped listener axum's `ConnectInfo` support.
    let listener = listener.tap_io(|_| {});
    let (stopped_tx, mut stopped) = watch::channel(false);
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        drain.stop_accepting(FIRST_REQUEST_WAIT).await;
        let _ = stopped_tx.send(true);
    });
    let server = std::pin::pin!(server.into_future());
    let out_of_grace = async move {
        if stopped.wait_for(|s| *s).await.is_err() {
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        result = server => result,
        _ = out_of_grace => {
            tracing::warn!(grace_seconds = grace.as_secs(), "requests still running at the end of the shutdown grace period were cut off");
            Ok(())
        }
    }
}

/// Accepts until told to stop, then leaves new connections queued in the kernel, where the
/// next process on a passed socket takes them. Counts accepted connections that have not
/// sent a byte yet: hyper's graceful shutdown closes a connection that has not started a
/// request, and one the client already wrote to would see a reset.
pub struct DrainingListener<W = Plain> {
    inner: TcpListener,
    stop: watch::Receiver<bool>,
    /// Set once `accept` has seen the stop: no connection it took can still be uncounted.
    stopped: watch::Sender<bool>,
    fresh: Arc<watch::Sender<usize>>,
    wrap: W,
}

/// What an accepted TCP stream becomes before hyper reads from it: itself, or a TLS stream.
/// A connection stays fresh until the first bytes read through the wrapper, so a TLS
/// connection counts as fresh through its handshake until its first request arrives.
pub trait Wrap: Send + 'static {
    type Io: AsyncRead + AsyncWrite + Unpin + Send + 'static;
    fn wrap(&self, stream: TcpStream) -> Self::Io;
}

/// Plain HTTP: the stream as accepted.
pub struct Plain;

impl Wrap for Plain {
    type Io = TcpStream;
    fn wrap(&self, stream: TcpStream) -> TcpStream {
        stream
    }
}

/// Tells a [`DrainingListener`] to stop accepting and waits for its fresh connections.
pub struct Drain {
    stop: watch::Sender<bool>,
    stopped: watch::Receiver<bool>,
    fresh: watch::Receiver<usize>,
}

pub fn draining<W: Wrap>(inner: TcpListener, wrap: W) -> (DrainingListener<W>, Drain) {
    let (stop_tx, stop_rx) = watch::channel(false);
    let (stopped_tx, stopped_rx) = watch::channel(false);
    let (fresh_tx, fresh_rx) = watch::channel(0);
    (
        DrainingListener {
            inner,
            stop: stop_rx,
            stopped: stopped_tx,
            fresh: Arc::new(fresh_tx),
            wrap,
        },
        Drain {
            stop: stop_tx,
            stopped: stopped_rx,
            fresh: fresh_rx,
        },
    )
}

impl Drain {
    /// Stops accepting, then returns once every accepted connection has sent its first
    /// bytes (so hyper sees a request in progress and finishes it) or after `limit`.
    pub async fn stop_accepting(mut self, limit: Duration) {
        let _ = self.stop.send(true);
        // A connection accepted just as the stop was sent is counted only when `accept`
        // returns it: wait until `accept` has seen the stop, or fresh could read 0 too early
        // and the connection be closed unanswered.
        let _ = tokio::time::timeout(limit, self.stopped.wait_for(|s| *s)).await;
        let waited = tokio::time::timeout(limit, self.fresh.wait_for(|n| *n == 0))
            .await
            .is_ok();
        if !waited {
            tracing::info!(
                silent = *self.fresh.borrow(),
                "closing connections that sent no request"
            );
        }
    }
}

impl<W: Wrap> axum::serve::Listener for DrainingListener<W> {
    type Io = FirstBytes<W::Io>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (FirstBytes<W::Io>, SocketAddr) {
        loop {
            if *self.stop.borrow() {
                let _ = self.stopped.send(true);
                std::future::pending::<()>().await;
            }
            tokio::select! {
                biased;
                _ = self.stop.changed() => continue,
                accepted = self.inner.accept() => match accepted {
                    Ok((stream, addr)) => {
                        self.fresh.send_modify(|n| *n += 1);
                        let stream = FirstBytes {
                            stream: self.wrap.wrap(stream),
                            fresh: Some(self.fresh.clone()),
                        };
                        return (stream, addr);
                    }
                    // Out of file descriptors and the like: retry shortly, as axum does.
                    Err(e) => {
                        tracing::warn!(error = %e, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// An accepted connection that counts as fresh until its first bytes are read.
pub struct FirstBytes<S = TcpStream> {
    stream: S,
    fresh: Option<Arc<watch::Sender<usize>>>,
}

impl<S> FirstBytes<S> {
    fn no_longer_fresh(&mut self) {
        if let Some(fresh) = self.fresh.take() {
            fresh.send_modify(|n| *n -= 1);
        }
    }
}

impl<S> Drop for FirstBytes<S> {
    fn drop(&mut self) {
        self.no_longer_fresh();
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for FirstBytes<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let result = Pin::new(&mut self.stream).poll_read(cx, buf);
        if result.is_ready() {
            self.no_longer_fresh();
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for FirstBytes<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
