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

/// One audit row as stored.
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

/// Filters of the audit list; `action` ending in `*` matches a prefix.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
}

const AUDIT_WHERE: &str = " WHERE (?1 IS NULL OR a.actor_id = ?1)
      AND (?2 IS NULL OR a.action = ?2 OR (substr(?2, -1) = '*'
           AND substr(a.action, 1, length(?2) - 1) = substr(?2, 1, length(?2) - 1)))
      AND (?3 IS NULL OR a.target_type = ?3)
      AND (?4 IS NULL OR a.target_id = ?4)
      AND (?5 IS NULL OR a.at >= ?5)
      AND (?6 IS NULL OR a.at < ?6)";

/// One page of audit rows, newest first, and the total matching.
pub fn list(
    conn: &Connection,
    f: &AuditFilter,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<(Vec<AuditRow>, i64)> {
    let filter = params![f.actor, f.action, f.target_type, f.target, f.from, f.until];
    let total = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM audit_log a{AUDIT_WHERE}"))?
        .query_row(filter, |r| r.get(0))?;
    let rows = conn
        .prepare_cached(&format!(
            "SELECT a.id, a.at, a.actor_id, u.email, a.action, a.target_type, a.target_id,
                a.ip, a.detail
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id{AUDIT_WHERE}
             ORDER BY a.id DESC LIMIT ?7 OFFSET ?8"
        ))?
        .query_map(
            params![
                f.actor,
                f.action,
                f.target_type,
                f.target,
                f.from,
                f.until,
                limit,
                offset
            ],
            |r| {
                Ok(AuditRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor_id: r.get(2)?,
                    actor_email: r.get(3)?,
                    action: r.get(4)?,
                    target_type: r.get(5)?,
                    target_id: r.get(6)?,
                    ip: r.get(7)?,
                    detail: r.get(8)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

/// The error log keeps this many newest rows.
pub const ERROR_LOG_KEEP: i64 = 10_000;

/// One failed request or background job.
#[derive(Debug, Clone, Default)]
pub struct ErrorRecord {
    pub kind: &'static str,
    pub request_id: Option<String>,
    pub method: Option<String>,
    pub path: Option<String>,
    pub status: Option<u16>,
    pub job: Option<String>,
    pub message: String,
}

/// Appends to the error log; every 100th row also trims it to the newest
/// [`ERROR_LOG_KEEP`].
pub fn record_error(conn: &Connection, at: &str, e: &ErrorRecord) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO error_log (at, kind, request_id, method, path, status, job, message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        at,
        e.kind,
        e.request_id,
        e.method,
        e.path,
        e.status,
        e.job,
        e.message
    ])?;
    let id = conn.last_insert_rowid();
    if id % 100 == 0 {
        conn.prepare_cached("DELETE FROM error_log WHERE id <= ?1")?
            .execute([id - ERROR_LOG_KEEP])?;
    }
    Ok(())
}

/// A stored error-log row: `(id, at, record)`.
pub type ErrorRow = (i64, String, ErrorRecord, String);

/// One page of the error log, newest first; `kind` filters request or job errors.
pub fn list_errors(
    conn: &Connection,
    kind: Option<&str>,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<(Vec<ErrorRow>, i64)> {
    let total = conn
        .prepare_cached("SELECT COUNT(*) FROM error_log WHERE ?1 IS NULL OR kind = ?1")?
        .query_row([kind], |r| r.get(0))?;
    let rows = conn
        .prepare_cached(
            "SELECT id, at, kind, request_id, method, path, status, job, message
             FROM error_log WHERE ?1 IS NULL OR kind = ?1
             ORDER BY id DESC LIMIT ?2 OFFSET ?3",
        )?
        .query_map(params![kind, limit, offset], |r| {
            let kind: String = r.get(2)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                ErrorRecord {
                    kind: "",
                    request_id: r.get(3)?,
                    method: r.get(4)?,
                    path: r.get(5)?,
                    status: r.get(6)?,
                    job: r.get(7)?,
                    message: r.get(8)?,
                },
                kind,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}
