//! SQL for the catalogue, one file per area; shared helpers for tags, slugs and references.

pub mod captions;
pub mod courses;
pub mod media;
pub mod outline;
pub mod products;
pub mod taxonomy;

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

use crate::catalog::listing::ListSql;

use super::model::TagView;
use super::slug;

/// Tables whose ids other rows may reference by id (fixed names, never client input).
#[derive(Debug, Clone, Copy)]
pub enum Table {
    Categories,
    Tags,
    Media,
    Products,
    Courses,
    Bundles,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Categories => "categories",
            Table::Tags => "tags",
            Table::Media => "media",
            Table::Products => "products",
            Table::Courses => "courses",
            Table::Bundles => "bundles",
        }
    }
}

/// The ids of `ids` that do not exist in `table`.
pub fn missing_ids(
    conn: &Connection,
    table: Table,
    ids: &[String],
) -> rusqlite::Result<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT value FROM json_each(?1) WHERE value NOT IN (SELECT id FROM {})",
        table.name()
    ))?;
    let rows = stmt.query_map([json], |r| r.get(0))?;
    rows.collect()
}

pub fn exists(conn: &Connection, table: Table, id: &str) -> rusqlite::Result<bool> {
    // Whole statements, not built per call: a progress heartbeat asks for its course.
    let sql = match table {
        Table::Categories => "SELECT EXISTS (SELECT 1 FROM categories WHERE id = ?1)",
        Table::Tags => "SELECT EXISTS (SELECT 1 FROM tags WHERE id = ?1)",
        Table::Media => "SELECT EXISTS (SELECT 1 FROM media WHERE id = ?1)",
        Table::Products => "SELECT EXISTS (SELECT 1 FROM products WHERE id = ?1)",
        Table::Courses => "SELECT EXISTS (SELECT 1 FROM courses WHERE id = ?1)",
        Table::Bundles => "SELECT EXISTS (SELECT 1 FROM bundles WHERE id = ?1)",
    };
    conn.prepare_cached(sql)?.query_row([id], |r| r.get(0))
}

/// Whether `slug` is used in `table` by a row other than `except_id`.
pub fn slug_taken(
    conn: &Connection,
    table: Table,
    slug: &str,
    except_id: &str,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(&format!(
        "SELECT EXISTS (SELECT 1 FROM {} WHERE slug = ?1 AND id <> ?2)",
        table.name()
    ))?
    .query_row(params![slug, except_id], |r| r.get(0))
}

/// The first free slug among `base`, `base-2`, `base-3` ...
pub fn free_slug(
    conn: &Connection,
    table: Table,
    base: &str,
    except_id: &str,
) -> rusqlite::Result<String> {
    let mut attempt = 1;
    loop {
        let candidate = slug::candidate(base, attempt);
        if !slug_taken(conn, table, &candidate, except_id)? {
            return Ok(candidate);
        }
        attempt += 1;
    }
}

/// Which link table joins items to tags.
#[derive(Debug, Clone, Copy)]
pub enum TagLink {
    Products,
    Courses,
}

impl TagLink {
    fn table_and_key(self) -> (&'static str, &'static str) {
        match self {
            TagLink::Products => ("product_tags", "product_id"),
            TagLink::Courses => ("course_tags", "course_id"),
        }
    }
}

/// Tags of a page of items, in one query.
pub fn tags_for(
    conn: &Connection,
    link: TagLink,
    ids: &[String],
) -> rusqlite::Result<HashMap<String, Vec<TagView>>> {
    let (table, key) = link.table_and_key();
    let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT x.{key}, g.id, g.name, g.slug FROM {table} x JOIN tags g ON g.id = x.tag_id
         WHERE x.{key} IN (SELECT value FROM json_each(?1)) ORDER BY g.name"
    ))?;
    let mut out: HashMap<String, Vec<TagView>> = HashMap::new();
    let rows = stmt.query_map([json], |r| {
        Ok((
            r.get::<_, String>(0)?,
            TagView {
                id: r.get(1)?,
                name: r.get(2)?,
                slug: r.get(3)?,
            },
        ))
    })?;
    for row in rows {
        let (id, tag) = row?;
        out.entry(id).or_default().push(tag);
    }
    Ok(out)
}

pub fn set_tags(
    conn: &Connection,
    link: TagLink,
    id: &str,
    tag_ids: &[String],
) -> rusqlite::Result<()> {
    let (table, key) = link.table_and_key();
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE {key} = ?1"))?
        .execute([id])?;
    let mut insert = conn.prepare_cached(&format!(
        "INSERT INTO {table} ({key}, tag_id) VALUES (?1, ?2)"
    ))?;
    for tag in tag_ids {
        insert.execute(params![id, tag])?;
    }
    Ok(())
}

/// The list query's parameters, with its category (id or slug) replaced by the JSON array
/// of the ids of that category and all its sub-categories.
pub fn list_params(conn: &Connection, q: &ListSql) -> rusqlite::Result<Vec<Value>> {
    let mut values = q.params.clone();
    if let Some(slot) = q.category_param.filter(|&i| i < values.len())
        && let Value::Text(key) = &values[slot]
    {
        let tree: String = conn
            .prepare_cached(
                "WITH RECURSIVE sub(id) AS (
                     SELECT id FROM categories WHERE id = ?1 OR slug = ?1
                     UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
                 SELECT json_group_array(id) FROM sub",
            )?
            .query_row([key], |r| r.get(0))?;
        values[slot] = Value::Text(tree);
    }
    Ok(values)
}

/// The id of the row of `table` whose id or slug is `key`.
pub fn resolve(conn: &Connection, table: Table, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(&format!(
        "SELECT id FROM {} WHERE id = ?1 OR slug = ?1 LIMIT 1",
        table.name()
    ))?
    .query_row([key], |r| r.get(0))
    .optional()
}

/// True when `e` is a foreign-key failure (some row still references the one deleted).
pub fn is_foreign_key_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(code, _)
        if code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}
