//! SQL of the sales rollups (V39): their recomputation from the orders and refunds, and the
//! item totals of a range read from them. Triggers keep them in every write; see the
//! migration for what counts.

use rusqlite::{Connection, params};

use super::super::model::{TopBundle, TopCourse, TopProduct};
use super::learning_rollups::ENROLMENTS_PER_COURSE;
use crate::analytics::period::{DateRange, LevelSplit, split_levels};

/// Recomputes every rollup from the orders and refunds, in the caller's transaction;
/// returns the rows written (days, item-days, item-months, item-years).
pub fn rebuild(conn: &Connection) -> rusqlite::Result<(usize, usize, usize, usize)> {
    conn.execute_batch(
        "DELETE FROM sales_by_day; DELETE FROM item_sales_by_day; DELETE FROM item_sales_by_month;
         DELETE FROM item_sales_by_year;",
    )?;
    let days = conn.execute(
        "INSERT INTO sales_by_day (day, gross_cents, orders)
         SELECT substr(paid_at, 1, 10), SUM(total_cents), COUNT(*) FROM orders
         WHERE paid_at IS NOT NULL AND status <> 'pending' GROUP BY 1",
        [],
    )?;
    let refund_days = conn.execute(
        "INSERT INTO sales_by_day (day, refunds_cents)
         SELECT substr(COALESCE(processed_at, updated_at), 1, 10), SUM(amount_cents) FROM refunds
         WHERE status = 'processed' AND kind = 'request' GROUP BY 1
         ON CONFLICT (day) DO UPDATE SET refunds_cents = excluded.refunds_cents",
        [],
    )?;
    let item_days = conn.execute(
        "INSERT INTO item_sales_by_day (item_type, day, item_id, units, revenue_cents)
         SELECT i.item_type, substr(o.paid_at, 1, 10), i.item_id, SUM(i.quantity),
            SUM(i.total_cents)
         FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE o.paid_at IS NOT NULL AND o.status NOT IN ('pending', 'cancelled')
         GROUP BY 1, 2, 3",
        [],
    )?;
    let item_months = conn.execute(
        "INSERT INTO item_sales_by_month (item_type, month, item_id, units, revenue_cents)
         SELECT item_type, substr(day, 1, 7), item_id, SUM(units), SUM(revenue_cents)
         FROM item_sales_by_day GROUP BY 1, 2, 3",
        [],
    )?;
    let item_years = conn.execute(
        "INSERT INTO item_sales_by_year (item_type, year, item_id, units, revenue_cents)
         SELECT item_type, substr(month, 1, 4), item_id, SUM(units), SUM(revenue_cents)
         FROM item_sales_by_month GROUP BY 1, 2, 3",
        [],
    )?;
    Ok((days.max(refund_days), item_days, item_months, item_years))
}

/// `item_id, units, revenue` of every item of `?1`'s type sold in the range given as
/// [`range_params`] (`?2`..`?11`): whole years from the yearly rollup, the whole months at
/// their ends from the monthly one, the days at the range's ends from the daily one.
pub const ITEM_TOTALS: &str = "SELECT item_id, SUM(units) AS units, SUM(revenue_cents) AS revenue
    FROM (
        SELECT item_id, units, revenue_cents FROM item_sales_by_year
        WHERE item_type = ?1 AND year >= ?2 AND year < ?3
        UNION ALL
        SELECT item_id, units, revenue_cents FROM item_sales_by_month
        WHERE item_type = ?1 AND month >= ?4 AND month < ?5
        UNION ALL
        SELECT item_id, units, revenue_cents FROM item_sales_by_month
        WHERE item_type = ?1 AND month >= ?6 AND month < ?7
        UNION ALL
        SELECT item_id, units, revenue_cents FROM item_sales_by_day
        WHERE item_type = ?1 AND day >= ?8 AND day < ?9
        UNION ALL
        SELECT item_id, units, revenue_cents FROM item_sales_by_day
        WHERE item_type = ?1 AND day >= ?10 AND day < ?11)
    GROUP BY item_id HAVING SUM(units) > 0";

/// `?2`..`?11` of [`ITEM_TOTALS`] for `range`.
pub fn range_params(range: &DateRange) -> [String; 10] {
    let LevelSplit {
        years,
        months: [head_months, tail_months],
        days: [head_days, tail_days],
    } = split_levels(*range);
    [
        years.0,
        years.1,
        head_months.0,
        head_months.1,
        tail_months.0,
        tail_months.1,
        head_days.0,
        head_days.1,
        tail_days.0,
        tail_days.1,
    ]
}

