//! Money that went back at a gateway outside the refund flow: a refund made in the gateway's
//! dashboard (Stripe's `charge.refunded`, PayPal's `PAYMENT.CAPTURE.REFUNDED`) or a reversal.
//! It is reflected on the payment and the order; once all of a payment is back, its order's
//! courses go by the refund's revocation rule.

use rusqlite::Connection;

use super::lifecycle::{PaymentStatus, payment_transition};
use super::model::Payment;
use super::store;
use crate::commerce::lifecycle::{OrderStatus, TransitionCause};
use crate::commerce::service::{Actor, apply_status_change};
use crate::http::AppError;

/// The part of `reported` (what the gateway says is refunded of `payment`) that the app's own
/// refunds do not account for: those still on their way (approved, sent, not yet processed)
/// record themselves when their answer arrives, so a gateway event about them that comes
/// first changes nothing.
pub fn reported_outside_own_refunds(
    conn: &Connection,
    payment: &Payment,
    reported: i64,
) -> Result<i64, AppError> {
    Ok(reported - store::in_flight_refund_cents(conn, &payment.id)?)
}

/// The payment's refunded total becomes `total_back` (never lower than before, never above
/// the payment); the order follows when its lifecycle allows. Returns whether it moved.
pub fn record_back(
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

/// Revokes, by the refund's rule, what every line of the payment's order granted: courses the
/// learner holds another way stay. Returns the courses revoked.
pub fn revoke_order_courses(
    conn: &Connection,
    payment: &Payment,
    now: &str,
) -> Result<Vec<String>, AppError> {
    let order = store::order(conn, &payment.order_id)?.ok_or(AppError::NotFound("order"))?;
    let line_ids: Vec<String> = store::order_items(conn, &order.id)?
        .into_iter()
        .map(|i| i.id)
        .collect();
    crate::learning::revocation::revoke_released(conn, &order.user_id, &line_ids, now)
}

/// A refund made in the gateway's dashboard: `reported` is the payment's refunded total the
/// gateway now states. Recorded as money back; once the whole payment is back the order's
/// courses go too (a partial one names no lines, so access stays). Returns the webhook
/// outcome label.
pub fn refunded_at_gateway(
    conn: &Connection,
    payment: &Payment,
    reported: i64,
    note: &str,
    now: &str,
) -> Result<&'static str, AppError> {
    let total_back = reported_outside_own_refunds(conn, payment, reported)?;
    if !record_back(conn, payment, total_back, note, now)? {
        return Ok("no_change");
    }
    if total_back >= payment.amount_cents {
        revoke_order_courses(conn, payment, now)?;
    }
    Ok("refund_synced")
}
