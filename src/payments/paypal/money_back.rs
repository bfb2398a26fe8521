//! Money that went back at PayPal without our refund flow (`payments::money_back`): a refund
//! made in PayPal's dashboard and a reversal or chargeback (access revoked by the refund's
//! rule, staff told by mail).

use rusqlite::Connection;

use crate::http::AppError;
use crate::payments::model::Payment;
use crate::payments::{money_back, store};

/// `PAYMENT.CAPTURE.REFUNDED` for a refund we did not send (PayPal's dashboard).
pub fn refunded_at_paypal(
    conn: &Connection,
    payment: &Payment,
    total_back: i64,
    now: &str,
) -> Result<&'static str, AppError> {
    money_back::refunded_at_gateway(
        conn,
        payment,
        total_back,
        &crate::commerce::history_note::SystemNote::RefundedAtPaypal.stored(),
        now,
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
    if !money_back::record_back(
        conn,
        payment,
        total_back,
        &crate::commerce::history_note::SystemNote::ReversedAtPaypal.stored(),
        now,
    )? {
        return Ok("no_change");
    }
    let revoked = money_back::revoke_order_courses(conn, payment, now)?;
    let order = store::order(conn, &payment.order_id)?.ok_or(AppError::NotFound("order"))?;
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
