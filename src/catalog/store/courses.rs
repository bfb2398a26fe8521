//! SQL for courses, with the figures their views show (instructor, lessons, duration).

use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use crate::catalog::listing::ListSql;
use crate::catalog::model::{Course, Status};

const COLUMNS: &str = "t.id, t.instructor_id, COALESCE(u.name, ''), t.title, t.slug, \
    t.description, t.price_cents, t.currency, t.category_id, t.cover_media_id, t.level, t.status, \
    t.rating_sum, t.rating_count, t.enrollment_count, t.lesson_count, t.total_duration_seconds, \
    t.created_at, t.updated_at, t.language";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Course> {
    Ok(Course {
        id: r.get(0)?,
        instructor_id: r.get(1)?,
        instructor_name: r.get(2)?,
        title: r.get(3)?,
        slug: r.get(4)?,
        description: r.get(5)?,
        price_cents: r.get(6)?,
        currency: r.get(7)?,
        category_id: r.get(8)?,
        cover_media_id: r.get(9)?,
        level: r.get(10)?,
        status: r.get(11)?,
        rating_sum: r.get(12)?,
        rating_count: r.get(13)?,
        enrollment_count: r.get(14)?,
        lesson_count: r.get(15)?,
        total_duration_seconds: r.get(16)?,
        created_at: r.get(17)?,
        updated_at: r.get(18)?,
        language: r.get(19)?,
    })
}

/// The count and page statements of a list query (cached: their shapes are few). The page
/// first picks its rows' rowids from the filters and sort alone, then reads the columns and
/// the instructor's name for those rows only (never for every matching course).
pub fn list_sql(q: &ListSql) -> (String, String) {
    (
        format!("SELECT COUNT(*) FROM {}", q.from_where),
        format!(
            "WITH page AS (SELECT t.rowid AS r, {} AS sort_rank FROM {} ORDER BY {order} \
                 LIMIT ? OFFSET ?)
             SELECT {COLUMNS} FROM page CROSS JOIN courses t ON t.rowid = page.r
             LEFT JOIN users u ON u.id = t.instructor_id ORDER BY {order}",
            q.rank.as_deref().unwrap_or("NULL"),
            q.from_where,
            order = q.order_by,
        ),
    )
}

pub fn list(conn: &Connection, q: &ListSql) -> rusqlite::Result<(Vec<Course>, i64)> {
    if q.nothing {
        return Ok((Vec::new(), 0));
    }
    let (count_sql, page_sql) = list_sql(q);
    let mut values = super::list_params(conn, q)?;
    let total: i64 = conn
        .prepare_cached(&count_sql)?
        .query_row(params_from_iter(values.iter()), |r| r.get(0))?;
    values.push(q.page.limit().into());
    values.push(q.page.offset().into());
    let mut stmt = conn.prepare_cached(&page_sql)?;
    let items = stmt
        .query_map(params_from_iter(values.iter()), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((items, total))
}

/// By id or slug.
pub fn get_sql() -> String {
    format!(
        "SELECT {COLUMNS} FROM courses t LEFT JOIN users u ON u.id = t.instructor_id
         WHERE t.id = ?1 OR t.slug = ?1 LIMIT 1"
    )
}

pub fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<Course>> {
    conn.prepare_cached(&get_sql())?
        .query_row([key], from_row)
        .optional()
}

pub fn insert(conn: &Connection, c: &Course) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO courses (id, instructor_id, title, slug, description, price_cents, currency,
             category_id, cover_media_id, level, status, created_at, updated_at, language)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)",
    )?
    .execute(params![
        c.id,
        c.instructor_id,
        c.title,
        c.slug,
        c.description,
        c.price_cents,
        c.currency,
        c.category_id,
        c.cover_media_id,
        c.level,
        c.status,
        c.created_at,
        c.language
    ])?;
    Ok(())
}

pub fn update(conn: &Connection, c: &Course) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE courses SET title = ?2, slug = ?3, description = ?4, price_cents = ?5,
             category_id = ?6, cover_media_id = ?7, level = ?8, status = ?9, updated_at = ?10,
             language = ?11
         WHERE id = ?1",
    )?
    .execute(params![
        c.id,
        c.title,
        c.slug,
        c.description,
        c.price_cents,
        c.category_id,
        c.cover_media_id,
        c.level,
        c.status,
        c.updated_at,
        c.language
    ])?;
    Ok(())
}

pub fn has_enrollments(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM enrollments WHERE course_id = ?1)")?
        .query_row([id], |r| r.get(0))
}

/// The caller's enrolment giving access (active or completed): its enrolment time.
pub fn access_enrollment(
    conn: &Connection,
    course_id: &str,
    user_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT enrolled_at FROM enrollments
         WHERE course_id = ?1 AND user_id = ?2 AND status IN ('active', 'completed')",
    )?
    .query_row([course_id, user_id], |r| r.get(0))
    .optional()
}

pub fn set_status(conn: &Connection, id: &str, status: Status, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE courses SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM courses WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
