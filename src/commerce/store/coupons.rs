//! SQL for coupons and their redemptions.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::commerce::coupons::{CouponRecord, scope_name};
use crate::commerce::pricing::{Coupon, CouponDiscount, CouponScope, CouponUsage};
use crate::http::Page;

const COLUMNS: &str = "c.id, c.code, c.percent, c.fixed_cents, c.min_subtotal_cents, c.scope,
    c.scope_item_ids, c.starts_at, c.expires_at, c.max_redemptions, c.max_redemptions_per_user,
    c.created_at, c.updated_at,
    (SELECT COUNT(*) FROM coupon_redemptions r WHERE r.coupon_id = c.id),
    (SELECT COUNT(*) FROM coupon_redemptions r JOIN orders o ON o.id = r.order_id
     WHERE r.coupon_id = c.id AND o.status = 'pending')";

fn conversion(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

fn time_column(r: &Row<'_>, index: usize) -> rusqlite::Result<Option<time::OffsetDateTime>> {
    let text: Option<String> = r.get(index)?;
    Ok(text.as_deref().and_then(crate::clock::parse_rfc3339))
}

fn row(r: &Row<'_>) -> rusqlite::Result<CouponRecord> {
    let percent: Option<u32> = r.get(2)?;
    let fixed: Option<i64> = r.get(3)?;
    let scope: String = r.get(5)?;
    let item_ids: Option<String> = r.get(6)?;
    let scope = match scope.as_str() {
        "products" => CouponScope::Products,
        "courses" => CouponScope::Courses,
        "items" => CouponScope::Items(
            serde_json::from_str(item_ids.as_deref().unwrap_or("[]")).map_err(conversion)?,
        ),
        _ => CouponScope::All,
    };
    Ok(CouponRecord {
        id: r.get(0)?,
        coupon: Coupon {
            code: r.get(1)?,
            discount: match (percent, fixed) {
                (Some(p), _) => CouponDiscount::Percent(p),
                (None, f) => CouponDiscount::FixedCents(f.unwrap_or(0)),
            },
            min_subtotal_cents: r.get(4)?,
            scope,
            starts_at: time_column(r, 7)?,
            expires_at: time_column(r, 8)?,
            max_redemptions: r.get(9)?,
            max_redemptions_per_user: r.get(10)?,
        },
        created_at: r.get(11)?,
        updated_at: r.get(12)?,
        redemptions: r.get(13)?,
        pending_redemptions: r.get(14)?,
    })
}

fn columns(c: &Coupon) -> (Option<u32>, Option<i64>, &'static str, Option<String>) {
    let (percent, fixed) = match c.discount {
        CouponDiscount::Percent(p) => (Some(p), None),
        CouponDiscount::FixedCents(f) => (None, Some(f)),
    };
    let ids = match &c.scope {
        CouponScope::Items(ids) => serde_json::to_string(ids).ok(),
        _ => None,
    };
    (percent, fixed, scope_name(&c.scope), ids)
}

pub fn insert(conn: &Connection, id: &str, c: &Coupon, now: &str) -> rusqlite::Result<()> {
    let (percent, fixed, scope, ids) = columns(c);
    conn.prepare_cached(
        "INSERT INTO coupons (id, code, percent, fixed_cents, min_subtotal_cents, scope,
            scope_item_ids, starts_at, expires_at, max_redemptions, max_redemptions_per_user,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        id,
        c.code,
        percent,
        fixed,
        c.min_subtotal_cents,
        scope,
        ids,
        c.starts_at.map(crate::clock::rfc3339),
        c.expires_at.map(crate::clock::rfc3339),
        c.max_redemptions,
        c.max_redemptions_per_user,
        now
    ])?;
    Ok(())
}

pub fn update(conn: &Connection, id: &str, c: &Coupon, now: &str) -> rusqlite::Result<bool> {
    let (percent, fixed, scope, ids) = columns(c);
    let n = conn
        .prepare_cached(
            "UPDATE coupons SET code = ?2, percent = ?3, fixed_cents = ?4, min_subtotal_cents = ?5,
                scope = ?6, scope_item_ids = ?7, starts_at = ?8, expires_at = ?9,
                max_redemptions = ?10, max_redemptions_per_user = ?11, updated_at = ?12
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            c.code,
            percent,
            fixed,
            c.min_subtotal_cents,
            scope,
            ids,
            c.starts_at.map(crate::clock::rfc3339),
            c.expires_at.map(crate::clock::rfc3339),
            c.max_redemptions,
            c.max_redemptions_per_user,
            now
        ])?;
    Ok(n == 1)
}

pub fn delete(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM coupons WHERE id = ?1")?
        .execute([id])?
        == 1)
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<CouponRecord>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM coupons c WHERE c.id = ?1"))?
        .query_row([id], row)
        .optional()
}

/// The coupon with this code (already canonical: trimmed and upper-cased).
pub fn by_code(conn: &Connection, code: &str) -> rusqlite::Result<Option<CouponRecord>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM coupons c WHERE c.code = ?1"
    ))?
    .query_row([code], row)
    .optional()
}

pub fn list(conn: &Connection, page: Page) -> rusqlite::Result<(Vec<CouponRecord>, i64)> {
    let total = conn
        .prepare_cached("SELECT COUNT(*) FROM coupons")?
        .query_row([], |r| r.get(0))?;
    let items = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM coupons c ORDER BY c.created_at DESC, c.id LIMIT ?1 OFFSET ?2"
        ))?
        .query_map(params![page.limit(), page.offset()], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((items, total))
}

/// Redemptions held (orders placed with the coupon and not cancelled) in total and by
/// `user_id`: what the coupon's limits are checked against.
pub fn usage(conn: &Connection, coupon_id: &str, user_id: &str) -> rusqlite::Result<CouponUsage> {
    conn.prepare_cached(
        "SELECT COUNT(*), COALESCE(SUM(user_id = ?2), 0) FROM coupon_redemptions WHERE coupon_id = ?1",
    )?
    .query_row(params![coupon_id, user_id], |r| {
        Ok(CouponUsage {
            total_redemptions: r.get(0)?,
            user_redemptions: r.get(1)?,
        })
    })
}

/// Reserves the order's redemption of the coupon (one per order).
pub fn reserve_redemption(
    conn: &Connection,
    coupon_id: &str,
    order_id: &str,
    user_id: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO coupon_redemptions (coupon_id, order_id, user_id, redeemed_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (order_id) DO NOTHING",
    )?
    .execute(params![coupon_id, order_id, user_id, now])?;
    Ok(())
}

/// Gives the order's redemption back (a cancelled order); no-op when it held none.
pub fn release_redemption(conn: &Connection, order_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM coupon_redemptions WHERE order_id = ?1")?
        .execute([order_id])?;
    Ok(())
}
