//! SQL for lesson captions (one row per lesson and language, its file a media row).

use std::collections::HashMap;

use rusqlite::{Connection, Row, params};

use crate::catalog::captions::Caption;

fn caption_row(r: &Row<'_>) -> rusqlite::Result<Caption> {
    Ok(Caption {
        lesson_id: r.get(0)?,
        language: r.get(1)?,
        label: r.get(2)?,
        media_id: r.get(3)?,
        created_at: r.get(4)?,
    })
}

/// Every caption of a course's lessons, by lesson id, in language order.
pub fn for_course(
    conn: &Connection,
    course_id: &str,
) -> rusqlite::Result<HashMap<String, Vec<Caption>>> {
    let rows = conn
        .prepare_cached(
            "SELECT c.lesson_id, c.language, c.label, c.media_id, c.created_at
             FROM lesson_captions c JOIN lessons l ON l.id = c.lesson_id
             WHERE l.course_id = ?1 ORDER BY c.lesson_id, c.language",
        )?
        .query_map([course_id], caption_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out: HashMap<String, Vec<Caption>> = HashMap::new();
    for caption in rows {
        out.entry(caption.lesson_id.clone())
            .or_default()
            .push(caption);
    }
    Ok(out)
}

/// One lesson's captions, in language order.
pub fn for_lesson(conn: &Connection, lesson_id: &str) -> rusqlite::Result<Vec<Caption>> {
    conn.prepare_cached(
        "SELECT lesson_id, language, label, media_id, created_at FROM lesson_captions
         WHERE lesson_id = ?1 ORDER BY language",
    )?
    .query_map([lesson_id], caption_row)?
    .collect()
}

/// Inserts the caption, or replaces the lesson's caption in that language; true when one
/// was replaced.
pub fn upsert(conn: &Connection, c: &Caption) -> rusqlite::Result<bool> {
    let replaced = delete(conn, &c.lesson_id, &c.language)?;
    conn.prepare_cached(
        "INSERT INTO lesson_captions (lesson_id, language, label, media_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        c.lesson_id,
        c.language,
        c.label,
        c.media_id,
        c.created_at
    ])?;
    Ok(replaced)
}

/// Removes the lesson's caption in `language`; false when there was none.
pub fn delete(conn: &Connection, lesson_id: &str, language: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM lesson_captions WHERE lesson_id = ?1 AND language = ?2")?
        .execute([lesson_id, language])?;
    Ok(n > 0)
}
