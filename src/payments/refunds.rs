//! The refund flow: requests checked by `eligibility::refund_eligibility` and held to
//! `refundable::refundable_cents` (via `scope`), then processing through the gateway, after which
//! payment, order and enrolments follow. Staff decisions live in `decisions`.

use axum::http::StatusCode;
use rusqlite::Connection;

use super::config::GatewayKind;
use super::gateway::{RefundOutcome, SendRefund, gateway_for};
use super::model::{OrderFacts, Payment, PaymentStatus, Refund, RefundStatus};
use super::scope::{Asked, Rules, Scoped, scope};
use super::store;
use crate::commerce::lifecycle::{
    OrderStatus, TransitionCause, payment_transition, refund_transition,
};
use crate::commerce::service::{Actor, apply_status_change};
use crate::http::{AppError, Problem};
use crate::state::AppState;

/// Who acts, owned so it can move into database closures.
#[derive(Debug, Clone, Default)]
pub struct By {
    pub user_id: Option<String>,
    pub ip: Option<String>,
}

impl By {
    pub(super) fn actor(&self) -> Actor<'_> {
        Actor {
            user_id: self.user_id.as_deref(),
            ip: self.ip.as_deref(),
        }
    }
}

/// A buyer's refund request, as validated fields.
#[derive(Debug, Clone)]
pub struct NewRefund {
    pub order_id: String,
    pub reason: String,
    pub amount_cents: Option<i64>,
    pub item_ids: Option<Vec<String>>,
}

pub(super) fn conflict(detail: impl Into<String>) -> AppError {
    AppError::conflict(detail)
}

pub(super) fn refundable_order(conn: &Connection, order: &OrderFacts) -> Result<Payment, AppError> {
    match order.status {
        OrderStatus::Paid
        | OrderStatus::Fulfilled
        | OrderStatus::Delivered
        | OrderStatus::PartiallyRefunded => {}
        OrderStatus::Shipped => {
            return Err(conflict(
                "the order is on its way; request a refund once it has been delivered",
            ));
        }
        other => {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                format!(
                    "order {} is {other}; only paid orders can be refunded",
                    order.number
                ),
            )
            .with("order_status", other.as_str())
            .into_error());
        }
    }
    store::captured_payment_for_order(conn, &order.id)?.ok_or_else(|| {
        conflict("no payment was captured for this order, so there is nothing to refund it through")
    })
}

pub(super) fn audit(
    conn: &Connection,
    by: &By,
    action: &str,
    refund: &Refund,
    now: &str,
) -> Result<(), AppError> {
    audit_detail(conn, by, action, refund, serde_json::json!({}), now)
}

/// An audit row about `refund`; `extra` members join the usual summary.
pub(super) fn audit_detail(
    conn: &Connection,
    by: &By,
    action: &str,
    refund: &Refund,
    extra: serde_json::Value,
    now: &str,
) -> Result<(), AppError> {
    let mut detail = serde_json::json!({
        "order_id": refund.order_id,
        "order_number": refund.order_number,
        "amount_cents": refund.amount_cents,
        "currency": refund.currency,
        "status": refund.status.as_str(),
    });
    if let (Some(detail), Some(extra)) = (detail.as_object_mut(), extra.as_object()) {
        detail.extend(extra.clone());
    }
    crate::audit::store::record(
        conn,
        now,
        &crate::audit::Entry {
            actor_id: by.user_id.as_deref(),
            action,
            target_type: Some("refund"),
            target_id: Some(&refund.id),
            ip: by.ip.as_deref(),
            detail: Some(detail),
        },
    )?;
    Ok(())
}

pub(super) fn move_refund(
    conn: &Connection,
    refund: &mut Refund,
    to: RefundStatus,
    now: &str,
) -> Result<(), AppError> {
    refund_transition(refund.status, to).map_err(|e| {
        Problem::new(StatusCode::CONFLICT, e.to_string())
            .with("from", e.from.as_str())
            .with("to", e.to.as_str())
            .into_error()
    })?;
    store::set_refund_status(conn, &refund.id, to, now)?;
    refund.status = to;
    Ok(())
}

