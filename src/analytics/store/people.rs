//! Report SQL about people: roles, sign-ups and activity, for everyone or one owner's
//! learners and customers.

use rusqlite::{Connection, params};

use super::OWNED_ITEM;
use crate::analytics::model::RoleCount;
use crate::analytics::period::{DateRange, Interval, day_text};

/// The users an owner's report counts (`?3`): their learners and customers. The whole
/// school's reports read the rollups or count everyone without it.
const SCOPE: &str = "WITH scope(id) AS (
        SELECT e.user_id FROM enrollments e JOIN courses c ON c.id = e.course_id
              WHERE c.instructor_id = ?3
        UNION SELECT o.user_id FROM orders o JOIN order_items i ON i.order_id = o.id
              WHERE o.status IN ('paid', 'fulfilled', 'shipped', 'delivered',
                                 'partially_refunded', 'refunded') AND ";

fn scope() -> String {
    format!("{SCOPE}{OWNED_ITEM})")
}

/// Users by role: the whole school's from the sign-ups rollup, an owner's counted live.
pub fn users_by_role(conn: &Connection, owner: Option<&str>) -> rusqlite::Result<Vec<RoleCount>> {
    if owner.is_none() {
        return super::learning_rollups::users_by_role(conn);
    }
    let sql = format!(
        "{} SELECT role, COUNT(*) FROM users WHERE id IN scope GROUP BY role ORDER BY role",
        scope()
    );
    conn.prepare_cached(&sql)?
        .query_map(params![None::<String>, None::<String>, owner], |r| {
            Ok(RoleCount {
                role: r.get(0)?,
                users: r.get(1)?,
            })
        })?
        .collect()
}

/// `(day, sign-ups)` of users in scope created in the range: the whole school's from the
/// sign-ups rollup, an owner's counted live.
pub fn daily_signups(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
) -> rusqlite::Result<Vec<(String, i64)>> {
    if owner.is_none() {
        return super::learning_rollups::daily_signups(conn, range);
    }
    let sql = format!(
        "{} SELECT substr(created_at, 1, 10) AS d, COUNT(*) FROM users
         WHERE id IN scope AND created_at >= ?1 AND created_at < ?2 GROUP BY d",
        scope()
    );
    conn.prepare_cached(&sql)?
        .query_map(params![range.start_text(), range.end_text(), owner], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect()
}

fn period_sql(interval: Interval) -> &'static str {
    match interval {
        Interval::Day => "day",
        Interval::Week => {
            "date(day, '-' || ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7) || ' days')"
        }
        Interval::Month => "substr(day, 1, 7) || '-01'",
    }
}

/// `(period start, distinct active users)` for every period with activity in the range.
pub fn active_per_period(
    conn: &Connection,
    range: &DateRange,
    interval: Interval,
    owner: Option<&str>,
) -> rusqlite::Result<Vec<(String, i64)>> {
    let sql = format!(
        "{} SELECT {} AS p, COUNT(DISTINCT user_id) FROM user_activity
         WHERE (?3 IS NULL OR user_id IN scope) AND day >= ?1 AND day <= ?2 GROUP BY p",
        scope(),
        period_sql(interval)
    );
    conn.prepare(&sql)?
        .query_map(
            params![day_text(range.from), day_text(range.to), owner],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .collect()
}

/// Distinct users in scope active on days `first..=last` (`YYYY-MM-DD`).
pub fn active_between(
    conn: &Connection,
    first: &str,
    last: &str,
    owner: Option<&str>,
) -> rusqlite::Result<i64> {
    let sql = format!(
        "{} SELECT COUNT(DISTINCT user_id) FROM user_activity
         WHERE (?3 IS NULL OR user_id IN scope) AND day >= ?1 AND day <= ?2",
        scope()
    );
    conn.prepare_cached(&sql)?
        .query_row(params![first, last, owner], |r| r.get(0))
}
