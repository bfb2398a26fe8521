//! SQL for orders, their snapshotted items and their status history.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::commerce::lifecycle::OrderStatus;
use crate::commerce::model::{
    OrderEventView, OrderFilter, OrderItemView, OrderPaymentView, OrderRefundView, OrderSummary,
    kind_as_str,
};
use crate::commerce::pricing::ItemKind;
use crate::http::Page;

/// Inserts a new order row as `o` describes it (its `email` is the buyer's, not stored).
pub fn insert(conn: &Connection, o: &OrderSummary) -> rusqlite::Result<()> {
    let address = o
        .shipping_address
        .as_ref()
        .and_then(|a| serde_json::to_string(a).ok());
    conn.prepare_cached(
        "INSERT INTO orders (id, number, user_id, status, currency, subtotal_cents, discount_cents,
            tax_cents, shipping_cents, total_cents, prices_include_tax, coupon_id, coupon_code,
            shipping_method, shipping_address, billing_country, tracking_number, created_at,
            updated_at, paid_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20)",
    )?
    .execute(params![
        o.id,
        o.number,
        o.user_id,
        o.status,
        o.currency,
        o.subtotal_cents,
        o.discount_cents,
        o.tax_cents,
        o.shipping_cents,
        o.total_cents,
        o.prices_include_tax,
        o.coupon_id,
        o.coupon_code,
        o.shipping_method,
        address,
        o.billing_country,
        o.tracking_number,
        o.created_at,
        o.updated_at,
        o.paid_at
    ])?;
    Ok(())
}

pub fn insert_item(
    conn: &Connection,
    order_id: &str,
    position: i64,
    kind: ItemKind,
    item: &OrderItemView,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_items (id, order_id, item_type, item_kind, item_id, name, quantity,
            unit_price_cents, discount_cents, tax_cents, tax_rate_bps, total_cents, vendor_id,
            position, bundle_item_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        item.id,
        order_id,
        item.item_type,
        kind_as_str(kind),
        item.item_id,
        item.name,
        item.quantity,
        item.unit_price_cents,
        item.discount_cents,
        item.tax_cents,
        item.tax_rate_bps,
        item.total_cents,
        item.vendor_id,
        position,
        item.bundle_item_id
    ])?;
    Ok(())
}

pub fn insert_event(
    conn: &Connection,
    order_id: &str,
    from: Option<OrderStatus>,
    to: OrderStatus,
    actor_id: Option<&str>,
    note: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_events (order_id, from_status, to_status, actor_id, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![order_id, from, to, actor_id, note, now])?;
    Ok(())
}

/// Moves the order to `to`; `paid_at` is set the first time it becomes paid.
pub fn set_status(conn: &Connection, id: &str, to: OrderStatus, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET status = ?2, updated_at = ?3,
            paid_at = CASE WHEN ?2 = 'paid' AND paid_at IS NULL THEN ?3 ELSE paid_at END
         WHERE id = ?1",
    )?
    .execute(params![id, to, now])?;
    Ok(())
}

pub fn set_tracking(conn: &Connection, id: &str, tracking: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE orders SET tracking_number = ?2 WHERE id = ?1")?
        .execute(params![id, tracking])?;
    Ok(())
}

const SUMMARY: &str =
    "SELECT o.id, o.number, o.user_id, COALESCE(u.email, ''), o.status, o.currency,
    o.subtotal_cents, o.discount_cents, o.tax_cents, o.shipping_cents, o.total_cents,
    o.prices_include_tax, o.coupon_code, o.coupon_id, o.shipping_method, o.shipping_address,
    o.billing_country, o.tracking_number, o.created_at, o.updated_at, o.paid_at
    FROM orders o LEFT JOIN users u ON u.id = o.user_id";

fn summary(r: &Row<'_>) -> rusqlite::Result<OrderSummary> {
    let address: Option<String> = r.get(15)?;
    Ok(OrderSummary {
        id: r.get(0)?,
        number: r.get(1)?,
        user_id: r.get(2)?,
        email: r.get(3)?,
        status: r.get(4)?,
        currency: r.get(5)?,
        subtotal_cents: r.get(6)?,
        discount_cents: r.get(7)?,
        tax_cents: r.get(8)?,
        shipping_cents: r.get(9)?,
        total_cents: r.get(10)?,
        prices_include_tax: r.get(11)?,
        coupon_code: r.get(12)?,
        coupon_id: r.get(13)?,
        shipping_method: r.get(14)?,
        shipping_address: address.and_then(|a| serde_json::from_str(&a).ok()),
        billing_country: r.get(16)?,
        tracking_number: r.get(17)?,
        created_at: r.get(18)?,
        updated_at: r.get(19)?,
        paid_at: r.get(20)?,
    })
}

