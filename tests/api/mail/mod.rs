//! Mail: what each event sends, the outbox and its sender, SMTP delivery; the helpers read
//! what was sent.

mod batch;
mod events;
mod outbox;
pub(crate) mod smtp;

use std::time::{Duration, Instant};

use schoolhouse::config::Config;
use schoolhouse::mail::config::{MailTransport, SmtpSecurity};

use crate::support::TestApp;

pub(crate) const WAIT: Duration = Duration::from_secs(20);

/// Waits for the file transport to have written a mail for `to`; returns the raw message.
pub(crate) async fn mail_file(app: &TestApp, to: &str, subject: &str) -> String {
    let dir = app.state.config.data_dir.join("mail");
    let deadline = Instant::now() + WAIT;
    loop {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            if entry.path().extension().is_some_and(|e| e == "eml")
                && text.contains(&format!("To: {to}"))
                && text.contains(subject)
            {
                return text;
            }
        }
        assert!(Instant::now() < deadline, "no .eml `{subject}` for {to}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Undoes quoted-printable soft line breaks and `=3D`, enough to read an ASCII link.
pub(crate) fn unfold_quoted_printable(raw: &str) -> String {
    raw.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

pub(crate) fn token_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {text}"))
        + marker.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// One outbox row as stored.
#[derive(Debug, Clone)]
pub(crate) struct OutboxRow {
    template: String,
    attempts: i64,
    last_error: Option<String>,
    sent_at: Option<String>,
    body_text: String,
    vars: Option<String>,
}

/// Every outbox row addressed to `to`, oldest first.
pub(crate) async fn outbox(app: &TestApp, to: &str) -> Vec<OutboxRow> {
    let to = to.to_string();
    app.state
        .db
        .read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT template, attempts, last_error, sent_at, body_text, vars FROM outbox
                 WHERE to_address = ?1 ORDER BY created_at",
            )?;
            let rows = stmt
                .query_map([to], |r| {
                    Ok(OutboxRow {
                        template: r.get(0)?,
                        attempts: r.get(1)?,
                        last_error: r.get(2)?,
                        sent_at: r.get(3)?,
                        body_text: r.get(4)?,
                        vars: r.get(5)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
        .unwrap()
}

pub(crate) async fn reset_token_from_file(app: &TestApp, email: &str) -> String {
    let raw = mail_file(app, email, "Reset your").await;
    token_after(&unfold_quoted_printable(&raw), "/reset-password?token=")
}

/// Every outbox row addressed to `to`, once there is one and all are sent.
pub(crate) async fn sent_rows(app: &TestApp, to: &str) -> Vec<OutboxRow> {
    let deadline = Instant::now() + WAIT;
    loop {
        let rows = outbox(app, to).await;
        if !rows.is_empty() && rows.iter().all(|row| row.sent_at.is_some()) {
            return rows;
        }
        assert!(Instant::now() < deadline, "mail to {to} was never sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Ids of outbox rows holding `needle` in any column.
pub(crate) async fn find_in_outbox(app: &TestApp, needle: &str) -> Vec<String> {
    let needle = format!("%{needle}%");
    app.state
        .db
        .read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id FROM outbox WHERE subject LIKE ?1 OR body_text LIKE ?1
                    OR body_html LIKE ?1 OR COALESCE(vars, '') LIKE ?1",
            )?;
            let ids = stmt
                .query_map([needle], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(ids)
        })
        .await
        .unwrap()
}

pub(crate) fn use_smtp(config: &mut Config, port: u16) {
    config.mail.transport = MailTransport::Smtp;
    config.mail.smtp.host = "127.0.0.1".into();
    config.mail.smtp.port = port;
    config.mail.smtp.security = SmtpSecurity::None;
    config.mail.smtp.timeout_seconds = 5;
}
