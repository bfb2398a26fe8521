//! SQL for the audit log (inserts only: the table refuses updates and deletes).

use rusqlite::{Connection, params};

use super::Entry;

pub fn record(conn: &Connection, at: &str, entry: &Entry<'_>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor_id, action, target_type, target_id, ip, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        at,
        entry.actor_id,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.ip,
        entry.detail.as_ref().map(|d| d.to_string()),
    ])?;
    Ok(())
}
