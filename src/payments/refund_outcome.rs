//! A refund's outcome at the gateway: applying it (from processing or a `refund.*` webhook) and, once the money is back, moving payment, order and enrolments along.

use rusqlite::Connection;

use super::gateway::RefundOutcome;
use super::lifecycle::payment_transition;
use super::model::{PaymentStatus, Refund, RefundStatus};
use super::refunds::{By, audit, move_refund};
use super::store;
use crate::commerce::lifecycle::{OrderStatus, TransitionCause};
use crate::commerce::service::apply_status_change;
use crate::http::AppError;

/// What the order becomes once the money is back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `refunded` or `partially_refunded`.
    Refund,
    /// `cancelled`, stock released (cancelling a paid, unshipped order).
    Cancel,
    /// The order keeps its status: money that arrived for an order that could not take it.
    Keep,
}

/// Applies a gateway's answer about a refund (from processing or a `refund.*` webhook);
/// returns whether anything changed. Monotonic: a processed refund stays processed.
pub fn apply_outcome(
    conn: &Connection,
    refund: &mut Refund,
    outcome: &RefundOutcome,
    by: &By,
    ending: Ending,
    now: &str,
) -> Result<bool, AppError> {
    if !matches!(refund.status, RefundStatus::Approved | RefundStatus::Failed) {
        return Ok(false);
    }
    let ending = if refund.automatic {
        Ending::Keep
    } else {
        ending
    };
    match outcome {
        RefundOutcome::Succeeded { gateway_refund_id } => {
            store::set_refund_gateway(conn, &refund.id, gateway_refund_id.as_deref(), None, now)?;
            complete(conn, refund, by, ending, now)?;
            Ok(true)
        }
        RefundOutcome::Pending { gateway_refund_id } => {
            store::set_refund_gateway(conn, &refund.id, Some(gateway_refund_id), None, now)?;
            Ok(true)
        }
        RefundOutcome::Failed {
            gateway_refund_id,
            message,
        } => {
            store::set_refund_gateway(
                conn,
                &refund.id,
                gateway_refund_id.as_deref(),
                Some(message),
                now,
            )?;
            if refund.status == RefundStatus::Approved {
                move_refund(conn, refund, RefundStatus::Failed, now)?;
            }
            audit(conn, by, "refund.failed", refund, now)?;
            Ok(true)
        }
    }
}

/// The money is back: refund processed, payment and order statuses follow, enrolments the
/// refunded lines granted (and their certificates) are revoked at once, except courses the
/// learner holds some other way (`revocation`).
fn complete(
    conn: &Connection,
    refund: &mut Refund,
    by: &By,
    ending: Ending,
    now: &str,
) -> Result<(), AppError> {
    move_refund(conn, refund, RefundStatus::Processed, now)?;
    let payment = store::payment(conn, &refund.payment_id)?.ok_or(AppError::NotFound("payment"))?;
    // Processed refunds (this one included), or more if Stripe reported more refunded.
    let processed = store::processed_refund_cents(conn, &payment.id)?;
    let refunded = processed
        .max(payment.refunded_cents)
        .min(payment.amount_cents);
    let full = refunded >= payment.amount_cents;
    let status = if full {
        PaymentStatus::Refunded
    } else {
        PaymentStatus::PartiallyRefunded
    };
    if payment_transition(payment.status, status).is_ok() {
        store::set_payment_refunded(conn, &payment.id, refunded, status, now)?;
    }
    let order = crate::commerce::store::orders::get(conn, &refund.order_id, None)?
        .ok_or(AppError::NotFound("order"))?;
    let items = store::order_items(conn, &refund.order_id)?;
    let actor = by.actor();
    match ending {
        Ending::Cancel => {
            apply_status_change(
                conn,
                &order,
                OrderStatus::Cancelled,
                TransitionCause::Cancellation,
                &actor,
                &crate::commerce::history_note::SystemNote::CancelledAndRefunded.stored(),
                now,
            )?;
            for item in items.iter().filter(|i| i.item_kind.ends_with("_product")) {
                crate::commerce::store::release_stock(conn, &item.item_id, item.quantity)?;
            }
        }
        Ending::Keep => {}
        Ending::Refund => {
            let to = if full {
                OrderStatus::Refunded
            } else {
                OrderStatus::PartiallyRefunded
            };
            apply_status_change(
                conn,
                &order,
                to,
                TransitionCause::Refund,
                &actor,
                &crate::commerce::history_note::SystemNote::RefundProcessed.stored(),
                now,
            )?;
        }
    }
    crate::learning::revocation::revoke_released(conn, &refund.user_id, &refund.item_ids, now)?;
    credit(conn, refund, now)?;
    audit(conn, by, "refund.processed", refund, now)?;
    super::mails::processed(conn, refund, now)?;
    Ok(())
}

/// The credit note of a processed refund, in the same transaction. Money an order never took
/// (automatic refunds) was never invoiced, so it gets none.
fn credit(conn: &Connection, refund: &Refund, now: &str) -> Result<(), AppError> {
    if refund.automatic {
        return Ok(());
    }
    let correction = crate::commerce::invoices::Correction {
        refund_id: Some(&refund.id),
        item_ids: &refund.item_ids,
        amount_cents: refund.amount_cents,
        reason: &refund.reason,
    };
    crate::commerce::invoices::issue_credit_note(conn, &refund.order_id, &correction, now)?;
    Ok(())
}
