//! Order status changes: payment, fulfilment and cancellation, each checked by
//! `lifecycle::transition` and recorded in `order_events` and the audit log.

use rusqlite::Connection;

use super::lifecycle::{self, OrderStatus, TransitionCause};
use super::model::{ItemType, OrderPaymentView, OrderSummary, OrderView};
use super::store;
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
    /// Courses bought by the order (alone or in a bundle), now granted to the buyer.
    pub course_ids: Vec<String>,
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
        refunds: store::orders::refunds(conn, id)?,
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
    lifecycle::transition(order.status, to, cause)?;
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
    if to == OrderStatus::Cancelled {
        // Whichever path cancels (buyer, staff, expiry, a refund), the order gives its
        // coupon redemption back and can no longer be paid.
        store::coupons::release_redemption(conn, &order.id)?;
        crate::payments::service::abandon_pending(conn, &order.id, now)?;
    }
    super::mails::status_changed(conn, &order.id, to, note, now)?;
    Ok(())
}

/// Moves a pending order to paid, counts its sales, grants the courses it bought and
/// fulfils it at once when nothing has to be shipped. Called only where money was recorded
/// (`payments::service::apply_intent`) or none is due (a zero-total checkout); its coupon
/// redemption was reserved when the order was placed.
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
    // The invoice takes its number in this same write: paid and invoiced, or neither.
    super::invoices::issue_invoice(conn, order_id, now)?;
    let items = store::orders::items(conn, order_id)?;
    for item in items.iter().filter(|i| i.item_type == ItemType::Product) {
        store::add_sales(conn, &item.item_id, item.quantity)?;
    }
    let mut course_ids = items
        .iter()
        .filter(|i| i.item_type == ItemType::Course)
        .map(|i| i.item_id.clone())
        .collect::<Vec<_>>();
    // A bundle grants the courses it held when the order was placed.
    for course_id in store::bundle_lines::courses_of_order(conn, order_id)? {
        if !course_ids.contains(&course_id) {
            course_ids.push(course_id);
        }
    }
    for course_id in &course_ids {
        crate::learning::service::grant_enrollment(
            conn,
            &order.user_id,
            course_id,
            crate::learning::model::EnrollmentSource::Order,
            Some(&order.id),
            now,
        )?;
    }
    let mut status = OrderStatus::Paid;
    if !items.iter().any(|i| i.item_kind == "physical_product") {
        let paid = store::orders::get(conn, order_id, None)?.ok_or(AppError::NotFound("order"))?;
        apply_status_change(
            conn,
            &paid,
            OrderStatus::Fulfilled,
            TransitionCause::Fulfilment,
            actor,
            &super::history_note::SystemNote::NothingToShip.stored(),
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
    if order.status.is_paid_for() {
        // A paid order that cost nothing: what it granted goes with it, and its invoice is
        // corrected by a credit note.
        let item_ids: Vec<String> = store::orders::items(conn, &order.id)?
            .into_iter()
            .map(|i| i.id)
            .collect();
        crate::learning::revocation::revoke_released(conn, &order.user_id, &item_ids, now)?;
        let correction = super::invoices::Correction {
            refund_id: None,
            item_ids: &item_ids,
            amount_cents: 0,
            reason: &if note.is_empty() {
                super::history_note::SystemNote::Cancelled.stored()
            } else {
                note.to_string()
            },
        };
        super::invoices::issue_credit_note(conn, &order.id, &correction, now)?;
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
        OrderStatus::Paid => return Err(paid_only_by_payment(&summary, &order.payments)),
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

/// Why `PUT .../status {status: "paid"}` is refused: an order is paid only by a recorded
/// payment, so a status edit cannot leave the payment pending and the buyer without access.
fn paid_only_by_payment(order: &OrderSummary, payments: &[OrderPaymentView]) -> AppError {
    let manual = payments
        .iter()
        .find(|p| p.gateway == "manual" && p.status == "pending");
    let detail = match (order.status, manual) {
        (OrderStatus::Pending, Some(p)) => {
            crate::msg!("problem-paid-by-payment", id = p.id.as_str())
        }
        (OrderStatus::Pending, None) => crate::msg!("problem-paid-no-payment"),
        (from, _) => crate::msg!(
            "problem-cannot-move",
            subject = crate::msg!("lifecycle-subject", subject = "an-order", text = "an order"),
            from = from.as_str(),
            to = "paid"
        ),
    };
    let mut problem = Problem::new(axum::http::StatusCode::CONFLICT, detail)
        .with("from", order.status.as_str())
        .with("to", OrderStatus::Paid.as_str())
        .with("confirm_with", "POST /api/admin/payments/{id}/confirm");
    if let Some(p) = manual {
        problem = problem.with("payment_id", &p.id);
    }
    problem.into_error()
}
