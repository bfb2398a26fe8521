//! SQL for categories and tags.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::catalog::model::{CategoryView, TagView};
use crate::http::Page;

const CATEGORY_COLUMNS: &str = "id, name, slug, parent_id, position, created_at, updated_at";

fn category_row(r: &Row<'_>) -> rusqlite::Result<CategoryView> {
    Ok(CategoryView {
        id: r.get(0)?,
        name: r.get(1)?,
        slug: r.get(2)?,
        parent_id: r.get(3)?,
        position: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
    })
}

pub fn categories(conn: &Connection, page: Page) -> rusqlite::Result<(Vec<CategoryView>, i64)> {
    let total = conn
        .prepare_cached("SELECT COUNT(*) FROM categories")?
        .query_row([], |r| r.get(0))?;
    let items = conn
        .prepare_cached(&format!(
            "SELECT {CATEGORY_COLUMNS} FROM categories
             ORDER BY parent_id IS NOT NULL, parent_id, position, name LIMIT ?1 OFFSET ?2"
        ))?
        .query_map([page.limit(), page.offset()], category_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((items, total))
}

/// By id or slug.
pub fn category(conn: &Connection, key: &str) -> rusqlite::Result<Option<CategoryView>> {
    conn.prepare_cached(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM categories WHERE id = ?1 OR slug = ?1 LIMIT 1"
    ))?
    .query_row([key], category_row)
    .optional()
}

/// Inserts or updates every column.
pub fn save_category(conn: &Connection, c: &CategoryView) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO categories (id, name, slug, parent_id, position, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, slug = excluded.slug,
             parent_id = excluded.parent_id, position = excluded.position,
             updated_at = excluded.updated_at",
    )?
    .execute(params![
        c.id,
        c.name,
        c.slug,
        c.parent_id,
        c.position,
        c.created_at,
        c.updated_at
    ])?;
    Ok(())
}

/// Whether `candidate` is `id` itself or one of its descendants (a parent there would make
/// a cycle).
pub fn is_self_or_descendant(
    conn: &Connection,
    id: &str,
    candidate: &str,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION SELECT c.id FROM categories c
             JOIN sub ON c.parent_id = sub.id)
         SELECT EXISTS (SELECT 1 FROM sub WHERE id = ?2)",
    )?
    .query_row([id, candidate], |r| r.get(0))
}

pub fn has_children(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM categories WHERE parent_id = ?1)")?
        .query_row([id], |r| r.get(0))
}

pub fn delete_category(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM categories WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

pub fn tags(conn: &Connection, page: Page) -> rusqlite::Result<(Vec<TagView>, i64)> {
    let total = conn
        .prepare_cached("SELECT COUNT(*) FROM tags")?
        .query_row([], |r| r.get(0))?;
    let items = conn
        .prepare_cached("SELECT id, name, slug FROM tags ORDER BY name LIMIT ?1 OFFSET ?2")?
        .query_map([page.limit(), page.offset()], |r| {
            Ok(TagView {
                id: r.get(0)?,
                name: r.get(1)?,
                slug: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((items, total))
}

pub fn insert_tag(conn: &Connection, tag: &TagView, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO tags (id, name, slug, created_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![tag.id, tag.name, tag.slug, now])?;
    Ok(())
}

/// Deletes a tag by id or slug (links go with it); false when there was none.
pub fn delete_tag(conn: &Connection, key: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM tags WHERE id = ?1 OR slug = ?1")?
        .execute([key])?
        > 0)
}
