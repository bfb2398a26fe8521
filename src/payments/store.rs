//! SQL for payments, the gateway event ledger and refunds, plus the reads of orders,
//! enrolments and progress those flows need.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::config::GatewayKind;
use super::model::{OrderFacts, OrderItemFacts, Payment, PaymentStatus, Refund, RefundStatus};

fn bad_value(index: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, message.into())
}

fn parsed<T: std::str::FromStr>(row: &Row<'_>, index: usize) -> rusqlite::Result<T>
where
    T::Err: std::fmt::Display,
{
    let text: String = row.get(index)?;
    text.parse()
        .map_err(|e: T::Err| bad_value(index, e.to_string()))
}

const PAYMENT_COLUMNS: &str = "id, order_id, user_id, gateway, status, amount_cents, currency, \
    refunded_cents, transaction_id, client_secret, failure_message, created_at, updated_at, completed_at";

fn payment_row(row: &Row<'_>) -> rusqlite::Result<Payment> {
    let gateway: String = row.get(3)?;
    Ok(Payment {
        id: row.get(0)?,
        order_id: row.get(1)?,
        user_id: row.get(2)?,
        gateway: GatewayKind::parse(&gateway)
            .ok_or_else(|| bad_value(3, format!("unknown gateway {gateway}")))?,
        status: parsed(row, 4)?,
        amount_cents: row.get(5)?,
        currency: row.get(6)?,
        refunded_cents: row.get(7)?,
        transaction_id: row.get(8)?,
        client_secret: row.get(9)?,
        failure_message: row.get(10)?,
        created_at: row.get(11)?,
        updated_at: row.get(12)?,
        completed_at: row.get(13)?,
    })
}

pub fn insert_payment(conn: &Connection, p: &Payment) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO payments ({PAYMENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
        params![
            p.id, p.order_id, p.user_id, p.gateway.as_str(), p.status.as_str(), p.amount_cents,
            p.currency, p.refunded_cents, p.transaction_id, p.client_secret, p.failure_message,
            p.created_at, p.updated_at, p.completed_at
        ],
    )?;
    Ok(())
}

pub fn payment(conn: &Connection, id: &str) -> rusqlite::Result<Option<Payment>> {
    conn.query_row(
        &format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = ?1"),
        [id],
        payment_row,
    )
    .optional()
}

pub fn payment_by_transaction(
    conn: &Connection,
    transaction_id: &str,
) -> rusqlite::Result<Option<Payment>> {
    conn.query_row(
        &format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE transaction_id = ?1"),
        [transaction_id],
        payment_row,
    )
    .optional()
}

pub fn pending_payment_for_order(
    conn: &Connection,
    order_id: &str,
) -> rusqlite::Result<Option<Payment>> {
    conn.query_row(
        &format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE order_id = ?1 AND status = 'pending'"
        ),
        [order_id],
        payment_row,
    )
    .optional()
}

/// The payment that took the order's money, if any.
pub fn captured_payment_for_order(
    conn: &Connection,
    order_id: &str,
) -> rusqlite::Result<Option<Payment>> {
    conn.query_row(
        &format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE order_id = ?1 \
             AND status IN ('completed', 'partially_refunded', 'refunded') \
             AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = payments.id \
                             AND r.kind = 'unpayable_order') \
             ORDER BY completed_at DESC LIMIT 1"
        ),
        [order_id],
        payment_row,
    )
    .optional()
}

pub fn set_payment_started(
    conn: &Connection,
    id: &str,
    transaction_id: Option<&str>,
    client_secret: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE payments SET transaction_id = ?2, client_secret = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, transaction_id, client_secret, now],
    )?;
    Ok(())
}

pub fn set_payment_status(
    conn: &Connection,
    id: &str,
    status: PaymentStatus,
    failure_message: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE payments SET status = ?2, failure_message = ?3, updated_at = ?4, \
         completed_at = CASE WHEN ?2 = 'completed' THEN ?4 ELSE completed_at END WHERE id = ?1",
        params![id, status.as_str(), failure_message, now],
    )?;
    Ok(())
}

pub fn set_payment_refunded(
    conn: &Connection,
    id: &str,
    refunded_cents: i64,
    status: PaymentStatus,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE payments SET refunded_cents = ?2, status = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, refunded_cents, status.as_str(), now],
    )?;
    Ok(())
}

/// Pending Stripe payments created before `cutoff` that reached Stripe.
pub fn stale_pending_stripe(conn: &Connection, cutoff: &str) -> rusqlite::Result<Vec<Payment>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments WHERE status = 'pending' AND gateway = 'stripe' \
         AND transaction_id IS NOT NULL AND created_at < ?1 ORDER BY created_at LIMIT 200"
    ))?;
    stmt.query_map([cutoff], payment_row)?.collect()
}

