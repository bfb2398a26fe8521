//! The refund flow: requests checked by `eligibility::refund_eligibility` and held to
//! `refundable::refundable_cents` (via `scope`), then processing through the gateway, after which
//! payment, order and enrolments follow. Staff decisions live in `decisions`.

use axum::http::StatusCode;
use rusqlite::Connection;

use super::config::GatewayKind;
use super::gateway::{RefundOutcome, SendRefund, gateway_for};
use super::lifecycle::refund_transition;
use super::model::{OrderFacts, Payment, Refund, RefundStatus};
use super::scope::{Asked, Rules, Scoped, scope};
use super::store;
use crate::commerce::lifecycle::OrderStatus;
use crate::commerce::service::Actor;
use crate::http::{AppError, Problem};
use crate::state::AppState;

pub use super::refund_outcome::{Ending, apply_outcome};

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

pub(super) fn conflict(detail: impl Into<crate::http::Message>) -> AppError {
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
                crate::msg!(
                    "problem-refund-order-unpaid",
                    number = order.number.as_str(),
                    status = crate::status::word(other)
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
    refund_transition(refund.status, to)?;
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
            let status = first_status(
                verdict.eligible,
                verdict.return_required,
                auto_approve,
                payment.gateway,
            );
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

/// Where a new request starts: ineligible ones are rejected, goods to send back wait for
/// their return, online (Stripe, PayPal) payments are approved at once when `refunds.auto_approve`, and the
/// rest wait for staff.
fn first_status(
    eligible: bool,
    return_required: bool,
    auto_approve: bool,
    gateway: GatewayKind,
) -> RefundStatus {
    if !eligible {
        RefundStatus::Rejected
    } else if return_required {
        RefundStatus::ReturnRequested
    } else if auto_approve && gateway != GatewayKind::Manual {
        RefundStatus::Approved
    } else {
        RefundStatus::Requested
    }
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
        return Err(conflict(crate::msg!(
            "problem-refund-not-approved",
            status = crate::status::word(refund.status)
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
