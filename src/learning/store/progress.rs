//! SQL for per-lesson progress.

use std::collections::HashSet;

use rusqlite::{Connection, params};

use super::course_order::{OrderedLesson, lessons_in_order};
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

/// Where an enrolment stands in its course: its completed lessons in course order and the
/// course's number of required lessons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub completed: Vec<OrderedLesson>,
    pub required_lessons: i64,
}

pub const COMPLETED_IDS_SQL: &str = "SELECT lesson_id FROM lesson_progress
     WHERE enrollment_id = ?1 AND completed_at IS NOT NULL";

/// The enrolment's completed lessons of `course_id`, in course order (a lesson moved to
/// another course no longer counts), and the course's required lessons.
pub fn standing(
    conn: &Connection,
    enrollment_id: &str,
    course_id: &str,
) -> rusqlite::Result<Standing> {
    let done = conn
        .prepare_cached(COMPLETED_IDS_SQL)?
        .query_map([enrollment_id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<HashSet<String>>>()?;
    let lessons = lessons_in_order(conn, course_id)?;
    Ok(Standing {
        completed: lessons
            .iter()
            .filter(|l| done.contains(&l.lesson_id))
            .cloned()
            .collect(),
        required_lessons: lessons.iter().filter(|l| l.required).count() as i64,
    })
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
