//! SQL for per-lesson progress.

use rusqlite::{Connection, params};

use crate::learning::completion::LessonFact;

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

pub const LESSON_FACTS_SQL: &str = "SELECT l.required, p.completed_at IS NOT NULL FROM lessons l
     LEFT JOIN lesson_progress p ON p.enrollment_id = ?1 AND p.lesson_id = l.id
     WHERE l.course_id = ?2";

/// Every lesson of `course_id`: whether it is required and whether the enrolment completed
/// it (a lesson moved to another course no longer counts). The facts the completion rule
/// (`learning::completion`) decides on.
pub fn lesson_facts(
    conn: &Connection,
    enrollment_id: &str,
    course_id: &str,
) -> rusqlite::Result<Vec<LessonFact>> {
    conn.prepare_cached(LESSON_FACTS_SQL)?
        .query_map([enrollment_id, course_id], |r| {
            Ok(LessonFact {
                required: r.get(0)?,
                completed: r.get(1)?,
            })
        })?
        .collect()
}