/// An order by id (`?1`) if `?2` may see it: its buyer, or a vendor with products in it
/// (`NULL`: everyone).
static GET_SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{SUMMARY} WHERE o.id = ?1 AND (?2 IS NULL OR o.user_id = ?2 OR EXISTS (
            SELECT 1 FROM order_items vi
            WHERE vi.order_id = o.id AND vi.item_type = 'product' AND vi.vendor_id = ?2))"
    )
});

pub fn get(
    conn: &Connection,
    id: &str,
    viewer: Option<&str>,
) -> rusqlite::Result<Option<OrderSummary>> {
    conn.prepare_cached(&GET_SQL)?
        .query_row(params![id, viewer], summary)
        .optional()
}

/// The email an order of `user_id` shows, as [`get`] joins it, and the name its mail
/// greets; both empty once the user is gone.
pub fn buyer(conn: &Connection, user_id: &str) -> rusqlite::Result<(String, String)> {
    conn.prepare_cached(
        "SELECT COALESCE(MAX(email), ''), COALESCE(MAX(name), '') FROM users WHERE id = ?1",
    )?
    .query_row([user_id], |r| Ok((r.get(0)?, r.get(1)?)))
}

pub fn items(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<OrderItemView>> {
    conn.prepare_cached(
        "SELECT id, item_type, item_id, item_kind, name, quantity, unit_price_cents,
            discount_cents, tax_cents, tax_rate_bps, total_cents, vendor_id, bundle_item_id
         FROM order_items WHERE order_id = ?1 ORDER BY position",
    )?
    .query_map([order_id], |r| {
        Ok(OrderItemView {
            id: r.get(0)?,
            item_type: r.get(1)?,
            item_id: r.get(2)?,
            item_kind: r.get(3)?,
            name: r.get(4)?,
            quantity: r.get(5)?,
            unit_price_cents: r.get(6)?,
            discount_cents: r.get(7)?,
            tax_cents: r.get(8)?,
            tax_rate_bps: r.get(9)?,
            total_cents: r.get(10)?,
            vendor_id: r.get(11)?,
            bundle_item_id: r.get(12)?,
        })
    })?
    .collect()
}

pub fn events(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<OrderEventView>> {
    conn.prepare_cached(
        "SELECT from_status, to_status, actor_id, note, created_at
         FROM order_events WHERE order_id = ?1 ORDER BY rowid",
    )?
    .query_map([order_id], |r| {
        Ok(OrderEventView {
            from: r.get(0)?,
            to: r.get(1)?,
            actor_id: r.get(2)?,
            note: r.get(3)?,
            at: r.get(4)?,
        })
    })?
    .collect()
}

/// For a non-admin viewer ?5: the ids of their own orders and of orders holding their
/// products, found through indexes (an `OR` over the whole table would scan every order).
const VISIBLE_IDS: &str = "o.id IN (SELECT b.id FROM orders b WHERE b.user_id = ?5
    UNION SELECT vi.order_id FROM order_items vi WHERE vi.vendor_id = ?5 AND vi.item_type = 'product')";

/// The count and page statements of the orders list (admins see every order).
pub fn list_sql(admin: bool) -> (String, String) {
    let condition = format!(
        "WHERE (?1 IS NULL OR o.status = ?1) AND (?2 IS NULL OR o.created_at >= ?2)
           AND (?3 IS NULL OR o.created_at < ?3)
           AND (?4 IS NULL OR o.number LIKE ?4 ESCAPE '\\' OR u.email LIKE ?4 ESCAPE '\\')
           AND {}",
        if admin { "?5 IS NULL" } else { VISIBLE_IDS }
    );
    (
        format!("SELECT COUNT(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id {condition}"),
        format!(
            "{SUMMARY} {condition} ORDER BY o.created_at DESC, o.number DESC LIMIT ?6 OFFSET ?7"
        ),
    )
}

pub fn list(
    conn: &Connection,
    filter: &OrderFilter,
    page: Page,
) -> rusqlite::Result<(Vec<OrderSummary>, i64)> {
    let (count_sql, page_sql) = list_sql(filter.viewer.is_none());
    let pattern = filter.q.as_ref().map(|q| {
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    let args = params![
        filter.status,
        filter.from,
        filter.to,
        pattern,
        filter.viewer,
        page.limit(),
        page.offset()
    ];
    let total = conn
        .prepare_cached(&count_sql)?
        .query_row(&args[..5], |r| r.get(0))?;
    let items = conn
        .prepare_cached(&page_sql)?
        .query_map(args, summary)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((items, total))
}

/// Counts the buyer's orders awaiting payment (through `orders_user_pending`).
pub const OPEN_UNPAID_SQL: &str =
    "SELECT COUNT(*) FROM orders WHERE user_id = ?1 AND status = 'pending'";

/// Sums the units of a product in the buyer's orders awaiting payment. `CROSS JOIN` keeps the
/// buyer's few open orders as the outer loop, and the unary `+` keeps SQLite from looking
/// their lines up by product: either way it would walk every order line the product ever had.
pub const PENDING_UNITS_SQL: &str = "SELECT COALESCE(SUM(i.quantity), 0)
     FROM orders o CROSS JOIN order_items i
     WHERE o.user_id = ?1 AND o.status = 'pending'
       AND i.order_id = o.id AND +i.item_type = 'product' AND +i.item_id = ?2";

/// The buyer's orders awaiting payment.
pub fn open_unpaid_count(conn: &Connection, user_id: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(OPEN_UNPAID_SQL)?
        .query_row([user_id], |r| r.get(0))
}

/// Units of the product the buyer holds in orders awaiting payment.
pub fn pending_units(conn: &Connection, user_id: &str, product_id: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(PENDING_UNITS_SQL)?
        .query_row(params![user_id, product_id], |r| r.get(0))
}

/// Addresses of the active administrators (who are told about lapsing holds).
pub fn admin_emails(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached(
        "SELECT email FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY email",
    )?
    .query_map([], |r| r.get(0))?
    .collect()
}

/// The order's payment attempts, oldest first.
/// The order's refund requests, oldest first, each with the items it covers.
pub fn refunds(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<OrderRefundView>> {
    conn.prepare_cached(
        "SELECT r.id, r.status, r.amount_cents, r.reason, r.decision_note, r.created_at,
            r.updated_at, r.processed_at,
            (SELECT COALESCE(json_group_array(ri.order_item_id), '[]') FROM refund_items ri
             WHERE ri.refund_id = r.id)
         FROM refunds r WHERE r.order_id = ?1 ORDER BY r.created_at, r.id",
    )?
    .query_map([order_id], |r| {
        let item_ids: String = r.get(8)?;
        Ok(OrderRefundView {
            id: r.get(0)?,
            status: r.get(1)?,
            amount_cents: r.get(2)?,
            reason: r.get(3)?,
            decision_note: r.get(4)?,
            created_at: r.get(5)?,
            updated_at: r.get(6)?,
            processed_at: r.get(7)?,
            item_ids: serde_json::from_str(&item_ids).unwrap_or_default(),
        })
    })?
    .collect()
}

pub fn payments(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<OrderPaymentView>> {
    conn.prepare_cached(
        "SELECT p.id, p.gateway, p.status, p.amount_cents, p.refunded_cents, p.currency,
            p.created_at, p.completed_at, p.transaction_id, pp.capture_id
         FROM payments p LEFT JOIN paypal_payments pp ON pp.payment_id = p.id
         WHERE p.order_id = ?1 ORDER BY p.created_at, p.id",
    )?
    .query_map([order_id], |r| {
        Ok(OrderPaymentView {
            id: r.get(0)?,
            gateway: r.get(1)?,
            status: r.get(2)?,
            amount_cents: r.get(3)?,
            refunded_cents: r.get(4)?,
            currency: r.get(5)?,
            created_at: r.get(6)?,
            completed_at: r.get(7)?,
            transaction_id: r.get(8)?,
            capture_id: r.get(9)?,
        })
    })?
    .collect()
}
