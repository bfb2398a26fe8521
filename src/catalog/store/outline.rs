//! SQL for a course's sections, lessons and quiz questions; positions kept contiguous.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::catalog::model::{Lesson, QuizQuestion, Section};
use crate::catalog::quiz::Question;

fn section_row(r: &Row<'_>) -> rusqlite::Result<Section> {
    Ok(Section {
        id: r.get(0)?,
        course_id: r.get(1)?,
        title: r.get(2)?,
        position: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

const SECTION_COLUMNS: &str = "id, course_id, title, position, created_at, updated_at";

pub fn sections(conn: &Connection, course_id: &str) -> rusqlite::Result<Vec<Section>> {
    conn.prepare_cached(&format!(
        "SELECT {SECTION_COLUMNS} FROM sections WHERE course_id = ?1 ORDER BY position, created_at"
    ))?
    .query_map([course_id], section_row)?
    .collect()
}

pub fn section(conn: &Connection, course_id: &str, id: &str) -> rusqlite::Result<Option<Section>> {
    conn.prepare_cached(&format!(
        "SELECT {SECTION_COLUMNS} FROM sections WHERE course_id = ?1 AND id = ?2"
    ))?
    .query_row([course_id, id], section_row)
    .optional()
}

/// Inserts at the end of the course.
pub fn insert_section(conn: &Connection, s: &Section) -> rusqlite::Result<i64> {
    let position: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM sections WHERE course_id = ?1")?
        .query_row([&s.course_id], |r| r.get(0))?;
    conn.prepare_cached(
        "INSERT INTO sections (id, course_id, title, position, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![s.id, s.course_id, s.title, position, s.created_at])?;
    Ok(position)
}

pub fn rename_section(conn: &Connection, id: &str, title: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE sections SET title = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, title, now])?;
    Ok(())
}

/// Deletes a section (its lessons go with it) and closes the gap.
pub fn delete_section(conn: &Connection, course_id: &str, id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM sections WHERE id = ?1")?
        .execute([id])?;
    let ids: Vec<String> = sections(conn, course_id)?
        .into_iter()
        .map(|s| s.id)
        .collect();
    set_section_order(conn, &ids)
}

/// Sets positions 0.. in the given order.
pub fn set_section_order(conn: &Connection, ids: &[String]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached("UPDATE sections SET position = ?2 WHERE id = ?1")?;
    for (position, id) in ids.iter().enumerate() {
        stmt.execute(params![id, position as i64])?;
    }
    Ok(())
}

const LESSON_COLUMNS: &str = "l.id, l.course_id, l.section_id, l.title, l.content_type, \
    l.position, l.is_preview, l.required, l.available_after_days, l.duration_seconds, \
    l.content_url, l.media_id, l.body_markdown, l.pass_percent, l.max_attempts, l.instructions, \
    l.max_score, l.pass_score, l.created_at, l.updated_at, l.transcript";

fn lesson_row(r: &Row<'_>) -> rusqlite::Result<Lesson> {
    Ok(Lesson {
        id: r.get(0)?,
        course_id: r.get(1)?,
        section_id: r.get(2)?,
        title: r.get(3)?,
        content_type: r.get(4)?,
        position: r.get(5)?,
        is_preview: r.get(6)?,
        required: r.get(7)?,
        available_after_days: r.get(8)?,
        duration_seconds: r.get(9)?,
        content_url: r.get(10)?,
        media_id: r.get(11)?,
        body_markdown: r.get(12)?,
        pass_percent: r.get(13)?,
        max_attempts: r.get(14)?,
        instructions: r.get(15)?,
        max_score: r.get(16)?,
        pass_score: r.get(17)?,
        created_at: r.get(18)?,
        updated_at: r.get(19)?,
        transcript: r.get(20)?,
    })
}

/// Every lesson of a course in outline order.
pub fn lessons(conn: &Connection, course_id: &str) -> rusqlite::Result<Vec<Lesson>> {
    conn.prepare_cached(&format!(
        "SELECT {LESSON_COLUMNS} FROM lessons l JOIN sections s ON s.id = l.section_id
         WHERE l.course_id = ?1 ORDER BY s.position, l.position, l.created_at"
    ))?
    .query_map([course_id], lesson_row)?
    .collect()
}

pub fn lesson(conn: &Connection, course_id: &str, id: &str) -> rusqlite::Result<Option<Lesson>> {
    conn.prepare_cached(&format!(
        "SELECT {LESSON_COLUMNS} FROM lessons l WHERE l.course_id = ?1 AND l.id = ?2"
    ))?
    .query_row([course_id, id], lesson_row)
    .optional()
}

pub fn section_lesson_ids(conn: &Connection, section_id: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached(
        "SELECT id FROM lessons WHERE section_id = ?1 ORDER BY position, created_at",
    )?
    .query_map([section_id], |r| r.get(0))?
    .collect()
}

/// Sets positions 0.. in the given order.
pub fn set_lesson_order(conn: &Connection, ids: &[String]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached("UPDATE lessons SET position = ?2 WHERE id = ?1")?;
    for (position, id) in ids.iter().enumerate() {
        stmt.execute(params![id, position as i64])?;
    }
    Ok(())
}

/// Closes gaps in a section's lesson positions.
pub fn renumber_lessons(conn: &Connection, section_id: &str) -> rusqlite::Result<()> {
    let ids = section_lesson_ids(conn, section_id)?;
    set_lesson_order(conn, &ids)
}

/// Writes every column of `l` (insert or replace by id).
pub fn save_lesson(conn: &Connection, l: &Lesson) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO lessons (id, course_id, section_id, title, content_type, position, is_preview,
             required, available_after_days, duration_seconds, content_url, media_id,
             body_markdown, pass_percent, max_attempts, instructions, max_score, pass_score,
             created_at, updated_at, transcript)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?20, ?21)
         ON CONFLICT (id) DO UPDATE SET section_id = excluded.section_id,
             title = excluded.title, content_type = excluded.content_type,
             position = excluded.position, is_preview = excluded.is_preview,
             required = excluded.required, available_after_days = excluded.available_after_days,
             duration_seconds = excluded.duration_seconds, content_url = excluded.content_url,
             media_id = excluded.media_id, body_markdown = excluded.body_markdown,
             pass_percent = excluded.pass_percent, max_attempts = excluded.max_attempts,
             instructions = excluded.instructions, max_score = excluded.max_score,
             pass_score = excluded.pass_score, updated_at = excluded.updated_at,
             transcript = excluded.transcript",
    )?
    .execute(params![
        l.id,
        l.course_id,
        l.section_id,
        l.title,
        l.content_type,
        l.position,
        l.is_preview,
        l.required,
        l.available_after_days,
        l.duration_seconds,
        l.content_url,
        l.media_id,
        l.body_markdown,
        l.pass_percent,
        l.max_attempts,
        l.instructions,
        l.max_score,
        l.pass_score,
        l.created_at,
        l.updated_at,
        l.transcript
    ])?;
    Ok(())
}

