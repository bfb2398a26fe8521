//! SQL for enrolments.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::learning::model::{Enrollment, EnrollmentStatus};

const COLUMNS: &str = "id, user_id, course_id, status, source, order_id, enrolled_at, completed_at, \
     revoked_at, last_lesson_id, last_heartbeat_at, time_spent_seconds";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Enrollment> {
    Ok(Enrollment {
        id: r.get(0)?,
        user_id: r.get(1)?,
        course_id: r.get(2)?,
        status: r.get(3)?,
        source: r.get(4)?,
        order_id: r.get(5)?,
        enrolled_at: r.get(6)?,
        completed_at: r.get(7)?,
        revoked_at: r.get(8)?,
        last_lesson_id: r.get(9)?,
        last_heartbeat_at: r.get(10)?,
        time_spent_seconds: r.get(11)?,
    })
}

pub fn insert(conn: &Connection, e: &Enrollment, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO enrollments (id, user_id, course_id, status, source, order_id, enrolled_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        e.id,
        e.user_id,
        e.course_id,
        e.status,
        e.source,
        e.order_id,
        e.enrolled_at,
        now
    ])?;
    Ok(())
}

pub fn find_sql() -> String {
    format!("SELECT {COLUMNS} FROM enrollments WHERE user_id = ?1 AND course_id = ?2")
}

pub fn find(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
) -> rusqlite::Result<Option<Enrollment>> {
    conn.prepare_cached(&find_sql())?
        .query_row([user_id, course_id], from_row)
        .optional()
}

pub fn for_user_sql() -> String {
    format!(
        "SELECT {COLUMNS} FROM enrollments WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"
    )
}

/// A user's enrolments, newest first.
pub fn for_user(
    conn: &Connection,
    user_id: &str,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<Vec<Enrollment>> {
    conn.prepare_cached(&for_user_sql())?
        .query_map(params![user_id, limit, offset], from_row)?
        .collect()
}

pub fn count_for_user(conn: &Connection, user_id: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM enrollments WHERE user_id = ?1")?
        .query_row([user_id], |r| r.get(0))
}

pub fn for_course_sql() -> String {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("e.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {columns}, u.name, u.email FROM enrollments e JOIN users u ON u.id = e.user_id
         WHERE e.course_id = ?1 ORDER BY e.id LIMIT ?2 OFFSET ?3"
    )
}

/// A course's enrolments with the learner's name and email, oldest first.
pub fn for_course(
    conn: &Connection,
    course_id: &str,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<Vec<(Enrollment, String, String)>> {
    conn.prepare_cached(&for_course_sql())?
        .query_map(params![course_id, limit, offset], |r| {
            Ok((from_row(r)?, r.get(12)?, r.get(13)?))
        })?
        .collect()
}

pub fn count_for_course(conn: &Connection, course_id: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM enrollments WHERE course_id = ?1")?
        .query_row([course_id], |r| r.get(0))
}

/// Writes a status change with its timestamps (already decided by the transition function).
pub fn set_status(conn: &Connection, e: &Enrollment, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE enrollments SET status = ?2, source = ?3, order_id = ?4, completed_at = ?5,
             revoked_at = ?6, updated_at = ?7 WHERE id = ?1",
    )?
    .execute(params![
        e.id,
        e.status,
        e.source,
        e.order_id,
        e.completed_at,
        e.revoked_at,
        now
    ])?;
    Ok(())
}

/// Records activity: the lesson last touched and, for a heartbeat, the credited time.
pub fn record_activity(
    conn: &Connection,
    id: &str,
    lesson_id: &str,
    heartbeat_at: Option<&str>,
    credited: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE enrollments SET last_lesson_id = ?2,
             last_heartbeat_at = COALESCE(?3, last_heartbeat_at),
             time_spent_seconds = time_spent_seconds + ?4, updated_at = ?5 WHERE id = ?1",
    )?
    .execute(params![id, lesson_id, heartbeat_at, credited, now])?;
    Ok(())
}

pub fn status_of(conn: &Connection, id: &str) -> rusqlite::Result<Option<EnrollmentStatus>> {
    conn.prepare_cached("SELECT status FROM enrollments WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}
