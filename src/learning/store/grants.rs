//! SQL for what order lines grant: the courses a line gave (a course line, or each course a
//! bundle line held when bought), and which other paid lines of a buyer still grant a course
//! (for the revocation rule).

use rusqlite::{Connection, OptionalExtension, params};

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

/// The courses the order lines `line_ids` granted, each once, in line and bundle order.
pub fn courses_of_lines(conn: &Connection, line_ids: &[String]) -> rusqlite::Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for line_id in line_ids {
        let line: Option<(String, String)> = conn
            .prepare_cached("SELECT item_type, item_id FROM order_items WHERE id = ?1")?
            .query_row([line_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let granted = match line {
            Some((kind, course_id)) if kind == "course" => vec![course_id],
            Some((kind, _)) if kind == "bundle" => line_courses(conn, line_id)?,
            _ => Vec::new(),
        };
        for course_id in granted {
            if !out.contains(&course_id) {
                out.push(course_id);
            }
        }
    }
    Ok(out)
}

/// How many order lines of `user_id` other than `released` (the lines whose grant is being
/// taken back) still pay for `course_id`: in an order that is paid for, not covered by a
/// processed refund, and either the course itself or a bundle that held it when bought.
pub fn other_paid_lines(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
    released: &[String],
) -> rusqlite::Result<u32> {
    let released = serde_json::to_string(released).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(
        "SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE o.user_id = ?1
           AND o.status IN ('paid', 'fulfilled', 'shipped', 'delivered', 'partially_refunded')
           AND ((i.item_type = 'course' AND i.item_id = ?2)
                OR (i.item_type = 'bundle' AND EXISTS (SELECT 1 FROM order_item_courses oc
                        WHERE oc.order_item_id = i.id AND oc.course_id = ?2)))
           AND i.id NOT IN (SELECT value FROM json_each(?3))
           AND NOT EXISTS (SELECT 1 FROM refund_items ri JOIN refunds r ON r.id = ri.refund_id
                           WHERE ri.order_item_id = i.id AND r.status = 'processed')",
    )?
    .query_row(params![user_id, course_id, released], |r| r.get(0))
}
