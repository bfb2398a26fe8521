//! SQL for the mail outbox.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::templates::{Draft, Rendered};

/// A queued mail as the worker sees it.
#[derive(Debug, Clone)]
pub struct OutboxMail {
    pub id: String,
    pub template: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// The template's values (JSON) while the bodies are still to be rendered; `None` once
    /// sent, and for mail queued with its bodies already rendered.
    pub vars: Option<String>,
    pub attempts: u32,
}

/// Queues `mail` for `to` (its subject and values; the worker renders the bodies) in the
/// locale the account with that address chose, else the draft's (the school's); call it
/// inside the write transaction of the event that causes the mail, so both commit or
/// neither does. Returns the outbox id.
pub fn enqueue(conn: &Connection, now: &str, to: &str, mail: &Draft) -> rusqlite::Result<String> {
    let chosen = crate::users::store::locale_by_email(conn, to)?;
    let localized;
    let mail = match chosen {
        Some(locale) => {
            localized = mail.clone().in_locale(&locale);
            &localized
        }
        None => mail,
    };
    let id = uuid::Uuid::now_v7().to_string();
    conn.prepare_cached(
        "INSERT INTO outbox (id, template, to_address, subject, body_text, body_html, vars,
                             sensitive, created_at, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, '', '', ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        id,
        mail.template_name(),
        to,
        mail.subject(),
        mail.vars_json(),
        mail.sensitive(),
        now
    ])?;
    Ok(id)
}

/// The columns [`OutboxMail::from_row`] reads, in its order.
pub const MAIL_COLUMNS: &str =
    "id, template, to_address, subject, body_text, body_html, vars, attempts";

impl OutboxMail {
    /// The mail in a row of [`MAIL_COLUMNS`].
    pub fn from_row(r: &Row<'_>) -> rusqlite::Result<OutboxMail> {
        Ok(OutboxMail {
            id: r.get(0)?,
            template: r.get(1)?,
            to_address: r.get(2)?,
            subject: r.get(3)?,
            body_text: r.get(4)?,
            body_html: r.get(5)?,
            vars: r.get(6)?,
            attempts: r.get(7)?,
        })
    }

    /// The mail as it is sent: rendered now from the stored values, or as stored.
    pub fn content(&self) -> Result<Rendered, String> {
        match &self.vars {
            Some(vars) => Ok(Draft::from_stored(&self.template, vars)?.render()),
            None => Ok(Rendered {
                subject: self.subject.clone(),
                text: self.body_text.clone(),
                html: self.body_html.clone(),
            }),
        }
    }
}

/// The due batch's query (`?1` now, `?2` the most attempts, `?3` the batch's size):
/// `outbox_due` holds its order, so no sort of the queue.
pub fn due_sql() -> String {
    format!(
        "SELECT {MAIL_COLUMNS} FROM outbox
         WHERE sent_at IS NULL AND next_attempt_at <= ?1 AND attempts < ?2
         ORDER BY next_attempt_at, id LIMIT ?3"
    )
}

/// Unsent mail whose next attempt is due, oldest first.
pub fn due(
    conn: &Connection,
    now: &str,
    max_attempts: u32,
    limit: u32,
) -> rusqlite::Result<Vec<OutboxMail>> {
    conn.prepare_cached(&due_sql())?
        .query_map(params![now, max_attempts, limit], OutboxMail::from_row)?
        .collect()
}

/// Records a successful send and keeps the bodies as sent, unless they hold a secret (a
/// one-time link): then they and the values they were rendered from are cleared.
pub fn mark_sent(conn: &Connection, id: &str, sent: &Rendered, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, last_error = NULL, vars = NULL,
                body_text = CASE sensitive WHEN 1 THEN '' ELSE ?3 END,
                body_html = CASE sensitive WHEN 1 THEN '' ELSE ?4 END
         WHERE id = ?1 AND sent_at IS NULL",
    )?
    .execute(params![id, now, sent.text, sent.html])?;
    Ok(())
}

/// Records a failed attempt and when to try again.
pub fn mark_failed(
    conn: &Connection,
    id: &str,
    error: &str,
    next_attempt_at: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3
         WHERE id = ?1 AND sent_at IS NULL",
    )?
    .execute(params![id, error, next_attempt_at])?;
    Ok(())
}

/// The earliest time an unsent, retryable mail is due (to sleep until then).
pub fn next_due_at(conn: &Connection, max_attempts: u32) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT MIN(next_attempt_at) FROM outbox WHERE sent_at IS NULL AND attempts < ?1",
    )?
    .query_row([max_attempts], |r| r.get(0))
    .optional()
    .map(Option::flatten)
}
