//! Checkout: turns the cart, or the items named ("buy now"), into a pending order in the
//! caller's write transaction.

use rusqlite::Connection;

use super::holds::{HeldLine, check_holds};
use super::lifecycle::OrderStatus;
use super::model::{
    AddToCart, CartRow, CatalogItem, CreateOrder, ItemType, OrderEventView, OrderItemView,
    OrderSummary, OrderView, format_order_number, normalize_country,
};
use super::pricing::CartLine;
use super::service::{
    Actor, CartEntry, PriceChoice, Unavailable, cart_line, check_cart_line, load_cart,
    mark_order_paid, order_view, price, price_change_warning,
};
use super::store;
use crate::config::Config;
use crate::http::AppError;

/// The note of an order's first event.
const PLACED_NOTE: &str = "order placed";

/// Turns the user's cart, or the items `body.items` names, into a pending order (a paid one
/// when nothing is due): names and prices snapshotted, the buyer's holds checked, a number
/// taken, stock and the coupon's redemption reserved, and the cart emptied when it was the
/// source. Every order-placing path (cart, buy now, the demo) comes through here.
pub fn checkout(
    conn: &Connection,
    config: &Config,
    user_id: &str,
    body: &CreateOrder,
    ip: Option<&str>,
    now: time::OffsetDateTime,
) -> Result<OrderView, AppError> {
    let now_text = crate::clock::rfc3339(now);
    let entries = match &body.items {
        Some(items) => direct_entries(conn, user_id, items)?,
        None => load_cart(conn, user_id, false)?,
    };
    if entries.is_empty() {
        return Err(AppError::field("items", "the cart is empty"));
    }
    let mut warnings = Vec::new();
    let mut chosen = Vec::new();
    for entry in entries {
        let name = entry
            .item
            .as_ref()
            .map(|i| i.name.clone())
            .unwrap_or_default();
        match (entry.item, entry.unavailable) {
            (Some(item), None) => {
                if item.price_cents != entry.row.price_seen_cents {
                    warnings.push(format!(
                        "{}; the order uses the current price",
                        price_change_warning(&item, entry.row.price_seen_cents)
                    ));
                }
                chosen.push((entry.row, item));
            }
            (_, Some(why)) => return Err(why.into_error(&entry.row.item_id, &name)),
            (None, None) => return Err(Unavailable::Missing.into_error(&entry.row.item_id, "")),
        }
    }
    let lines: Vec<CartLine> = chosen
        .iter()
        .map(|(row, item)| cart_line(item, row.quantity))
        .collect();
    let physical = lines.iter().any(|l| l.kind.is_physical());
    let address = match (&body.shipping_address, physical) {
        (Some(a), true) => Some(a.normalized().map_err(AppError::Validation)?),
        (None, true) => {
            return Err(AppError::field(
                "shipping_address",
                "is required for physical items",
            ));
        }
        (_, false) => None,
    };
    let billing = match body.billing_country.as_deref() {
        Some(raw) => Some(normalize_country(raw).ok_or_else(|| {
            AppError::field("billing_country", "must be a two-letter ISO 3166-1 code")
        })?),
        None => None,
    };
    let (country, country_field) = match &address {
        Some(a) => (Some(a.country.clone()), "shipping_address.country"),
        None => (billing.clone(), "billing_country"),
    };
    let choice = PriceChoice {
        coupon_code: body.coupon_code.as_deref(),
        country,
        country_field,
        shipping_method: body.shipping_method.as_deref(),
        estimate: false,
    };
    let (priced, coupon) = price(conn, config, user_id, &lines, &choice, now)?;
    if priced.total_cents > 0 {
        check_buyer_holds(conn, config, user_id, &chosen)?;
    }
    let (email, buyer_name) = store::orders::buyer(conn, user_id)?;

    let order = OrderSummary {
        id: uuid::Uuid::now_v7().to_string(),
        number: format_order_number(store::next_counter(conn, "order_number")?),
        user_id: user_id.to_string(),
        email,
        status: OrderStatus::Pending,
        currency: config.store.currency.clone(),
        subtotal_cents: priced.subtotal_cents,
        discount_cents: priced.discount_cents,
        tax_cents: priced.tax_cents,
        shipping_cents: priced.shipping_cents,
        total_cents: priced.total_cents,
        prices_include_tax: priced.prices_include_tax,
        coupon_code: priced.coupon_code,
        coupon_id: coupon.map(|c| c.id),
        shipping_method: priced.shipping_method_id,
        shipping_address: address,
        billing_country: billing,
        tracking_number: None,
        created_at: now_text.clone(),
        updated_at: now_text.clone(),
        paid_at: None,
    };
    store::orders::insert(conn, &order)?;
    if let Some(coupon_id) = &order.coupon_id {
        // Counted from now on by every later order's limit check (this write is serialised
        // with theirs), and given back if this order is cancelled.
        store::coupons::reserve_redemption(conn, coupon_id, &order.id, user_id, &now_text)?;
    }
    let mut items = Vec::with_capacity(chosen.len());
    for (position, ((row, item), line)) in chosen.iter().zip(&priced.lines).enumerate() {
        let snapshot = OrderItemView {
            id: uuid::Uuid::now_v7().to_string(),
            item_type: row.item_type,
            item_id: item.id.clone(),
            item_kind: super::model::kind_as_str(item.kind).into(),
            name: item.name.clone(),
            quantity: row.quantity,
            unit_price_cents: line.unit_price_cents,
            discount_cents: line.discount_cents,
            tax_cents: line.tax_cents,
            tax_rate_bps: i64::from(line.tax_rate_bps),
            total_cents: line.total_cents,
            vendor_id: Some(item.vendor_id.clone()),
        };
        store::orders::insert_item(conn, &order.id, position as i64, item.kind, &snapshot)?;
        if item.item_type == ItemType::Product
            && !store::reserve_stock(conn, &item.id, row.quantity)?
        {
            let available = store::stock_of(conn, &item.id)?.flatten().unwrap_or(0);
            return Err(Unavailable::Stock { available }.into_error(&item.id, &item.name));
        }
        items.push(snapshot);
    }
    if body.items.is_none() {
        store::cart::clear(conn, user_id)?;
    }
    store::orders::insert_event(
        conn,
        &order.id,
        None,
        OrderStatus::Pending,
        Some(user_id),
        Some(PLACED_NOTE),
        &now_text,
    )?;
    crate::audit::store::record(
        conn,
        &now_text,
        &crate::audit::Entry {
            actor_id: Some(user_id),
            action: "order.created",
            target_type: Some("order"),
            target_id: Some(&order.id),
            ip,
            detail: Some(
                serde_json::json!({ "number": order.number, "total_cents": order.total_cents }),
            ),
        },
    )?;
    let mut view = if order.total_cents > 0 {
        super::mails::order_received(conn, &order, &items, &buyer_name, &now_text)?;
        // What `order_view` would read back, built from what was just written.
        OrderView {
            order,
            items,
            events: vec![OrderEventView {
                from: None,
                to: OrderStatus::Pending.as_str().to_string(),
                actor_id: Some(user_id.to_string()),
                note: Some(PLACED_NOTE.to_string()),
                at: now_text,
            }],
            warnings: Vec::new(),
            payments: Vec::new(),
            refunds: Vec::new(),
        }
    } else {
        mark_order_paid(
            conn,
            &order.id,
            &Actor {
                user_id: Some(user_id),
                ip,
            },
            "nothing to pay",
            &now_text,
        )?;
        order_view(conn, &order.id, None)?
    };
    view.warnings = warnings;
    Ok(view)
}

