//! SQL for uploaded media.

use rusqlite::{Connection, OptionalExtension, params};

/// A media row.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Media {
    pub id: String,
    pub sha256: String,
    pub mime: String,
    pub size_bytes: i64,
    pub original_name: String,
    pub owner_id: Option<String>,
    pub created_at: String,
}

pub fn insert(conn: &Connection, m: &Media) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO media (id, sha256, mime, size_bytes, original_name, owner_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        m.id,
        m.sha256,
        m.mime,
        m.size_bytes,
        m.original_name,
        m.owner_id,
        m.created_at
    ])?;
    Ok(())
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<Media>> {
    conn.prepare_cached(
        "SELECT id, sha256, mime, size_bytes, original_name, owner_id, created_at
         FROM media WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(Media {
            id: r.get(0)?,
            sha256: r.get(1)?,
            mime: r.get(2)?,
            size_bytes: r.get(3)?,
            original_name: r.get(4)?,
            owner_id: r.get(5)?,
            created_at: r.get(6)?,
        })
    })
    .optional()
}

/// Media served without a signature: product images and course covers (authors can attach
/// only their own uploads, so nobody can make someone else's file public this way).
pub fn is_public(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM product_images WHERE media_id = ?1)
             OR EXISTS (SELECT 1 FROM courses WHERE cover_media_id = ?1)",
    )?
    .query_row([id], |r| r.get(0))
}

/// The media owned by `owner_id` among `ids` (authors may attach only their own uploads,
/// admins any).
pub fn not_owned(
    conn: &Connection,
    ids: &[String],
    owner_id: &str,
) -> rusqlite::Result<Vec<String>> {
    let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(
        "SELECT value FROM json_each(?1)
         WHERE value NOT IN (SELECT id FROM media WHERE owner_id = ?2)",
    )?
    .query_map(params![json, owner_id], |r| r.get(0))?
    .collect()
}

/// One stored file (several media rows may share it).
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub sha256: String,
    pub mime: String,
    pub size_bytes: i64,
}

/// Every distinct stored file, oldest first.
pub fn files(conn: &Connection) -> rusqlite::Result<Vec<StoredFile>> {
    conn.prepare_cached(
        "SELECT sha256, MIN(mime), MAX(size_bytes) FROM media
         GROUP BY sha256 ORDER BY MIN(created_at), sha256",
    )?
    .query_map([], |r| {
        Ok(StoredFile {
            sha256: r.get(0)?,
            mime: r.get(1)?,
            size_bytes: r.get(2)?,
        })
    })?
    .collect()
}
