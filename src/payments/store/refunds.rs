//! SQL for refunds and the order items they cover.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{bad_value, parsed};
use crate::payments::model::{Refund, RefundStatus};

const REFUND_COLUMNS: &str = "id, order_id, payment_id, user_id, status, amount_cents, reason, \
    eligibility, gateway_refund_id, failure_message, decided_by, decision_note, created_at, \
    updated_at, processed_at, kind";

/// What a refund is read with: its columns plus the order's number and currency.
const REFUND_SELECT: &str = "SELECT id, order_id, payment_id, user_id, status, amount_cents, \
    reason, eligibility, gateway_refund_id, failure_message, decided_by, decision_note, \
    created_at, updated_at, processed_at, kind, \
    (SELECT o.number FROM orders o WHERE o.id = refunds.order_id), \
    (SELECT o.currency FROM orders o WHERE o.id = refunds.order_id) FROM refunds";

fn refund_row(row: &Row<'_>) -> rusqlite::Result<Refund> {
    let eligibility: String = row.get(7)?;
    Ok(Refund {
        id: row.get(0)?,
        order_id: row.get(1)?,
        payment_id: row.get(2)?,
        user_id: row.get(3)?,
        status: parsed(row, 4)?,
        amount_cents: row.get(5)?,
        reason: row.get(6)?,
        eligibility: serde_json::from_str(&eligibility).map_err(|e| bad_value(7, e.to_string()))?,
        item_ids: Vec::new(),
        gateway_refund_id: row.get(8)?,
        failure_message: row.get(9)?,
        decided_by: row.get(10)?,
        decision_note: row.get(11)?,
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
        processed_at: row.get(14)?,
        automatic: row.get::<_, String>(15)? == "unpayable_order",
        order_number: row.get::<_, Option<String>>(16)?.unwrap_or_default(),
        currency: row.get::<_, Option<String>>(17)?.unwrap_or_default(),
    })
}

fn with_items(conn: &Connection, mut refund: Refund) -> rusqlite::Result<Refund> {
    let mut stmt = conn.prepare(
        "SELECT order_item_id FROM refund_items WHERE refund_id = ?1 ORDER BY order_item_id",
    )?;
    refund.item_ids = stmt
        .query_map([&refund.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(refund)
}

pub fn insert_refund(conn: &Connection, r: &Refund) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO refunds ({REFUND_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
        params![
            r.id, r.order_id, r.payment_id, r.user_id, r.status.as_str(), r.amount_cents, r.reason,
            r.eligibility.to_string(), r.gateway_refund_id, r.failure_message, r.decided_by,
            r.decision_note, r.created_at, r.updated_at, r.processed_at,
            if r.automatic { "unpayable_order" } else { "request" }
        ],
    )?;
    for item in &r.item_ids {
        conn.execute(
            "INSERT INTO refund_items (refund_id, order_item_id) VALUES (?1, ?2)",
            params![r.id, item],
        )?;
    }
    Ok(())
}

pub fn refund(conn: &Connection, id: &str) -> rusqlite::Result<Option<Refund>> {
    let found = conn
        .query_row(&format!("{REFUND_SELECT} WHERE id = ?1"), [id], refund_row)
        .optional()?;
    found.map(|r| with_items(conn, r)).transpose()
}

pub fn refund_by_gateway_id(
    conn: &Connection,
    gateway_refund_id: &str,
) -> rusqlite::Result<Option<Refund>> {
    let found = conn
        .query_row(
            &format!("{REFUND_SELECT} WHERE gateway_refund_id = ?1"),
            [gateway_refund_id],
            refund_row,
        )
        .optional()?;
    found.map(|r| with_items(conn, r)).transpose()
}

/// Filters of the admin refund queue.
#[derive(Debug, Default, Clone)]
pub struct RefundFilter {
    pub status: Option<RefundStatus>,
    /// Only requests that wait for staff ([`RefundStatus::waits_for_staff`]).
    pub needs_action: bool,
    pub order_id: Option<String>,
    pub user_id: Option<String>,
}

pub fn list_refunds(
    conn: &Connection,
    filter: &RefundFilter,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<(Vec<Refund>, i64)> {
    let waiting: Vec<String> = RefundStatus::ALL
        .iter()
        .filter(|s| s.waits_for_staff())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let clause = format!(
        "(?1 IS NULL OR status = ?1) AND (?2 IS NULL OR order_id = ?2) AND (?3 IS NULL OR user_id = ?3)
         AND (?4 = 0 OR status IN ({}))",
        waiting.join(", ")
    );
    let status = filter.status.map(|s| s.as_str());
    let args = params![status, filter.order_id, filter.user_id, filter.needs_action];
    let total = conn.query_row(
        &format!("SELECT COUNT(*) FROM refunds WHERE {clause}"),
        args,
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "{REFUND_SELECT} WHERE {clause} ORDER BY created_at DESC, id DESC LIMIT ?5 OFFSET ?6"
    ))?;
    let rows: Vec<Refund> = stmt
        .query_map(
            params![
                status,
                filter.order_id,
                filter.user_id,
                filter.needs_action,
                limit,
                offset
            ],
            refund_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let items = rows
        .into_iter()
        .map(|r| with_items(conn, r))
        .collect::<rusqlite::Result<_>>()?;
    Ok((items, total))
}

pub fn set_refund_status(
    conn: &Connection,
    id: &str,
    status: RefundStatus,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE refunds SET status = ?2, updated_at = ?3, \
         processed_at = CASE WHEN ?2 = 'processed' THEN ?3 ELSE processed_at END WHERE id = ?1",
        params![id, status.as_str(), now],
    )?;
    Ok(())
}

pub fn set_refund_decision(
    conn: &Connection,
    id: &str,
    decided_by: Option<&str>,
    note: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE refunds SET decided_by = ?2, decision_note = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, decided_by, note, now],
    )?;
    Ok(())
}

