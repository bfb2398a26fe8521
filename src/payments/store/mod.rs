//! SQL for payments, the gateway event ledger and refunds, plus the reads of orders,
//! enrolments and progress those flows need.

mod refunds;

pub use refunds::*;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::config::GatewayKind;
use super::model::{OrderFacts, OrderItemFacts, Payment, PaymentStatus};

pub(super) fn bad_value(index: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, message.into())
}

pub(super) fn parsed<T: std::str::FromStr>(row: &Row<'_>, index: usize) -> rusqlite::Result<T>
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

/// When a pending payment was last re-checked at its gateway on a read (RFC 3339).
pub fn payment_checked_at(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT checked_at FROM payments WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()
    .map(Option::flatten)
}

pub fn set_payment_checked_at(conn: &Connection, id: &str, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE payments SET checked_at = ?2 WHERE id = ?1",
        params![id, now],
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
        "SELECT id, number, user_id, status, total_cents, currency, paid_at, shipping_cents, \
         prices_include_tax FROM orders WHERE id = ?1",
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
                shipping_cents: r.get(7)?,
                prices_include_tax: r.get(8)?,
            })
        },
    )
    .optional()
}

pub fn order_items(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<OrderItemFacts>> {
    let mut stmt = conn.prepare(
        "SELECT id, item_kind, item_id, quantity, total_cents, unit_price_cents * quantity, \
         discount_cents, tax_cents FROM order_items \
         WHERE order_id = ?1 ORDER BY position",
    )?;
    stmt.query_map([order_id], |r| {
        Ok(OrderItemFacts {
            id: r.get(0)?,
            item_kind: r.get(1)?,
            item_id: r.get(2)?,
            quantity: r.get(3)?,
            total_cents: r.get(4)?,
            subtotal_cents: r.get(5)?,
            discount_cents: r.get(6)?,
            tax_cents: r.get(7)?,
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

/// Order items of `order_id` the buyer has downloaded (digital goods), except the products a
/// bundle included: the bundle's refund is judged over its courses only.
pub fn downloaded_item_ids(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT d.order_item_id FROM downloads d JOIN order_items i ON i.id = d.order_item_id \
         WHERE i.order_id = ?1 AND i.bundle_item_id IS NULL",
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
