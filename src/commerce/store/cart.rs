//! SQL for cart lines: one server-side cart per user.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::commerce::model::{CartRow, ItemType};

const COLUMNS: &str = "id, item_type, item_id, quantity, price_seen_cents";

fn row(r: &Row<'_>) -> rusqlite::Result<CartRow> {
    Ok(CartRow {
        id: r.get(0)?,
        item_type: r.get(1)?,
        item_id: r.get(2)?,
        quantity: r.get(3)?,
        price_seen_cents: r.get(4)?,
    })
}

pub fn list_sql() -> String {
    format!("SELECT {COLUMNS} FROM cart_items WHERE user_id = ?1 ORDER BY created_at, id")
}

pub fn list(conn: &Connection, user_id: &str) -> rusqlite::Result<Vec<CartRow>> {
    conn.prepare_cached(&list_sql())?
        .query_map([user_id], row)?
        .collect()
}

/// The caller's line with this id; another user's line is not found.
pub fn get(conn: &Connection, user_id: &str, id: &str) -> rusqlite::Result<Option<CartRow>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM cart_items WHERE user_id = ?1 AND id = ?2"
    ))?
    .query_row(params![user_id, id], row)
    .optional()
}

pub fn find_sql() -> String {
    format!(
        "SELECT {COLUMNS} FROM cart_items WHERE user_id = ?1 AND item_type = ?2 AND item_id = ?3"
    )
}

pub fn find(
    conn: &Connection,
    user_id: &str,
    item_type: ItemType,
    item_id: &str,
) -> rusqlite::Result<Option<CartRow>> {
    conn.prepare_cached(&find_sql())?
        .query_row(params![user_id, item_type, item_id], row)
        .optional()
}

pub fn insert(conn: &Connection, user_id: &str, line: &CartRow, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO cart_items (id, user_id, item_type, item_id, quantity, price_seen_cents,
                                 created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        line.id,
        user_id,
        line.item_type,
        line.item_id,
        line.quantity,
        line.price_seen_cents,
        now
    ])?;
    Ok(())
}

pub fn update(
    conn: &Connection,
    id: &str,
    quantity: i64,
    price_seen_cents: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE cart_items SET quantity = ?2, price_seen_cents = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, quantity, price_seen_cents, now])?;
    Ok(())
}

/// Records the price the buyer has now been shown.
pub fn mark_seen(conn: &Connection, id: &str, price_cents: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE cart_items SET price_seen_cents = ?2 WHERE id = ?1")?
        .execute(params![id, price_cents])?;
    Ok(())
}

pub fn delete(conn: &Connection, user_id: &str, id: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM cart_items WHERE user_id = ?1 AND id = ?2")?
        .execute(params![user_id, id])?;
    Ok(n == 1)
}

pub fn clear(conn: &Connection, user_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM cart_items WHERE user_id = ?1")?
        .execute([user_id])?;
    Ok(())
}
