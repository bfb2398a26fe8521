//! The outbox drain row: a big sale's mail queued straight into the outbox of a stopped
//! server, then the server started with one transport and timed until the outbox is empty,
//! while learners keep writing progress (their p99 during the drain against idle).

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

use crate::load::{self, MakeCall};
use crate::summary::record;

pub enum Transport {
    /// `.eml` files under the data dir.
    File,
    /// The SMTP server on 127.0.0.1:port (plain, no auth: the test sink).
    Smtp(u16),
}

impl Transport {
    fn name(&self) -> &'static str {
        match self {
            Transport::File => "file",
            Transport::Smtp(_) => "SMTP (aiosmtpd)",
        }
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        match self {
            Transport::File => vec![("SCHOOLHOUSE_MAIL__TRANSPORT", "file".into())],
            Transport::Smtp(port) => vec![
                ("SCHOOLHOUSE_MAIL__TRANSPORT", "smtp".into()),
                ("SCHOOLHOUSE_MAIL__SMTP__HOST", "127.0.0.1".into()),
                ("SCHOOLHOUSE_MAIL__SMTP__PORT", port.to_string()),
                ("SCHOOLHOUSE_MAIL__SMTP__SECURITY", "none".into()),
            ],
        }
    }
}

/// Queues `mails` order receipts (to distinct learners) as the checkout would.
pub fn queue(data: &Path, mails: usize) -> anyhow::Result<()> {
    let mut conn = Connection::open(data.join("schoolhouse.db"))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO outbox (id, template, to_address, subject, body_text, body_html,
                created_at, next_attempt_at) VALUES (?1, 'order_paid', ?2, ?3, ?4, ?5, ?6, ?6)",
        )?;
        let now = "2026-11-01T09:00:00Z";
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        for n in 0..mails {
            let number = format!("SH-{:06}", n + 1);
            insert.execute(params![
                format!("bench-mail-{stamp}-{n}"),
                format!("user{}@bench.school", 3 + n % 9_000),
                format!("Your order {number}"),
                format!("Thank you for your order {number}.\n\nTotal: 42.00 USD\n"),
                format!("<p>Thank you for your order <b>{number}</b>.</p><p>Total: 42.00 USD</p>"),
                now,
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn unsent(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM outbox WHERE sent_at IS NULL",
        [],
        |r| r.get(0),
    )
    .unwrap_or(-1)
}

/// Starts the server on `data` with `transport`, times the drain of the queued mail and
/// runs `writes` at 8 connections meanwhile; then the same writes idle, for the ratio.
pub async fn drain(
    server: &crate::Server<'_>,
    address: std::net::SocketAddr,
    data: &Path,
    transport: Transport,
    mails: usize,
    writes: MakeCall,
    duration: Duration,
) -> anyhow::Result<()> {
    queue(data, mails)?;
    // Neither the queued rows nor the earlier drain's files are left for the kernel to
    // write back during this one.
    crate::flush_to_disk();
    let reader = Connection::open(data.join("schoolhouse.db"))?;
    let started = Instant::now();
    let process = server.start(&transport.env());
    server.ready().await;
    let load = tokio::spawn(load::run(address, 8, duration, writes.clone()));
    let limit = Duration::from_secs(180);
    let mut left = unsent(&reader);
    while left != 0 && started.elapsed() < limit {
        tokio::time::sleep(Duration::from_millis(20)).await;
        left = unsent(&reader);
    }
    let seconds = started.elapsed().as_secs_f64();
    let during = load.await.unwrap_or_default();
    // The drain's own files are its cost, not the idle figure's.
    crate::flush_to_disk();
    let idle = load::run(address, 8, duration, writes).await;
    let sent = mails as i64 - left.max(0);
    let rate = sent as f64 / seconds.max(1e-6);
    println!(
        "outbox drain, {}: {sent} of {mails} mails in {seconds:.1} s = {rate:.0} mails/s{}; progress writes p99 {:.2} ms during, {:.2} ms idle ({:.2}x)",
        transport.name(),
        if left == 0 {
            ""
        } else {
            " (gave up: not drained in 180 s)"
        },
        during.p99_ms,
        idle.p99_ms,
        during.p99_ms / idle.p99_ms.max(1e-6)
    );
    record(
        format!("outbox drain, {}", transport.name()),
        "mail/s",
        rate,
    );
    record(
        format!("progress p99 during {} drain / idle", transport.name()),
        "x",
        during.p99_ms / idle.p99_ms.max(1e-6),
    );
    crate::stop(process);
    Ok(())
}
