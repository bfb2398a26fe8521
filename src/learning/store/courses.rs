//! SQL reads of courses, lessons and quiz questions (owned by the catalogue's tables).

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::learning::model::{CourseRow, LessonRow, QuestionRow};

/// The language a course is taught in (its certificate is printed in it).
pub fn language(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT language FROM courses WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

pub fn course(conn: &Connection, id: &str) -> rusqlite::Result<Option<CourseRow>> {
    conn.prepare_cached(
        "SELECT c.id, c.instructor_id, COALESCE(u.name, ''), c.title, c.price_cents, c.currency, c.status
         FROM courses c LEFT JOIN users u ON u.id = c.instructor_id WHERE c.id = ?1",
    )?
    .query_row([id], |r| {
        Ok(CourseRow {
            id: r.get(0)?,
            instructor_id: r.get(1)?,
            instructor_name: r.get(2)?,
            title: r.get(3)?,
            price_cents: r.get(4)?,
            currency: r.get(5)?,
            status: r.get(6)?,
        })
    })
    .optional()
}

const LESSON_COLUMNS: &str = "id, course_id, title, content_type, required, available_after_days, \
     pass_percent, max_attempts, max_score, pass_score";

fn lesson_from_row(r: &Row<'_>) -> rusqlite::Result<LessonRow> {
    Ok(LessonRow {
        id: r.get(0)?,
        course_id: r.get(1)?,
        title: r.get(2)?,
        content_type: r.get(3)?,
        required: r.get(4)?,
        available_after_days: r.get(5)?,
        pass_percent: r.get(6)?,
        max_attempts: r.get(7)?,
        max_score: r.get(8)?,
        pass_score: r.get(9)?,
    })
}

pub fn lesson(conn: &Connection, id: &str) -> rusqlite::Result<Option<LessonRow>> {
    conn.prepare_cached(&format!(
        "SELECT {LESSON_COLUMNS} FROM lessons WHERE id = ?1"
    ))?
    .query_row([id], lesson_from_row)
    .optional()
}

pub fn questions(conn: &Connection, lesson_id: &str) -> rusqlite::Result<Vec<QuestionRow>> {
    conn.prepare_cached(
        "SELECT id, kind, prompt, options, answer, points FROM quiz_questions
         WHERE lesson_id = ?1 ORDER BY position, id",
    )?
    .query_map([lesson_id], |r| {
        Ok(QuestionRow {
            id: r.get(0)?,
            kind: r.get(1)?,
            prompt: r.get(2)?,
            options: r.get(3)?,
            answer: r.get(4)?,
            points: r.get(5)?,
        })
    })?
    .collect()
}

pub fn media_exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM media WHERE id = ?1)")?
        .query_row([id], |r| r.get(0))
}

pub fn user_exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)")?
        .query_row([id], |r| r.get(0))
}

pub fn add_enrollment_count(
    conn: &Connection,
    course_id: &str,
    delta: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE courses SET enrollment_count = MAX(enrollment_count + ?2, 0) WHERE id = ?1",
    )?
    .execute(params![course_id, delta])?;
    Ok(())
}

pub fn add_rating(
    conn: &Connection,
    course_id: &str,
    sum: i64,
    count: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE courses SET rating_sum = rating_sum + ?2, rating_count = rating_count + ?3 WHERE id = ?1",
    )?
    .execute(params![course_id, sum, count])?;
    Ok(())
}
