//! SQL for products and their images.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use crate::catalog::listing::ListSql;
use crate::catalog::model::{Product, Status};

const COLUMNS: &str = "t.id, t.vendor_id, t.name, t.slug, t.description, t.kind, t.price_cents, \
    t.currency, t.stock_quantity, t.sku, t.category_id, t.status, t.download_media_id, \
    t.sales_count, t.created_at, t.updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Product> {
    Ok(Product {
        id: r.get(0)?,
        vendor_id: r.get(1)?,
        name: r.get(2)?,
        slug: r.get(3)?,
        description: r.get(4)?,
        kind: r.get(5)?,
        price_cents: r.get(6)?,
        currency: r.get(7)?,
        stock_quantity: r.get(8)?,
        sku: r.get(9)?,
        category_id: r.get(10)?,
        status: r.get(11)?,
        download_media_id: r.get(12)?,
        sales_count: r.get(13)?,
        created_at: r.get(14)?,
        updated_at: r.get(15)?,
    })
}

/// The count and page statements of a list query (cached: their shapes are few). The page
/// first picks its rows' rowids from the filters and sort alone, then reads the columns for
/// those rows only.
pub fn list_sql(q: &ListSql) -> (String, String) {
    (
        format!("SELECT COUNT(*) FROM {}", q.from_where),
        format!(
            "WITH page AS (SELECT t.rowid AS r, {} AS sort_rank FROM {} ORDER BY {order} \
                 LIMIT ? OFFSET ?)
             SELECT {COLUMNS} FROM page CROSS JOIN products t ON t.rowid = page.r \
             ORDER BY {order}",
            q.rank.as_deref().unwrap_or("NULL"),
            q.from_where,
            order = q.order_by,
        ),
    )
}

/// One page of a list query, and the total.
pub fn list(conn: &Connection, q: &ListSql) -> rusqlite::Result<(Vec<Product>, i64)> {
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
    format!("SELECT {COLUMNS} FROM products t WHERE t.id = ?1 OR t.slug = ?1 LIMIT 1")
}

pub fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<Product>> {
    conn.prepare_cached(&get_sql())?
        .query_row([key], from_row)
        .optional()
}

pub fn insert(conn: &Connection, p: &Product) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO products (id, vendor_id, name, slug, description, kind, price_cents, currency,
             stock_quantity, sku, category_id, status, download_media_id, sales_count, created_at,
             updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, ?14, ?14)",
    )?
    .execute(params![
        p.id,
        p.vendor_id,
        p.name,
        p.slug,
        p.description,
        p.kind,
        p.price_cents,
        p.currency,
        p.stock_quantity,
        p.sku,
        p.category_id,
        p.status,
        p.download_media_id,
        p.created_at
    ])?;
    Ok(())
}

pub fn update(conn: &Connection, p: &Product) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE products SET name = ?2, slug = ?3, description = ?4, kind = ?5, price_cents = ?6,
             stock_quantity = ?7, sku = ?8, category_id = ?9, status = ?10,
             download_media_id = ?11, updated_at = ?12
         WHERE id = ?1",
    )?
    .execute(params![
        p.id,
        p.name,
        p.slug,
        p.description,
        p.kind,
        p.price_cents,
        p.stock_quantity,
        p.sku,
        p.category_id,
        p.status,
        p.download_media_id,
        p.updated_at
    ])?;
    Ok(())
}

/// Image media ids of a page of products, in display order, in one query.
pub fn images_for(
    conn: &Connection,
    ids: &[String],
) -> rusqlite::Result<HashMap<String, Vec<String>>> {
    let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT product_id, media_id FROM product_images
         WHERE product_id IN (SELECT value FROM json_each(?1)) ORDER BY position",
    )?;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for row in stmt.query_map([json], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
        let (id, media): (String, String) = row?;
        out.entry(id).or_default().push(media);
    }
    Ok(out)
}

pub fn set_images(conn: &Connection, id: &str, media_ids: &[String]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM product_images WHERE product_id = ?1")?
        .execute([id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO product_images (product_id, media_id, position) VALUES (?1, ?2, ?3)",
    )?;
    for (position, media) in media_ids.iter().enumerate() {
        insert.execute(params![id, media, position as i64])?;
    }
    Ok(())
}

pub const PRODUCT_ORDERED_SQL: &str =
    "SELECT EXISTS (SELECT 1 FROM order_items WHERE item_type = 'product' AND item_id = ?1)";

/// Whether any order line refers to the product.
pub fn product_is_referenced(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(PRODUCT_ORDERED_SQL)?
        .query_row([id], |r| r.get(0))
}

pub fn set_status(conn: &Connection, id: &str, status: Status, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE products SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM products WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
