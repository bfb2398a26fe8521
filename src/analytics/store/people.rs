//! Report SQL about people: roles, sign-ups and activity, for everyone or one owner's
//! learners and customers.

use rusqlite::{Connection, params};

use super::OWNED_ITEM;
use crate::analytics::model::{CourseActivity, RoleCount};
use crate::analytics::period::{DateRange, Interval, day_text};

/// The users a report may count: everyone, or an owner's learners and customers.
const SCOPE: &str = "WITH scope(id) AS (
        SELECT id FROM users WHERE ?3 IS NULL
        UNION SELECT e.user_id FROM enrollments e JOIN courses c ON c.id = e.course_id
              WHERE c.instructor_id = ?3
        UNION SELECT o.user_id FROM orders o JOIN order_items i ON i.order_id = o.id
              WHERE o.status IN ('paid', 'fulfilled', 'shipped', 'delivered',
                                 'partially_refunded', 'refunded') AND ";

fn scope() -> String {
    format!("{SCOPE}{OWNED_ITEM})")
}

pub fn users_by_role(conn: &Connection, owner: Option<&str>) -> rusqlite::Result<Vec<RoleCount>> {
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

/// `(day, sign-ups)` of users in scope created in the range.
pub fn daily_signups(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
) -> rusqlite::Result<Vec<(String, i64)>> {
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
         WHERE user_id IN scope AND day >= ?1 AND day <= ?2 GROUP BY p",
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
         WHERE user_id IN scope AND day >= ?1 AND day <= ?2",
        scope()
    );
    conn.prepare_cached(&sql)?
        .query_row(params![first, last, owner], |r| r.get(0))
}

/// Learners who worked on a lesson of each course in the range, busiest first.
pub fn learners_active_per_course(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
) -> rusqlite::Result<Vec<CourseActivity>> {
    conn.prepare_cached(
        "SELECT c.id, c.title, COUNT(DISTINCT e.user_id) FROM courses c
         JOIN enrollments e ON e.course_id = c.id
         JOIN lesson_progress lp ON lp.enrollment_id = e.id
         WHERE (?3 IS NULL OR c.instructor_id = ?3)
           AND lp.updated_at >= ?1 AND lp.updated_at < ?2
         GROUP BY c.id ORDER BY 3 DESC, c.title, c.id",
    )?
    .query_map(params![range.start_text(), range.end_text(), owner], |r| {
        Ok(CourseActivity {
            course_id: r.get(0)?,
            title: r.get(1)?,
            active_learners: r.get(2)?,
        })
    })?
    .collect()
}
