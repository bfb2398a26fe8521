//! SQL of the analytics reports. `owner` None means the whole school; Some(id) limits every
//! figure to the products the user sells and the courses the user teaches (current owner).

use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{Connection, OptionalExtension, params};

pub mod learning_rollups;
#[cfg(test)]
mod learning_tests;
pub mod memberships;
mod people;
pub mod rollups;
#[cfg(test)]
mod tests;

pub use learning_rollups::{learners_active_per_course, standings};
pub use people::{active_between, active_per_period, daily_signups, users_by_role};

use super::model::{QuizPassRate, TopBundle, TopCourse, TopProduct};
use super::period::DateRange;

/// Order statuses that count as sold (money was taken).
pub const SOLD: &str =
    "('paid', 'fulfilled', 'shipped', 'delivered', 'partially_refunded', 'refunded')";

/// An order item belongs to `?3` when it is one of the products, courses or bundles the
/// user owns.
const OWNED_ITEM: &str = "((i.item_type = 'product' AND i.item_id IN
        (SELECT id FROM products WHERE vendor_id = ?3))
     OR (i.item_type = 'course' AND i.item_id IN
        (SELECT id FROM courses WHERE instructor_id = ?3))
     OR (i.item_type = 'bundle' AND i.item_id IN
        (SELECT id FROM bundles WHERE owner_id = ?3)))";

static REFUNDS_SEEN: AtomicBool = AtomicBool::new(false);

/// Whether the payments migration (refunds) has been applied; once seen, not asked again.
pub fn refunds_exist(conn: &Connection) -> rusqlite::Result<bool> {
    if REFUNDS_SEEN.load(Ordering::Relaxed) {
        return Ok(true);
    }
    let exists: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'refunds')",
        )?
        .query_row([], |r| r.get(0))?;
    if exists {
        REFUNDS_SEEN.store(true, Ordering::Relaxed);
    }
    Ok(exists)
}

/// Whether a table of that name exists (optional tables of branches not yet merged).
pub fn table_exists(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
    )?
    .query_row([name], |r| r.get(0))
}

