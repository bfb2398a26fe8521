//! SQL for what order lines grant: the courses a bundle line held when it was bought, and
//! which other paid lines of a buyer still grant a course (for the revocation rule).

use rusqlite::{Connection, params};

/// The courses a bundle order line granted (its checkout snapshot).
pub fn line_courses(conn: &Connection, order_item_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT oc.course_id FROM order_item_courses oc
         JOIN order_items i ON i.id = oc.order_item_id
         LEFT JOIN bundle_courses b ON b.bundle_id = i.item_id AND b.course_id = oc.course_id
         WHERE oc.order_item_id = ?1
         ORDER BY coalesce(b.position, 1000000), oc.course_id",
    )?;
    let rows = stmt.query_map([order_item_id], |r| r.get(0))?;
    rows.collect()
}

/// How many order lines of `user_id` other than those of refund `refund_id` still pay for
/// `course_id`: in an order that is paid for, not covered by a processed refund, and either
/// the course itself or a bundle that held it when bought.
pub fn other_paid_lines(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
    refund_id: &str,
) -> rusqlite::Result<u32> {
    conn.prepare_cached(
        "SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE o.user_id = ?1
           AND o.status IN ('paid', 'fulfilled', 'shipped', 'delivered', 'partially_refunded')
           AND ((i.item_type = 'course' AND i.item_id = ?2)
                OR (i.item_type = 'bundle' AND EXISTS (SELECT 1 FROM order_item_courses oc
                        WHERE oc.order_item_id = i.id AND oc.course_id = ?2)))
           AND NOT EXISTS (SELECT 1 FROM refund_items ri JOIN refunds r ON r.id = ri.refund_id
                           WHERE ri.order_item_id = i.id
                             AND (r.status = 'processed' OR r.id = ?3))",
    )?
    .query_row(params![user_id, course_id, refund_id], |r| r.get(0))
}
