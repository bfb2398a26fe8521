//! SQL of the PayPal gateway: the `paypal_payments` rows, the order lines a PayPal order is
//! built from, and the pending PayPal payments reconciliation looks at.

use rusqlite::{Connection, OptionalExtension, params};

/// A `paypal_payments` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaypalPayment {
    pub payment_id: String,
    pub paypal_order_id: String,
    pub approve_url: String,
    pub capture_id: Option<String>,
    pub capture_status: Option<String>,
}

pub fn insert(
    conn: &Connection,
    payment_id: &str,
    paypal_order_id: &str,
    approve_url: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO paypal_payments (payment_id, paypal_order_id, approve_url, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (payment_id) DO NOTHING",
        params![payment_id, paypal_order_id, approve_url, now],
    )?;
    Ok(())
}

pub fn set_capture(
    conn: &Connection,
    payment_id: &str,
    capture_id: &str,
    status: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE paypal_payments SET capture_id = ?2, capture_status = COALESCE(?3, capture_status), \
         updated_at = ?4 WHERE payment_id = ?1",
        params![payment_id, capture_id, status, now],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, payment_id: &str) -> rusqlite::Result<Option<PaypalPayment>> {
    conn.query_row(
        "SELECT payment_id, paypal_order_id, approve_url, capture_id, capture_status \
         FROM paypal_payments WHERE payment_id = ?1",
        [payment_id],
        |r| {
            Ok(PaypalPayment {
                payment_id: r.get(0)?,
                paypal_order_id: r.get(1)?,
                approve_url: r.get(2)?,
                capture_id: r.get(3)?,
                capture_status: r.get(4)?,
            })
        },
    )
    .optional()
}

/// The payment whose capture this is.
pub fn payment_id_by_capture(
    conn: &Connection,
    capture_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT payment_id FROM paypal_payments WHERE capture_id = ?1",
        [capture_id],
        |r| r.get(0),
    )
    .optional()
}

/// Pending PayPal payments with an order at PayPal, created before `cutoff`.
pub fn stale_pending(conn: &Connection, cutoff: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM payments WHERE status = 'pending' AND gateway = 'paypal' \
         AND transaction_id IS NOT NULL AND created_at < ?1 ORDER BY created_at LIMIT 200",
    )?;
    let rows = stmt.query_map([cutoff], |r| r.get(0))?;
    rows.collect()
}

/// An order line as PayPal's `items` need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub name: String,
    pub kind: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
}

/// An order's money as it was snapshotted at checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub order_id: String,
    pub number: String,
    pub currency: String,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub shipping_cents: i64,
    pub total_cents: i64,
    pub prices_include_tax: bool,
    pub lines: Vec<Line>,
}

pub fn snapshot(conn: &Connection, order_id: &str) -> rusqlite::Result<Option<Snapshot>> {
    let head = conn
        .query_row(
            "SELECT id, number, currency, discount_cents, tax_cents, shipping_cents, total_cents, \
             prices_include_tax FROM orders WHERE id = ?1",
            [order_id],
            |r| {
                Ok(Snapshot {
                    order_id: r.get(0)?,
                    number: r.get(1)?,
                    currency: r.get(2)?,
                    discount_cents: r.get(3)?,
                    tax_cents: r.get(4)?,
                    shipping_cents: r.get(5)?,
                    total_cents: r.get(6)?,
                    prices_include_tax: r.get(7)?,
                    lines: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut head) = head else {
        return Ok(None);
    };
    let mut stmt = conn.prepare(
        "SELECT name, item_kind, quantity, unit_price_cents, discount_cents, tax_cents \
         FROM order_items WHERE order_id = ?1 ORDER BY position",
    )?;
    let lines = stmt.query_map([order_id], |r| {
        Ok(Line {
            name: r.get(0)?,
            kind: r.get(1)?,
            quantity: r.get(2)?,
            unit_price_cents: r.get(3)?,
            discount_cents: r.get(4)?,
            tax_cents: r.get(5)?,
        })
    })?;
    head.lines = lines.collect::<rusqlite::Result<_>>()?;
    Ok(Some(head))
}
