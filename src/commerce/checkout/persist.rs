//! Writes a checkout plan: the order, its lines with their stock, the coupon's redemption, the first event, the audit entry, and the receipt mail or the free order's payment.

use rusqlite::Connection;

use super::plan::{ChosenLine, OrderPlan};
use crate::commerce::history_note::SystemNote;
use crate::commerce::lifecycle::OrderStatus;
use crate::commerce::model::{ItemType, OrderEventView, OrderItemView, OrderSummary, OrderView};
use crate::commerce::service::{Actor, Unavailable, mark_order_paid, order_view};
use crate::commerce::store;
use crate::http::AppError;

/// Where the plan came from.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The order was placed from the cart, which it empties.
    pub clear_cart: bool,
    pub buyer_name: &'a str,
    pub ip: Option<&'a str>,
    /// The buyer's language: the order's warnings are said in it.
    pub locale: &'a str,
}

/// Writes `plan` in the caller's transaction and returns the order as the buyer sees it. A
/// product whose stock ran out since the plan refuses the checkout (409); the caller's
/// transaction then keeps nothing.
pub fn persist(
    conn: &Connection,
    plan: OrderPlan,
    source: &Source<'_>,
) -> Result<OrderView, AppError> {
    let OrderPlan {
        order,
        items,
        lines,
        warnings,
    } = plan;
    let now = order.created_at.clone();
    let user_id = order.user_id.as_str();
    store::orders::insert(conn, &order)?;
    if let Some(coupon_id) = &order.coupon_id {
        // Counted from now on by every later order's limit check (this write is serialised
        // with theirs), and given back if this order is cancelled.
        store::coupons::reserve_redemption(conn, coupon_id, &order.id, user_id, &now)?;
    }
    let extra = write_lines(conn, &order.id, &lines, &items)?;
    let mut items = items;
    items.extend(extra);
    if source.clear_cart {
        store::cart::clear(conn, user_id)?;
    }
    store::orders::insert_event(
        conn,
        &order.id,
        None,
        OrderStatus::Pending,
        Some(user_id),
        Some(&SystemNote::Placed.stored()),
        &now,
    )?;
    audit_placed(conn, &order, source.ip, &now)?;
    let mut view = if order.total_cents > 0 {
        crate::commerce::mails::order_received(conn, &order, &items, source.buyer_name, &now)?;
        // What `order_view` would read back, built from what was just written.
        OrderView {
            events: vec![OrderEventView {
                from: None,
                to: OrderStatus::Pending.as_str().to_string(),
                actor_id: Some(user_id.to_string()),
                note: Some(SystemNote::Placed.stored()),
                at: now,
            }],
            order,
            items,
            warnings: Vec::new(),
            payments: Vec::new(),
            refunds: Vec::new(),
        }
    } else {
        let actor = Actor {
            user_id: Some(user_id),
            ip: source.ip,
        };
        mark_order_paid(
            conn,
            &order.id,
            &actor,
            &SystemNote::NothingToPay.stored(),
            &now,
        )?;
        order_view(conn, &order.id, None)?
    };
    view.warnings = warnings
        .iter()
        .map(|w| w.in_locale(source.locale))
        .collect();
    Ok(view)
}

/// Writes the order's lines (with their stock and bundle snapshots), then the products the
/// bundles include after them: those product lines are returned.
fn write_lines(
    conn: &Connection,
    order_id: &str,
    lines: &[ChosenLine],
    items: &[OrderItemView],
) -> Result<Vec<OrderItemView>, AppError> {
    // The products bundles include, written after the cart's lines.
    let mut extra = Vec::new();
    for (position, ((row, item), snapshot)) in lines.iter().zip(items).enumerate() {
        store::orders::insert_item(conn, order_id, position as i64, item.kind, snapshot)?;
        if item.item_type == ItemType::Bundle {
            store::bundle_lines::snapshot(conn, &snapshot.id, &item.id)?;
            bundled_goods(conn, order_id, lines.len(), snapshot, &mut extra)?;
        }
        if item.item_type == ItemType::Product
            && !store::reserve_stock(conn, &item.id, row.quantity)?
        {
            let available = store::stock_of(conn, &item.id)?.flatten().unwrap_or(0);
            return Err(Unavailable::Stock { available }.into_error(&item.id, &item.name));
        }
    }
    Ok(extra)
}

/// Writes one line (price 0, quantity 1) under the bundle's line `parent` for each product
/// the bundle includes, taking a physical one from stock as a product bought alone would be:
/// 409 when one ran out, and the caller's transaction then keeps nothing.
fn bundled_goods(
    conn: &Connection,
    order_id: &str,
    first_position: usize,
    parent: &OrderItemView,
    written: &mut Vec<OrderItemView>,
) -> Result<(), AppError> {
    for good in store::bundle_goods_list(conn, &parent.item_id)? {
        let line = OrderItemView {
            id: uuid::Uuid::now_v7().to_string(),
            item_type: ItemType::Product,
            item_id: good.product_id.clone(),
            item_kind: crate::commerce::model::kind_as_str(good.kind).into(),
            name: good.name.clone(),
            quantity: 1,
            unit_price_cents: 0,
            discount_cents: 0,
            tax_cents: 0,
            tax_rate_bps: parent.tax_rate_bps,
            total_cents: 0,
            vendor_id: Some(good.vendor_id.clone()),
            bundle_item_id: Some(parent.id.clone()),
        };
        let position = (first_position + written.len()) as i64;
        store::orders::insert_item(conn, order_id, position, good.kind, &line)?;
        if good.kind.is_physical() && !store::reserve_stock(conn, &good.product_id, 1)? {
            let available = store::stock_of(conn, &good.product_id)?
                .flatten()
                .unwrap_or(0);
            return Err(Unavailable::Stock { available }.into_error(&parent.item_id, &good.name));
        }
        written.push(line);
    }
    Ok(())
}

fn audit_placed(
    conn: &Connection,
    order: &OrderSummary,
    ip: Option<&str>,
    now: &str,
) -> Result<(), AppError> {
    crate::audit::store::record(
        conn,
        now,
        &crate::audit::Entry {
            actor_id: Some(&order.user_id),
            action: "order.created",
            target_type: Some("order"),
            target_id: Some(&order.id),
            ip,
            detail: Some(
                serde_json::json!({ "number": order.number, "total_cents": order.total_cents }),
            ),
        },
    )?;
    Ok(())
}
