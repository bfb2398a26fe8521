//! SQL for certificates.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::learning::model::Certificate;

const COLUMNS: &str = "id, serial, enrollment_id, user_id, course_id, issued_at, revoked_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Certificate> {
    Ok(Certificate {
        id: r.get(0)?,
        serial: r.get(1)?,
        enrollment_id: r.get(2)?,
        user_id: r.get(3)?,
        course_id: r.get(4)?,
        issued_at: r.get(5)?,
        revoked_at: r.get(6)?,
    })
}

pub fn insert(conn: &Connection, c: &Certificate) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO certificates (id, serial, enrollment_id, user_id, course_id, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        c.id,
        c.serial,
        c.enrollment_id,
        c.user_id,
        c.course_id,
        c.issued_at
    ])?;
    Ok(())
}

/// The enrolment's certificate that is not revoked, if any.
pub fn current(conn: &Connection, enrollment_id: &str) -> rusqlite::Result<Option<Certificate>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM certificates WHERE enrollment_id = ?1 AND revoked_at IS NULL"
    ))?
    .query_row([enrollment_id], from_row)
    .optional()
}

/// The enrolment's most recent certificate, revoked or not.
pub fn latest(conn: &Connection, enrollment_id: &str) -> rusqlite::Result<Option<Certificate>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM certificates WHERE enrollment_id = ?1 ORDER BY id DESC LIMIT 1"
    ))?
    .query_row([enrollment_id], from_row)
    .optional()
}

/// A certificate by serial with the learner's name and the course title.
pub fn by_serial(
    conn: &Connection,
    serial: &str,
) -> rusqlite::Result<Option<(Certificate, String, String)>> {
    conn.prepare_cached(
        "SELECT c.id, c.serial, c.enrollment_id, c.user_id, c.course_id, c.issued_at, c.revoked_at,
                u.name, co.title
         FROM certificates c JOIN users u ON u.id = c.user_id JOIN courses co ON co.id = c.course_id
         WHERE c.serial = ?1",
    )?
    .query_row([serial], |r| Ok((from_row(r)?, r.get(7)?, r.get(8)?)))
    .optional()
}

pub fn revoke_for_enrollment(
    conn: &Connection,
    enrollment_id: &str,
    now: &str,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE certificates SET revoked_at = ?2 WHERE enrollment_id = ?1 AND revoked_at IS NULL",
    )?
    .execute(params![enrollment_id, now])
}
