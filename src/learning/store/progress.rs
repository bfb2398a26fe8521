//! SQL for per-lesson progress.

use rusqlite::{Connection, params};

pub const ADD_TIME_SQL: &str =
    "INSERT INTO lesson_progress (enrollment_id, lesson_id, time_spent_seconds, updated_at)
     VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (enrollment_id, lesson_id) DO UPDATE SET
         time_spent_seconds = time_spent_seconds + excluded.time_spent_seconds,
         updated_at = excluded.updated_at";

/// Adds time to a lesson's progress row (creating it).
pub fn add_time(
    conn: &Connection,
    enrollment_id: &str,
    lesson_id: &str,
    seconds: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(ADD_TIME_SQL)?
        .execute(params![enrollment_id, lesson_id, seconds, now])?;
    Ok(())
}

/// Marks a lesson complete (keeping the first completion time).
pub fn mark_complete(
    conn: &Connection,
    enrollment_id: &str,
    lesson_id: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO lesson_progress (enrollment_id, lesson_id, completed_at, updated_at)
         VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (enrollment_id, lesson_id) DO UPDATE SET
             completed_at = COALESCE(completed_at, excluded.completed_at),
             updated_at = excluded.updated_at",
    )?
    .execute(params![enrollment_id, lesson_id, now])?;
    Ok(())
}

/// A lesson the learner has completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletedLesson {
    pub lesson_id: String,
    pub required: bool,
}

pub const COMPLETED_LESSONS_SQL: &str = "SELECT p.lesson_id, l.required FROM lesson_progress p
     JOIN lessons l ON l.id = p.lesson_id
     JOIN sections s ON s.id = l.section_id
     WHERE p.enrollment_id = ?1 AND p.completed_at IS NOT NULL AND l.course_id = ?2
     ORDER BY s.position, l.position, l.id";

/// Completed lessons of an enrolment in `course_id` (its course: a lesson moved to another
/// course no longer counts), in course order.
pub fn completed_lessons(
    conn: &Connection,
    enrollment_id: &str,
    course_id: &str,
) -> rusqlite::Result<Vec<CompletedLesson>> {
    conn.prepare_cached(COMPLETED_LESSONS_SQL)?
        .query_map([enrollment_id, course_id], |r| {
            Ok(CompletedLesson {
                lesson_id: r.get(0)?,
                required: r.get(1)?,
            })
        })?
        .collect()
}

pub const COMPLETED_REQUIRED_SQL: &str = "SELECT COUNT(*) FROM lesson_progress p
     JOIN lessons l ON l.id = p.lesson_id
     WHERE p.enrollment_id = ?1 AND p.completed_at IS NOT NULL
       AND l.course_id = ?2 AND l.required = 1";

/// Completed required lessons of an enrolment in `course_id` (its course).
pub fn completed_required_count(
    conn: &Connection,
    enrollment_id: &str,
    course_id: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(COMPLETED_REQUIRED_SQL)?
        .query_row([enrollment_id, course_id], |r| r.get(0))
}

pub fn is_complete(
    conn: &Connection,
    enrollment_id: &str,
    lesson_id: &str,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM lesson_progress
         WHERE enrollment_id = ?1 AND lesson_id = ?2 AND completed_at IS NOT NULL)",
    )?
    .query_row([enrollment_id, lesson_id], |r| r.get(0))
}