// --- gateway event ledger ---------------------------------------------------

pub fn event_seen(conn: &Connection, event_id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM payment_events WHERE id = ?1)",
        [event_id],
        |r| r.get(0),
    )
}

pub struct EventRecord<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub payment_id: Option<&'a str>,
    pub refund_id: Option<&'a str>,
    pub outcome: &'a str,
}

pub fn record_event(conn: &Connection, e: &EventRecord<'_>, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO payment_events (id, type, payment_id, refund_id, outcome, received_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![e.id, e.kind, e.payment_id, e.refund_id, e.outcome, now],
    )?;
    Ok(())
}

// --- orders (commerce's tables, read only) ------------------------------------

pub fn order(conn: &Connection, id: &str) -> rusqlite::Result<Option<OrderFacts>> {
    conn.query_row(
        "SELECT id, number, user_id, status, total_cents, currency, paid_at FROM orders WHERE id = ?1",
        [id],
        |r| {
            Ok(OrderFacts {
                id: r.get(0)?,
                number: r.get(1)?,
                user_id: r.get(2)?,
                status: parsed(r, 3)?,
                total_cents: r.get(4)?,
                currency: r.get(5)?,
                paid_at: r.get(6)?,
            })
        },
    )
    .optional()
}

pub fn order_items(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<OrderItemFacts>> {
    let mut stmt = conn.prepare(
        "SELECT id, item_kind, item_id, quantity, total_cents FROM order_items \
         WHERE order_id = ?1 ORDER BY position",
    )?;
    stmt.query_map([order_id], |r| {
        Ok(OrderItemFacts {
            id: r.get(0)?,
            item_kind: r.get(1)?,
            item_id: r.get(2)?,
            quantity: r.get(3)?,
            total_cents: r.get(4)?,
        })
    })?
    .collect()
}

/// Puts returned goods back on the shelf.
pub fn restock(conn: &Connection, product_id: &str, quantity: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE products SET stock_quantity = stock_quantity + ?2 \
         WHERE id = ?1 AND stock_quantity IS NOT NULL",
        params![product_id, quantity],
    )?;
    Ok(())
}

// --- refunds -----------------------------------------------------------------

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
    pub order_id: Option<String>,
    pub user_id: Option<String>,
}

pub fn list_refunds(
    conn: &Connection,
    filter: &RefundFilter,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<(Vec<Refund>, i64)> {
    let clause = "(?1 IS NULL OR status = ?1) AND (?2 IS NULL OR order_id = ?2) AND (?3 IS NULL OR user_id = ?3)";
    let status = filter.status.map(|s| s.as_str());
    let args = params![status, filter.order_id, filter.user_id];
    let total = conn.query_row(
        &format!("SELECT COUNT(*) FROM refunds WHERE {clause}"),
        args,
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "{REFUND_SELECT} WHERE {clause} ORDER BY created_at DESC, id DESC LIMIT ?4 OFFSET ?5"
    ))?;
    let rows: Vec<Refund> = stmt
        .query_map(
            params![status, filter.order_id, filter.user_id, limit, offset],
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

/// Money promised back on a payment: every refund not rejected.
pub fn committed_refund_cents(conn: &Connection, payment_id: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE payment_id = ?1 AND status <> 'rejected'",
        [payment_id],
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

/// Order items already covered by a refund that was not rejected.
pub fn refunded_item_ids(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT ri.order_item_id FROM refund_items ri JOIN refunds r ON r.id = ri.refund_id \
         WHERE r.order_id = ?1 AND r.status <> 'rejected'",
    )?;
    stmt.query_map([order_id], |r| r.get(0))?.collect()
}

/// Approved refunds of a payment, not yet sent to the gateway (oldest first).
pub fn approved_refund_ids(conn: &Connection, payment_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM refunds WHERE payment_id = ?1 AND status = 'approved' \
         AND gateway_refund_id IS NULL ORDER BY created_at, id",
    )?;
    stmt.query_map([payment_id], |r| r.get(0))?.collect()
}

/// Order items of `order_id` the buyer has downloaded (digital goods).
pub fn downloaded_item_ids(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT d.order_item_id FROM downloads d JOIN order_items i ON i.id = d.order_item_id \
         WHERE i.order_id = ?1",
    )?;
    stmt.query_map([order_id], |r| r.get(0))?.collect()
}

/// A user's name and e-mail address, for mail.
pub fn recipient(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT name, email FROM users WHERE id = ?1",
        [user_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

// --- learning --------------------------------------------------------------------

/// The enrolment status of a user in a course, if enrolled at all (tests and views).
pub fn enrollment_status(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT status FROM enrollments WHERE user_id = ?1 AND course_id = ?2",
        params![user_id, course_id],
        |r| r.get(0),
    )
    .optional()
}
