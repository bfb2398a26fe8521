//! Order status changes: payment, fulfilment, cancellation and reservation expiry, each
//! checked by `lifecycle::transition` and recorded in `order_events` and the audit log.

use rusqlite::Connection;

use super::lifecycle::{self, IllegalTransition, OrderStatus, TransitionCause};
use super::model::{ItemType, OrderSummary, OrderView};
use super::store;
use crate::app::AppState;
use crate::http::{AppError, Problem};
use crate::users::Role;

/// Who changes a status (`user_id` is `None` for the system's own jobs).
#[derive(Debug, Clone, Copy, Default)]
pub struct Actor<'a> {
    pub user_id: Option<&'a str>,
    pub ip: Option<&'a str>,
}

/// What paying an order led to.
#[derive(Debug, Clone)]
pub struct PaidOrder {
    /// `paid`, or `fulfilled` when nothing has to be shipped.
    pub status: OrderStatus,
    /// Courses bought by the order: the learning integration grants their enrolments.
    pub course_ids: Vec<String>,
}

fn illegal(e: IllegalTransition<OrderStatus>) -> AppError {
    Problem::new(axum::http::StatusCode::CONFLICT, e.to_string())
        .with("from", e.from.as_str())
        .with("to", e.to.as_str())
        .into_error()
}

/// The order with items and events; `viewer` limits it to what that user may see.
pub fn order_view(
    conn: &Connection,
    id: &str,
    viewer: Option<&str>,
) -> Result<OrderView, AppError> {
    let order = store::orders::get(conn, id, viewer)?.ok_or(AppError::NotFound("order"))?;
    Ok(OrderView {
        items: store::orders::items(conn, id)?,
        events: store::orders::events(conn, id)?,
        payments: store::orders::payments(conn, id)?,
        order,
        warnings: Vec::new(),
    })
}

/// The one place an order's status changes: checks the move, stores it, and records it in
/// the order's history and the audit log.
pub fn apply_status_change(
    conn: &Connection,
    order: &OrderSummary,
    to: OrderStatus,
    cause: TransitionCause,
    actor: &Actor<'_>,
    note: &str,
    now: &str,
) -> Result<(), AppError> {
    lifecycle::transition(order.status, to, cause).map_err(illegal)?;
    store::orders::set_status(conn, &order.id, to, now)?;
    store::orders::insert_event(
        conn,
        &order.id,
        Some(order.status),
        to,
        actor.user_id,
        Some(note).filter(|n| !n.is_empty()),
        now,
    )?;
    crate::audit::store::record(
        conn,
        now,
        &crate::audit::Entry {
            actor_id: actor.user_id,
            action: "order.status_changed",
            target_type: Some("order"),
            target_id: Some(&order.id),
            ip: actor.ip,
            detail: Some(serde_json::json!({
                "number": order.number,
                "from": order.status.as_str(),
                "to": to.as_str(),
                "cause": cause.as_str(),
                "note": note,
            })),
        },
    )?;
    super::mails::status_changed(conn, &order.id, to, note, now)?;
    Ok(())
}

/// Moves a pending order to paid (the payments issue calls this when money arrives),
/// counts its coupon redemption and its sales, and fulfils it at once when nothing has to
/// be shipped. Enrolments for `PaidOrder::course_ids` are granted by the caller.
pub fn mark_order_paid(
    conn: &Connection,
    order_id: &str,
    actor: &Actor<'_>,
    note: &str,
    now: &str,
) -> Result<PaidOrder, AppError> {
    let order = store::orders::get(conn, order_id, None)?.ok_or(AppError::NotFound("order"))?;
    apply_status_change(
        conn,
        &order,
        OrderStatus::Paid,
        TransitionCause::Payment,
        actor,
        note,
        now,
    )?;
    if let Some(coupon_id) = &order.coupon_id {
        store::coupons::record_redemption(conn, coupon_id, &order.id, &order.user_id, now)?;
    }
    let items = store::orders::items(conn, order_id)?;
    for item in items.iter().filter(|i| i.item_type == ItemType::Product) {
        store::add_sales(conn, &item.item_id, item.quantity)?;
    }
    let course_ids = items
        .iter()
        .filter(|i| i.item_type == ItemType::Course)
        .map(|i| i.item_id.clone())
        .collect();
    let mut status = OrderStatus::Paid;
    if !items.iter().any(|i| i.item_kind == "physical_product") {
        let paid = store::orders::get(conn, order_id, None)?.ok_or(AppError::NotFound("order"))?;
        apply_status_change(
            conn,
            &paid,
            OrderStatus::Fulfilled,
            TransitionCause::Fulfilment,
            actor,
            "nothing to ship",
            now,
        )?;
        status = OrderStatus::Fulfilled;
    }
    Ok(PaidOrder { status, course_ids })
}

