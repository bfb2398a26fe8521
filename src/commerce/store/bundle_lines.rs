//! SQL for the courses an order line of a bundle grants (snapshotted at checkout).

use rusqlite::{Connection, params};

/// Records the courses `bundle_id` holds now as what order line `order_item_id` grants.
pub fn snapshot(conn: &Connection, order_item_id: &str, bundle_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_item_courses (order_item_id, course_id)
         SELECT ?1, course_id FROM bundle_courses WHERE bundle_id = ?2",
    )?
    .execute(params![order_item_id, bundle_id])?;
    Ok(())
}

/// Every course the bundle lines of an order grant, each once, in line order.
pub fn courses_of_order(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT oc.course_id FROM order_item_courses oc
         JOIN order_items i ON i.id = oc.order_item_id
         LEFT JOIN bundle_courses b ON b.bundle_id = i.item_id AND b.course_id = oc.course_id
         WHERE i.order_id = ?1
         GROUP BY oc.course_id
         ORDER BY min(i.position), min(coalesce(b.position, 0)), oc.course_id",
    )?;
    let rows = stmt.query_map([order_id], |r| r.get(0))?;
    rows.collect()
}

/// The courses one bundle line grants.
pub fn courses_of_line(conn: &Connection, order_item_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT course_id FROM order_item_courses WHERE order_item_id = ?1 ORDER BY course_id",
    )?;
    let rows = stmt.query_map([order_item_id], |r| r.get(0))?;
    rows.collect()
}
