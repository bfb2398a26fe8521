//! Money that went back at PayPal without our refund flow: a refund made in PayPal's
//! dashboard (reflected on payment and order) and a reversal or chargeback (also access
//! revoked like a refund, staff told by mail).

use rusqlite::Connection;

use crate::commerce::lifecycle::{OrderStatus, TransitionCause};
use crate::commerce::service::{Actor, apply_status_change};
use crate::http::AppError;
use crate::payments::lifecycle::{PaymentStatus, payment_transition};
use crate::payments::model::Payment;
use crate::payments::store;

/// The payment's refunded total becomes `total_back` (never lower than before, never above
/// the payment); the order follows when its lifecycle allows. Returns whether it moved.
fn record_back(
    conn: &Connection,
    payment: &Payment,
    total_back: i64,
    note: &str,
    now: &str,
) -> Result<bool, AppError> {
    if total_back <= payment.refunded_cents {
        return Ok(false);
    }
    let back = total_back.min(payment.amount_cents);
    let full = back >= payment.amount_cents;
    let status = if full {
        PaymentStatus::Refunded
    } else {
        PaymentStatus::PartiallyRefunded
    };
    if payment_transition(payment.status, status).is_err() {
        return Ok(false);
    }
    store::set_payment_refunded(conn, &payment.id, back, status, now)?;
    if let Some(order) = crate::commerce::store::orders::get(conn, &payment.order_id, None)? {
        let to = if full {
            OrderStatus::Refunded
        } else {
            OrderStatus::PartiallyRefunded
        };
        if crate::commerce::lifecycle::transition(order.status, to, TransitionCause::Refund).is_ok()
        {
            apply_status_change(
                conn,
                &order,
                to,
                TransitionCause::Refund,
                &Actor::default(),
                note,
                now,
            )?;
        }
    }
    Ok(true)
}

/// `PAYMENT.CAPTURE.REFUNDED` for a refund we did not send (PayPal's dashboard).
pub fn refunded_at_paypal(
    conn: &Connection,
    payment: &Payment,
    total_back: i64,
    now: &str,
) -> Result<&'static str, AppError> {
    Ok(
        if record_back(conn, payment, total_back, "refunded at PayPal", now)? {
            "refund_synced"
        } else {
            "no_change"
        },
    )
}

/// `PAYMENT.CAPTURE.REVERSED`: the buyer's money is gone (chargeback, reversal), so the
/// order's courses are revoked like after a full refund, the reversal is audited and every
/// administrator is mailed. Repeated events change nothing.
pub fn reversed(
    conn: &Connection,
    payment: &Payment,
    amount_cents: i64,
    now: &str,
) -> Result<&'static str, AppError> {
    let total_back = payment.refunded_cents + amount_cents;
    if !record_back(conn, payment, total_back, "payment reversed at PayPal", now)? {
        return Ok("no_change");
    }
    let order = store::order(conn, &payment.order_id)?.ok_or(AppError::NotFound("order"))?;
    let line_ids: Vec<String> = store::order_items(conn, &order.id)?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let revoked =
        crate::learning::revocation::revoke_released(conn, &order.user_id, &line_ids, now)?;
    crate::audit::store::record(
        conn,
        now,
        &crate::audit::Entry {
            actor_id: None,
            action: "payment.reversed",
            target_type: Some("payment"),
            target_id: Some(&payment.id),
            ip: None,
            detail: Some(serde_json::json!({
                "order_id": payment.order_id,
                "gateway": "paypal",
                "amount_cents": amount_cents,
                "currency": payment.currency,
                "enrollments_revoked": revoked.len(),
            })),
        },
    )?;
    let amount = crate::mail::events::money(amount_cents, &payment.currency);
    for email in crate::commerce::store::orders::admin_emails(conn)? {
        crate::mail::context::enqueue_with(conn, now, &email, |ctx| {
            crate::mail::events::payment_reversed(ctx, &order.id, &order.number, &amount, "PayPal")
        })?;
    }
    Ok("reversed")
}
