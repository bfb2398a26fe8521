//! SQL for assignment submissions.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::learning::model::{QueuedSubmission, Submission, SubmissionStatus};

const COLUMNS: &str = "id, lesson_id, course_id, user_id, text, url, media_id, status, score, passed, \
     feedback, graded_at, created_at, updated_at, enrollment_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Submission> {
    Ok(Submission {
        id: r.get(0)?,
        lesson_id: r.get(1)?,
        course_id: r.get(2)?,
        user_id: r.get(3)?,
        text: r.get(4)?,
        url: r.get(5)?,
        media_id: r.get(6)?,
        status: r.get(7)?,
        score: r.get(8)?,
        passed: r.get(9)?,
        feedback: r.get(10)?,
        graded_at: r.get(11)?,
        submitted_at: r.get(12)?,
        updated_at: r.get(13)?,
        enrollment_id: r.get(14)?,
    })
}

pub fn insert(conn: &Connection, s: &Submission) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO submissions (id, enrollment_id, lesson_id, course_id, user_id, text, url, media_id, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![
        s.id,
        s.enrollment_id,
        s.lesson_id,
        s.course_id,
        s.user_id,
        s.text,
        s.url,
        s.media_id,
        s.status,
        s.submitted_at
    ])?;
    Ok(())
}

/// Replaces the content of an open submission.
pub fn update_content(conn: &Connection, s: &Submission, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE submissions SET text = ?2, url = ?3, media_id = ?4, updated_at = ?5
         WHERE id = ?1 AND status = 'submitted'",
    )?
    .execute(params![s.id, s.text, s.url, s.media_id, now])?;
    Ok(())
}

pub fn by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<Submission>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM submissions WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// A learner's submissions for a lesson, newest first.
pub fn for_enrollment_lesson(
    conn: &Connection,
    enrollment_id: &str,
    lesson_id: &str,
) -> rusqlite::Result<Vec<Submission>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM submissions WHERE enrollment_id = ?1 AND lesson_id = ?2 ORDER BY id DESC"
    ))?
    .query_map([enrollment_id, lesson_id], from_row)?
    .collect()
}

/// A course's submissions (optionally of one status), oldest first so the queue is fair,
/// each with the learner's name and email and the lesson's title.
pub fn for_course(
    conn: &Connection,
    course_id: &str,
    status: Option<SubmissionStatus>,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<(Vec<QueuedSubmission>, i64)> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("s.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let items = conn
        .prepare_cached(&format!(
            "SELECT {columns}, u.name, u.email, l.title FROM submissions s
             JOIN users u ON u.id = s.user_id JOIN lessons l ON l.id = s.lesson_id
             WHERE s.course_id = ?1 AND (?2 IS NULL OR s.status = ?2)
             ORDER BY s.id LIMIT ?3 OFFSET ?4"
        ))?
        .query_map(params![course_id, status, limit, offset], |r| {
            Ok(QueuedSubmission {
                submission: from_row(r)?,
                learner_name: r.get(15)?,
                learner_email: r.get(16)?,
                lesson_title: r.get(17)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM submissions WHERE course_id = ?1 AND (?2 IS NULL OR status = ?2)",
        )?
        .query_row(params![course_id, status], |r| r.get(0))?;
    Ok((items, total))
}

pub fn set_grade(
    conn: &Connection,
    id: &str,
    score: i64,
    passed: bool,
    feedback: &str,
    graded_by: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE submissions SET status = 'graded', score = ?2, passed = ?3, feedback = ?4,
             graded_by = ?5, graded_at = ?6, updated_at = ?6 WHERE id = ?1",
    )?
    .execute(params![id, score, passed, feedback, graded_by, now])?;
    Ok(())
}