/// `(day, gross_cents, orders)` of the whole school's sold orders by paid day.
pub fn daily_sales(
    conn: &Connection,
    range: &DateRange,
) -> rusqlite::Result<Vec<(String, i64, i64)>> {
    conn.prepare_cached(
        "SELECT day, gross_cents, orders FROM sales_by_day
         WHERE day >= ?1 AND day < ?2 AND orders <> 0",
    )?
    .query_map(params![range.start_day(), range.end_day()], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?
    .collect()
}

/// `(day, refunds_cents)` of the whole school's processed refunds by day.
pub fn daily_refunds(conn: &Connection, range: &DateRange) -> rusqlite::Result<Vec<(String, i64)>> {
    conn.prepare_cached(
        "SELECT day, refunds_cents FROM sales_by_day
         WHERE day >= ?1 AND day < ?2 AND refunds_cents <> 0",
    )?
    .query_map(params![range.start_day(), range.end_day()], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?
    .collect()
}

/// `(day, gross_cents, orders)` rows and `(day, refunds_cents)` rows.
pub type DailySales = (Vec<(String, i64, i64)>, Vec<(String, i64)>);

/// The sales by day the report shows: the whole school's from the rollup; an owner's are
/// computed from their order lines (see [`super::daily_sales`]).
pub fn sales_by_day(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
) -> rusqlite::Result<DailySales> {
    match owner {
        None => Ok((daily_sales(conn, range)?, daily_refunds(conn, range)?)),
        Some(_) => Ok((
            super::daily_sales(conn, range, owner)?,
            super::daily_refunds(conn, range, owner)?,
        )),
    }
}

/// `(id, name, units, revenue)` of the best-selling items of a type in the range, from the
/// rollups; `catalogue` is the table that names them (`products`, `bundles`).
fn top_items(
    conn: &Connection,
    item_type: &str,
    catalogue: &str,
    range: &DateRange,
    limit: i64,
) -> rusqlite::Result<Vec<(String, String, i64, i64)>> {
    let sql = format!(
        "SELECT t.item_id, COALESCE(c.name, (SELECT MAX(i.name) FROM order_items i
                WHERE i.item_type = ?1 AND i.item_id = t.item_id)),
            t.units, t.revenue
         FROM ({ITEM_TOTALS}) t LEFT JOIN {catalogue} c ON c.id = t.item_id
         ORDER BY t.revenue DESC, t.units DESC, t.item_id LIMIT ?12"
    );
    let [a, b, c, d, e, f, g, h, i, j] = range_params(range);
    conn.prepare_cached(&sql)?
        .query_map(
            params![item_type, a, b, c, d, e, f, g, h, i, j, limit],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?
        .collect()
}

/// Best-selling products: the whole school's from the rollups, an owner's from their lines.
pub fn top_products(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<TopProduct>> {
    if owner.is_some() {
        return super::top_products(conn, range, owner, limit);
    }
    let rows = top_items(conn, "product", "products", range, limit)?;
    Ok(rows
        .into_iter()
        .map(|(product_id, name, units, revenue_cents)| TopProduct {
            product_id,
            name,
            units,
            revenue_cents,
        })
        .collect())
}

/// Best-selling bundles: the whole school's from the rollups, an owner's from their lines.
pub fn top_bundles(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<TopBundle>> {
    if owner.is_some() {
        return super::top_bundles(conn, range, owner, limit);
    }
    let rows = top_items(conn, "bundle", "bundles", range, limit)?;
    Ok(rows
        .into_iter()
        .map(|(bundle_id, name, units, revenue_cents)| TopBundle {
            bundle_id,
            name,
            units,
            revenue_cents,
        })
        .collect())
}

/// [`super::top_courses`] read from the rollups: each course's revenue from the item sales,
/// its enrolments from the course standings.
pub fn top_courses(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<TopCourse>> {
    let sql = format!(
        "WITH revenue AS ({ITEM_TOTALS}), enrolled AS ({ENROLMENTS_PER_COURSE})
         SELECT * FROM (SELECT c.id, c.title, c.rating_sum, c.rating_count,
            COALESCE(n.enrolments, 0) AS n, COALESCE(r.revenue, 0) AS revenue
         FROM courses c LEFT JOIN revenue r ON r.item_id = c.id
         LEFT JOIN enrolled n ON n.course_id = c.id
         WHERE ?14 IS NULL OR c.instructor_id = ?14)
         WHERE n > 0 OR revenue > 0
         ORDER BY revenue DESC, n DESC, title, id LIMIT ?15"
    );
    let [a, b, c, d, e, f, g, h, i, j] = range_params(range);
    let (start, end) = (range.start_day(), range.end_day());
    conn.prepare_cached(&sql)?
        .query_map(
            params![
                "course", a, b, c, d, e, f, g, h, i, j, start, end, owner, limit
            ],
            super::top_course_row,
        )?
        .collect()
}