/// `(day, gross_cents, orders)` of sold orders by paid day. An order cancelled after it was
/// paid (it has `paid_at`) was sold, and its refund counts among the refunds.
pub fn daily_sales(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
) -> rusqlite::Result<Vec<(String, i64, i64)>> {
    let sql = match owner {
        None => format!(
            "SELECT substr(paid_at, 1, 10) AS d, SUM(total_cents), COUNT(*) FROM orders
             WHERE (status IN {SOLD} OR status = 'cancelled') AND paid_at >= ?1 AND paid_at < ?2
               AND ?3 IS NULL
             GROUP BY d"
        ),
        Some(_) => format!(
            "SELECT substr(o.paid_at, 1, 10) AS d, SUM(i.total_cents), COUNT(DISTINCT o.id)
             FROM orders o JOIN order_items i ON i.order_id = o.id
             WHERE (o.status IN {SOLD} OR o.status = 'cancelled') AND o.paid_at >= ?1
               AND o.paid_at < ?2 AND {OWNED_ITEM}
             GROUP BY d"
        ),
    };
    conn.prepare_cached(&sql)?
        .query_map(params![range.start_text(), range.end_text(), owner], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect()
}

/// `(day, refunds_cents)` of processed refunds by the day the money went back. For an owner,
/// a refund counts with the owner's items it covers (at most its amount), or pro rata of the
/// order when it lists no items. Empty before the payments migration. Money sent back
/// automatically (`unpayable_order`: it arrived for an order that could not take it) was
/// never counted as sold, so it is no refund either.
pub fn daily_refunds(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
) -> rusqlite::Result<Vec<(String, i64)>> {
    if !refunds_exist(conn)? {
        return Ok(Vec::new());
    }
    let at = "COALESCE(r.processed_at, r.updated_at)";
    let sql = match owner {
        None => format!(
            "SELECT substr({at}, 1, 10) AS d, SUM(r.amount_cents) FROM refunds r
             WHERE r.status = 'processed' AND r.kind = 'request' AND {at} >= ?1 AND {at} < ?2
               AND ?3 IS NULL
             GROUP BY d"
        ),
        Some(_) => format!(
            "SELECT substr({at}, 1, 10) AS d, SUM(CASE
                WHEN EXISTS (SELECT 1 FROM refund_items ri WHERE ri.refund_id = r.id)
                THEN MIN(r.amount_cents, (SELECT COALESCE(SUM(i.total_cents), 0)
                    FROM refund_items ri JOIN order_items i ON i.id = ri.order_item_id
                    WHERE ri.refund_id = r.id AND {OWNED_ITEM}))
                ELSE r.amount_cents * (SELECT COALESCE(SUM(i.total_cents), 0)
                    FROM order_items i WHERE i.order_id = r.order_id AND {OWNED_ITEM})
                    / MAX(o.total_cents, 1)
             END)
             FROM refunds r JOIN orders o ON o.id = r.order_id
             WHERE r.status = 'processed' AND r.kind = 'request' AND {at} >= ?1 AND {at} < ?2
             GROUP BY d"
        ),
    };
    conn.prepare_cached(&sql)?
        .query_map(params![range.start_text(), range.end_text(), owner], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect()
}

pub fn top_products(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<TopProduct>> {
    let sql = format!(
        "SELECT i.item_id, COALESCE(p.name, MAX(i.name)), SUM(i.quantity), SUM(i.total_cents)
         FROM order_items i JOIN orders o ON o.id = i.order_id
         LEFT JOIN products p ON p.id = i.item_id
         WHERE i.item_type = 'product' AND o.status IN {SOLD}
           AND o.paid_at >= ?1 AND o.paid_at < ?2 AND (?3 IS NULL OR {OWNED_ITEM})
         GROUP BY i.item_id ORDER BY 4 DESC, 3 DESC, i.item_id LIMIT ?4"
    );
    conn.prepare_cached(&sql)?
        .query_map(
            params![range.start_text(), range.end_text(), owner, limit],
            |r| {
                Ok(TopProduct {
                    product_id: r.get(0)?,
                    name: r.get(1)?,
                    units: r.get(2)?,
                    revenue_cents: r.get(3)?,
                })
            },
        )?
        .collect()
}

/// Best-selling bundles in the range: orders and revenue (order item totals).
pub fn top_bundles(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<TopBundle>> {
    let sql = format!(
        "SELECT i.item_id, COALESCE(b.name, MAX(i.name)), SUM(i.quantity), SUM(i.total_cents)
         FROM order_items i JOIN orders o ON o.id = i.order_id
         LEFT JOIN bundles b ON b.id = i.item_id
         WHERE i.item_type = 'bundle' AND o.status IN {SOLD}
           AND o.paid_at >= ?1 AND o.paid_at < ?2 AND (?3 IS NULL OR {OWNED_ITEM})
         GROUP BY i.item_id ORDER BY 4 DESC, 3 DESC, i.item_id LIMIT ?4"
    );
    conn.prepare_cached(&sql)?
        .query_map(
            params![range.start_text(), range.end_text(), owner, limit],
            |r| {
                Ok(TopBundle {
                    bundle_id: r.get(0)?,
                    name: r.get(1)?,
                    units: r.get(2)?,
                    revenue_cents: r.get(3)?,
                })
            },
        )?
        .collect()
}

/// Courses with enrolments or revenue in the range, best first, computed from the
/// enrolments and order lines (the reports read [`rollups::top_courses`]); completion and
/// progress are filled in by the caller from [`standings`].
pub fn top_courses(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<TopCourse>> {
    let sql = format!(
        "SELECT * FROM (SELECT c.id, c.title, c.rating_sum, c.rating_count,
            (SELECT COUNT(*) FROM enrollments e WHERE e.course_id = c.id
               AND e.status != 'revoked' AND e.enrolled_at >= ?1 AND e.enrolled_at < ?2) AS n,
            (SELECT COALESCE(SUM(i.total_cents), 0) FROM order_items i
               JOIN orders o ON o.id = i.order_id
               WHERE i.item_type = 'course' AND i.item_id = c.id AND o.status IN {SOLD}
                 AND o.paid_at >= ?1 AND o.paid_at < ?2) AS revenue
         FROM courses c WHERE ?3 IS NULL OR c.instructor_id = ?3)
         WHERE n > 0 OR revenue > 0
         ORDER BY revenue DESC, n DESC, title, id LIMIT ?4"
    );
    conn.prepare_cached(&sql)?
        .query_map(
            params![range.start_text(), range.end_text(), owner, limit],
            top_course_row,
        )?
        .collect()
}

/// A course of a top list: `id, title, rating_sum, rating_count, enrolments, revenue`.
fn top_course_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TopCourse> {
    let (sum, count): (i64, i64) = (r.get(2)?, r.get(3)?);
    Ok(TopCourse {
        course_id: r.get(0)?,
        title: r.get(1)?,
        enrolments: r.get(4)?,
        revenue_cents: r.get(5)?,
        completion_rate: 0.0,
        average_progress_percent: 0.0,
        rating: (count > 0).then(|| super::figures::average(sum, count)),
        rating_count: count,
    })
}

/// `(title, instructor_id)` of a course.
pub fn course(conn: &Connection, course_id: &str) -> rusqlite::Result<Option<(String, String)>> {
    conn.prepare_cached("SELECT title, instructor_id FROM courses WHERE id = ?1")?
        .query_row([course_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

pub fn quiz_pass_rates(conn: &Connection, course_id: &str) -> rusqlite::Result<Vec<QuizPassRate>> {
    conn.prepare_cached(
        "SELECT l.id, l.title, COUNT(a.id), COALESCE(SUM(a.passed), 0),
            COUNT(DISTINCT a.enrollment_id),
            COUNT(DISTINCT CASE WHEN a.passed = 1 THEN a.enrollment_id END)
         FROM lessons l LEFT JOIN quiz_attempts a ON a.lesson_id = l.id
         LEFT JOIN sections s ON s.id = l.section_id
         WHERE l.course_id = ?1 AND l.content_type = 'quiz'
         GROUP BY l.id ORDER BY s.position, l.position, l.id",
    )?
    .query_map([course_id], |r| {
        let (attempted, passed): (i64, i64) = (r.get(4)?, r.get(5)?);
        Ok(QuizPassRate {
            lesson_id: r.get(0)?,
            title: r.get(1)?,
            attempts: r.get(2)?,
            passed_attempts: r.get(3)?,
            learners_attempted: attempted,
            learners_passed: passed,
            pass_rate: super::figures::ratio(passed, attempted),
        })
    })?
    .collect()
}

/// One row of the orders export.
pub struct OrderExportRow {
    pub cells: Vec<String>,
}

impl OrderExportRow {
    /// Where the next page starts: after this row's `(created_at, number)`.
    pub fn cursor(&self) -> ExportCursor {
        ExportCursor {
            created_at: self.cells[3].clone(),
            number: self.cells[0].clone(),
        }
    }
}

/// The last row of an export page, in the export's order.
#[derive(Debug, Clone)]
pub struct ExportCursor {
    pub created_at: String,
    pub number: String,
}

pub const ORDER_EXPORT_HEADER: &[&str] = &[
    "number",
    "id",
    "status",
    "created_at",
    "paid_at",
    "customer_email",
    "billing_country",
    "currency",
    "items",
    "subtotal_cents",
    "discount_cents",
    "tax_cents",
    "shipping_cents",
    "total_cents",
    "refunded_cents",
    "lines",
];

/// Up to `limit` orders created in the range after `after`, oldest first: one page of the
/// export, so no read holds the whole table.
pub fn orders_export_page(
    conn: &Connection,
    range: &DateRange,
    after: Option<&ExportCursor>,
    limit: i64,
) -> rusqlite::Result<Vec<OrderExportRow>> {
    let refunded = if refunds_exist(conn)? {
        "(SELECT COALESCE(SUM(r.amount_cents), 0) FROM refunds r
          WHERE r.order_id = o.id AND r.status = 'processed')"
    } else {
        "0"
    };
    let sql = format!(
        "SELECT o.number, o.id, o.status, o.created_at, COALESCE(o.paid_at, ''), u.email,
            COALESCE(o.billing_country, ''), o.currency,
            (SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE order_id = o.id),
            o.subtotal_cents, o.discount_cents, o.tax_cents, o.shipping_cents, o.total_cents,
            {refunded},
            (SELECT COALESCE(group_concat(line, '; '), '') FROM (
                SELECT item_type || ':' || name || ' x' || quantity AS line FROM order_items
                WHERE order_id = o.id ORDER BY position))
         FROM orders o JOIN users u ON u.id = o.user_id
         WHERE o.created_at >= ?1 AND o.created_at < ?2
           AND (?3 IS NULL OR o.created_at > ?3 OR (o.created_at = ?3 AND o.number > ?4))
         ORDER BY o.created_at, o.number LIMIT ?5"
    );
    let (after_at, after_number) = (
        after.map(|c| c.created_at.as_str()),
        after.map(|c| c.number.as_str()),
    );
    let start = match after_at {
        Some(at) if at > range.start_text().as_str() => at.to_string(),
        _ => range.start_text(),
    };
    conn.prepare_cached(&sql)?
        .query_map(
            params![start, range.end_text(), after_at, after_number, limit],
            |r| {
                let mut cells = Vec::with_capacity(16);
                for i in 0..8 {
                    cells.push(r.get::<_, String>(i)?);
                }
                for i in 8..15 {
                    cells.push(r.get::<_, i64>(i)?.to_string());
                }
                cells.push(r.get::<_, String>(15)?);
                Ok(OrderExportRow { cells })
            },
        )?
        .collect()
}