/// Cancels a pending order, or a paid one that cost nothing, and releases its stock. A paid
/// order with money involved is cancelled through a refund instead (409 until then).
pub fn cancel_order(
    conn: &Connection,
    order: &OrderSummary,
    actor: &Actor<'_>,
    note: &str,
    now: &str,
) -> Result<(), AppError> {
    if order.status == OrderStatus::Paid && order.total_cents > 0 {
        return Err(Problem::new(
            axum::http::StatusCode::CONFLICT,
            "this order is paid: cancelling it requires a refund of the payment",
        )
        .with("from", order.status.as_str())
        .with("to", OrderStatus::Cancelled.as_str())
        .with("refund_required", true)
        .into_error());
    }
    apply_status_change(
        conn,
        order,
        OrderStatus::Cancelled,
        TransitionCause::Cancellation,
        actor,
        note,
        now,
    )?;
    for item in store::orders::items(conn, &order.id)? {
        if item.item_type == ItemType::Product {
            store::release_stock(conn, &item.item_id, item.quantity)?;
        }
    }
    Ok(())
}

/// A requested status change, checked.
#[derive(Debug, Clone)]
pub struct StatusRequest {
    pub to: OrderStatus,
    pub tracking_number: Option<String>,
    pub note: String,
}

/// `PUT /api/orders/:id/status` by an admin, or by a vendor for shipping steps of orders
/// whose physical items are all theirs.
pub fn change_status(
    conn: &Connection,
    order_id: &str,
    role: Role,
    actor: &Actor<'_>,
    request: &StatusRequest,
    now: &str,
) -> Result<OrderView, AppError> {
    let (to, note) = (request.to, request.note.as_str());
    let tracking_number = request.tracking_number.as_deref();
    let admin = role == Role::Admin;
    let viewer = if admin { None } else { actor.user_id };
    let order = order_view(conn, order_id, viewer)?;
    if !admin {
        if !matches!(to, OrderStatus::Shipped | OrderStatus::Delivered) {
            return Err(AppError::Forbidden(
                "vendors may only mark orders shipped or delivered".into(),
            ));
        }
        let physical: Vec<_> = order
            .items
            .iter()
            .filter(|i| i.item_kind == "physical_product")
            .collect();
        if physical.is_empty()
            || physical
                .iter()
                .any(|i| i.vendor_id.as_deref() != actor.user_id)
        {
            return Err(AppError::Forbidden(
                "only orders whose physical items are all yours can be updated by you".into(),
            ));
        }
    }
    if tracking_number.is_some() && to != OrderStatus::Shipped {
        return Err(AppError::field(
            "tracking_number",
            "can only be given when marking the order shipped",
        ));
    }
    let summary = order.order;
    match to {
        OrderStatus::Paid if summary.status == OrderStatus::Pending => {
            mark_order_paid(
                conn,
                order_id,
                actor,
                note_or(note, "payment confirmed by staff"),
                now,
            )?;
        }
        OrderStatus::Cancelled => cancel_order(conn, &summary, actor, note, now)?,
        other => {
            // Stored first, so the shipping mail written by the change carries it.
            if let Some(tracking) = tracking_number {
                store::orders::set_tracking(conn, order_id, tracking)?;
            }
            apply_status_change(
                conn,
                &summary,
                other,
                TransitionCause::Fulfilment,
                actor,
                note,
                now,
            )?;
        }
    }
    order_view(conn, order_id, None)
}

fn note_or<'a>(note: &'a str, fallback: &'a str) -> &'a str {
    if note.is_empty() { fallback } else { note }
}

/// Cancels every pending order older than `orders.reservation_minutes` at `now`,
/// releasing its stock; returns how many were cancelled.
pub async fn expire_reservations(
    state: &AppState,
    now: time::OffsetDateTime,
) -> Result<usize, AppError> {
    let minutes = state.config.orders.reservation_minutes;
    let cutoff = crate::clock::rfc3339(now - time::Duration::minutes(minutes));
    let now_text = crate::clock::rfc3339(now);
    state
        .db
        .write(move |conn| {
            let ids = store::orders::pending_before(conn, &cutoff)?;
            let note = format!("payment not received within {minutes} minutes");
            for id in &ids {
                if let Some(order) = store::orders::get(conn, id, None)? {
                    cancel_order(conn, &order, &Actor::default(), &note, &now_text)?;
                }
            }
            Ok(ids.len())
        })
        .await
}
