//! SQL for course reviews.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::learning::model::ReviewView;

/// A review row with its author.
#[derive(Debug, Clone)]
pub struct Review {
    pub id: String,
    pub course_id: String,
    pub user_id: String,
    pub rating: i64,
    pub comment: String,
    pub hidden_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str =
    "r.id, r.course_id, r.user_id, r.rating, r.comment, r.hidden_at, r.created_at, r.updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Review> {
    Ok(Review {
        id: r.get(0)?,
        course_id: r.get(1)?,
        user_id: r.get(2)?,
        rating: r.get(3)?,
        comment: r.get(4)?,
        hidden_at: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

fn view_from_row(r: &Row<'_>) -> rusqlite::Result<ReviewView> {
    let review = from_row(r)?;
    Ok(ReviewView {
        id: review.id,
        course_id: review.course_id,
        rating: review.rating,
        comment: review.comment,
        reviewer_name: r.get(8)?,
        hidden: review.hidden_at.is_some(),
        created_at: review.created_at,
        updated_at: review.updated_at,
    })
}

pub fn insert(conn: &Connection, r: &Review) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO reviews (id, course_id, user_id, rating, comment, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![
        r.id,
        r.course_id,
        r.user_id,
        r.rating,
        r.comment,
        r.created_at
    ])?;
    Ok(())
}

pub fn find(conn: &Connection, user_id: &str, course_id: &str) -> rusqlite::Result<Option<Review>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM reviews r WHERE r.user_id = ?1 AND r.course_id = ?2"
    ))?
    .query_row([user_id, course_id], from_row)
    .optional()
}

pub fn by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<Review>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM reviews r WHERE r.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub fn view(conn: &Connection, id: &str) -> rusqlite::Result<Option<ReviewView>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, u.name FROM reviews r JOIN users u ON u.id = r.user_id WHERE r.id = ?1"
    ))?
    .query_row([id], view_from_row)
    .optional()
}

pub fn update(
    conn: &Connection,
    id: &str,
    rating: i64,
    comment: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE reviews SET rating = ?2, comment = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, rating, comment, now])?;
    Ok(())
}

pub fn hide(conn: &Connection, id: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE reviews SET hidden_at = ?2, updated_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// Visible reviews of a course, newest first (ids are time-ordered UUIDv7).
pub fn visible_for_course(
    conn: &Connection,
    course_id: &str,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<(Vec<ReviewView>, i64)> {
    let items = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS}, u.name FROM reviews r JOIN users u ON u.id = r.user_id
             WHERE r.course_id = ?1 AND r.hidden_at IS NULL ORDER BY r.id DESC LIMIT ?2 OFFSET ?3"
        ))?
        .query_map(params![course_id, limit, offset], view_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = conn
        .prepare_cached("SELECT COUNT(*) FROM reviews WHERE course_id = ?1 AND hidden_at IS NULL")?
        .query_row([course_id], |r| r.get(0))?;
    Ok((items, total))
}