/// `POST /api/refunds`: records the owner's request with its eligibility; eligible requests
/// are approved at once when `refunds.auto_approve` (Stripe payments), physical goods wait
/// for their return, ineligible ones are rejected with the reasons. Processing follows.
pub async fn request_refund(
    state: &AppState,
    user_id: &str,
    by: By,
    req: NewRefund,
) -> Result<Refund, AppError> {
    let reason = req.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(AppError::field("reason", "must be 1 to 2000 characters"));
    }
    let now_text = state.now_text();
    let rules = Rules {
        policy: state.config.refunds.policy(),
        now: state.now(),
    };
    let auto_approve = state.config.refunds.auto_approve;
    let uid = user_id.to_string();
    let asked = match req.item_ids.clone() {
        Some(ids) => Asked::Items(ids),
        None => Asked::Rest,
    };
    let refund = state
        .db
        .write(move |conn| {
            let order = store::order(conn, &req.order_id)?
                .filter(|o| o.user_id == uid)
                .ok_or(AppError::NotFound("order"))?;
            let payment = refundable_order(conn, &order)?;
            let Scoped {
                item_ids,
                amount_cents,
                verdict,
                ..
            } = scope(conn, &order, &payment, &asked, req.amount_cents, &rules)?;
            let status = if !verdict.eligible {
                RefundStatus::Rejected
            } else if verdict.return_required {
                RefundStatus::ReturnRequested
            } else if auto_approve && payment.gateway == GatewayKind::Stripe {
                RefundStatus::Approved
            } else {
                RefundStatus::Requested
            };
            let refund = Refund {
                id: uuid::Uuid::now_v7().to_string(),
                order_id: order.id.clone(),
                order_number: order.number.clone(),
                currency: order.currency.clone(),
                payment_id: payment.id.clone(),
                user_id: uid.clone(),
                status,
                amount_cents,
                reason: reason.clone(),
                eligibility: serde_json::to_value(&verdict).unwrap_or_default(),
                item_ids,
                gateway_refund_id: None,
                failure_message: None,
                decided_by: None,
                decision_note: (!verdict.eligible).then(|| {
                    verdict
                        .reasons
                        .iter()
                        .map(|r| r.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                }),
                created_at: now_text.clone(),
                updated_at: now_text.clone(),
                processed_at: None,
                automatic: false,
            };
            store::insert_refund(conn, &refund)?;
            audit(conn, &by, "refund.requested", &refund, &now_text)?;
            super::mails::requested(conn, &refund, &now_text)?;
            Ok(refund)
        })
        .await?;
    crate::mail::wake(state);
    if refund.status == RefundStatus::Approved {
        return process(state, &refund.id, By::default(), Ending::Refund).await;
    }
    Ok(refund)
}

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

/// Sends an approved (or failed, for a retry) refund through the payment's gateway and
/// records the answer. Never holds a transaction while the gateway is called.
pub async fn process(
    state: &AppState,
    refund_id: &str,
    by: By,
    ending: Ending,
) -> Result<Refund, AppError> {
    let id = refund_id.to_string();
    let (refund, payment) = state
        .db
        .read(move |conn| {
            let refund = store::refund(conn, &id)?.ok_or(AppError::NotFound("refund"))?;
            let payment =
                store::payment(conn, &refund.payment_id)?.ok_or(AppError::NotFound("payment"))?;
            Ok((refund, payment))
        })
        .await?;
    if !matches!(refund.status, RefundStatus::Approved | RefundStatus::Failed) {
        return Err(conflict(format!(
            "the refund is {}, not approved",
            refund.status
        )));
    }
    let outcome = gateway_for(&state.config.payments, payment.gateway)
        .refund(&SendRefund {
            refund_id: refund.id.clone(),
            transaction_id: payment.transaction_id.clone(),
            amount_cents: refund.amount_cents,
        })
        .await
        .unwrap_or_else(|e| RefundOutcome::Failed {
            gateway_refund_id: None,
            message: e.to_string(),
        });
    let now = state.now_text();
    let id = refund.id.clone();
    let done = state
        .db
        .write(move |conn| {
            let mut refund = store::refund(conn, &id)?.ok_or(AppError::NotFound("refund"))?;
            apply_outcome(conn, &mut refund, &outcome, &by, ending, &now)?;
            store::refund(conn, &id)?.ok_or(AppError::NotFound("refund"))
        })
        .await?;
    crate::mail::wake(state);
    Ok(done)
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

/// The money is back: refund processed, payment and order statuses follow, enrolments in the
/// refunded courses (and their certificates) are revoked at once.
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
                "cancelled and refunded",
                now,
            )?;
            for item in items.iter().filter(|i| i.item_kind != "course") {
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
                "refund processed",
                now,
            )?;
        }
    }
    for item in items
        .iter()
        .filter(|i| i.item_kind == "course" && refund.item_ids.contains(&i.id))
    {
        let enrollment =
            crate::learning::store::enrollments::find(conn, &refund.user_id, &item.item_id)?;
        if let Some(enrollment) = enrollment.filter(|e| e.status.has_access()) {
            crate::learning::service::revoke_enrollment(conn, &enrollment, now)?;
        }
    }
    audit(conn, by, "refund.processed", refund, now)?;
    super::mails::processed(conn, refund, now)?;
    Ok(())
}