/// Refuses (409) an order that would wait for payment while its buyer already holds as
/// much as `holds::check_holds` allows (units counted per stock-tracked product).
fn check_buyer_holds(
    conn: &Connection,
    config: &Config,
    user_id: &str,
    chosen: &[(CartRow, CatalogItem)],
) -> Result<(), AppError> {
    let open = store::orders::open_unpaid_count(conn, user_id)?;
    let mut lines: Vec<HeldLine<'_>> = Vec::new();
    for (row, item) in chosen {
        if item.item_type != ItemType::Product || item.stock.is_none() {
            continue;
        }
        match lines.iter_mut().find(|l| l.item_id == item.id) {
            Some(line) => line.adding += row.quantity,
            None => lines.push(HeldLine {
                item_id: &item.id,
                name: &item.name,
                held: store::orders::pending_units(conn, user_id, &item.id)?,
                adding: row.quantity,
            }),
        }
    }
    check_holds(&config.orders, open, &lines).map_err(|refusal| refusal.into_error())
}

/// The lines of a "buy now" order (shape checked by `check_order_lines`), each checked as
/// adding it to the cart would check it.
fn direct_entries(
    conn: &Connection,
    user_id: &str,
    items: &[AddToCart],
) -> Result<Vec<CartEntry>, AppError> {
    items
        .iter()
        .map(|line| {
            let quantity = line.quantity.unwrap_or(1);
            let item =
                check_cart_line(conn, user_id, line.item_type, line.item_id.trim(), quantity)?;
            Ok(CartEntry {
                row: CartRow {
                    id: String::new(),
                    item_type: line.item_type,
                    item_id: item.id.clone(),
                    quantity,
                    price_seen_cents: item.price_cents,
                },
                item: Some(item),
                unavailable: None,
            })
        })
        .collect()
}