pub fn delete_lesson(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM lessons WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Questions of several lessons, in order, in one query.
pub fn questions_for(
    conn: &Connection,
    lesson_ids: &[String],
) -> rusqlite::Result<HashMap<String, Vec<QuizQuestion>>> {
    let json = serde_json::to_string(lesson_ids).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT id, lesson_id, position, kind, prompt, options, answer, points FROM quiz_questions
         WHERE lesson_id IN (SELECT value FROM json_each(?1)) ORDER BY lesson_id, position",
    )?;
    let rows = stmt.query_map([json], |r| {
        let options: Option<String> = r.get(5)?;
        let answer: String = r.get(6)?;
        Ok(QuizQuestion {
            id: r.get(0)?,
            lesson_id: r.get(1)?,
            position: r.get(2)?,
            kind: r.get(3)?,
            prompt: r.get(4)?,
            options: options.and_then(|o| serde_json::from_str(&o).ok()),
            answer: serde_json::from_str(&answer).unwrap_or(serde_json::Value::Null),
            points: r.get(7)?,
        })
    })?;
    let mut out: HashMap<String, Vec<QuizQuestion>> = HashMap::new();
    for row in rows {
        let q = row?;
        out.entry(q.lesson_id.clone()).or_default().push(q);
    }
    Ok(out)
}

pub fn has_questions(conn: &Connection, lesson_id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM quiz_questions WHERE lesson_id = ?1)")?
        .query_row([lesson_id], |r| r.get(0))
}

pub fn replace_questions(
    conn: &Connection,
    lesson_id: &str,
    questions: &[Question],
) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM quiz_questions WHERE lesson_id = ?1")?
        .execute([lesson_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO quiz_questions (id, lesson_id, position, kind, prompt, options, answer, points)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (position, q) in questions.iter().enumerate() {
        insert.execute(params![
            uuid::Uuid::now_v7().to_string(),
            lesson_id,
            position as i64,
            q.kind,
            q.prompt,
            q.options
                .as_ref()
                .map(|o| serde_json::Value::from(o.clone()).to_string()),
            q.answer.to_string(),
            q.points
        ])?;
    }
    Ok(())
}

pub fn clear_questions(conn: &Connection, lesson_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM quiz_questions WHERE lesson_id = ?1")?
        .execute([lesson_id])?;
    Ok(())
}
