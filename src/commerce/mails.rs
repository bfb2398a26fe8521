//! Order mail: queues the customer's mail for an order event into the outbox, inside the
//! write transaction of the event (order placed, paid, shipped, cancelled).

use rusqlite::Connection;

use super::lifecycle::OrderStatus;
use super::model::{OrderItemView, OrderSummary};
use super::store;
use crate::http::AppError;
use crate::mail::context::enqueue_with;
use crate::mail::events::{self, OrderFacts};

/// Which order mail to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Received,
    Paid,
    Shipped,
    Cancelled,
}

/// The "we received your order" mail, written with the new order, its items and the
/// buyer's name the checkout has in hand.
pub fn order_received(
    conn: &Connection,
    order: &OrderSummary,
    items: &[OrderItemView],
    buyer_name: &str,
    now: &str,
) -> Result<(), AppError> {
    send_for(conn, order, items, buyer_name, Event::Received, "", now)
}

/// The mail for an order that just moved to `to` (paid, shipped or cancelled; other
/// statuses send none). `note` is the reason given for a cancellation.
pub fn status_changed(
    conn: &Connection,
    order_id: &str,
    to: OrderStatus,
    note: &str,
    now: &str,
) -> Result<(), AppError> {
    let event = match to {
        OrderStatus::Paid => Event::Paid,
        OrderStatus::Shipped => Event::Shipped,
        OrderStatus::Cancelled => Event::Cancelled,
        _ => return Ok(()),
    };
    send(conn, order_id, event, note, now)
}

fn send(
    conn: &Connection,
    order_id: &str,
    event: Event,
    note: &str,
    now: &str,
) -> Result<(), AppError> {
    let order: OrderSummary =
        store::orders::get(conn, order_id, None)?.ok_or(AppError::NotFound("order"))?;
    let items = store::orders::items(conn, order_id)?;
    let (_, name) = store::orders::buyer(conn, &order.user_id)?;
    send_for(conn, &order, &items, &name, event, note, now)
}

fn send_for(
    conn: &Connection,
    order: &OrderSummary,
    items: &[OrderItemView],
    name: &str,
    event: Event,
    note: &str,
    now: &str,
) -> Result<(), AppError> {
    if order.email.is_empty() {
        return Ok(()); // the buyer's account is gone: nobody to write to
    }
    let lines: Vec<String> = items
        .iter()
        .map(|i| {
            format!(
                "{} × {} — {}",
                i.quantity,
                i.name,
                events::money(i.total_cents, &order.currency)
            )
        })
        .collect();
    let lines = lines.join("\n");
    let facts = OrderFacts {
        name,
        order_id: &order.id,
        number: &order.number,
        items: &lines,
        total_cents: order.total_cents,
        currency: &order.currency,
    };
    let ships = items.iter().any(|i| i.item_kind == "physical_product");
    enqueue_with(conn, now, &order.email, |ctx| match event {
        Event::Received => events::order_received(ctx, &facts),
        Event::Paid => events::order_paid(ctx, &facts, ships),
        Event::Shipped => events::order_shipped(ctx, &facts, order.tracking_number.as_deref()),
        Event::Cancelled => {
            events::order_cancelled(ctx, &facts, &super::history_note::for_mail(note))
        }
    })?;
    Ok(())
}
