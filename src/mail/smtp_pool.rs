//! A small pool of SMTP connections kept open between mails, so a drain pays neither a
//! connection setup nor a liveness check (`NOOP`) per mail.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Tls};
use lettre::transport::smtp::extension::ClientId;

/// A parked connection unused for longer than this is checked with a `NOOP` before it
/// carries a mail (servers close idle clients); one in steady use is not. lettre's own pool
/// sends a `NOOP` before every mail, a fifth of the commands of a drain.
const CHECK_AFTER: Duration = Duration::from_secs(5);

/// Why a connection could not be opened: lettre's error, or the socket's.
pub type SmtpError = Box<dyn std::error::Error + Send + Sync>;

pub struct SmtpPool {
    host: String,
    port: u16,
    tls: Tls,
    /// For connecting and for each whole mail (lettre bounds only the connect).
    timeout: Duration,
    credentials: Option<Credentials>,
    hello: ClientId,
    size: usize,
    idle: Mutex<Vec<Parked>>,
}

struct Parked {
    conn: AsyncSmtpConnection,
    since: Instant,
}

impl SmtpPool {
    pub fn new(
        host: &str,
        port: u16,
        tls: Tls,
        timeout: Duration,
        credentials: Option<Credentials>,
        size: usize,
    ) -> SmtpPool {
        SmtpPool {
            host: host.to_string(),
            port,
            tls,
            timeout,
            credentials,
            hello: ClientId::default(),
            size: size.max(1),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// How many connections the pool keeps: as many mails may be in flight at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Sends one message over a pooled connection (opening one when none is free). A
    /// connection that failed is closed, never reused; a mail is sent at most once per call.
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), String> {
        let relay = format!("{}:{}", self.host, self.port);
        let mut conn = tokio::time::timeout(self.timeout, self.checkout())
            .await
            .map_err(|_| format!("SMTP connection to {relay} timed out"))?
            .map_err(|e| format!("SMTP delivery via {relay} failed: {e}"))?;
        match tokio::time::timeout(self.timeout, conn.send(envelope, message)).await {
            Ok(Ok(_)) => {
                self.park(conn);
                Ok(())
            }
            // lettre has already closed the connection (it does on every error).
            Ok(Err(e)) => Err(format!("SMTP delivery via {relay} failed: {e}")),
            // Dropped mid-command: the server sees the connection go and discards the mail.
            Err(_) => Err(format!("SMTP delivery via {relay} timed out")),
        }
    }

    async fn checkout(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        loop {
            let parked = self
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let Some(mut parked) = parked else {
                return self.connect().await;
            };
            if parked.since.elapsed() < CHECK_AFTER || parked.conn.test_connected().await {
                return Ok(parked.conn);
            }
            parked.conn.abort().await;
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        let mut conn = match &self.tls {
            Tls::Wrapper(parameters) => {
                AsyncSmtpConnection::connect_tokio1(
                    (self.host.as_str(), self.port),
                    Some(self.timeout),
                    &self.hello,
                    Some(parameters.clone()),
                    None,
                )
                .await?
            }
            _ => {
                let stream = self.tcp_without_delay().await?;
                AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello).await?
            }
        };
        match &self.tls {
            Tls::Required(parameters) => conn.starttls(parameters.clone(), &self.hello).await?,
            Tls::Opportunistic(parameters) if conn.can_starttls() => {
                conn.starttls(parameters.clone(), &self.hello).await?
            }
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials).await?;
        }
        Ok(conn)
    }

    /// A TCP connection that sends each command at once. lettre writes a mail's commands in
    /// several small writes; with Nagle's algorithm on, each waited for the server's delayed
    /// ACK (about 40 ms on Linux), which held a connection to some 16 mails a second.
    /// (lettre's own connector, used for implicit TLS, leaves it on.)
    async fn tcp_without_delay(&self) -> Result<tokio::net::TcpStream, SmtpError> {
        let address = (self.host.as_str(), self.port);
        let stream =
            match tokio::time::timeout(self.timeout, tokio::net::TcpStream::connect(address)).await
            {
                Ok(connected) => connected,
                Err(_) => Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "connection timed out",
                )),
            };
        let stream = stream?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    fn park(&self, conn: AsyncSmtpConnection) {
        if conn.has_broken() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < self.size {
            idle.push(Parked {
                conn,
                since: Instant::now(),
            });
        }
    }

    /// Opens a connection (EHLO, TLS and login as configured) and closes it: for `doctor`.
    pub async fn test_connection(&self) -> Result<bool, SmtpError> {
        let mut conn = self.connect().await?;
        let alive = conn.test_connected().await;
        let _ = conn.quit().await;
        Ok(alive)
    }

    /// Says goodbye (`QUIT`) on every parked connection.
    pub async fn close(&self) {
        let parked = std::mem::take(&mut *self.idle.lock().unwrap_or_else(PoisonError::into_inner));
        for mut parked in parked {
            let _ = tokio::time::timeout(Duration::from_secs(1), parked.conn.quit()).await;
        }
    }
}