pub fn set_refund_gateway(
    conn: &Connection,
    id: &str,
    gateway_refund_id: Option<&str>,
    failure_message: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE refunds SET gateway_refund_id = COALESCE(?2, gateway_refund_id), \
         failure_message = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, gateway_refund_id, failure_message, now],
    )?;
    Ok(())
}

/// Money promised back on a payment: every refund not rejected (but `except`).
pub fn committed_refund_cents(
    conn: &Connection,
    payment_id: &str,
    except: Option<&str>,
) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE payment_id = ?1 \
         AND status <> 'rejected' AND id IS NOT ?2",
        params![payment_id, except],
        |r| r.get(0),
    )
}

/// Money paid back on a payment through processed refunds.
pub fn processed_refund_cents(conn: &Connection, payment_id: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE payment_id = ?1 AND status = 'processed'",
        [payment_id],
        |r| r.get(0),
    )
}

/// What the app's refunds of a payment that were sent but not yet answered (approved) amount to.
pub fn in_flight_refund_cents(conn: &Connection, payment_id: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE payment_id = ?1 AND status = 'approved'",
        [payment_id],
        |r| r.get(0),
    )
}

/// Order items already covered by a refund that was not rejected (but `except`).
pub fn refunded_item_ids(
    conn: &Connection,
    order_id: &str,
    except: Option<&str>,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT ri.order_item_id FROM refund_items ri JOIN refunds r ON r.id = ri.refund_id \
         WHERE r.order_id = ?1 AND r.status <> 'rejected' AND r.id IS NOT ?2",
    )?;
    stmt.query_map(params![order_id, except], |r| r.get(0))?
        .collect()
}

/// Approved refunds of a payment, not yet sent to the gateway (oldest first).
pub fn approved_refund_ids(conn: &Connection, payment_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM refunds WHERE payment_id = ?1 AND status = 'approved' \
         AND gateway_refund_id IS NULL ORDER BY created_at, id",
    )?;
    stmt.query_map([payment_id], |r| r.get(0))?.collect()
}

/// Payments with an automatic refund approved before `cutoff` that never reached the
/// gateway (the server stopped between recording and sending it).
pub fn unsent_automatic_refund_payments(
    conn: &Connection,
    cutoff: &str,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT payment_id FROM refunds WHERE kind = 'unpayable_order' \
         AND status = 'approved' AND gateway_refund_id IS NULL AND created_at < ?1 LIMIT 200",
    )?;
    stmt.query_map([cutoff], |r| r.get(0))?.collect()
}
